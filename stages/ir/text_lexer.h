// Tokens of the IR text form (docs/ir.md): the first step of ParseModule (parser.h), shared by
// the parser's files through parser_internal.h. Internal to stages/ir; not a public API.
// Newlines are not tokens: one instruction a line is the printer's layout, and the parser's
// error recovery skips to the next line by comparing token lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"

namespace tessel::ir::text {

enum class Tok {
  kIdent,
  kValue,
  kFunc,
  kInt,
  kFloat,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kComma,
  kColon,
  kEqual,
  kArrow,
  kDotDot,
  kString,  // "text" with \" and \\ escapes: the file of a loc(...)
  kError,
  kEof,
};

struct Token {
  Tok kind = Tok::kEof;
  std::string_view text;
  SourceLoc loc;  // the first byte
  SourceLoc end;  // one past the last byte
  /// A value's or function's name, without its '%' or '@'.
  std::string name() const { return std::string(text.substr(1)); }
};

/// Every token of `file`, then kEof. Bad characters become kError tokens, reported here.
std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags);

/// `text` quoted for a message: in single quotes, printable ASCII as is, any other byte as
/// `\xNN`, cut after 40 bytes with "...".
std::string Quote(std::string_view text);

/// Whether `t` is the word true or false.
bool IsBoolWord(const Token& t);

}  // namespace tessel::ir::text
