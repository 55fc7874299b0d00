// The type checker's expressions: literals, names, operators, subscripts
// (slices outside a comprehension, element reads inside one). Calls are in
// typecheck_calls.cpp, statements and instances in typecheck.cpp.
#include "stages/common/check.h"
#include "stages/sema/format_expr.h"
#include "stages/sema/typecheck_internal.h"

namespace tessel::sema::detail {

namespace {

bool IsComparisonOrLogic(ast::BinaryOp op) {
  ast::BinaryOpClass op_class = ast::BinaryOpClassOf(op);
  return op_class == ast::BinaryOpClass::kComparison || op_class == ast::BinaryOpClass::kLogic;
}

// The dtype both operands of a binary operator convert to, once BinaryOpType
// has accepted them (docs/language.md §4.4).
DType CommonDType(const ExprInfo& a, const ExprInfo& b) {
  DType da = a.type.dtype, db = b.type.dtype;
  if (da == db) return da;
  if (a.type.rank() == 0 && da == DType::kI32 && IsFloat(db)) return db;
  if (b.type.rank() == 0 && db == DType::kI32 && IsFloat(da)) return da;
  if (a.value && a.type.rank() == 0) return db;
  return da;
}

}  // namespace

// ------------------------------------------------------------ expressions

const ExprInfo& BodyChecker::Check(const ast::Expr& expr, const ir::Type* cast_to) {
  ExprInfo info = CheckUncached(expr, cast_to);
  return instance_.exprs[&expr] = std::move(info);
}

int64_t BodyChecker::CheckConstInt(const ast::Expr& expr, const std::string& what) {
  const ExprInfo& info = Check(expr);
  if (!info.value || !info.value->is_int()) {
    Fail(expr.range,
         what + " must be an integer known at compile time, found '" + FormatExpr(expr) + "'");
  }
  return info.value->int_value;
}

ExprInfo BodyChecker::CheckUncached(const ast::Expr& expr, const ir::Type* cast_to) {
  switch (expr.kind) {
    case ast::ExprKind::kInt: {
      ConstValue value = ConstValue::Int(expr.As<ast::IntLiteral>().value);
      return {Scalar(DType::kI32), value};
    }
    case ast::ExprKind::kFloat:
      return {Scalar(DType::kF32), ConstValue::Float(expr.As<ast::FloatLiteral>().value)};
    case ast::ExprKind::kBool:
      return {Scalar(DType::kBool), ConstValue::Bool(expr.As<ast::BoolLiteral>().value)};
    case ast::ExprKind::kName:
      return CheckName(expr.As<ast::NameExpr>());
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      const ExprInfo& operand = Check(*unary.operand);
      bool is_not = unary.op == ast::UnaryOp::kNot;
      if (is_not != (operand.type.dtype == DType::kBool)) {
        Fail(expr.range, std::string(is_not ? "'!' needs a bool operand, found "
                                            : "'-' needs a numeric operand, found ") +
                             ir::FormatType(operand.type));
      }
      ExprInfo info{operand.type, std::nullopt, operand.type.dtype};
      if (operand.value) {
        std::string error;
        info.value = EvaluateUnary(unary.op, *operand.value, &error);
        if (!info.value) Fail(expr.range, error);
      }
      return info;
    }
    case ast::ExprKind::kBinary:
      return CheckBinary(expr.As<ast::BinaryExpr>());
    case ast::ExprKind::kIndex:
      return CheckIndex(expr.As<ast::IndexExpr>());
    case ast::ExprKind::kCall:
      return CheckCall(expr.As<ast::CallExpr>(), cast_to);
    case ast::ExprKind::kList:
      Fail(expr.range,
           "a list is only allowed as the shape, axes, permutation or widths of a primitive");
  }
  Fail(expr.range, "unknown expression");
}

ExprInfo BodyChecker::CheckName(const ast::NameExpr& name) {
  if (const Binding* binding = Lookup(name.name)) {
    if (in_comprehension_ && binding->type.rank() > 0) {
      Fail(name.range, "inside a comprehension, read '" + name.name +
                           "' element by element: " + name.name + "[...]");
    }
    return {binding->type, binding->value};
  }
  if (std::optional<ConstValue> value = LookupValue(name.name)) {
    return {Scalar(value->dtype()), value};
  }
  Fail(name.range, "undefined name '" + name.name + "'");
}

ExprInfo BodyChecker::CheckBinary(const ast::BinaryExpr& binary) {
  const ExprInfo lhs = Check(*binary.lhs);
  const ExprInfo rhs = Check(*binary.rhs);
  std::string error;
  std::optional<ir::Type> type = BinaryOpType(binary.op, Operand{lhs.type, lhs.value.has_value()},
                                              Operand{rhs.type, rhs.value.has_value()}, &error);
  if (!type) Fail(binary.range, error);
  ExprInfo info{*type, std::nullopt,
                IsComparisonOrLogic(binary.op) ? CommonDType(lhs, rhs) : type->dtype};
  if (lhs.value && rhs.value && binary.op != ast::BinaryOp::kMatMul) {
    info.value = EvaluateBinary(binary.op, *lhs.value, *rhs.value, &error);
    if (!info.value) Fail(binary.range, error);
    // A folded float keeps the dtype the operator gave it (f16 stays f16).
    if (info.value->is_int() && IsFloat(type->dtype)) {
      info.value = ConstValue::Float(info.value->AsDouble());
    }
  }
  return info;
}

ExprInfo BodyChecker::CheckIndex(const ast::IndexExpr& index) {
  if (in_comprehension_) {
    // An element read: every axis subscripted by an i32 scalar.
    if (index.base->kind != ast::ExprKind::kName) {
      Fail(index.range, "inside a comprehension, subscript a tensor by its name: x[i, j]");
    }
    const std::string& name = index.base->As<ast::NameExpr>().name;
    const Binding* binding = Lookup(name);
    if (!binding || binding->type.rank() == 0) {
      Fail(index.base->range, "'" + name + "' is not a tensor that can be subscripted");
    }
    if (static_cast<int64_t>(index.indices.size()) != binding->type.rank()) {
      Fail(index.range, "'" + name + "' is " + ir::FormatType(binding->type) + ", read with " +
                            std::to_string(index.indices.size()) + " subscripts; inside a " +
                            "comprehension give one per axis");
    }
    instance_.exprs[index.base.get()] = {binding->type, std::nullopt, binding->type.dtype};
    for (const ast::ExprPtr& sub : index.indices) {
      const ExprInfo& info = Check(*sub);
      if (info.type != Scalar(DType::kI32)) {
        Fail(sub->range, "a subscript must be an i32 scalar, found " + ir::FormatType(info.type));
      }
    }
    return {Scalar(binding->type.dtype), std::nullopt, binding->type.dtype};
  }
  // Outside a comprehension: scalar subscripts slice the leading axes.
  const ExprInfo base = Check(*index.base);
  std::vector<std::optional<int64_t>> constants;
  for (const ast::ExprPtr& sub : index.indices) {
    const ExprInfo& info = Check(*sub);
    if (info.type != Scalar(DType::kI32)) {
      Fail(sub->range, "a subscript must be an i32 scalar, found " + ir::FormatType(info.type));
    }
    constants.push_back(info.value ? std::optional<int64_t>(info.value->int_value) : std::nullopt);
  }
  std::string error;
  std::optional<ir::Type> type = SubscriptType(base.type, index.indices.size(), constants, &error);
  if (!type) Fail(index.range, error);
  return {*type, std::nullopt, type->dtype};
}

}  // namespace tessel::sema::detail
