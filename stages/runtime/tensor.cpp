// Tensors: storage, element conversion and indexing (see tensor.h).
//
// Every element is read and written through a double. The conversions below
// are the single place that defines what storing a value in each dtype means;
// the interpreter, the .npy reader and the random generator all go through
// them, so they are written to be checked by eye, not to be fast.
#include "stages/runtime/tensor.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "stages/common/check.h"

namespace tessel {

// Elements are stored in host byte order and documented as little-endian.
static_assert(std::endian::native == std::endian::little, "Tessel assumes a little-endian host");
static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "Tessel assumes IEEE 754 float and double");

namespace {

constexpr uint16_t kHalfSignBit = 0x8000;
constexpr uint16_t kHalfInfinity = 0x7c00;
constexpr uint16_t kHalfQuietNan = 0x7e00;

// Rounds `value` to the nearest IEEE half (ties to even) and returns its bits.
// Working from the double directly avoids the double rounding of going
// through float first. Scaling by a power of two is exact, and nearbyint
// rounds to the nearest integer, ties to even (the default rounding mode).
uint16_t DoubleToHalfBits(double value) {
  const uint16_t sign = std::signbit(value) ? kHalfSignBit : 0;
  if (std::isnan(value)) return sign | kHalfQuietNan;
  const double magnitude = std::fabs(value);
  // 65504 is the largest half; 65520 lies halfway to the next power of two
  // and ties go to the even neighbour, which is infinity.
  if (magnitude >= 65520.0) return sign | kHalfInfinity;
  if (magnitude < std::ldexp(1.0, -14)) {
    // Subnormal: a multiple of 2^-24. Rounding up to 1024 * 2^-24 yields the
    // bits of the smallest normal, which is also the right answer.
    return sign | static_cast<uint16_t>(std::nearbyint(std::ldexp(magnitude, 24)));
  }
  int exponent = 0;
  std::frexp(magnitude, &exponent);  // magnitude = m * 2^exponent, m in [0.5, 1)
  int unbiased = exponent - 1;       // magnitude in [2^unbiased, 2^(unbiased + 1))
  double significand = std::nearbyint(std::ldexp(magnitude, 10 - unbiased));  // in [1024, 2048]
  if (significand == 2048.0) {  // rounded up to the next power of two
    significand = 1024.0;
    ++unbiased;
  }
  if (unbiased > 15) return sign | kHalfInfinity;
  const int biased = unbiased + 15;
  return sign | static_cast<uint16_t>((biased << 10) | (static_cast<int>(significand) - 1024));
}

// Truncates toward zero, then wraps modulo 2^bits into the signed range, as a
// C cast of the truncated integer to a `bits`-wide signed type does. NaN and
// the infinities have no integer value; they become 0.
int64_t TruncateAndWrap(double value, int bits) {
  if (!std::isfinite(value)) return 0;
  const double modulus = std::ldexp(1.0, bits);
  double wrapped = std::fmod(std::trunc(value), modulus);  // exact, in (-modulus, modulus)
  if (wrapped < 0) wrapped += modulus;                     // exact: both are small integers
  if (wrapped >= modulus / 2) wrapped -= modulus;
  return static_cast<int64_t>(wrapped);
}

template <typename T>
T Load(const std::vector<std::byte>& bytes, int64_t flat) {
  T value;
  std::memcpy(&value, bytes.data() + flat * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return value;
}

template <typename T>
void Store(std::vector<std::byte>& bytes, int64_t flat, T value) {
  std::memcpy(bytes.data() + flat * static_cast<int64_t>(sizeof(T)), &value, sizeof(T));
}

}  // namespace

int64_t NumElements(const Shape& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

std::string FormatShape(const Shape& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::vector<int64_t> RowMajorStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size());
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

Tensor::Tensor(DType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  for (int64_t dim : shape_) {
    TESSEL_CHECK(dim >= 0, "negative dimension in tensor shape " + FormatShape(shape_));
  }
  bytes_.resize(static_cast<size_t>(NumElements(shape_)) * DTypeSize(dtype_));
}

Tensor Tensor::Scalar(DType dtype, double value) {
  Tensor tensor(dtype, {});
  tensor.Set(0, value);
  return tensor;
}

Tensor Tensor::FromValues(DType dtype, Shape shape, const std::vector<double>& values) {
  Tensor tensor(dtype, std::move(shape));
  TESSEL_CHECK(static_cast<int64_t>(values.size()) == tensor.size(),
               std::to_string(values.size()) + " values for tensor " + tensor.TypeString());
  for (size_t i = 0; i < values.size(); ++i) tensor.Set(static_cast<int64_t>(i), values[i]);
  return tensor;
}

double Tensor::Get(int64_t flat) const {
  TESSEL_CHECK(flat >= 0 && flat < size(),
               "element " + std::to_string(flat) + " out of bounds for tensor " + TypeString());
  switch (dtype_) {
    case DType::kF32:
      return Load<float>(bytes_, flat);
    case DType::kF16:
      return HalfToFloat(Load<uint16_t>(bytes_, flat));
    case DType::kI32:
      return Load<int32_t>(bytes_, flat);
    case DType::kI8:
      return Load<int8_t>(bytes_, flat);
    case DType::kBool:
      return Load<uint8_t>(bytes_, flat) != 0 ? 1.0 : 0.0;
  }
  TESSEL_CHECK(false, "unknown dtype");
}

void Tensor::Set(int64_t flat, double value) {
  TESSEL_CHECK(flat >= 0 && flat < size(),
               "element " + std::to_string(flat) + " out of bounds for tensor " + TypeString());
  switch (dtype_) {
    // IEEE 754 double -> float conversion rounds to nearest, ties to even,
    // and overflows to infinity.
    case DType::kF32:
      return Store<float>(bytes_, flat, static_cast<float>(value));
    case DType::kF16:
      return Store<uint16_t>(bytes_, flat, DoubleToHalfBits(value));
    case DType::kI32:
      return Store<int32_t>(bytes_, flat, static_cast<int32_t>(TruncateAndWrap(value, 32)));
    case DType::kI8:
      return Store<int8_t>(bytes_, flat, static_cast<int8_t>(TruncateAndWrap(value, 8)));
    case DType::kBool:
      return Store<uint8_t>(bytes_, flat, value != 0 ? 1 : 0);  // NaN is true
  }
  TESSEL_CHECK(false, "unknown dtype");
}

double Tensor::At(const std::vector<int64_t>& index) const { return Get(FlatIndex(index)); }

int64_t Tensor::FlatIndex(const std::vector<int64_t>& index) const {
  TESSEL_CHECK(index.size() == shape_.size(), "index " + FormatShape(index) + " of rank " +
                                                  std::to_string(index.size()) + " into tensor " +
                                                  TypeString());
  int64_t flat = 0;
  for (size_t d = 0; d < index.size(); ++d) {
    TESSEL_CHECK(index[d] >= 0 && index[d] < shape_[d],
                 "index " + FormatShape(index) + " out of bounds for tensor " + TypeString());
    flat = flat * shape_[d] + index[d];
  }
  return flat;
}

std::string Tensor::TypeString() const {
  // Written as Tessel and the IR write types: a scalar is just its dtype.
  if (shape_.empty()) return std::string(DTypeName(dtype_));
  return std::string(DTypeName(dtype_)) + FormatShape(shape_);
}

uint16_t FloatToHalf(float value) { return DoubleToHalfBits(value); }

float HalfToFloat(uint16_t half) {
  const bool negative = (half & kHalfSignBit) != 0;
  const int biased = (half >> 10) & 0x1f;
  const int fraction = half & 0x3ff;
  double magnitude = 0;
  if (biased == 0) {
    magnitude = std::ldexp(fraction, -24);  // zero or subnormal
  } else if (biased == 31) {
    magnitude = fraction == 0 ? std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::quiet_NaN();
  } else {
    magnitude = std::ldexp(1024 + fraction, biased - 25);  // (1 + fraction/1024) * 2^(biased-15)
  }
  return static_cast<float>(negative ? -magnitude : magnitude);
}

}  // namespace tessel
