#include "stages/sema/expr_walk.h"

namespace tessel::sema {

void ForEachName(const Expr& expr, bool in_subscript,
                 const std::function<void(const NameExpr&, bool)>& visit) {
  switch (expr.kind) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kBool:
      return;
    case ExprKind::kName:
      visit(expr.As<NameExpr>(), in_subscript);
      return;
    case ExprKind::kUnary:
      ForEachName(*expr.As<UnaryExpr>().operand, in_subscript, visit);
      return;
    case ExprKind::kBinary:
      ForEachName(*expr.As<BinaryExpr>().lhs, in_subscript, visit);
      ForEachName(*expr.As<BinaryExpr>().rhs, in_subscript, visit);
      return;
    case ExprKind::kIndex:
      ForEachName(*expr.As<IndexExpr>().base, in_subscript, visit);
      for (const ExprPtr& index : expr.As<IndexExpr>().indices) ForEachName(*index, true, visit);
      return;
    case ExprKind::kCall:
      for (const Argument& arg : expr.As<CallExpr>().args) {
        ForEachName(*arg.value, in_subscript, visit);
      }
      return;
    case ExprKind::kList:
      for (const ExprPtr& element : expr.As<ListExpr>().elements) {
        ForEachName(*element, in_subscript, visit);
      }
      return;
  }
}

}  // namespace tessel::sema
