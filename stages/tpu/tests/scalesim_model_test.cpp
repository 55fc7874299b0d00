// The SCALE-Sim closed form against numbers worked out by hand, and the timing
// simulator's compatible mode against the closed form on fold-by-fold programs.
#include "stages/tpu/scalesim_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stages/tpu/assembler.h"
#include "stages/tpu/tests/timing_test_util.h"
#include "stages/tpu/tests/tpu_test_util.h"
#include "stages/tpu/timing_sim.h"

namespace tessel::tpu {
namespace {

constexpr Dataflow kWs = Dataflow::kWeightStationary;
constexpr Dataflow kOs = Dataflow::kOutputStationary;

// Utilization in percent, rounded to 2 decimals as SCALE-Sim's report prints it.
double Percent2(double fraction) { return std::round(fraction * 10000.0) / 100.0; }

struct HandCase {
  GemmShape shape;
  int64_t side;  // a square array
  Dataflow dataflow;
  int64_t cycles;
  double utilization_percent;
};

// Worked by hand from the formulas (docs/tpu.md, "Timing"), e.g. 64^3 on 8x8 ws:
// 8 x 8 = 64 folds of 2*8 + 8 + 64 - 2 = 86 cycles, 64 * 86 - 1 = 5503, and
// 262144 MACs / (5503 * 64) = 74.43 %.
const HandCase kHandCases[] = {
    {{8, 8, 8}, 8, kWs, 29, 27.59},      {{64, 64, 64}, 8, kWs, 5503, 74.43},
    {{64, 64, 64}, 8, kOs, 4991, 82.07}, {{64, 64, 64}, 32, kWs, 631, 40.57},
    {{64, 64, 64}, 32, kOs, 503, 50.89},
};

TEST(ScaleSimModelTest, MatchesHandComputedCyclesAndUtilization) {
  for (const HandCase& c : kHandCases) {
    ScaleSimReport r = ScaleSimGemm(c.shape, c.side, c.side, c.dataflow);
    SCOPED_TRACE(std::to_string(c.shape.m) + "^3 on " + std::to_string(c.side) + "x" +
                 std::to_string(c.side) + " " + std::string(DataflowName(c.dataflow)));
    EXPECT_EQ(r.total_cycles, c.cycles);
    EXPECT_DOUBLE_EQ(Percent2(r.utilization), c.utilization_percent);
    EXPECT_DOUBLE_EQ(r.mapping_efficiency, 1.0);  // every size divides the array
  }
}

TEST(ScaleSimModelTest, PartialFoldsLowerMappingEfficiency) {
  // K = 10 on 8 rows: row folds use 8 and 2 rows; N = 5 of 8 columns.
  ScaleSimReport r = ScaleSimGemm({3, 10, 5}, 8, 8, kWs);
  EXPECT_EQ(r.folds, 2);
  EXPECT_EQ(r.cycles_per_fold, 2 * 8 + 8 + 3 - 2);
  EXPECT_EQ(r.total_cycles, 2 * 25 - 1);
  EXPECT_DOUBLE_EQ(r.mapping_efficiency, (8.0 * 5 + 2.0 * 5) / (2 * 64));
}

TimingCounters RunCompatible(const std::vector<Instr>& program, const TpuTarget& target);

TEST(CompatibleTimingTest, OutputStationaryMatmulTallerThanTheArrayIsSeveralFolds) {
  // 40 rows of outputs on 16 array rows: 3 output blocks of R + C + K - 2 = 40 cycles.
  std::vector<Instr> program = AssembleOrFail(
      "config dataflow=os, dtype=int8\n"
      "loadw wb[0], rows=10, cols=16, stride=16\n"
      "matmul acc[0], ub[0], rows=40, stride=10, swap\n"
      "halt\n");
  TimingCounters c = RunCompatible(program, TpuTarget::Default16x16());
  ScaleSimReport want = ScaleSimGemm({40, 10, 16}, 16, 16, kOs);
  EXPECT_EQ(want.total_cycles, 3 * 40 - 1);
  EXPECT_EQ(c.cycles, want.total_cycles);
  EXPECT_EQ(c.folds, 3);
  EXPECT_DOUBLE_EQ(c.mapping_efficiency, want.mapping_efficiency);
}

TimingCounters RunCompatible(const std::vector<Instr>& program, const TpuTarget& target) {
  std::string error;
  std::optional<TimingResult> r =
      SimulateTiming(target, program, {TimingMode::kCompatible, false}, &error);
  EXPECT_TRUE(r) << error << "\n" << DisassembleProgram(program);
  return r ? r->counters : TimingCounters{};
}

TEST(CompatibleTimingTest, FoldByFoldProgramsReproduceTheHandTable) {
  for (const HandCase& c : kHandCases) {
    TpuTarget target = TpuTarget::Default16x16();
    target.rows = target.cols = static_cast<uint32_t>(c.side);
    TimingCounters counters = RunCompatible(FoldByFoldGemm(c.shape, target, c.dataflow), target);
    EXPECT_EQ(counters.cycles, c.cycles);
    EXPECT_DOUBLE_EQ(Percent2(Utilization(counters, target)), c.utilization_percent);
  }
}

// The property: for any shape, array and dataflow, a fold-by-fold program in
// compatible mode takes exactly ScaleSimGemm's cycles, whatever DMA, ACT and STORE it
// also does (SCALE-Sim does not time them), and reports the same MACs, folds and
// mapping efficiency. The five cycle classes always add up to the total.
TEST(CompatibleTimingTest, RandomGemmsMatchTheClosedForm) {
  std::mt19937 rng(2024);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 300; ++trial) {
    GemmShape shape{pick(1, 70), pick(1, 70), pick(1, 70)};
    TpuTarget target = TpuTarget::Default16x16();
    target.rows = pick(1, 20);
    target.cols = pick(1, 20);
    Dataflow df = pick(0, 1) ? kWs : kOs;
    FoldProgramOptions o{pick(0, 1) == 1, pick(0, 1) == 1, pick(1, 4), pick(0, 1) == 1,
                         pick(0, 1) == 1};
    std::vector<Instr> program = FoldByFoldGemm(shape, target, df, o);
    ScaleSimReport want = ScaleSimGemm(shape, target.rows, target.cols, df);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + std::to_string(shape.m) + "x" +
                 std::to_string(shape.k) + "x" + std::to_string(shape.n) + " on " +
                 std::to_string(target.rows) + "x" + std::to_string(target.cols) + " " +
                 std::string(DataflowName(df)));
    TimingCounters got = RunCompatible(program, target);
    ASSERT_EQ(got.cycles, want.total_cycles) << DisassembleProgram(program);
    EXPECT_EQ(got.macs, want.macs);
    EXPECT_EQ(got.folds, want.folds);
    EXPECT_NEAR(got.mapping_efficiency, want.mapping_efficiency, 1e-12);
    EXPECT_EQ(got.array_active_cycles + got.weight_shift_cycles + got.weight_stall_cycles +
                  got.dependency_stall_cycles + got.non_matrix_cycles,
              got.cycles);
  }
}

}  // namespace
}  // namespace tessel::tpu
