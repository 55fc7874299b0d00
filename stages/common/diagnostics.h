// The diagnostics engine: user errors with a location, printed clang-style.
//
//   model.tsl:7:12: error: expected ';', found '}'
//     let y = a @ b
//                  ^
//
// Every stage reports user errors here instead of throwing, so one run can
// report several independent errors. After `error_limit` errors the engine
// records one "too many errors" note and `ShouldStop()` turns true; callers
// check it and stop early. Compiler bugs are not diagnostics: see check.h.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "stages/common/source.h"

namespace tessel {

enum class Severity { kError, kWarning, kNote };

/// One reported problem. `file` may be null for errors that have no source
/// (a missing input file); then only the message is printed.
struct Diagnostic {
  Severity severity = Severity::kError;
  const SourceFile* file = nullptr;
  SourceRange range;
  std::string message;
};

class DiagnosticEngine {
 public:
  explicit DiagnosticEngine(int error_limit = 20) : error_limit_(error_limit) {}

  /// Reports an error at `loc` (the caret points there).
  void Error(const SourceFile& file, SourceLoc loc, std::string message);
  /// Reports an error over `range` (caret at the start, `~` under the rest of the line).
  void Error(const SourceFile& file, SourceRange range, std::string message);
  /// Reports an error that has no source location.
  void Error(std::string message);
  void Warning(const SourceFile& file, SourceLoc loc, std::string message);
  void Note(const SourceFile& file, SourceLoc loc, std::string message);
  /// A note without a source line, continuing the diagnostic before it.
  void Note(std::string message);

  int error_count() const { return error_count_; }
  bool has_errors() const { return error_count_ > 0; }
  /// Errors after which ShouldStop() is true (0: no limit).
  int error_limit() const { return error_limit_; }
  /// True once the error limit was reached: stop reporting and unwind.
  bool ShouldStop() const { return error_limit_ > 0 && error_count_ >= error_limit_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  /// Prints every diagnostic in order, with source lines and carets.
  void Print(std::ostream& out) const;
  /// Formats one diagnostic: "file:line:col: error: message", the line, a caret.
  static std::string Format(const Diagnostic& diagnostic);

 private:
  void Add(Diagnostic diagnostic);

  int error_limit_;
  int error_count_ = 0;
  bool limit_reported_ = false;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace tessel
