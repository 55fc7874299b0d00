// The typing rule of every IR op (type_rules.h): the result type from the
// operand types and attributes, or a message naming the op, the types and the
// offending dimension or attribute. The IR has no implicit promotion: binary
// operands share a dtype, and lowering (lab02) inserts casts. Written plainly,
// one small function per family of ops, because the verifier, the interpreter
// and lab02's IR builder all trust it as the oracle. This file holds the shared
// helpers, the rules of values and control flow, and the dispatch by op; the
// other families are in the type_rules_*.cpp files listed in type_rules_internal.h.
#include "stages/ir/type_rules.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stages/ir/type_rules_internal.h"

namespace tessel::ir {
namespace rules {

namespace {

// Dimension `i` (counted from the left of the broadcast rank) of `shape`, 1 where it is absent.
int64_t AlignedDim(const Shape& shape, size_t rank, size_t i) {
  size_t missing = rank - shape.size();
  return i < missing ? 1 : shape[i - missing];
}

}  // namespace

std::string Describe(Op op, const Types& operands) {
  std::string out(OpMnemonic(op));
  for (size_t i = 0; i < operands.size(); ++i) {
    out += (i == 0 ? " " : ", ") + FormatType(operands[i]);
  }
  return out;
}

bool Reject(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

Result Fail(std::string* error, std::string message) {
  Reject(error, std::move(message));
  return std::nullopt;
}

std::string DTypeString(DType dtype) { return std::string(DTypeName(dtype)); }

std::string BroadcastMismatch(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = AlignedDim(a, rank, i), db = AlignedDim(b, rank, i);
    if (da != db && da != 1 && db != 1) {
      return "dimensions " + std::to_string(da) + " and " + std::to_string(db) +
             " do not broadcast";
    }
  }
  return "shapes do not broadcast";
}

bool CheckAxes(const std::vector<int64_t>& axes, int64_t rank, const std::string& what,
               std::string* error) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank) {
      return Reject(error, what + ": axis " + std::to_string(axes[i]) +
                               " is out of range for rank " + std::to_string(rank));
    }
    if (i > 0 && axes[i] <= axes[i - 1]) {
      return Reject(error, what + ": axes must be sorted and distinct");
    }
  }
  return true;
}

namespace {

// ------------------------------------------------------------------ values

Result ConstantRule(const Attrs& attrs, const Type& declared, std::string* error) {
  if (!attrs.value) return Fail(error, "constant: no value");
  Type value{attrs.value->dtype(), attrs.value->shape()};
  if (value != declared) {
    return Fail(error, "constant: the value is " + FormatType(value) +
                           " but the declared type is " + FormatType(declared));
  }
  return declared;
}

Result PhiRule(const Types& t, const Type& declared, std::string* error) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != declared) {
      return Fail(error, "phi: operand " + std::to_string(i) + " is " + FormatType(t[i]) +
                             " but the phi is " + FormatType(declared));
    }
  }
  return declared;
}

Result CondBrRule(const Types& t, std::string* error) {
  if (t[0] != Type{DType::kBool, {}}) {
    return Fail(error, "cond_br " + FormatType(t[0]) + ": the condition must be a bool scalar");
  }
  return Type{};
}

// One row per family of ops; no default, so a new op in ops.def must be added here.
Result ApplyRule(Op op, const Types& t, const Attrs& attrs, const Type& declared,
                 std::string* error) {
  // clang-format off
  switch (op) {
    case Op::kNeg: case Op::kNot: case Op::kAbs: case Op::kExp: case Op::kLog:
    case Op::kSqrt: case Op::kRsqrt: case Op::kTanh: case Op::kSigmoid: case Op::kRelu:
    case Op::kErf: case Op::kSin: case Op::kCos: case Op::kFloor: case Op::kCeil:
    case Op::kRound: case Op::kSign:
      return UnaryRule(op, t, error);
    case Op::kCast: return CastRule(t, declared, error);
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kMod: case Op::kPow:
    case Op::kFloorDiv: case Op::kFloorMod:
    case Op::kMaximum: case Op::kMinimum: case Op::kEq: case Op::kNe: case Op::kLt:
    case Op::kLe: case Op::kGt: case Op::kGe: case Op::kAnd: case Op::kOr:
      return BinaryRule(op, t, error);
    case Op::kSelect: return SelectRule(t, error);
    case Op::kMatMul: return MatMulRule(t, error);
    case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax: case Op::kReduceMin:
    case Op::kReduceMean:
      return ReduceRule(op, t, attrs, error);
    case Op::kArgMax: case Op::kArgMin: return ArgReduceRule(op, t, attrs, error);
    case Op::kReshape: return ReshapeRule(t, declared, error);
    case Op::kTranspose: return TransposeRule(t, attrs, error);
    case Op::kBroadcast: return BroadcastRule(t, declared, error);
    case Op::kConcat: return ConcatRule(t, attrs, error);
    case Op::kSlice: return SliceRule(t, attrs, error);
    case Op::kPad: return PadRule(t, attrs, error);
    case Op::kTake: return TakeRule(t, error);
    case Op::kUpdateSlice: return UpdateSliceRule(t, error);
    case Op::kConstant: return ConstantRule(attrs, declared, error);
    case Op::kComprehension: return ComprehensionRule(t, attrs, declared, error);
    case Op::kCall: return declared;  // the callee's signature is the verifier's check
    case Op::kPhi: return PhiRule(t, declared, error);
    case Op::kBr: case Op::kRet: return Type{};  // ret's operand: the verifier's check
    case Op::kCondBr: return CondBrRule(t, error);
  }
  // clang-format on
  return Fail(error, "unknown op");
}

}  // namespace
}  // namespace rules

std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = rules::AlignedDim(a, rank, i), db = rules::AlignedDim(b, rank, i);
    if (da != db && da != 1 && db != 1) return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::optional<Type> InferResultType(Op op, const std::vector<Type>& operands, const Attrs& attrs,
                                    const Type& declared, std::string* error) {
  int arity = OpArity(op);
  if (arity >= 0 && static_cast<int>(operands.size()) != arity) {
    return rules::Fail(error, std::string(OpMnemonic(op)) + " takes " + std::to_string(arity) +
                                  " operands, got " + std::to_string(operands.size()));
  }
  return rules::ApplyRule(op, operands, attrs, declared, error);
}

}  // namespace tessel::ir
