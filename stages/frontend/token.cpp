// Token kind names, spellings and descriptions, all derived from token_kinds.def.
#include "stages/frontend/token.h"

#include <array>

namespace tessel {

namespace {

struct KindInfo {
  std::string_view name;
  std::string_view spelling;
  enum Class { kOther, kKeyword, kPunct } cls;
};

constexpr KindInfo kKinds[] = {
#define TOKEN(name, text) {std::string_view(#name).substr(1), text, KindInfo::kOther},
#define KEYWORD(name, text) {std::string_view(#name).substr(1), text, KindInfo::kKeyword},
#define PUNCT(name, text) {std::string_view(#name).substr(1), text, KindInfo::kPunct},
#include "stages/frontend/token_kinds.def"
};

const KindInfo& Info(TokenKind kind) { return kKinds[static_cast<int>(kind)]; }

}  // namespace

std::string_view TokenKindName(TokenKind kind) { return Info(kind).name; }

std::string_view TokenKindSpelling(TokenKind kind) { return Info(kind).spelling; }

std::optional<TokenKind> LookupKeyword(std::string_view text) {
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (kKinds[i].cls == KindInfo::kKeyword && kKinds[i].spelling == text) {
      return static_cast<TokenKind>(i);
    }
  }
  return std::nullopt;
}

std::string DescribeKind(TokenKind kind) {
  const KindInfo& info = Info(kind);
  switch (info.cls) {
    case KindInfo::kKeyword:
      return "keyword '" + std::string(info.spelling) + "'";
    case KindInfo::kPunct:
      return "'" + std::string(info.spelling) + "'";
    case KindInfo::kOther:
      return std::string(info.spelling);
  }
  return std::string(info.spelling);
}

std::string DescribeToken(const Token& token) {
  switch (Info(token.kind).cls) {
    case KindInfo::kKeyword:
    case KindInfo::kPunct:
      return DescribeKind(token.kind);
    case KindInfo::kOther:
      if (token.kind == TokenKind::kEof) return "end of file";
      return std::string(Info(token.kind).spelling) + " '" + std::string(token.text) + "'";
  }
  return DescribeKind(token.kind);
}

std::string FormatTokens(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    out += std::to_string(t.loc.line) + ":" + std::to_string(t.loc.col) + " " +
           std::string(TokenKindName(t.kind));
    if (t.kind != TokenKind::kEof) out += " '" + std::string(t.text) + "'";
    out += "\n";
  }
  return out;
}

}  // namespace tessel
