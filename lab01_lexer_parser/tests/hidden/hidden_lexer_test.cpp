// lab01 hidden tests for the lexer (tasks t1 and t2): literals at the limits
// of int64 and double, maximal munch where a parser-minded split would differ,
// the suffix rule, comments that look nested or end at the end of the file,
// and characters of several bytes. Each rule is stated in
// lab01_lexer_parser/README.md §4.1 and §4.2. A student release leaves this
// folder out.
#include <gtest/gtest.h>

#include <string>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectKinds;
using testing::ExpectLexErrors;
using testing::ExpectTokens;
using testing::LexText;

// ---------------------------------------------------------------- t1: tokens and literals

TEST(HiddenLexTokensTest, LeadingZerosDoNotCountTowardsTheInt64Limit) {
  // 41 characters, but the value is the largest int64: no error.
  testing::LexResult r = LexText("00000000000000000000009223372036854775807 007");
  ASSERT_EQ(r.tokens.size(), 3u) << FormatTokens(r.tokens);
  EXPECT_FALSE(r.diags.has_errors()) << testing::DiagnosticsText(r.diags);
  EXPECT_EQ(r.tokens[0].kind, TokenKind::kInt);
  EXPECT_EQ(r.tokens[0].int_value, 9223372036854775807);
  EXPECT_EQ(r.tokens[1].int_value, 7);
}

TEST(HiddenLexTokensTest, FloatsAtTheEdgesOfDoubleAreInRange) {
  // The largest double, a subnormal, the smallest subnormal, and zeros with
  // huge exponents: all representable, so none is out of range.
  testing::LexResult r = LexText("1.7976931348623157e308 1e-310 4.9e-324 0e999 0.0e-999");
  ASSERT_EQ(r.tokens.size(), 6u) << FormatTokens(r.tokens);
  EXPECT_FALSE(r.diags.has_errors()) << testing::DiagnosticsText(r.diags);
  const double values[] = {1.7976931348623157e308, 1e-310, 4.9e-324, 0.0, 0.0};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(r.tokens[i].kind, TokenKind::kFloat) << r.tokens[i].text;
    EXPECT_EQ(r.tokens[i].float_value, values[i]) << r.tokens[i].text;
  }
}

TEST(HiddenLexTokensTest, ExponentFormsAndRangesAfterThem) {
  ExpectTokens("1E5 7e-0 1e3..5 2.5..x", {"1:1 Float '1E5'", "1:5 Float '7e-0'", "1:10 Float '1e3'",
                                          "1:13 DotDot '..'", "1:15 Int '5'", "1:17 Float '2.5'",
                                          "1:20 DotDot '..'", "1:22 Ident 'x'", "1:23 Eof"});
}

TEST(HiddenLexTokensTest, SignAfterAnExponentWithDigitsIsAnOperator) {
  // "1e5" is complete; the '-' after it is the binary operator.
  ExpectKinds("1e5-2 2.0e+1+x", "Float Minus Int Float Plus Ident");
}

TEST(HiddenLexTokensTest, MaximalMunchNeverLooksAhead) {
  // The longest token at each position, even where another split would parse.
  ExpectKinds("a+==b", "Ident PlusAssign Assign Ident");
  ExpectKinds("a*==b", "Ident StarAssign Assign Ident");
  ExpectKinds("a<==b", "Ident Le Assign Ident");
  ExpectKinds("a!==b", "Ident Ne Assign Ident");
  ExpectKinds("x-->y", "Ident Minus Arrow Ident");
  ExpectKinds("a=>b", "Ident Assign Gt Ident");
  ExpectKinds("a<-b", "Ident Lt Minus Ident");
  ExpectKinds("0....1", "Int DotDot DotDot Int");
}

TEST(HiddenLexTokensTest, KeywordsAreWholeIdentifiersOnly) {
  ExpectTokens("i8x bool_ true1 False _fn in_ fn_",
               {"1:1 Ident 'i8x'", "1:5 Ident 'bool_'", "1:11 Ident 'true1'", "1:17 Ident 'False'",
                "1:23 Ident '_fn'", "1:27 Ident 'in_'", "1:31 Ident 'fn_'", "1:34 Eof"});
  ExpectKinds("i8 i32 f16 f32 i8[", "I8 I32 F16 F32 I8 LBracket");
}

TEST(HiddenLexTokensTest, TokensNeedNoSpaces) {
  ExpectTokens("fn f(x:f32)->f32{return-x[0]*2.5;}",
               {"1:1 Fn 'fn'",    "1:4 Ident 'f'",     "1:5 LParen '('",       "1:6 Ident 'x'",
                "1:7 Colon ':'",  "1:8 F32 'f32'",     "1:11 RParen ')'",      "1:12 Arrow '->'",
                "1:14 F32 'f32'", "1:17 LBrace '{'",   "1:18 Return 'return'", "1:24 Minus '-'",
                "1:25 Ident 'x'", "1:26 LBracket '['", "1:27 Int '0'",         "1:28 RBracket ']'",
                "1:29 Star '*'",  "1:30 Float '2.5'",  "1:33 Semicolon ';'",   "1:34 RBrace '}'",
                "1:35 Eof"});
}

TEST(HiddenLexTokensTest, EmptyAndBlankFiles) {
  ExpectTokens("", {"1:1 Eof"});
  ExpectTokens(" \t\r\n\n  ", {"3:3 Eof"});
}

// ---------------------------------------------------------------- t2: comments and errors

TEST(HiddenLexErrorsTest, SuffixIsTheWholeRunOfIdentifierCharacters) {
  // Letters, digits and underscores after the number all belong to the suffix.
  ExpectLexErrors("0x1F", {{1, 1, "invalid suffix 'x1F' on integer literal"}},
                  {"1:1 Int '0x1F'", "1:5 Eof"});
  ExpectLexErrors("12abc+1", {{1, 1, "invalid suffix 'abc' on integer literal"}},
                  {"1:1 Int '12abc'", "1:6 Plus '+'", "1:7 Int '1'", "1:8 Eof"});
  ExpectLexErrors("1e5x2", {{1, 1, "invalid suffix 'x2' on float literal"}},
                  {"1:1 Float '1e5x2'", "1:6 Eof"});
  ExpectLexErrors("3_000", {{1, 1, "invalid suffix '_000' on integer literal"}},
                  {"1:1 Int '3_000'", "1:6 Eof"});
}

TEST(HiddenLexErrorsTest, ExponentWithoutDigitsTakesTheRunAfterIt) {
  ExpectLexErrors("1e+x2 y", {{1, 1, "exponent has no digits"}},
                  {"1:1 Float '1e+x2'", "1:7 Ident 'y'", "1:8 Eof"});
  ExpectLexErrors("2.5E_1;", {{1, 1, "exponent has no digits"}},
                  {"1:1 Float '2.5E_1'", "1:7 Semicolon ';'", "1:8 Eof"});
}

TEST(HiddenLexErrorsTest, OneErrorForALiteralThatIsTooLargeAndSuffixed) {
  // The suffix makes the literal bad; its value is never computed.
  ExpectLexErrors("99999999999999999999abc", {{1, 1, "invalid suffix 'abc' on integer literal"}},
                  {"1:1 Int '99999999999999999999abc'", "1:24 Eof"});
}

TEST(HiddenLexErrorsTest, FloatsBeyondDoubleInEitherDirectionAreOutOfRange) {
  ExpectLexErrors("1e309 1e-999 2e-324 1.5",
                  {{1, 1, "float literal '1e309' is out of range"},
                   {1, 7, "float literal '1e-999' is out of range"},
                   {1, 14, "float literal '2e-324' is out of range"}},
                  {"1:1 Float '1e309'", "1:7 Float '1e-999'", "1:14 Float '2e-324'",
                   "1:21 Float '1.5'", "1:24 Eof"});
}

TEST(HiddenLexErrorsTest, SmallestInt64CannotBeWrittenAsALiteral) {
  // There are no negative literals: this is '-' applied to 2^63, which does not fit.
  ExpectLexErrors("x = -9223372036854775808;",
                  {{1, 6, "integer literal '9223372036854775808' is too large for 64 bits"}},
                  {"1:1 Ident 'x'", "1:3 Assign '='", "1:5 Minus '-'",
                   "1:6 Int '9223372036854775808'", "1:25 Semicolon ';'", "1:26 Eof"});
}

TEST(HiddenLexErrorsTest, OpenersInsideABlockCommentDoNotNest) {
  ExpectTokens("/* /* /* */ x", {"1:13 Ident 'x'", "1:14 Eof"});
  // The '/' of "/*/" belongs to the opener: "*/" must come after it.
  ExpectTokens("/*/ x */ y", {"1:10 Ident 'y'", "1:11 Eof"});
}

TEST(HiddenLexErrorsTest, UnterminatedCommentsAtTheEndOfTheFile) {
  ExpectLexErrors("x /*", {{1, 3, "unterminated block comment"}}, {"1:1 Ident 'x'", "1:5 Eof"});
  ExpectLexErrors("/*/", {{1, 1, "unterminated block comment"}}, {"1:4 Eof"});
  ExpectLexErrors("a\n/* b\nc */ d /* e\n", {{3, 8, "unterminated block comment"}},
                  {"1:1 Ident 'a'", "3:6 Ident 'd'", "4:1 Eof"});
}

TEST(HiddenLexErrorsTest, LineCommentAfterAnErrorAtTheEndOfTheFile) {
  ExpectLexErrors("x $// $ not reported", {{1, 3, "unexpected character '$'"}},
                  {"1:1 Ident 'x'", "1:21 Eof"});
}

TEST(HiddenLexErrorsTest, MultiByteCharactersAreOneErrorAndCountTheirBytes) {
  // "é" is 2 bytes and "€" 3: one error each, and columns count bytes.
  ExpectLexErrors(
      "a \xc3\xa9 b \xe2\x82\xac c",
      {{1, 3, "unexpected character '\xc3\xa9'"}, {1, 8, "unexpected character '\xe2\x82\xac'"}},
      {"1:1 Ident 'a'", "1:6 Ident 'b'", "1:12 Ident 'c'", "1:13 Eof"});
}

TEST(HiddenLexErrorsTest, ControlBytesAreQuotedInHex) {
  ExpectLexErrors(
      "a\x01"
      "b\x7f",
      {{1, 2, "unexpected character '\\x01'"}, {1, 4, "unexpected character '\\x7f'"}},
      {"1:1 Ident 'a'", "1:3 Ident 'b'", "1:5 Eof"});
}

TEST(HiddenLexErrorsTest, DotsThatStartNoToken) {
  ExpectLexErrors("1.5.2 x...y .5",
                  {{1, 4, "unexpected character '.'"},
                   {1, 10, "unexpected character '.'"},
                   {1, 13, "unexpected character '.'"}},
                  {"1:1 Float '1.5'", "1:5 Int '2'", "1:7 Ident 'x'", "1:8 DotDot '..'",
                   "1:11 Ident 'y'", "1:14 Int '5'", "1:15 Eof"});
}

}  // namespace
}  // namespace tessel
