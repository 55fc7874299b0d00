// lab02 hidden tests for task t2 (shape inference and checking): shapes the
// public tests do not show. Broadcasting across ranks 2 to 4, matmul of a
// vector with a batch, element counts beyond 32 bits, shape variables that
// chain through three parameters, arithmetic dimensions whose variables come
// from a later parameter, and a call with keyword arguments in another order
// than the parameters.
// The instructor's copy only: a student release leaves this folder out.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/sema/check_names.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/infer_shapes.h"
#include "stages/sema/typecheck.h"

namespace tessel {
namespace {

using sema::Operand;
using testing::DiagnosticsText;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using testing::Prelude;

constexpr DType kF32 = DType::kF32;

ir::Type T(DType dtype, Shape shape = {}) { return ir::Type{dtype, std::move(shape)}; }
Operand Value(ir::Type type) { return Operand{std::move(type), false}; }

// "type f32[2, 4]" or "error \"...\"".
std::string Outcome(const std::optional<ir::Type>& type, const std::string& error) {
  return type ? "type " + ir::FormatType(*type) : "error \"" + error + "\"";
}

std::string Binary(ast::BinaryOp op, const ir::Type& a, const ir::Type& b) {
  std::string error;
  return Outcome(sema::BinaryOpType(op, Value(a), Value(b), &error), error);
}

// ------------------------------------------------------------ operators

// Shapes align on the right: f32[1, 4, 1] + f32[3, 1, 1, 5] is f32[3, 1, 4, 5];
// in f32[2, 3] * f32[4, 2, 4] the clash is at dimension 2 of the result.
TEST(HiddenBinaryOpTypeTest, BroadcastingAcrossRanksTwoToFour) {
  EXPECT_EQ(Binary(ast::BinaryOp::kAdd, T(kF32, {1, 4, 1}), T(kF32, {3, 1, 1, 5})),
            "type f32[3, 1, 4, 5]");
  EXPECT_EQ(Binary(ast::BinaryOp::kMul, T(kF32, {2, 3}), T(kF32, {4, 2, 4})),
            "error \"f32[2, 3] * f32[4, 2, 4]: cannot broadcast, dimension 2 is 3 on the left and "
            "4 on the right\"");
  EXPECT_EQ(Binary(ast::BinaryOp::kGe, T(kF32, {5, 1}), T(kF32, {1, 1, 6})), "type bool[1, 5, 6]");
}

// A vector on the left of a batch of matrices, a batch of matrices times a
// vector, and batches of different ranks.
TEST(HiddenBinaryOpTypeTest, MatmulOfVectorsAndBatches) {
  EXPECT_EQ(Binary(ast::BinaryOp::kMatMul, T(kF32, {3}), T(kF32, {2, 3, 4})), "type f32[2, 4]");
  EXPECT_EQ(Binary(ast::BinaryOp::kMatMul, T(kF32, {2, 4, 3}), T(kF32, {3})), "type f32[2, 4]");
  EXPECT_EQ(Binary(ast::BinaryOp::kMatMul, T(kF32, {5, 1, 2, 3}), T(kF32, {4, 3, 6})),
            "type f32[5, 4, 2, 6]");
  EXPECT_EQ(Binary(ast::BinaryOp::kMatMul, T(kF32, {3}), T(kF32, {2, 4, 5}))
                .rfind("error \"matmul f32[3] @ f32[2, 4, 5]: ", 0),
            0u);
}

// ------------------------------------------------------------ reshape

// 65536 * 65536 elements is 2^32: the counts must be computed in 64 bits.
TEST(HiddenReshapeTypeTest, ElementCountsBeyondThirtyTwoBits) {
  std::string error;
  std::optional<ir::Type> type = sema::ReshapeType(T(kF32, {65536, 65536}), {4294967296}, &error);
  EXPECT_EQ(Outcome(type, error), "type f32[4294967296]");
  type = sema::ReshapeType(T(kF32, {65536, 65536}), {131072, 65536}, &error);
  EXPECT_EQ(Outcome(type, error),
            "error \"reshape f32[65536, 65536] to [131072, 65536]: 4294967296 elements do not fit "
            "8589934592\"");
}

// ------------------------------------------------------------ signatures

struct Unified {
  bool ok = false;
  sema::ShapeEnv env;
  sema::SignatureError error;
};

Unified Unify(const ParsedSource& program, const std::string& fn,
              const std::vector<ir::Type>& args) {
  Unified u;
  u.ok = sema::UnifySignature(program.Fn(fn), args, u.env, &u.error);
  return u;
}

// N, M and K each appear in two parameters; the third parameter closes the
// cycle, and its mismatch names the variable bound by the first.
TEST(HiddenUnifySignatureTest, ShapeVariablesChainThroughThreeParameters) {
  ParsedSource program = ParseSource(R"(fn tri(a: f32[N, M], b: f32[M, K], c: f32[K, N]) -> f32[N] {
  return sum(a, axis=1);
})");
  Unified u = Unify(program, "tri", {T(kF32, {4, 3}), T(kF32, {3, 2}), T(kF32, {2, 4})});
  ASSERT_TRUE(u.ok) << u.error.message;
  EXPECT_EQ(u.env.vars, (std::map<std::string, int64_t>{{"K", 2}, {"M", 3}, {"N", 4}}));
  EXPECT_EQ(u.env.origin["K"], "b: f32[3, 2]");
  u = Unify(program, "tri", {T(kF32, {4, 3}), T(kF32, {3, 2}), T(kF32, {2, 5})});
  EXPECT_FALSE(u.ok);
  EXPECT_EQ(u.error.param, 2);
  EXPECT_EQ(u.error.message,
            "argument 'c' of 'tri': f32[2, 5] does not match f32[K, N]: N is 4 (from a: f32[4, "
            "3]) but dimension 1 is 5");
}

// A * B + 1 is checked only once A and B are bound, by the parameter after it.
TEST(HiddenUnifySignatureTest, ArithmeticDimensionBeforeTheParameterThatBindsIt) {
  ParsedSource program = ParseSource(R"(fn f(y: f32[A * B + 1], x: f32[A, B]) -> f32[A] {
  return sum(x, axis=1);
})");
  Unified u = Unify(program, "f", {T(kF32, {13}), T(kF32, {3, 4})});
  ASSERT_TRUE(u.ok) << u.error.message;
  u = Unify(program, "f", {T(kF32, {12}), T(kF32, {3, 4})});
  EXPECT_FALSE(u.ok);
  EXPECT_EQ(u.error.param, 0);
  EXPECT_EQ(u.error.message.rfind("argument 'y' of 'f': f32[12] does not match f32[A * B + 1]", 0),
            0u)
      << u.error.message;
}

// ------------------------------------------------------------ whole programs

// Keyword arguments reach their parameters, and unification follows the
// parameters' order: I is bound by x, the first parameter, although x is the
// last argument of the call.
TEST(HiddenTypeCheckTest, KeywordArgumentsUnifyInParameterOrder) {
  ParsedSource source = ParseSource(R"(fn lin(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {
  return x @ w + b;
}
fn f(x: f32[8, 784], w: f32[128, 10], b: f32[10]) -> f32[8, 10] {
  return lin(b=b, w=w, x=x);
})");
  DiagnosticEngine diags;
  auto constants = sema::EvaluateConstants(*source.file, *source.module, diags);
  ASSERT_TRUE(sema::CheckNames(*source.file, *source.module, *Prelude().module, diags))
      << DiagnosticsText(diags);
  sema::EntryRequest request;
  request.entry = "f";
  std::optional<sema::TypedProgram> program =
      sema::TypeCheck(source.source(), Prelude().source(), constants, request, diags);
  const std::string report =
      "program:\n" + NumberedSource(*source.file) + "diagnostics:\n" + DiagnosticsText(diags);
  EXPECT_FALSE(program) << report;
  EXPECT_NE(DiagnosticsText(diags).find(
                "test.tsl:5:10: error: argument 'w' of 'lin': f32[128, 10] does not match f32[I, "
                "O]: I is 784 (from x: f32[8, 784]) but dimension 0 is 128"),
            std::string::npos)
      << report;
}

}  // namespace
}  // namespace tessel
