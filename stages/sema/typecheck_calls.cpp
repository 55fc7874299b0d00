// The type checker's calls: user and prelude functions (instantiated with the
// argument types); the primitives of builtins.h are in typecheck_builtins.cpp.
#include <algorithm>

#include "stages/common/check.h"
#include "stages/ir/type_rules.h"
#include "stages/sema/default_arguments.h"
#include "stages/sema/format_expr.h"
#include "stages/sema/predefined.h"
#include "stages/sema/typecheck_internal.h"

namespace tessel::sema::detail {

namespace {

std::string ArgTypesText(const std::vector<ir::Type>& types) {
  std::string text;
  for (const ir::Type& type : types) text += (text.empty() ? "" : ", ") + ir::FormatType(type);
  return text;
}

// ": its definitions take 'x' of rank 1, 2, 3 or 4" when the definitions differ in the rank of
// their first parameter (the prelude's overloads per rank); else nothing.
std::string RanksTaken(const std::vector<const ast::FnItem*>& candidates) {
  std::vector<size_t> ranks;
  for (const ast::FnItem* fn : candidates) {
    if (fn->params.empty()) return "";
    size_t rank = fn->params[0].type.dims.size();
    if (std::find(ranks.begin(), ranks.end(), rank) == ranks.end()) ranks.push_back(rank);
  }
  if (ranks.size() < 2) return "";
  std::sort(ranks.begin(), ranks.end());
  std::string text = ": its definitions take '" + candidates[0]->params[0].name + "' of rank ";
  for (size_t i = 0; i < ranks.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == ranks.size() ? " or " : ", ") + std::to_string(ranks[i]);
  }
  return text;
}

}  // namespace

// The value of parameter `i` of `fn`, which the call omits: its default, evaluated with the
// compile-time values of the parameters before it (`values`), the shape variables their types
// bind (`types`) and the callee's module constants.
ExprInfo BodyChecker::DefaultArgument(const ast::CallExpr& call, const SourceModule& source,
                                      const ast::FnItem& fn, size_t i,
                                      const std::vector<ir::Type>& types,
                                      const std::vector<std::optional<ConstValue>>& values) {
  const ast::Param& param = fn.params[i];
  DefaultLookup lookup = [&](const std::string& name) -> std::optional<ConstValue> {
    for (size_t j = 0; j < i; ++j) {
      if (fn.params[j].name == name) return values[j];
      const std::vector<ast::ExprPtr>& dims = fn.params[j].type.dims;
      for (size_t d = 0; d < dims.size() && d < types[j].shape.size(); ++d) {
        if (dims[d]->kind == ast::ExprKind::kName && dims[d]->As<ast::NameExpr>().name == name) {
          return ConstValue::Int(types[j].shape[d]);
        }
      }
    }
    if (source.file == checker_.user().file) {
      auto constant = checker_.constants().find(name);
      if (constant != checker_.constants().end()) return constant->second;
    }
    return PredefinedValue(name);
  };
  std::string error;
  std::optional<ConstValue> value = EvaluateDefault(*param.default_value, lookup, &error);
  if (value) value = ConvertDefault(param, *value, &error);
  if (!value) {
    Fail(call.range, "the default of '" + param.name + "' of '" + fn.name + "' (" +
                         FormatExpr(*param.default_value) + "): " + error);
  }
  return {Scalar(value->dtype()), value};
}

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
  std::vector<ir::Type> given_types;  // of the arguments the call gives, for the message
  for (const ast::FnItem* fn : candidates) {
    BoundArguments bound;
    SemaError error;
    if (!BindArguments(call, ParamsOf(*fn), &bound, &error)) {
      if (candidates.size() == 1) Fail(error.range, error.message);
      continue;
    }
    for (size_t i = 0; i < fn->params.size(); ++i) {
      if (bound.by_param[i] && fn->params[i].name.starts_with('_')) {
        Fail(bound.by_param[i]->range, "'" + fn->params[i].name + "' of '" + fn->name +
                                           "' is computed from the other arguments; leave it out");
      }
    }
    std::vector<ir::Type> types;
    std::vector<std::optional<ConstValue>> values;
    bool fits = true;
    given_types.clear();
    for (size_t i = 0; i < fn->params.size(); ++i) {
      // A default of a definition that does not fit is not evaluated: it may not make sense.
      if (!fits && !bound.by_param[i] && candidates.size() > 1) break;
      const ExprInfo arg = bound.by_param[i]
                               ? Check(*bound.by_param[i])
                               : DefaultArgument(call, *source, *fn, i, types, values);
      types.push_back(arg.type);
      // A compile-time scalar adapts to a scalar parameter's dtype (`eps=1` for an f32).
      const ast::TypeExpr& declared = fn->params[i].type;
      std::optional<ConstValue> value = arg.type.rank() == 0 ? arg.value : std::nullopt;
      if (declared.dims.empty() && arg.value && arg.type.rank() == 0 &&
          declared.dtype != DType::kBool && arg.type.dtype != DType::kBool &&
          (arg.value->is_int() || IsFloat(declared.dtype))) {
        types.back().dtype = declared.dtype;
        // A later default sees it as the parameter holds it: `a: f32 = 3` then `b = a / 2` is 1.5.
        if (IsFloat(declared.dtype) && value->is_int())
          value = ConstValue::Float(value->AsDouble());
      }
      values.push_back(value);
      if (bound.by_param[i]) given_types.push_back(types.back());
      fits = fits && arg.type.rank() == static_cast<int64_t>(fn->params[i].type.dims.size());
    }
    if (!fits && candidates.size() > 1) continue;
    info.args = bound;
    info.instance = checker_.Instantiate(*source, *fn, types, values, instance_.file, call.range);
    const ir::Type result = checker_.program().instances[info.instance]->result;
    instance_.calls[&call] = std::move(info);
    return {result, std::nullopt, result.dtype};
  }
  Fail(call.range, "no definition of '" + call.callee + "' in the prelude takes (" +
                       ArgTypesText(given_types) + ")" + RanksTaken(candidates) +
                       "; see docs/language.md §5.3");
}

}  // namespace tessel::sema::detail
