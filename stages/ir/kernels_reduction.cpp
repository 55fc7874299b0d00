// The interpreter's accumulating kernels (stage 2): matmul and the reduce_*
// ops, plus the reduction identities and combine step that comprehensions
// share. Floats accumulate in double and are rounded once, when stored;
// integers wrap at every step, which gives the same result as wrapping once.
#include <algorithm>
#include <cmath>
#include <limits>

#include "stages/ir/kernels.h"

namespace tessel::ir {

namespace {

double Combine(Op op, DType dtype, double a, double b) {
  // Floats accumulate in double: the common cases, without the dispatch.
  if (IsFloat(dtype) && op == Op::kAdd) return a + b;
  if (IsFloat(dtype) && op == Op::kMul) return a * b;
  double args[2] = {a, b}, result = 0;
  std::string unused;  // add, mul, maximum and minimum cannot fail
  ApplyScalar(op, dtype, args, &result, &unused);
  return result;
}

// The two operands of a matmul seen as (batch of) matrices: a rank-1 left
// operand is a row [1, K], a rank-1 right operand a column [K, 1]; the
// corresponding dimension is then absent from the result.
struct MatMulDims {
  Shape a_batch, b_batch, out_batch;
  int64_t m = 1, k = 1, n = 1;
};

std::optional<MatMulDims> MatMulShapes(const Tensor& a, const Tensor& b, const Tensor& result,
                                       std::string* error) {
  MatMulDims dims;
  const Shape &as = a.shape(), &bs = b.shape(), &out = result.shape();
  bool a_vec = as.size() == 1, b_vec = bs.size() == 1;
  dims.m = a_vec ? 1 : as[as.size() - 2];
  dims.k = as.back();
  int64_t kb = b_vec ? bs[0] : bs[bs.size() - 2];
  dims.n = b_vec ? 1 : bs.back();
  std::string operands = "matmul " + a.TypeString() + " @ " + b.TypeString();
  if (dims.k != kb) {
    *error = operands + ": inner dimensions " + std::to_string(dims.k) + " and " +
             std::to_string(kb) + " differ";
    return std::nullopt;
  }
  dims.a_batch.assign(as.begin(), as.end() - (a_vec ? 1 : 2));
  dims.b_batch.assign(bs.begin(), bs.end() - (b_vec ? 1 : 2));
  Shape tail;  // the result's matrix dimensions
  if (!a_vec) tail.push_back(dims.m);
  if (!b_vec) tail.push_back(dims.n);
  auto batch_end = out.end() - static_cast<std::ptrdiff_t>(std::min(tail.size(), out.size()));
  if (Shape(batch_end, out.end()) != tail) {
    *error = operands + " does not give " + result.TypeString();
    return std::nullopt;
  }
  dims.out_batch.assign(out.begin(), batch_end);
  return dims;
}

}  // namespace

double ReduceIdentity(ReduceKind kind) {
  switch (kind) {
    case ReduceKind::kAssign: return 0;
    case ReduceKind::kSum: return 0;
    case ReduceKind::kProd: return 1;
    case ReduceKind::kMax: return -std::numeric_limits<double>::infinity();
    case ReduceKind::kMin: return std::numeric_limits<double>::infinity();
  }
  return 0;
}

double ReduceCombine(ReduceKind kind, DType dtype, double acc, double value) {
  switch (kind) {
    case ReduceKind::kAssign: return value;
    case ReduceKind::kSum: return Combine(Op::kAdd, dtype, acc, value);
    case ReduceKind::kProd: return Combine(Op::kMul, dtype, acc, value);
    case ReduceKind::kMax: return Combine(Op::kMaximum, dtype, acc, value);
    case ReduceKind::kMin: return Combine(Op::kMinimum, dtype, acc, value);
  }
  return value;
}

bool MatMulKernel(const Operands& in, Tensor* out, std::string* error) {
  const Tensor &a = *in[0], &b = *in[1];
  if (a.rank() == 0 || b.rank() == 0) {
    *error = "matmul of a scalar: " + a.TypeString() + " @ " + b.TypeString();
    return false;
  }
  auto dims = MatMulShapes(a, b, *out, error);
  if (!dims) return false;
  auto a_strides = BroadcastStrides(dims->a_batch, dims->out_batch);
  auto b_strides = BroadcastStrides(dims->b_batch, dims->out_batch);
  if (!a_strides || !b_strides) {
    *error = "matmul " + a.TypeString() + " @ " + b.TypeString() +
             ": batch dimensions do not broadcast to " + FormatShape(dims->out_batch);
    return false;
  }
  const int64_t m = dims->m, k = dims->k, n = dims->n;
  for (IndexCounter it(dims->out_batch); !it.done(); it.Next()) {
    int64_t a0 = Offset(it.index(), *a_strides) * m * k;
    int64_t b0 = Offset(it.index(), *b_strides) * k * n;
    int64_t c0 = it.flat() * m * n;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p) {
          double product = Combine(Op::kMul, a.dtype(), a.Get(a0 + i * k + p),
                                   b.Get(b0 + p * n + j));
          acc = Combine(Op::kAdd, a.dtype(), acc, product);
        }
        out->Set(c0 + i * n + j, acc);
      }
    }
  }
  return true;
}

namespace {

ReduceKind ReduceKindOf(Op op) {
  if (op == Op::kReduceProd) return ReduceKind::kProd;
  if (op == Op::kReduceMax) return ReduceKind::kMax;
  if (op == Op::kReduceMin) return ReduceKind::kMin;
  return ReduceKind::kSum;  // reduce_sum, and reduce_mean before its division
}

// For every input dimension, the stride of the output element it lands in
// (0 along a reduced axis), or nullopt when the output's shape does not fit.
std::optional<std::vector<int64_t>> ReducedStrides(const Tensor& x, const Attrs& attrs,
                                                   const Shape& out, std::string* error) {
  const Shape& in = x.shape();
  std::vector<bool> reduced(in.size(), false);
  for (int64_t axis : attrs.axes) {
    if (axis < 0 || axis >= static_cast<int64_t>(in.size())) {
      *error = "reduction axis " + std::to_string(axis) + " is out of range for rank " +
               std::to_string(in.size());
      return std::nullopt;
    }
    reduced[axis] = true;
  }
  Shape expected;
  for (size_t d = 0; d < in.size(); ++d) {
    if (!reduced[d] || attrs.keepdims) expected.push_back(reduced[d] ? 1 : in[d]);
  }
  if (expected != out) {
    *error = "reducing " + x.TypeString() + " over axes " + FormatShape(attrs.axes) +
             " gives shape " + FormatShape(expected) + ", not " + FormatShape(out);
    return std::nullopt;
  }
  std::vector<int64_t> out_strides = RowMajorStrides(out), strides(in.size(), 0);
  for (size_t d = 0, o = 0; d < in.size(); ++d) {
    if (!reduced[d]) strides[d] = out_strides[o];
    if (!reduced[d] || attrs.keepdims) ++o;
  }
  return strides;
}

}  // namespace

bool ReduceKernel(Op op, const Attrs& attrs, const Operands& in, Tensor* out,
                  std::string* error) {
  const Tensor& x = *in[0];
  auto strides = ReducedStrides(x, attrs, out->shape(), error);
  if (!strides) return false;
  ReduceKind kind = ReduceKindOf(op);
  std::vector<double> acc(static_cast<size_t>(out->size()), ReduceIdentity(kind));
  for (IndexCounter it(x.shape()); !it.done(); it.Next()) {
    double& slot = acc[static_cast<size_t>(Offset(it.index(), *strides))];
    slot = ReduceCombine(kind, x.dtype(), slot, x.Get(it.flat()));
  }
  double count = out->size() == 0 ? 0 : static_cast<double>(x.size() / out->size());
  for (int64_t i = 0; i < out->size(); ++i) {
    out->Set(i, op == Op::kReduceMean ? acc[static_cast<size_t>(i)] / count
                                      : acc[static_cast<size_t>(i)]);
  }
  return true;
}

// One pass in row-major order: an element replaces the slot's best only when strictly
// better (so the first index wins ties) or when it is NaN and the best is not (NumPy
// treats NaN as the extreme).
bool ArgReduceKernel(Op op, const Attrs& attrs, const Operands& in, Tensor* out,
                     std::string* error) {
  const Tensor& x = *in[0];
  if (attrs.axes.size() != 1) {
    *error = std::string(OpMnemonic(op)) + " needs exactly one axis";
    return false;
  }
  auto strides = ReducedStrides(x, attrs, out->shape(), error);
  if (!strides) return false;
  size_t axis = static_cast<size_t>(attrs.axes[0]);
  size_t n = static_cast<size_t>(out->size());
  std::vector<double> best(n, 0);
  std::vector<int64_t> where(n, -1);
  for (IndexCounter it(x.shape()); !it.done(); it.Next()) {
    size_t slot = static_cast<size_t>(Offset(it.index(), *strides));
    double value = x.Get(it.flat());
    bool better = op == Op::kArgMax ? value > best[slot] : value < best[slot];
    bool takes = where[slot] < 0 || (std::isnan(value) && !std::isnan(best[slot])) ||
                 (!std::isnan(best[slot]) && better);
    if (takes) {
      best[slot] = value;
      where[slot] = it.index()[axis];
    }
  }
  for (size_t i = 0; i < n; ++i) out->Set(static_cast<int64_t>(i), static_cast<double>(where[i]));
  return true;
}

}  // namespace tessel::ir
