// The loop-IR interpreter: it computes what the SSA IR's ops compute, and reports
// out-of-bounds subscripts and reads of unwritten memory with the loop variables.
#include <gtest/gtest.h>

#include "stages/loops/interpreter.h"
#include "stages/loops/parser.h"

namespace tessel::loops {
namespace {

Module MustParse(const std::string& text) {
  std::string error;
  std::optional<Module> module = ParseModuleText(text, &error);
  EXPECT_TRUE(module.has_value()) << error;
  return module ? std::move(*module) : Module{};
}

Tensor Iota(DType dtype, Shape shape, double scale = 1) {
  std::vector<double> values(static_cast<size_t>(NumElements(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i) * scale;
  return Tensor::FromValues(dtype, std::move(shape), values);
}

std::string RunError(const Module& m, const std::vector<Tensor>& inputs) {
  std::string error;
  EXPECT_FALSE(RunFunction(m, m.functions.front(), inputs, &error).has_value());
  return error;
}

TEST(LoopInterpreterTest, MatmulComputesTheProduct) {
  Module m = MustParse(
      "kernel @mm(%a: f32[2, 3], %b: f32[3, 2]) -> (%c: f32[2, 2]) {\n"
      "  for i in 0..2 {\n    for j in 0..2 {\n      %c[i, j] = 0.0\n"
      "      for k in 0..3 {\n        %c[i, j] = %c[i, j] + %a[i, k] * %b[k, j]\n      }\n"
      "    }\n  }\n}\n");
  std::string error;
  auto out = RunFunction(m, m.functions[0], {Iota(DType::kF32, {2, 3}), Iota(DType::kF32, {3, 2})},
                         &error);
  ASSERT_TRUE(out) << error;
  // [[0 1 2] [3 4 5]] @ [[0 1] [2 3] [4 5]] = [[10 13] [28 40]]
  EXPECT_EQ((*out)[0].Get(0), 10);
  EXPECT_EQ((*out)[0].Get(1), 13);
  EXPECT_EQ((*out)[0].Get(2), 28);
  EXPECT_EQ((*out)[0].Get(3), 40);
}

TEST(LoopInterpreterTest, IntegerArithmeticFollowsTheSsaOps) {
  Module m = MustParse(
      "kernel @k(%x: i32[4]) -> (%y: i32[4, 4]) {\n  for i in 0..4 {\n"
      "    %y[0, i] = (%x[i] - 2) / 3\n    %y[1, i] = (%x[i] - 2) % 3\n"
      "    %y[2, i] = floor_div(%x[i] - 2, 3)\n    %y[3, i] = floor_mod(%x[i] - 2, 3)\n"
      "  }\n}\n");
  std::string error;
  Tensor x = Tensor::FromValues(DType::kI32, {4}, {-5, 0, 2, 7});
  auto out = RunFunction(m, m.functions[0], {x}, &error);
  ASSERT_TRUE(out) << error;
  // x - 2 = -7, -2, 0, 5
  std::vector<double> expected = {-2, 0, 0, 1, -1, -2, 0, 2, -3, -1, 0, 1, 2, 1, 0, 2};
  for (int i = 0; i < 16; ++i) EXPECT_EQ((*out)[0].Get(i), expected[static_cast<size_t>(i)]) << i;
}

TEST(LoopInterpreterTest, F32ExpressionsRoundAtEveryOp) {
  // 16777216 + 1 is not an f32, so (x + 1) - x is 0 in f32 arithmetic (it would be 1 in double).
  Module m = MustParse(
      "kernel @k(%x: f32[1]) -> (%y: f32[1]) {\n  %y[0] = %x[0] + 1.0 - %x[0]\n}\n");
  std::string error;
  auto out = RunFunction(m, m.functions[0], {Tensor::FromValues(DType::kF32, {1}, {16777216})}, &error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ((*out)[0].Get(0), 0);
}

TEST(LoopInterpreterTest, OutOfBoundsNamesBufferSubscriptsAndLoops) {
  Module m = MustParse(
      "kernel @k(%x: f32[4, 8]) -> (%y: f32[4, 8]) {\n  for i in 0..4 {\n    for j in 0..8 {\n"
      "      %y[i, j] = %x[i + j / 7, j]\n    }\n  }\n}\n");
  EXPECT_EQ(RunError(m, {Iota(DType::kF32, {4, 8})}),
            "@k: load %x[4, 7] is outside f32[4, 8] (i = 3, j = 7)");
}

TEST(LoopInterpreterTest, ReadingUnwrittenMemoryIsAnError) {
  // The reduction forgot its initialization: %c is read before anything wrote it.
  Module m = MustParse(
      "kernel @k(%a: f32[2, 3]) -> (%c: f32[2]) {\n  for i in 0..2 {\n    for r in 0..3 {\n"
      "      %c[i] = %c[i] + %a[i, r]\n    }\n  }\n}\n");
  EXPECT_EQ(RunError(m, {Iota(DType::kF32, {2, 3})}),
            "@k: load %c[0] reads memory nothing has written (i = 0, r = 0)");
}

TEST(LoopInterpreterTest, AnOutputLeftUnwrittenIsAnError) {
  Module m = MustParse("kernel @k() -> (%y: f32[3]) {\n  for i in 0..2 {\n    %y[i] = 1.0\n  }\n}\n");
  EXPECT_EQ(RunError(m, {}), "@k: output %y[2] was never written");
}

TEST(LoopInterpreterTest, IntegerDivisionByZeroIsAnError) {
  Module m = MustParse("kernel @k(%x: i32[2]) -> (%y: i32[2]) {\n  for i in 0..2 {\n"
                       "    %y[i] = 6 / %x[i]\n  }\n}\n");
  EXPECT_EQ(RunError(m, {Tensor::FromValues(DType::kI32, {2}, {3, 0})}),
            "@k: integer division by zero (i = 1)");
}

TEST(LoopInterpreterTest, HostViewsShareTheArenaAndOutputsStartUnwritten) {
  // @twice writes its output in place of its input (the memory plan's reuse), so reading its
  // input is allowed; @stale reads its output before writing it, and the arena's old bytes
  // (written by @twice) must not hide that.
  Module m = MustParse(
      "kernel @twice(%a: f32[2]) -> (%b: f32[2]) {\n  for i in 0..2 {\n    %b[i] = %a[i] * 2.0\n  }\n}\n"
      "\n"
      "kernel @copy(%a: f32[2]) -> (%b: f32[2]) {\n  for i in 0..2 {\n    %b[i] = %a[i]\n  }\n}\n"
      "\n"
      "func @main(%x: f32[2]) -> (%y: f32[2]) {\n  allocate %arena: i8[16]\n"
      "  view %t: f32[2] = %arena[0]\n  call @copy(%x, %t)\n  call @twice(%t, %t)\n"
      "  call @twice(%t, %y)\n}\n");
  std::string error;
  auto out = RunModule(m, {Tensor::FromValues(DType::kF32, {2}, {1, 2})}, &error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ(out->Get(0), 4);
  EXPECT_EQ(out->Get(1), 8);

  Module stale = MustParse(
      "kernel @stale(%a: f32[2]) -> (%b: f32[2]) {\n  for i in 0..2 {\n    %b[i] = %b[i] + %a[i]\n  }\n}\n"
      "\n"
      "kernel @copy(%a: f32[2]) -> (%b: f32[2]) {\n  for i in 0..2 {\n    %b[i] = %a[i]\n  }\n}\n"
      "\n"
      "func @main(%x: f32[2]) -> (%y: f32[2]) {\n  allocate %arena: i8[16]\n"
      "  view %t: f32[2] = %arena[0]\n  view %u: f32[2] = %arena[8]\n"
      "  call @copy(%x, %u)\n  call @copy(%x, %t)\n  call @stale(%t, %u)\n  call @copy(%u, %y)\n}\n");
  EXPECT_FALSE(RunModule(stale, {Tensor::FromValues(DType::kF32, {2}, {1, 2})}, &error));
  EXPECT_EQ(error, "@stale: load %b[0] reads memory nothing has written (i = 0)");
}

}  // namespace
}  // namespace tessel::loops
