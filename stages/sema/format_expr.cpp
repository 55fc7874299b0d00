#include "stages/sema/format_expr.h"

#include "stages/sema/const_value.h"

namespace tessel::sema {

namespace {

// Binding strength for parenthesization: higher binds tighter (docs/language.md §2.3).
int Precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 1;
    case BinaryOp::kAnd:
      return 2;
    case BinaryOp::kEq:
    case BinaryOp::kNe:
      return 3;
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return 4;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return 5;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
    case BinaryOp::kMatMul:
      return 6;
  }
  return 0;
}
constexpr int kUnaryPrecedence = 7;
constexpr int kPostfixPrecedence = 8;

int PrecedenceOf(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kBinary:
      return Precedence(expr.As<BinaryExpr>().op);
    case ExprKind::kUnary:
      return kUnaryPrecedence;
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kBool:
    case ExprKind::kName:
    case ExprKind::kIndex:
    case ExprKind::kCall:
    case ExprKind::kList:
      return kPostfixPrecedence;
  }
  return kPostfixPrecedence;
}

// `expr`, parenthesized if it binds less tightly than `min_precedence`.
std::string Operand(const Expr& expr, int min_precedence) {
  std::string text = FormatExpr(expr);
  return PrecedenceOf(expr) < min_precedence ? "(" + text + ")" : text;
}

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string text;
  for (const ExprPtr& e : exprs) text += (text.empty() ? "" : ", ") + FormatExpr(*e);
  return text;
}

}  // namespace

std::string FormatExpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInt:
      return std::to_string(expr.As<IntLiteral>().value);
    case ExprKind::kFloat:
      return ConstValue::Float(expr.As<FloatLiteral>().value).ToString();
    case ExprKind::kBool:
      return expr.As<BoolLiteral>().value ? "true" : "false";
    case ExprKind::kName:
      return expr.As<NameExpr>().name;
    case ExprKind::kUnary: {
      const auto& unary = expr.As<UnaryExpr>();
      return std::string(UnaryOpSpelling(unary.op)) + Operand(*unary.operand, kUnaryPrecedence);
    }
    case ExprKind::kBinary: {
      // Left-associative: the right operand needs parentheses at equal precedence.
      const auto& binary = expr.As<BinaryExpr>();
      int p = Precedence(binary.op);
      return Operand(*binary.lhs, p) + " " + std::string(BinaryOpSpelling(binary.op)) + " " +
             Operand(*binary.rhs, p + 1);
    }
    case ExprKind::kIndex: {
      const auto& index = expr.As<IndexExpr>();
      return Operand(*index.base, kPostfixPrecedence) + "[" + JoinExprs(index.indices) + "]";
    }
    case ExprKind::kCall: {
      const auto& call = expr.As<CallExpr>();
      std::string text = call.callee + "(";
      for (size_t i = 0; i < call.args.size(); ++i) {
        if (i > 0) text += ", ";
        if (!call.args[i].keyword.empty()) text += call.args[i].keyword + "=";
        text += FormatExpr(*call.args[i].value);
      }
      return text + ")";
    }
    case ExprKind::kList:
      return "[" + JoinExprs(expr.As<ListExpr>().elements) + "]";
  }
  return "";
}

std::string FormatTypeExpr(const TypeExpr& type) {
  std::string text(DTypeName(type.dtype));
  if (type.dims.empty()) return text;
  return text + "[" + JoinExprs(type.dims) + "]";
}

}  // namespace tessel::sema
