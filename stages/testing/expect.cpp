// Formats expected-vs-actual text and test inputs for failure messages
// (see expect.h); used by every lab's graded test helpers.
#include "stages/testing/expect.h"

#include <algorithm>
#include <vector>

namespace tessel::testing {

namespace {

constexpr size_t kMaxWidth = 100;

// Splits on '\n'; a final newline does not start another line.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

size_t Widest(const std::vector<std::string>& lines, size_t at_least) {
  size_t width = at_least;
  for (const std::string& line : lines) width = std::max(width, line.size());
  return width;
}

std::string LineAt(const std::vector<std::string>& lines, size_t i) {
  return i < lines.size() ? lines[i] : "";
}

std::string Columns(const std::vector<std::string>& e, const std::vector<std::string>& a,
                    size_t width) {
  std::string out = "  expected" + std::string(width - 8, ' ') + " | actual\n";
  for (size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
    std::string left = LineAt(e, i), right = LineAt(a, i);
    out += (i >= e.size() || i >= a.size() || left != right) ? "! " : "  ";
    out += left + std::string(width - left.size(), ' ') + " | " + right + "\n";
  }
  return out;
}

// One text after the other; a line of `marked` gets '!' where `other` differs.
std::string Stacked(const std::string& title, const std::vector<std::string>& marked,
                    const std::vector<std::string>& other) {
  std::string out = "  " + title + ":\n";
  for (size_t i = 0; i < marked.size(); ++i) {
    bool same = i < other.size() && other[i] == marked[i];
    out += (same ? "    " : "  ! ") + marked[i] + "\n";
  }
  return out;
}

}  // namespace

std::string SideBySide(const std::string& expected, const std::string& actual) {
  std::vector<std::string> e = Lines(expected), a = Lines(actual);
  size_t left = Widest(e, 8), right = Widest(a, 6);
  std::string out = left + right + 5 <= kMaxWidth
                        ? Columns(e, a, left)
                        : Stacked("expected", e, a) + Stacked("actual", a, e);
  size_t n = std::max(e.size(), a.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= e.size() || i >= a.size() || e[i] != a[i]) {
      return out + "  first difference at line " + std::to_string(i + 1) + "\n";
    }
  }
  return out;
}

std::string NumberedSource(std::string_view text) {
  std::string out;
  std::vector<std::string> lines = Lines(text);
  if (lines.empty()) lines.emplace_back();
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string number = std::to_string(i + 1);
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.replace(line.size() - 1, 1, "\\r");
    out +=
        std::string(number.size() < 4 ? 4 - number.size() : 0, ' ') + number + " | " + line + "\n";
  }
  return out;
}

std::string Section(std::string_view title, std::string_view body) {
  std::string out = std::string(title) + ":\n";
  for (const std::string& line : Lines(body)) out += "  " + line + "\n";
  return out;
}

}  // namespace tessel::testing
