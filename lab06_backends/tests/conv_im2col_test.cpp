// lab06 task t5, convolution by im2col: MapConv2d's programs (im2col gathered by
// strided LOADs with zero padding, then the GEMM mapping) run on the functional
// simulator and are compared with a plain convolution: 1x1 and 3x3 kernels, stride 1
// and 2, padding 0, 1 and 2, batch > 1, int8 and f32, 4x4 to 16x16 arrays, shapes that
// leave partial tiles.
#include <gtest/gtest.h>

#include <stdexcept>

#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

TEST(ConvIm2colTest, ProgramsStartWithConfigAndEndWithHalt) {
  std::vector<Instr> program = MapConv2d(Array(8, 8), ConvOf(2, 3, 7, 7, 5, 3, 2, 1));
  ASSERT_EQ(CheckWellFormed(program), "") << Listing(program);
  EXPECT_EQ(program.front().op, Opcode::kConfig) << Listing(program);
}

TEST(ConvIm2colTest, OneByOneKernelIsAGemm) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 16, 4, 4, 8, 1, 1, 0)), "");
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 13, 5, 3, 11, 1, 1, 0)), "");
}

TEST(ConvIm2colTest, ThreeByThreeWithoutPadding) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 4, 6, 6, 8, 3, 1, 0)), "");
}

TEST(ConvIm2colTest, ThreeByThreeWithPaddingOne) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 3, 8, 8, 5, 3, 1, 1)), "");
  EXPECT_EQ(CheckConv(Array(16, 16), ConvOf(1, 5, 9, 7, 20, 3, 1, 1)), "");
}

TEST(ConvIm2colTest, StrideTwo) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 3, 9, 9, 4, 3, 2, 0)), "");
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 2, 8, 8, 6, 1, 2, 0)), "");
}

TEST(ConvIm2colTest, StrideTwoWithPaddingOne) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 3, 8, 8, 5, 3, 2, 1)), "");
  EXPECT_EQ(CheckConv(Array(4, 4), ConvOf(1, 2, 7, 10, 3, 3, 2, 1)), "");
}

TEST(ConvIm2colTest, PaddingTwoWithAFiveByFiveKernel) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 2, 6, 6, 3, 5, 1, 2)), "");
}

TEST(ConvIm2colTest, BatchGreaterThanOne) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(3, 3, 6, 6, 4, 3, 1, 1)), "");
  EXPECT_EQ(CheckConv(Array(4, 4), ConvOf(2, 2, 5, 5, 3, 3, 2, 1)), "");
}

TEST(ConvIm2colTest, F32MatchesAPlainConvolution) {
  Conv2dProblem p = ConvOf(2, 3, 7, 7, 6, 3, 1, 1, TpuDType::kF32);
  p.output.relu = true;
  p.output.scale = 0.25f;
  EXPECT_EQ(CheckConv(Array(8, 8), p), "");
  EXPECT_EQ(CheckConv(Array(16, 16), ConvOf(1, 4, 6, 5, 3, 3, 2, 1, TpuDType::kF32)), "");
}

TEST(ConvIm2colTest, ArraySizesFourEightAndSixteen) {
  for (uint32_t size : {4u, 8u, 16u}) {
    EXPECT_EQ(CheckConv(Array(size, size), ConvOf(1, 5, 6, 6, 7, 3, 1, 1)), "") << size;
  }
}

TEST(ConvIm2colTest, RowsOfPaddingWiderThanOneLoad) {
  // A 1 x 300 image with padding 1: the padding rows of im2col are 300 wide, more
  // than one LOAD's 255 elements of padding.
  EXPECT_EQ(CheckConv(Array(16, 16), ConvOf(1, 2, 1, 300, 3, 3, 1, 1)), "");
}

TEST(ConvIm2colTest, TokensBalancedAcrossImages) {
  FunctionalCounters counters;
  ASSERT_EQ(CheckConv(Array(8, 8), ConvOf(3, 2, 5, 5, 9, 3, 1, 1), 1, &counters), "");
  EXPECT_EQ(counters.tokens_left, 0);
}

TEST(ConvIm2colTest, ReadsTheWeightsOncePerImageWhenTheyFit) {
  // im2col has CRS = 27 rows and PQ = 36 columns: ceil(27/8) * ceil(36/8) = 20 folds.
  FunctionalCounters counters;
  ASSERT_EQ(CheckConv(Array(8, 8), ConvOf(2, 3, 6, 6, 4, 3, 1, 1), 1, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 2 * 20);
  EXPECT_EQ(counters.dram_bytes_written, 2 * 4 * 36);
}

TEST(ConvIm2colTest, RejectsAKernelLargerThanTheInput) {
  ASSERT_EQ(CheckWellFormed(MapConv2d(Array(8, 8), ConvOf(1, 1, 3, 3, 1, 3, 1, 0))),
            "");  // just fits
  EXPECT_THROW(MapConv2d(Array(8, 8), ConvOf(1, 1, 2, 2, 1, 3, 1, 0)), std::invalid_argument);
  EXPECT_THROW(MapConv2d(Array(8, 8), ConvOf(1, 1, 4, 4, 1, 3, 0, 0)), std::invalid_argument);
}

}  // namespace
}  // namespace tessel::tpu::lab06
