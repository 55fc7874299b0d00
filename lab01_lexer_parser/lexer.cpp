// The lexer of lab01 (tasks t1 and t2): source text to tokens.
//
// Pipeline: .tsl source -> Lex (this file) -> tokens -> parser.cpp -> AST.
// One pass from left to right with a cursor. At each position the lexer skips
// spaces and comments, then takes the longest token that starts there
// (maximal munch). Errors are reported and lexing goes on, so one run reports
// every lexical error. The rules are in stages/frontend/lexer.h.
#include "stages/frontend/lexer.h"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "stages/common/not_implemented.h"

namespace tessel {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// The second and later bytes of a UTF-8 sequence look like 10xxxxxx.
bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Every punctuation token with its spelling, in token_kinds.def order.
struct Punct {
  std::string_view spelling;
  TokenKind kind;
};
constexpr Punct kPuncts[] = {
#define PUNCT(name, text) {text, TokenKind::name},
#include "stages/frontend/token_kinds.def"
};

// How an error message quotes characters: printable ASCII and multi-byte UTF-8
// as they are, any other byte as \xNN (so a stray control byte cannot garble the terminal).
std::string QuoteChars(std::string_view chars) {
  bool utf8 = chars.size() > 1 && static_cast<unsigned char>(chars[0]) >= 0xC0;
  if (utf8) return std::string(chars);
  std::string out;
  for (char c : chars) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
      continue;
    }
    const char* hex = "0123456789abcdef";
    out += std::string("\\x") + hex[byte >> 4] + hex[byte & 0xF];
  }
  return out;
}

class Lexer {
 public:
  Lexer(const SourceFile& file, DiagnosticEngine& diags)
      : file_(file), text_(file.text()), diags_(diags) {}

  /// Every token of the file in order, then kEof.
  std::vector<Token> Run();

 private:
  // The cursor: pos_ is a byte offset, line_ and col_ the same place as people count it.
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool LookingAt(std::string_view s) const { return text_.substr(pos_).starts_with(s); }
  void Advance();
  void AdvanceWhile(bool (*pred)(char)) {
    while (!AtEnd() && pred(Peek())) Advance();
  }
  SourceLoc Here() const { return SourceLoc{static_cast<uint32_t>(pos_), line_, col_}; }
  Token MakeToken(TokenKind kind, SourceLoc start) const;
  void Report(SourceLoc start, SourceLoc end, std::string message);

  // Task t1: tokens and literals.
  void SkipSpaceAndComments();
  std::optional<Token> ScanToken();
  Token LexIdentifier(SourceLoc start);
  Token LexNumber(SourceLoc start);
  bool AtExponent() const;
  Token MakeNumber(TokenKind kind, SourceLoc start);
  std::optional<TokenKind> MatchPunct();

  // Task t2: comments and lexical errors.
  void SkipLineComment();
  void SkipBlockComment();
  void SkipUnexpectedCharacter();
  Token LexBadSuffix(SourceLoc start, TokenKind kind);
  Token LexBadExponent(SourceLoc start);
  void ReportOutOfRange(const Token& token);

  const SourceFile& file_;
  std::string_view text_;
  DiagnosticEngine& diags_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t col_ = 1;
};

std::vector<Token> Lexer::Run() {
  std::vector<Token> tokens;
  while (true) {
    SkipSpaceAndComments();
    if (AtEnd()) break;
    if (std::optional<Token> token = ScanToken()) tokens.push_back(*token);
  }
  tokens.push_back(MakeToken(TokenKind::kEof, Here()));
  return tokens;
}

// Moves past one byte; a newline starts the next line at column 1.
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

// The token of `kind` whose text runs from `start` to the cursor.
Token Lexer::MakeToken(TokenKind kind, SourceLoc start) const {
  Token token;
  token.kind = kind;
  token.text = text_.substr(start.offset, pos_ - start.offset);
  token.loc = start;
  return token;
}

// Reports an error over the text from `start` to `end` (the caret goes under `start`).
void Lexer::Report(SourceLoc start, SourceLoc end, std::string message) {
  diags_.Error(file_, SourceRange{start, end}, std::move(message));
}

// ------------------------------------------------------------- t1: tokens

// Skips spaces, tabs and newlines; a comment counts as space and is skipped by
// SkipLineComment or SkipBlockComment.
void Lexer::SkipSpaceAndComments() {
  // TODO(lab01.t1): skip whitespace; at '//' or '/*' call the comment skippers
  TESSEL_UNIMPLEMENTED("lab01.t1", "skip whitespace; at '//' or '/*' call the comment skippers",
                       "lab01_lexer_parser/README.md §4.1");
}

// One token starting at the cursor, which is not whitespace. The first
// character decides the kind of token. A character that starts no token is
// reported and skipped, and then there is no token (nullopt).
std::optional<Token> Lexer::ScanToken() {
  // TODO(lab01.t1): choose by the first character: identifier, number or punctuation
  TESSEL_UNIMPLEMENTED("lab01.t1",
                       "choose by the first character: identifier, number or punctuation",
                       "lab01_lexer_parser/README.md §4.1");
}

// IDENT = [A-Za-z_][A-Za-z0-9_]*; a keyword when LookupKeyword knows the
// spelling. max and min are plain identifiers (the parser reads "max=" in context).
Token Lexer::LexIdentifier(SourceLoc start) {
  // TODO(lab01.t1): scan an identifier and turn it into a keyword if LookupKeyword says so
  TESSEL_UNIMPLEMENTED("lab01.t1",
                       "scan an identifier and turn it into a keyword if LookupKeyword says so",
                       "lab01_lexer_parser/README.md §4.1");
}

// INT   = digits
// FLOAT = digits "." digits [exponent] | digits exponent;  exponent = [eE] [+-] digits
// A '.' belongs to the number only when a digit follows it: "0..T" is INT ".." IDENT.
// A letter or '_' right after the number ("12ab", "0x1F") or an exponent
// without digits ("1e") makes a bad literal, which the t2 functions report.
Token Lexer::LexNumber(SourceLoc start) {
  // TODO(lab01.t1): scan digits, an optional fraction and an optional exponent
  TESSEL_UNIMPLEMENTED("lab01.t1", "scan digits, an optional fraction and an optional exponent",
                       "lab01_lexer_parser/README.md §4.1");
}

// True when the cursor is at an exponent with digits: "e5", "E+5", "e-12".
bool Lexer::AtExponent() const {
  // TODO(lab01.t1): after the e or E, skip one optional sign and look for a digit
  TESSEL_UNIMPLEMENTED("lab01.t1", "after the e or E, skip one optional sign and look for a digit",
                       "lab01_lexer_parser/README.md §4.1");
}

// The literal from `start` to the cursor, with its value. A value out of range
// is reported by ReportOutOfRange and left at 0.
Token Lexer::MakeNumber(TokenKind kind, SourceLoc start) {
  // TODO(lab01.t1): set the value with std::from_chars; out of range: ReportOutOfRange
  TESSEL_UNIMPLEMENTED("lab01.t1",
                       "set the value with std::from_chars; out of range: ReportOutOfRange",
                       "lab01_lexer_parser/README.md §4.1");
}

// Consumes the longest punctuation token at the cursor and returns its kind
// (maximal munch: "+=" wins over "+", ".." over "."); nullopt if none starts here.
std::optional<TokenKind> Lexer::MatchPunct() {
  // TODO(lab01.t1): find the longest spelling in kPuncts at the cursor and consume it
  TESSEL_UNIMPLEMENTED("lab01.t1",
                       "find the longest spelling in kPuncts at the cursor and consume it",
                       "lab01_lexer_parser/README.md §4.1");
}

// -------------------------------------------- t2: comments and lexical errors

// "//" up to the end of the line; the newline itself is whitespace.
void Lexer::SkipLineComment() {
  // TODO(lab01.t2): skip from '//' up to the end of the line
  TESSEL_UNIMPLEMENTED("lab01.t2", "skip from '//' up to the end of the line",
                       "lab01_lexer_parser/README.md §4.2");
}

// "/*" up to the first "*/"; comments do not nest. If the file ends first,
// the comment is unterminated: an error at its "/*", and the file ends there.
void Lexer::SkipBlockComment() {
  // TODO(lab01.t2): skip past the first '*/'; at end of file report it at the '/*'
  TESSEL_UNIMPLEMENTED("lab01.t2", "skip past the first '*/'; at end of file report it at the '/*'",
                       "lab01_lexer_parser/README.md §4.2");
}

// Reports the character at the cursor and skips it. A multi-byte UTF-8
// character is one character, so 'é' gives one error, not two.
void Lexer::SkipUnexpectedCharacter() {
  // TODO(lab01.t2): report 'unexpected character' at the cursor, then skip that character
  TESSEL_UNIMPLEMENTED("lab01.t2",
                       "report 'unexpected character' at the cursor, then skip that character",
                       "lab01_lexer_parser/README.md §4.2");
}

// "12ab", "0x1F", "1e5x2": the suffix is the whole run of identifier
// characters (letters, digits, '_') after the number: "ab", "x1F", "x2". It
// belongs to the bad literal, so the parser sees one number token (with value
// 0) and does not report the suffix again.
Token Lexer::LexBadSuffix(SourceLoc start, TokenKind kind) {
  // TODO(lab01.t2): the letters, digits and _ after the number join it: 'invalid suffix'
  TESSEL_UNIMPLEMENTED("lab01.t2",
                       "the letters, digits and _ after the number join it: 'invalid suffix'",
                       "lab01_lexer_parser/README.md §4.2");
}

// "1e", "2.5e+", "1ex", "1e+x2": the cursor is at an 'e' that no digit
// follows. One float token (value 0) covers the literal, the 'e', an optional
// sign and the run of identifier characters after them.
Token Lexer::LexBadExponent(SourceLoc start) {
  // TODO(lab01.t2): e, a sign, letters/digits/_ join the literal: 'exponent has no digits'
  TESSEL_UNIMPLEMENTED("lab01.t2",
                       "e, a sign, letters/digits/_ join the literal: 'exponent has no digits'",
                       "lab01_lexer_parser/README.md §4.2");
}

// A literal whose value does not fit: an integer above the largest int64, or
// a float too large for a double (1e309) or so small that it would round to
// 0 (1e-999); subnormals (1e-310) and zero itself (0e999) are in range.
// std::from_chars reports both float cases as result_out_of_range.
void Lexer::ReportOutOfRange(const Token& token) {
  // TODO(lab01.t2): report the literal as too large for int64 (or a float out of range)
  TESSEL_UNIMPLEMENTED("lab01.t2",
                       "report the literal as too large for int64 (or a float out of range)",
                       "lab01_lexer_parser/README.md §4.2");
}

}  // namespace

std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags) {
  return Lexer(file, diags).Run();
}

}  // namespace tessel
