// Parameter defaults (default_arguments.h): where they may appear, what they may use, their
// value at a call, and its conversion to the parameter's dtype.
#include "stages/sema/default_arguments.h"

#include <set>
#include <vector>

#include "stages/sema/const_math.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/expr_walk.h"
#include "stages/sema/predefined.h"

namespace tessel::sema {

namespace {

// The first part of a default that is never a compile-time scalar (a list, a subscript, a call
// that is not math), with why; null when there is none.
const ast::Expr* NotAScalarPart(const ast::Expr& expr, std::string* why) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kName:
      return nullptr;
    case ast::ExprKind::kUnary:
      return NotAScalarPart(*expr.As<ast::UnaryExpr>().operand, why);
    case ast::ExprKind::kBinary: {
      const auto& binary = expr.As<ast::BinaryExpr>();
      const ast::Expr* bad = NotAScalarPart(*binary.lhs, why);
      return bad ? bad : NotAScalarPart(*binary.rhs, why);
    }
    case ast::ExprKind::kCall: {
      const auto& call = expr.As<ast::CallExpr>();
      if (!IsMathFunction(call.callee)) {
        *why = NotMathMessage(call.callee);
        return &expr;
      }
      for (const ast::Argument& arg : call.args) {
        if (const ast::Expr* bad = NotAScalarPart(*arg.value, why)) return bad;
      }
      return nullptr;
    }
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kList:
      break;
  }
  *why = "a default must be a scalar known at compile time, found " +
         std::string(expr.kind == ast::ExprKind::kList ? "a list" : "a subscript");
  return &expr;
}

// Checks the defaults of one function; `constants` are those of its module.
class FunctionDefaults {
 public:
  FunctionDefaults(const SourceFile& file, const ast::FnItem& fn,
                   const std::map<std::string, ConstValue>& constants, DiagnosticEngine& diags)
      : file_(file), fn_(fn), constants_(constants), diags_(diags) {}

  bool Check() {
    const ast::Param* defaulted = nullptr;  // the first parameter with a default
    for (const ast::Param& param : fn_.params) {
      if (param.default_value) {
        if (!defaulted) defaulted = &param;
        CheckDefault(param);
      } else if (defaulted) {
        Error(param.name_range, "parameter '" + param.name + "' of '" + fn_.name +
                                    "' needs a default: it follows '" + defaulted->name +
                                    "', which has one");
      }
      earlier_.insert(param.name);
      for (const ast::ExprPtr& dim : param.type.dims) {  // the shape variables it binds
        if (dim->kind == ast::ExprKind::kName) earlier_.insert(dim->As<ast::NameExpr>().name);
      }
    }
    return ok_;
  }

 private:
  void CheckDefault(const ast::Param& param) {
    const ast::Expr& value = *param.default_value;
    if (!param.type.dims.empty()) {
      Error(value.range,
            "only a scalar parameter may have a default; '" + param.name + "' is a tensor");
      return;
    }
    std::string why;
    if (const ast::Expr* bad = NotAScalarPart(value, &why)) {
      Error(bad->range, why);
      return;
    }
    bool uses_parameters = false;
    ForEachName(value, false, [&](const ast::NameExpr& name, bool) {
      if (earlier_.count(name.name)) {
        uses_parameters = true;
      } else if (!constants_.count(name.name) && !PredefinedValue(name.name)) {
        Error(name.range, "undefined name '" + name.name + "' in the default of '" + param.name +
                              "' (a default may use constants, the parameters before it and "
                              "their shape variables)");
      }
    });
    if (!ok_ || uses_parameters) return;  // evaluated at each call, with the arguments
    DefaultLookup lookup = [&](const std::string& name) -> std::optional<ConstValue> {
      auto constant = constants_.find(name);
      return constant != constants_.end() ? std::optional(constant->second) : PredefinedValue(name);
    };
    std::string error;
    std::optional<ConstValue> result = EvaluateDefault(value, lookup, &error);
    if (result) result = ConvertDefault(param, *result, &error);
    if (!result) Error(value.range, error);
  }

  void Error(SourceRange range, const std::string& message) {
    diags_.Error(file_, range, message);
    ok_ = false;
  }

  const SourceFile& file_;
  const ast::FnItem& fn_;
  const std::map<std::string, ConstValue>& constants_;
  DiagnosticEngine& diags_;
  std::set<std::string> earlier_;  // parameters and shape variables before the current one
  bool ok_ = true;
};

}  // namespace

bool CheckParameterDefaults(const SourceFile& file, const ast::Module& module,
                            const std::map<std::string, ConstValue>& constants,
                            DiagnosticEngine& diags) {
  bool ok = true;
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind != ast::ItemKind::kFn) continue;
    ok = FunctionDefaults(file, item->As<ast::FnItem>(), constants, diags).Check() && ok;
  }
  return ok;
}

std::optional<ConstValue> EvaluateDefault(const ast::Expr& expr, const DefaultLookup& lookup,
                                          std::string* error) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
      return ConstValue::Int(expr.As<ast::IntLiteral>().value);
    case ast::ExprKind::kFloat:
      return ConstValue::Float(expr.As<ast::FloatLiteral>().value);
    case ast::ExprKind::kBool:
      return ConstValue::Bool(expr.As<ast::BoolLiteral>().value);
    case ast::ExprKind::kName: {
      const std::string& name = expr.As<ast::NameExpr>().name;
      if (std::optional<ConstValue> value = lookup(name)) return value;
      *error = "'" + name + "' is not known at compile time";
      return std::nullopt;
    }
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      std::optional<ConstValue> x = EvaluateDefault(*unary.operand, lookup, error);
      return x ? EvaluateUnary(unary.op, *x, error) : std::nullopt;
    }
    case ast::ExprKind::kBinary: {
      const auto& binary = expr.As<ast::BinaryExpr>();
      std::optional<ConstValue> a = EvaluateDefault(*binary.lhs, lookup, error);
      std::optional<ConstValue> b = a ? EvaluateDefault(*binary.rhs, lookup, error) : std::nullopt;
      return a && b ? EvaluateBinary(binary.op, *a, *b, error) : std::nullopt;
    }
    case ast::ExprKind::kCall: {
      const auto& call = expr.As<ast::CallExpr>();
      if (!IsMathFunction(call.callee)) {  // before the arguments, which may not be scalars
        *error = NotMathMessage(call.callee);
        return std::nullopt;
      }
      std::vector<ConstValue> args;
      for (const ast::Argument& arg : call.args) {
        std::optional<ConstValue> value = EvaluateDefault(*arg.value, lookup, error);
        if (!value) return std::nullopt;
        args.push_back(*value);
      }
      return EvaluateMathCall(call, args, error);
    }
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kList:
      break;
  }
  *error = "a default must be a scalar known at compile time";
  return std::nullopt;
}

std::optional<ConstValue> ConvertDefault(const ast::Param& param, const ConstValue& value,
                                         std::string* error) {
  DType dtype = param.type.dtype;
  bool fits = dtype == DType::kBool ? value.is_bool()
              : IsFloat(dtype)      ? !value.is_bool()
                                    : value.is_int();
  if (!fits) {
    *error = "the default of '" + param.name + "' is " + value.ToString() + ", not " +
             (dtype == DType::kBool ? "a bool"
              : IsFloat(dtype)      ? "a number"
                                    : "an integer") +
             " (the parameter is " + std::string(DTypeName(dtype)) + ")";
    return std::nullopt;
  }
  return IsFloat(dtype) && value.is_int() ? ConstValue::Float(value.AsDouble()) : value;
}

}  // namespace tessel::sema
