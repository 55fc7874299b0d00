// Side-by-side comparison of expected and actual text for failure messages.
#include "stages/testing/expect.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace tessel::testing {

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

std::string SideBySide(const std::string& expected, const std::string& actual) {
  std::vector<std::string> e = Lines(expected), a = Lines(actual);
  size_t width = 8;
  for (const std::string& line : e) width = std::max(width, line.size());
  width = std::min<size_t>(width, 60);
  std::ostringstream out;
  out << "  " << std::string("expected") << std::string(width - 8, ' ') << " | actual\n";
  for (size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
    std::string left = i < e.size() ? e[i] : "", right = i < a.size() ? a[i] : "";
    char mark = left == right ? ' ' : '!';
    out << mark << " " << left;
    if (left.size() < width) out << std::string(width - left.size(), ' ');
    out << " | " << right << "\n";
  }
  return out.str();
}

}  // namespace tessel::testing
