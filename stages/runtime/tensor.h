// Tensors: the n-dimensional arrays the interpreter computes on and `tessel
// run` reads and writes (.npy files).
//
// A Tensor owns a dense row-major buffer of one dtype. Elements are stored in
// their real width (f16 as IEEE half, bool as one byte), and read or written
// through a double, which holds every value of every Tessel dtype exactly.
// That keeps the interpreter's kernels plain and obviously correct: they are
// the oracle, not the fast path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "stages/common/dtype.h"

namespace tessel {

using Shape = std::vector<int64_t>;

/// The number of elements of `shape` (1 for a scalar).
int64_t NumElements(const Shape& shape);
/// "[4, 784]" ("[]" for a scalar); also formats indices and axis lists.
std::string FormatShape(const Shape& shape);
/// Row-major strides of `shape`, in elements.
std::vector<int64_t> RowMajorStrides(const Shape& shape);

class Tensor {
 public:
  /// A zero-filled tensor. Every dimension must be >= 0.
  Tensor(DType dtype, Shape shape);
  Tensor() : Tensor(DType::kF32, {}) {}
  /// A scalar holding `value` (converted to dtype).
  static Tensor Scalar(DType dtype, double value);
  /// A tensor filled from `values` (converted to dtype); values.size() must match.
  static Tensor FromValues(DType dtype, Shape shape, const std::vector<double>& values);

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t size() const { return NumElements(shape_); }

  /// Element `flat` (row-major index) as a double; bools read as 0 or 1.
  double Get(int64_t flat) const;
  /// Stores `value` converted to the dtype: floats round to nearest (f16 too),
  /// integers truncate toward zero and wrap like a C cast, bool is value != 0.
  /// NaN and infinities stored in an integer dtype become 0.
  void Set(int64_t flat, double value);
  /// Element at a multi-index (one coordinate per dimension).
  double At(const std::vector<int64_t>& index) const;
  /// Row-major flat index of a multi-index; checks bounds (TESSEL_CHECK).
  int64_t FlatIndex(const std::vector<int64_t>& index) const;

  /// The raw bytes, row-major, little-endian elements.
  const std::vector<std::byte>& bytes() const { return bytes_; }
  std::vector<std::byte>& bytes() { return bytes_; }

  /// "f32[2, 3]"; a scalar is "f32", as Tessel and the IR write it.
  std::string TypeString() const;

 private:
  DType dtype_;
  Shape shape_;
  std::vector<std::byte> bytes_;
};

/// IEEE 754 half <-> float conversions (round to nearest even).
uint16_t FloatToHalf(float value);
float HalfToFloat(uint16_t half);

}  // namespace tessel
