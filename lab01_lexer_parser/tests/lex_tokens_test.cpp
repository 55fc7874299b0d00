// lab01 task t1 (tokens and literals): the lexer on valid input without
// comments. Identifiers and keywords, every operator by maximal munch, integer
// and float literals with their values, and token positions.
#include <gtest/gtest.h>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectKinds;
using testing::ExpectTokens;
using testing::LexText;

TEST(LexTokensTest, SingleIdentifierThenEof) { ExpectTokens("x", {"1:1 Ident 'x'", "1:2 Eof"}); }

TEST(LexTokensTest, IdentifiersUseLettersDigitsAndUnderscores) {
  ExpectTokens("_a a_1 B9 _ snake_case_2",
               {"1:1 Ident '_a'", "1:4 Ident 'a_1'", "1:8 Ident 'B9'", "1:11 Ident '_'",
                "1:13 Ident 'snake_case_2'", "1:25 Eof"});
}

TEST(LexTokensTest, EveryKeyword) {
  ExpectKinds("fn let var const if else for in return where true false f32 f16 i32 i8 bool",
              "Fn Let Var Const If Else For In Return Where True False F32 F16 I32 I8 Bool");
}

TEST(LexTokensTest, MaxAndMinAreIdentifiers) {
  ExpectTokens("max min", {"1:1 Ident 'max'", "1:5 Ident 'min'", "1:8 Eof"});
}

TEST(LexTokensTest, KeywordPrefixesAndCaseVariantsAreIdentifiers) {
  ExpectKinds("fnx letter f32x iff Fn RETURN f64 i16 in_",
              "Ident Ident Ident Ident Ident Ident Ident Ident Ident");
}

TEST(LexTokensTest, EverySingleCharacterPunctuation) {
  ExpectKinds("( ) [ ] { } , ; : + - * / % @ ! = < >",
              "LParen RParen LBracket RBracket LBrace RBrace Comma Semicolon Colon Plus Minus "
              "Star Slash Percent At Bang Assign Lt Gt");
}

TEST(LexTokensTest, EveryTwoCharacterOperator) {
  ExpectKinds("-> .. += *= == != <= >= && ||",
              "Arrow DotDot PlusAssign StarAssign Eq Ne Le Ge AndAnd OrOr");
}

TEST(LexTokensTest, MaximalMunchWithoutSpaces) {
  ExpectTokens("a+=b==c", {"1:1 Ident 'a'", "1:2 PlusAssign '+='", "1:4 Ident 'b'", "1:5 Eq '=='",
                           "1:7 Ident 'c'", "1:8 Eof"});
}

TEST(LexTokensTest, OperatorsSplitWhereTheLongestMatchEnds) {
  ExpectKinds("a=-b", "Ident Assign Minus Ident");
  ExpectKinds("x<=-1", "Ident Le Minus Int");
  ExpectKinds("a===b", "Ident Eq Assign Ident");
  ExpectKinds("f()->g", "Ident LParen RParen Arrow Ident");
  ExpectKinds("!!a", "Bang Bang Ident");
  ExpectKinds("a- >b", "Ident Minus Gt Ident");
}

TEST(LexTokensTest, SeparatedCharactersAreSeparateTokens) {
  ExpectKinds("+ = * = = = - > < =", "Plus Assign Star Assign Assign Assign Minus Gt Lt Assign");
}

TEST(LexTokensTest, IntegerValues) {
  testing::LexResult r = LexText("0 42 007 9223372036854775807");
  ASSERT_EQ(r.tokens.size(), 5u) << FormatTokens(r.tokens);
  EXPECT_FALSE(r.diags.has_errors()) << testing::DiagnosticsText(r.diags);
  const int64_t values[] = {0, 42, 7, 9223372036854775807};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(r.tokens[i].kind, TokenKind::kInt) << r.tokens[i].text;
    EXPECT_EQ(r.tokens[i].int_value, values[i]) << r.tokens[i].text;
  }
}

TEST(LexTokensTest, FloatFormsAndValues) {
  testing::LexResult r = LexText("1.5 0.25 1e3 2E-3 3.0e+2 6.25e-1");
  ASSERT_EQ(r.tokens.size(), 7u) << FormatTokens(r.tokens);
  EXPECT_FALSE(r.diags.has_errors()) << testing::DiagnosticsText(r.diags);
  const double values[] = {1.5, 0.25, 1000.0, 0.002, 300.0, 0.625};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(r.tokens[i].kind, TokenKind::kFloat) << r.tokens[i].text;
    EXPECT_DOUBLE_EQ(r.tokens[i].float_value, values[i]) << r.tokens[i].text;
  }
}

TEST(LexTokensTest, FloatTokenTextIsExact) {
  ExpectTokens("2.50 1E+06", {"1:1 Float '2.50'", "1:6 Float '1E+06'", "1:11 Eof"});
}

TEST(LexTokensTest, RangeIsIntDotDotIdent) {
  ExpectTokens("0..T", {"1:1 Int '0'", "1:2 DotDot '..'", "1:4 Ident 'T'", "1:5 Eof"});
}

TEST(LexTokensTest, RangeBetweenIntegersIsNotAFloat) {
  ExpectTokens("1..2", {"1:1 Int '1'", "1:2 DotDot '..'", "1:4 Int '2'", "1:5 Eof"});
}

TEST(LexTokensTest, FloatBeforeRangeKeepsItsFraction) {
  ExpectTokens("1.5..2", {"1:1 Float '1.5'", "1:4 DotDot '..'", "1:6 Int '2'", "1:7 Eof"});
}

TEST(LexTokensTest, NegativeNumbersAreMinusThenLiteral) {
  ExpectKinds("-1 -2.5 - 3", "Minus Int Minus Float Minus Int");
}

TEST(LexTokensTest, ExponentSignIsPartOfTheNumberOnlyAfterE) {
  ExpectKinds("2e+3 2+3 x+3", "Float Int Plus Int Ident Plus Int");
}

TEST(LexTokensTest, PositionsAcrossLines) {
  ExpectTokens("fn f\n  x\n\ny",
               {"1:1 Fn 'fn'", "1:4 Ident 'f'", "2:3 Ident 'x'", "4:1 Ident 'y'", "4:2 Eof"});
}

TEST(LexTokensTest, TabCountsAsOneColumn) {
  ExpectTokens("\tx\t\ty", {"1:2 Ident 'x'", "1:5 Ident 'y'", "1:6 Eof"});
}

TEST(LexTokensTest, CrlfLineEndingsAreWhitespace) {
  ExpectTokens("a\r\n  b\r\n", {"1:1 Ident 'a'", "2:3 Ident 'b'", "3:1 Eof"});
}

TEST(LexTokensTest, EofSitsAtTheEndOfTheText) {
  ExpectTokens("x  \n", {"1:1 Ident 'x'", "2:1 Eof"});
  ExpectTokens("x  ", {"1:1 Ident 'x'", "1:4 Eof"});
}

TEST(LexTokensTest, TokenOffsetsAreZeroBasedBytes) {
  testing::LexResult r = LexText("ab\n  cd");
  ASSERT_EQ(r.tokens.size(), 3u) << FormatTokens(r.tokens);
  EXPECT_EQ(r.tokens[0].loc.offset, 0u);
  EXPECT_EQ(r.tokens[1].loc.offset, 5u);
  EXPECT_EQ(r.tokens[2].loc.offset, 7u);
}

TEST(LexTokensTest, ComprehensionLine) {
  ExpectTokens(
      "y[n, o] += x[n, i] * w[i, o];",
      {"1:1 Ident 'y'",      "1:2 LBracket '['", "1:3 Ident 'n'",       "1:4 Comma ','",
       "1:6 Ident 'o'",      "1:7 RBracket ']'", "1:9 PlusAssign '+='", "1:12 Ident 'x'",
       "1:13 LBracket '['",  "1:14 Ident 'n'",   "1:15 Comma ','",      "1:17 Ident 'i'",
       "1:18 RBracket ']'",  "1:20 Star '*'",    "1:22 Ident 'w'",      "1:23 LBracket '['",
       "1:24 Ident 'i'",     "1:25 Comma ','",   "1:27 Ident 'o'",      "1:28 RBracket ']'",
       "1:29 Semicolon ';'", "1:30 Eof"});
}

TEST(LexTokensTest, MaxReductionIsIdentThenAssign) {
  ExpectKinds("m[i] max= x[i, j];",
              "Ident LBracket Ident RBracket Ident Assign Ident LBracket Ident Comma Ident "
              "RBracket Semicolon");
}

TEST(LexTokensTest, FunctionHeader) {
  ExpectTokens("fn f(x: f32[B, 4]) -> bool {",
               {"1:1 Fn 'fn'", "1:4 Ident 'f'", "1:5 LParen '('", "1:6 Ident 'x'", "1:7 Colon ':'",
                "1:9 F32 'f32'", "1:12 LBracket '['", "1:13 Ident 'B'", "1:14 Comma ','",
                "1:16 Int '4'", "1:17 RBracket ']'", "1:18 RParen ')'", "1:20 Arrow '->'",
                "1:23 Bool 'bool'", "1:28 LBrace '{'", "1:29 Eof"});
}

TEST(LexTokensTest, ForHeaderWithRange) {
  ExpectKinds("for l in 0..L {", "For Ident In Int DotDot Ident LBrace");
}

TEST(LexTokensTest, LogicalAndComparisonOperators) {
  ExpectKinds("!a && b || c != d >= e", "Bang Ident AndAnd Ident OrOr Ident Ne Ident Ge Ident");
}

}  // namespace
}  // namespace tessel
