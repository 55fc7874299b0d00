// The type checker's entry point: specializing the entry function from the
// request (shape flags, input files, directives, scalar arguments) and
// checking the instances it reaches.
#include <set>

#include "stages/sema/default_arguments.h"
#include "stages/sema/format_expr.h"
#include "stages/sema/predefined.h"
#include "stages/sema/typecheck.h"
#include "stages/sema/typecheck_internal.h"

namespace tessel::sema {

// ------------------------------------------------------------ the entry

namespace {

using detail::Checker;
using detail::CheckFailed;

const ast::FnItem* FindEntry(const SourceModule& user, const std::string& name) {
  const ast::FnItem* last = nullptr;
  for (const ast::ItemPtr& item : user.module->items) {
    if (item->kind != ast::ItemKind::kFn) continue;
    if (item->name == name) return &item->As<ast::FnItem>();
    last = &item->As<ast::FnItem>();
  }
  return name.empty() ? last : nullptr;
}

std::string FunctionList(const SourceModule& user) {
  std::string names;
  for (const ast::ItemPtr& item : user.module->items) {
    if (item->kind == ast::ItemKind::kFn) names += (names.empty() ? "" : ", ") + item->name;
  }
  return names.empty() ? "none" : names;
}

// A scalar argument from the command line or a directive, converted to the
// parameter's dtype, or an error.
std::optional<ConstValue> ConvertScalarArg(const ast::Param& param, const ConstValue& value,
                                           std::string* error) {
  DType dtype = param.type.dtype;
  if (dtype == DType::kBool) {
    if (value.is_bool()) return value;
  } else if (IsFloat(dtype)) {
    if (!value.is_bool()) return ConstValue::Float(value.AsDouble());
  } else if (value.is_int()) {
    return value;
  }
  *error = "scalar parameter '" + param.name + "' is " + std::string(DTypeName(dtype)) +
           ", given " + value.ToString();
  return std::nullopt;
}

// The entry's shape variables (bare-name dimensions) and scalar parameters.
struct EntryNames {
  std::set<std::string> shape_vars, scalar_params;
};

EntryNames NamesOf(const ast::FnItem& entry) {
  EntryNames names;
  for (const ast::Param& param : entry.params) {
    if (param.type.dims.empty()) names.scalar_params.insert(param.name);
    for (const ast::ExprPtr& dim : param.type.dims) {
      if (dim->kind == ast::ExprKind::kName) {
        names.shape_vars.insert(dim->As<ast::NameExpr>().name);
      }
    }
  }
  return names;
}

// Every name the request gives must be one of the entry's (directive defaults
// only fill in what the entry has and the request does not say).
bool CheckRequestNames(const EntryRequest& request, const ast::FnItem& entry,
                       const EntryNames& names, DiagnosticEngine& diags) {
  bool ok = true;
  for (const auto& [name, value] : request.shapes) {
    if (names.shape_vars.count(name)) continue;
    diags.Error("--shape " + name + "=" + std::to_string(value) + ": '" + entry.name +
                "' has no shape variable '" + name + "'");
    ok = false;
  }
  for (const auto& [name, value] : request.args) {
    if (names.scalar_params.count(name)) continue;
    if (request.scalar_inputs.count(name)) {  // a 0-d .npy given with --input
      const ast::Param* param = nullptr;
      for (const ast::Param& p : entry.params) param = p.name == name ? &p : param;
      diags.Error("--input " + name + ": the file holds a scalar (a 0-d array), but '" +
                  entry.name + "' has " +
                  (param ? "'" + name + ": " + FormatTypeExpr(param->type) + "', a tensor"
                         : "no parameter '" + name + "'"));
    } else {
      diags.Error("--arg " + name + "=" + value.ToString() + ": '" + entry.name +
                  "' has no scalar parameter '" + name + "'");
    }
    ok = false;
  }
  return ok;
}

// The name of the first dimension of `type` that `env` has no value for, or "".
std::string FirstUnboundDim(const ast::TypeExpr& type, const ShapeEnv& env) {
  for (const ast::ExprPtr& dim : type.dims) {
    if (dim->kind != ast::ExprKind::kName) continue;
    const std::string& name = dim->As<ast::NameExpr>().name;
    if (!env.vars.count(name) && !env.lookup(name)) return name;
  }
  return "";
}

// Specializes the entry's parameters: their types and the values of scalar
// parameters, reporting each one that cannot be resolved.
class EntryParams {
 public:
  EntryParams(const SourceModule& user, const ast::FnItem& entry,
              const std::map<std::string, ConstValue>& constants, const EntryRequest& request,
              DiagnosticEngine& diags);

  /// Resolves every parameter; false when one was reported.
  bool Resolve();
  std::vector<ir::Type> types;
  std::vector<std::optional<ConstValue>> values;

 private:
  void BindShapesFromInputs();
  bool ResolveScalar(const ast::Param& param);
  bool ResolveTensor(const ast::Param& param);

  const SourceModule& user_;
  const ast::FnItem& entry_;
  const EntryRequest& request_;
  DiagnosticEngine& diags_;
  EntryNames names_;
  std::map<std::string, ConstValue> args_;  // the request's, then the directives'
  ShapeEnv env_;
  std::set<std::string> reported_;           // shape variables already reported missing
  std::map<std::string, ConstValue> known_;  // scalar parameters resolved so far
  DefaultLookup lookup_;                     // what a default may use
};

EntryParams::EntryParams(const SourceModule& user, const ast::FnItem& entry,
                         const std::map<std::string, ConstValue>& constants,
                         const EntryRequest& request, DiagnosticEngine& diags)
    : user_(user), entry_(entry), request_(request), diags_(diags), names_(NamesOf(entry)) {
  args_ = request.args;
  for (const auto& [name, value] : request.default_args) {
    if (names_.scalar_params.count(name)) args_.emplace(name, value);
  }
  // The shape variables: from the request, then from input files, then from the directives.
  env_.vars = request.shapes;
  env_.lookup = [this, &constants](const std::string& name) -> std::optional<ConstValue> {
    auto arg = args_.find(name);
    if (arg != args_.end()) return arg->second;
    auto known = known_.find(name);
    if (known != known_.end()) return known->second;
    auto constant = constants.find(name);
    if (constant != constants.end()) return constant->second;
    return std::nullopt;
  };
  lookup_ = [this, &constants](const std::string& name) -> std::optional<ConstValue> {
    auto known = known_.find(name);
    if (known != known_.end()) return known->second;
    auto shape_var = env_.vars.find(name);
    if (shape_var != env_.vars.end()) return ConstValue::Int(shape_var->second);
    auto constant = constants.find(name);
    if (constant != constants.end()) return constant->second;
    return PredefinedValue(name);
  };
  BindShapesFromInputs();
  for (const auto& [name, value] : request.default_shapes) {
    if (names_.shape_vars.count(name)) env_.vars.emplace(name, value);
  }
}

void EntryParams::BindShapesFromInputs() {
  for (const ast::Param& param : entry_.params) {
    auto input = request_.input_types.find(param.name);
    if (input == request_.input_types.end()) continue;
    if (input->second.rank() != static_cast<int64_t>(param.type.dims.size())) continue;
    for (size_t d = 0; d < param.type.dims.size(); ++d) {
      const ast::Expr& dim = *param.type.dims[d];
      if (dim.kind != ast::ExprKind::kName) continue;
      const std::string& name = dim.As<ast::NameExpr>().name;
      if (!env_.vars.count(name) && !env_.lookup(name)) env_.vars[name] = input->second.shape[d];
    }
  }
}

bool EntryParams::Resolve() {
  bool ok = CheckRequestNames(request_, entry_, names_, diags_);
  for (const ast::Param& param : entry_.params) {
    bool resolved = param.type.dims.empty() ? ResolveScalar(param) : ResolveTensor(param);
    ok = ok && resolved;
  }
  return ok;
}

bool EntryParams::ResolveScalar(const ast::Param& param) {
  types.push_back({param.type.dtype, {}});
  auto arg = args_.find(param.name);
  if (arg == args_.end() && param.default_value) {
    std::string error;
    std::optional<ConstValue> value = EvaluateDefault(*param.default_value, lookup_, &error);
    if (value) value = ConvertDefault(param, *value, &error);
    if (!value) diags_.Error(*user_.file, param.default_value->range, error);
    values.push_back(value);
    if (value) known_[param.name] = *value;
    return value.has_value();
  }
  if (arg == args_.end()) {
    diags_.Error(*user_.file, param.name_range,
                 "scalar parameter '" + param.name + "' of '" + entry_.name +
                     "' has no value: give it with --arg " + param.name +
                     "=VALUE (or a `//! args:` line)");
    values.emplace_back();
    return false;
  }
  std::string error;
  std::optional<ConstValue> value = ConvertScalarArg(param, arg->second, &error);
  if (!value) diags_.Error(*user_.file, param.name_range, error);
  values.push_back(value);
  if (value) known_[param.name] = *value;
  return value.has_value();
}

bool EntryParams::ResolveTensor(const ast::Param& param) {
  values.emplace_back();
  std::string error;
  std::optional<ir::Type> type = ResolveType(param.type, env_, &error);
  if (!type) {
    std::string missing = FirstUnboundDim(param.type, env_);
    if (missing.empty() || reported_.insert(missing).second) {
      diags_.Error(*user_.file, param.type.range,
                   missing.empty() ? error
                                   : "shape variable '" + missing + "' of '" + entry_.name +
                                         "' has no value: give it with --shape " + missing +
                                         "=N (or a `//! shapes:` line)");
    }
    types.push_back({param.type.dtype, {}});
    return false;
  }
  types.push_back(*type);
  auto input = request_.input_types.find(param.name);
  if (input == request_.input_types.end() || input->second == *type) return true;
  diags_.Error(*user_.file, param.type.range,
               "input '" + param.name + "' is " + ir::FormatType(input->second) +
                   " but parameter " + param.name + ": " + FormatTypeExpr(param.type) + " is " +
                   ir::FormatType(*type) + " here");
  return false;
}

}  // namespace

std::optional<TypedProgram> TypeCheck(const SourceModule& user, const SourceModule& prelude,
                                      const std::map<std::string, ConstValue>& constants,
                                      const EntryRequest& request, DiagnosticEngine& diags) {
  const ast::FnItem* entry = FindEntry(user, request.entry);
  if (!entry) {
    diags.Error("--entry " + request.entry + ": no function '" + request.entry + "' in " +
                user.file->name() + " (its functions: " + FunctionList(user) + ")");
    return std::nullopt;
  }
  bool defaults_ok = CheckParameterDefaults(*user.file, *user.module, constants, diags);
  defaults_ok = CheckParameterDefaults(*prelude.file, *prelude.module, {}, diags) && defaults_ok;
  if (!defaults_ok) return std::nullopt;
  EntryParams params(user, *entry, constants, request, diags);
  if (!params.Resolve()) return std::nullopt;
  Checker checker(user, prelude, constants, diags);
  try {
    checker.Instantiate(user, *entry, params.types, params.values, nullptr, {});
  } catch (const CheckFailed&) {
    return std::nullopt;
  }
  if (diags.has_errors()) return std::nullopt;
  return std::move(checker.program());
}

}  // namespace tessel::sema
