// EvaluateMathCall (const_math.h): binds a math call's arguments, then computes it, floats with
// the interpreter's ApplyScalar, integers here in 64 bits with overflow checks.
#include "stages/sema/const_math.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "stages/ir/kernels.h"
#include "stages/sema/builtins.h"

namespace tessel::sema {

namespace {

const Builtin* FindMath(std::string_view callee) {
  const Builtin* builtin = FindBuiltin(callee);
  bool math =
      builtin && (builtin->kind == BuiltinKind::kUnary || builtin->kind == BuiltinKind::kBinary ||
                  builtin->kind == BuiltinKind::kSelect);
  return math ? builtin : nullptr;
}

std::optional<ConstValue> Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return std::nullopt;
}

// The arguments in parameter order: positional first, then keywords.
bool Bind(const ast::CallExpr& call, const Builtin& builtin, const std::vector<ConstValue>& args,
          std::vector<ConstValue>* bound, std::string* error) {
  const std::vector<std::string>& names = builtin.params.names;
  std::vector<std::optional<ConstValue>> slots(names.size());
  size_t next = 0;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const std::string& keyword = call.args[i].keyword;
    size_t slot = next;
    if (keyword.empty()) {
      ++next;
    } else {
      slot = static_cast<size_t>(std::find(names.begin(), names.end(), keyword) - names.begin());
    }
    if (slot >= names.size()) {
      *error = keyword.empty() ? "too many arguments to '" + call.callee + "'"
                               : "'" + call.callee + "' has no parameter named '" + keyword + "'";
      return false;
    }
    if (slots[slot]) {
      *error = "parameter '" + names[slot] + "' of '" + call.callee + "' is given twice";
      return false;
    }
    slots[slot] = args[i];
  }
  for (size_t k = 0; k < slots.size(); ++k) {
    if (!slots[k]) {
      *error = "missing argument '" + names[k] + "' in call to '" + call.callee + "'";
      return false;
    }
    bound->push_back(*slots[k]);
  }
  return true;
}

// select(c, a, b): an int meeting a float gives a float, as for operators.
std::optional<ConstValue> Select(const std::vector<ConstValue>& x, std::string* error) {
  if (!x[0].is_bool()) return Fail(error, "the condition of 'select' must be a bool");
  const ConstValue &a = x[1], &b = x[2];
  if (a.kind == b.kind) return x[0].bool_value ? a : b;
  if (a.is_bool() || b.is_bool()) {
    return Fail(error, "the two values of 'select' differ in kind: " + a.ToString() + " and " +
                           b.ToString());
  }
  return ConstValue::Float(x[0].bool_value ? a.AsDouble() : b.AsDouble());
}

// The ops of KeepsIntegers in 64 bits; nullopt (with *error) on overflow or division by zero.
std::optional<ConstValue> IntegerMath(ir::Op op, const std::vector<ConstValue>& x,
                                      const std::string& text, std::string* error) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t a = x[0].int_value, b = x.size() > 1 ? x[1].int_value : 0, r = 0;
  auto overflow = [&] { return Fail(error, "integer overflow in " + text); };
  if ((op == ir::Op::kFloorDiv || op == ir::Op::kFloorMod) && b == 0) {
    return Fail(error, "division by zero in " + text);
  }
  if (op == ir::Op::kAbs) {
    if (a == kMin) return overflow();
    return ConstValue::Int(a < 0 ? -a : a);
  }
  if (op == ir::Op::kSign) return ConstValue::Int((a > 0) - (a < 0));
  if (op == ir::Op::kRelu) return ConstValue::Int(std::max<int64_t>(a, 0));
  if (op == ir::Op::kMaximum) return ConstValue::Int(std::max(a, b));
  if (op == ir::Op::kMinimum) return ConstValue::Int(std::min(a, b));
  if (op == ir::Op::kFloorDiv) {
    if (a == kMin && b == -1) return overflow();
    r = a / b;
    return ConstValue::Int(a % b != 0 && ((a < 0) != (b < 0)) ? r - 1 : r);
  }
  if (op == ir::Op::kFloorMod) {
    if (b == -1) return ConstValue::Int(0);
    r = a % b;
    return ConstValue::Int(r != 0 && ((r < 0) != (b < 0)) ? r + b : r);
  }
  // pow by repeated squaring, checked; a negative exponent truncates 1 / a^-b toward 0, as the
  // interpreter does (and 0 to a negative power divides by zero).
  if (b < 0 && a == 0) return Fail(error, "division by zero in " + text);
  if (b < 0) return ConstValue::Int(a == 1 ? 1 : a == -1 ? (b % 2 ? -1 : 1) : 0);
  int64_t result = 1, base = a;
  for (int64_t e = b; e > 0; e >>= 1) {
    if ((e & 1) && __builtin_mul_overflow(result, base, &result)) return overflow();
    // base is squared only when a later bit will use it: past int64 means the result is too.
    if (e > 1 && __builtin_mul_overflow(base, base, &base)) return overflow();
  }
  return ConstValue::Int(result);
}

bool KeepsIntegers(ir::Op op) {
  return op == ir::Op::kAbs || op == ir::Op::kSign || op == ir::Op::kRelu ||
         op == ir::Op::kMaximum || op == ir::Op::kMinimum || op == ir::Op::kPow ||
         op == ir::Op::kFloorDiv || op == ir::Op::kFloorMod;
}

}  // namespace

bool IsMathFunction(std::string_view callee) { return FindMath(callee) != nullptr; }

std::string NotMathMessage(std::string_view callee) {
  std::string names;
  for (const Builtin& builtin : AllBuiltins()) {
    if (FindMath(builtin.name)) names += (names.empty() ? "" : ", ") + std::string(builtin.name);
  }
  return "only elementwise math may be called at compile time (" + names + "), found a call to '" +
         std::string(callee) + "'";
}

std::optional<ConstValue> EvaluateMathCall(const ast::CallExpr& call,
                                           const std::vector<ConstValue>& args,
                                           std::string* error) {
  const Builtin* builtin = FindMath(call.callee);
  if (!builtin) return Fail(error, NotMathMessage(call.callee));
  std::vector<ConstValue> x;
  if (!Bind(call, *builtin, args, &x, error)) return std::nullopt;
  if (builtin->kind == BuiltinKind::kSelect) return Select(x, error);
  bool integers = KeepsIntegers(builtin->op);
  for (const ConstValue& value : x) {
    if (value.is_bool()) {
      return Fail(error, "'" + call.callee + "' needs numbers, found " + value.ToString());
    }
    integers = integers && value.is_int();
  }
  std::string text = call.callee + "(";
  for (size_t i = 0; i < x.size(); ++i) text += (i ? ", " : "") + x[i].ToString();
  text += ")";
  if (integers) return IntegerMath(builtin->op, x, text, error);
  double values[2] = {x[0].AsDouble(), x.size() > 1 ? x[1].AsDouble() : 0}, result = 0;
  if (!ir::ApplyScalar(builtin->op, DType::kF32, values, &result, error)) return std::nullopt;
  return ConstValue::Float(result);
}

}  // namespace tessel::sema
