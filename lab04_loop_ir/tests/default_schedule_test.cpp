// lab04.t5: the default scheduler. Its steps must apply and keep every kernel's results, and
// they must give the schedule a kernel of each kind needs: parallel outer loops, vectorized
// contiguous inner loops, the reduction moved out of the innermost loop.
#include "lab04_loop_ir/tests/lab04_test_util.h"
#include "stages/loops/cost_model.h"
#include "stages/loops/primitives.h"

namespace tessel::lab04 {
namespace {

std::string Steps(const loops::Function& f) {
  std::string text;
  for (const loops::Step& step : loops::DefaultSchedule(f)) text += loops::FormatStep(step) + "\n";
  return text;
}

// The default schedule of the first function of `text`: it applies and keeps the results.
loops::Module Scheduled(const std::string& text) {
  loops::Module m = ParseLoops(text);
  if (m.functions.empty()) return m;
  std::string steps = Steps(m.functions[0]);
  return ExpectScheduleKeepsResults(text, steps);
}

TEST(DefaultScheduleTest, MatmulRunsIKJWithJVectorizedAndIParallel) {
  loops::Module m = Scheduled(Matmul(32, 64, 48));
  ExpectChecks(m, R"(
    CHECK: parallel for i in 0..32 {
    CHECK: %C[i, {{.*}}] = 0.0
    CHECK: for k in 0..48 {
    CHECK: vectorized for {{.*}} in 0..8 {
    CHECK-NEXT: %C[i, [[J:.*]]] = %C[i, [[J]]] + %A[i, k] * %B[k, [[J]]]
  )");
}

TEST(DefaultScheduleTest, TheStepsAreTextThatParsesBack) {
  loops::Module m = ParseLoops(Matmul(16, 16, 16));
  std::string steps = Steps(m.functions[0]);
  EXPECT_NE(steps.find("distribute j"), std::string::npos) << steps;
  EXPECT_NE(steps.find("parallel i"), std::string::npos) << steps;
  EXPECT_NE(steps.find("vectorize"), std::string::npos) << steps;
  EXPECT_EQ(loops::ApplyScheduleText(m, "matmul", steps), "");
}

TEST(DefaultScheduleTest, ALargeReusedOperandIsTiledAndPacked) {
  // %B is 256 x 64 floats (64 KiB): strips of 32 columns, chunks of 128 rows, each chunk of
  // %B packed into a 16 KiB buffer every row of %A reuses.
  loops::Module m = Scheduled(Matmul(16, 64, 256));
  ExpectChecks(m, R"(
    CHECK: allocate %[[P:[A-Za-z0-9._]+]]: f32[128, 32]
    CHECK: for [[JO:[a-z.0-9]+]] in 0..2 {
    CHECK-NEXT: for [[KO:[a-z.0-9]+]] in 0..2 {
    CHECK: %[[P]][{{.*}}] = %B[
    CHECK: parallel for i.1 in 0..16 {
    CHECK: * %[[P]][
  )");
}

TEST(DefaultScheduleTest, SmallOperandsAreNotTiled) {
  loops::Module m = Scheduled(Matmul(4, 64, 64));  // %B is 16 KiB: half the L1
  ExpectChecks(m, "CHECK-NOT: allocate");
}

TEST(DefaultScheduleTest, ElementwiseKernelsAreParallelAndVectorized) {
  loops::Module m = Scheduled(
      "kernel @k(%x: f32[6, 32], %b: f32[32]) -> (%y: f32[6, 32]) {\n  for i0 in 0..6 {\n"
      "    for i1 in 0..32 {\n      %y[i0, i1] = relu(%x[i0, i1] + %b[i1])\n    }\n  }\n}\n");
  ExpectChecks(m, "CHECK: parallel for i0 in 0..6 {\nCHECK: vectorized for {{.*}} in 0..8 {");
}

TEST(DefaultScheduleTest, ShortAndRaggedInnerLoops) {
  loops::Module small = Scheduled(
      "kernel @k(%x: f32[5, 4]) -> (%y: f32[5, 4]) {\n  for i0 in 0..5 {\n    for i1 in 0..4 {\n"
      "      %y[i0, i1] = %x[i0, i1] * 2.0\n    }\n  }\n}\n");
  ExpectChecks(small, "CHECK: vectorized for i1 in 0..4 {");
  loops::Module ragged = Scheduled(
      "kernel @k(%x: f32[3, 20]) -> (%y: f32[3, 20]) {\n  for i0 in 0..3 {\n    for i1 in 0..20 {\n"
      "      %y[i0, i1] = %x[i0, i1] * 2.0\n    }\n  }\n}\n");
  ExpectChecks(ragged, "CHECK: vectorized for {{.*}} in 0..8 {\nCHECK-NEXT: if ");
}

TEST(DefaultScheduleTest, AReductionOverTheInnermostAxisIsNotVectorized) {
  loops::Module m = Scheduled(
      "kernel @k(%x: f32[8, 16]) -> (%y: f32[8]) {\n  for i0 in 0..8 {\n    %y[i0] = 0.0\n"
      "    for r0 in 0..16 {\n      %y[i0] = %y[i0] + %x[i0, r0]\n    }\n  }\n}\n");
  ExpectChecks(m, "CHECK: parallel for i0 in 0..8 {\nCHECK-NOT: vectorized");
}

TEST(DefaultScheduleTest, ANestThatCannotRunInParallelStaysSerial) {
  std::string scan =
      "kernel @k(%x: f32[8]) -> (%y: f32[8]) {\n  %y[0] = %x[0]\n  for t in 0..7 {\n"
      "    %y[t + 1] = %y[t] + %x[t + 1]\n  }\n}\n";
  loops::Module m = Scheduled(scan);
  ExpectChecks(m, "CHECK-NOT: parallel\nCHECK-NOT: vectorized");
}

// Graded by the cost model on the grading target (L1 32 KiB, 8-way): the default schedule of a
// 128^3 GEMM against the naive loops, and against the reference solution's default schedule,
// which has 7767 L1 misses (%B packed in strips). Within 1.5x of the reference passes.
TEST(DefaultScheduleCostTest, Gemm128MissesWithinOneAndAHalfTimesTheReference) {
  constexpr int64_t kReferenceL1Misses = 7767;
  loops::Module naive = ParseLoops(Matmul(128, 128, 128));
  loops::Module scheduled = Scheduled(Matmul(128, 128, 128));
  ASSERT_FALSE(naive.functions.empty() || scheduled.functions.empty());
  std::vector<Tensor> inputs = Inputs(naive.functions[0], 0);
  std::string error;
  auto before = loops::MeasureCost(naive, naive.functions[0], inputs, loops::GradingTarget(), &error);
  auto after = loops::MeasureCost(scheduled, scheduled.functions[0], inputs, loops::GradingTarget(), &error);
  ASSERT_TRUE(before && after) << error;
  int64_t naive_misses = before->total.misses[0], misses = after->total.misses[0];
  RecordProperty("l1_misses", std::to_string(misses));
  EXPECT_LE(misses * 2, kReferenceL1Misses * 3)
      << "the default schedule's L1 misses: " << misses << ", the reference's " << kReferenceL1Misses
      << " (naive loops: " << naive_misses << ")\n" << loops::FormatCostReport(*after);
  EXPECT_GE(naive_misses, 100 * misses) << "naive " << naive_misses << ", scheduled " << misses;
  ExpectClose(after->outputs[0], before->outputs[0], "the scheduled GEMM");
}

class DefaultScheduleExampleTest : public ::testing::TestWithParam<std::string> {};

// Every kernel of every example: the default schedule applies and keeps the results.
TEST_P(DefaultScheduleExampleTest, EveryKernelKeepsItsResults) {
  auto ir = Example(GetParam());
  ASSERT_TRUE(ir);
  for (const auto& f : ir->functions()) {
    if (!f->kernel()) continue;
    loops::Module lowered = LowerOne(*ir, f->name());
    if (lowered.functions.empty()) continue;
    std::vector<Tensor> before = RunFirst(lowered, 2);
    std::string steps = Steps(lowered.functions[0]);
    EXPECT_EQ(loops::ApplyScheduleText(lowered, f->name(), steps), "") << steps;
    ExpectVerifies(lowered);
    std::vector<Tensor> after = RunFirst(lowered, 2);
    ASSERT_EQ(after.size(), before.size());
    for (size_t i = 0; i < after.size(); ++i) ExpectClose(after[i], before[i], "@" + f->name() + " scheduled");
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, DefaultScheduleExampleTest, ::testing::ValuesIn(ExampleNames()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace tessel::lab04
