// lab06's hidden convolution tests (task t5): more inputs of the kinds the public tests
// use, where a transcription of the im2col rules without understanding them goes wrong:
// kernels that are not square, images that are not square, strides of 3, padding as
// large as the kernel (output pixels that see only padding), rows of padding wider than
// 255 elements in both directions, batches of f32, and operands at odd DRAM addresses.
// Graded by exact outputs and counts only. Not in the student release.
#include <gtest/gtest.h>

#include "lab06_backends/tests/lab06_test_util.h"

namespace tessel::tpu::lab06 {
namespace {

Conv2dProblem Rect(int64_t channels, int64_t height, int64_t width, int64_t filters,
                   int64_t kernel_h, int64_t kernel_w, int64_t stride, int64_t padding) {
  Conv2dProblem p = ConvOf(1, channels, height, width, filters, 1, stride, padding);
  p.kernel_h = kernel_h;
  p.kernel_w = kernel_w;
  return p;
}

TEST(HiddenConvIm2colTest, KernelsThatAreNotSquare) {
  EXPECT_EQ(CheckConv(Array(8, 8), Rect(3, 7, 9, 5, 3, 1, 1, 1)), "");
  EXPECT_EQ(CheckConv(Array(8, 8), Rect(2, 6, 11, 4, 1, 5, 1, 2)), "");
  EXPECT_EQ(CheckConv(Array(4, 8), Rect(2, 9, 5, 3, 2, 3, 2, 1)), "");
}

TEST(HiddenConvIm2colTest, StrideThreeAndAWideKernel) {
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 2, 13, 10, 4, 7, 3, 3)), "");
  EXPECT_EQ(CheckConv(Array(16, 16), ConvOf(2, 3, 11, 11, 5, 3, 3, 0)), "");
}

TEST(HiddenConvIm2colTest, PaddingAsLargeAsTheKernel) {
  // With padding 3 and a 3x3 kernel, the border output pixels see only zeros.
  EXPECT_EQ(CheckConv(Array(8, 8), ConvOf(1, 2, 4, 5, 3, 3, 1, 3)), "");
  EXPECT_EQ(CheckConv(Array(4, 4), ConvOf(1, 1, 2, 2, 2, 1, 2, 1)), "");  // 1x1, stride 2
}

TEST(HiddenConvIm2colTest, PaddingWiderThanOneLoadInBothDirections) {
  // 300-wide rows of padding above and below, and tiles wider than 255 elements.
  EXPECT_EQ(CheckConv(Array(16, 16), ConvOf(1, 1, 2, 300, 2, 3, 1, 2)), "");
  EXPECT_EQ(CheckConv(Array(4, 32), Rect(1, 1, 600, 3, 3, 1, 1, 1)), "");
}

TEST(HiddenConvIm2colTest, F32BatchOfFour) {
  Conv2dProblem p = ConvOf(4, 3, 6, 7, 5, 3, 2, 1, TpuDType::kF32);
  p.output.scale = 0.5f;
  FunctionalCounters counters;
  ASSERT_EQ(CheckConv(Array(8, 8), p, 71, &counters), "");
  EXPECT_EQ(counters.tokens_left, 0);
  EXPECT_EQ(counters.dram_bytes_written, 4 * 4 * 5 * p.out_h() * p.out_w());
}

TEST(HiddenConvIm2colTest, OperandsAtOddAddresses) {
  Conv2dProblem p = ConvOf(2, 2, 5, 6, 3, 3, 1, 1);
  auto in = RandomElements(p.dtype, p.batch * p.channels * p.height * p.width, 72, -20, 20);
  auto w = RandomElements(p.dtype, p.filters * p.channels * 9, 73, -20, 20);
  std::vector<uint8_t> gap1(5, kGuard), gap2(11, kGuard), gap3(1, kGuard);
  DramImage image = LayOut({gap1, in, gap2, w, gap3}, p.batch * p.filters * p.out_h() * p.out_w());
  p.input_dram = image.at[1];
  p.weight_dram = image.at[3];
  p.output_dram = image.at[5];
  std::vector<uint8_t> dram = image.bytes;
  ASSERT_EQ(RunProgram(Array(8, 8), MapConv2d(Array(8, 8), p), dram), "");
  EXPECT_EQ(CheckOutput(image, dram, p.dtype, ReferenceConv(p, in, w)), "");
}

TEST(HiddenConvIm2colTest, ManyFiltersAndChannels) {
  // CRS = 8 * 9 = 72 rows of im2col and K = 40 filters: several K tiles and column tiles
  // per image, each gathered again for every image.
  FunctionalCounters counters;
  ASSERT_EQ(CheckConv(Array(16, 16), ConvOf(2, 8, 5, 7, 40, 3, 1, 1), 74, &counters), "");
  EXPECT_EQ(counters.weight_tiles, 2 * 5 * 3);
  EXPECT_EQ(counters.tokens_left, 0);
}

}  // namespace
}  // namespace tessel::tpu::lab06
