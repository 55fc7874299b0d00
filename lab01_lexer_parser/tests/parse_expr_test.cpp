// lab01 task t3 (expressions and precedence): ParseExpression on valid
// expressions. The printed S-expression shows the tree's shape, so each test
// checks precedence, associativity, unary and postfix operators, calls with
// keyword arguments and list literals.
#include <gtest/gtest.h>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectExprAst;

TEST(ParseExprTest, IntegerLiteral) { ExpectExprAst("42", "42"); }

TEST(ParseExprTest, FloatLiteralsPrintAsFloats) {
  ExpectExprAst("1.5", "1.5");
  ExpectExprAst("1e3", "1000.0");
  ExpectExprAst("2.5e-3", "0.0025");
}

TEST(ParseExprTest, BoolLiteralsAndNames) {
  ExpectExprAst("true", "true");
  ExpectExprAst("false", "false");
  ExpectExprAst("max", "max");
}

TEST(ParseExprTest, MultiplicationBindsTighterThanAddition) {
  ExpectExprAst("1 + 2 * 3", "(+ 1 (* 2 3))");
  ExpectExprAst("1 * 2 + 3", "(+ (* 1 2) 3)");
}

TEST(ParseExprTest, SubtractionIsLeftAssociative) { ExpectExprAst("a - b - c", "(- (- a b) c)"); }

TEST(ParseExprTest, DivisionAndModuloAreLeftAssociative) {
  ExpectExprAst("a / b % c * d", "(* (% (/ a b) c) d)");
}

TEST(ParseExprTest, MatmulHasMultiplicativePrecedence) {
  ExpectExprAst("x @ w + b", "(+ (@ x w) b)");
  ExpectExprAst("a @ b * c", "(* (@ a b) c)");
  ExpectExprAst("a + b @ c", "(+ a (@ b c))");
}

TEST(ParseExprTest, ParenthesesOverridePrecedence) {
  ExpectExprAst("(1 + 2) * 3", "(* (+ 1 2) 3)");
  ExpectExprAst("a - (b - c)", "(- a (- b c))");
}

TEST(ParseExprTest, DeeplyParenthesizedExpressionWithinTheLimit) {
  std::string deep(100, '(');  // built in steps: GCC 12 warns wrongly about the one-line form
  deep += 'x';
  deep.append(100, ')');
  ExpectExprAst(deep, "x");
}

TEST(ParseExprTest, UnaryMinusAndNot) {
  ExpectExprAst("-x", "(- x)");
  ExpectExprAst("!done", "(! done)");
  ExpectExprAst("- -x", "(- (- x))");
  ExpectExprAst("-(a + b)", "(- (+ a b))");
}

TEST(ParseExprTest, UnaryBindsTighterThanBinary) {
  ExpectExprAst("-a * b", "(* (- a) b)");
  ExpectExprAst("a - -1", "(- a (- 1))");
  ExpectExprAst("!a && b", "(&& (! a) b)");
}

TEST(ParseExprTest, PostfixBindsTighterThanUnary) {
  ExpectExprAst("-x[i]", "(- (index x i))");
  ExpectExprAst("-f(x)", "(- (call f x))");
}

TEST(ParseExprTest, ComparisonsBindLooserThanArithmetic) {
  ExpectExprAst("a + 1 < b * 2", "(< (+ a 1) (* b 2))");
  ExpectExprAst("a < b == c >= d", "(== (< a b) (>= c d))");
  ExpectExprAst("a == b != c", "(!= (== a b) c)");
  ExpectExprAst("i <= j", "(<= i j)");
  ExpectExprAst("u > t", "(> u t)");
}

TEST(ParseExprTest, AndBindsTighterThanOr) {
  ExpectExprAst("a || b && c", "(|| a (&& b c))");
  ExpectExprAst("a && b || c && d", "(|| (&& a b) (&& c d))");
  ExpectExprAst("a || b || c", "(|| (|| a b) c)");
}

TEST(ParseExprTest, EveryPrecedenceLevelInOneExpression) {
  ExpectExprAst("a || b && c == d < e + f * -g", "(|| a (&& b (== c (< d (+ e (* f (- g)))))))");
  ExpectExprAst("-g * f + e < d == c && b || a", "(|| (&& (== (< (+ (* (- g) f) e) d) c) b) a)");
}

TEST(ParseExprTest, SubscriptWithSeveralIndices) {
  ExpectExprAst("x[i, j]", "(index x i j)");
  ExpectExprAst("x[n, c, 2*h + i, v]", "(index x n c (+ (* 2 h) i) v)");
}

TEST(ParseExprTest, ChainedSubscriptsNest) {
  ExpectExprAst("x[i][j]", "(index (index x i) j)");
  ExpectExprAst("(a + b)[0]", "(index (+ a b) 0)");
}

TEST(ParseExprTest, CallWithPositionalArguments) {
  ExpectExprAst("relu(x)", "(call relu x)");
  ExpectExprAst("zeros()", "(call zeros)");
  ExpectExprAst("f(g(x), y + 1)", "(call f (call g x) (+ y 1))");
}

TEST(ParseExprTest, CallWithKeywordArguments) {
  ExpectExprAst("softmax(h @ wo + bo, axis=1)", "(call softmax (+ (@ h wo) bo) (kw axis 1))");
  ExpectExprAst("conv2d(x, w, stride=2, padding=1)",
                "(call conv2d x w (kw stride 2) (kw padding 1))");
}

TEST(ParseExprTest, KeywordArgumentIsNotAComparison) {
  ExpectExprAst("f(a == b, eps=1e-5)", "(call f (== a b) (kw eps 1e-05))");
}

TEST(ParseExprTest, MaxAndMinAreOrdinaryCallees) {
  ExpectExprAst("max(a, min(b, c))", "(call max a (call min b c))");
}

TEST(ParseExprTest, SubscriptOfACallResult) { ExpectExprAst("f(a)[0]", "(index (call f a) 0)"); }

TEST(ParseExprTest, ListLiterals) {
  ExpectExprAst("[1, 2]", "(list 1 2)");
  ExpectExprAst("[]", "(list)");
  ExpectExprAst("reshape(x, [B, H * W])", "(call reshape x (list B (* H W)))");
}

TEST(ParseExprTest, ShapeArithmetic) {
  ExpectExprAst("H - R + 1", "(+ (- H R) 1)");
  ExpectExprAst("(H - R + 1) / 2", "(/ (+ (- H R) 1) 2)");
}

TEST(ParseExprTest, ExpressionMaySpanLines) { ExpectExprAst("a +\n  b *\n  c", "(+ a (* b c))"); }

TEST(ParseExprTest, SelectWithComparisonAndNegativeFloat) {
  ExpectExprAst("select(u > t, -1e9, scores[t, u])",
                "(call select (> u t) (- 1e+09) (index scores t u))");
}

TEST(ParseExprTest, RangesCoverTheirText) {
  testing::ExprResult r = testing::ParseExprText("a + b * c");
  ASSERT_NE(r.expr, nullptr) << testing::DiagnosticsText(r.diags);
  EXPECT_EQ(r.expr->range.begin.col, 1u);
  EXPECT_EQ(r.expr->range.end.col, 10u);
  const auto& sum = r.expr->As<ast::BinaryExpr>();
  EXPECT_EQ(sum.rhs->range.begin.col, 5u);
  EXPECT_EQ(sum.rhs->range.end.col, 10u);
}

}  // namespace
}  // namespace tessel
