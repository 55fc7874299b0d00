// lab02 task t2 (shape inference and checking), end to end: whole Tessel
// programs go through the names check (t1) and the given type checker, which
// applies your shape rules at every operator and call. Ill-typed programs must
// be rejected at the right line and column with a message that names the
// shapes; well-typed ones must get the right types. No comprehensions here
// (their ranges are t3) and no lowering (t5).
#include <gtest/gtest.h>

#include <string>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/sema/check_names.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/typecheck.h"

namespace tessel {
namespace {

using testing::DiagnosticsText;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using testing::Prelude;

struct Checked {
  ParsedSource source;
  std::optional<sema::TypedProgram> program;
  std::string diagnostics;

  std::string Context() const {
    return "program:\n" + NumberedSource(*source.file) + "diagnostics:\n" + diagnostics;
  }
};

Checked TypeCheckSource(const std::string& text, sema::EntryRequest request = {}) {
  Checked checked;
  checked.source = ParseSource(text);
  DiagnosticEngine diags;
  auto constants = sema::EvaluateConstants(*checked.source.file, *checked.source.module, diags);
  bool names_ok =
      sema::CheckNames(*checked.source.file, *checked.source.module, *Prelude().module, diags);
  EXPECT_TRUE(names_ok && !diags.has_errors())
      << "the names check failed (t1), so this t2 test cannot run:\n"
      << DiagnosticsText(diags);
  if (names_ok && !diags.has_errors()) {
    checked.program =
        sema::TypeCheck(checked.source.source(), Prelude().source(), constants, request, diags);
  }
  checked.diagnostics = DiagnosticsText(diags);
  return checked;
}

// The program must be rejected with an error at `line:col` whose message
// contains every one of `parts`.
void ExpectError(const Checked& checked, const std::string& location,
                 const std::vector<std::string>& parts) {
  EXPECT_FALSE(checked.program) << "the program should be rejected\n" << checked.Context();
  const std::string where = "test.tsl:" + location + ": error: ";
  size_t at = checked.diagnostics.find(where);
  ASSERT_NE(at, std::string::npos) << "expected an error at " << location << "\n"
                                   << checked.Context();
  std::string line = checked.diagnostics.substr(at, checked.diagnostics.find('\n', at) - at);
  for (const std::string& part : parts) {
    EXPECT_NE(line.find(part), std::string::npos)
        << "the error should mention '" << part << "'\n  got: " << line << "\n"
        << checked.Context();
  }
}

// The type the checker gave the entry's returned expression.
std::string ReturnType(const Checked& checked) {
  const sema::Instance& entry = *checked.program->instances.front();
  for (const ast::StmtPtr& stmt : entry.fn->body->stmts) {
    if (stmt->kind == ast::StmtKind::kReturn) {
      return ir::FormatType(entry.exprs.at(stmt->As<ast::ReturnStmt>().value.get()).type);
    }
  }
  return "(no return)";
}

#define ASSERT_CHECKS(checked) \
  ASSERT_TRUE((checked).program) << "the program should type-check\n" << (checked).Context()

TEST(TypeCheckTest, MatmulMismatchNamesBothShapes) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[8, 784], w: f32[128, 10]) -> f32[8, 10] {
  return x @ w;
})");
  ExpectError(c, "2:10", {"matmul f32[8, 784] @ f32[128, 10]", "784", "128"});
}

TEST(TypeCheckTest, BroadcastMismatchNamesTheDimension) {
  Checked c = TypeCheckSource(R"(fn f(y: f32[4, 3], b: f32[5]) -> f32[4, 3] {
  let z = y + b;
  return z;
})");
  ExpectError(c, "2:11", {"f32[4, 3]", "f32[5]", "3", "5"});
}

TEST(TypeCheckTest, BroadcastingGivesTheWiderShape) {
  Checked c = TypeCheckSource(R"(fn f(y: f32[4, 1, 3], b: f32[2, 1]) -> f32[4, 2, 3] {
  return y * b;
})");
  ASSERT_CHECKS(c);
  EXPECT_EQ(ReturnType(c), "f32[4, 2, 3]") << c.Context();
}

TEST(TypeCheckTest, BatchedMatmulBroadcastsTheBatch) {
  Checked c = TypeCheckSource(R"(fn f(a: f32[2, 1, 4, 3], b: f32[5, 3, 6]) -> f32[2, 5, 4, 6] {
  return a @ b;
})");
  ASSERT_CHECKS(c);
  EXPECT_EQ(ReturnType(c), "f32[2, 5, 4, 6]") << c.Context();
}

TEST(TypeCheckTest, DeclaredResultIsChecked) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[B, I], w: f32[I, O]) -> f32[B, I] {
  return x @ w;
})",
                              testing::Request("f", {{"B", 2}, {"I", 3}, {"O", 4}}));
  ExpectError(c, "2:10", {"f32[B, I]", "f32[2, 3]", "f32[2, 4]"});
}

TEST(TypeCheckTest, ReshapeMustKeepTheElementCount) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[2, 16, 4, 4]) -> f32[2, 200] {
  return reshape(x, [2, 200]);
})");
  ExpectError(c, "2:10", {"reshape", "512", "400"});
}

TEST(TypeCheckTest, ReductionsDropOrKeepTheirAxes) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[2, 3, 4]) -> f32[2, 1, 4] {
  let s = sum(x, axis=[0, 2]);
  let m = mean(x, axis=-2, keepdims=true);
  return m + max(s);
})");
  ASSERT_CHECKS(c);
  const sema::Instance& entry = *c.program->instances.front();
  const auto& let_s = entry.fn->body->stmts[0]->As<ast::BindingStmt>();
  EXPECT_EQ(ir::FormatType(entry.exprs.at(let_s.init.get()).type), "f32[3]") << c.Context();
  EXPECT_EQ(ReturnType(c), "f32[2, 1, 4]") << c.Context();
}

TEST(TypeCheckTest, ReductionAxisOutOfRangeIsAnError) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[4, 3]) -> f32[4] {
  return sum(x, axis=2);
})");
  ExpectError(c, "2:10", {"f32[4, 3]", "axis 2"});
}

TEST(TypeCheckTest, ScalarSubscriptsSliceLeadingAxes) {
  Checked c = TypeCheckSource(
      R"(fn f(wh: f32[L, H, H], bh: f32[L, H], l: i32) -> f32[H] {
  return bh[l] + wh[l][0];
})",
      testing::Request("f", {{"L", 3}, {"H", 5}}, {{"l", sema::ConstValue::Int(2)}}));
  ASSERT_CHECKS(c);
  EXPECT_EQ(ReturnType(c), "f32[5]") << c.Context();
}

TEST(TypeCheckTest, ConstantSubscriptOutOfRangeIsAnError) {
  Checked c = TypeCheckSource(R"(fn f(w: f32[6, 4]) -> f32[4] {
  return w[7];
})");
  ExpectError(c, "2:10", {"7", "f32[6, 4]"});
}

TEST(TypeCheckTest, CallUnifiesShapeVariablesAcrossParameters) {
  Checked c = TypeCheckSource(R"(fn lin(x: f32[B, I], w: f32[I, O]) -> f32[B, O] {
  return x @ w;
}
fn f(x: f32[8, 784], w: f32[128, 10]) -> f32[8, 10] {
  return lin(x, w);
})");
  ExpectError(c, "5:10", {"'w'", "'lin'", "f32[128, 10]", "784"});
}

// The callee's result type `H - R + 1` is evaluated with the caller's shapes.
TEST(TypeCheckTest, ShapeArithmeticInTheCalleeResult) {
  const std::string callee = R"(fn crop(x: f32[H, W], k: f32[R, S]) -> f32[H - R + 1, W - S + 1] {
  let rows = slice(x, axis=0, start=0, end=H - R + 1);
  return slice(rows, axis=1, start=0, end=W - S + 1);
}
)";
  Checked good = TypeCheckSource(callee + R"(fn f(x: f32[6, 5], k: f32[3, 2]) -> f32[4, 4] {
  return crop(x, k);
})");
  ASSERT_CHECKS(good);
  Checked bad = TypeCheckSource(callee + R"(fn f(x: f32[6, 5], k: f32[3, 2]) -> f32[4, 3] {
  return crop(x, k);
})");
  ExpectError(bad, "6:10", {"f32[4, 3]", "f32[4, 4]"});
}

TEST(TypeCheckTest, PreludeCallPicksTheDefinitionOfTheRightRank) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[2, 3, 4]) -> f32[2, 3, 4] {
  return softmax(x, axis=1) + gelu(x);
})");
  ASSERT_CHECKS(c);
  EXPECT_EQ(ReturnType(c), "f32[2, 3, 4]") << c.Context();
}

// Scalar arguments known at compile time are specialized and may size the result.
TEST(TypeCheckTest, ShapeArithmeticUsesSpecializedScalars) {
  Checked c = TypeCheckSource(
      R"(fn window(x: f32[H], size: i32, stride: i32) -> f32[(H - size) / stride + 1] {
  return slice(x, axis=0, start=0, end=(H - size) / stride + 1);
}
fn f(x: f32[9]) -> f32[4] {
  return window(x, size=3, stride=2);
})");
  ASSERT_CHECKS(c);  // (9 - 3) / 2 + 1 = 4
  ASSERT_EQ(c.program->instances.size(), 2u) << c.Context();
  const sema::Instance& window = *c.program->instances[1];
  EXPECT_EQ(window.specialized.size(), 2u) << "size and stride are constants in the instance\n"
                                           << c.Context();
  EXPECT_EQ(ir::FormatType(window.result), "f32[4]") << c.Context();
}

TEST(TypeCheckTest, ConditionMustBeABoolScalar) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[2], n: i32) -> f32[2] {
  var y = x;
  if n {
    y = -x;
  }
  return y;
})",
                              testing::Request("f", {}, {{"n", sema::ConstValue::Int(1)}}));
  ExpectError(c, "3:6", {"bool", "i32"});
}

TEST(TypeCheckTest, AVarKeepsItsType) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[2, 3], w: f32[3, 3]) -> f32[2, 3] {
  var h = x;
  h = sum(x, axis=1);
  return h;
})");
  ExpectError(c, "3:7", {"'h'", "f32[2, 3]", "f32[2]"});
}

TEST(TypeCheckTest, IntegerScalarsConvertForFloatTensors) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[N]) -> f32[N] {
  return x / N + 2 * x;
})",
                              testing::Request("f", {{"N", 4}}));
  ASSERT_CHECKS(c);
  EXPECT_EQ(ReturnType(c), "f32[4]") << c.Context();
}

TEST(TypeCheckTest, TensorsOfDifferentDtypesNeedACast) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[4], k: i32[4]) -> f32[4] {
  return x + k;
})");
  ExpectError(c, "2:10", {"f32[4]", "i32[4]", "cast"});
}

TEST(TypeCheckTest, MissingShapeBindingIsReportedAtTheParameter) {
  Checked c = TypeCheckSource(R"(fn f(x: f32[B, 4]) -> f32[B, 4] {
  return x;
})");
  ExpectError(c, "1:9", {"'B'", "--shape"});
}

}  // namespace
}  // namespace tessel
