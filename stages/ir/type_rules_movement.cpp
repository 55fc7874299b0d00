// Type rules of the data-movement ops (type_rules.h): reshape, broadcast, transpose, concat,
// slice, pad and take. They move or copy elements without computing, so the dtype is kept and
// the checks are about shapes and the attributes that index them. Dispatched from
// InferResultType (type_rules.cpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "stages/ir/type_rules_internal.h"

namespace tessel::ir::rules {

namespace {

// Checks one dimension of a slice; returns its extent, or -1 with *error set.
int64_t SliceDim(int64_t d, int64_t dim, const Attrs& attrs, const std::string& what,
                 std::string* error) {
  int64_t begin = attrs.begin[d], end = attrs.end[d], step = attrs.step[d];
  if (begin < 0 || begin > end || end > dim || step < 1) {
    Reject(error, what + ": dimension " + std::to_string(d) + " of size " + std::to_string(dim) +
                      " cannot be sliced " + std::to_string(begin) + ":" + std::to_string(end) +
                      ":" + std::to_string(step) + " (need 0 <= begin <= end <= size, step >= 1)");
    return -1;
  }
  return (end - begin + step - 1) / step;
}

}  // namespace

Result ReshapeRule(const Types& t, const Type& declared, std::string* error) {
  std::string what = "reshape " + FormatType(t[0]) + " to " + FormatType(declared);
  if (t[0].dtype != declared.dtype) return Fail(error, what + ": a reshape keeps the dtype");
  if (NumElements(t[0].shape) != NumElements(declared.shape)) {
    return Fail(error, what + ": element counts " + std::to_string(NumElements(t[0].shape)) +
                           " and " + std::to_string(NumElements(declared.shape)) + " differ");
  }
  return declared;
}

Result BroadcastRule(const Types& t, const Type& declared, std::string* error) {
  std::string what = "broadcast " + FormatType(t[0]) + " to " + FormatType(declared);
  if (t[0].dtype != declared.dtype) return Fail(error, what + ": a broadcast keeps the dtype");
  std::optional<Shape> shape = BroadcastShapes(t[0].shape, declared.shape);
  if (!shape || *shape != declared.shape) {
    if (t[0].rank() > declared.rank()) return Fail(error, what + ": the target rank is smaller");
    return Fail(error, what + ": " + BroadcastMismatch(t[0].shape, declared.shape));
  }
  return declared;
}

Result TransposeRule(const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(Op::kTranspose, t);
  std::vector<int64_t> sorted = attrs.axes;
  std::sort(sorted.begin(), sorted.end());
  bool is_permutation = static_cast<int64_t>(sorted.size()) == t[0].rank();
  for (size_t i = 0; i < sorted.size(); ++i) {
    is_permutation = is_permutation && sorted[i] == static_cast<int64_t>(i);
  }
  if (!is_permutation) {
    return Fail(error,
                what + ": perm must be a permutation of 0.." + std::to_string(t[0].rank() - 1));
  }
  Shape shape;
  for (int64_t axis : attrs.axes) shape.push_back(t[0].shape[axis]);
  return Type{t[0].dtype, std::move(shape)};
}

Result ConcatRule(const Types& t, const Attrs& attrs, std::string* error) {
  if (t.empty()) return Fail(error, "concat: needs at least one operand");
  std::string what = Describe(Op::kConcat, t);
  if (attrs.axes.size() != 1) return Fail(error, what + ": needs exactly one axis");
  int64_t axis = attrs.axes[0];
  if (!CheckAxes(attrs.axes, t[0].rank(), what, error)) return std::nullopt;
  Type result = t[0];
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i].dtype != t[0].dtype) return Fail(error, what + ": operand dtypes differ");
    if (t[i].rank() != t[0].rank()) return Fail(error, what + ": operand ranks differ");
    for (int64_t d = 0; d < t[0].rank(); ++d) {
      if (d != axis && t[i].shape[d] != t[0].shape[d]) {
        return Fail(error, what + ": dimension " + std::to_string(d) + " differs (" +
                               std::to_string(t[0].shape[d]) + " and " +
                               std::to_string(t[i].shape[d]) + ")");
      }
    }
    result.shape[axis] += t[i].shape[axis];
  }
  return result;
}

Result SliceRule(const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(Op::kSlice, t);
  size_t rank = t[0].shape.size();
  if (attrs.begin.size() != rank || attrs.end.size() != rank || attrs.step.size() != rank) {
    return Fail(error, what + ": begin, end and step need one entry per dimension");
  }
  Shape shape;
  for (size_t d = 0; d < rank; ++d) {
    int64_t extent = SliceDim(static_cast<int64_t>(d), t[0].shape[d], attrs, what, error);
    if (extent < 0) return std::nullopt;
    shape.push_back(extent);
  }
  return Type{t[0].dtype, std::move(shape)};
}

Result PadRule(const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(Op::kPad, t);
  size_t rank = t[0].shape.size();
  if (attrs.low.size() != rank || attrs.high.size() != rank) {
    return Fail(error, what + ": low and high need one entry per dimension");
  }
  std::string why;
  if (!PadValueFits(t[0].dtype, attrs.pad_value, &why)) return Fail(error, what + ": " + why);
  Shape shape;
  for (size_t d = 0; d < rank; ++d) {
    if (attrs.low[d] < 0 || attrs.high[d] < 0) {
      return Fail(error, what + ": padding of dimension " + std::to_string(d) + " is negative");
    }
    shape.push_back(attrs.low[d] + t[0].shape[d] + attrs.high[d]);
  }
  return Type{t[0].dtype, std::move(shape)};
}

Result TakeRule(const Types& t, std::string* error) {
  std::string what = Describe(Op::kTake, t);
  if (t[0].rank() < 1) return Fail(error, what + ": cannot take from a scalar");
  if (t[1] != Type{DType::kI32, {}}) return Fail(error, what + ": the index must be an i32 scalar");
  return Type{t[0].dtype, Shape(t[0].shape.begin() + 1, t[0].shape.end())};
}

// update_slice(x, u, i0, ..., i{r-1}): u is x's dtype and rank and no larger in any
// dimension; one i32 scalar start per dimension. The result is x's type.
Result UpdateSliceRule(const Types& t, std::string* error) {
  std::string what = Describe(Op::kUpdateSlice, t);
  if (t.size() < 2) return Fail(error, what + ": needs the tensor, the update and the starts");
  const Type &x = t[0], &u = t[1];
  if (u.dtype != x.dtype)
    return Fail(error, what + ": the update's dtype differs from the tensor's");
  if (u.rank() != x.rank())
    return Fail(error, what + ": the update's rank differs from the tensor's");
  if (t.size() != 2 + x.shape.size()) {
    return Fail(error, what + ": needs one start index per dimension (" + std::to_string(x.rank()) +
                           "), found " + std::to_string(t.size() - 2));
  }
  for (size_t d = 0; d < x.shape.size(); ++d) {
    if (u.shape[d] > x.shape[d]) {
      return Fail(
          error, what + ": the update is larger than the tensor in dimension " + std::to_string(d));
    }
    if (t[2 + d] != Type{DType::kI32, {}}) {
      return Fail(error, what + ": start index " + std::to_string(d) + " must be an i32 scalar");
    }
  }
  return x;
}

}  // namespace tessel::ir::rules

namespace tessel::ir {

bool PadValueFits(DType dtype, double value, std::string* why) {
  if (IsFloat(dtype)) return true;
  std::ostringstream text;
  text << value;
  if (!std::isfinite(value) || value != std::floor(value)) {
    *why = "the fill " + text.str() + " is not a whole number, so not " +
           std::string(DTypeName(dtype) == "bool" ? "a bool" : "an integer");
    return false;
  }
  double lo = dtype == DType::kBool ? 0 : dtype == DType::kI8 ? -128 : -2147483648.0;
  double hi = dtype == DType::kBool ? 1 : dtype == DType::kI8 ? 127 : 2147483647.0;
  if (value < lo || value > hi) {
    *why = "the fill " + text.str() + " does not fit " + std::string(DTypeName(dtype));
    return false;
  }
  return true;
}

}  // namespace tessel::ir
