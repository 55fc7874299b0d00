// lab06 task t2, tiling K and N: MapGemm's programs for a B of several tiles run on the
// functional simulator and are compared with a plain C++ GEMM, int8 with requantization
// and f32, over shapes that are multiples of the array and shapes that are not, on 4x4,
// 8x8, 16x16 and non-square arrays. The K tiles of a column tile accumulate into the
// same accumulator rows; each column tile is one output (ACT + STORE). Also: the
// programs are well formed (ValidateInstr, HALT at the end) and write nothing outside C.
#include <gtest/gtest.h>

#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

TEST(GemmTilingTest, ProgramsStartWithConfigAndEndWithHalt) {
  for (TpuDType dtype : {TpuDType::kInt8, TpuDType::kF32}) {
    std::vector<Instr> program = MapGemm(Array(8, 8), GemmOf(20, 30, 10, dtype));
    ASSERT_EQ(CheckWellFormed(program), "") << Listing(program);
    ASSERT_EQ(program.front().op, Opcode::kConfig) << Listing(program);
    EXPECT_EQ(program.front().dtype, int64_t(dtype)) << "CONFIG must set the problem's dtype";
  }
}

TEST(GemmTilingTest, Int8ShapesThatAreMultiplesOfTheArray) {
  EXPECT_EQ(CheckGemm(Array(16, 16), GemmOf(32, 48, 64)), "");
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(64, 64, 64)), "");
}

TEST(GemmTilingTest, Int8ShapesThatAreNotMultiplesOfTheArray) {
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(37, 29, 21)), "");
  EXPECT_EQ(CheckGemm(Array(16, 16), GemmOf(5, 17, 33)), "");
}

TEST(GemmTilingTest, Int8ReluAndRequantization) {
  GemmProblem p = GemmOf(19, 40, 27);
  p.output = {true, 3, 9, 1.0f};  // relu, then round(a * 3 / 512)
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 7), "");
  p.output = {false, 1, 0, 1.0f};  // no scaling: most results saturate
  EXPECT_EQ(CheckGemm(Array(8, 8), p, 8), "");
}

TEST(GemmTilingTest, F32MatchesAPlainGemm) {
  GemmProblem p = GemmOf(23, 45, 19, TpuDType::kF32);
  p.output.scale = 0.5f;
  EXPECT_EQ(CheckGemm(Array(4, 4), p), "");
  p.output.relu = true;
  EXPECT_EQ(CheckGemm(Array(16, 16), p, 3), "");
}

TEST(GemmTilingTest, ArraySizesFourEightAndSixteen) {
  for (uint32_t size : {4u, 8u, 16u}) {
    for (GemmProblem p : {GemmOf(1, 1, 1), GemmOf(size, size, size),
                          GemmOf(3 * size + 1, 2 * size - 1, 2 * size + 3)}) {
      EXPECT_EQ(CheckGemm(Array(size, size), p), "");
    }
  }
}

TEST(GemmTilingTest, NonSquareArrays) {
  EXPECT_EQ(CheckGemm(Array(32, 8), GemmOf(10, 70, 20)), "");
  EXPECT_EQ(CheckGemm(Array(4, 16), GemmOf(10, 9, 40, TpuDType::kF32)), "");
}

TEST(GemmTilingTest, VectorTimesMatrixAndOuterProduct) {
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(1, 50, 30)), "");  // M = 1: a batch of one
  EXPECT_EQ(CheckGemm(Array(8, 8), GemmOf(30, 1, 20)), "");  // K = 1: one row of the array
}

TEST(GemmTilingTest, OperandsAnywhereInDram) {
  // CheckGemm puts A, B and C at unaligned addresses with guard bytes between them;
  // here the operands are also far apart.
  GemmProblem p = GemmOf(9, 13, 11);
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

}  // namespace
}  // namespace tessel::tpu::lab06
