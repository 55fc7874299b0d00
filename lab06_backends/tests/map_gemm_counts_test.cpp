// lab06 task t1, GEMM counts and timing: how MapGemm's programs use the machine.
// Deterministic counts only, never wall-clock time:
//  * a GEMM that fits in one M chunk runs ceil(K/R) * ceil(N/C) weight folds, each a
//    LOADW and one MATMUL of all M rows, and reads A and B from DRAM exactly once;
//  * in the timing simulator's SCALE-Sim-compatible mode its cycles equal SCALE-Sim's
//    closed form (docs/tpu.md §8.1): 8x8x8 on an 8x8 array is 29 cycles, 64^3 is 5503,
//    and so on for 120 random shapes and arrays under both dataflows;
//  * in the pipelined mode the tokens let the next fold's loads overlap the current
//    fold: with two weight slots the program is much faster than with one, and within
//    10% of the reference's cycles.
#include <gtest/gtest.h>

#include <random>

#include "lab06_backends/tests/lab06_test_util.h"
#include "stages/tpu/scalesim_model.h"
#include "stages/tpu/timing_sim.h"

namespace tessel::tpu::lab06 {
namespace {

GemmProblem Gemm(int64_t m, int64_t k, int64_t n) {
  GemmProblem p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.a_dram = 0;
  p.b_dram = uint32_t(m * k);
  p.c_dram = uint32_t(m * k + k * n);
  p.output.shift = 7;
  return p;
}

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

TimingCounters Time(const TpuTarget& target, const std::vector<Instr>& program, TimingMode mode) {
  std::string error;
  std::optional<TimingResult> result = SimulateTiming(target, program, {mode, false}, &error);
  EXPECT_TRUE(result) << error << "\nprogram:\n" << Listing(program);
  return result ? result->counters : TimingCounters{};
}

TEST(MapGemmCountsTest, OneWeightFoldPerTileWhenMFits) {
  for (auto [size, m, k, n] :
       {std::array<int64_t, 4>{8, 64, 64, 64}, {8, 37, 29, 21}, {16, 100, 70, 40}, {4, 3, 10, 9}}) {
    TpuTarget target = Array(uint32_t(size), uint32_t(size));
    std::vector<Instr> program = MapGemm(target, Gemm(m, k, n));
    const int64_t folds = CeilDiv(k, size) * CeilDiv(n, size);
    EXPECT_EQ(CountOp(program, Opcode::kLoadW), folds) << m << "x" << k << "x" << n;
    EXPECT_EQ(CountOp(program, Opcode::kMatmul), folds) << "one MATMUL of all M rows per fold";
    for (const Instr& in : program) {
      if (in.op == Opcode::kMatmul) {
        EXPECT_EQ(in.rows, m) << "stream all M rows: " << Disassemble(in);
      }
    }
  }
}

TEST(MapGemmCountsTest, ReadsEachOperandOnceAndWritesCOnce) {
  FunctionalCounters counters;
  GemmProblem p = Gemm(50, 40, 30);
  ASSERT_EQ(CheckGemm(Array(8, 8), p, 1, &counters), "");
  EXPECT_EQ(counters.dram_bytes_read, p.m * p.k + p.k * p.n);
  EXPECT_EQ(counters.dram_bytes_written, p.m * p.n);
  // MACs as the simulator counts them: rows x k x C per MATMUL (the whole array width).
  EXPECT_EQ(counters.macs, p.m * p.k * 8 * CeilDiv(p.n, 8));
}

TEST(MapGemmCountsTest, F32MovesFourBytesAnElement) {
  FunctionalCounters counters;
  GemmProblem p = Gemm(12, 20, 6);
  p.dtype = TpuDType::kF32;
  ASSERT_EQ(CheckGemm(Array(4, 4), p, 1, &counters), "");
  EXPECT_EQ(counters.dram_bytes_read, 4 * (p.m * p.k + p.k * p.n));
  EXPECT_EQ(counters.dram_bytes_written, 4 * p.m * p.n);
}

TEST(MapGemmCountsTest, ScaleSim8x8x8On8x8Is29Cycles) {
  TpuTarget target = Array(8, 8);
  TimingCounters counters = Time(target, MapGemm(target, Gemm(8, 8, 8)), TimingMode::kCompatible);
  EXPECT_EQ(counters.cycles, 29) << "one fold: 2R + C + T - 2 = 30, minus one";
  EXPECT_EQ(counters.folds, 1);
}

TEST(MapGemmCountsTest, ScaleSim64CubedOn8x8Is5503Cycles) {
  TpuTarget target = Array(8, 8);
  TimingCounters counters =
      Time(target, MapGemm(target, Gemm(64, 64, 64)), TimingMode::kCompatible);
  EXPECT_EQ(counters.cycles, 5503) << "64 folds of 2*8 + 8 + 64 - 2 = 86 cycles, minus one";
  EXPECT_EQ(counters.folds, 64);
}

TEST(MapGemmCountsTest, CompatibleModeMatchesScaleSimOnOtherShapes) {
  for (auto [rows, cols, m, k, n] : {std::array<int64_t, 5>{32, 32, 64, 64, 64},
                                     {8, 8, 37, 29, 21},
                                     {16, 8, 100, 70, 40},
                                     {4, 4, 1, 9, 30}}) {
    TpuTarget target = Array(uint32_t(rows), uint32_t(cols));
    TimingCounters counters = Time(target, MapGemm(target, Gemm(m, k, n)), TimingMode::kCompatible);
    ScaleSimReport expected = ScaleSimGemm({m, k, n}, rows, cols, Dataflow::kWeightStationary);
    EXPECT_EQ(counters.cycles, expected.total_cycles)
        << m << "x" << k << "x" << n << " on " << rows << "x" << cols;
    EXPECT_EQ(counters.macs, expected.macs);
  }
}

// The property behind the last two tests, on 120 seeded random shapes and arrays and both
// dataflows: a GEMM whose M fits runs SCALE-Sim's folds, so the compatible timing equals the
// closed form in cycles, MACs, folds, utilization and mapping efficiency.
TEST(MapGemmCountsTest, CompatibleModeMatchesScaleSimOnRandomShapes) {
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
    TimingCounters counters = Time(target, MapGemm(target, Gemm(m, k, n)), TimingMode::kCompatible);
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

// The loads of fold f + 1 must be issued before fold f's MATMUL, into the other slot.
TEST(MapGemmCountsTest, NextWeightTileIsLoadedBeforeTheCurrentMatmul) {
  std::vector<Instr> program = MapGemm(Array(8, 8), Gemm(16, 32, 16));
  int64_t weight_loads = 0, matmuls = 0;
  for (const Instr& in : program) {
    if (in.op == Opcode::kLoad && in.mem == int64_t(MemSpace::kWeight)) ++weight_loads;
    if (in.op == Opcode::kMatmul) {
      ++matmuls;
      EXPECT_GE(weight_loads, std::min<int64_t>(matmuls + 1, 8))
          << "MATMUL " << matmuls << " is issued before the next weight tile's LOAD\n"
          << Listing(program, 60);
    }
  }
}

// Pipelined timing on the default 16x16 machine. With one weight slot (a weight buffer
// of one R x C tile) every tile's LOAD must wait until the previous MATMUL is done; with
// two, the tokens let it run during that MATMUL. Same program shape, same work.
TEST(MapGemmCountsTest, DoubleBufferingOverlapsLoadsWithCompute) {
  TpuTarget two_slots = TpuTarget::Default16x16();
  TpuTarget one_slot = two_slots;
  one_slot.weight_buffer_bytes = 16 * 16 + 1;  // one tile and its scratch element
  GemmProblem p = Gemm(64, 256, 256);
  TimingCounters fast = Time(two_slots, MapGemm(two_slots, p), TimingMode::kPipelined);
  TimingCounters slow = Time(one_slot, MapGemm(one_slot, p), TimingMode::kPipelined);
  EXPECT_EQ(fast.macs, slow.macs);
  // The reference: 18488 cycles with two slots, 33608 with one (16384 of them streaming).
  EXPECT_LT(double(fast.cycles), 0.7 * double(slow.cycles))
      << "two slots: " << fast.cycles << " cycles, one slot: " << slow.cycles;
  EXPECT_LE(fast.cycles, 18488 * 11 / 10) << "more than 10% slower than the reference's 18488";
}

}  // namespace
}  // namespace tessel::tpu::lab06
