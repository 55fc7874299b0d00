// The parser: tokens to AST (lab01, tasks t3 to t6).
//
// Implemented by lab01_lexer_parser/parser.cpp (the learner's) or
// solutions/lab01_lexer_parser/parser.cpp (the reference). Recursive descent
// with precedence climbing for binary operators; the grammar is in
// docs/language.md §2. Syntax errors are reported to `diags` as
// "expected X, found Y" at the found token, or, when that token starts a later
// line, just after the previous token (a missing ';' at the end of a line,
// docs/language.md §6.1); the parser then resynchronizes
// (at ';', '}' or the next 'fn'/'const') and goes on, so one run reports every
// independent error. Nesting deeper than kMaxNesting is an error, not a stack
// overflow. No input makes the parser crash or loop forever.
#pragma once

#include <memory>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"

namespace tessel::ast {

/// Deepest nesting of expressions and blocks the parser accepts.
inline constexpr int kMaxNesting = 256;

/// Lexes and parses a whole module. Always returns a module: the items that
/// parsed; check `diags.has_errors()` before using it.
std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags);

/// Lexes and parses one expression that must fill the whole file (for tests
/// and tools). Returns null after reporting an error.
ExprPtr ParseExpression(const SourceFile& file, DiagnosticEngine& diags);

}  // namespace tessel::ast
