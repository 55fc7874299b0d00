// lab02 task t2 (shape inference and checking): the typing rules of
// stages/sema/infer_shapes.h, called directly. Operator, reduction, reshape and
// subscript tests build concrete types by hand (f32[8, 784] is
// T(kF32, {8, 784})); signature tests take a function from Tessel source and
// unify its parameters with argument types, as the type checker does at a
// call. Where the header gives a message's words, the test checks them
// exactly; elsewhere it checks that the call fails and the message starts with
// the documented description of the operation ("bool[4] + bool[4]: ...").
#include "stages/sema/infer_shapes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/ir/ir.h"
#include "stages/sema/format_expr.h"

namespace tessel {
namespace {

using sema::BinaryOpType;
using sema::ConstValue;
using sema::Operand;
using sema::ShapeEnv;
using sema::SignatureError;
using testing::ParsedSource;
using testing::ParseSource;
using Where = std::source_location;

constexpr DType kF32 = DType::kF32;
constexpr DType kF16 = DType::kF16;
constexpr DType kI32 = DType::kI32;
constexpr DType kI8 = DType::kI8;
constexpr DType kBool = DType::kBool;

// ------------------------------------------------------------ helpers

ir::Type T(DType dtype, Shape shape = {}) { return ir::Type{dtype, std::move(shape)}; }
// A computed operand (a tensor, a parameter, a loop variable) and a
// compile-time scalar (a literal, a constant, a shape variable).
Operand Value(ir::Type type) { return Operand{std::move(type), false}; }
Operand Constant(ir::Type type) { return Operand{std::move(type), true}; }

void Fail(const Where& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
}

// What a rule returned: its type or its message.
std::string Outcome(const std::optional<ir::Type>& type, const std::string& error) {
  return type ? "type " + ir::FormatType(*type) : "error \"" + error + "\"";
}

void ExpectType(const std::string& call, const std::optional<ir::Type>& actual,
                const std::string& error, const ir::Type& expected, const Where& where) {
  if (actual && *actual == expected) return;
  Fail(where, call + "\n  expected: type " + ir::FormatType(expected) +
                  "\n  actual:   " + Outcome(actual, error));
}

// The rule must fail with `message` exactly, or, when `prefix_only`, with a
// message that starts with `message`.
void ExpectError(const std::string& call, const std::optional<ir::Type>& actual,
                 const std::string& error, const std::string& message, bool prefix_only,
                 const Where& where) {
  bool matches = prefix_only ? error.rfind(message, 0) == 0 : error == message;
  if (!actual && matches) return;
  Fail(where, call + "\n  expected: error \"" + message + (prefix_only ? "...\"" : "\"") +
                  "\n  actual:   " + Outcome(actual, error));
}

std::string Describe(ast::BinaryOp op, const Operand& a, const Operand& b) {
  auto operand = [](const Operand& x) {
    return ir::FormatType(x.type) + (x.constant ? " (constant)" : "");
  };
  return "BinaryOpType(" + operand(a) + " " + std::string(ast::BinaryOpSpelling(op)) + " " +
         operand(b) + ")";
}

void ExpectBinary(ast::BinaryOp op, const Operand& a, const Operand& b, const ir::Type& expected,
                  Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = BinaryOpType(op, a, b, &error);
  ExpectType(Describe(op, a, b), type, error, expected, where);
}

void ExpectBinaryError(ast::BinaryOp op, const Operand& a, const Operand& b,
                       const std::string& message, Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = BinaryOpType(op, a, b, &error);
  ExpectError(Describe(op, a, b), type, error, message, false, where);
}

// For messages whose wording the header leaves open: fails, and starts with `prefix`.
void ExpectBinaryRejected(ast::BinaryOp op, const Operand& a, const Operand& b,
                          const std::string& prefix, Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = BinaryOpType(op, a, b, &error);
  ExpectError(Describe(op, a, b), type, error, prefix, true, where);
}

// ReduceType for `name` of `x`; `all_axes` when `axes` is nullopt.
struct Reduced {
  std::optional<ir::Type> type;
  std::vector<int64_t> normalized;
  std::string error;
  std::string call;
};
Reduced Reduce(std::string_view name, const ir::Type& x, std::optional<std::vector<int64_t>> axes,
               bool keepdims = false) {
  Reduced r;
  r.type = sema::ReduceType(name, x, axes.value_or(std::vector<int64_t>{}), !axes.has_value(),
                            keepdims, &r.normalized, &r.error);
  r.call = "ReduceType(" + std::string(name) + " of " + ir::FormatType(x) + ", axes " +
           (axes ? ::testing::PrintToString(*axes) : "all") + (keepdims ? ", keepdims" : "") + ")";
  return r;
}

std::string DescribeSubscript(const ir::Type& x, size_t count,
                              const std::vector<std::optional<int64_t>>& constants) {
  std::string text =
      "SubscriptType(" + ir::FormatType(x) + ", " + std::to_string(count) + " subscripts, known [";
  for (size_t k = 0; k < constants.size(); ++k) {
    text += (k == 0 ? "" : ", ") + (constants[k] ? std::to_string(*constants[k]) : "?");
  }
  return text + "])";
}

void ExpectSubscript(const ir::Type& x, size_t count,
                     const std::vector<std::optional<int64_t>>& constants, const ir::Type& expected,
                     Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = sema::SubscriptType(x, count, constants, &error);
  ExpectType(DescribeSubscript(x, count, constants), type, error, expected, where);
}

void ExpectSubscriptError(const ir::Type& x, size_t count,
                          const std::vector<std::optional<int64_t>>& constants,
                          const std::string& message, Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = sema::SubscriptType(x, count, constants, &error);
  ExpectError(DescribeSubscript(x, count, constants), type, error, message, false, where);
}

// A name lookup that knows `values` (module constants, specialized scalar parameters).
sema::NameLookup Knows(std::map<std::string, ConstValue> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<ConstValue> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<ConstValue>(it->second);
  };
}

// One call of UnifySignature on function `fn` of a parsed program.
struct Unification {
  bool ok = false;
  ShapeEnv env;
  SignatureError error;
  std::string context;  // the program and the argument types, for failure messages
};

Unification Unify(const ParsedSource& program, const std::string& fn,
                  const std::vector<ir::Type>& args, sema::NameLookup lookup = {}) {
  Unification u;
  u.env.lookup = std::move(lookup);
  u.context = "program:\n" + testing::NumberedSource(*program.file) + "call " + fn + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    u.context += (i == 0 ? "" : ", ") + ir::FormatType(args[i]);
  }
  u.context += ")\n";
  u.ok = sema::UnifySignature(program.Fn(fn), args, u.env, &u.error);
  return u;
}

std::string VarsText(const ShapeEnv& env) {
  std::string text;
  for (const auto& [name, value] : env.vars) {
    text += (text.empty() ? "" : " ") + name + "=" + std::to_string(value);
  }
  return text.empty() ? "(none)" : text;
}

// The call unifies and binds exactly `vars` ("B=8 I=784 O=10", names in order).
void ExpectUnifies(const Unification& u, const std::string& vars, Where where = Where::current()) {
  if (!u.ok) {
    Fail(where, u.context + "expected: unifies with " + vars + "\nactual:   error \"" +
                    u.error.message + "\"");
  } else if (VarsText(u.env) != vars) {
    Fail(where, u.context + "expected shape variables: " + vars +
                    "\nactual shape variables:   " + VarsText(u.env));
  }
}

// The call fails, about parameter `param`, with `message` (exactly, or as a prefix).
void ExpectSignatureError(const Unification& u, int param, const std::string& message,
                          bool prefix_only = false, Where where = Where::current()) {
  const std::string& error = u.error.message;
  bool matches = prefix_only ? error.rfind(message, 0) == 0 : error == message;
  if (u.ok || !matches || u.error.param != param) {
    Fail(where, u.context + "expected: error about parameter " + std::to_string(param) + ": \"" +
                    message + (prefix_only ? "...\"" : "\"") + "\nactual:   " +
                    (u.ok ? "unifies with " + VarsText(u.env)
                          : "error about parameter " + std::to_string(u.error.param) + ": \"" +
                                error + "\""));
  }
}

void ExpectResolves(const ast::TypeExpr& declared, const ShapeEnv& env, const ir::Type& expected,
                    Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = sema::ResolveType(declared, env, &error);
  ExpectType("ResolveType(" + sema::FormatTypeExpr(declared) + ") with " + VarsText(env), type,
             error, expected, where);
}

void ExpectResolveError(const ast::TypeExpr& declared, const ShapeEnv& env,
                        const std::string& message, Where where = Where::current()) {
  std::string error;
  std::optional<ir::Type> type = sema::ResolveType(declared, env, &error);
  ExpectError("ResolveType(" + sema::FormatTypeExpr(declared) + ") with " + VarsText(env), type,
              error, message, false, where);
}

constexpr const char* kLinear = R"(
fn linear(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {
  return x @ w + b;
}
)";

// ------------------------------------------------------------ BinaryOpType: elementwise

// Equal shapes and dtypes: every arithmetic operator keeps the type.
TEST(BinaryOpTypeTest, EqualTypesKeepTheirType) {
  for (ast::BinaryOp op : {ast::BinaryOp::kAdd, ast::BinaryOp::kSub, ast::BinaryOp::kMul,
                           ast::BinaryOp::kDiv, ast::BinaryOp::kMod}) {
    ExpectBinary(op, Value(T(kF32, {8, 784})), Value(T(kF32, {8, 784})), T(kF32, {8, 784}));
  }
  ExpectBinary(ast::BinaryOp::kMul, Value(T(kI8, {3})), Value(T(kI8, {3})), T(kI8, {3}));
  ExpectBinary(ast::BinaryOp::kAdd, Value(T(kF16)), Value(T(kF16)), T(kF16));
}

// NumPy broadcasting: shapes align on the right; a 1 or a missing axis stretches.
TEST(BinaryOpTypeTest, ShapesBroadcastFromTheRight) {
  ExpectBinary(ast::BinaryOp::kAdd, Value(T(kF32, {8, 10})), Value(T(kF32, {10})),
               T(kF32, {8, 10}));
  ExpectBinary(ast::BinaryOp::kAdd, Value(T(kF32, {10})), Value(T(kF32, {8, 10})),
               T(kF32, {8, 10}));
  ExpectBinary(ast::BinaryOp::kMul, Value(T(kF32, {4, 1})), Value(T(kF32, {1, 3})),
               T(kF32, {4, 3}));
  ExpectBinary(ast::BinaryOp::kSub, Value(T(kF32, {2, 1, 5})), Value(T(kF32, {3, 1})),
               T(kF32, {2, 3, 5}));
  ExpectBinary(ast::BinaryOp::kDiv, Value(T(kF32)), Value(T(kF32, {2, 3})), T(kF32, {2, 3}));
  ExpectBinary(ast::BinaryOp::kAdd, Value(T(kF32, {1})), Value(T(kF32)), T(kF32, {1}));
}

// The message names the clashing dimension, counted in the result from 0.
TEST(BinaryOpTypeTest, BroadcastErrorNamesTheDimension) {
  ExpectBinaryError(ast::BinaryOp::kAdd, Value(T(kF32, {4, 3})), Value(T(kF32, {5})),
                    "f32[4, 3] + f32[5]: cannot broadcast, dimension 1 is 3 on the left and 5 on "
                    "the right");
  ExpectBinaryError(ast::BinaryOp::kMul, Value(T(kF32, {5})), Value(T(kF32, {2, 4, 3})),
                    "f32[5] * f32[2, 4, 3]: cannot broadcast, dimension 2 is 5 on the left and 3 "
                    "on the right");
  ExpectBinaryError(ast::BinaryOp::kLt, Value(T(kF32, {2, 4, 3})), Value(T(kF32, {5, 3})),
                    "f32[2, 4, 3] < f32[5, 3]: cannot broadcast, dimension 1 is 4 on the left and "
                    "5 on the right");
}

// No implicit conversion between tensors: f32 with i32 (or f16) needs a cast.
TEST(BinaryOpTypeTest, DifferentTensorDtypesNeedACast) {
  ExpectBinaryError(ast::BinaryOp::kAdd, Value(T(kF32, {4})), Value(T(kI32, {4})),
                    "f32[4] + i32[4]: dtypes f32 and i32 differ (use cast)");
  ExpectBinaryError(ast::BinaryOp::kMul, Value(T(kF16, {2, 2})), Value(T(kF32, {2, 2})),
                    "f16[2, 2] * f32[2, 2]: dtypes f16 and f32 differ (use cast)");
  // An i32 tensor of one element is still a tensor, not a scalar.
  ExpectBinaryError(ast::BinaryOp::kAdd, Value(T(kI32, {1})), Value(T(kF32, {4})),
                    "i32[1] + f32[4]: dtypes i32 and f32 differ (use cast)");
  // A computed f32 scalar does not adapt to f16 (only compile-time scalars do).
  ExpectBinaryError(ast::BinaryOp::kAdd, Value(T(kF16, {4})), Value(T(kF32)),
                    "f16[4] + f32: dtypes f16 and f32 differ (use cast)");
}

// `x / N`, `2 * x`, `x * i` for a loop variable i: any i32 scalar meets a
// float operand as that float type, on either side.
TEST(BinaryOpTypeTest, IntScalarConvertsToTheFloatOperand) {
  ExpectBinary(ast::BinaryOp::kDiv, Value(T(kF32, {8, 10})), Value(T(kI32)), T(kF32, {8, 10}));
  ExpectBinary(ast::BinaryOp::kMul, Value(T(kI32)), Value(T(kF16, {3})), T(kF16, {3}));
  ExpectBinary(ast::BinaryOp::kAdd, Constant(T(kI32)), Value(T(kF32, {2})), T(kF32, {2}));
  ExpectBinary(ast::BinaryOp::kSub, Value(T(kF32)), Value(T(kI32)), T(kF32));
  // But a computed i32 scalar does not turn into i8.
  ExpectBinaryError(ast::BinaryOp::kAdd, Value(T(kI8, {4})), Value(T(kI32)),
                    "i8[4] + i32: dtypes i8 and i32 differ (use cast)");
}

// A compile-time scalar adapts: `x + 1e-5` on an f16 tensor is f16, `q + 1`
// on an i8 tensor is i8. A float constant does not become an integer.
TEST(BinaryOpTypeTest, ConstantScalarAdaptsToTheOtherOperand) {
  ExpectBinary(ast::BinaryOp::kAdd, Value(T(kF16, {4})), Constant(T(kF32)), T(kF16, {4}));
  ExpectBinary(ast::BinaryOp::kMul, Constant(T(kF32)), Value(T(kF16, {2, 2})), T(kF16, {2, 2}));
  ExpectBinary(ast::BinaryOp::kAdd, Value(T(kI8, {4})), Constant(T(kI32)), T(kI8, {4}));
  ExpectBinary(ast::BinaryOp::kMul, Constant(T(kF32)), Constant(T(kI32)), T(kF32));
  ExpectBinary(ast::BinaryOp::kGt, Value(T(kF16, {4})), Constant(T(kF32)), T(kBool, {4}));
  ExpectBinaryError(ast::BinaryOp::kAdd, Value(T(kI32, {4})), Constant(T(kF32)),
                    "i32[4] + f32: dtypes i32 and f32 differ (use cast)");
}

// Arithmetic is for numbers: bool operands are an error, even with a constant.
TEST(BinaryOpTypeTest, ArithmeticOnBoolIsAnError) {
  ExpectBinaryRejected(ast::BinaryOp::kAdd, Value(T(kBool, {4})), Value(T(kBool, {4})),
                       "bool[4] + bool[4]: ");
  ExpectBinaryRejected(ast::BinaryOp::kMul, Value(T(kBool)), Value(T(kBool, {2})),
                       "bool * bool[2]: ");
  ExpectBinaryRejected(ast::BinaryOp::kSub, Value(T(kBool, {3})), Constant(T(kI32)),
                       "bool[3] - i32: ");
}

// Comparisons broadcast and give bool, whatever the (common) dtype of the operands.
TEST(BinaryOpTypeTest, ComparisonsGiveBool) {
  ExpectBinary(ast::BinaryOp::kLt, Value(T(kF32, {4, 3})), Value(T(kF32, {3})), T(kBool, {4, 3}));
  ExpectBinary(ast::BinaryOp::kEq, Value(T(kI32)), Value(T(kI32)), T(kBool));
  ExpectBinary(ast::BinaryOp::kNe, Value(T(kBool)), Value(T(kBool, {2})), T(kBool, {2}));
  ExpectBinary(ast::BinaryOp::kGe, Value(T(kF32, {4})), Constant(T(kI32)), T(kBool, {4}));
  ExpectBinaryError(ast::BinaryOp::kLe, Value(T(kF32, {4})), Value(T(kI32, {4})),
                    "f32[4] <= i32[4]: dtypes f32 and i32 differ (use cast)");
  // == and != compare bools; the ordering comparisons need numbers, as for constants.
  ExpectBinaryRejected(ast::BinaryOp::kLt, Value(T(kBool, {4})), Value(T(kBool, {4})),
                       "bool[4] < bool[4]: ");
}

// && and || take bools (and broadcast); anything else is an error.
TEST(BinaryOpTypeTest, LogicNeedsBoolOperands) {
  ExpectBinary(ast::BinaryOp::kAnd, Value(T(kBool, {4})), Value(T(kBool)), T(kBool, {4}));
  ExpectBinary(ast::BinaryOp::kOr, Value(T(kBool, {2, 1})), Value(T(kBool, {3})), T(kBool, {2, 3}));
  ExpectBinaryRejected(ast::BinaryOp::kOr, Value(T(kF32, {4})), Value(T(kBool, {4})),
                       "f32[4] || bool[4]: ");
  ExpectBinaryRejected(ast::BinaryOp::kAnd, Value(T(kI32)), Value(T(kI32)), "i32 && i32: ");
}

// ------------------------------------------------------------ BinaryOpType: matmul

// f32[M, K] @ f32[K, N] is f32[M, N].
TEST(BinaryOpTypeTest, MatmulOfMatrices) {
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {8, 784})), Value(T(kF32, {784, 128})),
               T(kF32, {8, 128}));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kI32, {1, 1})), Value(T(kI32, {1, 5})),
               T(kI32, {1, 5}));
}

TEST(BinaryOpTypeTest, MatmulInnerDimensionsMustAgree) {
  ExpectBinaryError(ast::BinaryOp::kMatMul, Value(T(kF32, {8, 784})), Value(T(kF32, {128, 10})),
                    "matmul f32[8, 784] @ f32[128, 10]: inner dimensions 784 and 128 differ");
  // The inner dimension of a rank-1 right operand is its only one.
  ExpectBinaryError(ast::BinaryOp::kMatMul, Value(T(kF32, {4, 3})), Value(T(kF32, {4})),
                    "matmul f32[4, 3] @ f32[4]: inner dimensions 3 and 4 differ");
}

// Leading axes are batch axes and broadcast as NumPy's matmul does.
TEST(BinaryOpTypeTest, MatmulBroadcastsBatchDimensions) {
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {6, 4, 3})), Value(T(kF32, {6, 3, 2})),
               T(kF32, {6, 4, 2}));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {2, 1, 4, 3})), Value(T(kF32, {5, 3, 6})),
               T(kF32, {2, 5, 4, 6}));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {7, 4, 3})), Value(T(kF32, {3, 2})),
               T(kF32, {7, 4, 2}));
  ExpectBinaryRejected(ast::BinaryOp::kMatMul, Value(T(kF32, {2, 4, 3})), Value(T(kF32, {5, 3, 6})),
                       "matmul f32[2, 4, 3] @ f32[5, 3, 6]: ");
}

// A rank-1 operand is a vector: a row on the left, a column on the right, and
// its unit dimension does not appear in the result.
TEST(BinaryOpTypeTest, MatmulTreatsRankOneOperandsAsVectors) {
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {3})), Value(T(kF32, {3, 5})), T(kF32, {5}));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {4, 3})), Value(T(kF32, {3})), T(kF32, {4}));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {3})), Value(T(kF32, {3})), T(kF32));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {2, 4, 3})), Value(T(kF32, {3})),
               T(kF32, {2, 4}));
  ExpectBinary(ast::BinaryOp::kMatMul, Value(T(kF32, {3})), Value(T(kF32, {2, 3, 5})),
               T(kF32, {2, 5}));
}

// Scalars cannot be multiplied with @, and both operands share one dtype
// (no i32-scalar conversion here: there are no scalars).
TEST(BinaryOpTypeTest, MatmulNeedsTensorsOfOneDtype) {
  ExpectBinaryError(ast::BinaryOp::kMatMul, Value(T(kF32, {4})), Value(T(kF32)),
                    "matmul needs tensors of rank 1 or more, found f32");
  ExpectBinaryError(ast::BinaryOp::kMatMul, Constant(T(kI32)), Value(T(kI32, {2, 2})),
                    "matmul needs tensors of rank 1 or more, found i32");
  ExpectBinaryRejected(ast::BinaryOp::kMatMul, Value(T(kF32, {2, 3})), Value(T(kF16, {3, 2})),
                       "matmul f32[2, 3] @ f16[3, 2]: ");
}

// ------------------------------------------------------------ ReduceType

TEST(ReduceTypeTest, ReducesTheGivenAxis) {
  Reduced r = Reduce("sum", T(kF32, {4, 3}), std::vector<int64_t>{1});
  ExpectType(r.call, r.type, r.error, T(kF32, {4}), Where::current());
  EXPECT_EQ(r.normalized, (std::vector<int64_t>{1})) << r.call;
  r = Reduce("max", T(kI32, {4, 3}), std::vector<int64_t>{0});
  ExpectType(r.call, r.type, r.error, T(kI32, {3}), Where::current());
}

// Negative axes count from the end; the normalized axes come back sorted.
TEST(ReduceTypeTest, NegativeAxesCountFromTheEnd) {
  Reduced r = Reduce("max", T(kF32, {2, 3, 4}), std::vector<int64_t>{-1, 0});
  ExpectType(r.call, r.type, r.error, T(kF32, {3}), Where::current());
  EXPECT_EQ(r.normalized, (std::vector<int64_t>{0, 2})) << r.call;
  r = Reduce("min", T(kF32, {2, 3, 4}), std::vector<int64_t>{-2});
  ExpectType(r.call, r.type, r.error, T(kF32, {2, 4}), Where::current());
  EXPECT_EQ(r.normalized, (std::vector<int64_t>{1})) << r.call;
}

// keepdims keeps each reduced axis with size 1, ready to broadcast back.
TEST(ReduceTypeTest, KeepdimsKeepsReducedAxesAsOne) {
  Reduced r = Reduce("mean", T(kF32, {2, 3, 4}), std::vector<int64_t>{2, 1}, true);
  ExpectType(r.call, r.type, r.error, T(kF32, {2, 1, 1}), Where::current());
  EXPECT_EQ(r.normalized, (std::vector<int64_t>{1, 2})) << r.call;
}

// Without axes every axis is reduced: a scalar, or all ones with keepdims.
TEST(ReduceTypeTest, AllAxesReduceToAScalar) {
  Reduced r = Reduce("sum", T(kF32, {2, 3}), std::nullopt);
  ExpectType(r.call, r.type, r.error, T(kF32), Where::current());
  EXPECT_EQ(r.normalized, (std::vector<int64_t>{0, 1})) << r.call;
  r = Reduce("prod", T(kI32, {2, 3, 5}), std::nullopt, true);
  ExpectType(r.call, r.type, r.error, T(kI32, {1, 1, 1}), Where::current());
}

// An axis outside -rank..rank-1 is an error, and so is naming one axis twice.
TEST(ReduceTypeTest, BadAxesAreErrors) {
  Reduced r = Reduce("sum", T(kF32, {4, 3}), std::vector<int64_t>{2});
  ExpectError(r.call, r.type, r.error, "sum of f32[4, 3]: axis 2 is out of range for rank 2", false,
              Where::current());
  r = Reduce("sum", T(kF32, {4, 3}), std::vector<int64_t>{-3});
  ExpectError(r.call, r.type, r.error, "sum of f32[4, 3]: ", true, Where::current());
  r = Reduce("max", T(kF32, {4, 3}), std::vector<int64_t>{1, -1});
  ExpectError(r.call, r.type, r.error, "max of f32[4, 3]: ", true, Where::current());
  r = Reduce("sum", T(kF32), std::vector<int64_t>{0});
  ExpectError(r.call, r.type, r.error, "sum of f32: axis 0 is out of range for rank 0", false,
              Where::current());
}

TEST(ReduceTypeTest, BoolTensorsCannotBeReduced) {
  Reduced r = Reduce("sum", T(kBool, {4}), std::nullopt);
  ExpectError(r.call, r.type, r.error, "sum of bool[4]: ", true, Where::current());
}

// ------------------------------------------------------------ ReshapeType

TEST(ReshapeTypeTest, KeepsTheElementsAndTheDtype) {
  std::string error;
  ExpectType("reshape f32[2, 16, 4, 4] to [2, 256]",
             sema::ReshapeType(T(kF32, {2, 16, 4, 4}), {2, 256}, &error), error, T(kF32, {2, 256}),
             Where::current());
  ExpectType("reshape i8[6] to [1, 2, 3]", sema::ReshapeType(T(kI8, {6}), {1, 2, 3}, &error), error,
             T(kI8, {1, 2, 3}), Where::current());
  ExpectType("reshape f32 to [1]", sema::ReshapeType(T(kF32), {1}, &error), error, T(kF32, {1}),
             Where::current());
}

TEST(ReshapeTypeTest, ElementCountsMustMatch) {
  std::string error;
  std::optional<ir::Type> type = sema::ReshapeType(T(kF32, {2, 16, 4, 4}), {2, 200}, &error);
  ExpectError("reshape f32[2, 16, 4, 4] to [2, 200]", type, error,
              "reshape f32[2, 16, 4, 4] to [2, 200]: 512 elements do not fit 400", false,
              Where::current());
}

// -2 * -2 is 4, but a dimension must be positive.
TEST(ReshapeTypeTest, DimensionsMustBePositive) {
  std::string error;
  std::optional<ir::Type> type = sema::ReshapeType(T(kF32, {4}), {-2, -2}, &error);
  ExpectError("reshape f32[4] to [-2, -2]", type, error, "reshape f32[4] to [-2, -2]: ", true,
              Where::current());
}

// ------------------------------------------------------------ SubscriptType

// wh[l] with wh: f32[L, H, H] is an f32[H, H] matrix; each subscript drops an axis.
TEST(SubscriptTypeTest, DropsOneLeadingAxisPerSubscript) {
  ExpectSubscript(T(kF32, {6, 4, 32}), 1, {std::nullopt}, T(kF32, {4, 32}));
  ExpectSubscript(T(kF32, {6, 4, 32}), 2, {}, T(kF32, {32}));
  ExpectSubscript(T(kI32, {6, 4, 32}), 3, {5, 3, 31}, T(kI32));
}

TEST(SubscriptTypeTest, MoreSubscriptsThanAxesIsAnError) {
  ExpectSubscriptError(T(kF32, {4}), 2, {std::nullopt, std::nullopt},
                       "subscript f32[4]: 2 subscripts for rank 1");
  ExpectSubscriptError(T(kF32, {2, 2}), 3, {}, "subscript f32[2, 2]: 3 subscripts for rank 2");
}

// A subscript known at compile time must satisfy 0 <= l < L for its axis.
TEST(SubscriptTypeTest, KnownSubscriptOutOfRangeIsAnError) {
  ExpectSubscriptError(T(kF32, {6, 4, 32}), 1, {7},
                       "subscript 7 is out of range for axis 0 of f32[6, 4, 32]");
  ExpectSubscriptError(T(kF32, {6, 4, 32}), 1, {6},
                       "subscript 6 is out of range for axis 0 of f32[6, 4, 32]");
  ExpectSubscriptError(T(kF32, {6, 4, 32}), 2, {std::nullopt, 4},
                       "subscript 4 is out of range for axis 1 of f32[6, 4, 32]");
  ExpectSubscriptError(T(kF32, {6, 4, 32}), 1, {-1},
                       "subscript -1 is out of range for axis 0 of f32[6, 4, 32]");
}

// ------------------------------------------------------------ UnifySignature

// linear(x, w, b) binds B, I and O from the arguments; the declared result resolves.
TEST(UnifySignatureTest, LinearBindsItsShapeVariables) {
  ParsedSource program = ParseSource(kLinear);
  Unification u = Unify(program, "linear", {T(kF32, {8, 784}), T(kF32, {784, 10}), T(kF32, {10})});
  ExpectUnifies(u, "B=8 I=784 O=10");
  EXPECT_EQ(u.env.origin["I"], "x: f32[8, 784]") << "where I got its value";
  EXPECT_EQ(u.env.origin["O"], "w: f32[784, 10]") << "where O got its value";
  ExpectResolves(program.Fn("linear").result, u.env, T(kF32, {8, 10}));
}

// The message names the parameter, both types, the variable and where it was bound.
TEST(UnifySignatureTest, MismatchNamesTheVariableAndItsOrigin) {
  ParsedSource program = ParseSource(kLinear);
  Unification u = Unify(program, "linear", {T(kF32, {8, 784}), T(kF32, {128, 10}), T(kF32, {10})});
  ExpectSignatureError(u, 1,
                       "argument 'w' of 'linear': f32[128, 10] does not match f32[I, O]: I is 784 "
                       "(from x: f32[8, 784]) but dimension 0 is 128");
  // Within one parameter too: the second N must equal the first.
  program = ParseSource("fn trace(x: f32[N, N]) -> f32 { return sum(x); }");
  u = Unify(program, "trace", {T(kF32, {3, 4})});
  ExpectSignatureError(u, 0,
                       "argument 'x' of 'trace': f32[3, 4] does not match f32[N, N]: N is 3 (from "
                       "x: f32[3, 4]) but dimension 1 is 4");
}

// Ranks and dtypes are checked too; the message starts the same way.
TEST(UnifySignatureTest, RankAndDtypeMismatchesAreErrors) {
  ParsedSource program = ParseSource(kLinear);
  Unification u =
      Unify(program, "linear", {T(kF32, {8, 784}), T(kF32, {784, 10}), T(kF32, {1, 10})});
  ExpectSignatureError(u, 2, "argument 'b' of 'linear': f32[1, 10] does not match f32[O]: ", true);
  u = Unify(program, "linear", {T(kI32, {8, 784}), T(kF32, {784, 10}), T(kF32, {10})});
  ExpectSignatureError(u, 0,
                       "argument 'x' of 'linear': i32[8, 784] does not match f32[B, I]: ", true);
  program = ParseSource("fn flat(x: f32[B, 784]) -> f32[B] { return sum(x, axis=1); }");
  u = Unify(program, "flat", {T(kF32, {8, 10})});
  ExpectSignatureError(u, 0,
                       "argument 'x' of 'flat': f32[8, 10] does not match f32[B, 784]: ", true);
}

// The conv result uses shape arithmetic: H - R + 1 with H = 32 and R = 5 is 28.
TEST(UnifySignatureTest, ConvResultUsesShapeArithmetic) {
  ParsedSource program = ParseSource(R"(
fn conv(x: f32[N, C, H, W], w: f32[K, C, R, S]) -> f32[N, K, H - R + 1, W - S + 1] {
  y[n, k, h, v] += x[n, c, h + r, v + s] * w[k, c, r, s];
  return y;
}
)");
  Unification u = Unify(program, "conv", {T(kF32, {2, 3, 32, 30}), T(kF32, {16, 3, 5, 3})});
  ExpectUnifies(u, "C=3 H=32 K=16 N=2 R=5 S=3 W=30");
  ExpectResolves(program.Fn("conv").result, u.env, T(kF32, {2, 16, 28, 28}));
  u = Unify(program, "conv", {T(kF32, {2, 3, 32, 30}), T(kF32, {16, 4, 5, 3})});
  ExpectSignatureError(u, 1,
                       "argument 'w' of 'conv': f32[16, 4, 5, 3] does not match f32[K, C, R, S]: "
                       "C is 3 (from x: f32[2, 3, 32, 30]) but dimension 1 is 4");
}

// A dimension with arithmetic binds nothing and is checked once its variables
// are known, even when it comes before the parameter that binds them.
TEST(UnifySignatureTest, ArithmeticDimensionsMayComeFirst) {
  ParsedSource program = ParseSource(R"(
fn shift(y: f32[2 * N + 1], x: f32[N]) -> f32[N] {
  return x;
}
)");
  ExpectUnifies(Unify(program, "shift", {T(kF32, {9}), T(kF32, {4})}), "N=4");
  Unification u = Unify(program, "shift", {T(kF32, {10}), T(kF32, {4})});
  ExpectSignatureError(u, 0,
                       "argument 'y' of 'shift': f32[10] does not match f32[2 * N + 1]: ", true);
  EXPECT_NE(u.error.message.find("9"), std::string::npos)
      << "the message should say what 2 * N + 1 is: " << u.error.message;
}

// A scalar parameter takes a scalar of exactly its dtype.
TEST(UnifySignatureTest, ScalarParametersTakeScalarsOfTheirDtype) {
  ParsedSource program = ParseSource(R"(
fn layernorm(x: f32[N], eps: f32) -> f32[N] {
  return x / sqrt(eps);
}
)");
  ExpectUnifies(Unify(program, "layernorm", {T(kF32, {4}), T(kF32)}), "N=4");
  ExpectSignatureError(Unify(program, "layernorm", {T(kF32, {4}), T(kF32, {4})}), 1,
                       "argument 'eps' of 'layernorm': expected f32, found f32[4]");
  ExpectSignatureError(Unify(program, "layernorm", {T(kF32, {4}), T(kI32)}), 1,
                       "argument 'eps' of 'layernorm': expected f32, found i32");
}

// NH is a module constant (env.lookup knows it): it is not a shape variable,
// and the argument's dimension must equal it.
TEST(UnifySignatureTest, KnownNamesMustEqualTheirValue) {
  ParsedSource program = ParseSource(R"(
const NH = 4;
fn heads(x: f32[T, NH, DH]) -> f32[T, NH * DH] {
  return reshape(x, [T, NH * DH]);
}
)");
  sema::NameLookup lookup = Knows({{"NH", ConstValue::Int(4)}});
  Unification u = Unify(program, "heads", {T(kF32, {5, 4, 16})}, lookup);
  ExpectUnifies(u, "DH=16 T=5");
  ExpectResolves(program.Fn("heads").result, u.env, T(kF32, {5, 64}));
  ExpectSignatureError(
      Unify(program, "heads", {T(kF32, {5, 3, 16})}, lookup), 0,
      "argument 'x' of 'heads': f32[5, 3, 16] does not match f32[T, NH, DH]: ", true);
}

// Errors from evaluating a dimension with arithmetic are the argument's errors.
TEST(UnifySignatureTest, DimensionErrorsNameTheArgument) {
  ParsedSource program = ParseSource(R"(
fn pool(x: f32[H], y: f32[H / S]) -> f32[H] {
  return x;
}
)");
  sema::NameLookup lookup = Knows({{"S", ConstValue::Int(0)}});
  ExpectSignatureError(Unify(program, "pool", {T(kF32, {8}), T(kF32, {4})}, lookup), 1,
                       "argument 'y' of 'pool': dimension 'H / S' divides by zero");
  ExpectSignatureError(Unify(program, "pool", {T(kF32, {8}), T(kF32, {4})}), 1,
                       "argument 'y' of 'pool': unknown shape variable 'S'");
}

// ------------------------------------------------------------ ResolveType and EvaluateDim

// Integer arithmetic rounds toward zero, as in C; unary minus works; pre-bound
// variables count.
TEST(UnifySignatureTest, ResolveTypeEvaluatesIntegerArithmetic) {
  ParsedSource program = ParseSource(R"(
fn dims(x: f32[N]) -> i8[N / 2, N % 3, -N + 10, (N - 1) * 2, N - (3 - 1), 7] {
  return x;
}
)");
  ShapeEnv env;
  env.vars = {{"N", 7}};
  ExpectResolves(program.Fn("dims").result, env, T(kI8, {3, 1, 3, 12, 5, 7}));
  ExpectResolves(program.Fn("dims").params[0].type, env, T(kF32, {7}));
}

// The errors EvaluateDim documents, in its words.
TEST(UnifySignatureTest, ResolveTypeReportsUnknownNamesNonIntegersAndDivisionByZero) {
  ParsedSource program = ParseSource(R"(
fn a(x: f32[N]) -> f32[Q] { return x; }
fn b(x: f32[H]) -> f32[H / S] { return x; }
fn c(x: f32[N]) -> f32[N, eps] { return x; }
)");
  ShapeEnv env;
  env.vars = {{"N", 4}, {"H", 8}};
  ExpectResolveError(program.Fn("a").result, env, "unknown shape variable 'Q'");
  env.lookup = Knows({{"S", ConstValue::Int(0)}, {"eps", ConstValue::Float(1e-5)}});
  ExpectResolveError(program.Fn("b").result, env, "dimension 'H / S' divides by zero");
  ExpectResolveError(program.Fn("c").result, env, "'eps' is not an integer");
  env.lookup = Knows({{"S", ConstValue::Int(2)}});
  ExpectResolves(program.Fn("b").result, env, T(kF32, {4}));
}

}  // namespace
}  // namespace tessel
