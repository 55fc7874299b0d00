// The lexer: source text to tokens (lab01, tasks t1 and t2).
//
// Implemented by lab01_lexer_parser/lexer.cpp (the learner's) or
// solutions/lab01_lexer_parser/lexer.cpp (the reference); the build picks one
// (TESSEL_SOLUTIONS). The rules are in docs/language.md §1:
//   - maximal munch: the longest token that matches wins ("+=" not "+" "=",
//     ".." not "." "."); `1.` is not a float, so "0..T" is INT ".." IDENT;
//   - identifiers [A-Za-z_][A-Za-z0-9_]*, keywords from token_kinds.def;
//     max and min stay identifiers (the parser reads "max=" in context);
//   - INT: decimal digits, an error if it does not fit in 64 bits (signed);
//   - FLOAT: digits "." digits [exponent] | digits exponent, exponent = [eE][+-]?digits;
//   - "//" line comments and "/* */" block comments (not nested);
//   - lines and columns are 1-based, columns count bytes.
#pragma once

#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/token.h"

namespace tessel {

/// Splits `file` into tokens; the last token is always kEof (at the end of
/// the text). Lexical errors are reported to `diags` and lexing goes on:
///   - an unexpected character is reported and skipped;
///   - an unterminated block comment is reported at its "/*" and ends the file;
///   - an integer literal too large for int64 is reported and still yields a
///     kInt token (value 0), so the parser does not report it again;
///   - a number followed directly by a run of letters, digits and '_' (the
///     suffix: "12ab", "0x1F", "3_000", "1e5x2"), or an exponent without digits
///     ("1e"), is reported and yields one number token covering it;
///   - a float literal too large for a double, or not zero but rounding to zero
///     ("1e-999"), is reported as out of range.
std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags);

}  // namespace tessel
