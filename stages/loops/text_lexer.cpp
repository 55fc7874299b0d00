// The loop IR's lexer (text_lexer.h).
#include "stages/loops/text_lexer.h"

#include <cctype>

namespace tessel::loops::text {

namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

class Lexer {
 public:
  Lexer(const SourceFile& file, DiagnosticEngine& diags)
      : file_(file), text_(file.text()), diags_(diags) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    for (;;) {
      SkipSpaceAndComments();
      if (pos_ >= text_.size()) break;
      tokens.push_back(Next());
    }
    tokens.push_back(Make(Tok::kEof, pos_, pos_));
    return tokens;
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(Peek()))) {
        ++pos_;
      } else if (Peek() == '/' && Peek(1) == '/') {
        while (pos_ < text_.size() && Peek() != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  Token Make(Tok kind, size_t begin, size_t end) const {
    Token t;
    t.kind = kind;
    t.text = text_.substr(begin, end - begin);
    t.loc = file_.LocForOffset(static_cast<uint32_t>(begin));
    return t;
  }

  Token Name(Tok kind, size_t begin) {
    ++pos_;  // the sigil
    while (IsNameChar(Peek())) ++pos_;
    return Make(kind, begin, pos_);
  }

  Token Number(size_t begin) {
    bool is_float = false;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
    if (Peek() == '.' && std::isdigit(static_cast<unsigned char>(Peek(1)))) {
      is_float = true;
      for (++pos_; std::isdigit(static_cast<unsigned char>(Peek()));) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      size_t exp = pos_ + 1;
      if (exp < text_.size() && (text_[exp] == '+' || text_[exp] == '-')) ++exp;
      if (exp < text_.size() && std::isdigit(static_cast<unsigned char>(text_[exp]))) {
        is_float = true;
        for (pos_ = exp; std::isdigit(static_cast<unsigned char>(Peek()));) ++pos_;
      }
    }
    return Make(is_float ? Tok::kFloat : Tok::kInt, begin, pos_);
  }

  Token Next() {
    size_t begin = pos_;
    char c = Peek();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (IsNameChar(Peek())) ++pos_;
      return Make(Tok::kIdent, begin, pos_);
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return Number(begin);
    bool name_follows = IsNameChar(Peek(1)) && Peek(1) != '.';
    if (c == '%' && name_follows) return Name(Tok::kBuffer, begin);
    if (c == '@' && name_follows) return Name(Tok::kFunc, begin);
    static constexpr std::string_view kTwo[] = {"..", "->", "<=", ">=", "==", "!=", "&&", "||"};
    for (std::string_view two : kTwo) {
      if (text_.substr(pos_, 2) == two) {
        pos_ += 2;
        return Make(Tok::kPunct, begin, pos_);
      }
    }
    if (std::string_view("()[]{},:=+-*/%<>!").find(c) != std::string_view::npos) {
      ++pos_;
      return Make(Tok::kPunct, begin, pos_);
    }
    ++pos_;
    Token bad = Make(Tok::kError, begin, pos_);
    diags_.Error(file_, bad.loc, "unexpected character '" + std::string(bad.text) + "'");
    return bad;
  }

  const SourceFile& file_;
  std::string_view text_;
  DiagnosticEngine& diags_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags) {
  return Lexer(file, diags).Run();
}

}  // namespace tessel::loops::text
