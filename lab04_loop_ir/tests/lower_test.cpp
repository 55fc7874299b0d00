// lab04.t1: lowering kernels to loop nests. Each test lowers one kernel of the kernel form and
// runs it in the loop-IR interpreter against the SSA interpreter on the same seeded inputs;
// FileCheck lines pin the structure where it matters (one nest, the epilogue's place).
#include "lab04_loop_ir/tests/lab04_test_util.h"

namespace tessel::lab04 {
namespace {

std::unique_ptr<ir::Module> Kernel(const std::string& signature, const std::string& body) {
  return ParseIr("func @k" + signature + " {\nentry:\n" + body + "}\n");
}

// ------------------------------------------------------------ pointwise

TEST(LowerPointwiseTest, UnaryOpsBecomeOneStoreInANest) {
  auto m = Kernel("(%x: f32[3, 5]) -> f32[3, 5]", "  %0 = exp %x : f32[3, 5]\n  %1 = neg %0 : f32[3, 5]\n  ret %1\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, R"(
    CHECK: kernel @k(%x: f32[3, 5]) -> (%1: f32[3, 5]) {
    CHECK-NEXT: for i0 in 0..3 {
    CHECK-NEXT: for i1 in 0..5 {
    CHECK-NEXT: %1[i0, i1] = -exp(%x[i0, i1])
  )");
}

TEST(LowerPointwiseTest, BroadcastReadsElementZeroOfSizeOneDimensions) {
  auto m = Kernel("(%x: f32[4, 3], %r: f32[3], %c: f32[4, 1], %s: f32) -> f32[4, 3]",
                  "  %0 = add %x, %r : f32[4, 3]\n  %1 = mul %0, %c : f32[4, 3]\n"
                  "  %2 = sub %1, %s : f32[4, 3]\n  ret %2\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: %2[i0, i1] = (%x[i0, i1] + %r[i1]) * %c[i0, 0] - %s[]");
}

TEST(LowerPointwiseTest, ComparisonsAndSelectKeepTheirDtypes) {
  auto m = Kernel("(%x: f32[6], %y: f32[6]) -> f32[6]",
                  "  %0 = lt %x, %y : bool[6]\n  %1 = select %0, %x, %y : f32[6]\n"
                  "  %2 = cast %0 : f32[6]\n  %3 = add %1, %2 : f32[6]\n  ret %3\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerPointwiseTest, IntegerDivisionAndModuloKeepTheirRounding) {
  auto m = Kernel("(%x: i32[8], %y: i32[8]) -> i32[8]",
                  "  %0 = floor_div %x, %y : i32[8]\n  %1 = mod %x, %y : i32[8]\n"
                  "  %2 = floor_mod %0, %y : i32[8]\n  %3 = add %1, %2 : i32[8]\n  ret %3\n");
  loops::Module lowered = LowerOne(*m, "k");
  Tensor x = Tensor::FromValues(DType::kI32, {8}, {-7, -6, -1, 0, 1, 5, 7, 9});
  Tensor y = Tensor::FromValues(DType::kI32, {8}, {2, 4, 3, -5, 2, -3, 3, 4});
  std::string error;
  auto expected = ir::Interpret(*m, *m->FindFunction("k"), {x, y}, &error);
  auto actual = loops::RunFunction(lowered, lowered.functions[0], {x, y}, &error);
  ASSERT_TRUE(expected && actual) << error;
  ExpectClose(actual->front(), *expected, "integer division");
}

TEST(LowerPointwiseTest, ReshapeFlattensAndUnflattensTheIndex) {
  auto m = Kernel("(%x: f32[4, 6]) -> f32[3, 8]", "  %0 = reshape %x : f32[2, 12]\n"
                  "  %1 = exp %0 : f32[2, 12]\n  %2 = reshape %1 : f32[3, 8]\n  ret %2\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerPointwiseTest, TransposePermutesTheIndex) {
  auto m = Kernel("(%x: f32[2, 3, 4]) -> f32[4, 2, 3]",
                  "  %0 = transpose %x {perm = [2, 0, 1]} : f32[4, 2, 3]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: %0[i0, i1, i2] = %x[i1, i2, i0]");
}

TEST(LowerPointwiseTest, SliceWithStepsIsAffine) {
  auto m = Kernel("(%x: f32[10, 9]) -> f32[3, 4]",
                  "  %0 = slice %x {begin = [1, 0], end = [10, 8], step = [3, 2]} : f32[3, 4]\n  ret %0\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerPointwiseTest, PadSelectsTheValueOutsideAndNeverReadsOutOfBounds) {
  auto m = Kernel("(%x: f32[3, 4]) -> f32[6, 5]",
                  "  %0 = pad %x {low = [1, 0], high = [2, 1], value = -2.5} : f32[6, 5]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: select({{.*}}, -2.5)");
}

TEST(LowerPointwiseTest, ConcatChoosesItsOperandByTheAxisIndex) {
  auto m = Kernel("(%a: f32[2, 3], %b: f32[2, 1], %c: f32[2, 4]) -> f32[2, 8]",
                  "  %0 = concat %a, %b, %c {axis = 1} : f32[2, 8]\n  ret %0\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerPointwiseTest, TakeWithAConstantAndARuntimeIndex) {
  auto m = Kernel("(%x: f32[3, 4], %i: i32) -> f32[4]",
                  "  %0 = constant 2 : i32\n  %1 = take %x, %0 : f32[4]\n  %2 = take %x, %i : f32[4]\n"
                  "  %3 = sub %1, %2 : f32[4]\n  ret %3\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: %3[i0] = %x[2, i0] - %x[%i[], i0]");
}

TEST(LowerPointwiseTest, UpdateSliceClampsItsStartsAsXlaDoes) {
  auto m = Kernel("(%x: f32[5, 4], %u: f32[2, 3], %r: i32, %c: i32) -> f32[5, 4]",
                  "  %0 = update_slice %x, %u, %r, %c : f32[5, 4]\n  ret %0\n");
  loops::Module lowered = LowerOne(*m, "k");
  for (int start : {-3, 0, 2, 9}) {
    std::vector<Tensor> in = Inputs(lowered.functions[0], 0);
    in[2] = Tensor::Scalar(DType::kI32, start);
    in[3] = Tensor::Scalar(DType::kI32, start / 2);
    std::string error;
    auto expected = ir::Interpret(*m, *m->FindFunction("k"), in, &error);
    auto actual = loops::RunFunction(lowered, lowered.functions[0], in, &error);
    ASSERT_TRUE(expected && actual) << error;
    ExpectClose(actual->front(), *expected, "update_slice at " + std::to_string(start));
  }
}

TEST(LowerPointwiseTest, BroadcastOpAndScalarConstants) {
  auto m = Kernel("(%x: f32[3]) -> f32[2, 3]",
                  "  %0 = broadcast %x : f32[2, 3]\n  %1 = constant 0.5 : f32\n"
                  "  %2 = mul %0, %1 : f32[2, 3]\n  ret %2\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: %2[i0, i1] = %x[i1] * 0.5");
}

TEST(LowerPointwiseTest, TensorConstantsBecomeModuleConstants) {
  auto m = Kernel("(%x: f32[2, 2]) -> f32[2, 2]",
                  "  %0 = constant [[1.0, 2.0], [3.0, 4.5]] : f32[2, 2]\n"
                  "  %1 = constant [7.0, 7.0] : f32[2]\n  %2 = add %x, %0 : f32[2, 2]\n"
                  "  %3 = mul %2, %1 : f32[2, 2]\n  ret %3\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ASSERT_EQ(lowered.constants.size(), 1u) << "a constant of one repeated value is a number";
  ExpectChecks(lowered, "CHECK: const %{{.*}}: f32[2, 2] = [1.0, 2.0, 3.0, 4.5]\nCHECK: * 7.0");
}

TEST(LowerPointwiseTest, ComprehensionBodiesReadTheirOperandsAtComputedIndices) {
  auto m = Kernel("(%x: f32[4, 6]) -> f32[6, 3]",
                  "  %0 = comprehension(%x) [a: 0..6, b: 0..3] assign [] (add (read %x b a) "
                  "(read %x (add b 1) (sub 5 a))) : f32[6, 3]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: for a in 0..6 {\nCHECK-NEXT: for b in 0..3 {");
}

// ----------------------------------------------------------- reductions

TEST(LowerReductionTest, ReduceSumIsAnInitializationAndAnUpdate) {
  auto m = Kernel("(%x: f32[3, 5]) -> f32[3, 1]",
                  "  %0 = reduce_sum %x {axes = [1], keepdims = true} : f32[3, 1]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, R"(
    CHECK: for i0 in 0..3 {
    CHECK-NEXT: for i1 in 0..1 {
    CHECK-NEXT: %0[i0, i1] = 0.0
    CHECK-NEXT: for r0 in 0..5 {
    CHECK-NEXT: %0[i0, i1] = %0[i0, i1] + %x[i0, r0]
  )");
}

TEST(LowerReductionTest, SeveralAxesWithoutKeepdims) {
  auto m = Kernel("(%x: f32[2, 3, 4, 5]) -> f32[3, 5]",
                  "  %0 = reduce_prod %x {axes = [0, 2]} : f32[3, 5]\n  ret %0\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerReductionTest, MaxMinAndMeanOnFloatsAndIntegers) {
  auto m = Kernel("(%x: f32[4, 6], %n: i32[4, 6]) -> f32[4]",
                  "  %0 = reduce_max %x {axes = [1]} : f32[4]\n  %1 = reduce_mean %x {axes = [1]} : f32[4]\n"
                  "  %2 = reduce_min %n {axes = [1]} : i32[4]\n  %3 = reduce_max %n {axes = [1]} : i32[4]\n"
                  "  %4 = sub %2, %3 : i32[4]\n  %5 = cast %4 : f32[4]\n  %6 = add %0, %1 : f32[4]\n"
                  "  %7 = add %6, %5 : f32[4]\n  ret %7\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerReductionTest, ArgmaxTakesTheFirstOfTiesAndNan) {
  auto m = Kernel("(%x: f32[3, 4]) -> i32[3]", "  %0 = argmax %x {axes = [1]} : i32[3]\n  ret %0\n");
  loops::Module lowered = LowerOne(*m, "k");
  double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = Tensor::FromValues(DType::kF32, {3, 4}, {1, 5, 5, 2, nan, 1, nan, 3, -1, -1, -1, -1});
  std::string error;
  auto actual = loops::RunFunction(lowered, lowered.functions[0], {x}, &error);
  ASSERT_TRUE(actual) << error;
  EXPECT_EQ(actual->front().Get(0), 1);
  EXPECT_EQ(actual->front().Get(1), 0);
  EXPECT_EQ(actual->front().Get(2), 0);
  ExpectLoweringMatches(*m, "k", 3);
}

TEST(LowerReductionTest, MatmulLoopsAreIJK) {
  auto m = Kernel("(%a: f32[5, 7], %b: f32[7, 3]) -> f32[5, 3]",
                  "  %0 = matmul %a, %b : f32[5, 3]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, R"(
    CHECK: for i in 0..5 {
    CHECK-NEXT: for j in 0..3 {
    CHECK-NEXT: %0[i, j] = 0.0
    CHECK-NEXT: for k in 0..7 {
    CHECK-NEXT: %0[i, j] = %0[i, j] + %a[i, k] * %b[k, j]
  )");
}

TEST(LowerReductionTest, BatchedMatmulBroadcastsItsBatchDimensions) {
  auto m = Kernel("(%a: f32[2, 1, 3, 4], %b: f32[3, 4, 5]) -> f32[2, 3, 3, 5]",
                  "  %0 = matmul %a, %b : f32[2, 3, 3, 5]\n  ret %0\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerReductionTest, MatmulWithVectors) {
  auto m = Kernel("(%v: f32[4], %b: f32[4, 3], %a: f32[2, 4]) -> f32[2]",
                  "  %0 = matmul %v, %b : f32[3]\n  %1 = matmul %a, %v : f32[2]\n"
                  "  %2 = reduce_sum %0 {axes = [0]} : f32\n  %3 = add %1, %2 : f32[2]\n  ret %3\n");
  ExpectLoweringMatches(*m, "k");
}

TEST(LowerReductionTest, ConvolutionComprehensionWithOffsetRanges) {
  auto m = Kernel("(%x: f32[1, 2, 6, 6], %w: f32[3, 2, 3, 3]) -> f32[1, 3, 4, 4]",
                  "  %0 = comprehension(%x, %w) [n: 0..1, o: 0..3, h: 0..4, v: 0..4] sum "
                  "[c: 0..2, r: 1..4, s: 0..3] (mul (read %x n c (sub (add h r) 1) (add v s)) "
                  "(read %w o c (sub r 1) s)) : f32[1, 3, 4, 4]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: for r in 0..3 {");
}

TEST(LowerReductionTest, MaxComprehensionStartsFromMinusInfinity) {
  auto m = Kernel("(%x: f32[4, 4]) -> f32[2, 2]",
                  "  %0 = comprehension(%x) [a: 0..2, b: 0..2] max [p: 0..2, q: 0..2] "
                  "(read %x (add (mul a 2) p) (add (mul b 2) q)) : f32[2, 2]\n  ret %0\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "k");
  ExpectChecks(lowered, "CHECK: %0[a, b] = -inf");
}

// --------------------------------------------------------- whole kernels

TEST(LowerKernelTest, TheEpilogueRunsInTheReductionsNestAfterItsLoops) {
  auto m = ParseIr(
      "kernel @fused(%h: f32[4, 8], %w: f32[8, 6], %b: f32[6]) -> f32[4, 6] "
      "{pattern = out_fusable, anchor = matmul} {\nentry:\n"
      "  %0 = matmul %h, %w : f32[4, 6]\n  %1 = add %0, %b : f32[4, 6]\n"
      "  %z = relu %1 : f32[4, 6]\n  ret %z\n}\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "fused");
  ExpectChecks(lowered, R"(
    CHECK: kernel @fused(%h: f32[4, 8], %w: f32[8, 6], %b: f32[6]) -> (%z: f32[4, 6]) {
    CHECK-NOT: allocate
    CHECK: for j in 0..6 {
    CHECK-NEXT: %z[i, j] = 0.0
    CHECK-NEXT: for k in 0..8 {
    CHECK-NEXT: %z[i, j] = %z[i, j] + %h[i, k] * %w[k, j]
    CHECK-NEXT: }
    CHECK-NEXT: %z[i, j] = relu(%z[i, j] + %b[j])
  )");
}

TEST(LowerKernelTest, ElementwiseProducersAreInlinedIntoTheReduction) {
  auto m = ParseIr(
      "kernel @fused(%x: f32[3, 5], %m: f32[3, 1]) -> f32[3, 1] "
      "{pattern = reduction, anchor = reduce_sum} {\nentry:\n"
      "  %0 = sub %x, %m : f32[3, 5]\n  %1 = exp %0 : f32[3, 5]\n"
      "  %2 = reduce_sum %1 {axes = [1], keepdims = true} : f32[3, 1]\n  ret %2\n}\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "fused");
  ExpectChecks(lowered, "CHECK-NOT: allocate\nCHECK: %2[i0, i1] = %2[i0, i1] + exp(%x[i0, r0] - %m[i0, 0])");
}

TEST(LowerKernelTest, AnEpilogueReadingTheReductionElsewhereGetsItsOwnNest) {
  auto m = ParseIr(
      "kernel @fused(%a: f32[4, 3], %b: f32[3, 4]) -> f32[4, 4] "
      "{pattern = out_fusable, anchor = matmul} {\nentry:\n"
      "  %0 = matmul %a, %b : f32[4, 4]\n  %1 = transpose %0 {perm = [1, 0]} : f32[4, 4]\n"
      "  %2 = add %0, %1 : f32[4, 4]\n  ret %2\n}\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "fused");
  ExpectChecks(lowered, "CHECK: allocate %0: f32[4, 4]\nCHECK: %2[i0, i1] = %0[i0, i1] + %0[i1, i0]");
}

TEST(LowerKernelTest, TwoReductionsInOneKernelEachGetANest) {
  auto m = ParseIr(
      "kernel @fused(%x: f32[2, 6]) -> f32[2, 1] {pattern = reduction, anchor = reduce_sum} {\nentry:\n"
      "  %0 = reduce_max %x {axes = [1], keepdims = true} : f32[2, 1]\n"
      "  %1 = sub %x, %0 : f32[2, 6]\n  %2 = exp %1 : f32[2, 6]\n"
      "  %3 = reduce_sum %2 {axes = [1], keepdims = true} : f32[2, 1]\n  ret %3\n}\n");
  loops::Module lowered = ExpectLoweringMatches(*m, "fused");
  ExpectChecks(lowered, "CHECK: allocate %0\nCHECK: %0[i0, i1] = maximum(\nCHECK: %3[{{.*}}] = %3[{{.*}}] + exp(");
}

TEST(LowerKernelTest, ConvolutionWithBiasAndReluInOneNest) {
  auto m = Example("cnn");
  loops::Module lowered = ExpectLoweringMatches(*m, "fused_comprehension_relu");
  ExpectChecks(lowered, R"(
    CHECK: for n in 0..2 {
    CHECK: for v in 0..24 {
    CHECK-NEXT: %[[OUT:[a-z0-9]+]][n, k, h, v] = 0.0
    CHECK: %[[OUT]][n, k, h, v] = relu(%[[OUT]][n, k, h, v] + %b1[k])
  )");
}

class LowerExampleTest : public ::testing::TestWithParam<std::string> {};

// Every kernel of every example: the lowering verifies and computes what the kernel computes.
TEST_P(LowerExampleTest, EveryKernelOfTheExampleLowersAndMatches) {
  auto m = Example(GetParam());
  ASSERT_TRUE(m);
  int kernels = 0;
  for (const auto& f : m->functions()) {
    if (!f->kernel()) continue;
    ++kernels;
    ExpectLoweringMatches(*m, f->name(), 1);
  }
  EXPECT_GT(kernels, 0);
}

INSTANTIATE_TEST_SUITE_P(Examples, LowerExampleTest, ::testing::ValuesIn(ExampleNames()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace tessel::lab04
