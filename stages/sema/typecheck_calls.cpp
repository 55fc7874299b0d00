// The type checker's calls: user and prelude functions (instantiated with the
// argument types) and the primitives of builtins.h.
#include <algorithm>

#include "stages/common/check.h"
#include "stages/ir/type_rules.h"
#include "stages/sema/format_expr.h"
#include "stages/sema/typecheck_internal.h"

namespace tessel::sema::detail {

namespace {

std::string ArgTypesText(const std::vector<ir::Type>& types) {
  std::string text;
  for (const ir::Type& type : types) text += (text.empty() ? "" : ", ") + ir::FormatType(type);
  return text;
}

}  // namespace

ExprInfo BodyChecker::CheckCall(const ast::CallExpr& call, const ir::Type* cast_to) {
  CallInfo info;
  const ast::FnItem* user_fn =
      instance_.file == checker_.user().file ? checker_.FindUserFn(call.callee) : nullptr;
  std::vector<const ast::FnItem*> candidates;
  const SourceModule* source = &checker_.prelude();
  if (user_fn) {
    candidates = {user_fn};
    source = &checker_.user();
  } else {
    candidates = checker_.FindPreludeFns(call.callee);
  }

  if (candidates.empty()) {
    const Builtin* builtin = FindBuiltin(call.callee);
    if (!builtin) Fail(call.callee_range, "unknown function '" + call.callee + "'");
    SemaError error;
    if (!BindArguments(call, builtin->params, &info.args, &error)) Fail(error.range, error.message);
    info.builtin = builtin;
    ExprInfo result = CheckBuiltin(call, *builtin, info.args, cast_to, info);
    instance_.calls[&call] = std::move(info);
    return result;
  }

  if (in_comprehension_) {
    Fail(call.callee_range,
         "inside a comprehension only elementwise primitives may be called, "
         "not '" +
             call.callee + "'");
  }
  // The first definition whose parameters bind the arguments and whose
  // tensor ranks fit (the prelude defines some names once per rank).
  std::vector<ir::Type> arg_types;
  for (const ast::FnItem* fn : candidates) {
    BoundArguments bound;
    SemaError error;
    if (!BindArguments(call, ParamsOf(*fn), &bound, &error)) {
      if (candidates.size() == 1) Fail(error.range, error.message);
      continue;
    }
    std::vector<ir::Type> types;
    std::vector<std::optional<ConstValue>> values;
    bool fits = true;
    for (size_t i = 0; i < fn->params.size(); ++i) {
      const ExprInfo& arg = Check(*bound.by_param[i]);
      types.push_back(arg.type);
      // A compile-time scalar adapts to a scalar parameter's dtype (`eps=1` for an f32).
      const ast::TypeExpr& declared = fn->params[i].type;
      if (declared.dims.empty() && arg.value && arg.type.rank() == 0 &&
          declared.dtype != DType::kBool && arg.type.dtype != DType::kBool &&
          (arg.value->is_int() || IsFloat(declared.dtype))) {
        types.back().dtype = declared.dtype;
      }
      values.push_back(arg.type.rank() == 0 ? arg.value : std::nullopt);
      fits = fits && arg.type.rank() == static_cast<int64_t>(fn->params[i].type.dims.size());
    }
    arg_types = types;
    if (!fits && candidates.size() > 1) continue;
    info.args = bound;
    info.instance = checker_.Instantiate(*source, *fn, types, values, instance_.file, call.range);
    const ir::Type result = checker_.program().instances[info.instance]->result;
    instance_.calls[&call] = std::move(info);
    return {result, std::nullopt, result.dtype};
  }
  Fail(call.range, "no definition of '" + call.callee + "' in the prelude takes (" +
                       ArgTypesText(arg_types) + "); see docs/language.md §5.3");
}

std::vector<int64_t> BodyChecker::CheckConstIntList(const ast::Expr& expr,
                                                    const std::string& what) {
  std::vector<int64_t> values;
  if (expr.kind == ast::ExprKind::kList) {
    for (const ast::ExprPtr& element : expr.As<ast::ListExpr>().elements) {
      values.push_back(CheckConstInt(*element, what));
    }
  } else {
    values.push_back(CheckConstInt(expr, what));
  }
  return values;
}

ExprInfo BodyChecker::CheckBuiltin(const ast::CallExpr& call, const Builtin& builtin,
                                   const BoundArguments& args, const ir::Type* cast_to,
                                   CallInfo& info) {
  const std::string name(builtin.name);
  auto arg = [&](size_t i) { return args.by_param[i]; };
  auto fail_rule = [&](const std::string& error) -> ExprInfo { Fail(call.range, error); };
  // A compile-time scalar operand adapts to the other operands' float dtype.
  auto adapt = [](ExprInfo value, DType dtype) {
    if (value.value && value.type.rank() == 0 && value.type.dtype != DType::kBool &&
        dtype != DType::kBool && (value.value->is_int() || IsFloat(dtype))) {
      value.type.dtype = dtype;
    }
    return value;
  };
  bool elementwise = builtin.kind == BuiltinKind::kUnary || builtin.kind == BuiltinKind::kBinary ||
                     builtin.kind == BuiltinKind::kSelect || builtin.kind == BuiltinKind::kCast;
  if (in_comprehension_ && !elementwise) {
    Fail(call.callee_range,
         "inside a comprehension only elementwise primitives may be called, "
         "not '" +
             name + "'");
  }

  std::string error;
  switch (builtin.kind) {
    case BuiltinKind::kUnary: {
      ExprInfo x = adapt(Check(*arg(0)), DType::kF32);
      bool ok =
          IsFloat(x.type.dtype) || ((builtin.op == ir::Op::kRelu || builtin.op == ir::Op::kAbs) &&
                                    x.type.dtype != DType::kBool);
      if (!ok) {
        Fail(arg(0)->range,
             name + " needs a floating-point tensor, found " + ir::FormatType(x.type));
      }
      return {x.type, std::nullopt, x.type.dtype};
    }
    case BuiltinKind::kBinary:
    case BuiltinKind::kSelect: {
      size_t first = builtin.kind == BuiltinKind::kSelect ? 1 : 0;
      ExprInfo a = Check(*arg(first));
      ExprInfo b = Check(*arg(first + 1));
      DType dtype = a.value && !b.value ? b.type.dtype : a.type.dtype;
      if (a.value && b.value) dtype = IsFloat(a.type.dtype) ? a.type.dtype : b.type.dtype;
      a = adapt(a, dtype);
      b = adapt(b, dtype);
      std::vector<ir::Type> operands = {a.type, b.type};
      if (builtin.kind == BuiltinKind::kSelect) {
        operands.insert(operands.begin(), Check(*arg(0)).type);
      }
      std::optional<ir::Type> type =
          ir::InferResultType(builtin.op, operands, info.attrs, ir::Type{}, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, dtype};
    }
    case BuiltinKind::kReduce: {
      ExprInfo x = Check(*arg(0));
      std::vector<int64_t> axes;
      if (arg(1)) axes = CheckConstIntList(*arg(1), "'axis' of " + name);
      bool keepdims = false;
      if (arg(2)) {
        const ExprInfo& flag = Check(*arg(2));
        if (!flag.value || !flag.value->is_bool()) {
          Fail(arg(2)->range, "'keepdims' of " + name + " must be true or false");
        }
        keepdims = flag.value->bool_value;
      }
      std::optional<ir::Type> type =
          ReduceType(name, x.type, axes, !arg(1), keepdims, &info.attrs.axes, &error);
      if (!type) return fail_rule(error);
      info.attrs.keepdims = keepdims;
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kReshape: {
      ExprInfo x = Check(*arg(0));
      Shape shape = CheckConstIntList(*arg(1), "a dimension of reshape");
      std::optional<ir::Type> type = ReshapeType(x.type, shape, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kTranspose: {
      ExprInfo x = Check(*arg(0));
      if (arg(1)) {
        info.attrs.axes = CheckConstIntList(*arg(1), "the permutation of transpose");
      } else {
        for (int64_t d = x.type.rank() - 1; d >= 0; --d) info.attrs.axes.push_back(d);
      }
      std::optional<ir::Type> type =
          ir::InferResultType(builtin.op, {x.type}, info.attrs, ir::Type{}, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kBroadcast: {
      ExprInfo x = Check(*arg(0));
      ir::Type declared{x.type.dtype, CheckConstIntList(*arg(1), "a dimension of broadcast")};
      std::optional<ir::Type> type =
          ir::InferResultType(builtin.op, {x.type}, info.attrs, declared, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kConcat: {
      if (arg(0)->kind != ast::ExprKind::kList) {
        Fail(arg(0)->range, "concat takes a list of tensors: concat([a, b], axis=1)");
      }
      std::vector<ir::Type> operands;
      for (const ast::ExprPtr& element : arg(0)->As<ast::ListExpr>().elements) {
        operands.push_back(Check(*element).type);
      }
      int64_t axis = arg(1) ? CheckConstInt(*arg(1), "'axis' of concat") : 0;
      int64_t rank = operands.empty() ? 0 : operands[0].rank();
      if (axis < 0) axis += rank;
      info.attrs.axes = {axis};
      std::optional<ir::Type> type =
          ir::InferResultType(builtin.op, operands, info.attrs, ir::Type{}, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kSlice: {
      ExprInfo x = Check(*arg(0));
      int64_t axis = CheckConstInt(*arg(1), "'axis' of slice");
      int64_t start = CheckConstInt(*arg(2), "'start' of slice");
      int64_t end = CheckConstInt(*arg(3), "'end' of slice");
      if (axis < 0) axis += x.type.rank();
      if (axis < 0 || axis >= x.type.rank()) {
        Fail(arg(1)->range, "slice of " + ir::FormatType(x.type) + ": axis " +
                                std::to_string(axis) + " is out of range");
      }
      info.attrs.begin.assign(x.type.shape.size(), 0);
      info.attrs.end = x.type.shape;
      info.attrs.step.assign(x.type.shape.size(), 1);
      info.attrs.begin[axis] = start;
      info.attrs.end[axis] = end;
      std::optional<ir::Type> type =
          ir::InferResultType(builtin.op, {x.type}, info.attrs, ir::Type{}, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kPad: {
      ExprInfo x = Check(*arg(0));
      std::vector<int64_t> widths = CheckConstIntList(*arg(1), "a width of pad");
      if (static_cast<int64_t>(widths.size()) != x.type.rank()) {
        Fail(arg(1)->range, "pad of " + ir::FormatType(x.type) + " needs " +
                                std::to_string(x.type.rank()) + " widths, one per axis, found " +
                                std::to_string(widths.size()));
      }
      info.attrs.low = widths;
      info.attrs.high = widths;
      std::optional<ir::Type> type =
          ir::InferResultType(builtin.op, {x.type}, info.attrs, ir::Type{}, &error);
      if (!type) return fail_rule(error);
      return {*type, std::nullopt, type->dtype};
    }
    case BuiltinKind::kCast: {
      ExprInfo x = Check(*arg(0));
      if (!cast_to) {
        Fail(call.range, "cast needs a declared type to convert to: `let y: f16[4, 8] = cast(x);`");
      }
      ir::Type target = *cast_to;
      if (in_comprehension_) target.shape.clear();
      if (target.shape != x.type.shape) {
        Fail(call.range, "cast of " + ir::FormatType(x.type) + " to " + ir::FormatType(target) +
                             ": a cast keeps the shape");
      }
      return {target, std::nullopt, x.type.dtype};
    }
  }
  Fail(call.range, "unknown primitive '" + name + "'");
}

}  // namespace tessel::sema::detail
