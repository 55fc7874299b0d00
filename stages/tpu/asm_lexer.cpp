// The TPU assembler's line lexer (see asm_lexer.h).
//
//   token = ident | number | "[" | "]" | "," | "="
//   ident = [A-Za-z_][A-Za-z0-9_]*
//   number starts with a digit, '-' or '.', and runs over letters, digits and '.'
//          (hex digits, exponents) and a sign right after an exponent's 'e'
#include "stages/tpu/asm_lexer.h"

#include <cctype>

namespace tessel::tpu {

namespace {

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A number runs over letters and digits (hex, exponents) and a sign after an exponent.
size_t NumberEnd(std::string_view line, size_t i) {
  bool hex = line.substr(i).starts_with("0x") || line.substr(i).starts_with("0X");
  size_t j = i + 1;
  while (j < line.size()) {
    char c = line[j];
    bool exponent_sign =
        !hex && (c == '+' || c == '-') && (line[j - 1] == 'e' || line[j - 1] == 'E');
    if (!IsIdentChar(c) && c != '.' && !exponent_sign) break;
    ++j;
  }
  return j;
}

}  // namespace

std::vector<Tok> LexLine(std::string_view line, uint32_t base) {
  std::vector<Tok> toks;
  size_t i = 0;
  while (i < line.size() && line[i] != ';') {
    char c = line[i];
    size_t j = i + 1;
    TokKind kind = TokKind::kBad;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (j < line.size() && IsIdentChar(line[j])) ++j;
      kind = TokKind::kIdent;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.') {
      j = NumberEnd(line, i);
      kind = TokKind::kNumber;
    } else if (c == '[' || c == ']' || c == ',' || c == '=') {
      kind = c == '['   ? TokKind::kLBracket
             : c == ']' ? TokKind::kRBracket
             : c == ',' ? TokKind::kComma
                        : TokKind::kEquals;
    }
    toks.push_back({kind, line.substr(i, j - i), static_cast<uint32_t>(base + i)});
    if (kind == TokKind::kBad) return toks;
    i = j;
  }
  toks.push_back({TokKind::kEnd, "", static_cast<uint32_t>(base + i)});
  return toks;
}

std::string Found(const Tok& tok) {
  if (tok.kind == TokKind::kEnd) return "end of line";
  return "'" + std::string(tok.text) + "'";
}

}  // namespace tessel::tpu
