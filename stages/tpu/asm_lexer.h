// The TPU assembler's tokens: one line of assembly cut into words and punctuation.
// Internal to the assembler (assembler.cpp); not part of the stage's interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessel::tpu {

enum class TokKind { kIdent, kNumber, kLBracket, kRBracket, kComma, kEquals, kEnd, kBad };

struct Tok {
  TokKind kind;
  std::string_view text;
  uint32_t offset;  // in the file
};

/// The tokens of `line` up to a `;` comment, ending with kEnd; `base` is the
/// line's offset in the file. A character that starts no token becomes one kBad
/// token, and lexing stops there (the parser reports it).
std::vector<Tok> LexLine(std::string_view line, uint32_t base);

/// "'text'" for a token, "end of line" for kEnd: the "found ..." of a message.
std::string Found(const Tok& tok);

}  // namespace tessel::tpu
