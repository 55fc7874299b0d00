// The type checker's primitive calls (builtins.h): one rule per kind of
// primitive, each checking its arguments and recording the IR attributes
// (axes, slice bounds, pad widths) the lowering will emit; slice, pad and
// update_slice are in typecheck_slices.cpp, user and prelude calls in
// typecheck_calls.cpp.
#include <algorithm>

#include "stages/common/check.h"
#include "stages/ir/type_rules.h"
#include "stages/sema/typecheck_builtin_call.h"

namespace tessel::sema::detail {

namespace {

bool IsElementwise(BuiltinKind kind) {
  return kind == BuiltinKind::kUnary || kind == BuiltinKind::kBinary ||
         kind == BuiltinKind::kSelect || kind == BuiltinKind::kCast;
}

}  // namespace

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

// The `keepdims` argument of a reduction (false when left out): true or false.
bool BuiltinCall::KeepDims() {
  if (!Arg(2)) return false;
  const ExprInfo& flag = CheckArg(2);
  if (!flag.value || !flag.value->is_bool()) {
    checker_.Fail(Arg(2)->range, "'keepdims' of " + name_ + " must be true or false");
  }
  return flag.value->bool_value;
}

// sum(x, axis=..., keepdims=...) and the other reductions (lab02's ReduceType).
ExprInfo BuiltinCall::Reduce() {
  ExprInfo x = CheckArg(0);
  std::vector<int64_t> axes;
  if (Arg(1)) axes = ConstIntList(*Arg(1), "'axis' of " + name_);
  bool keepdims = KeepDims();
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
  bool keepdims = KeepDims();
  info_.attrs.axes = {axis};
  info_.attrs.keepdims = keepdims;
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

ExprInfo BodyChecker::CheckBuiltin(const ast::CallExpr& call, const Builtin& builtin,
                                   const BoundArguments& args, const ir::Type* cast_to,
                                   CallInfo& info) {
  return BuiltinCall(*this, call, builtin, args, cast_to, info).Check();
}

}  // namespace tessel::sema::detail
