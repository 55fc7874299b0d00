// The typing rule of every IR op (type_rules.h): the result type from the
// operand types and attributes, or a message naming the op, the types and the
// offending dimension or attribute. The IR has no implicit promotion: binary
// operands share a dtype, and lowering (lab02) inserts casts. Written plainly,
// one small function per family of ops, because the verifier, the interpreter
// and lab02's IR builder all trust it as the oracle.
#include "stages/ir/type_rules.h"

#include <algorithm>
#include <utility>

namespace tessel::ir {
namespace {

using Types = std::vector<Type>;
using Result = std::optional<Type>;

// "add f32[4], i32[4]": the op and its operand types, the start of every message.
std::string Describe(Op op, const Types& operands) {
  std::string out(OpMnemonic(op));
  for (size_t i = 0; i < operands.size(); ++i) {
    out += (i == 0 ? " " : ", ") + FormatType(operands[i]);
  }
  return out;
}

// Sets *error (when asked for) and returns false / nullopt: every rule's way out.
bool Reject(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

Result Fail(std::string* error, std::string message) {
  Reject(error, std::move(message));
  return std::nullopt;
}

std::string DTypeString(DType dtype) { return std::string(DTypeName(dtype)); }

// Dimension `i` (counted from the left of the broadcast rank) of `shape`, 1 where it is absent.
int64_t AlignedDim(const Shape& shape, size_t rank, size_t i) {
  size_t missing = rank - shape.size();
  return i < missing ? 1 : shape[i - missing];
}

// Why `a` and `b` do not broadcast: "dimensions 3 and 5 do not broadcast".
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

// ------------------------------------------------------------ elementwise

// Which operand dtypes a unary math op accepts (cast is handled apart).
bool UnaryAccepts(Op op, DType dtype) {
  if (op == Op::kNot) return dtype == DType::kBool;
  if (op == Op::kNeg || op == Op::kAbs || op == Op::kRelu) return dtype != DType::kBool;
  return IsFloat(dtype);
}

std::string UnaryExpectation(Op op) {
  if (op == Op::kNot) return "bool";
  if (op == Op::kNeg || op == Op::kAbs || op == Op::kRelu) return "a number, not bool";
  return "a float (f32 or f16)";
}

Result UnaryRule(Op op, const Types& t, std::string* error) {
  if (!UnaryAccepts(op, t[0].dtype)) {
    return Fail(error, Describe(op, t) + ": operand must be " + UnaryExpectation(op));
  }
  return t[0];
}

Result CastRule(const Types& t, const Type& declared, std::string* error) {
  if (t[0].shape != declared.shape) {
    return Fail(error, "cast " + FormatType(t[0]) + " to " + FormatType(declared) +
                           ": a cast keeps the shape");
  }
  return declared;
}

// The broadcast shape of all operands, or an error naming the first pair that fails.
std::optional<Shape> BroadcastAll(Op op, const Types& t, std::string* error) {
  Shape shape = t[0].shape;
  for (size_t i = 1; i < t.size(); ++i) {
    std::optional<Shape> next = BroadcastShapes(shape, t[i].shape);
    if (!next) {
      Reject(error, Describe(op, t) + ": " + BroadcastMismatch(shape, t[i].shape));
      return std::nullopt;
    }
    shape = std::move(*next);
  }
  return shape;
}

// add ... minimum, comparisons, and/or: same dtype, shapes broadcast.
Result BinaryRule(Op op, const Types& t, std::string* error) {
  if (t[0].dtype != t[1].dtype) {
    return Fail(error, Describe(op, t) + ": operand dtypes differ " +
                           "(the IR has no implicit promotion: cast one operand)");
  }
  bool logic = op == Op::kAnd || op == Op::kOr;
  if (logic && t[0].dtype != DType::kBool) {
    return Fail(error, Describe(op, t) + ": operands must be bool");
  }
  std::optional<Shape> shape = BroadcastAll(op, t, error);
  if (!shape) return std::nullopt;
  bool compares = op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe ||
                  op == Op::kGt || op == Op::kGe;
  return Type{compares ? DType::kBool : t[0].dtype, std::move(*shape)};
}

Result SelectRule(const Types& t, std::string* error) {
  if (t[0].dtype != DType::kBool) {
    return Fail(error, Describe(Op::kSelect, t) + ": the condition must be bool");
  }
  if (t[1].dtype != t[2].dtype) {
    return Fail(error, Describe(Op::kSelect, t) + ": the two alternatives' dtypes differ");
  }
  std::optional<Shape> shape = BroadcastAll(Op::kSelect, t, error);
  if (!shape) return std::nullopt;
  return Type{t[1].dtype, std::move(*shape)};
}

// ------------------------------------------------------------------ matmul

// NumPy matmul: a rank-1 operand is a vector (a row on the left, a column on
// the right, its unit dimension dropped from the result); dims before the last
// two are batch dims and broadcast.
Result MatMulRule(const Types& t, std::string* error) {
  const Type& a = t[0];
  const Type& b = t[1];
  std::string what = "matmul " + FormatType(a) + " @ " + FormatType(b);
  if (a.dtype != b.dtype) return Fail(error, what + ": operand dtypes differ");
  if (a.rank() < 1 || b.rank() < 1) return Fail(error, what + ": operands must have rank >= 1");
  Shape sa = a.rank() == 1 ? Shape{1, a.shape[0]} : a.shape;
  Shape sb = b.rank() == 1 ? Shape{b.shape[0], 1} : b.shape;
  int64_t k_a = sa[sa.size() - 1], k_b = sb[sb.size() - 2];
  if (k_a != k_b) {
    return Fail(error, what + ": inner dimensions " + std::to_string(k_a) + " and " +
                           std::to_string(k_b) + " differ");
  }
  Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  std::optional<Shape> batch = BroadcastShapes(batch_a, batch_b);
  if (!batch) {
    return Fail(error, what + ": batch " + BroadcastMismatch(batch_a, batch_b));
  }
  if (a.rank() > 1) batch->push_back(sa[sa.size() - 2]);
  if (b.rank() > 1) batch->push_back(sb[sb.size() - 1]);
  return Type{a.dtype, std::move(*batch)};
}

// ------------------------------------------------------------- reductions

// Checks that `axes` are sorted, distinct and in [0, rank); `what` prefixes the message.
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

Result ReduceRule(Op op, const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(op, t);
  if (op == Op::kReduceMean && !IsFloat(t[0].dtype)) {
    return Fail(error, what + ": operand must be a float (f32 or f16)");
  }
  if (!CheckAxes(attrs.axes, t[0].rank(), what, error)) return std::nullopt;
  Shape shape;
  for (int64_t d = 0; d < t[0].rank(); ++d) {
    bool reduced = std::find(attrs.axes.begin(), attrs.axes.end(), d) != attrs.axes.end();
    if (!reduced) shape.push_back(t[0].shape[d]);
    if (reduced && attrs.keepdims) shape.push_back(1);
  }
  return Type{t[0].dtype, std::move(shape)};
}

// ---------------------------------------------------------- data movement

Result ReshapeRule(const Types& t, const Type& declared, std::string* error) {
  std::string what = "reshape " + FormatType(t[0]) + " to " + FormatType(declared);
  if (t[0].dtype != declared.dtype) return Fail(error, what + ": a reshape keeps the dtype");
  if (NumElements(t[0].shape) != NumElements(declared.shape)) {
    return Fail(error, what + ": element counts " + std::to_string(NumElements(t[0].shape)) +
                           " and " + std::to_string(NumElements(declared.shape)) + " differ");
  }
  return declared;
}

Result BroadcastRule(const Types& t, const Type& declared, std::string* error) {
  std::string what = "broadcast " + FormatType(t[0]) + " to " + FormatType(declared);
  if (t[0].dtype != declared.dtype) return Fail(error, what + ": a broadcast keeps the dtype");
  std::optional<Shape> shape = BroadcastShapes(t[0].shape, declared.shape);
  if (!shape || *shape != declared.shape) {
    if (t[0].rank() > declared.rank()) return Fail(error, what + ": the target rank is smaller");
    return Fail(error, what + ": " + BroadcastMismatch(t[0].shape, declared.shape));
  }
  return declared;
}

Result TransposeRule(const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(Op::kTranspose, t);
  std::vector<int64_t> sorted = attrs.axes;
  std::sort(sorted.begin(), sorted.end());
  bool is_permutation = static_cast<int64_t>(sorted.size()) == t[0].rank();
  for (size_t i = 0; i < sorted.size(); ++i) {
    is_permutation = is_permutation && sorted[i] == static_cast<int64_t>(i);
  }
  if (!is_permutation) {
    return Fail(error,
                what + ": perm must be a permutation of 0.." + std::to_string(t[0].rank() - 1));
  }
  Shape shape;
  for (int64_t axis : attrs.axes) shape.push_back(t[0].shape[axis]);
  return Type{t[0].dtype, std::move(shape)};
}

Result ConcatRule(const Types& t, const Attrs& attrs, std::string* error) {
  if (t.empty()) return Fail(error, "concat: needs at least one operand");
  std::string what = Describe(Op::kConcat, t);
  if (attrs.axes.size() != 1) return Fail(error, what + ": needs exactly one axis");
  int64_t axis = attrs.axes[0];
  if (!CheckAxes(attrs.axes, t[0].rank(), what, error)) return std::nullopt;
  Type result = t[0];
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i].dtype != t[0].dtype) return Fail(error, what + ": operand dtypes differ");
    if (t[i].rank() != t[0].rank()) return Fail(error, what + ": operand ranks differ");
    for (int64_t d = 0; d < t[0].rank(); ++d) {
      if (d != axis && t[i].shape[d] != t[0].shape[d]) {
        return Fail(error, what + ": dimension " + std::to_string(d) + " differs (" +
                               std::to_string(t[0].shape[d]) + " and " +
                               std::to_string(t[i].shape[d]) + ")");
      }
    }
    result.shape[axis] += t[i].shape[axis];
  }
  return result;
}

// Checks one dimension of a slice; returns its extent, or -1 with *error set.
int64_t SliceDim(int64_t d, int64_t dim, const Attrs& attrs, const std::string& what,
                 std::string* error) {
  int64_t begin = attrs.begin[d], end = attrs.end[d], step = attrs.step[d];
  if (begin < 0 || begin > end || end > dim || step < 1) {
    Reject(error, what + ": dimension " + std::to_string(d) + " of size " + std::to_string(dim) +
                      " cannot be sliced " + std::to_string(begin) + ":" + std::to_string(end) +
                      ":" + std::to_string(step) + " (need 0 <= begin <= end <= size, step >= 1)");
    return -1;
  }
  return (end - begin + step - 1) / step;
}

Result SliceRule(const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(Op::kSlice, t);
  size_t rank = t[0].shape.size();
  if (attrs.begin.size() != rank || attrs.end.size() != rank || attrs.step.size() != rank) {
    return Fail(error, what + ": begin, end and step need one entry per dimension");
  }
  Shape shape;
  for (size_t d = 0; d < rank; ++d) {
    int64_t extent = SliceDim(static_cast<int64_t>(d), t[0].shape[d], attrs, what, error);
    if (extent < 0) return std::nullopt;
    shape.push_back(extent);
  }
  return Type{t[0].dtype, std::move(shape)};
}

Result PadRule(const Types& t, const Attrs& attrs, std::string* error) {
  std::string what = Describe(Op::kPad, t);
  size_t rank = t[0].shape.size();
  if (attrs.low.size() != rank || attrs.high.size() != rank) {
    return Fail(error, what + ": low and high need one entry per dimension");
  }
  Shape shape;
  for (size_t d = 0; d < rank; ++d) {
    if (attrs.low[d] < 0 || attrs.high[d] < 0) {
      return Fail(error, what + ": padding of dimension " + std::to_string(d) + " is negative");
    }
    shape.push_back(attrs.low[d] + t[0].shape[d] + attrs.high[d]);
  }
  return Type{t[0].dtype, std::move(shape)};
}

Result TakeRule(const Types& t, std::string* error) {
  std::string what = Describe(Op::kTake, t);
  if (t[0].rank() < 1) return Fail(error, what + ": cannot take from a scalar");
  if (t[1] != Type{DType::kI32, {}}) return Fail(error, what + ": the index must be an i32 scalar");
  return Type{t[0].dtype, Shape(t[0].shape.begin() + 1, t[0].shape.end())};
}

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

// ------------------------------------------------------- comprehensions

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

Result ComprehensionRule(const Types& t, const Attrs& attrs, const Type& declared,
                         std::string* error) {
  std::string why;
  if (!CheckComprehension(t, attrs.comprehension.get(), declared, &why)) {
    return Fail(error, "comprehension: " + why);
  }
  return declared;
}

}  // namespace

std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = AlignedDim(a, rank, i), db = AlignedDim(b, rank, i);
    if (da != db && da != 1 && db != 1) return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::optional<Type> InferResultType(Op op, const std::vector<Type>& operands, const Attrs& attrs,
                                    const Type& declared, std::string* error) {
  const Types& t = operands;
  int arity = OpArity(op);
  if (arity >= 0 && static_cast<int>(t.size()) != arity) {
    return Fail(error, std::string(OpMnemonic(op)) + " takes " + std::to_string(arity) +
                           " operands, got " + std::to_string(t.size()));
  }
  // One row per family of ops; no default, so a new op in ops.def must be added here.
  // clang-format off
  switch (op) {
    case Op::kNeg: case Op::kNot: case Op::kAbs: case Op::kExp: case Op::kLog:
    case Op::kSqrt: case Op::kRsqrt: case Op::kTanh: case Op::kSigmoid: case Op::kRelu:
      return UnaryRule(op, t, error);
    case Op::kCast: return CastRule(t, declared, error);
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kMod: case Op::kPow:
    case Op::kMaximum: case Op::kMinimum: case Op::kEq: case Op::kNe: case Op::kLt:
    case Op::kLe: case Op::kGt: case Op::kGe: case Op::kAnd: case Op::kOr:
      return BinaryRule(op, t, error);
    case Op::kSelect: return SelectRule(t, error);
    case Op::kMatMul: return MatMulRule(t, error);
    case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax: case Op::kReduceMin:
    case Op::kReduceMean:
      return ReduceRule(op, t, attrs, error);
    case Op::kReshape: return ReshapeRule(t, declared, error);
    case Op::kTranspose: return TransposeRule(t, attrs, error);
    case Op::kBroadcast: return BroadcastRule(t, declared, error);
    case Op::kConcat: return ConcatRule(t, attrs, error);
    case Op::kSlice: return SliceRule(t, attrs, error);
    case Op::kPad: return PadRule(t, attrs, error);
    case Op::kTake: return TakeRule(t, error);
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

}  // namespace tessel::ir
