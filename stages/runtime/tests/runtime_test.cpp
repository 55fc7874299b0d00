// Unit tests of stages/runtime: tensors and their element conversions, .npy
// files (including bytes exactly as NumPy writes them), seeded random
// tensors and tolerant comparison. These are the oracles of later stages, so
// the edge cases (f16 rounding, integer wrap, NaN) are pinned down here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "stages/runtime/compare.h"
#include "stages/runtime/npy.h"
#include "stages/runtime/random.h"
#include "stages/runtime/summary.h"
#include "stages/runtime/tensor.h"

namespace tessel {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
const DType kAllDTypes[] = {DType::kF32, DType::kF16, DType::kI32, DType::kI8, DType::kBool};

// Stores `value` in a scalar of `dtype` and reads it back.
double RoundTrip(DType dtype, double value) { return Tensor::Scalar(dtype, value).Get(0); }

// The f16 bits `value` is stored as.
uint16_t HalfBits(double value) {
  Tensor tensor = Tensor::Scalar(DType::kF16, value);
  uint16_t bits = 0;
  std::memcpy(&bits, tensor.bytes().data(), 2);
  return bits;
}

// ---------------------------------------------------------------- Tensor

TEST(TensorTest, NewTensorIsZeroFilled) {
  Tensor tensor(DType::kF32, {2, 3});
  EXPECT_EQ(tensor.size(), 6);
  EXPECT_EQ(tensor.rank(), 2);
  EXPECT_EQ(tensor.bytes().size(), 24u);
  for (int64_t i = 0; i < tensor.size(); ++i) EXPECT_EQ(tensor.Get(i), 0.0);
  EXPECT_EQ(tensor.TypeString(), "f32[2, 3]");
}

TEST(TensorTest, ScalarsAndEmptyShapes) {
  EXPECT_EQ(NumElements({}), 1);
  EXPECT_EQ(NumElements({2, 0, 3}), 0);
  EXPECT_EQ(FormatShape({}), "[]");
  EXPECT_EQ(FormatShape({4, 784}), "[4, 784]");
  Tensor scalar = Tensor::Scalar(DType::kI32, 7);
  EXPECT_EQ(scalar.rank(), 0);
  EXPECT_EQ(scalar.TypeString(), "i32");
  EXPECT_EQ(scalar.At({}), 7.0);
  EXPECT_EQ(Tensor(DType::kBool, {0}).bytes().size(), 0u);
  EXPECT_EQ(Tensor().TypeString(), "f32");
}

TEST(TensorTest, RowMajorStrides) {
  EXPECT_EQ(RowMajorStrides({2, 3, 4}), (std::vector<int64_t>{12, 4, 1}));
  EXPECT_EQ(RowMajorStrides({5}), (std::vector<int64_t>{1}));
  EXPECT_TRUE(RowMajorStrides({}).empty());
}

TEST(TensorTest, ElementsUseTheirRealWidth) {
  for (DType dtype : kAllDTypes) {
    EXPECT_EQ(Tensor(dtype, {3, 2}).bytes().size(), 6 * DTypeSize(dtype)) << DTypeName(dtype);
  }
}

TEST(TensorTest, FromValuesAndAtAreRowMajor) {
  Tensor tensor = Tensor::FromValues(DType::kF32, {2, 3}, {0, 1, 2, 3, 4, 5});
  EXPECT_EQ(tensor.At({0, 2}), 2.0);
  EXPECT_EQ(tensor.At({1, 0}), 3.0);
  EXPECT_EQ(tensor.FlatIndex({1, 2}), 5);
  Tensor cube(DType::kI8, {2, 3, 4});
  EXPECT_EQ(cube.FlatIndex({1, 2, 3}), 23);
  EXPECT_EQ(cube.FlatIndex({1, 0, 1}), 13);
  EXPECT_EQ(Tensor::Scalar(DType::kF32, 1).FlatIndex({}), 0);
}

TEST(TensorDeathTest, FlatIndexChecksBounds) {
  Tensor tensor(DType::kF32, {2, 3});
  EXPECT_DEATH(tensor.FlatIndex({2, 0}), "index \\[2, 0\\] out of bounds for tensor f32\\[2, 3\\]");
  EXPECT_DEATH(tensor.FlatIndex({0, 3}), "out of bounds");
  EXPECT_DEATH(tensor.FlatIndex({-1, 0}), "out of bounds");
  EXPECT_DEATH(tensor.FlatIndex({1}), "of rank 1 into tensor f32\\[2, 3\\]");
  EXPECT_DEATH(tensor.Get(6), "element 6 out of bounds");
  EXPECT_DEATH(tensor.Set(-1, 0), "element -1 out of bounds");
  EXPECT_DEATH(Tensor(DType::kF32, {2, -1}), "negative dimension");
  EXPECT_DEATH(Tensor::FromValues(DType::kF32, {2}, {1}), "1 values for tensor f32\\[2\\]");
}

TEST(TensorTest, F32RoundsToNearestFloat) {
  EXPECT_EQ(RoundTrip(DType::kF32, 0.1), static_cast<double>(0.1f));
  EXPECT_EQ(RoundTrip(DType::kF32, 1.0 + std::ldexp(1.0, -24)), 1.0);  // tie to even
  EXPECT_EQ(RoundTrip(DType::kF32, 1.0 + 3 * std::ldexp(1.0, -24)), 1.0 + std::ldexp(1.0, -22));
  EXPECT_EQ(RoundTrip(DType::kF32, 1e39), kInf);
  EXPECT_EQ(RoundTrip(DType::kF32, -kInf), -kInf);
  EXPECT_TRUE(std::isnan(RoundTrip(DType::kF32, kNan)));
}

TEST(TensorTest, F16RoundsToNearestEven) {
  EXPECT_EQ(HalfBits(1.0), 0x3c00);
  EXPECT_EQ(HalfBits(-2.0), 0xc000);
  EXPECT_EQ(HalfBits(-0.0), 0x8000);
  EXPECT_EQ(RoundTrip(DType::kF16, 0.1), 0.0999755859375);
  const double ulp = std::ldexp(1.0, -10);                              // of values in [1, 2)
  EXPECT_EQ(RoundTrip(DType::kF16, 1.0 + ulp / 2), 1.0);                // tie: 1.0 is even
  EXPECT_EQ(RoundTrip(DType::kF16, 1.0 + 3 * ulp / 2), 1.0 + 2 * ulp);  // tie: up to even
  EXPECT_EQ(RoundTrip(DType::kF16, 1.0 + ulp / 2 + 1e-12), 1.0 + ulp);  // above the tie
  // Through float this value would round to the tie 1 + ulp/2 and then down to 1.
  EXPECT_EQ(RoundTrip(DType::kF16, 1.0 + ulp / 2 + std::ldexp(1.0, -40)), 1.0 + ulp);
  EXPECT_EQ(RoundTrip(DType::kF16, 2047.5), 2048.0);  // rounds up into the next binade
}

TEST(TensorTest, F16OverflowsToInfinity) {
  EXPECT_EQ(RoundTrip(DType::kF16, 65504), 65504.0);
  EXPECT_EQ(RoundTrip(DType::kF16, 65519.99), 65504.0);
  EXPECT_EQ(RoundTrip(DType::kF16, 65520), kInf);  // the tie goes to the even neighbour, inf
  EXPECT_EQ(RoundTrip(DType::kF16, -65520), -kInf);
  EXPECT_EQ(RoundTrip(DType::kF16, 1e10), kInf);
  EXPECT_EQ(HalfBits(kInf), 0x7c00);
  EXPECT_EQ(HalfBits(-kInf), 0xfc00);
  EXPECT_TRUE(std::isnan(RoundTrip(DType::kF16, kNan)));
}

TEST(TensorTest, F16Subnormals) {
  const double tiny = std::ldexp(1.0, -24);  // the smallest subnormal half
  EXPECT_EQ(HalfBits(tiny), 0x0001);
  EXPECT_EQ(HalfBits(tiny / 2), 0x0000);           // tie: 0 is even
  EXPECT_EQ(HalfBits(tiny / 2 * 1.0001), 0x0001);  // above the tie
  EXPECT_EQ(HalfBits(3 * tiny / 2), 0x0002);       // tie: up to even
  EXPECT_EQ(HalfBits(-tiny / 4), 0x8000);          // underflows to -0
  EXPECT_EQ(HalfBits(1023 * tiny), 0x03ff);        // the largest subnormal
  EXPECT_EQ(HalfBits(1023.5 * tiny), 0x0400);      // rounds up to the smallest normal
  EXPECT_EQ(HalfBits(std::ldexp(1.0, -14)), 0x0400);
  EXPECT_EQ(HalfToFloat(0x0001), static_cast<float>(tiny));
  EXPECT_EQ(HalfToFloat(0x03ff), static_cast<float>(1023 * tiny));
}

TEST(TensorTest, HalfConversionsAgreeOnEveryHalf) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const uint16_t half = static_cast<uint16_t>(bits);
    const float value = HalfToFloat(half);
    if (std::isnan(value)) {
      EXPECT_EQ(half & 0x7c00, 0x7c00);
      EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(value))));
      continue;
    }
    ASSERT_EQ(FloatToHalf(value), half) << "bits " << bits;
  }
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
}

// Every midpoint between neighbouring positive halves rounds to the even one,
// and anything off the midpoint to the nearer one.
TEST(TensorTest, HalfRoundingAtEveryMidpoint) {
  for (uint16_t low = 0; low < 0x7bff; ++low) {
    const uint16_t high = low + 1;
    const double mid = (static_cast<double>(HalfToFloat(low)) + HalfToFloat(high)) / 2;
    ASSERT_EQ(HalfBits(mid), (low % 2 == 0) ? low : high) << "bits " << low;
    ASSERT_EQ(HalfBits(std::nextafter(mid, 0.0)), low);
    ASSERT_EQ(HalfBits(std::nextafter(mid, kInf)), high);
  }
}

TEST(TensorTest, I32TruncatesAndWraps) {
  EXPECT_EQ(RoundTrip(DType::kI32, 3.7), 3);
  EXPECT_EQ(RoundTrip(DType::kI32, -3.7), -3);
  EXPECT_EQ(RoundTrip(DType::kI32, 2147483647.9), 2147483647);
  EXPECT_EQ(RoundTrip(DType::kI32, 2147483648.0), -2147483648.0);
  EXPECT_EQ(RoundTrip(DType::kI32, -2147483649.0), 2147483647);
  EXPECT_EQ(RoundTrip(DType::kI32, 4294967296.0 + 5), 5);
  EXPECT_EQ(RoundTrip(DType::kI32, 1e20), 1661992960);  // 10^20 mod 2^32
  EXPECT_EQ(RoundTrip(DType::kI32, kNan), 0);
  EXPECT_EQ(RoundTrip(DType::kI32, kInf), 0);
}

TEST(TensorTest, I8TruncatesAndWraps) {
  EXPECT_EQ(RoundTrip(DType::kI8, 127), 127);
  EXPECT_EQ(RoundTrip(DType::kI8, 128), -128);
  EXPECT_EQ(RoundTrip(DType::kI8, 255.9), -1);
  EXPECT_EQ(RoundTrip(DType::kI8, -129), 127);
  EXPECT_EQ(RoundTrip(DType::kI8, 300), 44);
  EXPECT_EQ(RoundTrip(DType::kI8, -0.5), 0);
  EXPECT_EQ(RoundTrip(DType::kI8, -kInf), 0);
  // The same as a C cast of the truncated integer.
  for (int64_t v = -1000; v <= 1000; v += 7) {
    EXPECT_EQ(RoundTrip(DType::kI8, v + (v < 0 ? -0.25 : 0.25)), static_cast<int8_t>(v)) << v;
  }
}

TEST(TensorTest, BoolIsNonZero) {
  EXPECT_EQ(RoundTrip(DType::kBool, 0), 0);
  EXPECT_EQ(RoundTrip(DType::kBool, -0.0), 0);
  EXPECT_EQ(RoundTrip(DType::kBool, 2.5), 1);
  EXPECT_EQ(RoundTrip(DType::kBool, -1), 1);
  EXPECT_EQ(RoundTrip(DType::kBool, 0.001), 1);
  EXPECT_EQ(RoundTrip(DType::kBool, kNan), 1);
  EXPECT_EQ(Tensor::Scalar(DType::kBool, 7).bytes()[0], std::byte{1});
}

// ---------------------------------------------------------------- .npy

const std::string kNpyMagicV1("\x93NUMPY\x01\x00", 8);

// A version 1.0 file whose dict is `dict`, padded as NumPy pads it.
std::string NpyBytes(const std::string& dict, const std::string& data) {
  std::string header = dict;
  header.append(64 - (10 + dict.size() + 1) % 64, ' ');
  header += '\n';
  return kNpyMagicV1 + static_cast<char>(header.size()) + '\0' + header + data;
}

std::string Le32(uint32_t word) {
  std::string bytes(4, '\0');
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(word >> (8 * i));
  return bytes;
}

// Parses `bytes`, expecting success.
Tensor MustParse(const std::string& bytes) {
  std::string error;
  std::optional<Tensor> tensor = ParseNpy(bytes, "t.npy", &error);
  EXPECT_TRUE(tensor.has_value()) << error;
  return tensor.value_or(Tensor());
}

// Parses `bytes`, expecting failure, and returns the error.
std::string ParseError(const std::string& bytes) {
  std::string error;
  EXPECT_FALSE(ParseNpy(bytes, "x.npy", &error).has_value());
  return error;
}

TEST(NpyTest, RoundTripsEveryDTypeAndRank) {
  const std::vector<Shape> shapes = {{}, {3}, {2, 3}, {2, 1, 3}, {1, 2, 2, 3}, {0}, {2, 0}};
  for (DType dtype : kAllDTypes) {
    for (const Shape& shape : shapes) {
      Tensor tensor = RandomTensor(dtype, shape, 7, "t");
      Tensor back = MustParse(SerializeNpy(tensor));
      EXPECT_EQ(back.TypeString(), tensor.TypeString());
      EXPECT_EQ(back.bytes(), tensor.bytes()) << tensor.TypeString();
    }
  }
}

TEST(NpyTest, WritesExactlyWhatNumPyWrites) {
  // numpy.save(f, numpy.arange(6, dtype=numpy.float32).reshape(2, 3)) with NumPy >= 1.24.
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const std::string header = dict + std::string(20 + 38, ' ') + "\n";  // growth room, padding
  const std::string data = Le32(0x00000000) + Le32(0x3f800000) + Le32(0x40000000) +
                           Le32(0x40400000) + Le32(0x40800000) + Le32(0x40a00000);
  const std::string expected = kNpyMagicV1 + "\x76" + std::string(1, '\0') + header + data;
  Tensor tensor = Tensor::FromValues(DType::kF32, {2, 3}, {0, 1, 2, 3, 4, 5});
  EXPECT_EQ(SerializeNpy(tensor), expected);
}

TEST(NpyTest, HeaderIsAlignedForEveryRank) {
  for (const Shape& shape : std::vector<Shape>{{}, {3}, {12345, 2}, {1, 2, 3, 4}}) {
    const std::string bytes = SerializeNpy(Tensor(DType::kI8, shape));
    const size_t header_length =
        static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
    const size_t data_start = 10 + header_length;
    EXPECT_EQ(data_start % 64, 0u) << FormatShape(shape);
    EXPECT_EQ(bytes[data_start - 1], '\n');
    EXPECT_EQ(bytes.size(), data_start + static_cast<size_t>(NumElements(shape)));
  }
  EXPECT_NE(SerializeNpy(Tensor(DType::kBool, {}))
                .find("'descr': '|b1', 'fortran_order': "
                      "False, 'shape': (), }"),
            std::string::npos);
  EXPECT_NE(SerializeNpy(Tensor(DType::kF16, {3}))
                .find("'descr': '<f2', 'fortran_order': "
                      "False, 'shape': (3,), }"),
            std::string::npos);
}

TEST(NpyTest, ReadsNumPyWrittenFloats) {
  // What NumPy before 1.24 writes (no growth room), byte for byte.
  const std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + std::string(58, ' ') + "\n";
  const std::string data = Le32(0x3f800000) + Le32(0xbf000000) + Le32(0x7f800000) +
                           Le32(0x7fc00000) + Le32(0x00000001) + Le32(0x80000000);
  Tensor tensor = MustParse(kNpyMagicV1 + "\x76" + std::string(1, '\0') + header + data);
  ASSERT_EQ(tensor.TypeString(), "f32[2, 3]");
  EXPECT_EQ(tensor.At({0, 0}), 1.0);
  EXPECT_EQ(tensor.At({0, 1}), -0.5);
  EXPECT_EQ(tensor.At({0, 2}), kInf);
  EXPECT_TRUE(std::isnan(tensor.At({1, 0})));
  EXPECT_EQ(tensor.At({1, 1}), std::ldexp(1.0, -149));
  EXPECT_TRUE(std::signbit(tensor.At({1, 2})));
}

TEST(NpyTest, ReadsEveryDTypeNumPyWrites) {
  Tensor ints = MustParse(NpyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
                                   Le32(1) + Le32(0xffffffff) + Le32(0x80000000)));
  EXPECT_EQ(ints.TypeString(), "i32[3]");
  EXPECT_EQ(ints.Get(1), -1);
  EXPECT_EQ(ints.Get(2), -2147483648.0);
  Tensor bytes =
      MustParse(NpyBytes("{'descr': '|i1', 'fortran_order': False, 'shape': (), }", "\xfe"));
  EXPECT_EQ(bytes.TypeString(), "i8");
  EXPECT_EQ(bytes.Get(0), -2);
  Tensor halves = MustParse(NpyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 2), }",
                                     std::string("\x00\x3c\x00\xc0", 4)));
  EXPECT_EQ(halves.TypeString(), "f16[1, 2]");
  EXPECT_EQ(halves.Get(0), 1.0);
  EXPECT_EQ(halves.Get(1), -2.0);
  Tensor bools = MustParse(NpyBytes("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                                    std::string("\x01\x00\x01", 3)));
  EXPECT_EQ(bools.TypeString(), "bool[3]");
  EXPECT_EQ(bools.Get(0), 1);
  EXPECT_EQ(bools.Get(1), 0);
}

TEST(NpyTest, AcceptsOtherSpellingsOfTheSameHeader) {
  // Any key order, double quotes, no trailing comma, Python 2 longs, '=' byte order.
  Tensor tensor = MustParse(NpyBytes("{\"shape\": (1L,2L), 'fortran_order':False,'descr':'=f4'}",
                                     Le32(0x3f800000) + Le32(0x40000000)));
  EXPECT_EQ(tensor.TypeString(), "f32[1, 2]");
  EXPECT_EQ(tensor.Get(1), 2.0);
}

TEST(NpyTest, ReadsVersion2Headers) {
  std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }";
  header.append(64 - (12 + header.size() + 1) % 64, ' ');
  header += '\n';
  const std::string bytes =
      std::string("\x93NUMPY\x02\x00", 8) + Le32(header.size()) + header + Le32(42);
  EXPECT_EQ(MustParse(bytes).Get(0), 42);
}

TEST(NpyTest, IgnoresBytesAfterTheData) {
  const std::string bytes = SerializeNpy(Tensor::Scalar(DType::kI32, 5)) + "extra";
  EXPECT_EQ(MustParse(bytes).Get(0), 5);
}

TEST(NpyTest, RejectsBadMagic) {
  EXPECT_EQ(ParseError("PK\x03\x04 zip file"), "x.npy: not a .npy file (bad magic)");
  EXPECT_EQ(ParseError(""), "x.npy: not a .npy file (bad magic)");
  EXPECT_EQ(ParseError(std::string("\x93NUMPX\x01\x00", 8)), "x.npy: not a .npy file (bad magic)");
}

TEST(NpyTest, RejectsUnsupportedVersions) {
  EXPECT_EQ(ParseError(std::string("\x93NUMPY\x04\x00\x00\x00", 10)),
            "x.npy: unsupported .npy format version 4.0 (Tessel reads 1.0, 2.0 and 3.0)");
}

TEST(NpyTest, RejectsTruncatedFiles) {
  const std::string full = SerializeNpy(Tensor(DType::kF32, {2, 3}));
  EXPECT_EQ(ParseError(full.substr(0, 9)), "x.npy: truncated header");
  EXPECT_EQ(ParseError(full.substr(0, 50)), "x.npy: truncated header");
  EXPECT_EQ(ParseError(full.substr(0, full.size() - 1)),
            "x.npy: truncated data: shape (2, 3) of <f4 needs 24 bytes, the file has 23");
  EXPECT_EQ(ParseError(NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': "
                                "(4294967296, 4294967296, 4294967296), }",
                                "")),
            "x.npy: truncated data: shape (4294967296, 4294967296, 4294967296) of <f4 needs too "
            "many bytes, the file has 0");
}

TEST(NpyTest, RejectsFortranOrder) {
  const std::string error = ParseError(NpyBytes(
      "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", std::string(24, '\0')));
  EXPECT_EQ(error,
            "x.npy: fortran_order arrays are not supported (save a C-ordered array, "
            "e.g. numpy.ascontiguousarray(x))");
}

TEST(NpyTest, RejectsUnsupportedDTypes) {
  for (const char* descr : {"<f8", ">f4", "<i8", "<u1", ">i4", "|f4", "<U3"}) {
    const std::string error = ParseError(
        NpyBytes(std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (1,), }",
                 std::string(8, '\0')));
    EXPECT_EQ(error, std::string("x.npy: unsupported dtype '") + descr +
                         "' (Tessel reads <f4 <f2 <i4 |i1 |b1; convert with .astype(), e.g. "
                         "numpy.float32 for floats, numpy.int32 for integers)");
  }
}

TEST(NpyTest, RejectsMalformedHeaders) {
  struct Case {
    const char* dict;
    const char* error;
  };
  const Case cases[] = {
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ",
       "unexpected end of the header at offset 118"},
      {"{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (3), }",
       "shape (n) is not a tuple, write (n,) at offset 50"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
       "expected a non-negative integer dimension at offset 51"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }",
       "expected True or False at offset 34"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
       "unexpected key 'x' at offset 56"},
      {"{'descr': '<f4', 'descr': '<f4'}", "duplicate key 'descr' at offset 17"},
      {"{'descr' '<f4'}", "expected ':' after 'descr' at offset 9"},
      {"{'descr': '<f4' 'shape': ()}", "expected ',' or '}' at offset 16"},
      {"['descr']", "expected '{' at offset 0"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x", "unexpected text after "},
  };
  for (const Case& c : cases) {
    const std::string error = ParseError(NpyBytes(c.dict, std::string(8, '\0')));
    EXPECT_EQ(error.rfind("x.npy: malformed .npy header: ", 0), 0u) << error;
    EXPECT_NE(error.find(c.error), std::string::npos) << c.dict << "\n" << error;
  }
}

TEST(NpyTest, WritesAndReadsFiles) {
  const std::string path = testing::TempDir() + "/runtime_test_roundtrip.npy";
  Tensor tensor = RandomTensor(DType::kF16, {3, 4}, 1, "w");
  std::string error;
  ASSERT_TRUE(WriteNpy(path, tensor, &error)) << error;
  std::optional<Tensor> back = ReadNpy(path, &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->bytes(), tensor.bytes());
  std::filesystem::remove(path);
}

TEST(NpyTest, ReportsFilesThatCannotBeOpened) {
  std::string error;
  EXPECT_FALSE(ReadNpy("/nonexistent/in.npy", &error).has_value());
  EXPECT_EQ(error, "/nonexistent/in.npy: cannot open: No such file or directory");
  EXPECT_FALSE(WriteNpy("/nonexistent/out.npy", Tensor(), &error));
  EXPECT_EQ(error, "/nonexistent/out.npy: cannot write: No such file or directory");
  EXPECT_FALSE(ReadNpy(testing::TempDir(), &error).has_value());
  EXPECT_NE(error.find("cannot read: Is a directory"), std::string::npos) << error;
}

// ---------------------------------------------------------------- RandomTensor

TEST(RandomTensorTest, SplitMix64MatchesTheReferenceSequence) {
  SplitMix64 generator(1234567);
  EXPECT_EQ(generator.Next(), 6457827717110365317ull);
  EXPECT_EQ(generator.Next(), 3203168211198807973ull);
  EXPECT_EQ(generator.Next(), 9817491932198370423ull);
  EXPECT_EQ(generator.Next(), 4593380528125082431ull);
  EXPECT_EQ(generator.Next(), 16408922859458223821ull);
}

TEST(RandomTensorTest, SameSeedAndNameGiveTheSameValues) {
  for (DType dtype : kAllDTypes) {
    EXPECT_EQ(RandomTensor(dtype, {5, 7}, 3, "x").bytes(),
              RandomTensor(dtype, {5, 7}, 3, "x").bytes());
  }
}

TEST(RandomTensorTest, DifferentNamesOrSeedsGiveDifferentValues) {
  Tensor x = RandomTensor(DType::kF32, {64}, 3, "x");
  EXPECT_NE(x.bytes(), RandomTensor(DType::kF32, {64}, 3, "w").bytes());
  EXPECT_NE(x.bytes(), RandomTensor(DType::kF32, {64}, 4, "x").bytes());
  EXPECT_NE(x.bytes(), RandomTensor(DType::kF32, {64}, 3, "x ").bytes());
}

TEST(RandomTensorTest, ValuesAreInRange) {
  for (DType dtype : {DType::kF32, DType::kF16}) {
    Tensor tensor = RandomTensor(dtype, {4096}, 9, "f");
    double sum = 0;
    for (int64_t i = 0; i < tensor.size(); ++i) {
      ASSERT_GE(tensor.Get(i), -1.0);
      ASSERT_LT(tensor.Get(i), 1.0);
      sum += tensor.Get(i);
    }
    EXPECT_LT(std::fabs(sum / 4096), 0.05) << DTypeName(dtype);
  }
  for (DType dtype : {DType::kI32, DType::kI8, DType::kBool}) {
    Tensor tensor = RandomTensor(dtype, {4096}, 9, "i");
    const int low = dtype == DType::kBool ? 0 : -8;
    const int high = dtype == DType::kBool ? 2 : 8;
    std::vector<int> seen(high - low, 0);
    for (int64_t i = 0; i < tensor.size(); ++i) {
      const double value = tensor.Get(i);
      ASSERT_EQ(value, std::trunc(value));
      ASSERT_GE(value, low);
      ASSERT_LT(value, high);
      ++seen[static_cast<int>(value) - low];
    }
    for (int count : seen) EXPECT_GT(count, 0) << DTypeName(dtype);  // every value occurs
  }
}

// Pins the generator: if these change, every seeded run in the course changes.
TEST(RandomTensorTest, GoldenValues) {
  Tensor floats = RandomTensor(DType::kF32, {4}, 42, "x");
  EXPECT_EQ(floats.Get(0), -0.10411953926086426);
  EXPECT_EQ(floats.Get(1), -0.36282551288604736);
  EXPECT_EQ(floats.Get(2), -0.22955465316772461);
  EXPECT_EQ(floats.Get(3), -0.0056688785552978516);
  Tensor ints = RandomTensor(DType::kI32, {6}, 42, "n");
  std::vector<double> values;
  for (int64_t i = 0; i < ints.size(); ++i) values.push_back(ints.Get(i));
  EXPECT_EQ(values, (std::vector<double>{-4, 5, -8, 1, -2, -8}));
}

TEST(ParameterBoundTest, IsOneOverTheSquareRootOfTheFanIn) {
  EXPECT_EQ(ParameterBound({}), 1.0);             // a scalar
  EXPECT_EQ(ParameterBound({64}), 1.0);           // a bias
  EXPECT_EQ(ParameterBound({784, 64}), 1.0 / 28);  // x @ w: 784 inputs per output
  EXPECT_EQ(ParameterBound({2, 64, 64}), 1.0 / 8);  // a stack of [in, out] matrices
  EXPECT_EQ(ParameterBound({32, 16, 3, 3}), 1.0 / 12);  // a conv filter: 16 * 3 * 3 = 144
}

TEST(SeededParameterTest, ScalesFloatsByTheBoundAndKeepsIntegers) {
  Tensor raw = RandomTensor(DType::kF32, {16, 4}, 5, "w");
  Tensor scaled = SeededParameter(DType::kF32, {16, 4}, 5, "w");
  for (int64_t i = 0; i < raw.size(); ++i) {
    EXPECT_EQ(scaled.Get(i), static_cast<float>(raw.Get(i) * 0.25)) << i;
    EXPECT_LT(std::abs(scaled.Get(i)), 0.25) << i;
  }
  EXPECT_EQ(SeededParameter(DType::kI32, {16, 4}, 5, "n").bytes(),
            RandomTensor(DType::kI32, {16, 4}, 5, "n").bytes());
  EXPECT_EQ(SeededParameter(DType::kF32, {8}, 5, "b").bytes(),
            RandomTensor(DType::kF32, {8}, 5, "b").bytes());
}

// ---------------------------------------------------------------- CompareTensors

Tensor F32(Shape shape, const std::vector<double>& values) {
  return Tensor::FromValues(DType::kF32, std::move(shape), values);
}

TEST(CompareTensorsTest, IdenticalTensorsAreEqual) {
  Tensor tensor = RandomTensor(DType::kF32, {3, 4}, 1, "a");
  Comparison comparison = CompareTensors(tensor, tensor);
  EXPECT_TRUE(comparison.equal);
  EXPECT_EQ(comparison.mismatch, "");
  EXPECT_EQ(comparison.max_abs_error, 0);
  EXPECT_EQ(comparison.mismatches, 0);
  EXPECT_EQ(FormatComparison(comparison),
            "equal: max abs error 0, max rel error 0 (tolerance abs 1e-05 rel 0.0001)");
}

TEST(CompareTensorsTest, DifferencesWithinToleranceAreEqual) {
  // Passes when |a - e| <= 1e-5 + 1e-4 * |e|.
  EXPECT_TRUE(CompareTensors(F32({2}, {1.0001, 0}), F32({2}, {1.0, 0.000009})).equal);
  EXPECT_FALSE(CompareTensors(F32({1}, {1.0002}), F32({1}, {1.0})).equal);
  EXPECT_FALSE(CompareTensors(F32({1}, {0.00002}), F32({1}, {0})).equal);
  EXPECT_TRUE(CompareTensors(F32({1}, {1.5}), F32({1}, {1.0}), {0.5, 0}).equal);
  EXPECT_TRUE(CompareTensors(F32({1}, {-0.0}), F32({1}, {0.0}), {0, 0}).equal);
}

TEST(CompareTensorsTest, IntegersMustMatchExactly) {
  Tensor a = Tensor::FromValues(DType::kI32, {1}, {100001});
  Tensor b = Tensor::FromValues(DType::kI32, {1}, {100000});
  EXPECT_FALSE(CompareTensors(a, b).equal);
  EXPECT_TRUE(CompareTensors(b, b).equal);
  Tensor t = Tensor::FromValues(DType::kBool, {2}, {1, 0});
  Tensor f = Tensor::FromValues(DType::kBool, {2}, {1, 1});
  EXPECT_EQ(CompareTensors(t, f).mismatch, "1 of 2 elements differ");
}

TEST(CompareTensorsTest, ReportsDTypeMismatch) {
  Comparison comparison = CompareTensors(F32({2}, {1, 2}), Tensor(DType::kF16, {2}));
  EXPECT_FALSE(comparison.equal);
  EXPECT_EQ(comparison.mismatch, "dtype differs: actual f32[2], expected f16[2]");
  EXPECT_EQ(FormatComparison(comparison), comparison.mismatch);
}

TEST(CompareTensorsTest, ReportsShapeMismatch) {
  Comparison comparison = CompareTensors(Tensor(DType::kI8, {2, 3}), Tensor(DType::kI8, {3, 2}));
  EXPECT_FALSE(comparison.equal);
  EXPECT_EQ(comparison.mismatch, "shape differs: actual i8[2, 3], expected i8[3, 2]");
  EXPECT_EQ(CompareTensors(Tensor(DType::kI8, {}), Tensor(DType::kI8, {1})).mismatch,
            "shape differs: actual i8, expected i8[1]");
}

TEST(CompareTensorsTest, NanEqualsNan) {
  EXPECT_TRUE(CompareTensors(F32({2}, {kNan, 1}), F32({2}, {kNan, 1})).equal);
  Comparison comparison = CompareTensors(F32({2}, {kNan, 1}), F32({2}, {0, 1}));
  EXPECT_FALSE(comparison.equal);
  EXPECT_EQ(comparison.max_abs_error, kInf);
  EXPECT_FALSE(CompareTensors(F32({1}, {0}), F32({1}, {kNan})).equal);
}

TEST(CompareTensorsTest, InfinitiesMustMatchExactly) {
  EXPECT_TRUE(CompareTensors(F32({2}, {kInf, -kInf}), F32({2}, {kInf, -kInf})).equal);
  EXPECT_FALSE(CompareTensors(F32({1}, {kInf}), F32({1}, {-kInf})).equal);
  EXPECT_FALSE(CompareTensors(F32({1}, {kInf}), F32({1}, {1e30}), {1e30, 1e30}).equal);
  EXPECT_FALSE(CompareTensors(F32({1}, {1e30}), F32({1}, {kInf}), {1e30, 1e30}).equal);
}

TEST(CompareTensorsTest, FindsTheFirstBadIndex) {
  Comparison comparison =
      CompareTensors(F32({2, 3}, {0, 1, 2, 3, 5, 7}), F32({2, 3}, {0, 1, 2, 3, 4, 5}));
  EXPECT_FALSE(comparison.equal);
  EXPECT_EQ(comparison.mismatches, 2);
  EXPECT_EQ(comparison.first_bad_index, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(comparison.actual_at_first, 5);
  EXPECT_EQ(comparison.expected_at_first, 4);
  EXPECT_EQ(comparison.max_abs_error, 2);
  EXPECT_EQ(comparison.max_rel_error, 0.4);
  EXPECT_EQ(comparison.mismatch, "2 of 6 elements differ");
}

TEST(CompareTensorsTest, FormatsTheReport) {
  Comparison comparison =
      CompareTensors(F32({2, 2}, {0.5, 1, 0.51, 3}), F32({2, 2}, {0.5, 1, 0.5, 3}));
  EXPECT_EQ(FormatComparison(comparison),
            "max abs error 0.01, max rel error 0.02, 1 of 4 elements differ; first at [1, 0]: "
            "actual 0.51 expected 0.5 (tolerance abs 1e-05 rel 0.0001)");
  Comparison scalar = CompareTensors(F32({}, {kNan}), F32({}, {-kInf}));
  EXPECT_EQ(FormatComparison(scalar, {0, 0}),
            "max abs error inf, max rel error inf, 1 of 1 elements differ; first at []: "
            "actual nan expected -inf (tolerance abs 0 rel 0)");
}


// ------------------------------------------------------------------ summaries

TEST(SummarizeTensorTest, ShowsTypeRangeMeanAndTheFirstValues) {
  Tensor t = Tensor::FromValues(DType::kF32, {2, 5}, {0.1, 2, 3, 4, 5, 6, 7, 8, 9, -1});
  EXPECT_EQ(SummarizeTensor(t, 3),
            "f32[2, 5]  min -1.0  max 9.0  mean 4.31\n  values: 0.1 2.0 3.0 ... (10 in all)");
}

TEST(SummarizeTensorTest, IntegersPrintWithoutFractionsAndSpecialFloatsByName) {
  EXPECT_EQ(SummarizeTensor(Tensor::Scalar(DType::kI32, -7)),
            "i32  min -7  max -7  mean -7.0\n  values: -7");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatValue(std::nan("")), "nan");
  EXPECT_EQ(FormatValue(0.1f), "0.1");
}

}  // namespace
}  // namespace tessel
