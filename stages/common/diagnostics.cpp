// Diagnostics engine: collects located errors and renders them clang-style.
#include "stages/common/diagnostics.h"

#include <algorithm>
#include <ostream>

namespace tessel {

namespace {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

// The source line, then a caret under range.begin and '~' under the rest of
// the range that lies on the same line. Tabs are copied into the marker line
// so the caret lines up in a terminal.
std::string CaretLines(const SourceFile& file, SourceRange range) {
  std::string_view line = file.LineText(range.begin.line);
  std::string out = "  " + std::string(line) + "\n  ";
  uint32_t caret = range.begin.col - 1;
  for (uint32_t i = 0; i < caret && i < line.size(); ++i) out += line[i] == '\t' ? '\t' : ' ';
  if (caret > line.size()) out.append(caret - line.size(), ' ');
  out += '^';
  if (range.end.line == range.begin.line && range.end.col > range.begin.col + 1) {
    uint32_t end_col = std::min<uint32_t>(range.end.col - 1, static_cast<uint32_t>(line.size()));
    if (end_col > caret + 1) out.append(end_col - caret - 1, '~');
  }
  return out + "\n";
}

}  // namespace

void DiagnosticEngine::Error(const SourceFile& file, SourceLoc loc, std::string message) {
  Add({Severity::kError, &file, {loc, loc}, std::move(message)});
}

void DiagnosticEngine::Error(const SourceFile& file, SourceRange range, std::string message) {
  Add({Severity::kError, &file, range, std::move(message)});
}

void DiagnosticEngine::Error(std::string message) {
  Add({Severity::kError, nullptr, {}, std::move(message)});
}

void DiagnosticEngine::Warning(const SourceFile& file, SourceLoc loc, std::string message) {
  Add({Severity::kWarning, &file, {loc, loc}, std::move(message)});
}

void DiagnosticEngine::Note(std::string message) {
  Add({Severity::kNote, nullptr, {}, std::move(message)});
}

void DiagnosticEngine::Note(const SourceFile& file, SourceLoc loc, std::string message) {
  Add({Severity::kNote, &file, {loc, loc}, std::move(message)});
}

void DiagnosticEngine::Add(Diagnostic diagnostic) {
  if (ShouldStop()) return;  // past the limit: the note below already said we stopped
  if (diagnostic.severity == Severity::kError) ++error_count_;
  diagnostics_.push_back(std::move(diagnostic));
  if (ShouldStop() && !limit_reported_) {
    limit_reported_ = true;
    diagnostics_.push_back(
        {Severity::kNote,
         nullptr,
         {},
         "too many errors emitted (limit " + std::to_string(error_limit_) + "), stopping now"});
  }
}

std::string DiagnosticEngine::Format(const Diagnostic& d) {
  // Without a location the program speaks, as clang does ("clang: error: ...").
  if (d.file == nullptr)
    return "tessel: " + std::string(SeverityName(d.severity)) + ": " + d.message + "\n";
  std::string head = d.file->name() + ":" + std::to_string(d.range.begin.line) + ":" +
                     std::to_string(d.range.begin.col) + ": " + SeverityName(d.severity) + ": " +
                     d.message + "\n";
  return head + CaretLines(*d.file, d.range);
}

void DiagnosticEngine::Print(std::ostream& out) const {
  for (const Diagnostic& d : diagnostics_) out << Format(d);
}

}  // namespace tessel
