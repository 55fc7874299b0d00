// The interpreter's data-movement kernels (stage 2): reshape, broadcast,
// transpose, concat, slice, pad, take, update_slice and constant. Each output element is one
// input element (or the pad value); every read is bounds-checked so that an
// ill-formed instruction is a message, not a crash.
#include <algorithm>

#include "stages/ir/kernels.h"

namespace tessel::ir {

namespace {

bool Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

// A permutation of 0..rank-1?
bool IsPermutation(const std::vector<int64_t>& perm, size_t rank) {
  if (perm.size() != rank) return false;
  std::vector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[p]) return false;
    seen[p] = true;
  }
  return true;
}

// Concat operands agree with the result everywhere but along `axis`, where
// their extents add up to the result's.
bool CheckConcat(int64_t axis, const Operands& in, const Tensor& result, std::string* error) {
  const Shape& out = result.shape();
  if (axis < 0 || axis >= static_cast<int64_t>(out.size())) {
    return Fail(error, "concat axis " + std::to_string(axis) + " is out of range for rank " +
                           std::to_string(out.size()));
  }
  int64_t total = 0;
  for (const Tensor* t : in) {
    Shape expected = out;
    expected[axis] = t->rank() == static_cast<int64_t>(out.size()) ? t->shape()[axis] : -1;
    if (t->shape() != expected) {
      return Fail(error, "concat operand " + t->TypeString() + " does not fit the result " +
                             result.TypeString() + " along axis " + std::to_string(axis));
    }
    total += t->shape()[axis];
  }
  if (total != out[axis]) {
    return Fail(error, "concat operands add up to " + std::to_string(total) + " along axis " +
                           std::to_string(axis) + ", not " + std::to_string(out[axis]));
  }
  return true;
}

// Every attribute vector of slice or pad has one entry per dimension.
bool HasOnePerDim(const std::vector<std::vector<int64_t>>& attrs, size_t rank) {
  for (const auto& a : attrs) {
    if (a.size() != rank) return false;
  }
  return true;
}

}  // namespace

bool ReshapeKernel(const Operands& in, Tensor* out, std::string* error) {
  const Tensor& x = *in[0];
  if (x.size() != out->size()) {
    return Fail(error, "cannot reshape " + x.TypeString() + " (" + std::to_string(x.size()) +
                           " elements) to " + out->TypeString());
  }
  for (int64_t i = 0; i < x.size(); ++i) out->Set(i, x.Get(i));
  return true;
}

bool BroadcastKernel(const Operands& in, Tensor* out, std::string* error) {
  const Tensor& x = *in[0];
  auto strides = BroadcastStrides(x.shape(), out->shape());
  if (!strides) {
    return Fail(error, "cannot broadcast " + x.TypeString() + " to " + out->TypeString());
  }
  for (IndexCounter it(out->shape()); !it.done(); it.Next()) {
    out->Set(it.flat(), x.Get(Offset(it.index(), *strides)));
  }
  return true;
}

bool TransposeKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error) {
  const Tensor& x = *in[0];
  const std::vector<int64_t>& perm = attrs.axes;
  bool fits = IsPermutation(perm, x.shape().size()) && out->rank() == x.rank();
  for (size_t d = 0; fits && d < perm.size(); ++d) fits = out->shape()[d] == x.shape()[perm[d]];
  if (!fits) {
    return Fail(error, "transpose of " + x.TypeString() + " by " + FormatShape(perm) +
                           " does not give " + out->TypeString());
  }
  std::vector<int64_t> own = RowMajorStrides(x.shape()), strides(perm.size());
  for (size_t d = 0; d < perm.size(); ++d) strides[d] = own[perm[d]];
  for (IndexCounter it(out->shape()); !it.done(); it.Next()) {
    out->Set(it.flat(), x.Get(Offset(it.index(), strides)));
  }
  return true;
}

bool ConcatKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error) {
  if (attrs.axes.size() != 1) return Fail(error, "concat needs exactly one axis");
  int64_t axis = attrs.axes[0];
  if (!CheckConcat(axis, in, *out, error)) return false;
  std::vector<int64_t> out_strides = RowMajorStrides(out->shape());
  int64_t start = 0;  // where the current operand begins along `axis`
  for (const Tensor* t : in) {
    for (IndexCounter it(t->shape()); !it.done(); it.Next()) {
      out->Set(Offset(it.index(), out_strides) + start * out_strides[axis], t->Get(it.flat()));
    }
    start += t->shape()[axis];
  }
  return true;
}

bool SliceKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error) {
  const Tensor& x = *in[0];
  size_t rank = x.shape().size();
  if (!HasOnePerDim({attrs.begin, attrs.end, attrs.step}, rank) || out->rank() != x.rank()) {
    return Fail(error, "slice of " + x.TypeString() + " needs begin, end and step of rank " +
                           std::to_string(rank) + " and a result of the same rank");
  }
  std::vector<int64_t> source(rank);
  for (IndexCounter it(out->shape()); !it.done(); it.Next()) {
    for (size_t d = 0; d < rank; ++d) source[d] = attrs.begin[d] + it.index()[d] * attrs.step[d];
    for (size_t d = 0; d < rank; ++d) {
      if (source[d] < 0 || source[d] >= x.shape()[d]) {
        return Fail(error, "slice reads " + FormatShape(source) + " outside " + x.TypeString());
      }
    }
    out->Set(it.flat(), x.At(source));
  }
  return true;
}

bool PadKernel(const Attrs& attrs, const Operands& in, Tensor* out, std::string* error) {
  const Tensor& x = *in[0];
  size_t rank = x.shape().size();
  bool fits = HasOnePerDim({attrs.low, attrs.high}, rank) && out->rank() == x.rank();
  for (size_t d = 0; fits && d < rank; ++d) {
    fits = out->shape()[d] == x.shape()[d] + attrs.low[d] + attrs.high[d];
  }
  if (!fits) {
    return Fail(error, "pad of " + x.TypeString() + " by low " + FormatShape(attrs.low) + " high " +
                           FormatShape(attrs.high) + " does not give " + out->TypeString());
  }
  std::vector<int64_t> source(rank);
  for (IndexCounter it(out->shape()); !it.done(); it.Next()) {
    bool inside = true;
    for (size_t d = 0; d < rank; ++d) {
      source[d] = it.index()[d] - attrs.low[d];
      inside = inside && source[d] >= 0 && source[d] < x.shape()[d];
    }
    out->Set(it.flat(), inside ? x.At(source) : attrs.pad_value);
  }
  return true;
}

bool TakeKernel(const Operands& in, Tensor* out, std::string* error) {
  const Tensor &x = *in[0], &i = *in[1];
  if (x.rank() == 0 || i.rank() != 0 || IsFloat(i.dtype()) ||
      out->shape() != Shape(x.shape().begin() + 1, x.shape().end())) {
    return Fail(error, "take from " + x.TypeString() + " at " + i.TypeString() +
                           " does not give " + out->TypeString());
  }
  double index = i.Get(0);
  int64_t extent = x.shape()[0];
  if (!(index >= 0 && index < static_cast<double>(extent))) {
    return Fail(error, "take index " + std::to_string(static_cast<int64_t>(index)) +
                           " is out of range for axis 0 of extent " + std::to_string(extent) +
                           " in " + x.TypeString());
  }
  int64_t start = static_cast<int64_t>(index) * out->size();
  for (int64_t k = 0; k < out->size(); ++k) out->Set(k, x.Get(start + k));
  return true;
}

bool UpdateSliceKernel(const Operands& in, Tensor* out, std::string* error) {
  const Tensor &x = *in[0], &u = *in[1];
  size_t rank = x.shape().size();
  bool fits = in.size() == 2 + rank && u.rank() == x.rank() && out->shape() == x.shape();
  for (size_t d = 0; fits && d < rank; ++d) fits = u.shape()[d] <= x.shape()[d];
  if (!fits) {
    return Fail(error, "update_slice of " + x.TypeString() + " with " + u.TypeString() +
                           " and " + std::to_string(in.size() - 2) +
                           " start indices does not give " + out->TypeString());
  }
  // Starts are clamped so that the update fits, as XLA's dynamic_update_slice does.
  std::vector<int64_t> start(rank), target(rank);
  for (size_t d = 0; d < rank; ++d) {
    double wanted = in[2 + d]->Get(0);
    double last = static_cast<double>(x.shape()[d] - u.shape()[d]);
    start[d] = static_cast<int64_t>(std::min(std::max(wanted, 0.0), last));
  }
  std::vector<int64_t> strides = RowMajorStrides(x.shape());
  *out = x;
  for (IndexCounter it(u.shape()); !it.done(); it.Next()) {
    for (size_t d = 0; d < rank; ++d) target[d] = start[d] + it.index()[d];
    out->Set(Offset(target, strides), u.Get(it.flat()));
  }
  return true;
}

bool ConstantKernel(const Attrs& attrs, Tensor* out, std::string* error) {
  if (!attrs.value) return Fail(error, "constant has no value");
  const Tensor& value = *attrs.value;
  if (value.dtype() != out->dtype() || value.shape() != out->shape()) {
    return Fail(error, "constant value " + value.TypeString() + " does not have the result type");
  }
  *out = value;
  return true;
}

}  // namespace tessel::ir
