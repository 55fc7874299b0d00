// lab06 task t1, GEMM: MapGemm's programs run on the functional simulator and are
// compared with a plain C++ GEMM, int8 with requantization and f32, over shapes that
// are multiples of the array and shapes that are not, on 4x4, 8x8, 16x16 and
// non-square arrays. Also: the programs are well formed (ValidateInstr, HALT at the
// end), leave no token behind, write nothing outside C, and split M only when the
// unified buffer or the accumulators require it (GemmChunkRows' contract).
#include <gtest/gtest.h>

#include <stdexcept>

#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

GemmProblem Gemm(int64_t m, int64_t k, int64_t n, TpuDType dtype = TpuDType::kInt8) {
  GemmProblem p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.dtype = dtype;
  p.output.mult = 1;
  p.output.shift = 7;  // keeps most int8 results inside [-128, 127]
  return p;
}

TEST(MapGemmTest, ProgramsStartWithConfigAndEndWithHalt) {
  for (TpuDType dtype : {TpuDType::kInt8, TpuDType::kF32}) {
    std::vector<Instr> program = MapGemm(Array(8, 8), Gemm(20, 30, 10, dtype));
    ASSERT_EQ(CheckWellFormed(program), "") << Listing(program);
    ASSERT_EQ(program.front().op, Opcode::kConfig) << Listing(program);
    EXPECT_EQ(program.front().dtype, int64_t(dtype)) << "CONFIG must set the problem's dtype";
  }
}

TEST(MapGemmTest, Int8SingleTile) { EXPECT_EQ(CheckGemm(Array(8, 8), Gemm(8, 8, 8)), ""); }

TEST(MapGemmTest, Int8ShapesThatAreMultiplesOfTheArray) {
  EXPECT_EQ(CheckGemm(Array(16, 16), Gemm(32, 48, 64)), "");
  EXPECT_EQ(CheckGemm(Array(8, 8), Gemm(64, 64, 64)), "");
}

TEST(MapGemmTest, Int8ShapesThatAreNotMultiplesOfTheArray) {
  EXPECT_EQ(CheckGemm(Array(8, 8), Gemm(37, 29, 21)), "");
  EXPECT_EQ(CheckGemm(Array(16, 16), Gemm(5, 17, 33)), "");
}

TEST(MapGemmTest, Int8ReluAndRequantization) {
  GemmProblem p = Gemm(19, 40, 27);
  p.output = {true, 3, 9, 1.0f};  // relu, then round(a * 3 / 512)
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 7), "");
  p.output = {false, 1, 0, 1.0f};  // no scaling: most results saturate
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 8), "");
}

TEST(MapGemmTest, F32MatchesAPlainGemm) {
  GemmProblem p = Gemm(23, 45, 19, TpuDType::kF32);
  p.output.scale = 0.5f;
  EXPECT_EQ(CheckGemm(Array(4, 4), p), "");
  p.output.relu = true;
  EXPECT_EQ(CheckGemm(Array(16, 16), p, 3), "");
}

TEST(MapGemmTest, ArraySizesFourEightAndSixteen) {
  for (uint32_t size : {4u, 8u, 16u}) {
    for (GemmProblem p :
         {Gemm(1, 1, 1), Gemm(size, size, size), Gemm(3 * size + 1, 2 * size - 1, 2 * size + 3)}) {
      EXPECT_EQ(CheckGemm(Array(size, size), p), "");
    }
  }
}

TEST(MapGemmTest, NonSquareArrays) {
  EXPECT_EQ(CheckGemm(Array(32, 8), Gemm(10, 70, 20)), "");
  EXPECT_EQ(CheckGemm(Array(4, 16), Gemm(10, 9, 40, TpuDType::kF32)), "");
}

TEST(MapGemmTest, VectorTimesMatrixAndOuterProduct) {
  EXPECT_EQ(CheckGemm(Array(8, 8), Gemm(1, 50, 30)), "");  // M = 1: a batch of one
  EXPECT_EQ(CheckGemm(Array(8, 8), Gemm(30, 1, 20)), "");  // K = 1: one row of the array
}

TEST(MapGemmTest, EveryTokenPushedIsPopped) {
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(Array(8, 8), Gemm(40, 24, 40), 1, &counters), "");
  EXPECT_EQ(counters.tokens_left, 0) << "a push with no matching pop: check the first and the "
                                        "last two folds and outputs";
}

// A machine with a small unified buffer: 4 KiB holds 64 rows of A with K = 64 only
// once, so M = 200 must be split.
TpuTarget SmallBuffers() {
  TpuTarget target = Array(8, 8);
  target.unified_buffer_bytes = 4096;
  target.accumulator_rows = 64;
  return target;
}

TEST(MapGemmTest, ChunkRowsFollowTheContract) {
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

TEST(MapGemmTest, LargeMIsSplitIntoChunks) {
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(SmallBuffers(), Gemm(200, 64, 20), 5, &counters), "");
  // 8 chunks of 25 rows, each with ceil(64/8) * ceil(20/8) = 24 weight folds.
  EXPECT_EQ(counters.weight_tiles, 8 * 24);
  ASSERT_EQ(CheckGemm(SmallBuffers(), Gemm(65, 8, 8, TpuDType::kF32), 5, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 3);
}

TEST(MapGemmTest, LargeMOnTheDefaultMachine) {
  // 2048 x 100 bytes of A do not fit twice with the outputs in 256 KiB? They do once:
  // 204800 + 2*2048*16 = 270336 > 262144, so M = 2048 is split in two.
  FunctionalCounters counters;
  ASSERT_EQ(CheckGemm(TpuTarget::Default16x16(), Gemm(2048, 100, 20), 9, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 2 * 7 * 2);
}

TEST(MapGemmTest, OperandsAnywhereInDram) {
  // CheckGemm puts A, B and C at unaligned addresses with guard bytes between them;
  // here the operands are also far apart.
  GemmProblem p = Gemm(9, 13, 11);
  auto a = RandomElements(p.dtype, p.m * p.k, 4);
  auto b = RandomElements(p.dtype, p.k * p.n, 5);
  std::vector<uint8_t> gap(3000, kGuard);
  DramImage image = LayOut({a, gap, b}, p.m * p.n);
  p.a_dram = image.at[0];
  p.b_dram = image.at[2];
  p.c_dram = image.at[3];
  std::vector<uint8_t> dram = image.bytes;
  ASSERT_EQ(RunProgram(Array(4, 4), MapGemm(Array(4, 4), p), dram), "");
  EXPECT_EQ(CheckOutput(image, dram, p.dtype, ReferenceGemm(p, a, b)), "");
}

TEST(MapGemmTest, RejectsProblemsThatCannotBeMapped) {
  ASSERT_EQ(CheckWellFormed(MapGemm(SmallBuffers(), Gemm(10, 500, 8))), "");  // this one fits
  EXPECT_THROW(MapGemm(Array(8, 8), Gemm(0, 8, 8)), std::invalid_argument);
  EXPECT_THROW(MapGemm(SmallBuffers(), Gemm(10, 4000, 8)), std::invalid_argument);
  GemmProblem far = Gemm(8, 8, 8);
  far.c_dram = 0xFFFFFFF0u;  // C would end past 4 GiB
  EXPECT_THROW(MapGemm(Array(8, 8), far), std::invalid_argument);
}

}  // namespace
}  // namespace tessel::tpu::lab06
