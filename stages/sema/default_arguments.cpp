#include "stages/sema/default_arguments.h"

#include <set>
#include <vector>

#include "stages/sema/const_math.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/expr_walk.h"
#include "stages/sema/predefined.h"

namespace tessel::sema {

bool CheckParameterDefaults(const SourceFile& file, const ast::Module& module,
                            const std::map<std::string, ConstValue>& constants,
                            DiagnosticEngine& diags) {
  bool ok = true;
  auto error = [&](SourceRange range, const std::string& message) {
    diags.Error(file, range, message);
    ok = false;
  };
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind != ast::ItemKind::kFn) continue;
    const auto& fn = item->As<ast::FnItem>();
    std::set<std::string> earlier;
    const ast::Param* defaulted = nullptr;  // the first parameter with a default
    for (const ast::Param& param : fn.params) {
      if (!param.default_value) {
        if (defaulted) {
          error(param.name_range, "parameter '" + param.name + "' of '" + fn.name +
                                      "' needs a default: it follows '" + defaulted->name +
                                      "', which has one");
        }
        earlier.insert(param.name);
        for (const ast::ExprPtr& dim : param.type.dims) {  // shape variables
          if (dim->kind == ast::ExprKind::kName) earlier.insert(dim->As<ast::NameExpr>().name);
        }
        continue;
      }
      if (!defaulted) defaulted = &param;
      if (!param.type.dims.empty()) {
        error(param.default_value->range,
              "only a scalar parameter may have a default; '" + param.name + "' is a tensor");
      }
      ForEachName(*param.default_value, false, [&](const ast::NameExpr& name, bool) {
        if (earlier.count(name.name) || constants.count(name.name) || PredefinedValue(name.name)) {
          return;
        }
        error(name.range,
              "undefined name '" + name.name + "' in the default of '" + param.name +
                  "' (a default may use constants, the parameters before it and their shape "
                  "variables)");
      });
      earlier.insert(param.name);
    }
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
      std::vector<ConstValue> args;
      for (const ast::Argument& arg : call.args) {
        std::optional<ConstValue> value = EvaluateDefault(*arg.value, lookup, error);
        if (!value) return std::nullopt;
        args.push_back(*value);
      }
      return EvaluateMathCall(call.callee, args, error);
    }
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kList:
      break;
  }
  *error = "a default must be a scalar known at compile time";
  return std::nullopt;
}

}  // namespace tessel::sema
