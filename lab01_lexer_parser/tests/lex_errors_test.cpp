// lab01 task t2 (comments and lexical errors): the lexer skips `//` and
// `/* */` comments while keeping every later position right, and reports bad
// characters and malformed numbers at their first character, then goes on.
#include <gtest/gtest.h>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectLexErrors;
using testing::ExpectTokens;
using testing::LexText;

// ---------------------------------------------------------------- comments

TEST(LexCommentsTest, LineCommentRunsToTheEndOfTheLine) {
  ExpectTokens("a // b c\nd", {"1:1 Ident 'a'", "2:1 Ident 'd'", "2:2 Eof"});
}

TEST(LexCommentsTest, LineCommentAtEndOfFileWithoutNewline) {
  ExpectTokens("x // end", {"1:1 Ident 'x'", "1:9 Eof"});
}

TEST(LexCommentsTest, CommentOnlyInputIsJustEof) { ExpectTokens("// nothing here", {"1:16 Eof"}); }

TEST(LexCommentsTest, BlockCommentIsSkipped) {
  ExpectTokens("a /* b */ c", {"1:1 Ident 'a'", "1:11 Ident 'c'", "1:12 Eof"});
}

TEST(LexCommentsTest, BlockCommentOverSeveralLinesKeepsLaterPositions) {
  ExpectTokens("a /* 1\n2\n */ b", {"1:1 Ident 'a'", "3:5 Ident 'b'", "3:6 Eof"});
}

TEST(LexCommentsTest, BlockCommentsDoNotNest) {
  // The first "*/" closes the comment; "c */" is ordinary text again.
  ExpectTokens("/* a /* b */ c */",
               {"1:14 Ident 'c'", "1:16 Star '*'", "1:17 Slash '/'", "1:18 Eof"});
}

TEST(LexCommentsTest, BlockMarkersInsideALineCommentAreIgnored) {
  ExpectTokens("// /* not a block\nx", {"2:1 Ident 'x'", "2:2 Eof"});
}

TEST(LexCommentsTest, LineMarkerInsideABlockCommentIsIgnored) {
  ExpectTokens("/* // */ x", {"1:10 Ident 'x'", "1:11 Eof"});
}

TEST(LexCommentsTest, SingleSlashIsStillDivision) {
  ExpectTokens("a / b // c / d", {"1:1 Ident 'a'", "1:3 Slash '/'", "1:5 Ident 'b'", "1:15 Eof"});
}

TEST(LexCommentsTest, CommentSeparatesTokens) {
  ExpectTokens("a/**/b", {"1:1 Ident 'a'", "1:6 Ident 'b'", "1:7 Eof"});
  ExpectTokens("+/**/=", {"1:1 Plus '+'", "1:6 Assign '='", "1:7 Eof"});
}

TEST(LexCommentsTest, EmptyAndStarryBlockComments) {
  ExpectTokens("/**/x/***/y/* ** */z",
               {"1:5 Ident 'x'", "1:11 Ident 'y'", "1:20 Ident 'z'", "1:21 Eof"});
}

TEST(LexCommentsTest, LineCommentEndsAtCrlf) {
  ExpectTokens("a // c\r\nb", {"1:1 Ident 'a'", "2:1 Ident 'b'", "2:2 Eof"});
}

TEST(LexCommentsTest, CommentsMayHoldAnyBytes) {
  ExpectTokens("// h\xc3\xa9llo $ # \"\n/* \xc3\xa9 */ x", {"2:10 Ident 'x'", "2:11 Eof"});
}

TEST(LexCommentsTest, CommentedProgramKeepsPositions) {
  ExpectTokens(
      "// header\n"
      "fn f() -> f32 { /* body\n"
      "   spans lines */ return 1.0; // done\n"
      "}\n",
      {"2:1 Fn 'fn'", "2:4 Ident 'f'", "2:5 LParen '('", "2:6 RParen ')'", "2:8 Arrow '->'",
       "2:11 F32 'f32'", "2:15 LBrace '{'", "3:19 Return 'return'", "3:26 Float '1.0'",
       "3:29 Semicolon ';'", "4:1 RBrace '}'", "5:1 Eof"});
}

// ---------------------------------------------------------------- lexical errors

TEST(LexErrorsTest, UnexpectedCharacterIsReportedAndSkipped) {
  ExpectLexErrors("a $ b", {{1, 3, "unexpected character '$'"}},
                  {"1:1 Ident 'a'", "1:5 Ident 'b'", "1:6 Eof"});
}

TEST(LexErrorsTest, EveryUnexpectedCharacterIsReported) {
  ExpectLexErrors("a # b\n  ?",
                  {{1, 3, "unexpected character '#'"}, {2, 3, "unexpected character '?'"}});
}

TEST(LexErrorsTest, SingleAmpersandAndBarAreNotOperators) {
  ExpectLexErrors("a & b | c",
                  {{1, 3, "unexpected character '&'"}, {1, 7, "unexpected character '|'"}},
                  {"1:1 Ident 'a'", "1:5 Ident 'b'", "1:9 Ident 'c'", "1:10 Eof"});
}

TEST(LexErrorsTest, LoneDotIsUnexpected) {
  ExpectLexErrors("a.b", {{1, 2, "unexpected character '.'"}},
                  {"1:1 Ident 'a'", "1:3 Ident 'b'", "1:4 Eof"});
}

TEST(LexErrorsTest, IntegerThenDotIsNotAFloat) {
  ExpectLexErrors("1.", {{1, 2, "unexpected character '.'"}}, {"1:1 Int '1'", "1:3 Eof"});
}

TEST(LexErrorsTest, LexingGoesOnAfterAnError) {
  ExpectLexErrors("$ let", {{1, 1, "unexpected character '$'"}}, {"1:3 Let 'let'", "1:6 Eof"});
}

TEST(LexErrorsTest, UnterminatedBlockCommentIsReportedAtItsOpening) {
  ExpectLexErrors("x /* never\n closed", {{1, 3, "unterminated block comment"}},
                  {"1:1 Ident 'x'", "2:8 Eof"});
}

TEST(LexErrorsTest, BlockCommentEndingInAStarIsUnterminated) {
  ExpectLexErrors("y\n  /* almost *", {{2, 3, "unterminated block comment"}});
}

TEST(LexErrorsTest, IntegerTooLargeStillYieldsAnIntToken) {
  ExpectLexErrors("99999999999999999999", {{1, 1, "is too large for 64 bits"}},
                  {"1:1 Int '99999999999999999999'", "1:21 Eof"});
}

TEST(LexErrorsTest, IntegerOnePastInt64MaxIsTooLarge) {
  ExpectLexErrors("x = 9223372036854775808;", {{1, 5, "is too large for 64 bits"}},
                  {"1:1 Ident 'x'", "1:3 Assign '='", "1:5 Int '9223372036854775808'",
                   "1:24 Semicolon ';'", "1:25 Eof"});
}

TEST(LexErrorsTest, LettersRightAfterAnIntegerAreAnInvalidSuffix) {
  ExpectLexErrors("12ab", {{1, 1, "invalid suffix 'ab' on integer literal"}},
                  {"1:1 Int '12ab'", "1:5 Eof"});
}

TEST(LexErrorsTest, LettersRightAfterAFloatAreAnInvalidSuffix) {
  ExpectLexErrors("1.5f + 2", {{1, 1, "invalid suffix 'f'"}},
                  {"1:1 Float '1.5f'", "1:6 Plus '+'", "1:8 Int '2'", "1:9 Eof"});
}

TEST(LexErrorsTest, ExponentWithoutDigits) {
  ExpectLexErrors("1e", {{1, 1, "exponent has no digits"}});
  ExpectLexErrors("x = 2.5e+ y", {{1, 5, "exponent has no digits"}});
}

TEST(LexErrorsTest, ExponentWithoutDigitsIsOneNumberToken) {
  testing::LexResult r = LexText("1e");
  ASSERT_EQ(r.tokens.size(), 2u) << FormatTokens(r.tokens);
  EXPECT_EQ(r.tokens[0].text, "1e");
  EXPECT_EQ(r.diags.error_count(), 1) << testing::DiagnosticsText(r.diags);
}

TEST(LexErrorsTest, ErrorPositionsCountCommentsAndLines) {
  ExpectLexErrors("// header\n/* x */ let $ = 1;", {{2, 13, "unexpected character '$'"}});
  ExpectLexErrors("a\r\nb\r\n#", {{3, 1, "unexpected character '#'"}});
}

TEST(LexErrorsTest, FloatTooSmallToBeNonZeroIsOutOfRange) {
  // 1e-400 is not zero, but the nearest double is: the lexer reports it (handout §4.2).
  ExpectLexErrors(
      "x = 1e-400;", {{1, 5, "float literal '1e-400' is out of range"}},
      {"1:1 Ident 'x'", "1:3 Assign '='", "1:5 Float '1e-400'", "1:11 Semicolon ';'", "1:12 Eof"});
}

TEST(LexErrorsTest, ANonAsciiCharacterIsOneError) {
  // 'é' is two bytes of UTF-8 but one character: one error, and lexing goes on after it.
  ExpectLexErrors("a é b", {{1, 3, "unexpected character 'é'"}},
                  {"1:1 Ident 'a'", "1:6 Ident 'b'", "1:7 Eof"});
}

TEST(LexErrorsTest, QuotesAreUnexpected) {
  ExpectLexErrors("x = \"s\"",
                  {{1, 5, "unexpected character '\"'"}, {1, 7, "unexpected character '\"'"}},
                  {"1:1 Ident 'x'", "1:3 Assign '='", "1:6 Ident 's'", "1:8 Eof"});
}

}  // namespace
}  // namespace tessel
