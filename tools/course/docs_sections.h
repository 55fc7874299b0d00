// Section references of the docs lint (docs_lint.h, check 4): which file a `§4.3`
// names and whether that file has such a heading.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tessel::course {

/// The numbered headings of a Markdown file: number ("4.3", "A.1") -> title.
std::map<std::string, std::string> HeadingTitles(const std::string& markdown);

/// One `§N.M` in a line of text, with the file it refers to (relative to the
/// repository), resolved from what stands before it.
struct SectionRef {
  std::string file;     // "docs/ir.md"
  std::string section;  // "10", "4.3", "A.1"
  size_t offset = 0;    // where the `§` is in the text searched
};

/// Resolves the files of documents, labs and headings for section references.
class SectionIndex {
 public:
  /// `labs` maps a lab id ("lab01") to its folder ("lab01_lexer_parser").
  SectionIndex(std::string source_dir, std::map<std::string, std::string> labs);

  /// The references of `line`, a line of `file` (relative path). A reference takes its
  /// file from the path, link, lab id ("lab01 §4.6") or "README" (the lab's handout in a
  /// lab's folders, else README.md) just before it; the second end of a range
  /// (§4.1–§4.3) or a list (§2, §3) the first one's; otherwise, when `bare_is_local`,
  /// the line's own file, else it is skipped (source code cites papers' sections too).
  std::vector<SectionRef> Find(const std::string& line, const std::string& file,
                               bool bare_is_local) const;

  /// Why `ref` does not resolve ("docs/ir.md has no §12"), or nullopt when it does.
  std::optional<std::string> Check(const SectionRef& ref) const;

  /// The title of heading `section` of `file` ("Tokens and literals" for "### 4.1 Tokens and
  /// literals"), or nullopt when there is no such heading.
  std::optional<std::string> Title(const std::string& file, const std::string& section) const;

  /// The handout of the lab whose folder (or solution folder) holds `file`, or "".
  std::string HandoutOf(const std::string& file) const;

 private:
  std::string FileBefore(const std::string& before, const std::string& file) const;
  const std::map<std::string, std::string>* Headings(const std::string& file) const;

  std::string source_dir_;
  std::map<std::string, std::string> labs_;
  mutable std::map<std::string, std::optional<std::map<std::string, std::string>>> headings_;
};

}  // namespace tessel::course
