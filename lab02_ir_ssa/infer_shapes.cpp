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
  // TODO(lab02.t2): align on the right; each pair equal, or one is 1 (or missing)
  TESSEL_UNIMPLEMENTED("lab02.t2", "align on the right; each pair equal, or one is 1 (or missing)",
                       "lab02_ir_ssa/README.md §4.2");
}

// The dtype of `a op b` for an elementwise operator; `what` ("f32[4] + i32[4]")
// starts every message.
std::optional<DType> ResultDType(ast::BinaryOp op, const Operand& a, const Operand& b,
                                 const std::string& what, std::string* error) {
  std::string spelling(ast::BinaryOpSpelling(op));
  DType da = a.type.dtype, db = b.type.dtype;
  // TODO(lab02.t2): operand dtypes per operator; equal, or a scalar converts
  TESSEL_UNIMPLEMENTED("lab02.t2", "operand dtypes per operator; equal, or a scalar converts",
                       "lab02_ir_ssa/README.md §4.2");
}

// a @ b as NumPy's matmul: a rank-1 operand is a vector (a row on the left, a
// column on the right, whose unit dimension is dropped from the result); the
// dimensions before the last two are batch dimensions and broadcast.
std::optional<ir::Type> MatMulType(const ir::Type& a, const ir::Type& b, std::string* error) {
  std::string what = "matmul " + ir::FormatType(a) + " @ " + ir::FormatType(b);
  // TODO(lab02.t2): ranks >= 1, one dtype, rank 1 as a vector, inner dims, batch dims
  TESSEL_UNIMPLEMENTED("lab02.t2",
                       "ranks >= 1, one dtype, rank 1 as a vector, inner dims, batch dims",
                       "lab02_ir_ssa/README.md §4.2");
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
  // TODO(lab02.t2): literals, names (vars, then env.lookup), unary minus, + - * / %
  TESSEL_UNIMPLEMENTED("lab02.t2",
                       "literals, names (vars, then env.lookup), unary minus, + - * / %",
                       "lab02_ir_ssa/README.md §4.2");
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
  // TODO(lab02.t2): a bound or known name must agree; else bind it, with its origin
  TESSEL_UNIMPLEMENTED("lab02.t2",
                       "a bound or known name must agree; else bind it, with its origin",
                       "lab02_ir_ssa/README.md §4.2");
}

// Pass 1 for parameter `param`: a scalar parameter takes a scalar of its dtype;
// a tensor parameter checks dtype and rank, literal dims, and bare names.
bool UnifyBareDims(const ast::FnItem& fn, size_t param, const ir::Type& actual, ShapeEnv& env,
                   SignatureError* error) {
  const ast::TypeExpr& declared = fn.params[param].type;
  // TODO(lab02.t2): scalar params exactly; else dtype, rank, literal dims, bare names
  TESSEL_UNIMPLEMENTED("lab02.t2",
                       "scalar params exactly; else dtype, rank, literal dims, bare names",
                       "lab02_ir_ssa/README.md §4.2");
}

// Pass 2 for parameter `param`, once every bare name is bound: each dimension
// with arithmetic must evaluate to the argument's size.
bool CheckArithmeticDims(const ast::FnItem& fn, size_t param, const ir::Type& actual,
                         const ShapeEnv& env, SignatureError* error) {
  const ast::TypeExpr& declared = fn.params[param].type;
  // TODO(lab02.t2): evaluate each dim with arithmetic and compare with the argument
  TESSEL_UNIMPLEMENTED("lab02.t2",
                       "evaluate each dim with arithmetic and compare with the argument",
                       "lab02_ir_ssa/README.md §4.2");
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
  // TODO(lab02.t2): normalize and check the axes, then drop or keep (as 1) each axis
  TESSEL_UNIMPLEMENTED("lab02.t2",
                       "normalize and check the axes, then drop or keep (as 1) each axis",
                       "lab02_ir_ssa/README.md §4.2");
}

std::optional<ir::Type> ReshapeType(const ir::Type& x, const Shape& shape, std::string* error) {
  std::string what = "reshape " + ir::FormatType(x) + " to " + FormatShape(shape);
  // TODO(lab02.t2): positive dims, and the same number of elements
  TESSEL_UNIMPLEMENTED("lab02.t2", "positive dims, and the same number of elements",
                       "lab02_ir_ssa/README.md §4.2");
}

std::optional<ir::Type> SubscriptType(
    const ir::Type& x, size_t count, const std::vector<std::optional<int64_t>>& constant_subscripts,
    std::string* error) {
  TESSEL_CHECK(constant_subscripts.size() <= count, "SubscriptType: more values than subscripts");
  // TODO(lab02.t2): check count and known subscripts; drop the leading axes
  TESSEL_UNIMPLEMENTED("lab02.t2", "check count and known subscripts; drop the leading axes",
                       "lab02_ir_ssa/README.md §4.2");
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
  // TODO(lab02.t2): evaluate every dimension (EvaluateDim); no negative sizes
  TESSEL_UNIMPLEMENTED("lab02.t2", "evaluate every dimension (EvaluateDim); no negative sizes",
                       "lab02_ir_ssa/README.md §4.2");
}

}  // namespace tessel::sema
