#include "stages/sema/expr_walk.h"

namespace tessel::sema {

void ForEachName(const ast::Expr& expr, bool in_subscript,
                 const std::function<void(const ast::NameExpr&, bool)>& visit) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
      return;
    case ast::ExprKind::kName:
      visit(expr.As<ast::NameExpr>(), in_subscript);
      return;
    case ast::ExprKind::kUnary:
      ForEachName(*expr.As<ast::UnaryExpr>().operand, in_subscript, visit);
      return;
    case ast::ExprKind::kBinary:
      ForEachName(*expr.As<ast::BinaryExpr>().lhs, in_subscript, visit);
      ForEachName(*expr.As<ast::BinaryExpr>().rhs, in_subscript, visit);
      return;
    case ast::ExprKind::kIndex:
      ForEachName(*expr.As<ast::IndexExpr>().base, in_subscript, visit);
      for (const ast::ExprPtr& index : expr.As<ast::IndexExpr>().indices)
        ForEachName(*index, true, visit);
      return;
    case ast::ExprKind::kCall:
      for (const ast::Argument& arg : expr.As<ast::CallExpr>().args) {
        ForEachName(*arg.value, in_subscript, visit);
      }
      return;
    case ast::ExprKind::kList:
      for (const ast::ExprPtr& element : expr.As<ast::ListExpr>().elements) {
        ForEachName(*element, in_subscript, visit);
      }
      return;
  }
}

}  // namespace tessel::sema
