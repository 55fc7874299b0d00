// Type rule of comprehensions (type_rules.h): the out ranges match the declared shape, index
// names are distinct, and the scalar body is well typed, each apply checked by InferResultType
// itself on scalar types. Dispatched from InferResultType (type_rules.cpp).
#include <algorithm>
#include <string>
#include <vector>

#include "stages/ir/type_rules_internal.h"

namespace tessel::ir::rules {

namespace {

struct ExprScope {
  const Types& operands;
  size_t num_indices;  // out ++ reduce
};

bool CheckExpr(const ScalarExpr* expr, const ExprScope& scope, std::string* error);

bool CheckRead(const ScalarExpr& expr, const ExprScope& scope, std::string* error) {
  if (expr.index < 0 || static_cast<size_t>(expr.index) >= scope.operands.size()) {
    return Reject(error, "reads operand " + std::to_string(expr.index) + " but there are " +
                             std::to_string(scope.operands.size()) + " operands");
  }
  const Type& operand = scope.operands[expr.index];
  std::string what =
      "read of operand " + std::to_string(expr.index) + " (" + FormatType(operand) + ")";
  if (static_cast<int64_t>(expr.args.size()) != operand.rank()) {
    return Reject(error, what + " has " + std::to_string(expr.args.size()) + " subscripts");
  }
  if (expr.dtype != operand.dtype) {
    return Reject(error, what + " is typed " + DTypeString(expr.dtype));
  }
  for (const ScalarExprPtr& arg : expr.args) {
    if (!CheckExpr(arg.get(), scope, error)) return false;
    if (arg->dtype != DType::kI32) {
      return Reject(error,
                    what + " has a subscript of dtype " + DTypeString(arg->dtype) + ", not i32");
    }
  }
  return true;
}

bool CheckApply(const ScalarExpr& expr, const ExprScope& scope, std::string* error) {
  OpPattern pattern = OpPatternOf(expr.op);
  if ((pattern != OpPattern::kElementwise && pattern != OpPattern::kBroadcast) ||
      expr.op == Op::kBroadcast) {
    return Reject(error, "'" + std::string(OpMnemonic(expr.op)) + "' is not a scalar op");
  }
  if (static_cast<int>(expr.args.size()) != OpArity(expr.op)) {
    return Reject(error, "'" + std::string(OpMnemonic(expr.op)) + "' takes " +
                             std::to_string(OpArity(expr.op)) + " operands, got " +
                             std::to_string(expr.args.size()));
  }
  Types args;
  for (const ScalarExprPtr& arg : expr.args) {
    if (!CheckExpr(arg.get(), scope, error)) return false;
    args.push_back(Type{arg->dtype, {}});
  }
  Result result = InferResultType(expr.op, args, Attrs{}, Type{expr.dtype, {}}, error);
  if (!result) return false;
  if (result->dtype != expr.dtype) {
    return Reject(error, Describe(expr.op, args) + " gives " + DTypeString(result->dtype) +
                             " but is typed " + DTypeString(expr.dtype));
  }
  return true;
}

bool CheckExpr(const ScalarExpr* expr, const ExprScope& scope, std::string* error) {
  if (!expr) return Reject(error, "missing expression");
  switch (expr->kind) {
    case ScalarExpr::Kind::kConst:
      if (expr->args.empty()) return true;
      return Reject(error, "a constant has no arguments");
    case ScalarExpr::Kind::kIndex:
      if (expr->index < 0 || static_cast<size_t>(expr->index) >= scope.num_indices) {
        return Reject(error, "index " + std::to_string(expr->index) + " out of range (" +
                                 std::to_string(scope.num_indices) + " index variables)");
      }
      if (expr->dtype == DType::kI32) return true;
      return Reject(error, "an index variable is i32, not " + DTypeString(expr->dtype));
    case ScalarExpr::Kind::kRead:
      return CheckRead(*expr, scope, error);
    case ScalarExpr::Kind::kApply:
      return CheckApply(*expr, scope, error);
  }
  return false;
}

// Ranges: out ranges are [0, extent) matching the declared shape; reduce
// ranges have lo <= hi (an empty one reduces to the identity).
bool CheckRanges(const Comprehension& c, const Type& declared, std::string* error) {
  if (c.out.size() != declared.shape.size()) {
    return Reject(error, std::to_string(c.out.size()) + " output indices but the result is " +
                             FormatType(declared));
  }
  for (size_t i = 0; i < c.out.size(); ++i) {
    if (c.out[i].lo != 0 || c.out[i].hi != declared.shape[i]) {
      return Reject(error, "output index '" + c.out[i].name + "' ranges " +
                               std::to_string(c.out[i].lo) + ".." + std::to_string(c.out[i].hi) +
                               " but the result is " + FormatType(declared));
    }
  }
  if (c.reduce_kind == ReduceKind::kAssign && !c.reduce.empty()) {
    return Reject(error, "an assignment has no reduction indices");
  }
  for (const IndexVar& var : c.reduce) {
    if (var.lo > var.hi) {
      return Reject(error, "reduction index '" + var.name + "' has an empty range " +
                               std::to_string(var.lo) + ".." + std::to_string(var.hi));
    }
  }
  return true;
}

bool CheckIndexNames(const Comprehension& c, std::string* error) {
  std::vector<std::string> names;
  for (const IndexVar& var : c.out) names.push_back(var.name);
  for (const IndexVar& var : c.reduce) names.push_back(var.name);
  std::sort(names.begin(), names.end());
  auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup == names.end()) return true;
  return Reject(error, "index '" + *dup + "' is declared twice");
}

bool CheckComprehension(const Types& t, const Comprehension* c, const Type& declared,
                        std::string* error) {
  if (!c) return Reject(error, "no comprehension attribute");
  if (!CheckRanges(*c, declared, error) || !CheckIndexNames(*c, error)) return false;
  ExprScope scope{t, c->out.size() + c->reduce.size()};
  if (!CheckExpr(c->body.get(), scope, error)) return false;
  if (c->body->dtype != declared.dtype) {
    return Reject(error, "the body is " + DTypeString(c->body->dtype) + " but the result is " +
                             FormatType(declared));
  }
  return true;
}

}  // namespace

Result ComprehensionRule(const Types& t, const Attrs& attrs, const Type& declared,
                         std::string* error) {
  std::string why;
  if (!CheckComprehension(t, attrs.comprehension.get(), declared, &why)) {
    return Fail(error, "comprehension: " + why);
  }
  return declared;
}

}  // namespace tessel::ir::rules
