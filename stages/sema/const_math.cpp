#include "stages/sema/const_math.h"

#include "stages/ir/kernels.h"
#include "stages/sema/builtins.h"

namespace tessel::sema {

namespace {

// Those of the elementwise math functions that accept integers and keep them.
bool KeepsIntegers(ir::Op op) {
  return op == ir::Op::kAbs || op == ir::Op::kSign || op == ir::Op::kRelu ||
         op == ir::Op::kMaximum || op == ir::Op::kMinimum || op == ir::Op::kPow ||
         op == ir::Op::kFloorDiv || op == ir::Op::kFloorMod;
}

std::string MathList() {
  std::string names;
  for (const Builtin& builtin : AllBuiltins()) {
    if (builtin.kind != BuiltinKind::kUnary && builtin.kind != BuiltinKind::kBinary) continue;
    names += (names.empty() ? "" : ", ") + std::string(builtin.name);
  }
  return names + ", select";
}

}  // namespace

std::optional<ConstValue> EvaluateMathCall(std::string_view callee,
                                           const std::vector<ConstValue>& args,
                                           std::string* error) {
  const Builtin* builtin = FindBuiltin(callee);
  if (builtin && builtin->kind == BuiltinKind::kSelect) {  // select(c, a, b) on scalars
    if (args.size() != 3 || !args[0].is_bool()) {
      *error = "'select' takes a bool and two values";
      return std::nullopt;
    }
    const ConstValue &a = args[1], &b = args[2];
    if (a.kind != b.kind) {  // an int meeting a float gives a float, as for operators
      if (a.is_bool() || b.is_bool()) {
        *error =
            "the two values of 'select' differ in kind: " + a.ToString() + " and " + b.ToString();
        return std::nullopt;
      }
      return ConstValue::Float(args[0].bool_value ? a.AsDouble() : b.AsDouble());
    }
    return args[0].bool_value ? a : b;
  }
  if (!builtin || (builtin->kind != BuiltinKind::kUnary && builtin->kind != BuiltinKind::kBinary)) {
    *error = "a constant may call only elementwise math (" + MathList() + "), found a call to '" +
             std::string(callee) + "'";
    return std::nullopt;
  }
  size_t arity = builtin->kind == BuiltinKind::kUnary ? 1 : 2;
  if (args.size() != arity) {
    *error = "'" + std::string(callee) + "' takes " + std::to_string(arity) +
             (arity == 1 ? " argument" : " arguments") + ", found " + std::to_string(args.size());
    return std::nullopt;
  }
  bool integers = KeepsIntegers(builtin->op);
  double values[2] = {0, 0};
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_bool()) {
      *error = "'" + std::string(callee) + "' needs numbers, found " + args[i].ToString();
      return std::nullopt;
    }
    integers = integers && args[i].is_int();
    values[i] = args[i].AsDouble();
  }
  double result = 0;
  if (!ir::ApplyScalar(builtin->op, integers ? DType::kI32 : DType::kF32, values, &result, error)) {
    return std::nullopt;
  }
  return integers ? ConstValue::Int(static_cast<int64_t>(result)) : ConstValue::Float(result);
}

}  // namespace tessel::sema
