// lab02 hidden tests for task t1 (names, scopes and constants): programs and
// calls the public tests do not show. Positional arguments after keywords, the
// count in "too many arguments", loop variables and indices reusing an outer
// name, return paths through nested if chains, and the compile-time operators
// on the edges of their domains.
// The instructor's copy only: a student release leaves this folder out.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/sema/check_names.h"
#include "stages/sema/evaluate_constants.h"

namespace tessel {
namespace {

using sema::BoundArguments;
using sema::ConstValue;
using sema::ParamList;
using sema::SemaError;
using testing::DiagnosticsText;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using testing::Prelude;

// "3:10: error: undefined name 'y'".
std::vector<std::string> Summaries(const DiagnosticEngine& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.diagnostics()) {
    const char* severity = d.severity == Severity::kError ? "error" : "note";
    out.push_back(std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) +
                  ": " + severity + ": " + d.message);
  }
  return out;
}

void ExpectNameDiagnostics(const std::string& source, const std::vector<std::string>& expected) {
  ParsedSource parsed = ParseSource(source);
  DiagnosticEngine diags;
  const bool ok = sema::CheckNames(*parsed.file, *parsed.module, *Prelude().module, diags);
  const std::string report =
      "source:\n" + NumberedSource(*parsed.file) + "diagnostics:\n" + DiagnosticsText(diags);
  EXPECT_EQ(Summaries(diags), expected) << report;
  EXPECT_EQ(ok, expected.empty()) << "CheckNames's result\n" << report;
}

// The call in `return g(...);` of the one function `f`.
const ast::CallExpr& ReturnedCall(const ParsedSource& parsed) {
  const ast::Stmt& ret = *parsed.Fn("f").body->stmts.back();
  return ret.As<ast::ReturnStmt>().value->As<ast::CallExpr>();
}

const ParamList kReduceParams{{"x", "axis", "keepdims"}, 1};

// ------------------------------------------------------------ BindArguments

// Positional arguments take the parameters in order wherever they stand: a
// keyword before them does not shift them.
TEST(HiddenBindArgumentsTest, PositionalArgumentsAfterAKeywordStillBindInOrder) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(keepdims=true, x, 0); }");
  const ast::CallExpr& call = ReturnedCall(parsed);
  BoundArguments bound;
  SemaError error;
  ASSERT_TRUE(sema::BindArguments(call, kReduceParams, &bound, &error)) << error.message;
  std::vector<const ast::Expr*> expected = {call.args[1].value.get(), call.args[2].value.get(),
                                            call.args[0].value.get()};
  EXPECT_EQ(bound.by_param, expected);
}

// "found N" counts every argument of the call, keyword arguments included; the
// error points at the first positional argument that has no parameter.
TEST(HiddenBindArgumentsTest, TooManyArgumentsCountsKeywordArgumentsToo) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(x, 0, true, 7, axis=1); }");
  BoundArguments bound;
  SemaError error;
  EXPECT_FALSE(sema::BindArguments(ReturnedCall(parsed), kReduceParams, &bound, &error));
  EXPECT_EQ(error.message, "too many arguments to 'g': expected at most 3, found 5");
  EXPECT_EQ(error.range.begin.col, 47u);
}

// Two keywords for one parameter: the second is reported.
TEST(HiddenBindArgumentsTest, ARepeatedKeywordIsGivenTwice) {
  ParsedSource parsed =
      ParseSource("fn f(x: f32[N]) -> f32 { return g(x, axis=0, keepdims=true, axis=1); }");
  BoundArguments bound;
  SemaError error;
  EXPECT_FALSE(sema::BindArguments(ReturnedCall(parsed), kReduceParams, &bound, &error));
  EXPECT_EQ(error.message, "parameter 'axis' of 'g' is given twice");
  EXPECT_EQ(error.range.begin.col, 61u);
}

// ------------------------------------------------------------ CheckNames

// A loop variable and a comprehension index may not reuse the name of an
// enclosing loop's variable; after the inner loop, a sibling may use its name.
TEST(HiddenCheckNamesTest, InnerNamesMayNotReuseAnOuterLoopVariable) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N]) -> f32[N] {
  var h = x;
  for i in 0..2 {
    for i in 0..3 { h = h + 1.0; }
    y[i] = h[i];
    for j in 0..2 { h = h * 2.0; }
    for j in 0..2 { h = h - 1.0; }
  }
  return h;
})",
                        {
                            "4:9: error: redefinition of 'i'",
                            "3:7: note: previous definition is here",
                            "5:7: error: redefinition of 'i'",
                            "3:7: note: previous definition is here",
                        });
}

// Nested if chains return when every arm returns, at every level; a chain
// whose inner if has no else falls through; a return inside a for does not
// count, but the statement after the loop may return; inside a loop body, the
// statement after a chain that returns on every arm is unreachable.
TEST(HiddenCheckNamesTest, NestedIfChainsReturnOnlyWhenEveryArmDoes) {
  ExpectNameDiagnostics(R"(fn a(x: f32, k: i32) -> f32 {
  if k > 0 { if k > 1 { return x; } else { return -x; } } else if k < -5 { return 0.0; } else { return 1.0; }
}
fn b(x: f32, k: i32) -> f32 {
  if k > 0 { if k > 1 { return x; } } else { return 1.0; }
}
fn c(x: f32, k: i32) -> f32 {
  for i in 0..k { if k > 1 { return x; } else { return -x; } }
  return x + 1.0;
}
fn d(x: f32, k: i32) -> f32 {
  if k > 0 { return x; let z = x; } else { return -x; }
}
fn e(x: f32, k: i32) -> f32 {
  var y = x;
  for i in 0..k {
    if k > 1 { if i > 2 { return x; } else { return y; } } else { return -x; }
    y = y * 2.0;
  }
  return y;
})",
                        {
                            "4:4: error: function 'b' does not return a value on every path",
                            "12:24: error: unreachable statement after 'return'",
                            "18:5: error: unreachable statement: every branch of the 'if' above "
                            "returns",
                        });
}

// ------------------------------------------------------------ compile-time operators

// The one integer whose negation does not fit in 64 bits, and `<` on two bools.
TEST(HiddenConstantsTest, EdgesOfTheOperatorsAreErrors) {
  std::string error;
  const ConstValue smallest = ConstValue::Int(std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(sema::EvaluateUnary(ast::UnaryOp::kNeg, smallest, &error).has_value());
  EXPECT_EQ(error.rfind("integer overflow in ", 0), 0u) << error;
  EXPECT_FALSE(sema::EvaluateBinary(ast::BinaryOp::kLt, ConstValue::Bool(false),
                                    ConstValue::Bool(true), &error)
                   .has_value());
  EXPECT_EQ(error, "operator '<' needs numeric operands, found false and true");
  EXPECT_FALSE(
      sema::EvaluateBinary(ast::BinaryOp::kDiv, smallest, ConstValue::Int(-1), &error).has_value());
  EXPECT_EQ(error.rfind("integer overflow in ", 0), 0u) << error;
}

// The same, from constants: each error at its expression, the constants that
// use a broken one left out silently.
TEST(HiddenConstantsTest, OverflowAndBoolComparisonInConstants) {
  ParsedSource parsed = ParseSource(R"(const MIN = -9223372036854775807 - 1;
const NEG = -MIN;
const LESS = true < false;
const OK = MIN + 1 < 0 == true;
const USE = NEG + 1;
)");
  DiagnosticEngine diags;
  std::map<std::string, ConstValue> values =
      sema::EvaluateConstants(*parsed.file, *parsed.module, diags);
  const std::string report =
      "source:\n" + NumberedSource(*parsed.file) + "diagnostics:\n" + DiagnosticsText(diags);
  std::vector<std::string> summaries = Summaries(diags);
  ASSERT_EQ(summaries.size(), 2u) << report;
  EXPECT_EQ(summaries[0].rfind("2:13: error: integer overflow in ", 0), 0u) << report;
  EXPECT_EQ(summaries[1],
            "3:14: error: operator '<' needs numeric operands, found true and false in constant "
            "expression")
      << report;
  const std::map<std::string, ConstValue> expected = {
      {"MIN", ConstValue::Int(std::numeric_limits<int64_t>::min())},
      {"OK", ConstValue::Bool(true)}};
  EXPECT_EQ(values, expected) << report;
}

}  // namespace
}  // namespace tessel
