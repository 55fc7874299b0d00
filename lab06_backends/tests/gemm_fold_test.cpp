// lab06 task t1, one weight fold: a GEMM whose B is a single tile of the array (K <= R,
// N <= C) and whose A fits the unified buffer. The program is CONFIG, a LOAD of the tile
// of B and one of A ("data is in"), LOADW, one MATMUL with swap, ACT ("output ready"),
// STORE and the closing barrier, then HALT; it must compute exactly what a plain C++
// GEMM does (int8 with requantization, and f32), leave no token behind, have no race
// between the queues, and take the 29 cycles SCALE-Sim gives 8x8x8 on an 8x8 array.
#include <gtest/gtest.h>

#include "lab06_backends/tests/lab06_race_check.h"
#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

TEST(GemmFoldTest, Int8SingleTile) { EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(8, 8, 8)), ""); }

TEST(GemmFoldTest, ProgramStartsWithConfigAndEndsWithHalt) {
  for (TpuDType dtype : {TpuDType::kInt8, TpuDType::kF32}) {
    std::vector<Instr> program = MapGemm(Array(8, 8), GemmOf(5, 7, 6, dtype));
    ASSERT_EQ(CheckWellFormed(program), "") << Listing(program);
    ASSERT_EQ(program.front().op, Opcode::kConfig) << Listing(program);
    EXPECT_EQ(program.front().dtype, int64_t(dtype)) << "CONFIG must set the problem's dtype";
    EXPECT_EQ(CountOp(program, Opcode::kLoadW), 1) << Listing(program);
    EXPECT_EQ(CountOp(program, Opcode::kMatmul), 1) << Listing(program);
  }
}

TEST(GemmFoldTest, PartialTileSmallerThanTheArray) {
  // k < R rows and n < C columns: LOADW takes k x n, MATMUL reads k elements a row.
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(5, 3, 6)), "");
  EXPECT_EQ(CheckGemm(Array(16, 16), GemmOf(3, 16, 2)), "");
  EXPECT_EQ(CheckGemm(Array(16, 16), GemmOf(9, 2, 16)), "");
}

TEST(GemmFoldTest, OneByOneByOneOnEveryArray) {
  for (uint32_t size : {4u, 8u, 16u}) {
    EXPECT_EQ(CheckGemm(Array(size, size), GemmOf(1, 1, 1)), "") << size;
  }
}

TEST(GemmFoldTest, Int8ReluAndRequantization) {
  GemmProblem p = GemmOf(7, 8, 5);
  p.output = {true, 3, 9, 1.0f};  // relu, then round(a * 3 / 512)
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 7), "");
  p.output = {false, 1, 0, 1.0f};  // no scaling: most results saturate
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 8), "");
}

TEST(GemmFoldTest, F32SingleTile) {
  GemmProblem p = GemmOf(3, 4, 4, TpuDType::kF32);
  p.output.scale = 0.5f;
  EXPECT_EQ(CheckGemm(Array(4, 4), p), "");
  p = GemmOf(11, 16, 9, TpuDType::kF32);
  p.output.relu = true;
  EXPECT_EQ(CheckGemm(Array(16, 16), p, 3), "");
}

TEST(GemmFoldTest, ManyRowsStreamThroughOneTile) {
  // M is not limited by the array: all 300 rows of A stream through one 4x4 tile.
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(Array(4, 4), GemmOf(300, 4, 3), 2, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 1);
}

TEST(GemmFoldTest, ReadsEachOperandOnceAndWritesCOnce) {
  FunctionalCounters counters;
  GemmProblem p = GemmOf(12, 6, 5);
  ASSERT_EQ(CheckGemm(Array(8, 8), p, 1, &counters), "");
  EXPECT_EQ(counters.dram_bytes_read, p.m * p.k + p.k * p.n);
  EXPECT_EQ(counters.dram_bytes_written, p.m * p.n);
  EXPECT_EQ(counters.weight_tiles, 1);
  EXPECT_EQ(counters.macs, p.m * p.k * 8) << "one MATMUL of all M rows, k deep, C wide";
}

TEST(GemmFoldTest, TokensBalancedAndNoRace) {
  // One fold needs the "data is in" and "output ready" tokens and the barrier; nothing
  // is reused, so no other token.
  FunctionalCounters counters;
  GemmProblem p = GemmOf(8, 8, 8);
  ASSERT_EQ(CheckGemm(Array(8, 8), p, 1, &counters), "");
  EXPECT_EQ(counters.tokens_left, 0) << "a push with no matching pop";
  std::vector<Instr> program = MapGemm(Array(8, 8), p);
  EXPECT_EQ(CheckNoRaces(program, 1), "") << Listing(program);
}

TEST(GemmFoldTest, ScaleSim8x8x8On8x8Is29Cycles) {
  TpuTarget target = Array(8, 8);
  TimingCounters counters = Time(target, MapGemm(target, GemmOf(8, 8, 8)), TimingMode::kCompatible);
  EXPECT_EQ(counters.cycles, 29) << "one fold: 2R + C + T - 2 = 30, minus one";
  EXPECT_EQ(counters.folds, 1);
}

}  // namespace
}  // namespace tessel::tpu::lab06
