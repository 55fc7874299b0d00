// Shape inference and checking (lab02, task t2): the functions of
// stages/sema/infer_shapes.h. The type checker (typecheck.h) calls them for every
// operator, reduction, reshape and subscript, and at every call to specialize
// the callee's shape variables to the argument types.
//
// Pipeline: stage 2, between name checking (t1) and range inference (t3).
// Every shape here is concrete: a generic function is checked once per call,
// with its shape variables bound to integers by UnifySignature, like a C++
// template instantiated at each use (docs/language.md §4.1).
//
// The rules are docs/language.md §4.2 (shape variables and arithmetic), §4.4
// (operators, NumPy broadcasting, the i32-scalar and constant conversions) and
// §4.5 (slicing). The IR has its own stricter rules (stages/ir/type_rules*.cpp):
// after this stage, lowering inserts the casts that the source rules allow
// implicitly, so the IR never promotes.
#include "stages/sema/infer_shapes.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/sema/format_expr.h"

namespace tessel::sema {

namespace {

// Sets `error` and returns "no type": every rule reports failure this way.
std::nullopt_t Fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return std::nullopt;
}

std::string Str(int64_t value) { return std::to_string(value); }
std::string Str(DType dtype) { return std::string(DTypeName(dtype)); }

// "[2, 200]": a shape as a reshape target is written.
std::string FormatShape(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i == 0 ? "" : ", ") + Str(shape[i]);
  return out + "]";
}

// ------------------------------------------------------------ operators

// Broadcasts `a` with `b` as NumPy does into `out`. On failure `why` says
// which dimension of the result clashes, counted from 0:
// "dimension 1 is 3 on the left and 5 on the right".
bool BroadcastShapes(const Shape& a, const Shape& b, Shape* out, std::string* why) {
  // BEGIN SOLUTION lab02.t2: align on the right; each pair equal, or one is 1 (or missing)
  size_t rank = std::max(a.size(), b.size());
  out->assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Position i of the result is position i - (rank - size) of a shorter operand.
    int64_t left = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t right = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (left != right && left != 1 && right != 1) {
      *why = "dimension " + Str(static_cast<int64_t>(i)) + " is " + Str(left) +
             " on the left and " + Str(right) + " on the right";
      return false;
    }
    (*out)[i] = left == 1 ? right : left;
  }
  return true;
  // END SOLUTION
}

// The dtype of `a op b` for an elementwise operator; `what` ("f32[4] + i32[4]")
// starts every message.
std::optional<DType> ResultDType(ast::BinaryOp op, const Operand& a, const Operand& b,
                                 const std::string& what, std::string* error) {
  std::string spelling(ast::BinaryOpSpelling(op));
  DType da = a.type.dtype, db = b.type.dtype;
  // BEGIN SOLUTION lab02.t2: operand dtypes per operator; equal, or a scalar converts
  ast::BinaryOpClass kind = ast::BinaryOpClassOf(op);
  if (kind == ast::BinaryOpClass::kLogic) {
    if (da == DType::kBool && db == DType::kBool) return DType::kBool;
    return Fail(error, what + ": operator '" + spelling + "' needs bool operands, found " +
                           Str(da) + " and " + Str(db));
  }
  // Arithmetic and the ordering comparisons need numbers; == and != also compare bools.
  bool ordering = kind == ast::BinaryOpClass::kComparison && op != ast::BinaryOp::kEq &&
                  op != ast::BinaryOp::kNe;
  if ((kind == ast::BinaryOpClass::kArithmetic || ordering) &&
      (da == DType::kBool || db == DType::kBool)) {
    return Fail(error, what + ": operator '" + spelling + "' needs numeric operands, found " +
                           Str(da) + " and " + Str(db));
  }
  // Whether operand x converts to `to`: any i32 scalar to a float type; a
  // compile-time scalar to any numeric type if it is an int, to a float type if a float.
  auto converts = [](const Operand& x, DType to) {
    if (x.type.rank() != 0 || to == DType::kBool) return false;
    if (x.type.dtype == DType::kI32 && IsFloat(to)) return true;
    return x.constant && (x.type.dtype == DType::kI32 || (IsFloat(x.type.dtype) && IsFloat(to)));
  };
  DType common = da;
  if (da != db && converts(a, db)) {
    common = db;
  } else if (da != db && !converts(b, da)) {
    return Fail(error, what + ": dtypes " + Str(da) + " and " + Str(db) + " differ (use cast)");
  }
  return kind == ast::BinaryOpClass::kComparison ? DType::kBool : common;
  // END SOLUTION
}

// a @ b as NumPy's matmul: a rank-1 operand is a vector (a row on the left, a
// column on the right, whose unit dimension is dropped from the result); the
// dimensions before the last two are batch dimensions and broadcast.
std::optional<ir::Type> MatMulType(const ir::Type& a, const ir::Type& b, std::string* error) {
  std::string what = "matmul " + ir::FormatType(a) + " @ " + ir::FormatType(b);
  // BEGIN SOLUTION lab02.t2: ranks >= 1, one dtype, rank 1 as a vector, inner dims, batch dims
  for (const ir::Type* operand : {&a, &b}) {
    if (operand->rank() < 1) {
      return Fail(error,
                  "matmul needs tensors of rank 1 or more, found " + ir::FormatType(*operand));
    }
  }
  if (a.dtype != b.dtype) {
    return Fail(error,
                what + ": dtypes " + Str(a.dtype) + " and " + Str(b.dtype) + " differ (use cast)");
  }
  if (a.dtype == DType::kBool) return Fail(error, what + ": matmul needs numeric operands");
  Shape sa = a.rank() == 1 ? Shape{1, a.shape[0]} : a.shape;
  Shape sb = b.rank() == 1 ? Shape{b.shape[0], 1} : b.shape;
  int64_t inner_a = sa[sa.size() - 1], inner_b = sb[sb.size() - 2];
  if (inner_a != inner_b) {
    return Fail(error,
                what + ": inner dimensions " + Str(inner_a) + " and " + Str(inner_b) + " differ");
  }
  Shape shape;
  std::string why;
  if (!BroadcastShapes(Shape(sa.begin(), sa.end() - 2), Shape(sb.begin(), sb.end() - 2), &shape,
                       &why)) {
    return Fail(error, what + ": cannot broadcast batch dimensions, " + why);
  }
  if (a.rank() > 1) shape.push_back(sa[sa.size() - 2]);
  if (b.rank() > 1) shape.push_back(sb[sb.size() - 1]);
  return ir::Type{a.dtype, shape};
  // END SOLUTION
}

// Every dimension of a shape expression that the rules of EvaluateDim accept
// is an integer, a name, unary minus or one of these.
bool IsDimOperator(ast::BinaryOp op) {
  return ast::BinaryOpClassOf(op) == ast::BinaryOpClass::kArithmetic;
}

// `a op b` on two dimension values, rounding toward zero as C does. The
// caller has ruled out a zero divisor.
int64_t ApplyDimOperator(ast::BinaryOp op, int64_t a, int64_t b) {
  // clang-format off
  switch (op) {
    case ast::BinaryOp::kAdd: return a + b;
    case ast::BinaryOp::kSub: return a - b;
    case ast::BinaryOp::kMul: return a * b;
    case ast::BinaryOp::kDiv: return a / b;
    case ast::BinaryOp::kMod: return a % b;
    case ast::BinaryOp::kOr: case ast::BinaryOp::kAnd: case ast::BinaryOp::kEq: case ast::BinaryOp::kNe:
    case ast::BinaryOp::kLt: case ast::BinaryOp::kLe: case ast::BinaryOp::kGt: case ast::BinaryOp::kGe:
    case ast::BinaryOp::kMatMul:
      break;
  }
  // clang-format on
  TESSEL_CHECK(false, "ApplyDimOperator: not a dimension operator");
  return 0;
}

// EvaluateDim on a part `expr` of the dimension `whole`, which messages name.
std::optional<int64_t> EvaluateIn(const ast::Expr& expr, const ast::Expr& whole,
                                  const ShapeEnv& env, std::string* error) {
  std::string dimension = "dimension '" + FormatExpr(whole) + "'";
  // BEGIN SOLUTION lab02.t2: literals, names (vars, then env.lookup), unary minus, + - * / %
  switch (expr.kind) {
    case ast::ExprKind::kInt:
      return expr.As<ast::IntLiteral>().value;
    case ast::ExprKind::kName: {
      const std::string& name = expr.As<ast::NameExpr>().name;
      if (auto var = env.vars.find(name); var != env.vars.end()) return var->second;
      std::optional<ConstValue> value = env.lookup ? env.lookup(name) : std::nullopt;
      if (!value) return Fail(error, "unknown shape variable '" + name + "'");
      if (!value->is_int()) return Fail(error, "'" + name + "' is not an integer");
      return value->int_value;
    }
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      if (unary.op != ast::UnaryOp::kNeg) break;
      std::optional<int64_t> operand = EvaluateIn(*unary.operand, whole, env, error);
      return operand ? std::optional<int64_t>(-*operand) : std::nullopt;
    }
    case ast::ExprKind::kBinary: {
      const auto& binary = expr.As<ast::BinaryExpr>();
      if (!IsDimOperator(binary.op)) break;
      std::optional<int64_t> lhs = EvaluateIn(*binary.lhs, whole, env, error);
      std::optional<int64_t> rhs = lhs ? EvaluateIn(*binary.rhs, whole, env, error) : std::nullopt;
      if (!rhs) return std::nullopt;
      bool divides = binary.op == ast::BinaryOp::kDiv || binary.op == ast::BinaryOp::kMod;
      if (divides && *rhs == 0) return Fail(error, dimension + " divides by zero");
      return ApplyDimOperator(binary.op, *lhs, *rhs);
    }
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kCall:
    case ast::ExprKind::kList:
      break;
  }
  return Fail(error, dimension + " is not integer arithmetic on sizes");
  // END SOLUTION
}

// ------------------------------------------------------------ signatures

// "argument 'eps' of 'layernorm': <message>", about parameter `param`.
bool ArgumentError(const ast::FnItem& fn, size_t param, const std::string& message,
                   SignatureError* error) {
  if (error) {
    error->param = static_cast<int>(param);
    error->message = "argument '" + fn.params[param].name + "' of '" + fn.name + "': " + message;
  }
  return false;
}

// "argument 'w' of 'linear': f32[128, 10] does not match f32[I, O]: <why>".
bool Mismatch(const ast::FnItem& fn, size_t param, const ir::Type& actual, const std::string& why,
              SignatureError* error) {
  return ArgumentError(fn, param,
                       ir::FormatType(actual) + " does not match " +
                           FormatTypeExpr(fn.params[param].type) + ": " + why,
                       error);
}

// " (from x: f32[8, 784])", or nothing for a variable bound before this call.
std::string OriginOf(const ShapeEnv& env, const std::string& var) {
  auto origin = env.origin.find(var);
  return origin == env.origin.end() ? "" : " (from " + origin->second + ")";
}

// Pass 1 for the bare-name dimension `name` of parameter `param`, whose
// argument has `size` at axis `axis`: a bound shape variable or a name
// env.lookup knows must equal `size`; any other name becomes a shape variable.
bool UnifyName(const ast::FnItem& fn, size_t param, const ir::Type& actual, size_t axis,
               const std::string& name, ShapeEnv& env, SignatureError* error) {
  int64_t size = actual.shape[axis];
  std::string at = " but dimension " + Str(static_cast<int64_t>(axis)) + " is " + Str(size);
  // BEGIN SOLUTION lab02.t2: a bound or known name must agree; else bind it, with its origin
  if (auto var = env.vars.find(name); var != env.vars.end()) {
    if (var->second == size) return true;
    return Mismatch(fn, param, actual, name + " is " + Str(var->second) + OriginOf(env, name) + at,
                    error);
  }
  if (std::optional<ConstValue> known = env.lookup ? env.lookup(name) : std::nullopt) {
    if (!known->is_int())
      return ArgumentError(fn, param, "'" + name + "' is not an integer", error);
    if (known->int_value == size) return true;
    return Mismatch(fn, param, actual, name + " is " + Str(known->int_value) + at, error);
  }
  env.vars[name] = size;
  env.origin[name] = fn.params[param].name + ": " + ir::FormatType(actual);
  return true;
  // END SOLUTION
}

// Pass 1 for parameter `param`: a scalar parameter takes a scalar of its dtype;
// a tensor parameter checks dtype and rank, literal dims, and bare names.
bool UnifyBareDims(const ast::FnItem& fn, size_t param, const ir::Type& actual, ShapeEnv& env,
                   SignatureError* error) {
  const ast::TypeExpr& declared = fn.params[param].type;
  // BEGIN SOLUTION lab02.t2: scalar params exactly; else dtype, rank, literal dims, bare names
  if (declared.dims.empty()) {
    if (actual == ir::Type{declared.dtype, {}}) return true;
    return ArgumentError(
        fn, param, "expected " + Str(declared.dtype) + ", found " + ir::FormatType(actual), error);
  }
  if (actual.dtype != declared.dtype) {
    return Mismatch(fn, param, actual,
                    "dtype " + Str(declared.dtype) + " expected, found " + Str(actual.dtype),
                    error);
  }
  if (actual.rank() != static_cast<int64_t>(declared.dims.size())) {
    return Mismatch(fn, param, actual,
                    "rank " + Str(static_cast<int64_t>(declared.dims.size())) +
                        " expected, found rank " + Str(actual.rank()),
                    error);
  }
  for (size_t axis = 0; axis < declared.dims.size(); ++axis) {
    const ast::Expr& dim = *declared.dims[axis];
    if (dim.kind == ast::ExprKind::kInt && dim.As<ast::IntLiteral>().value != actual.shape[axis]) {
      return Mismatch(fn, param, actual,
                      "dimension " + Str(static_cast<int64_t>(axis)) + " is " +
                          Str(actual.shape[axis]) + ", expected " + FormatExpr(dim),
                      error);
    }
    if (dim.kind == ast::ExprKind::kName &&
        !UnifyName(fn, param, actual, axis, dim.As<ast::NameExpr>().name, env, error)) {
      return false;
    }
  }
  return true;
  // END SOLUTION
}

// Pass 2 for parameter `param`, once every bare name is bound: each dimension
// with arithmetic must evaluate to the argument's size.
bool CheckArithmeticDims(const ast::FnItem& fn, size_t param, const ir::Type& actual,
                         const ShapeEnv& env, SignatureError* error) {
  const ast::TypeExpr& declared = fn.params[param].type;
  // BEGIN SOLUTION lab02.t2: evaluate each dim with arithmetic and compare with the argument
  for (size_t axis = 0; axis < declared.dims.size(); ++axis) {
    const ast::Expr& dim = *declared.dims[axis];
    if (dim.kind == ast::ExprKind::kInt || dim.kind == ast::ExprKind::kName) continue;
    std::string why;
    std::optional<int64_t> value = EvaluateDim(dim, env, &why);
    if (!value) return ArgumentError(fn, param, why, error);
    if (*value != actual.shape[axis]) {
      return Mismatch(fn, param, actual,
                      FormatExpr(dim) + " is " + Str(*value) + " but dimension " +
                          Str(static_cast<int64_t>(axis)) + " is " + Str(actual.shape[axis]),
                      error);
    }
  }
  return true;
  // END SOLUTION
}

}  // namespace

std::optional<ir::Type> BinaryOpType(ast::BinaryOp op, const Operand& a, const Operand& b,
                                     std::string* error) {
  if (op == ast::BinaryOp::kMatMul) return MatMulType(a.type, b.type, error);
  std::string what = ir::FormatType(a.type) + " " + std::string(ast::BinaryOpSpelling(op)) + " " +
                     ir::FormatType(b.type);
  std::optional<DType> dtype = ResultDType(op, a, b, what, error);
  if (!dtype) return std::nullopt;
  Shape shape;
  std::string why;
  if (!BroadcastShapes(a.type.shape, b.type.shape, &shape, &why)) {
    return Fail(error, what + ": cannot broadcast, " + why);
  }
  return ir::Type{*dtype, shape};
}

std::optional<ir::Type> ReduceType(std::string_view name, const ir::Type& x,
                                   const std::vector<int64_t>& axes, bool all_axes, bool keepdims,
                                   std::vector<int64_t>* normalized, std::string* error) {
  std::string what = std::string(name) + " of " + ir::FormatType(x);
  // BEGIN SOLUTION lab02.t2: normalize and check the axes, then drop or keep (as 1) each axis
  if (x.dtype == DType::kBool)
    return Fail(error, what + ": cannot reduce a bool tensor (use cast)");
  if (name == "mean" && !IsFloat(x.dtype)) {
    return Fail(error, what + ": mean needs a float tensor (use cast)");
  }
  std::vector<int64_t> reduced;
  for (int64_t axis = 0; all_axes && axis < x.rank(); ++axis) reduced.push_back(axis);
  for (size_t i = 0; !all_axes && i < axes.size(); ++i) {
    int64_t axis = axes[i] < 0 ? axes[i] + x.rank() : axes[i];
    if (axis < 0 || axis >= x.rank()) {
      return Fail(error,
                  what + ": axis " + Str(axes[i]) + " is out of range for rank " + Str(x.rank()));
    }
    if (std::find(reduced.begin(), reduced.end(), axis) != reduced.end()) {
      return Fail(error, what + ": axis " + Str(axis) + " is given twice");
    }
    reduced.push_back(axis);
  }
  std::sort(reduced.begin(), reduced.end());
  Shape shape;
  for (int64_t axis = 0; axis < x.rank(); ++axis) {
    bool is_reduced = std::binary_search(reduced.begin(), reduced.end(), axis);
    if (!is_reduced) shape.push_back(x.shape[axis]);
    if (is_reduced && keepdims) shape.push_back(1);
  }
  if (normalized) *normalized = reduced;
  return ir::Type{x.dtype, shape};
  // END SOLUTION
}

std::optional<ir::Type> ReshapeType(const ir::Type& x, const Shape& shape, std::string* error) {
  std::string what = "reshape " + ir::FormatType(x) + " to " + FormatShape(shape);
  // BEGIN SOLUTION lab02.t2: positive dims, and the same number of elements
  int64_t count = 1, new_count = 1;
  for (int64_t dim : x.shape) count *= dim;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] <= 0) {
      return Fail(error, what + ": dimension " + Str(static_cast<int64_t>(i)) + " is " +
                             Str(shape[i]) + ", but a dimension must be positive");
    }
    new_count *= shape[i];
  }
  if (count != new_count) {
    return Fail(error, what + ": " + Str(count) + " elements do not fit " + Str(new_count));
  }
  return ir::Type{x.dtype, shape};
  // END SOLUTION
}

std::optional<ir::Type> SubscriptType(
    const ir::Type& x, size_t count, const std::vector<std::optional<int64_t>>& constant_subscripts,
    std::string* error) {
  TESSEL_CHECK(constant_subscripts.size() <= count, "SubscriptType: more values than subscripts");
  // BEGIN SOLUTION lab02.t2: check count and known subscripts; drop the leading axes
  if (static_cast<int64_t>(count) > x.rank()) {
    return Fail(error, "subscript " + ir::FormatType(x) + ": " + Str(static_cast<int64_t>(count)) +
                           (count == 1 ? " subscript" : " subscripts") + " for rank " +
                           Str(x.rank()));
  }
  for (size_t k = 0; k < constant_subscripts.size(); ++k) {
    const std::optional<int64_t>& value = constant_subscripts[k];
    if (value && (*value < 0 || *value >= x.shape[k])) {
      return Fail(error, "subscript " + Str(*value) + " is out of range for axis " +
                             Str(static_cast<int64_t>(k)) + " of " + ir::FormatType(x));
    }
  }
  return ir::Type{x.dtype, Shape(x.shape.begin() + static_cast<int64_t>(count), x.shape.end())};
  // END SOLUTION
}

std::optional<int64_t> EvaluateDim(const ast::Expr& dim, const ShapeEnv& env, std::string* error) {
  return EvaluateIn(dim, dim, env, error);
}

bool UnifySignature(const ast::FnItem& fn, const std::vector<ir::Type>& args, ShapeEnv& env,
                    SignatureError* error) {
  TESSEL_CHECK(args.size() == fn.params.size(),
               "UnifySignature: one argument type per parameter of '" + fn.name + "'");
  // Two passes, so that `y: f32[N + 1]` before `x: f32[N]` works: bare names
  // bind first, arithmetic is checked once they are all known.
  for (size_t i = 0; i < args.size(); ++i) {
    if (!UnifyBareDims(fn, i, args[i], env, error)) return false;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (!CheckArithmeticDims(fn, i, args[i], env, error)) return false;
  }
  return true;
}

std::optional<ir::Type> ResolveType(const ast::TypeExpr& declared, const ShapeEnv& env,
                                    std::string* error) {
  // BEGIN SOLUTION lab02.t2: evaluate every dimension (EvaluateDim); no negative sizes
  ir::Type type{declared.dtype, {}};
  for (const ast::ExprPtr& dim : declared.dims) {
    std::optional<int64_t> size = EvaluateDim(*dim, env, error);
    if (!size) return std::nullopt;
    if (*size < 0) {
      return Fail(error,
                  "dimension '" + FormatExpr(*dim) + "' is " + Str(*size) + ", a negative size");
    }
    type.shape.push_back(*size);
  }
  return type;
  // END SOLUTION
}

}  // namespace tessel::sema
