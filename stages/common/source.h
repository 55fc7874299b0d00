// Source files and locations.
//
// Every stage reports user errors against the original program text, so the
// front end keeps the whole file in memory and every token and AST node holds
// a SourceLoc (1-based line and column) or a SourceRange into it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessel {

/// A position in a source file. Lines and columns are 1-based; a column counts
/// bytes, so a tab is one column. `offset` is the 0-based byte offset.
struct SourceLoc {
  uint32_t offset = 0;
  uint32_t line = 1;
  uint32_t col = 1;

  friend bool operator==(const SourceLoc&, const SourceLoc&) = default;
};

/// A half-open byte range [begin, end) of one source file.
struct SourceRange {
  SourceLoc begin;
  SourceLoc end;
};

/// One program text with its name, as read from disk or given by a test.
class SourceFile {
 public:
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }

  /// The text of line `line` (1-based) without its line terminator.
  std::string_view LineText(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

  /// The location of byte `offset`; offsets past the end map to the end.
  SourceLoc LocForOffset(uint32_t offset) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;  // byte offset where each line begins
};

/// Reads `path` into a SourceFile; nullopt (with `error` set) when it cannot be read.
std::optional<SourceFile> ReadSourceFile(const std::string& path, std::string* error);

}  // namespace tessel
