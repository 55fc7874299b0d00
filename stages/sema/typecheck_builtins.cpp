// The type checker's primitive calls (builtins.h): one rule per kind of
// primitive, each checking its arguments and recording the IR attributes
// (axes, slice bounds, pad widths) the lowering will emit. User and prelude
// calls are in typecheck_calls.cpp.
#include <algorithm>

#include "stages/common/check.h"
#include "stages/ir/type_rules.h"
#include "stages/sema/typecheck_internal.h"

namespace tessel::sema::detail {

namespace {

// One call of a primitive being checked: its bound arguments and the CallInfo
// whose attributes it fills.
class BuiltinCall {
 public:
  BuiltinCall(BodyChecker& checker, const ast::CallExpr& call, const Builtin& builtin,
              const BoundArguments& args, const ir::Type* cast_to, CallInfo& info)
      : checker_(checker),
        call_(call),
        builtin_(builtin),
        name_(builtin.name),
        args_(args),
        cast_to_(cast_to),
        info_(info) {}

  ExprInfo Check();

 private:
  ExprInfo Unary();
  ExprInfo BinaryOrSelect();
  ExprInfo Reduce();
  ExprInfo ArgReduce();
  ExprInfo Reshape();
  ExprInfo Transpose();
  ExprInfo Broadcast();
  ExprInfo Concat();
  ExprInfo Slice();
  ExprInfo Pad();
  std::vector<int64_t> PadWidths(size_t param, int64_t rank);
  ExprInfo UpdateSlice();
  ExprInfo Cast();

  const ast::Expr* Arg(size_t i) const { return args_.by_param[i]; }
  const ExprInfo& CheckArg(size_t i) { return checker_.Check(*Arg(i)); }
  std::vector<int64_t> ConstIntList(const ast::Expr& expr, const std::string& what);
  // The result of the IR type rule for the op on `operands`, or the rule's error at the call.
  ExprInfo Infer(const std::vector<ir::Type>& operands, const ir::Type& declared = ir::Type{});
  // As Infer, for a rule of stage 2 (ReduceType, ReshapeType) that already gave a type or error.
  ExprInfo Result(const std::optional<ir::Type>& type, const std::string& error);

  BodyChecker& checker_;
  const ast::CallExpr& call_;
  const Builtin& builtin_;
  const std::string name_;
  const BoundArguments& args_;
  const ir::Type* cast_to_;
  CallInfo& info_;
};

// A compile-time scalar operand adapts to the other operands' float dtype.
ExprInfo Adapt(ExprInfo value, DType dtype) {
  if (value.value && value.type.rank() == 0 && value.type.dtype != DType::kBool &&
      dtype != DType::kBool && (value.value->is_int() || IsFloat(dtype))) {
    value.type.dtype = dtype;
  }
  return value;
}

bool IsElementwise(BuiltinKind kind) {
  return kind == BuiltinKind::kUnary || kind == BuiltinKind::kBinary ||
         kind == BuiltinKind::kSelect || kind == BuiltinKind::kCast;
}

ExprInfo BuiltinCall::Check() {
  if (checker_.in_comprehension() && !IsElementwise(builtin_.kind)) {
    checker_.Fail(
        call_.callee_range,
        "inside a comprehension only elementwise primitives may be called, not '" + name_ + "'");
  }
  switch (builtin_.kind) {
    case BuiltinKind::kUnary:
      return Unary();
    case BuiltinKind::kBinary:
    case BuiltinKind::kSelect:
      return BinaryOrSelect();
    case BuiltinKind::kReduce:
      return builtin_.op == ir::Op::kArgMax || builtin_.op == ir::Op::kArgMin ? ArgReduce()
                                                                              : Reduce();
    case BuiltinKind::kReshape:
      return Reshape();
    case BuiltinKind::kTranspose:
      return Transpose();
    case BuiltinKind::kBroadcast:
      return Broadcast();
    case BuiltinKind::kConcat:
      return Concat();
    case BuiltinKind::kSlice:
      return Slice();
    case BuiltinKind::kPad:
      return Pad();
    case BuiltinKind::kUpdateSlice:
      return UpdateSlice();
    case BuiltinKind::kCast:
      return Cast();
  }
  checker_.Fail(call_.range, "unknown primitive '" + name_ + "'");
}

std::vector<int64_t> BuiltinCall::ConstIntList(const ast::Expr& expr, const std::string& what) {
  std::vector<int64_t> values;
  if (expr.kind != ast::ExprKind::kList) return {checker_.CheckConstInt(expr, what)};
  for (const ast::ExprPtr& element : expr.As<ast::ListExpr>().elements) {
    values.push_back(checker_.CheckConstInt(*element, what));
  }
  return values;
}

ExprInfo BuiltinCall::Infer(const std::vector<ir::Type>& operands, const ir::Type& declared) {
  std::string error;
  std::optional<ir::Type> type =
      ir::InferResultType(builtin_.op, operands, info_.attrs, declared, &error);
  return Result(type, error);
}

ExprInfo BuiltinCall::Result(const std::optional<ir::Type>& type, const std::string& error) {
  if (!type) checker_.Fail(call_.range, error);
  return {*type, std::nullopt, type->dtype};
}

// exp, relu, ...: a float tensor (relu, abs and sign also take integers).
ExprInfo BuiltinCall::Unary() {
  ExprInfo x = Adapt(CheckArg(0), DType::kF32);
  bool integer_ok =
      builtin_.op == ir::Op::kRelu || builtin_.op == ir::Op::kAbs || builtin_.op == ir::Op::kSign;
  if (!IsFloat(x.type.dtype) && !(integer_ok && x.type.dtype != DType::kBool)) {
    checker_.Fail(Arg(0)->range,
                  name_ + " needs a floating-point tensor, found " + ir::FormatType(x.type));
  }
  return {x.type, std::nullopt, x.type.dtype};
}

// maximum(a, b), select(c, a, b): broadcasting, a compile-time scalar adapts to the other.
ExprInfo BuiltinCall::BinaryOrSelect() {
  size_t first = builtin_.kind == BuiltinKind::kSelect ? 1 : 0;
  ExprInfo a = CheckArg(first);
  ExprInfo b = CheckArg(first + 1);
  DType dtype = a.value && !b.value ? b.type.dtype : a.type.dtype;
  if (a.value && b.value) dtype = IsFloat(a.type.dtype) ? a.type.dtype : b.type.dtype;
  std::vector<ir::Type> operands = {Adapt(a, dtype).type, Adapt(b, dtype).type};
  if (builtin_.kind == BuiltinKind::kSelect) operands.insert(operands.begin(), CheckArg(0).type);
  ExprInfo result = Infer(operands);
  result.operand_dtype = dtype;
  return result;
}

// sum(x, axis=..., keepdims=...) and the other reductions (lab02's ReduceType).
ExprInfo BuiltinCall::Reduce() {
  ExprInfo x = CheckArg(0);
  std::vector<int64_t> axes;
  if (Arg(1)) axes = ConstIntList(*Arg(1), "'axis' of " + name_);
  bool keepdims = false;
  if (Arg(2)) {
    const ExprInfo& flag = CheckArg(2);
    if (!flag.value || !flag.value->is_bool()) {
      checker_.Fail(Arg(2)->range, "'keepdims' of " + name_ + " must be true or false");
    }
    keepdims = flag.value->bool_value;
  }
  std::string error;
  std::optional<ir::Type> type =
      ReduceType(name_, x.type, axes, !Arg(1), keepdims, &info_.attrs.axes, &error);
  info_.attrs.keepdims = keepdims;
  return Result(type, error);
}

// reshape(x, [d0, d1, ...]) (lab02's ReshapeType).
ExprInfo BuiltinCall::Reshape() {
  ExprInfo x = CheckArg(0);
  Shape shape = ConstIntList(*Arg(1), "a dimension of reshape");
  std::string error;
  std::optional<ir::Type> type = ReshapeType(x.type, shape, &error);
  return Result(type, error);
}

// transpose(x[, perm]): without a permutation the axes reverse.
ExprInfo BuiltinCall::Transpose() {
  ExprInfo x = CheckArg(0);
  if (Arg(1)) {
    info_.attrs.axes = ConstIntList(*Arg(1), "the permutation of transpose");
  } else {
    for (int64_t d = x.type.rank() - 1; d >= 0; --d) info_.attrs.axes.push_back(d);
  }
  return Infer({x.type});
}

// broadcast(x, [d0, d1, ...]).
ExprInfo BuiltinCall::Broadcast() {
  ExprInfo x = CheckArg(0);
  ir::Type declared{x.type.dtype, ConstIntList(*Arg(1), "a dimension of broadcast")};
  return Infer({x.type}, declared);
}

// concat([a, b, ...], axis=k); a negative axis counts from the end.
ExprInfo BuiltinCall::Concat() {
  if (Arg(0)->kind != ast::ExprKind::kList) {
    checker_.Fail(Arg(0)->range, "concat takes a list of tensors: concat([a, b], axis=1)");
  }
  std::vector<ir::Type> operands;
  for (const ast::ExprPtr& element : Arg(0)->As<ast::ListExpr>().elements) {
    operands.push_back(checker_.Check(*element).type);
  }
  int64_t axis = Arg(1) ? checker_.CheckConstInt(*Arg(1), "'axis' of concat") : 0;
  int64_t rank = operands.empty() ? 0 : operands[0].rank();
  if (axis < 0) axis += rank;
  info_.attrs.axes = {axis};
  return Infer(operands);
}

// argmax(x, axis=k, keepdims=false): one axis (optional for a vector); i32 indices.
ExprInfo BuiltinCall::ArgReduce() {
  ExprInfo x = CheckArg(0);
  if (x.type.rank() == 0) {
    checker_.Fail(Arg(0)->range, name_ + " of a scalar: it needs a tensor with an axis");
  }
  if (!Arg(1) && x.type.rank() != 1) {
    checker_.Fail(call_.range, name_ + " of " + ir::FormatType(x.type) + " needs an axis: " +
                                   name_ + "(x, axis=" + std::to_string(x.type.rank() - 1) + ")");
  }
  const int64_t written = Arg(1) ? checker_.CheckConstInt(*Arg(1), "'axis' of " + name_) : 0;
  const int64_t axis = written < 0 ? written + x.type.rank() : written;
  if (axis < 0 || axis >= x.type.rank()) {
    checker_.Fail(Arg(1)->range, name_ + " of " + ir::FormatType(x.type) + ": axis " +
                                     std::to_string(written) + " is out of range");
  }
  bool keepdims = false;
  if (Arg(2)) {
    const ExprInfo& flag = CheckArg(2);
    if (!flag.value || !flag.value->is_bool()) {
      checker_.Fail(Arg(2)->range, "'keepdims' of " + name_ + " must be true or false");
    }
    keepdims = flag.value->bool_value;
  }
  info_.attrs.axes = {axis};
  info_.attrs.keepdims = keepdims;
  return Infer({x.type});
}

// slice(x, axis, start=0, end=size, step=1) along one axis, with Python's meaning: a negative
// start or end counts from the end, and both are clamped to [0, size] (an empty slice is fine).
ExprInfo BuiltinCall::Slice() {
  ExprInfo x = CheckArg(0);
  int64_t axis = checker_.CheckConstInt(*Arg(1), "'axis' of slice");
  if (axis < 0) axis += x.type.rank();
  if (axis < 0 || axis >= x.type.rank()) {
    checker_.Fail(Arg(1)->range, "slice of " + ir::FormatType(x.type) + ": axis " +
                                     std::to_string(axis) + " is out of range");
  }
  const int64_t size = x.type.shape[axis];
  auto bound = [&](size_t param, int64_t fallback, const char* what) {
    if (!Arg(param)) return fallback;
    int64_t value = checker_.CheckConstInt(*Arg(param), std::string("'") + what + "' of slice");
    if (value < 0) value += size;
    return std::clamp<int64_t>(value, 0, size);
  };
  int64_t start = bound(2, 0, "start");
  int64_t end = std::max(start, bound(3, size, "end"));
  int64_t step = Arg(4) ? checker_.CheckConstInt(*Arg(4), "'step' of slice") : 1;
  if (step < 1) {
    checker_.Fail(
        Arg(4)->range,
        "the step of slice must be positive, found " + std::to_string(step) +
            " (as in PyTorch; reverse an axis with a comprehension, y[i] = x[N - 1 - i])");
  }
  info_.attrs.begin.assign(x.type.shape.size(), 0);
  info_.attrs.end = x.type.shape;
  info_.attrs.step.assign(x.type.shape.size(), 1);
  info_.attrs.begin[axis] = start;
  info_.attrs.end[axis] = end;
  info_.attrs.step[axis] = step;
  return Infer({x.type});
}

// The widths of pad's parameter `param` (widths, low or high): one non-negative integer per axis.
std::vector<int64_t> BuiltinCall::PadWidths(size_t param, int64_t rank) {
  static const char* const kNames[] = {"", "widths", "low", "high"};
  std::vector<int64_t> widths = ConstIntList(*Arg(param), "a width of pad");
  if (static_cast<int64_t>(widths.size()) != rank) {
    checker_.Fail(Arg(param)->range, std::string("'") + kNames[param] + "' of pad needs " +
                                         std::to_string(rank) + " widths, one per axis, found " +
                                         std::to_string(widths.size()));
  }
  for (int64_t width : widths) {
    if (width < 0) {
      checker_.Fail(Arg(param)->range, std::string("'") + kNames[param] +
                                           "' of pad has a negative width (" +
                                           std::to_string(width) + "); slice to crop");
    }
  }
  return widths;
}

// pad(x, [w0, w1, ...], value=0): the same width before and after each axis; or
// pad(x, low=[...], high=[...], value=v): its own width on each side (the other side 0 when
// only one is given). `value` is a compile-time scalar, -inf included.
ExprInfo BuiltinCall::Pad() {
  ExprInfo x = CheckArg(0);
  int64_t rank = x.type.rank();
  if (Arg(1) && (Arg(2) || Arg(3))) {
    checker_.Fail(Arg(1)->range, "pad takes either widths or low= and high=, not both");
  }
  if (!Arg(1) && !Arg(2) && !Arg(3)) {
    checker_.Fail(call_.range,
                  "pad needs widths: pad(x, [1, 1]) or pad(x, low=[0, 1], high=[1, 0])");
  }
  std::vector<int64_t> zeros(static_cast<size_t>(rank), 0);
  info_.attrs.low = Arg(1) ? PadWidths(1, rank) : Arg(2) ? PadWidths(2, rank) : zeros;
  info_.attrs.high = Arg(1) ? info_.attrs.low : Arg(3) ? PadWidths(3, rank) : zeros;
  if (Arg(4)) {
    const ExprInfo& value = CheckArg(4);
    if (!value.value || value.type.rank() != 0 || value.value->is_bool()) {
      checker_.Fail(Arg(4)->range, "'value' of pad must be a number known at compile time");
    }
    double fill = value.value->AsDouble();
    std::string why;
    if (!ir::PadValueFits(x.type.dtype, fill, &why)) {
      checker_.Fail(Arg(4)->range, "'value' of pad of " + ir::FormatType(x.type) + ": " + why);
    }
    info_.attrs.pad_value = fill;
  }
  return Infer({x.type});
}

// update_slice(x, u, [i0, i1, ...]): u (x's dtype and rank) written into x at the starts, one
// i32 scalar per axis, which may be computed at run time (a loop variable).
ExprInfo BuiltinCall::UpdateSlice() {
  ExprInfo x = CheckArg(0);
  ExprInfo u = Adapt(CheckArg(1), x.type.dtype);
  if (u.type.rank() != x.type.rank()) {
    checker_.Fail(Arg(1)->range, "update_slice of " + ir::FormatType(x.type) +
                                     " needs an update of rank " + std::to_string(x.type.rank()) +
                                     ", found " + ir::FormatType(u.type) +
                                     " (reshape it, e.g. reshape(h, [1, B, H]) to write one step)");
  }
  std::vector<ir::Type> operands = {x.type, u.type};
  const ast::Expr& starts = *Arg(2);
  std::vector<const ast::Expr*> elements;
  if (starts.kind == ast::ExprKind::kList) {
    for (const ast::ExprPtr& element : starts.As<ast::ListExpr>().elements) {
      elements.push_back(element.get());
    }
  } else {
    elements.push_back(&starts);
  }
  if (static_cast<int64_t>(elements.size()) != x.type.rank()) {
    checker_.Fail(starts.range, "update_slice of " + ir::FormatType(x.type) + " needs " +
                                    std::to_string(x.type.rank()) +
                                    " start indices, one per axis, found " +
                                    std::to_string(elements.size()));
  }
  for (const ast::Expr* element : elements) {
    const ExprInfo& start = checker_.Check(*element);
    if (start.type != Scalar(DType::kI32)) {
      checker_.Fail(element->range, "a start index of update_slice must be an i32 scalar, found " +
                                        ir::FormatType(start.type));
    }
    operands.push_back(start.type);
  }
  ExprInfo result = Infer(operands);
  result.operand_dtype = x.type.dtype;
  return result;
}

// cast(x): to the declared type of the let it initializes, keeping the shape.
ExprInfo BuiltinCall::Cast() {
  ExprInfo x = CheckArg(0);
  if (!cast_to_) {
    checker_.Fail(call_.range,
                  "cast needs a declared type to convert to: `let y: f16[4, 8] = cast(x);`");
  }
  ir::Type target = *cast_to_;
  if (checker_.in_comprehension()) target.shape.clear();
  if (target.shape != x.type.shape) {
    checker_.Fail(call_.range, "cast of " + ir::FormatType(x.type) + " to " +
                                   ir::FormatType(target) + ": a cast keeps the shape");
  }
  return {target, std::nullopt, x.type.dtype};
}

}  // namespace

ExprInfo BodyChecker::CheckBuiltin(const ast::CallExpr& call, const Builtin& builtin,
                                   const BoundArguments& args, const ir::Type* cast_to,
                                   CallInfo& info) {
  return BuiltinCall(*this, call, builtin, args, cast_to, info).Check();
}

}  // namespace tessel::sema::detail
