#include "stages/sema/format_expr.h"

#include "stages/sema/const_value.h"

namespace tessel::sema {

namespace {

constexpr int kUnaryPrecedence = 7;
constexpr int kPostfixPrecedence = 8;

int PrecedenceOf(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::kBinary:
      return ast::BinaryOpPrecedence(expr.As<ast::BinaryExpr>().op);
    case ast::ExprKind::kUnary:
      return kUnaryPrecedence;
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kName:
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kCall:
    case ast::ExprKind::kList:
      return kPostfixPrecedence;
  }
  return kPostfixPrecedence;
}

// `expr`, parenthesized if it binds less tightly than `min_precedence`.
std::string OperandText(const ast::Expr& expr, int min_precedence) {
  std::string text = FormatExpr(expr);
  return PrecedenceOf(expr) < min_precedence ? "(" + text + ")" : text;
}

std::string JoinExprs(const std::vector<ast::ExprPtr>& exprs) {
  std::string text;
  for (const ast::ExprPtr& e : exprs) text += (text.empty() ? "" : ", ") + FormatExpr(*e);
  return text;
}

}  // namespace

std::string FormatExpr(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
      return std::to_string(expr.As<ast::IntLiteral>().value);
    case ast::ExprKind::kFloat:
      return ConstValue::Float(expr.As<ast::FloatLiteral>().value).ToString();
    case ast::ExprKind::kBool:
      return expr.As<ast::BoolLiteral>().value ? "true" : "false";
    case ast::ExprKind::kName:
      return expr.As<ast::NameExpr>().name;
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      return std::string(ast::UnaryOpSpelling(unary.op)) +
             OperandText(*unary.operand, kUnaryPrecedence);
    }
    case ast::ExprKind::kBinary: {
      // Left-associative: the right operand needs parentheses at equal precedence.
      const auto& binary = expr.As<ast::BinaryExpr>();
      int p = ast::BinaryOpPrecedence(binary.op);
      return OperandText(*binary.lhs, p) + " " + std::string(ast::BinaryOpSpelling(binary.op)) +
             " " + OperandText(*binary.rhs, p + 1);
    }
    case ast::ExprKind::kIndex: {
      const auto& index = expr.As<ast::IndexExpr>();
      return OperandText(*index.base, kPostfixPrecedence) + "[" + JoinExprs(index.indices) + "]";
    }
    case ast::ExprKind::kCall: {
      const auto& call = expr.As<ast::CallExpr>();
      std::string text = call.callee + "(";
      for (size_t i = 0; i < call.args.size(); ++i) {
        if (i > 0) text += ", ";
        if (!call.args[i].keyword.empty()) text += call.args[i].keyword + "=";
        text += FormatExpr(*call.args[i].value);
      }
      return text + ")";
    }
    case ast::ExprKind::kList:
      return "[" + JoinExprs(expr.As<ast::ListExpr>().elements) + "]";
  }
  return "";
}

std::string FormatTypeExpr(const ast::TypeExpr& type) {
  std::string text(DTypeName(type.dtype));
  if (type.dims.empty()) return text;
  return text + "[" + JoinExprs(type.dims) + "]";
}

}  // namespace tessel::sema
