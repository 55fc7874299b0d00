// The lexer of the IR text form (text_lexer.h): the whole file to tokens, before the parser
// (parser.cpp) reads them. One Scan function per token class, with its regular grammar above it.
#include "stages/ir/text_lexer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessel::ir::text {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsIdentStart(c) || IsDigit(c) || c == '.'; }

class Lexer {
 public:
  Lexer(const SourceFile& file, DiagnosticEngine& diags)
      : file_(file), text_(file.text()), diags_(diags) {}

  /// Every token of the file, then kEof. Bad characters become kError tokens (reported here).
  std::vector<Token> Run();

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void Advance();
  SourceLoc Here() const { return SourceLoc{static_cast<uint32_t>(pos_), line_, col_}; }
  Token Make(Tok kind, SourceLoc start) const {
    return Token{kind, text_.substr(start.offset, pos_ - start.offset), start, Here()};
  }
  Token Bad(SourceLoc start, std::string message);

  void SkipSpaceAndComments();
  Token Scan();
  Token ScanWord(SourceLoc start);
  Token ScanNumber(SourceLoc start);
  Token ScanSigil(SourceLoc start);
  Token ScanString(SourceLoc start);
  std::optional<Tok> ScanPunct();

  const SourceFile& file_;
  std::string_view text_;
  DiagnosticEngine& diags_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t col_ = 1;
};

std::vector<Token> Lexer::Run() {
  std::vector<Token> tokens;
  for (SkipSpaceAndComments(); !AtEnd(); SkipSpaceAndComments()) tokens.push_back(Scan());
  tokens.push_back(Make(Tok::kEof, Here()));
  return tokens;
}

void Lexer::Advance() {
  if (AtEnd()) return;
  if (text_[pos_] == '\n') {
    ++line_;
    col_ = 1;
  } else {
    ++col_;
  }
  ++pos_;
}

// Reports `message` over the text from `start` to the cursor; the parser skips the token.
Token Lexer::Bad(SourceLoc start, std::string message) {
  Token token = Make(Tok::kError, start);
  diags_.Error(file_, SourceRange{start, token.end}, std::move(message));
  return token;
}

void Lexer::SkipSpaceAndComments() {
  while (!AtEnd()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      Advance();
    } else if (c == '/' && Peek(1) == '/') {
      while (!AtEnd() && Peek() != '\n') Advance();
    } else {
      return;
    }
  }
}

Token Lexer::Scan() {
  SourceLoc start = Here();
  char c = Peek();
  if (IsIdentStart(c)) return ScanWord(start);
  if (IsDigit(c) || (c == '-' && IsDigit(Peek(1)))) return ScanNumber(start);
  if (c == '-' && text_.substr(pos_).starts_with("-inf") && !IsNameChar(Peek(4))) {
    for (int i = 0; i < 4; ++i) Advance();
    return Make(Tok::kFloat, start);
  }
  if (c == '%' || c == '@') return ScanSigil(start);
  if (c == '"') return ScanString(start);
  if (std::optional<Tok> punct = ScanPunct()) return Make(*punct, start);
  Advance();
  // The rest of a UTF-8 sequence (bytes 10xxxxxx) belongs to the same character.
  while (!AtEnd() && (static_cast<unsigned char>(Peek()) & 0xC0) == 0x80) Advance();
  return Bad(start,
             "unexpected character " + Quote(text_.substr(start.offset, pos_ - start.offset)));
}

// IDENT = [A-Za-z_][A-Za-z0-9_.]*; the words inf and nan are float literals.
Token Lexer::ScanWord(SourceLoc start) {
  while (IsNameChar(Peek())) Advance();
  Token token = Make(Tok::kIdent, start);
  if (token.text == "inf" || token.text == "nan") token.kind = Tok::kFloat;
  return token;
}

// INT = [-] digits;  FLOAT = [-] digits ["." digits] [[eE] [+-] digits], with '.' or exponent.
// A '.' belongs to the number only when a digit follows: "0..4" is INT ".." INT.
Token Lexer::ScanNumber(SourceLoc start) {
  Tok kind = Tok::kInt;
  if (Peek() == '-') Advance();
  while (IsDigit(Peek())) Advance();
  if (Peek() == '.' && IsDigit(Peek(1))) {
    kind = Tok::kFloat;
    Advance();
    while (IsDigit(Peek())) Advance();
  }
  bool sign = Peek(1) == '+' || Peek(1) == '-';
  if ((Peek() == 'e' || Peek() == 'E') && IsDigit(Peek(sign ? 2 : 1))) {
    kind = Tok::kFloat;
    for (int i = sign ? 2 : 1; i > 0; --i) Advance();
    while (IsDigit(Peek())) Advance();
  }
  if (!IsNameChar(Peek()) || (Peek() == '.' && Peek(1) == '.')) return Make(kind, start);
  while (IsNameChar(Peek())) Advance();
  return Bad(start, "malformed number " + Quote(text_.substr(start.offset, pos_ - start.offset)));
}

// VALUE = "%" [A-Za-z0-9_.]+;  FUNC = "@" [A-Za-z0-9_.]+
Token Lexer::ScanSigil(SourceLoc start) {
  char sigil = Peek();
  Advance();
  if (!IsNameChar(Peek())) {
    return Bad(start, std::string("expected a name after '") + sigil + "'");
  }
  while (IsNameChar(Peek())) Advance();
  return Make(sigil == '%' ? Tok::kValue : Tok::kFunc, start);
}

// STRING = '"' { any character but '"', '\\' and a newline | '\\' any } '"'
Token Lexer::ScanString(SourceLoc start) {
  Advance();  // the opening quote
  while (!AtEnd() && Peek() != '"' && Peek() != '\n') {
    if (Peek() == '\\') Advance();
    Advance();
  }
  if (Peek() != '"')
    return Bad(start, "unterminated string: a '\"' is missing before the line ends");
  Advance();
  return Make(Tok::kString, start);
}

std::optional<Tok> Lexer::ScanPunct() {
  struct Punct {
    std::string_view text;
    Tok kind;
  };
  static constexpr Punct kPuncts[] = {
      {"->", Tok::kArrow},   {"..", Tok::kDotDot},  {"(", Tok::kLParen}, {")", Tok::kRParen},
      {"[", Tok::kLBracket}, {"]", Tok::kRBracket}, {"{", Tok::kLBrace}, {"}", Tok::kRBrace},
      {",", Tok::kComma},    {":", Tok::kColon},    {"=", Tok::kEqual},
  };
  for (const Punct& p : kPuncts) {
    if (!text_.substr(pos_).starts_with(p.text)) continue;
    for (size_t i = 0; i < p.text.size(); ++i) Advance();
    return p.kind;
  }
  return std::nullopt;
}

}  // namespace

std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags) {
  return Lexer(file, diags).Run();
}

std::string Quote(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      const char* hex = "0123456789abcdef";
      out += std::string("\\x") + hex[byte >> 4] + hex[byte & 0xF];
    }
  }
  return "'" + out + (text.size() > 40 ? "...'" : "'");
}

bool IsBoolWord(const Token& t) {
  return t.kind == Tok::kIdent && (t.text == "true" || t.text == "false");
}

}  // namespace tessel::ir::text
