// Parsing and rendering of solution markers (see markers.h): the heart of the
// skeleton generator. The parser is a small state machine over lines; the
// renderer copies every line outside a block unchanged.
#include "tools/skeleton/markers.h"

#include <optional>
#include <regex>
#include <string_view>

namespace tessel {
namespace {

constexpr std::string_view kBegin = "// BEGIN SOLUTION";
constexpr std::string_view kSkeleton = "// SKELETON";
constexpr std::string_view kEnd = "// END SOLUTION";
constexpr std::string_view kCall = "TESSEL_UNIMPLEMENTED(";
constexpr size_t kMaxColumns = 100;

enum class LineKind { kCode, kBegin, kSkeleton, kEnd };

std::string_view IndentOf(std::string_view line) {
  size_t n = line.find_first_not_of(" \t");
  return n == std::string_view::npos ? line : line.substr(0, n);
}

std::string_view Trim(std::string_view s) {
  size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  size_t last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

LineKind Classify(std::string_view line) {
  std::string_view body = Trim(line);
  if (body == kEnd) return LineKind::kEnd;
  if (body == kSkeleton) return LineKind::kSkeleton;
  if (!body.starts_with(kBegin)) return LineKind::kCode;
  if (body.size() == kBegin.size()) return LineKind::kBegin;
  char next = body[kBegin.size()];
  return next == ' ' || next == ':' ? LineKind::kBegin : LineKind::kCode;
}

// "    // text" -> "    text": the first "// " (or a bare "//") goes, the indent stays.
std::optional<std::string> Uncomment(std::string_view line) {
  std::string_view indent = IndentOf(line);
  std::string_view rest = line.substr(indent.size());
  if (Trim(rest).empty()) return std::string();
  if (!rest.starts_with("//")) return std::nullopt;
  rest.remove_prefix(2);
  if (rest.starts_with(' ')) rest.remove_prefix(1);
  if (Trim(rest).empty()) return std::string();
  return std::string(indent) + std::string(rest);
}

// Tracks the open block while ParseMarkers walks the lines.
class MarkerParser {
 public:
  MarkerParser(const std::string& filename, MarkedFile* out) : filename_(filename), out_(out) {}

  /// Feeds line `number` (1-based); false on a malformed marker.
  bool Line(std::string_view line, int number);
  /// Checks that no block is left open at the end of the file.
  bool Finish();
  const std::string& error() const { return error_; }

 private:
  bool Begin(std::string_view line, int number);
  bool Skeleton(int number);
  bool End(int number);
  bool Code(std::string_view line, int number);
  bool Fail(int number, const std::string& message);

  const std::string& filename_;
  MarkedFile* out_;
  std::optional<MarkerBlock> open_;
  int skeleton_line_ = 0;  // line of "// SKELETON" in the open block, 0 if none
  std::string error_;
};

bool MarkerParser::Line(std::string_view line, int number) {
  switch (Classify(line)) {
    case LineKind::kBegin:
      return Begin(line, number);
    case LineKind::kSkeleton:
      return Skeleton(number);
    case LineKind::kEnd:
      return End(number);
    case LineKind::kCode:
      return Code(line, number);
  }
  return Fail(number, "unreadable marker line");
}

bool MarkerParser::Begin(std::string_view line, int number) {
  if (open_) {
    return Fail(number, "BEGIN SOLUTION inside the block opened at line " +
                            std::to_string(open_->begin_line) + " (blocks do not nest)");
  }
  std::string_view rest = Trim(Trim(line).substr(kBegin.size()));
  size_t colon = rest.find(':');
  std::string task(Trim(rest.substr(0, colon)));
  if (!IsTaskId(task)) {
    return Fail(number,
                "bad task id '" + task + "' in BEGIN SOLUTION (expected labNN.tK, e.g. lab01.t3)");
  }
  std::string what(colon == std::string_view::npos ? "" : Trim(rest.substr(colon + 1)));
  if (what.empty()) {
    return Fail(number, "BEGIN SOLUTION " + task +
                            " does not say what to do (write '// BEGIN SOLUTION " + task +
                            ": <what to do>')");
  }
  open_ = MarkerBlock{task, what, number, 0, {}};
  skeleton_line_ = 0;
  return true;
}

bool MarkerParser::Skeleton(int number) {
  if (!open_) return Fail(number, "SKELETON outside a BEGIN SOLUTION ... END SOLUTION block");
  if (skeleton_line_ != 0) {
    return Fail(number,
                "second SKELETON in the block opened at line " + std::to_string(open_->begin_line));
  }
  skeleton_line_ = number;
  return true;
}

bool MarkerParser::End(int number) {
  if (!open_) return Fail(number, "END SOLUTION without a BEGIN SOLUTION");
  if (skeleton_line_ != 0 && open_->replacement.empty()) {
    return Fail(skeleton_line_,
                "SKELETON has no lines before END SOLUTION (write the skeleton's code as "
                "'// ' comments, or drop SKELETON)");
  }
  open_->end_line = number;
  out_->blocks.push_back(std::move(*open_));
  open_.reset();
  return true;
}

bool MarkerParser::Code(std::string_view line, int number) {
  if (!open_ || skeleton_line_ == 0) return true;
  std::optional<std::string> uncommented = Uncomment(line);
  if (!uncommented) {
    return Fail(number, "every line between SKELETON and END SOLUTION must be a '// ' comment");
  }
  open_->replacement.push_back(std::move(*uncommented));
  return true;
}

bool MarkerParser::Finish() {
  if (!open_) return true;
  return Fail(open_->begin_line, "BEGIN SOLUTION " + open_->task + " has no END SOLUTION");
}

bool MarkerParser::Fail(int number, const std::string& message) {
  error_ = filename_ + ":" + std::to_string(number) + ": " + message;
  return false;
}

void SplitLines(const std::string& text, MarkedFile* out) {
  out->ends_with_newline = true;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      out->lines.push_back(text.substr(start));
      out->ends_with_newline = false;
      return;
    }
    out->lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// A C string literal for `text` (UTF-8 passes through unchanged).
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      const char* digits = "01234567";
      out += {'\\', digits[(c >> 6) & 3], digits[(c >> 3) & 7], digits[c & 7]};
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Display columns of a UTF-8 line (continuation bytes take no column).
size_t Columns(const std::string& line) {
  size_t columns = 0;
  for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return columns;
}

// The TESSEL_UNIMPLEMENTED call, wrapped like clang-format would to stay within 100 columns.
std::string UnimplementedCall(const std::string& indent, const MarkerBlock& block,
                              const std::string& section) {
  std::string head = indent + std::string(kCall) + Quote(block.task) + ", ";
  std::string one_line = head + Quote(block.what) + ", " + Quote(section) + ");";
  if (Columns(one_line) <= kMaxColumns) return one_line + "\n";
  std::string align(indent.size() + kCall.size(), ' ');
  std::string two_lines = head + Quote(block.what) + ",";
  if (Columns(two_lines) <= kMaxColumns) return two_lines + "\n" + align + Quote(section) + ");\n";
  return indent + std::string(kCall) + Quote(block.task) + ",\n" + align + Quote(block.what) +
         ",\n" + align + Quote(section) + ");\n";
}

void AppendLines(const MarkedFile& file, int first, int last, std::string* out) {
  for (int i = first; i < last; ++i) *out += file.lines[i] + "\n";
}

// Appends the block as the learner sees it: a TODO, then the SKELETON lines or a throwing call.
void AppendSkeleton(const MarkedFile& file, const MarkerBlock& block,
                    const std::function<std::string(const std::string&)>& section_of,
                    std::string* out) {
  std::string indent(IndentOf(file.lines[block.begin_line - 1]));
  *out += indent + "// TODO(" + block.task + "): " + block.what + "\n";
  for (const std::string& line : block.replacement) *out += line + "\n";
  if (block.replacement.empty()) *out += UnimplementedCall(indent, block, section_of(block.task));
}

// Appends the block's solution code, without its marker lines.
void AppendSolution(const MarkedFile& file, const MarkerBlock& block, std::string* out) {
  int skeleton_part =
      block.replacement.empty() ? 0 : static_cast<int>(block.replacement.size()) + 1;
  // Line numbers are 1-based: the code runs from the line after BEGIN to the SKELETON or END line.
  AppendLines(file, block.begin_line, block.end_line - 1 - skeleton_part, out);
}

}  // namespace

bool IsTaskId(const std::string& id) {
  static const std::regex kTaskId("lab[0-9]{2}\\.t[0-9]+");
  return std::regex_match(id, kTaskId);
}

bool ParseMarkers(const std::string& text, const std::string& filename, MarkedFile* out,
                  std::string* error) {
  *out = MarkedFile{};
  SplitLines(text, out);
  MarkerParser parser(filename, out);
  bool ok = true;
  for (size_t i = 0; ok && i < out->lines.size(); ++i) {
    ok = parser.Line(out->lines[i], static_cast<int>(i) + 1);
  }
  if (ok) ok = parser.Finish();
  if (!ok && error != nullptr) *error = parser.error();
  return ok;
}

std::string RenderFile(const MarkedFile& file, const std::function<bool(const std::string&)>& keep,
                       const std::function<std::string(const std::string&)>& section_of) {
  std::string out;
  int next_line = 0;  // 0-based index of the first line not yet rendered
  for (const MarkerBlock& block : file.blocks) {
    AppendLines(file, next_line, block.begin_line - 1, &out);
    if (keep(block.task)) {
      AppendSolution(file, block, &out);
    } else {
      AppendSkeleton(file, block, section_of, &out);
    }
    next_line = block.end_line;
  }
  AppendLines(file, next_line, static_cast<int>(file.lines.size()), &out);
  if (!file.ends_with_newline && !out.empty()) out.pop_back();
  return out;
}

}  // namespace tessel
