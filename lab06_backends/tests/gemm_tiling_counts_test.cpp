// lab06 task t2, tiling K and N, counted: how MapGemm's programs use the machine.
// Deterministic counts only, never wall-clock time:
//  * a GEMM that fits in one M chunk runs ceil(K/R) * ceil(N/C) weight folds, each a
//    LOADW and one MATMUL of all M rows, and reads A and B from DRAM exactly once;
//  * in the timing simulator's SCALE-Sim-compatible mode its cycles equal SCALE-Sim's
//    closed form (docs/tpu.md §8.1): 64^3 on an 8x8 array is 5503 cycles, and so on for
//    120 random shapes and arrays under both dataflows.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "lab06_backends/tests/lab06_test_util.h"
#include "stages/tpu/scalesim_model.h"

namespace tessel::tpu::lab06 {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

TEST(GemmTilingCountsTest, OneWeightFoldPerTileWhenMFits) {
  for (auto [size, m, k, n] :
       {std::array<int64_t, 4>{8, 64, 64, 64}, {8, 37, 29, 21}, {16, 100, 70, 40}, {4, 3, 10, 9}}) {
    TpuTarget target = Array(uint32_t(size), uint32_t(size));
    std::vector<Instr> program = MapGemm(target, GemmOf(m, k, n));
    const int64_t folds = CeilDiv(k, size) * CeilDiv(n, size);
    EXPECT_EQ(CountOp(program, Opcode::kLoadW), folds) << m << "x" << k << "x" << n;
    EXPECT_EQ(CountOp(program, Opcode::kMatmul), folds) << "one MATMUL of all M rows per fold";
    EXPECT_EQ(CountOp(program, Opcode::kAct), CeilDiv(n, size)) << "one ACT per column tile";
    for (const Instr& in : program) {
      if (in.op == Opcode::kMatmul) {
        EXPECT_EQ(in.rows, m) << "stream all M rows: " << Disassemble(in);
      }
    }
  }
}

TEST(GemmTilingCountsTest, ReadsEachOperandOnceAndWritesCOnce) {
  FunctionalCounters counters;
  GemmProblem p = GemmOf(50, 40, 30);
  ASSERT_EQ(CheckGemm(Array(8, 8), p, 1, &counters), "");
  EXPECT_EQ(counters.dram_bytes_read, p.m * p.k + p.k * p.n);
  EXPECT_EQ(counters.dram_bytes_written, p.m * p.n);
  // MACs as the simulator counts them: rows x k x C per MATMUL (the whole array width).
  EXPECT_EQ(counters.macs, p.m * p.k * 8 * CeilDiv(p.n, 8));
}

TEST(GemmTilingCountsTest, F32MovesFourBytesAnElement) {
  FunctionalCounters counters;
  GemmProblem p = GemmOf(12, 20, 6, TpuDType::kF32);
  ASSERT_EQ(CheckGemm(Array(4, 4), p, 1, &counters), "");
  EXPECT_EQ(counters.dram_bytes_read, 4 * (p.m * p.k + p.k * p.n));
  EXPECT_EQ(counters.dram_bytes_written, 4 * p.m * p.n);
}

TEST(GemmTilingCountsTest, ScaleSim64CubedOn8x8Is5503Cycles) {
  TpuTarget target = Array(8, 8);
  TimingCounters counters =
      Time(target, MapGemm(target, GemmOf(64, 64, 64)), TimingMode::kCompatible);
  EXPECT_EQ(counters.cycles, 5503) << "64 folds of 2*8 + 8 + 64 - 2 = 86 cycles, minus one";
  EXPECT_EQ(counters.folds, 64);
}

TEST(GemmTilingCountsTest, CompatibleModeMatchesScaleSimOnOtherShapes) {
  for (auto [rows, cols, m, k, n] : {std::array<int64_t, 5>{32, 32, 64, 64, 64},
                                     {8, 8, 37, 29, 21},
                                     {16, 8, 100, 70, 40},
                                     {4, 4, 1, 9, 30}}) {
    TpuTarget target = Array(uint32_t(rows), uint32_t(cols));
    TimingCounters counters =
        Time(target, MapGemm(target, GemmOf(m, k, n)), TimingMode::kCompatible);
    ScaleSimReport expected = ScaleSimGemm({m, k, n}, rows, cols, Dataflow::kWeightStationary);
    EXPECT_EQ(counters.cycles, expected.total_cycles)
        << m << "x" << k << "x" << n << " on " << rows << "x" << cols;
    EXPECT_EQ(counters.macs, expected.macs);
  }
}

// The property behind the last two tests, on 120 seeded random shapes and arrays and both
// dataflows: a GEMM whose M fits runs SCALE-Sim's folds, so the compatible timing equals the
// closed form in cycles, MACs, folds, utilization and mapping efficiency.
TEST(GemmTilingCountsTest, CompatibleModeMatchesScaleSimOnRandomShapes) {
  std::mt19937 rng(2017);
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 120; ++trial) {
    const int64_t rows = pick(2, 32), cols = pick(2, 32);
    const int64_t m = pick(1, 150), k = pick(1, 150), n = pick(1, 150);
    const Dataflow dataflow = trial % 2 ? Dataflow::kOutputStationary : Dataflow::kWeightStationary;
    TpuTarget target = Array(uint32_t(rows), uint32_t(cols));
    target.dataflow = dataflow;
    TimingCounters counters =
        Time(target, MapGemm(target, GemmOf(m, k, n)), TimingMode::kCompatible);
    ScaleSimReport expected = ScaleSimGemm({m, k, n}, rows, cols, dataflow);
    SCOPED_TRACE(std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) + " on " +
                 std::to_string(rows) + "x" + std::to_string(cols) + " " +
                 std::string(DataflowName(dataflow)));
    EXPECT_EQ(counters.cycles, expected.total_cycles);
    EXPECT_EQ(counters.macs, expected.macs);
    EXPECT_EQ(counters.folds, expected.folds);
    EXPECT_DOUBLE_EQ(Utilization(counters, target), expected.utilization);
    EXPECT_NEAR(counters.mapping_efficiency, expected.mapping_efficiency, 1e-12);
    if (HasFailure()) return;  // one shape's listing is enough
  }
}

}  // namespace
}  // namespace tessel::tpu::lab06
