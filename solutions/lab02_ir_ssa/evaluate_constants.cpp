// Compile-time evaluation (lab02, task t1): EvaluateBinary, EvaluateUnary and
// EvaluateConstants of stages/sema/evaluate_constants.h.
//
// Module constants, and the shape arithmetic the type checker folds, are
// computed here with C's rules: integers stay 64-bit integers (checked for
// overflow), `/` and `%` round toward zero, an int meeting a float gives a
// float, comparisons give bools. A constant may use the constants defined
// above it, the predefined `inf` and pure math calls (`1.0 / sqrt(8.0)`); each problem is reported
// once, and a constant that uses a broken one is left out silently.
#include "stages/sema/evaluate_constants.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/sema/const_math.h"
#include "stages/sema/predefined.h"

namespace tessel::sema {

namespace {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

// Sets `*error` and gives the "no value" of the evaluators.
std::nullopt_t Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return std::nullopt;
}

// ------------------------------------------------------------ compile-time scalars

// "operator '&&' needs bool operands, found 1 and 2".
std::string OperandError(ast::BinaryOp op, std::string_view wanted, const ConstValue& a,
                         const ConstValue& b) {
  return "operator " + Quote(ast::BinaryOpSpelling(op)) + " needs " + std::string(wanted) +
         " operands, found " + a.ToString() + " and " + b.ToString();
}

// `a op b` for a comparison operator, on two values of one C++ type.
template <typename T>
bool Compare(ast::BinaryOp op, T a, T b) {
  switch (op) {
    case ast::BinaryOp::kEq:
      return a == b;
    case ast::BinaryOp::kNe:
      return a != b;
    case ast::BinaryOp::kLt:
      return a < b;
    case ast::BinaryOp::kLe:
      return a <= b;
    case ast::BinaryOp::kGt:
      return a > b;
    case ast::BinaryOp::kGe:
      return a >= b;
    case ast::BinaryOp::kOr:
    case ast::BinaryOp::kAnd:
    case ast::BinaryOp::kAdd:
    case ast::BinaryOp::kSub:
    case ast::BinaryOp::kMul:
    case ast::BinaryOp::kDiv:
    case ast::BinaryOp::kMod:
    case ast::BinaryOp::kMatMul:
      break;
  }
  TESSEL_CHECK(false, "Compare called with a non-comparison operator");
}

// `a op b` on int64 for + - * / %, as C does it (/ and % round toward zero).
// The caller rejected a zero divisor. int64 overflow is reported rather than
// left undefined: no real shape gets there, but a constant can.
std::optional<ConstValue> IntArithmetic(ast::BinaryOp op, int64_t a, int64_t b,
                                        std::string* error) {
  int64_t result = 0;
  bool overflow = false;
  switch (op) {
    case ast::BinaryOp::kAdd:
      overflow = __builtin_add_overflow(a, b, &result);
      break;
    case ast::BinaryOp::kSub:
      overflow = __builtin_sub_overflow(a, b, &result);
      break;
    case ast::BinaryOp::kMul:
      overflow = __builtin_mul_overflow(a, b, &result);
      break;
    case ast::BinaryOp::kDiv:
    case ast::BinaryOp::kMod:
      TESSEL_CHECK(b != 0, "IntArithmetic: the caller must reject division by zero");
      if (b == -1) {  // INT64_MIN / -1 overflows, and C++ leaves INT64_MIN % -1 undefined
        if (op == ast::BinaryOp::kDiv) overflow = __builtin_sub_overflow(int64_t{0}, a, &result);
      } else {
        result = op == ast::BinaryOp::kDiv ? a / b : a % b;
      }
      break;
    case ast::BinaryOp::kOr:
    case ast::BinaryOp::kAnd:
    case ast::BinaryOp::kEq:
    case ast::BinaryOp::kNe:
    case ast::BinaryOp::kLt:
    case ast::BinaryOp::kLe:
    case ast::BinaryOp::kGt:
    case ast::BinaryOp::kGe:
    case ast::BinaryOp::kMatMul:
      TESSEL_CHECK(false, "IntArithmetic called with a non-arithmetic operator");
  }
  if (overflow) {
    return Fail(error, "integer overflow in " + std::to_string(a) + " " +
                           std::string(ast::BinaryOpSpelling(op)) + " " + std::to_string(b));
  }
  return ConstValue::Int(result);
}

// `a op b` on doubles for + - * / % (% is C's fmod). The caller rejected a
// zero divisor.
ConstValue FloatArithmetic(ast::BinaryOp op, double a, double b) {
  switch (op) {
    case ast::BinaryOp::kAdd:
      return ConstValue::Float(a + b);
    case ast::BinaryOp::kSub:
      return ConstValue::Float(a - b);
    case ast::BinaryOp::kMul:
      return ConstValue::Float(a * b);
    case ast::BinaryOp::kDiv:
      return ConstValue::Float(a / b);
    case ast::BinaryOp::kMod:
      return ConstValue::Float(std::fmod(a, b));
    case ast::BinaryOp::kOr:
    case ast::BinaryOp::kAnd:
    case ast::BinaryOp::kEq:
    case ast::BinaryOp::kNe:
    case ast::BinaryOp::kLt:
    case ast::BinaryOp::kLe:
    case ast::BinaryOp::kGt:
    case ast::BinaryOp::kGe:
    case ast::BinaryOp::kMatMul:
      break;
  }
  TESSEL_CHECK(false, "FloatArithmetic called with a non-arithmetic operator");
}

// ------------------------------------------------------------ constants

// Evaluates the expressions of module constants against the constants that
// are already defined, reporting the first problem of each.
class ConstantEvaluator {
 public:
  ConstantEvaluator(const SourceFile& file, DiagnosticEngine& diags) : file_(file), diags_(diags) {}

  // The value of `expr`, or nullopt after reporting why (or silently, when it
  // uses a constant whose own error was already reported).
  std::optional<ConstValue> Evaluate(const ast::Expr& expr);

  std::map<std::string, ConstValue> values;  // the constants defined so far
  std::set<std::string> failed;              // defined so far, but left out after an error

 private:
  std::nullopt_t Report(const ast::Expr& expr, std::string message) {
    diags_.Error(file_, expr.range, std::move(message));
    return std::nullopt;
  }
  std::nullopt_t NotAConstant(const ast::Expr& expr, const std::string& found) {
    return Report(expr, "a constant must be a literal, an operator or a constant, found " + found);
  }

  const SourceFile& file_;
  DiagnosticEngine& diags_;
};

std::optional<ConstValue> ConstantEvaluator::Evaluate(const ast::Expr& expr) {
  // Operators go through EvaluateUnary / EvaluateBinary; their errors get " in constant
  // expression" appended.
  // BEGIN SOLUTION lab02.t1: literals, constants defined above, operators, math calls; no more
  std::string error;
  switch (expr.kind) {
    case ast::ExprKind::kInt:
      return ConstValue::Int(expr.As<ast::IntLiteral>().value);
    case ast::ExprKind::kFloat:
      return ConstValue::Float(expr.As<ast::FloatLiteral>().value);
    case ast::ExprKind::kBool:
      return ConstValue::Bool(expr.As<ast::BoolLiteral>().value);
    case ast::ExprKind::kName: {
      const std::string& name = expr.As<ast::NameExpr>().name;
      if (auto it = values.find(name); it != values.end()) return it->second;
      if (failed.count(name) > 0) return std::nullopt;  // already reported
      return Report(expr, "undefined name " + Quote(name) + " in constant expression");
    }
    case ast::ExprKind::kUnary: {
      const ast::UnaryExpr& unary = expr.As<ast::UnaryExpr>();
      std::optional<ConstValue> x = Evaluate(*unary.operand);
      if (!x) return std::nullopt;
      std::optional<ConstValue> result = EvaluateUnary(unary.op, *x, &error);
      return result ? result : Report(expr, error + " in constant expression");
    }
    case ast::ExprKind::kBinary: {
      const ast::BinaryExpr& binary = expr.As<ast::BinaryExpr>();
      std::optional<ConstValue> a = Evaluate(*binary.lhs);
      std::optional<ConstValue> b = a ? Evaluate(*binary.rhs) : std::nullopt;
      if (!a || !b) return std::nullopt;
      std::optional<ConstValue> result = EvaluateBinary(binary.op, *a, *b, &error);
      return result ? result : Report(expr, error + " in constant expression");
    }
    case ast::ExprKind::kIndex:
      return NotAConstant(expr, "a subscript");
    case ast::ExprKind::kCall: {  // pure math on constants: EvaluateMathCall (const_math.h)
      const ast::CallExpr& call = expr.As<ast::CallExpr>();
      std::vector<ConstValue> args;
      for (const ast::Argument& arg : call.args) {
        std::optional<ConstValue> value = Evaluate(*arg.value);
        if (!value) return std::nullopt;
        args.push_back(*value);
      }
      std::optional<ConstValue> result = EvaluateMathCall(call, args, &error);
      return result ? result : Report(expr, error + " in constant expression");
    }
    case ast::ExprKind::kList:
      return NotAConstant(expr, "a list");
  }
  return std::nullopt;
  // END SOLUTION
}

}  // namespace

// ------------------------------------------------------------ the API

std::optional<ConstValue> EvaluateBinary(ast::BinaryOp op, const ConstValue& a, const ConstValue& b,
                                         std::string* error) {
  // && || on bools; comparisons on numbers (== != also on two bools); arithmetic on ints
  // (IntArithmetic) or, with a float, on doubles (FloatArithmetic).
  // BEGIN SOLUTION lab02.t1: check the operand kinds and the divisor, then compute
  const bool numbers = !a.is_bool() && !b.is_bool();
  const bool both_int = a.is_int() && b.is_int();
  switch (op) {
    case ast::BinaryOp::kOr:
    case ast::BinaryOp::kAnd:
      if (!a.is_bool() || !b.is_bool()) return Fail(error, OperandError(op, "bool", a, b));
      return ConstValue::Bool(op == ast::BinaryOp::kOr ? a.bool_value || b.bool_value
                                                       : a.bool_value && b.bool_value);
    case ast::BinaryOp::kEq:
    case ast::BinaryOp::kNe:
      if (a.is_bool() && b.is_bool())
        return ConstValue::Bool(Compare(op, a.bool_value, b.bool_value));
      [[fallthrough]];
    case ast::BinaryOp::kLt:
    case ast::BinaryOp::kLe:
    case ast::BinaryOp::kGt:
    case ast::BinaryOp::kGe:
      if (!numbers) return Fail(error, OperandError(op, "numeric", a, b));
      return ConstValue::Bool(both_int ? Compare(op, a.int_value, b.int_value)
                                       : Compare(op, a.AsDouble(), b.AsDouble()));
    case ast::BinaryOp::kAdd:
    case ast::BinaryOp::kSub:
    case ast::BinaryOp::kMul:
    case ast::BinaryOp::kDiv:
    case ast::BinaryOp::kMod:
      if (!numbers) return Fail(error, OperandError(op, "numeric", a, b));
      if ((op == ast::BinaryOp::kDiv || op == ast::BinaryOp::kMod) && b.AsDouble() == 0) {
        return Fail(error, "division by zero");
      }
      if (both_int) return IntArithmetic(op, a.int_value, b.int_value, error);
      return FloatArithmetic(op, a.AsDouble(), b.AsDouble());
    case ast::BinaryOp::kMatMul:
      return Fail(error,
                  "operator '@' needs tensors, found " + a.ToString() + " and " + b.ToString());
  }
  return Fail(error, "unknown operator");
  // END SOLUTION
}

std::optional<ConstValue> EvaluateUnary(ast::UnaryOp op, const ConstValue& x, std::string* error) {
  // BEGIN SOLUTION lab02.t1: -x on an int (mind overflow) or a float, !x on a bool
  const std::string found = x.ToString();
  switch (op) {
    case ast::UnaryOp::kNeg:
      if (x.is_float()) return ConstValue::Float(-x.float_value);
      if (!x.is_int()) return Fail(error, "operator '-' needs a numeric operand, found " + found);
      if (x.int_value == std::numeric_limits<int64_t>::min()) {
        return Fail(error, "integer overflow in -(" + found + ")");
      }
      return ConstValue::Int(-x.int_value);
    case ast::UnaryOp::kNot:
      if (!x.is_bool()) return Fail(error, "operator '!' needs a bool operand, found " + found);
      return ConstValue::Bool(!x.bool_value);
  }
  return Fail(error, "unknown operator");
  // END SOLUTION
}

std::map<std::string, ConstValue> EvaluateConstants(const SourceFile& file,
                                                    const ast::Module& module,
                                                    DiagnosticEngine& diags) {
  ConstantEvaluator evaluator(file, diags);
  evaluator.values.emplace("inf", *PredefinedValue("inf"));  // predefined.h: like a literal
  std::map<std::string, SourceRange> defined;  // every constant seen so far, good or not
  for (const ast::ItemPtr& item : module.items) {
    if (diags.ShouldStop()) break;
    if (item->kind != ast::ItemKind::kConst) continue;
    const ast::ConstItem& constant = item->As<ast::ConstItem>();
    if (PredefinedValue(constant.name)) continue;  // CheckNoPredefinedNameIsDeclared says so
    auto [previous, inserted] = defined.emplace(constant.name, constant.name_range);
    if (!inserted) {  // the first definition stays
      diags.Error(file, constant.name_range, "redefinition of constant " + Quote(constant.name));
      diags.Note(file, previous->second.begin, "previous definition is here");
      continue;
    }
    if (std::optional<ConstValue> value = evaluator.Evaluate(*constant.value)) {
      evaluator.values.emplace(constant.name, *value);
    } else {
      evaluator.failed.insert(constant.name);
    }
  }
  evaluator.values.erase("inf");  // predefined, not one of the module's constants
  return evaluator.values;
}

}  // namespace tessel::sema
