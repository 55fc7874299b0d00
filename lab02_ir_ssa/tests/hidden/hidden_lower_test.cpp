// lab02 hidden tests for task t5 (lowering the AST to IR): programs the public
// tests do not show, compiled through the whole of stage 2 and run in the
// interpreter. Keyword arguments in another order than the parameters, a
// return inside a loop, a loop body that returns on every path, vars changed
// at different depths of nested loops, and a branch on a run-time value inside
// a loop.
// The instructor's copy only: a student release leaves this folder out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/printer.h"
#include "stages/runtime/compare.h"
#include "stages/sema/compile.h"

namespace tessel {
namespace {

using ir::Op;
using testing::DiagnosticsText;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using testing::Prelude;

struct Compiled {
  ParsedSource source;
  std::unique_ptr<ir::Module> module;
  std::string context;

  const ir::Function& entry() const { return *module->functions().front(); }
};

Compiled Compile(const std::string& text, const std::string& entry) {
  Compiled compiled;
  compiled.source = ParseSource(text);
  DiagnosticEngine diags;
  compiled.module = sema::CompileModule(compiled.source.source(), Prelude().source(),
                                        testing::Request(entry), diags);
  compiled.context = "program:\n" + NumberedSource(*compiled.source.file) + DiagnosticsText(diags);
  if (compiled.module) compiled.context += "lowered IR:\n" + ir::PrintModule(*compiled.module);
  return compiled;
}

int CountOps(const ir::Function& fn, Op op) {
  int count = 0;
  for (const auto& block : fn.blocks()) {
    for (const auto& instr : block->instrs()) count += instr->op() == op ? 1 : 0;
  }
  return count;
}

Tensor Values(Shape shape, std::vector<double> values) {
  return Tensor::FromValues(DType::kF32, std::move(shape), values);
}

// Runs the entry on `args` and compares the result with `expected`.
void ExpectRuns(const Compiled& c, const std::vector<Tensor>& args, const Tensor& expected) {
  std::string error;
  std::optional<Tensor> result = ir::Interpret(*c.module, c.entry(), args, &error);
  ASSERT_TRUE(result) << "the interpreter failed: " << error << "\n" << c.context;
  Comparison comparison = CompareTensors(*result, expected);
  EXPECT_TRUE(comparison.equal) << FormatComparison(comparison) << "\n" << c.context;
}

#define ASSERT_COMPILES(compiled) \
  ASSERT_TRUE((compiled).module) << "the program should compile:\n" << (compiled).context

// The keyword arguments come in another order than the parameters; the call's
// operands follow the parameters, and the specialized `scale` is not one.
TEST(HiddenLowerTest, KeywordArgumentsReachTheirParameters) {
  Compiled c = Compile(R"(fn diff(a: f32[N], b: f32[N], scale: f32) -> f32[N] {
  return (a - b) * scale;
}
fn f(x: f32[3], y: f32[3]) -> f32[3] {
  return diff(scale=2.0, b=y, a=x);
})",
                       "f");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kCall), 1) << c.context;
  ExpectRuns(c, {Values({3}, {5, 7, 9}), Values({3}, {1, 2, 3})}, Values({3}, {8, 10, 12}));
}

// A return in the middle of a loop: the if has no else and its arm returns, so
// the join has one predecessor and the loop goes on from there.
TEST(HiddenLowerTest, ReturnInsideALoopEndsThatPathOnly) {
  Compiled c = Compile(R"(fn f(x: f32[2]) -> f32[2] {
  var h = x;
  for i in 0..5 {
    if i == 2 {
      return h;
    }
    h = h * 2.0;
  }
  return h + 1.0;
})",
                       "f");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kRet), 2) << c.context;
  ExpectRuns(c, {Values({2}, {1, -3})}, Values({2}, {4, -12}));
}

// A loop body that returns on every path has no back edge: the header keeps
// one predecessor, and the counter needs no phi.
TEST(HiddenLowerTest, LoopBodyThatAlwaysReturnsHasNoBackEdge) {
  Compiled c = Compile(R"(fn f(x: f32[2]) -> f32[2] {
  for i in 0..3 {
    if sum(x) > 0.0 {
      return x * 2.0;
    } else {
      return x;
    }
  }
  return -x;
})",
                       "f");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 0) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kRet), 3) << c.context;
  ExpectRuns(c, {Values({2}, {1, 2})}, Values({2}, {2, 4}));
  ExpectRuns(c, {Values({2}, {-1, -2})}, Values({2}, {-1, -2}));
}

// a changes in the inner loop, b in the outer one, c nowhere: the inner header
// has phis for j and a, the outer one for i, a and b, and c has none.
TEST(HiddenLowerTest, VarsChangedAtDifferentDepthsOfNestedLoops) {
  Compiled c = Compile(R"(fn f(x: f32[2]) -> f32[2] {
  var a = x;
  var b = x;
  var c = x;
  for i in 0..3 {
    for j in 0..2 {
      a = a + 1.0;
    }
    b = b * 2.0;
  }
  return a + b + c;
})",
                       "f");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 5) << c.context;
  ExpectRuns(c, {Values({2}, {1, 2})}, Values({2}, {16, 26}));  // (x + 6) + 8x + x
}

// A branch on a run-time value inside a loop: the join of the if is where the
// back edge leaves from.
TEST(HiddenLowerTest, BranchOnARunTimeValueInsideALoop) {
  Compiled c = Compile(R"(fn f(x: f32[2]) -> f32[2] {
  var h = x;
  for i in 0..4 {
    if sum(h) > 10.0 {
      h = h - 3.0;
    } else {
      h = h * 2.0;
    }
  }
  return h;
})",
                       "f");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 3) << c.context;  // i and h in the header, h at the join
  // sum 3 -> doubled: [2, 4] (6) -> [4, 8] (12) -> [1, 5] (6) -> [2, 10]
  ExpectRuns(c, {Values({2}, {1, 2})}, Values({2}, {2, 10}));
}

}  // namespace
}  // namespace tessel
