// The type checker's primitive calls, shared by the two files that check them:
// typecheck_builtins.cpp (dispatch, elementwise ops, reductions, reshape, transpose,
// broadcast, concat, cast) and typecheck_slices.cpp (slice, pad, update_slice: the primitives
// that take or write a region). Internal to stages/sema; not a public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/sema/typecheck_internal.h"

namespace tessel::sema::detail {

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
  // typecheck_builtins.cpp
  ExprInfo Unary();
  ExprInfo BinaryOrSelect();
  ExprInfo Reduce();
  ExprInfo ArgReduce();
  bool KeepDims();
  ExprInfo Reshape();
  ExprInfo Transpose();
  ExprInfo Broadcast();
  ExprInfo Concat();
  ExprInfo Cast();
  // typecheck_slices.cpp
  ExprInfo Slice();
  ExprInfo Pad();
  std::vector<int64_t> PadWidths(size_t param, int64_t rank);
  ExprInfo UpdateSlice();

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

/// `value` with a compile-time scalar's dtype adapted to `dtype` (an integer literal next to an
/// f32 tensor is an f32).
inline ExprInfo Adapt(ExprInfo value, DType dtype) {
  if (value.value && value.type.rank() == 0 && value.type.dtype != DType::kBool &&
      dtype != DType::kBool && (value.value->is_int() || IsFloat(dtype))) {
    value.type.dtype = dtype;
  }
  return value;
}

}  // namespace tessel::sema::detail
