// Unit tests of the TPU machine description (target.h): presets, --array parsing.
#include "stages/tpu/target.h"

#include <gtest/gtest.h>

#include <string>

namespace tessel::tpu {
namespace {

TEST(TpuTargetTest, DefaultIsA16x16WeightStationaryInt8Machine) {
  TpuTarget t = TpuTarget::Default16x16();
  EXPECT_EQ(t.rows, 16u);
  EXPECT_EQ(t.cols, 16u);
  EXPECT_EQ(t.dataflow, Dataflow::kWeightStationary);
  EXPECT_EQ(t.dtype, TpuDType::kInt8);
  std::string error;
  EXPECT_TRUE(ValidateTpuTarget(t, &error)) << error;
}

TEST(TpuTargetTest, TpuV1MatchesTheIsca2017Paper) {
  TpuTarget t = TpuTarget::TpuV1();
  EXPECT_EQ(t.rows, 256u);
  EXPECT_EQ(t.cols, 256u);
  EXPECT_DOUBLE_EQ(t.clock_mhz, 700.0);
  EXPECT_EQ(t.unified_buffer_bytes, 24u * 1024 * 1024);
  EXPECT_EQ(t.accumulator_rows, 4096u);
  EXPECT_EQ(t.accumulator_bytes(), 4u * 1024 * 1024);
  EXPECT_NEAR(t.weight_bytes_per_cycle, 48.57, 0.01);  // 34 GB/s at 700 MHz
  std::string error;
  EXPECT_TRUE(ValidateTpuTarget(t, &error)) << error;
}

TEST(TpuTargetTest, ParsesPresetsAndShapes) {
  std::string error;
  EXPECT_EQ(ParseTpuTarget("tpu_v1", &error)->rows, 256u);
  EXPECT_EQ(ParseTpuTarget("default", &error)->rows, 16u);
  std::optional<TpuTarget> t = ParseTpuTarget("32x8", &error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->rows, 32u);
  EXPECT_EQ(t->cols, 8u);
  EXPECT_EQ(t->name, "default");
  EXPECT_TRUE(ValidateTpuTarget(*t, &error)) << error;
  std::optional<TpuTarget> big = ParseTpuTarget("512x512", &error, TpuTarget::TpuV1());
  ASSERT_TRUE(big) << error;
  EXPECT_EQ(big->name, "tpu_v1");
  EXPECT_EQ(big->clock_mhz, 700.0);
}

TEST(TpuTargetTest, AnotherArrayKeepsTheBuffersAndAsManyWeightTiles) {
  TpuTarget v1 = TpuTarget::TpuV1();
  TpuTarget big = WithArrayShape(v1, 512, 512);
  EXPECT_EQ(big.weight_buffer_bytes, 4u * 512 * 512);  // four tiles, as tpu_v1's FIFO
  EXPECT_EQ(big.unified_buffer_bytes, v1.unified_buffer_bytes);
  EXPECT_EQ(big.accumulator_rows, v1.accumulator_rows);
  EXPECT_EQ(big.weight_bytes_per_cycle, v1.weight_bytes_per_cycle);
  TpuTarget small = WithArrayShape(TpuTarget::Default16x16(), 8, 8);
  EXPECT_EQ(small.weight_buffer_bytes, TpuTarget::Default16x16().weight_buffer_bytes);
}

TEST(TpuTargetTest, RejectsMalformedSpecsWithAMessage) {
  for (const char* spec : {"", "foo", "16x", "x16", "16x16x16", "-4x4", "16 x 16"}) {
    std::string error;
    EXPECT_FALSE(ParseTpuTarget(spec, &error)) << spec;
    EXPECT_NE(error.find("found '" + std::string(spec) + "'"), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(ParseTpuTarget("5000x16", &error));
  EXPECT_EQ(error,
            "array shape 5000x16 is out of range: rows and columns must be between 1 and 4096");
}

TEST(TpuTargetTest, ValidateNamesEveryProblem) {
  TpuTarget t = TpuTarget::Default16x16();
  t.accumulator_rows = 100000;
  t.weight_bytes_per_cycle = 0;
  std::string error;
  EXPECT_FALSE(ValidateTpuTarget(t, &error));
  EXPECT_NE(error.find("accumulator rows 100000 out of range"), std::string::npos) << error;
  EXPECT_NE(error.find("bandwidths must be positive"), std::string::npos) << error;
}

TEST(TpuTargetTest, NamesRoundTrip) {
  for (Dataflow d : {Dataflow::kWeightStationary, Dataflow::kOutputStationary}) {
    EXPECT_EQ(ParseDataflow(DataflowName(d)), d);
  }
  for (TpuDType d : {TpuDType::kInt8, TpuDType::kF32}) EXPECT_EQ(ParseTpuDType(TpuDTypeName(d)), d);
  EXPECT_EQ(ElementBytes(TpuDType::kF32), 4u);
}

}  // namespace
}  // namespace tessel::tpu
