// The type checker's primitive calls (builtins.h): one rule per kind of
// primitive, each checking its arguments and recording the IR attributes
// (axes, slice bounds, pad widths) the lowering will emit. User and prelude
// calls are in typecheck_calls.cpp.
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
  ExprInfo Reshape();
  ExprInfo Transpose();
  ExprInfo Broadcast();
  ExprInfo Concat();
  ExprInfo Slice();
  ExprInfo Pad();
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
      return Reduce();
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

// exp, relu, ...: a float tensor (relu and abs also take integers).
ExprInfo BuiltinCall::Unary() {
  ExprInfo x = Adapt(CheckArg(0), DType::kF32);
  bool integer_ok = builtin_.op == ir::Op::kRelu || builtin_.op == ir::Op::kAbs;
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

// slice(x, axis, start, end): one axis; a negative axis counts from the end.
ExprInfo BuiltinCall::Slice() {
  ExprInfo x = CheckArg(0);
  int64_t axis = checker_.CheckConstInt(*Arg(1), "'axis' of slice");
  int64_t start = checker_.CheckConstInt(*Arg(2), "'start' of slice");
  int64_t end = checker_.CheckConstInt(*Arg(3), "'end' of slice");
  if (axis < 0) axis += x.type.rank();
  if (axis < 0 || axis >= x.type.rank()) {
    checker_.Fail(Arg(1)->range, "slice of " + ir::FormatType(x.type) + ": axis " +
                                     std::to_string(axis) + " is out of range");
  }
  info_.attrs.begin.assign(x.type.shape.size(), 0);
  info_.attrs.end = x.type.shape;
  info_.attrs.step.assign(x.type.shape.size(), 1);
  info_.attrs.begin[axis] = start;
  info_.attrs.end[axis] = end;
  return Infer({x.type});
}

// pad(x, [w0, w1, ...]): the same width before and after each axis, zeros.
ExprInfo BuiltinCall::Pad() {
  ExprInfo x = CheckArg(0);
  std::vector<int64_t> widths = ConstIntList(*Arg(1), "a width of pad");
  if (static_cast<int64_t>(widths.size()) != x.type.rank()) {
    checker_.Fail(Arg(1)->range,
                  "pad of " + ir::FormatType(x.type) + " needs " + std::to_string(x.type.rank()) +
                      " widths, one per axis, found " + std::to_string(widths.size()));
  }
  info_.attrs.low = widths;
  info_.attrs.high = widths;
  return Infer({x.type});
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
