// AST node constructors (which check the invariants the header documents)
// and the spellings of operators and dtypes.
#include "stages/frontend/ast.h"

#include "stages/common/check.h"

namespace tessel::ast {

std::string_view BinaryOpSpelling(BinaryOp op) {
  switch (op) {
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) \
  case BinaryOp::name:                                                \
    return spelling;
#include "stages/frontend/binary_ops.def"
  }
  return "?";
}

int BinaryOpPrecedence(BinaryOp op) {
  switch (op) {
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) \
  case BinaryOp::name:                                                \
    return precedence;
#include "stages/frontend/binary_ops.def"
  }
  return 0;
}

BinaryOpClass BinaryOpClassOf(BinaryOp op) {
  switch (op) {
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) \
  case BinaryOp::name:                                                \
    return BinaryOpClass::op_class;
#include "stages/frontend/binary_ops.def"
  }
  return BinaryOpClass::kArithmetic;
}

std::string_view UnaryOpSpelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNeg:
      return "-";
    case UnaryOp::kNot:
      return "!";
  }
  return "?";
}

std::string_view ReduceOpSpelling(ReduceOp op) {
  switch (op) {
    case ReduceOp::kAssign:
      return "=";
    case ReduceOp::kAdd:
      return "+=";
    case ReduceOp::kMul:
      return "*=";
    case ReduceOp::kMax:
      return "max=";
    case ReduceOp::kMin:
      return "min=";
  }
  return "?";
}

void BadAstCast(const char* what) {
  TESSEL_CHECK(false, std::string("AST ") + what + " downcast to the wrong node kind");
}

UnaryExpr::UnaryExpr(UnaryOp o, ExprPtr e, SourceRange r)
    : Expr(kKind, r), op(o), operand(std::move(e)) {
  TESSEL_CHECK(operand != nullptr, "unary expression without operand");
}

BinaryExpr::BinaryExpr(BinaryOp o, ExprPtr l, ExprPtr r, SourceRange range)
    : Expr(kKind, range), op(o), lhs(std::move(l)), rhs(std::move(r)) {
  TESSEL_CHECK(lhs != nullptr && rhs != nullptr, "binary expression without both operands");
}

IndexExpr::IndexExpr(ExprPtr b, std::vector<ExprPtr> idx, SourceRange r)
    : Expr(kKind, r), base(std::move(b)), indices(std::move(idx)) {
  TESSEL_CHECK(base != nullptr && !indices.empty(), "subscript needs a base and an index");
}

CallExpr::CallExpr(std::string c, SourceRange cr, std::vector<Argument> a, SourceRange r)
    : Expr(kKind, r), callee(std::move(c)), callee_range(cr), args(std::move(a)) {
  TESSEL_CHECK(!callee.empty(), "call without a callee name");
}

BindingStmt::BindingStmt(StmtKind k, std::string n, SourceRange nr, std::optional<TypeExpr> t,
                         ExprPtr i, SourceRange r)
    : Stmt(k, r), name(std::move(n)), name_range(nr), type(std::move(t)), init(std::move(i)) {
  TESSEL_CHECK(k == StmtKind::kLet || k == StmtKind::kVar, "binding must be let or var");
  TESSEL_CHECK(init != nullptr, "binding without initializer");
}

AssignStmt::AssignStmt(std::string n, SourceRange nr, ExprPtr v, SourceRange r)
    : Stmt(kKind, r), name(std::move(n)), name_range(nr), value(std::move(v)) {
  TESSEL_CHECK(value != nullptr, "assignment without value");
}

ComprehensionStmt::ComprehensionStmt(std::string t, SourceRange tr, std::vector<std::string> idx,
                                     std::vector<SourceRange> idx_ranges, ReduceOp o, ExprPtr v,
                                     std::vector<IndexRange> w, SourceRange r)
    : Stmt(kKind, r),
      target(std::move(t)),
      target_range(tr),
      indices(std::move(idx)),
      index_ranges(std::move(idx_ranges)),
      op(o),
      value(std::move(v)),
      where(std::move(w)) {
  TESSEL_CHECK(!indices.empty() && indices.size() == index_ranges.size(),
               "comprehension needs one range per index and at least one index");
  TESSEL_CHECK(value != nullptr, "comprehension without value");
}

IfStmt::IfStmt(ExprPtr c, BlockPtr t, BlockPtr e, StmtPtr ei, SourceRange r)
    : Stmt(kKind, r),
      cond(std::move(c)),
      then_block(std::move(t)),
      else_block(std::move(e)),
      else_if(std::move(ei)) {
  TESSEL_CHECK(cond != nullptr && then_block != nullptr, "if without condition or body");
  TESSEL_CHECK(!(else_block && else_if), "if with both else block and else-if");
  TESSEL_CHECK(!else_if || else_if->kind == StmtKind::kIf, "else-if must be an if statement");
}

ForStmt::ForStmt(std::string v, SourceRange vr, ExprPtr l, ExprPtr h, BlockPtr b, SourceRange r)
    : Stmt(kKind, r),
      var(std::move(v)),
      var_range(vr),
      lo(std::move(l)),
      hi(std::move(h)),
      body(std::move(b)) {
  TESSEL_CHECK(lo && hi && body, "for needs bounds and a body");
}

ConstItem::ConstItem(std::string n, SourceRange nr, ExprPtr v, SourceRange r)
    : Item(kKind, std::move(n), nr, r), value(std::move(v)) {
  TESSEL_CHECK(value != nullptr, "const without value");
}

FnItem::FnItem(std::string n, SourceRange nr, std::vector<Param> p, TypeExpr res, BlockPtr b,
               SourceRange r)
    : Item(kKind, std::move(n), nr, r),
      params(std::move(p)),
      result(std::move(res)),
      body(std::move(b)) {
  TESSEL_CHECK(body != nullptr, "fn without body");
}

}  // namespace tessel::ast
