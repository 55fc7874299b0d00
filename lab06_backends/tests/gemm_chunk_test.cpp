// lab06 task t3, splitting M into chunks: GemmChunkRows' contract, and programs whose A
// does not fit the unified buffer (or whose M does not fit the accumulators) at once.
// Each chunk of rows of A is loaded once into its A half and streamed through every
// weight tile; its outputs land at its own rows of C. Splitting is done only when it
// must be, and a problem whose single row of A cannot fit twice is rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

TEST(GemmChunkTest, ChunkRowsFollowTheContract) {
  const TpuTarget small = SmallBuffers();
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 20, 64), 20);   // 1280 + 320 <= 4096
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 64, 48), 64);   // 3072 + 1024 <= 4096
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 200, 64), 25);  // 4096/144 = 28 -> 8 chunks of 25
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 65, 8),
            22);  // 65 > 64 acc rows: halves of 32 -> 3 chunks
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kF32, 20, 64),
            7);  // 1024 elements / 144 -> 3 chunks of 7
  EXPECT_EQ(GemmChunkRows(small, TpuDType::kInt8, 10, 4000), 0);  // one row does not fit twice
}

TEST(GemmChunkTest, LargeMIsSplitIntoChunks) {
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(SmallBuffers(), GemmOf(200, 64, 20), 5, &counters), "");
  // 8 chunks of 25 rows, each with ceil(64/8) * ceil(20/8) = 24 weight folds.
  EXPECT_EQ(counters.weight_tiles, 8 * 24);
  ASSERT_EQ(CheckGemm(SmallBuffers(), GemmOf(65, 8, 8, TpuDType::kF32), 5, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 3);
}

TEST(GemmChunkTest, LargeMOnTheDefaultMachine) {
  // 2048 x 100 bytes of A do not fit twice with the outputs in 256 KiB? They do once:
  // 204800 + 2*2048*16 = 270336 > 262144, so M = 2048 is split in two.
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(TpuTarget::Default16x16(), GemmOf(2048, 100, 20), 9, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 2 * 7 * 2);
}

TEST(GemmChunkTest, EachChunkReadsItsRowsOfAOnceAndAllOfB) {
  // A is read once in all (each chunk its own rows), B once per chunk, C written once.
  FunctionalCounters counters;
  GemmProblem p = GemmOf(200, 64, 20);
  ASSERT_EQ(CheckGemm(SmallBuffers(), p, 6, &counters), "");
  EXPECT_EQ(counters.dram_bytes_read, p.m * p.k + 8 * p.k * p.n);
  EXPECT_EQ(counters.dram_bytes_written, p.m * p.n);
}

TEST(GemmChunkTest, EveryMatmulStreamsOneWholeChunk) {
  // 8 chunks of 25 rows: every MATMUL streams 25 rows, alternately from the two A halves.
  std::vector<Instr> program = MapGemm(SmallBuffers(), GemmOf(200, 64, 20));
  std::vector<int64_t> a_addresses;
  for (const Instr& in : program) {
    if (in.op != Opcode::kMatmul) continue;
    EXPECT_EQ(in.rows, 25) << Disassemble(in);
    if (!in.accumulate) a_addresses.push_back(in.sram);  // the first K tile: the A half
  }
  ASSERT_FALSE(a_addresses.empty());
  EXPECT_EQ(CountOp(program, Opcode::kMatmul), 8 * 24);
  EXPECT_NE(std::count(a_addresses.begin(), a_addresses.end(), a_addresses.front()),
            int64_t(a_addresses.size()))
      << "the chunks should use two A halves, so the next chunk can load early";
}

TEST(GemmChunkTest, F32ChunksWithSeveralTiles) {
  // f32 elements are 4 bytes: the 4 KiB buffer holds 1024 of them, so M = 20 with K = 40
  // splits (1024 / (2*40 + 16) = 10 rows a chunk), with 5 K tiles and 2 column tiles.
  FunctionalCounters counters;
  GemmProblem p = GemmOf(20, 40, 12, TpuDType::kF32);
  p.output.relu = true;
  p.output.scale = 0.25f;
  ASSERT_EQ(CheckGemm(SmallBuffers(), p, 11, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 2 * 5 * 2);
}

TEST(GemmChunkTest, RejectsProblemsThatCannotBeMapped) {
  ASSERT_EQ(CheckWellFormed(MapGemm(SmallBuffers(), GemmOf(10, 500, 8))), "");  // this one fits
  EXPECT_THROW(MapGemm(Array(8, 8), GemmOf(0, 8, 8)), std::invalid_argument);
  EXPECT_THROW(MapGemm(SmallBuffers(), GemmOf(10, 4000, 8)), std::invalid_argument);
  GemmProblem far = GemmOf(8, 8, 8);
  far.c_dram = 0xFFFFFFF0u;  // C would end past 4 GiB
  EXPECT_THROW(MapGemm(Array(8, 8), far), std::invalid_argument);
}

}  // namespace
}  // namespace tessel::tpu::lab06
