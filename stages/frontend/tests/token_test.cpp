// Unit tests of stages/frontend/token: kind names, keyword lookup, and how
// diagnostics and `--emit tokens` describe tokens.
#include "stages/frontend/token.h"

#include <gtest/gtest.h>

namespace tessel {
namespace {

Token Make(TokenKind kind, std::string_view text, uint32_t line = 1, uint32_t col = 1) {
  Token token;
  token.kind = kind;
  token.text = text;
  token.loc = SourceLoc{col - 1, line, col};
  return token;
}

TEST(TokenKindTest, NamesDropTheLeadingK) {
  EXPECT_EQ(TokenKindName(TokenKind::kEof), "Eof");
  EXPECT_EQ(TokenKindName(TokenKind::kIdent), "Ident");
  EXPECT_EQ(TokenKindName(TokenKind::kFn), "Fn");
  EXPECT_EQ(TokenKindName(TokenKind::kPlusAssign), "PlusAssign");
  EXPECT_EQ(TokenKindName(TokenKind::kOrOr), "OrOr");
}

TEST(TokenKindTest, SpellingsOfKeywordsAndPunctuation) {
  EXPECT_EQ(TokenKindSpelling(TokenKind::kReturn), "return");
  EXPECT_EQ(TokenKindSpelling(TokenKind::kBool), "bool");
  EXPECT_EQ(TokenKindSpelling(TokenKind::kDotDot), "..");
  EXPECT_EQ(TokenKindSpelling(TokenKind::kArrow), "->");
  EXPECT_EQ(TokenKindSpelling(TokenKind::kStarAssign), "*=");
  EXPECT_EQ(TokenKindSpelling(TokenKind::kFloat), "float literal");
}

TEST(TokenKindTest, EveryKindHasANameAndASpelling) {
  for (int i = 0; i <= static_cast<int>(TokenKind::kOrOr); ++i) {
    auto kind = static_cast<TokenKind>(i);
    EXPECT_FALSE(TokenKindName(kind).empty()) << i;
    EXPECT_FALSE(TokenKindSpelling(kind).empty()) << i;
  }
}

TEST(LookupKeywordTest, FindsEveryKeyword) {
  for (std::string_view word : {"fn", "let", "var", "const", "if", "else", "for", "in", "return",
                                "where", "true", "false", "f32", "f16", "i32", "i8", "bool"}) {
    std::optional<TokenKind> kind = LookupKeyword(word);
    ASSERT_TRUE(kind.has_value()) << word;
    EXPECT_EQ(TokenKindSpelling(*kind), word);
  }
}

TEST(LookupKeywordTest, MaxMinAndOtherNamesAreNotKeywords) {
  for (std::string_view word : {"max", "min", "Fn", "fnx", "f64", "relu", "", "+", "->"}) {
    EXPECT_FALSE(LookupKeyword(word).has_value()) << word;
  }
}

TEST(DescribeTokenTest, NamesFoundTokensForDiagnostics) {
  EXPECT_EQ(DescribeToken(Make(TokenKind::kSemicolon, ";")), "';'");
  EXPECT_EQ(DescribeToken(Make(TokenKind::kPlusAssign, "+=")), "'+='");
  EXPECT_EQ(DescribeToken(Make(TokenKind::kLet, "let")), "keyword 'let'");
  EXPECT_EQ(DescribeToken(Make(TokenKind::kIdent, "foo")), "identifier 'foo'");
  EXPECT_EQ(DescribeToken(Make(TokenKind::kInt, "3")), "integer literal '3'");
  EXPECT_EQ(DescribeToken(Make(TokenKind::kFloat, "1.5")), "float literal '1.5'");
  EXPECT_EQ(DescribeToken(Make(TokenKind::kEof, "")), "end of file");
}

TEST(DescribeKindTest, NamesExpectedKindsForDiagnostics) {
  EXPECT_EQ(DescribeKind(TokenKind::kSemicolon), "';'");
  EXPECT_EQ(DescribeKind(TokenKind::kRBrace), "'}'");
  EXPECT_EQ(DescribeKind(TokenKind::kIn), "keyword 'in'");
  EXPECT_EQ(DescribeKind(TokenKind::kIdent), "identifier");
  EXPECT_EQ(DescribeKind(TokenKind::kEof), "end of file");
}

TEST(FormatTokensTest, OneLinePerTokenAndEofWithoutText) {
  std::vector<Token> tokens = {
      Make(TokenKind::kIdent, "x", 1, 1), Make(TokenKind::kPlusAssign, "+=", 1, 3),
      Make(TokenKind::kFloat, "1.5", 2, 4), Make(TokenKind::kEof, "", 2, 7)};
  EXPECT_EQ(FormatTokens(tokens),
            "1:1 Ident 'x'\n"
            "1:3 PlusAssign '+='\n"
            "2:4 Float '1.5'\n"
            "2:7 Eof\n");
}

TEST(TokenTest, EndAndRangeCoverTheText) {
  Token token = Make(TokenKind::kIdent, "hidden", 3, 5);
  token.loc.offset = 40;
  EXPECT_EQ(token.end(), (SourceLoc{46, 3, 11}));
  EXPECT_EQ(token.range().begin, token.loc);
  EXPECT_EQ(token.range().end, token.end());
}

}  // namespace
}  // namespace tessel
