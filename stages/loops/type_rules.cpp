// The typing rules of loop-IR expressions (type_rules.h).
#include "stages/loops/type_rules.h"

namespace tessel::loops {

namespace {

std::string Name(Op op) { return "'" + std::string(ir::OpMnemonic(op)) + "'"; }
std::string Name(DType dtype) { return std::string(DTypeName(dtype)); }

bool IsFloatMath(Op op) {
  static constexpr Op kFloatOnly[] = {Op::kExp,   Op::kLog,  Op::kSqrt, Op::kRsqrt,
                                      Op::kTanh,  Op::kSigmoid, Op::kErf, Op::kSin,
                                      Op::kCos,   Op::kFloor, Op::kCeil, Op::kRound};
  for (Op f : kFloatOnly) {
    if (f == op) return true;
  }
  return false;
}

bool IsComparison(Op op) {
  return op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe || op == Op::kGt ||
         op == Op::kGe;
}

bool IsLogic(Op op) { return op == Op::kAnd || op == Op::kOr || op == Op::kNot; }

std::optional<DType> Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return std::nullopt;
}

}  // namespace

std::optional<DType> ApplyResultType(Op op, const std::vector<DType>& args, DType cast_to,
                                     std::string* error) {
  ir::OpPattern pattern = ir::OpPatternOf(op);
  if (pattern != ir::OpPattern::kElementwise && pattern != ir::OpPattern::kBroadcast) {
    return Fail(error, Name(op) + " is not a scalar op");
  }
  if (static_cast<int>(args.size()) != ir::OpArity(op)) {
    return Fail(error, Name(op) + " takes " + std::to_string(ir::OpArity(op)) +
                           " operands, found " + std::to_string(args.size()));
  }
  if (op == Op::kCast) return cast_to;
  if (op == Op::kSelect) {
    if (args[0] != DType::kBool) return Fail(error, "select needs a bool condition, found " + Name(args[0]));
    if (args[1] != args[2]) {
      return Fail(error, "select's choices differ: " + Name(args[1]) + " and " + Name(args[2]));
    }
    return args[1];
  }
  for (DType dtype : args) {
    if (dtype != args[0]) {
      return Fail(error, Name(op) + " needs operands of one dtype, found " + Name(args[0]) +
                             " and " + Name(dtype));
    }
  }
  if (IsLogic(op) && args[0] != DType::kBool) {
    return Fail(error, Name(op) + " needs bool operands, found " + Name(args[0]));
  }
  if (!IsLogic(op) && !IsComparison(op) && args[0] == DType::kBool) {
    return Fail(error, Name(op) + " needs numbers, found bool");
  }
  if (IsFloatMath(op) && !IsFloat(args[0])) {
    return Fail(error, Name(op) + " needs a float operand, found " + Name(args[0]));
  }
  return IsComparison(op) ? DType::kBool : args[0];
}

std::string CheckSubscripts(const Buffer& buffer, const std::vector<ExprPtr>& subscripts) {
  if (static_cast<int64_t>(subscripts.size()) != buffer.rank()) {
    return "%" + buffer.name + " has " + std::to_string(buffer.rank()) +
           " dimensions, indexed with " + std::to_string(subscripts.size());
  }
  for (const ExprPtr& s : subscripts) {
    if (s == nullptr) return "null subscript of %" + buffer.name;
    if (s->dtype != kIndexType) {
      return "a subscript of %" + buffer.name + " is " + Name(s->dtype) + ", not i32";
    }
  }
  return "";
}

}  // namespace tessel::loops
