// The type checker's entry point: specializing the entry function from the
// request (shape flags, input files, directives, scalar arguments) and
// checking the instances it reaches.
#include <set>

#include "stages/sema/format_expr.h"
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
  Checker checker(user, prelude, constants, diags);

  // Every name the request gives must be one of the entry's; directive
  // defaults only fill in what the entry has and the request does not say.
  std::set<std::string> shape_vars, scalar_params;
  for (const ast::Param& param : entry->params) {
    if (param.type.dims.empty()) scalar_params.insert(param.name);
    for (const ast::ExprPtr& dim : param.type.dims) {
      if (dim->kind == ast::ExprKind::kName) shape_vars.insert(dim->As<ast::NameExpr>().name);
    }
  }
  bool ok = true;
  for (const auto& [name, value] : request.shapes) {
    if (!shape_vars.count(name)) {
      diags.Error("--shape " + name + "=" + std::to_string(value) + ": '" + entry->name +
                  "' has no shape variable '" + name + "'");
      ok = false;
    }
  }
  for (const auto& [name, value] : request.args) {
    if (!scalar_params.count(name)) {
      diags.Error("--arg " + name + "=" + value.ToString() + ": '" + entry->name +
                  "' has no scalar parameter '" + name + "'");
      ok = false;
    }
  }
  std::map<std::string, ConstValue> args = request.args;
  for (const auto& [name, value] : request.default_args) {
    if (scalar_params.count(name)) args.emplace(name, value);
  }

  // The entry's shape variables: from the request, then from input files,
  // then from the directives.
  ShapeEnv env;
  env.vars = request.shapes;
  env.lookup = [&](const std::string& name) -> std::optional<ConstValue> {
    auto arg = args.find(name);
    if (arg != args.end()) return arg->second;
    auto constant = constants.find(name);
    if (constant != constants.end()) return constant->second;
    return std::nullopt;
  };
  for (const ast::Param& param : entry->params) {
    auto input = request.input_types.find(param.name);
    if (input == request.input_types.end()) continue;
    if (input->second.rank() != static_cast<int64_t>(param.type.dims.size())) continue;
    for (size_t d = 0; d < param.type.dims.size(); ++d) {
      const ast::Expr& dim = *param.type.dims[d];
      if (dim.kind == ast::ExprKind::kName && !env.vars.count(dim.As<ast::NameExpr>().name) &&
          !env.lookup(dim.As<ast::NameExpr>().name)) {
        env.vars[dim.As<ast::NameExpr>().name] = input->second.shape[d];
      }
    }
  }
  for (const auto& [name, value] : request.default_shapes) {
    if (shape_vars.count(name)) env.vars.emplace(name, value);
  }
  std::vector<ir::Type> types;
  std::vector<std::optional<ConstValue>> values;
  std::set<std::string> reported;  // shape variables already reported missing
  for (const ast::Param& param : entry->params) {
    auto input = request.input_types.find(param.name);
    if (param.type.dims.empty()) {
      auto arg = args.find(param.name);
      if (arg == args.end()) {
        diags.Error(*user.file, param.name_range,
                    "scalar parameter '" + param.name + "' of '" + entry->name +
                        "' has no value: give it with --arg " + param.name +
                        "=VALUE (or a `//! args:` line)");
        ok = false;
        types.push_back({param.type.dtype, {}});
        values.emplace_back();
        continue;
      }
      std::string error;
      std::optional<ConstValue> value = ConvertScalarArg(param, arg->second, &error);
      if (!value) {
        diags.Error(*user.file, param.name_range, error);
        ok = false;
      }
      types.push_back({param.type.dtype, {}});
      values.push_back(value);
      continue;
    }
    std::string error;
    std::optional<ir::Type> type = ResolveType(param.type, env, &error);
    if (!type) {
      // Name the first dimension without a value.
      std::string missing;
      for (const ast::ExprPtr& dim : param.type.dims) {
        if (dim->kind == ast::ExprKind::kName && !env.vars.count(dim->As<ast::NameExpr>().name) &&
            !env.lookup(dim->As<ast::NameExpr>().name)) {
          missing = dim->As<ast::NameExpr>().name;
          break;
        }
      }
      if (missing.empty() || reported.insert(missing).second) {
        diags.Error(*user.file, param.type.range,
                    missing.empty() ? error
                                    : "shape variable '" + missing + "' of '" + entry->name +
                                          "' has no value: give it with --shape " + missing +
                                          "=N (or a `//! shapes:` line)");
      }
      ok = false;
      types.push_back({param.type.dtype, {}});
    } else {
      if (input != request.input_types.end() && input->second != *type) {
        diags.Error(*user.file, param.type.range,
                    "input '" + param.name + "' is " + ir::FormatType(input->second) +
                        " but parameter " + param.name + ": " + FormatTypeExpr(param.type) +
                        " is " + ir::FormatType(*type) + " here");
        ok = false;
      }
      types.push_back(*type);
    }
    values.emplace_back();
  }
  if (!ok) return std::nullopt;
  try {
    checker.Instantiate(user, *entry, types, values, nullptr, {});
  } catch (const CheckFailed&) {
    return std::nullopt;
  }
  if (diags.has_errors()) return std::nullopt;
  return std::move(checker.program());
}

}  // namespace tessel::sema
