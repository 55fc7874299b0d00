// Tokens: what the lexer (lab01, task 1 and 2) produces and the parser reads.
//
// A token is a kind, the exact source text it covers, and where it starts.
// Integer and float literals also carry their value. The kinds are listed
// once in token_kinds.def.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/source.h"

namespace tessel {

enum class TokenKind {
#define TOKEN(name, text) name,
#define KEYWORD(name, text) name,
#define PUNCT(name, text) name,
#include "stages/frontend/token_kinds.def"
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string_view text;  // the exact source text; points into the SourceFile
  SourceLoc loc;          // where the token starts
  int64_t int_value = 0;  // kInt only
  double float_value = 0; // kFloat only

  /// The location one past the token's last character (same line: tokens never span lines).
  SourceLoc end() const {
    uint32_t n = static_cast<uint32_t>(text.size());
    return SourceLoc{loc.offset + n, loc.line, loc.col + n};
  }
  SourceRange range() const { return {loc, end()}; }
};

/// The kind's name as written in token_kinds.def without the leading 'k': "Ident", "PlusAssign".
std::string_view TokenKindName(TokenKind kind);

/// The spelling of a keyword or punctuation kind ("fn", "+="), or the
/// description of the others ("identifier", "end of file").
std::string_view TokenKindSpelling(TokenKind kind);

/// The keyword spelled `text`, if it is one ("fn" -> kFn). max and min are not keywords.
std::optional<TokenKind> LookupKeyword(std::string_view text);

/// How diagnostics name a token that was found: "';'", "identifier 'foo'",
/// "integer literal '42'", "keyword 'fn'", "end of file".
std::string DescribeToken(const Token& token);

/// How diagnostics name a kind that was expected: "';'", "identifier", "keyword 'in'".
std::string DescribeKind(TokenKind kind);

/// One token per line: "line:col Kind 'text'", as `tessel run --emit tokens` prints.
std::string FormatTokens(const std::vector<Token>& tokens);

}  // namespace tessel
