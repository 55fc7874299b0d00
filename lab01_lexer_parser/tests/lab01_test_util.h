// Assertions for lab01's graded tests: lex or parse a small source text and
// compare the tokens, the printed AST or the diagnostics with what a test
// expects. A failure shows the numbered source, expected and actual side by
// side (tokens as FormatTokens lines, ASTs as S-expressions, see
// stages/frontend/ast_printer.h) and every diagnostic with its caret.
//
// The helpers never catch exceptions: a skeleton's NotImplemented escapes to
// GoogleTest, which reports "not implemented: lab01.tK", and the grader shows
// the task as NOT STARTED. Each helper takes the caller's source location, so
// a failure points at the test line, not at this file.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <source_location>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/frontend/ast_printer.h"
#include "stages/frontend/lexer.h"
#include "stages/frontend/parser.h"
#include "stages/frontend/token.h"
#include "stages/testing/expect.h"

namespace tessel::testing {

using Where = std::source_location;

/// An error a test expects: its line and column, and a fragment of its message.
struct ExpectedError {
  uint32_t line;
  uint32_t col;
  std::string fragment;
};

/// A lexed text. The SourceFile lives on the heap because tokens and
/// diagnostics point into it.
struct LexResult {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diags;
  std::vector<Token> tokens;
};

/// A parsed module (never null: ParseModule always returns one).
struct ModuleResult {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diags;
  std::unique_ptr<ast::Module> module;
};

/// A parsed expression (null after an error).
struct ExprResult {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diags;
  ast::ExprPtr expr;
};

// ------------------------------------------------------------ running the stage

/// A source file named "input.tsl" holding `text`.
inline std::unique_ptr<SourceFile> MakeFile(std::string text) {
  return std::make_unique<SourceFile>("input.tsl", std::move(text));
}

/// Lexes `text` with a fresh DiagnosticEngine (default error limit).
inline LexResult LexText(std::string text) {
  LexResult result{MakeFile(std::move(text)), DiagnosticEngine(), {}};
  result.tokens = Lex(*result.file, result.diags);
  return result;
}

/// Parses `text` as a module.
inline ModuleResult ParseText(std::string text) {
  ModuleResult result{MakeFile(std::move(text)), DiagnosticEngine(), nullptr};
  result.module = ast::ParseModule(*result.file, result.diags);
  return result;
}

/// Parses `text` as one expression.
inline ExprResult ParseExprText(std::string text) {
  ExprResult result{MakeFile(std::move(text)), DiagnosticEngine(), nullptr};
  result.expr = ast::ParseExpression(*result.file, result.diags);
  return result;
}

/// Wraps statements in a function so ParseModule can parse them: the body
/// starts on line 2, so a statement's line in the body is its line + 1.
inline std::string InFunction(std::string_view body) {
  return "fn f() -> f32 {\n" + std::string(body) + "\n}\n";
}

// ------------------------------------------------------------ describing results

/// Every diagnostic as the driver prints it, or "(none)".
inline std::string DiagnosticsText(const DiagnosticEngine& diags) {
  if (diags.diagnostics().empty()) return "(none)\n";
  std::ostringstream out;
  diags.Print(out);
  return out.str();
}

/// The errors (not notes), ordered by position: the lexer reports before the
/// parser, but tests list errors in source order.
inline std::vector<const Diagnostic*> SortedErrors(const DiagnosticEngine& diags) {
  std::vector<const Diagnostic*> errors;
  for (const Diagnostic& d : diags.diagnostics()) {
    if (d.severity == Severity::kError) errors.push_back(&d);
  }
  std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return a->range.begin.offset < b->range.begin.offset;
  });
  return errors;
}

/// Every line followed by "\n", as FormatTokens writes them.
inline std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

/// Kinds of every token before the final Eof, separated by spaces.
inline std::string KindsText(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kEof) break;
    out += (out.empty() ? "" : " ") + std::string(TokenKindName(token.kind));
  }
  return out;
}

/// The block's statements printed at indent 0, separated by newlines.
inline std::string PrintStmts(const ast::Block& block) {
  std::string out;
  for (const ast::StmtPtr& stmt : block.stmts)
    out += (out.empty() ? "" : "\n") + ast::PrintStmt(*stmt);
  return out;
}

/// "line:col message" of one diagnostic.
inline std::string ErrorLine(const Diagnostic& d) {
  return std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + " " +
         d.message;
}

/// True when `d` is at e's line and column and its message contains e's fragment.
inline bool Matches(const Diagnostic& d, const ExpectedError& e) {
  return d.range.begin.line == e.line && d.range.begin.col == e.col &&
         d.message.find(e.fragment) != std::string::npos;
}

/// "expected vs actual" for error lists; '!' marks actual errors that do not
/// match the expected error at the same position in the list.
inline std::string CompareErrors(const std::vector<ExpectedError>& expected,
                                 const std::vector<const Diagnostic*>& actual) {
  std::string out = "expected errors (line:col and a fragment of the message):\n";
  for (const ExpectedError& e : expected) {
    out += "    " + std::to_string(e.line) + ":" + std::to_string(e.col) + " ..." + e.fragment +
           "...\n";
  }
  if (expected.empty()) out += "    (none)\n";
  out += "actual errors, in source order:\n";
  for (size_t i = 0; i < actual.size(); ++i) {
    bool ok = i < expected.size() && Matches(*actual[i], expected[i]);
    out += (ok ? "    " : "  ! ") + ErrorLine(*actual[i]) + "\n";
  }
  if (actual.empty()) out += "    (none)\n";
  return out;
}

/// True when the lists have the same length and match one for one.
inline bool ErrorsMatch(const std::vector<ExpectedError>& expected,
                        const std::vector<const Diagnostic*>& actual) {
  if (expected.size() != actual.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!Matches(*actual[i], expected[i])) return false;
  }
  return true;
}

/// Records a non-fatal failure at the test's own line.
inline void Fail(const Where& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
}

/// The input text, numbered, under the title "source".
inline std::string SourceSection(std::string_view text) {
  return Section("source", NumberedSource(text));
}

// ------------------------------------------------------------ lexer assertions

/// Lexes `text`, expects no diagnostics and exactly these tokens, one
/// FormatTokens line each ("1:5 Ident 'x'"), the final "line:col Eof" included.
inline void ExpectTokens(std::string text, const std::vector<std::string>& expected,
                         Where where = Where::current()) {
  LexResult r = LexText(std::move(text));
  std::string actual = FormatTokens(r.tokens), wanted = JoinLines(expected);
  if (actual == wanted && !r.diags.has_errors()) return;
  Fail(where, SourceSection(r.file->text()) +
                  Section("tokens (line:col Kind 'text')", SideBySide(wanted, actual)) +
                  Section("diagnostics (expected none)", DiagnosticsText(r.diags)));
}

/// Lexes `text`, expects no diagnostics and these token kinds before Eof,
/// separated by spaces: ExpectKinds("a += 1", "Ident PlusAssign Int").
inline void ExpectKinds(std::string text, std::string_view kinds, Where where = Where::current()) {
  LexResult r = LexText(std::move(text));
  std::string actual = KindsText(r.tokens);
  bool ends_with_eof = !r.tokens.empty() && r.tokens.back().kind == TokenKind::kEof;
  if (actual == kinds && ends_with_eof && !r.diags.has_errors()) return;
  Fail(where, SourceSection(r.file->text()) +
                  Section("token kinds before Eof", SideBySide(std::string(kinds), actual)) +
                  Section("all tokens", FormatTokens(r.tokens)) +
                  Section("diagnostics (expected none)", DiagnosticsText(r.diags)));
}

/// Lexes `text` and expects exactly these errors; when `tokens` is not
/// empty, also exactly these tokens (lexing goes on after an error).
inline void ExpectLexErrors(std::string text, const std::vector<ExpectedError>& errors,
                            const std::vector<std::string>& tokens = {},
                            Where where = Where::current()) {
  LexResult r = LexText(std::move(text));
  std::vector<const Diagnostic*> actual = SortedErrors(r.diags);
  std::string actual_tokens = FormatTokens(r.tokens), wanted_tokens = JoinLines(tokens);
  bool tokens_ok = tokens.empty() || actual_tokens == wanted_tokens;
  if (ErrorsMatch(errors, actual) && tokens_ok) return;
  std::string token_text =
      tokens.empty() ? actual_tokens : SideBySide(wanted_tokens, actual_tokens);
  Fail(where, SourceSection(r.file->text()) + CompareErrors(errors, actual) +
                  Section("tokens", token_text) + Section("diagnostics", DiagnosticsText(r.diags)));
}

// ------------------------------------------------------------ parser assertions

/// Parses `text` with ParseExpression; expects no diagnostics and the AST
/// printed as `sexpr`: ExpectExprAst("1 + 2 * 3", "(+ 1 (* 2 3))").
inline void ExpectExprAst(std::string text, std::string_view sexpr,
                          Where where = Where::current()) {
  ExprResult r = ParseExprText(std::move(text));
  std::string actual = r.expr ? ast::PrintExpr(*r.expr) : "(null: no expression returned)";
  if (actual == sexpr && r.expr && !r.diags.has_errors()) return;
  Fail(where, SourceSection(r.file->text()) +
                  Section("AST", SideBySide(std::string(sexpr), actual)) +
                  Section("diagnostics (expected none)", DiagnosticsText(r.diags)));
}

/// Parses `text` with ParseModule; expects no diagnostics and the module
/// printed as `sexpr` (PrintModule's multi-line form).
inline void ExpectModuleAst(std::string text, std::string_view sexpr,
                            Where where = Where::current()) {
  ModuleResult r = ParseText(std::move(text));
  std::string actual = PrintModule(*r.module);
  if (actual == sexpr && !r.diags.has_errors()) return;
  Fail(where, SourceSection(r.file->text()) +
                  Section("AST", SideBySide(std::string(sexpr), actual)) +
                  Section("diagnostics (expected none)", DiagnosticsText(r.diags)));
}

/// Parses statements inside `fn f() -> f32 { ... }` with ParseModule; expects
/// no diagnostics and the statements printed as `sexpr` (PrintStmt at
/// indent 0, one statement after another, separated by newlines).
inline void ExpectStmtAst(std::string_view body, std::string_view sexpr,
                          Where where = Where::current()) {
  ModuleResult r = ParseText(InFunction(body));
  std::string actual = "(no single fn parsed)";
  if (r.module->items.size() == 1 && r.module->items[0]->kind == ast::ItemKind::kFn) {
    actual = PrintStmts(*r.module->items[0]->As<ast::FnItem>().body);
  }
  if (actual == sexpr && !r.diags.has_errors()) return;
  Fail(where, SourceSection(r.file->text()) +
                  Section("statements", SideBySide(std::string(sexpr), actual)) +
                  Section("diagnostics (expected none)", DiagnosticsText(r.diags)));
}

/// Parses `text` with ParseModule and expects no diagnostics at all; returns
/// the result so the test can look at the module's structure.
inline ModuleResult ExpectParses(std::string text, Where where = Where::current()) {
  ModuleResult r = ParseText(std::move(text));
  if (!r.diags.diagnostics().empty()) {
    Fail(where, SourceSection(r.file->text()) +
                    Section("diagnostics (expected none)", DiagnosticsText(r.diags)));
  }
  return r;
}

/// Parses `text` with ParseModule and expects exactly these errors, in source
/// order, each at its line and column with the fragment in its message:
///   ExpectErrors(src, {{2, 11, "expected expression, found ';'"}});
inline ModuleResult ExpectErrors(std::string text, const std::vector<ExpectedError>& errors,
                                 Where where = Where::current()) {
  ModuleResult r = ParseText(std::move(text));
  std::vector<const Diagnostic*> actual = SortedErrors(r.diags);
  if (!ErrorsMatch(errors, actual)) {
    Fail(where, SourceSection(r.file->text()) + CompareErrors(errors, actual) +
                    Section("diagnostics", DiagnosticsText(r.diags)));
  }
  return r;
}

// ------------------------------------------------------------ module structure

/// The names of the module's items in order ("fn" and "const" alike).
inline std::vector<std::string> ItemNames(const ast::Module& module) {
  std::vector<std::string> names;
  for (const ast::ItemPtr& item : module.items) names.push_back(item->name);
  return names;
}

/// The fn called `name`, or null.
inline const ast::FnItem* FindFn(const ast::Module& module, std::string_view name) {
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind == ast::ItemKind::kFn && item->name == name) return &item->As<ast::FnItem>();
  }
  return nullptr;
}

inline int CountStmts(const ast::Block& block, ast::StmtKind kind);

/// How many statements of `kind` `stmt` is or holds in its nested blocks.
inline int CountStmts(const ast::Stmt& stmt, ast::StmtKind kind) {
  int count = stmt.kind == kind ? 1 : 0;
  if (stmt.kind == ast::StmtKind::kFor) count += CountStmts(*stmt.As<ast::ForStmt>().body, kind);
  if (stmt.kind == ast::StmtKind::kIf) {
    const auto& s = stmt.As<ast::IfStmt>();
    count += CountStmts(*s.then_block, kind);
    if (s.else_block) count += CountStmts(*s.else_block, kind);
    if (s.else_if) count += CountStmts(*s.else_if, kind);
  }
  return count;
}

/// How many statements of `kind` the block holds, nested blocks included.
inline int CountStmts(const ast::Block& block, ast::StmtKind kind) {
  int count = 0;
  for (const ast::StmtPtr& stmt : block.stmts) count += CountStmts(*stmt, kind);
  return count;
}

#ifdef TESSEL_SOURCE_DIR
/// The text of examples/<file> in the source tree ("" and a failure if unreadable).
inline std::string ReadExample(const std::string& file, Where where = Where::current()) {
  std::string path = TESSEL_SOURCE_DIR "/examples/" + file;
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(where, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
#endif

}  // namespace tessel::testing
