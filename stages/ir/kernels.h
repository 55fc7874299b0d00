// The interpreter's kernels (stage 2, internal to tessel_ir): one plain loop
// nest per primitive op over doubles, and the scalar semantics that both the
// tensor kernels and comprehension bodies use, so the two agree by construction.
//
// Every kernel writes into `out`, already created with the instruction's
// declared type, and returns false with *error set (a bare message; the caller
// adds the function and the instruction) when the operands do not fit that
// type or a value is invalid (integer division by zero, take out of range).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::ir {

using Operands = std::vector<const Tensor*>;

// ------------------------------------------------------------ scalar rules

/// Applies `op` (pattern kElementwise or kBroadcast) to `args`, whose dtype is
/// `dtype` (for select, the dtype of the two choices). Floats compute in double
/// and are not rounded here; integer add/sub/mul/div/mod/pow wrap to `dtype`
/// as C's two's complement does; comparisons give 0 or 1. Returns false with
/// *error on integer division or mod by zero, or for an op that is not scalar.
bool ApplyScalar(Op op, DType dtype, const double* args, double* result, std::string* error);

/// `value` stored into and read back from a scalar of `dtype` (Tensor::Set's
/// rounding: f32/f16 round to nearest, integers truncate and wrap, bool != 0).
double RoundToDType(DType dtype, double value);

/// The identity a reduction starts from: sum 0, prod 1, max -inf, min +inf (assign 0).
double ReduceIdentity(ReduceKind kind);
/// `acc` combined with `value` by `kind` under the scalar rules of `dtype`:
/// floats in double without rounding, integers wrapping at every step.
double ReduceCombine(ReduceKind kind, DType dtype, double acc, double value);

// ----------------------------------------------------------------- indices

/// A row-major odometer over the multi-indices of a shape:
///   for (IndexCounter it(shape); !it.done(); it.Next()) use(it.flat(), it.index());
class IndexCounter {
 public:
  explicit IndexCounter(const Shape& shape)
      : shape_(shape), index_(shape.size(), 0), total_(NumElements(shape)) {}
  bool done() const { return flat_ >= total_; }
  int64_t flat() const { return flat_; }
  const std::vector<int64_t>& index() const { return index_; }
  void Next() {
    ++flat_;
    for (size_t d = shape_.size(); d-- > 0;) {
      if (++index_[d] < shape_[d]) return;
      index_[d] = 0;
    }
  }

 private:
  Shape shape_;
  std::vector<int64_t> index_;
  int64_t total_;
  int64_t flat_ = 0;
};

/// Strides that read a tensor of shape `in` as if broadcast (NumPy rules) to
/// `out`: one per dimension of `out`, 0 along broadcast dimensions. Nullopt
/// when `in` does not broadcast to `out`.
std::optional<std::vector<int64_t>> BroadcastStrides(const Shape& in, const Shape& out);

/// The dot product of `index` and `strides` (a flat offset).
int64_t Offset(const std::vector<int64_t>& index, const std::vector<int64_t>& strides);


// ----------------------------------------------------------------- kernels

/// Unary math and cast (ops of pattern kElementwise).
bool UnaryKernel(Op op, const Operands& in, Tensor* out, std::string* error);
/// Binary arithmetic, comparisons, logic and select, with broadcasting.
bool BroadcastingKernel(Op op, const Operands& in, Tensor* out, std::string* error);

/// matmul with NumPy rules: rank-1 operands, broadcast batch dimensions.
bool MatMulKernel(const Operands& in, Tensor* out, std::string* error);
/// reduce_sum/prod/max/min/mean over attrs.axes, with keepdims.
bool ReduceKernel(Op op, const Attrs& attrs, const Operands& in, Tensor* out,
                  std::string* error);
/// argmax/argmin along the one axis of attrs.axes: the first index of the extreme
/// (NaN counts as the extreme, as NumPy), stored as i32.
bool ArgReduceKernel(Op op, const Attrs& attrs, const Operands& in, Tensor* out,
                     std::string* error);

bool ReshapeKernel(const Operands& in, Tensor* out, std::string* error);
bool BroadcastKernel(const Operands& in, Tensor* out, std::string* error);
bool TransposeKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error);
bool ConcatKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error);
bool SliceKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error);
bool PadKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error);
bool TakeKernel(const Operands& in, Tensor* out, std::string* error);
/// x with u written at the (clamped) start indices in[2..]: XLA's dynamic_update_slice.
bool UpdateSliceKernel(const Operands& in, Tensor* out, std::string* error);
bool ConstantKernel(const Attrs& attrs, Tensor* out, std::string* error);

/// Evaluates the comprehension of `instr` pointwise (comprehension_eval.cpp).
bool ComprehensionKernel(const Instr& instr, const Operands& in, Tensor* out,
                         std::string* error);

}  // namespace tessel::ir
