// Type rules of the ops that compute (type_rules.h): elementwise unary and binary ops, cast,
// select, matmul and reductions. Binary operands share a dtype (no implicit promotion) and
// their shapes broadcast the NumPy way. Dispatched from InferResultType (type_rules.cpp).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stages/ir/type_rules_internal.h"

namespace tessel::ir::rules {

namespace {

// Which operand dtypes a unary math op accepts (cast is handled apart).
bool UnaryAccepts(Op op, DType dtype) {
  if (op == Op::kNot) return dtype == DType::kBool;
  if (op == Op::kNeg || op == Op::kAbs || op == Op::kRelu || op == Op::kSign) {
    return dtype != DType::kBool;
  }
  return IsFloat(dtype);
}

std::string UnaryExpectation(Op op) {
  if (op == Op::kNot) return "bool";
  if (op == Op::kNeg || op == Op::kAbs || op == Op::kRelu || op == Op::kSign) {
    return "a number, not bool";
  }
  return "a float (f32 or f16)";
}

// The broadcast shape of all operands, or an error naming the first pair that fails.
std::optional<Shape> BroadcastAll(Op op, const Types& t, std::string* error) {
  Shape shape = t[0].shape;
  for (size_t i = 1; i < t.size(); ++i) {
    std::optional<Shape> next = BroadcastShapes(shape, t[i].shape);
    if (!next) {
      Reject(error, Describe(op, t) + ": " + BroadcastMismatch(shape, t[i].shape));
      return std::nullopt;
    }
    shape = std::move(*next);
  }
  return shape;
}

}  // namespace

// ------------------------------------------------------------ elementwise

Result UnaryRule(Op op, const Types& t, std::string* error) {
  if (!UnaryAccepts(op, t[0].dtype)) {
    return Fail(error, Describe(op, t) + ": operand must be " + UnaryExpectation(op));
  }
  return t[0];
}

Result CastRule(const Types& t, const Type& declared, std::string* error) {
  if (t[0].shape != declared.shape) {
    return Fail(error, "cast " + FormatType(t[0]) + " to " + FormatType(declared) +
                           ": a cast keeps the shape");
  }
  return declared;
}

// add ... minimum, comparisons, and/or: same dtype, shapes broadcast.
Result BinaryRule(Op op, const Types& t, std::string* error) {
  if (t[0].dtype != t[1].dtype) {
    return Fail(error, Describe(op, t) + ": operand dtypes differ " +
                           "(the IR has no implicit promotion: cast one operand)");
  }
  bool logic = op == Op::kAnd || op == Op::kOr;
  if (logic && t[0].dtype != DType::kBool) {
    return Fail(error, Describe(op, t) + ": operands must be bool");
  }
  bool floors = op == Op::kFloorDiv || op == Op::kFloorMod;
  if (floors && t[0].dtype == DType::kBool) {
    return Fail(error, Describe(op, t) + ": operands must be numbers, not bool");
  }
  std::optional<Shape> shape = BroadcastAll(op, t, error);
  if (!shape) return std::nullopt;
  bool compares = op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe ||
                  op == Op::kGt || op == Op::kGe;
  return Type{compares ? DType::kBool : t[0].dtype, std::move(*shape)};
}

Result SelectRule(const Types& t, std::string* error) {
  if (t[0].dtype != DType::kBool) {
    return Fail(error, Describe(Op::kSelect, t) + ": the condition must be bool");
  }
  if (t[1].dtype != t[2].dtype) {
    return Fail(error, Describe(Op::kSelect, t) + ": the two alternatives' dtypes differ");
  }
  std::optional<Shape> shape = BroadcastAll(Op::kSelect, t, error);
  if (!shape) return std::nullopt;
  return Type{t[1].dtype, std::move(*shape)};
}

// ------------------------------------------------------------------ matmul

// NumPy matmul: a rank-1 operand is a vector (a row on the left, a column on
// the right, its unit dimension dropped from the result); dims before the last
// two are batch dims and broadcast.
Result MatMulRule(const Types& t, std::string* error) {
  const Type& a = t[0];
  const Type& b = t[1];
  std::string what = "matmul " + FormatType(a) + " @ " + FormatType(b);
  if (a.dtype != b.dtype) return Fail(error, what + ": operand dtypes differ");
  if (a.rank() < 1 || b.rank() < 1) return Fail(error, what + ": operands must have rank >= 1");
  Shape sa = a.rank() == 1 ? Shape{1, a.shape[0]} : a.shape;
  Shape sb = b.rank() == 1 ? Shape{b.shape[0], 1} : b.shape;
  int64_t k_a = sa[sa.size() - 1], k_b = sb[sb.size() - 2];
  if (k_a != k_b) {
    return Fail(error, what + ": inner dimensions " + std::to_string(k_a) + " and " +
                           std::to_string(k_b) + " differ");
  }
  Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  std::optional<Shape> batch = BroadcastShapes(batch_a, batch_b);
  if (!batch) {
    return Fail(error, what + ": batch " + BroadcastMismatch(batch_a, batch_b));
  }
  if (a.rank() > 1) batch->push_back(sa[sa.size() - 2]);
  if (b.rank() > 1) batch->push_back(sb[sb.size() - 1]);
  return Type{a.dtype, std::move(*batch)};
}

// ------------------------------------------------------------- reductions

Result ReduceRule(Op op, const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(op, t);
  if (op == Op::kReduceMean && !IsFloat(t[0].dtype)) {
    return Fail(error, what + ": operand must be a float (f32 or f16)");
  }
  if (!CheckAxes(attrs.axes, t[0].rank(), what, error)) return std::nullopt;
  Shape shape;
  for (int64_t d = 0; d < t[0].rank(); ++d) {
    bool reduced = std::find(attrs.axes.begin(), attrs.axes.end(), d) != attrs.axes.end();
    if (!reduced) shape.push_back(t[0].shape[d]);
    if (reduced && attrs.keepdims) shape.push_back(1);
  }
  return Type{t[0].dtype, std::move(shape)};
}

// argmax / argmin: exactly one axis; the result holds i32 indices.
Result ArgReduceRule(Op op, const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(op, t);
  if (attrs.axes.size() != 1) {
    return Fail(error,
                what + ": needs exactly one axis, found " + std::to_string(attrs.axes.size()));
  }
  if (t[0].rank() == 0) return Fail(error, what + ": the operand is a scalar (it has no axis)");
  if (!CheckAxes(attrs.axes, t[0].rank(), what, error)) return std::nullopt;
  int64_t axis = attrs.axes[0];
  if (t[0].shape[static_cast<size_t>(axis)] == 0) {
    return Fail(error, what + ": the axis is empty (there is no largest or smallest element)");
  }
  Shape shape = t[0].shape;
  if (attrs.keepdims) {
    shape[static_cast<size_t>(axis)] = 1;
  } else {
    shape.erase(shape.begin() + axis);
  }
  return Type{DType::kI32, std::move(shape)};
}

}  // namespace tessel::ir::rules
