// lab01 hidden tests for the parser (tasks t3 to t6), one suite per task:
// expressions whose shape depends on associativity and on where an operand
// ends, statement forms and source ranges, comprehensions whose names collide
// with the contextual keywords, and recovery cases (skipped brace groups, the
// nesting limit's position, unclosed blocks at the end of the file). Each rule
// is stated in lab01_lexer_parser/README.md §4.3 to §4.6. A student release
// leaves this folder out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectedError;
using testing::ExpectErrors;
using testing::ExpectExprAst;
using testing::ExpectModuleAst;
using testing::ExpectParses;
using testing::ExpectStmtAst;
using testing::FindFn;
using testing::InFunction;

// Parses `text` with ParseExpression and expects exactly these errors and no tree.
void ExpectExprErrors(std::string text, const std::vector<ExpectedError>& errors,
                      testing::Where where = testing::Where::current()) {
  testing::ExprResult r = testing::ParseExprText(std::move(text));
  std::vector<const Diagnostic*> actual = testing::SortedErrors(r.diags);
  if (testing::ErrorsMatch(errors, actual) && r.expr == nullptr) return;
  std::string tree = r.expr ? ast::PrintExpr(*r.expr) : "(null)";
  testing::Fail(where, testing::SourceSection(r.file->text()) +
                           testing::CompareErrors(errors, actual) +
                           testing::Section("returned expression (expected null)", tree + "\n"));
}

// ---------------------------------------------------------------- t3: expressions

TEST(HiddenParseExprTest, ComparisonsAndMatmulChainToTheLeft) {
  ExpectExprAst("a < b < c", "(< (< a b) c)");
  ExpectExprAst("a == b != c == d", "(== (!= (== a b) c) d)");
  ExpectExprAst("a @ b @ c", "(@ (@ a b) c)");
  ExpectExprAst("x @ w * 2 / n % m", "(% (/ (* (@ x w) 2) n) m)");
}

TEST(HiddenParseExprTest, OperatorsOfEveryLevelMixed) {
  ExpectExprAst("a * b + c * d - e / f % g", "(- (+ (* a b) (* c d)) (% (/ e f) g))");
  ExpectExprAst("a + b < c && d - e >= f || !g", "(|| (&& (< (+ a b) c) (>= (- d e) f)) (! g))");
  ExpectExprAst("a || b && c || d", "(|| (|| a (&& b c)) d)");
  ExpectExprAst("a - b + c - d", "(- (+ (- a b) c) d)");
}

TEST(HiddenParseExprTest, PrefixOperatorsStackAndTakeWholePostfixChains) {
  ExpectExprAst("!-x[i][j]", "(! (- (index (index x i) j)))");
  ExpectExprAst("- - -x", "(- (- (- x)))");
  ExpectExprAst("-a @ -b", "(@ (- a) (- b))");
  ExpectExprAst("a--b", "(- a (- b))");
}

TEST(HiddenParseExprTest, ParenthesesLeaveNoNode) {
  ExpectExprAst("((a))", "a");
  ExpectExprAst("a - (b - (c - d))", "(- a (- b (- c d)))");
}

TEST(HiddenParseExprTest, KeywordArgumentsTakeWholeExpressions) {
  ExpectExprAst("f(x, axis=-1, keep=a == b)", "(call f x (kw axis (- 1)) (kw keep (== a b)))");
  ExpectExprAst("f(axis == 1, g(axis=2))", "(call f (== axis 1) (call g (kw axis 2)))");
}

TEST(HiddenParseExprTest, NestedListsCallsAndSubscripts) {
  ExpectExprAst("[[1, 2], [], f([x])]", "(list (list 1 2) (list) (call f (list x)))");
  ExpectExprAst("x[f(i)[0], [j][0]]", "(index x (index (call f i) 0) (index (list j) 0))");
}

TEST(HiddenParseExprTest, ParenthesizedOperandRangeCoversTheParentheses) {
  testing::ExprResult r = testing::ParseExprText("(a + b) * c");
  ASSERT_NE(r.expr, nullptr) << testing::DiagnosticsText(r.diags);
  const auto& product = r.expr->As<ast::BinaryExpr>();
  EXPECT_EQ(product.lhs->range.begin.col, 1u);
  EXPECT_EQ(product.lhs->range.end.col, 8u);
  EXPECT_EQ(r.expr->range.end.col, 12u);
}

TEST(HiddenParseExprTest, CallAndSubscriptRanges) {
  testing::ExprResult r = testing::ParseExprText("-f(x, y)[i]");
  ASSERT_NE(r.expr, nullptr) << testing::DiagnosticsText(r.diags);
  EXPECT_EQ(r.expr->range.begin.col, 1u);
  EXPECT_EQ(r.expr->range.end.col, 12u);
  const auto& index = r.expr->As<ast::UnaryExpr>().operand->As<ast::IndexExpr>();
  EXPECT_EQ(index.range.begin.col, 2u);
  EXPECT_EQ(index.base->range.begin.col, 2u);
  EXPECT_EQ(index.base->range.end.col, 9u);
}

TEST(HiddenParseExprTest, ErrorsInsideAnExpression) {
  ExpectExprErrors("a + * b", {{1, 5, "expected expression, found '*'"}});
  ExpectExprErrors("f(a, )", {{1, 6, "expected expression, found ')'"}});
  ExpectExprErrors("x[]", {{1, 3, "expected expression, found ']'"}});
  ExpectExprErrors("a b", {{1, 3, "expected end of file, found identifier 'b'"}});
  ExpectExprErrors("[1, 2,]", {{1, 7, "expected expression, found ']'"}});
  ExpectExprErrors("(a)(b)", {{1, 4, "expected end of file, found '('"}});
}

TEST(HiddenParseExprTest, MissingClosersPointAfterThePreviousLine) {
  // The token found is on a later line: the error goes right after `b`.
  ExpectExprErrors("(a + b\n", {{1, 7, "expected ')', found end of file"}});
  // Same line: at the token found.
  ExpectExprErrors("(a + b", {{1, 7, "expected ')', found end of file"}});
  ExpectExprErrors("f(a\n  b)", {{1, 4, "expected ')', found identifier 'b'"}});
}

// ---------------------------------------------------------------- t4: statements and items

TEST(HiddenParseStmtTest, ElseIfChainsOfAnyLength) {
  ExpectStmtAst("if a { x = 1; } else if b { x = 2; } else if c { x = 3; } else { x = 4; }",
                "(if a\n"
                "  (block\n"
                "    (assign x 1))\n"
                "  (if b\n"
                "    (block\n"
                "      (assign x 2))\n"
                "    (if c\n"
                "      (block\n"
                "        (assign x 3))\n"
                "      (block\n"
                "        (assign x 4)))))");
}

TEST(HiddenParseStmtTest, EveryTypeForm) {
  ExpectStmtAst(
      "let a: f32[] = 1.0;\nlet b: i8[N] = c;\nvar d: bool = true;\n"
      "let e: f16[B, H / 2, (W - 1) * 2] = g;",
      "(let a f32 1.0)\n(let b i8[N] c)\n(var d bool true)\n"
      "(let e f16[B, (/ H 2), (* (- W 1) 2)] g)");
}

TEST(HiddenParseStmtTest, ForBoundsStopAtTheRangeAndTheBrace) {
  ExpectStmtAst("for i in a - 1..b * 2 { for j in 0..i { s = s + j; } }",
                "(for i (- a 1) (* b 2)\n"
                "  (block\n"
                "    (for j 0 i\n"
                "      (block\n"
                "        (assign s (+ s j))))))");
  ExpectStmtAst("if x[0] < n { }", "(if (< (index x 0) n)\n  (block))");
}

TEST(HiddenParseStmtTest, NamesThatLookLikeKeywordsAreNames) {
  ExpectStmtAst("let max = min;\nmax = max + 1;\nreturn max;",
                "(let max min)\n(assign max (+ max 1))\n(return max)");
}

TEST(HiddenParseStmtTest, StatementRangesRunFromTheirFirstTokenToTheirLast) {
  testing::ModuleResult r = ExpectParses(InFunction("  let x = 1;\n  if c {\n    x = 2;\n  }"));
  const ast::FnItem* fn = FindFn(*r.module, "f");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  ASSERT_EQ(fn->body->stmts.size(), 2u);
  const ast::Stmt& let = *fn->body->stmts[0];
  EXPECT_EQ(let.range.begin.line, 2u);
  EXPECT_EQ(let.range.begin.col, 3u);
  EXPECT_EQ(let.range.end.col, 13u);  // just after the ';'
  const ast::Stmt& branch = *fn->body->stmts[1];
  EXPECT_EQ(branch.range.begin.line, 3u);
  EXPECT_EQ(branch.range.end.line, 5u);
  EXPECT_EQ(branch.range.end.col, 4u);  // just after the '}'
}

TEST(HiddenParseStmtTest, EmptyModulesAndItemsInAnyOrder) {
  ExpectModuleAst("", "(module)");
  ExpectModuleAst("  \n\n", "(module)");
  ExpectModuleAst("fn b(x: f32,) -> f32 { return x; }\nconst A = b(1.0);\nconst C = [A, 2];\n",
                  "(module\n"
                  "  (fn b ((x f32)) f32\n"
                  "    (block\n"
                  "      (return x)))\n"
                  "  (const A (call b 1.0))\n"
                  "  (const C (list A 2)))");
}

// ---------------------------------------------------------------- t5: comprehensions

TEST(HiddenParseComprehensionTest, TargetsAndIndicesNamedMaxOrMin) {
  ExpectStmtAst("max[i] max= x[i, j];", "(compute max [i] max= (index x i j))");
  ExpectStmtAst("min[max] min= max[max, min];", "(compute min [max] min= (index max max min))");
}

TEST(HiddenParseComprehensionTest, ReductionOperatorMayHaveASpaceBeforeTheEquals) {
  ExpectStmtAst("y[i] min = x[i, j];\nz[i] max\n  = x[i, j];",
                "(compute y [i] min= (index x i j))\n(compute z [i] max= (index x i j))");
}

TEST(HiddenParseComprehensionTest, WhereRangesAreFullExpressions) {
  ExpectStmtAst("y[n] += x[n, a, b] where a in 0..K - 1, b in n..2 * n + 1;",
                "(compute y [n] += (index x n a b) (where (a 0 (- K 1)) (b n (+ (* 2 n) 1))))");
}

TEST(HiddenParseComprehensionTest, ValueMayUseComparisonsCallsAndIndexVariables) {
  ExpectStmtAst("m[t, u] = select(u <= t && t < T, s[t, u], -1e9);",
                "(compute m [t u] = (call select (&& (<= u t) (< t T)) (index s t u) (- 1e+09)))");
}

// ---------------------------------------------------------------- t6: recovery

TEST(HiddenRecoveryTest, BraceGroupMetWhileSkippingIsSkippedWhole) {
  // The for header is broken; its body is skipped with it (the error inside
  // it is not reported), and its '}' does not close the function.
  testing::ModuleResult r =
      ExpectErrors(InFunction("  for i 0..3 { let a = ; }\n"
                              "  let b = ;\n"
                              "  return 1.0;"),
                   {{2, 9, "expected keyword 'in', found integer literal '0'"},
                    {3, 11, "expected expression, found ';'"}});
  const ast::FnItem* fn = FindFn(*r.module, "f");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  EXPECT_EQ(testing::PrintStmts(*fn->body), "(return 1.0)");
}

TEST(HiddenRecoveryTest, StrayElseSkipsItsBlock) {
  ExpectErrors(InFunction("  else { x = ; }\n  y = ;"),
               {{2, 3, "expected statement, found keyword 'else'"},
                {3, 7, "expected expression, found ';'"}});
}

TEST(HiddenRecoveryTest, FnInsideABodyEndsTheFunction) {
  testing::ModuleResult r =
      ExpectErrors("fn f() -> f32 {\n  let x = 1;\nfn g() -> f32 { return 2.0; }\n",
                   {{3, 1, "expected statement, found keyword 'fn'"}});
  EXPECT_EQ(testing::ItemNames(*r.module), (std::vector<std::string>{"g"}));
}

TEST(HiddenRecoveryTest, UnclosedBlocksAtTheEndOfTheFileGiveOneError) {
  ExpectErrors("fn f() -> f32 {\n  if c {\n    for i in 0..2 {\n      return 1.0;\n",
               {{4, 18, "expected '}', found end of file"}});
}

TEST(HiddenRecoveryTest, MissingSemicolonOnTheSameLineIsReportedAtTheNextToken) {
  ExpectErrors("fn f() -> f32 {\n  return x }\n", {{2, 12, "expected ';', found '}'"}});
  ExpectErrors(InFunction("  let a = 1 let b = 2;\n  return a"),
               {{2, 13, "expected ';', found keyword 'let'"}, {3, 11, "expected ';', found '}'"}});
}

// Where "nesting too deep" points: the token the parser was about to read when
// it opened the level past kMaxNesting (the function body is level 1, the
// returned expression level 2).
TEST(HiddenRecoveryTest, NestingTooDeepPointsAtTheFirstTokenPastTheLimit) {
  // Parentheses: level 2 + k inside the k-th '(', so the 255th '(' opens level
  // 257 and the error is at the token after it, the 256th '(' (column 9 + 256).
  ExpectErrors(InFunction("  return " + std::string(300, '(') + "x" + std::string(300, ')') + ";"),
               {{2, 265, "nesting too deep (limit 256)"}});
  // Unary operators: the 255th '-' opens level 257, at column 9 + 255.
  ExpectErrors(InFunction("  return " + std::string(300, '-') + "x;"),
               {{2, 264, "nesting too deep (limit 256)"}});
}

TEST(HiddenRecoveryTest, LongOperatorAndSubscriptChainsAreNestingTooDeep) {
  // Each '+' makes the tree one level deeper: the 255th '+' (column 4 * 255 + 8)
  // would open level 257. Recovery then goes on with the next function.
  std::string chain = "a";
  for (int i = 0; i < 300; ++i) chain += " + a";
  ExpectErrors(
      InFunction("  return " + chain + ";") + "fn g() -> f32 {\n  let y = ;\n}\n",
      {{2, 1028, "nesting too deep (limit 256)"}, {5, 11, "expected expression, found ';'"}});
  // Each subscript is a level too: the 254th holds level 256, and the index
  // inside it, the '0' at column 3 * 254 + 9, would open level 257.
  std::string subscripts = "x";
  for (int i = 0; i < 300; ++i) subscripts += "[0]";
  ExpectErrors(InFunction("  return " + subscripts + ";"),
               {{2, 771, "nesting too deep (limit 256)"}});
}

}  // namespace
}  // namespace tessel
