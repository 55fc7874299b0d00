// Tokens of the loop IR's text form (docs/loop-ir.md): the first step of the parser.
// Internal to stages/loops.
//
// '%' starts a buffer name when a letter, digit or '_' follows it, and is the remainder
// operator otherwise, so `i % 4` needs its spaces (the printer writes them).
#pragma once

#include <string_view>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"

namespace tessel::loops::text {

enum class Tok {
  kIdent,   // i, for, exp, gpu.block.x
  kBuffer,  // %out
  kFunc,    // @fused_add
  kInt,     // 42
  kFloat,   // 1.5, 2e-3
  kPunct,   // ( ) [ ] { } , : = .. -> and the operators + - * / % < <= > >= == != && || !
  kError,
  kEof,
};

struct Token {
  Tok kind = Tok::kEof;
  std::string_view text;
  SourceLoc loc;
  bool Is(std::string_view s) const {
    return (kind == Tok::kPunct || kind == Tok::kIdent) && text == s;
  }
};

/// Every token of `file`, then kEof; a bad character is a kError token (reported here).
std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags);

}  // namespace tessel::loops::text
