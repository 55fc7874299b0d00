// Unit tests of the kernel form (docs/ir.md §14): kernels and placements print and parse back
// exactly, run in the interpreter like any function, and the verifier rejects a kernel with
// control flow or calls, a missing anchor, and placements that overlap while both are live.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"

namespace tessel::ir {
namespace {

const char kKernelForm[] =
    R"(kernel @fused_matmul_add_relu(%x: f32[2, 3], %w: f32[3, 4], %b: f32[4]) -> f32[2, 4] {pattern = out_fusable, anchor = matmul} {
entry:
  %0 = matmul %x, %w : f32[2, 4]
  %1 = add %0, %b : f32[2, 4]
  %2 = relu %1 : f32[2, 4]
  ret %2
}

kernel @fused_mul(%a: f32[2, 4]) -> f32[2, 4] {pattern = elementwise, anchor = mul} {
entry:
  %0 = mul %a, %a : f32[2, 4]
  ret %0
}

func @main(%x: f32[2, 3], %w: f32[3, 4], %b: f32[4]) -> f32[2, 4] {
entry:
  %0 = call @fused_matmul_add_relu(%x, %w, %b) : f32[2, 4] place(0, 0)
  %1 = call @fused_mul(%0) : f32[2, 4] place(0, 0)
  ret %1
}
)";

struct Parsed {
  std::unique_ptr<ir::Module> module;
  std::string diagnostics;
};

Parsed Parse(const std::string& text) {
  SourceFile file("test.ir", text);
  DiagnosticEngine diags;
  Parsed parsed;
  parsed.module = ParseModule(file, diags);
  std::ostringstream out;
  diags.Print(out);
  parsed.diagnostics = out.str();
  return parsed;
}

std::vector<std::string> Errors(const std::string& text) {
  Parsed parsed = Parse(text);
  EXPECT_TRUE(parsed.module) << parsed.diagnostics;
  std::vector<std::string> errors;
  if (parsed.module) VerifyModule(*parsed.module, &errors);
  return errors;
}

TEST(KernelFormTest, PrintsAndParsesBackExactly) {
  Parsed parsed = Parse(kKernelForm);
  ASSERT_TRUE(parsed.module) << parsed.diagnostics;
  EXPECT_EQ(PrintModule(*parsed.module), kKernelForm);
  const Function& kernel = *parsed.module->functions()[0];
  ASSERT_TRUE(kernel.kernel());
  EXPECT_EQ(kernel.kernel()->pattern, OpPattern::kOutFusable);
  EXPECT_EQ(kernel.kernel()->anchor, Op::kMatMul);
  EXPECT_FALSE(parsed.module->functions()[2]->kernel());
}

TEST(KernelFormTest, VerifiesAndRuns) {
  // The second call reuses the first's bytes: %0's last use is %1's definition.
  EXPECT_EQ(Errors(kKernelForm), std::vector<std::string>{});
  Parsed parsed = Parse(kKernelForm);
  ASSERT_TRUE(parsed.module);
  // x = [[1, 0, 0], [0, 1, 0]], w = 1s, b = [-1, 0, 1, 2]: x @ w = 1s; + b; relu; squared.
  Tensor x = Tensor::FromValues(DType::kF32, {2, 3}, {1, 0, 0, 0, 1, 0});
  Tensor w = Tensor::FromValues(DType::kF32, {3, 4}, std::vector<double>(12, 1.0));
  Tensor b = Tensor::FromValues(DType::kF32, {4}, {-1, 0, 1, 2});
  std::string error;
  std::optional<Tensor> y =
      Interpret(*parsed.module, *parsed.module->FindFunction("main"), {x, w, b}, &error);
  ASSERT_TRUE(y) << error;
  std::vector<double> expected = {0, 1, 4, 9, 0, 1, 4, 9};
  for (int64_t i = 0; i < 8; ++i) EXPECT_EQ(y->Get(i), expected[static_cast<size_t>(i)]);
}

// Runs @main of `text` on `args`, with or without executing the memory plan.
Tensor RunMain(const std::string& text, const std::vector<Tensor>& args, bool plan) {
  Parsed parsed = Parse(text);
  EXPECT_TRUE(parsed.module) << parsed.diagnostics;
  if (!parsed.module) return Tensor();
  std::string error;
  InterpreterOptions options;
  options.execute_memory_plan = plan;
  std::optional<Tensor> y =
      Interpret(*parsed.module, *parsed.module->FindFunction("main"), args, &error, options);
  EXPECT_TRUE(y) << error;
  return y ? *y : Tensor();
}

TEST(KernelFormTest, ExecutingAValidPlanGivesTheSameResults) {
  Tensor x = Tensor::FromValues(DType::kF32, {2, 3}, {1, 0, 0, 0, 1, 0});
  Tensor w = Tensor::FromValues(DType::kF32, {3, 4}, std::vector<double>(12, 1.0));
  Tensor b = Tensor::FromValues(DType::kF32, {4}, {-1, 0, 1, 2});
  Tensor planned = RunMain(kKernelForm, {x, w, b}, true);
  Tensor unplanned = RunMain(kKernelForm, {x, w, b}, false);
  ASSERT_EQ(planned.size(), unplanned.size());
  for (int64_t i = 0; i < planned.size(); ++i) EXPECT_EQ(planned.Get(i), unplanned.Get(i));
}

TEST(KernelFormTest, ExecutingAnOverlappingPlanChangesTheResults) {
  // %1 = exp(x) is written from byte 8, over the second half of %0 = -x, while %0 is still
  // needed: with the plan executed, %2 reads %0 as [-1, -2, e^1, e^2] instead of
  // [-1, -2, -3, -4], so %2[2] = e^1 + e^3 instead of -3 + e^3.
  const char kBadPlan[] = R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %0 = neg %x : f32[4] place(0, 0)
  %1 = exp %x : f32[4] place(0, 8)
  %2 = add %0, %1 : f32[4]
  ret %2
}
)";
  Tensor x = Tensor::FromValues(DType::kF32, {4}, {1, 2, 3, 4});
  Tensor planned = RunMain(kBadPlan, {x}, true);
  Tensor unplanned = RunMain(kBadPlan, {x}, false);
  ASSERT_EQ(planned.size(), 4);
  EXPECT_FLOAT_EQ(unplanned.Get(2), -3 + std::exp(3.0));
  EXPECT_FLOAT_EQ(planned.Get(2), static_cast<float>(std::exp(1.0) + std::exp(3.0)));
  EXPECT_FLOAT_EQ(planned.Get(0), unplanned.Get(0));  // the first half is untouched
}

TEST(KernelFormTest, AKernelHasOneBlockOfPrimitives) {
  EXPECT_EQ(Errors(R"(kernel @k(%a: f32[2]) -> f32[2] {pattern = elementwise, anchor = neg} {
entry:
  %0 = neg %a : f32[2]
  br out
out:
  ret %0
}
)"),
            (std::vector<std::string>{"@k: a kernel has one block, found 2",
                                      "@k: block 'entry': br: a kernel holds no 'br' (its ops "
                                      "are primitives and comprehensions, in one block)"}));
  EXPECT_EQ(Errors(R"(func @f(%a: f32[2]) -> f32[2] {
entry:
  ret %a
}

kernel @k(%a: f32[2]) -> f32[2] {pattern = elementwise, anchor = neg} {
entry:
  %0 = neg %a : f32[2]
  %1 = call @f(%0) : f32[2]
  ret %1
}
)"),
            (std::vector<std::string>{"@k: block 'entry': %1: a kernel holds no 'call' (its ops "
                                      "are primitives and comprehensions, in one block)"}));
}

TEST(KernelFormTest, TheAnchorIsInTheKernel) {
  EXPECT_EQ(Errors(R"(kernel @k(%a: f32[2]) -> f32[2] {pattern = reduction, anchor = reduce_sum} {
entry:
  %0 = neg %a : f32[2]
  ret %0
}
)"),
            std::vector<std::string>{"@k: the anchor op 'reduce_sum' is not in the kernel"});
}

TEST(KernelFormTest, PlacementsMustNotOverlapWhileLive) {
  // %0 (bytes 0..32) is still used by %2 when %1 is written over bytes 16..48.
  EXPECT_EQ(Errors(R"(func @main(%x: f32[8]) -> f32[8] {
entry:
  %0 = neg %x : f32[8] place(0, 0)
  %1 = exp %x : f32[8] place(0, 16)
  %2 = add %0, %1 : f32[8]
  ret %2
}
)"),
            std::vector<std::string>{
                "@main: block 'entry': %1: its placement in buffer 0 overlaps %0 (bytes 0..32, "
                "live from instruction 0 to 2) while both are live: %1 (bytes 16..48, live from "
                "instruction 1 to 2)"});
  // Other buffers, or disjoint bytes, are fine.
  EXPECT_EQ(Errors(R"(func @main(%x: f32[8]) -> f32[8] {
entry:
  %0 = neg %x : f32[8] place(0, 0)
  %1 = exp %x : f32[8] place(1, 0)
  %2 = add %0, %1 : f32[8] place(0, 32)
  ret %2
}
)"),
            std::vector<std::string>{});
}

TEST(KernelFormTest, PlacementsNeedAStraightLineFunction) {
  EXPECT_EQ(Errors(R"(func @main(%x: f32[2]) -> f32[2] {
entry:
  %0 = neg %x : f32[2] place(0, 0)
  br out
out:
  ret %0
}
)"),
            std::vector<std::string>{
                "@main: %0: placements need a straight-line function (one block), found 2 blocks"});
}

TEST(KernelFormTest, ParseErrorsAreLocated) {
  EXPECT_NE(Parse("kernel @k(%a: f32[2]) -> f32[2] {pattern = fancy, anchor = neg} {\nentry:\n"
                  "  ret %a\n}\n")
                .diagnostics.find("test.ir:1:44: error: unknown fusion pattern 'fancy'"),
            std::string::npos);
  EXPECT_NE(Parse("kernel @k(%a: f32[2]) -> f32[2] {\nentry:\n  ret %a\n}\n")
                .diagnostics.find("expected 'pattern'"),
            std::string::npos);
  EXPECT_NE(Parse("func @f(%a: f32[2]) -> f32[2] {\nentry:\n  %0 = neg %a : f32[2] place(0, -4)\n"
                  "  ret %0\n}\n")
                .diagnostics.find("a byte offset is >= 0"),
            std::string::npos);
}

}  // namespace
}  // namespace tessel::ir
