#include "stages/driver/directives.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace tessel {

namespace {

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

bool IsName(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    return false;
  }
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::optional<int64_t> ParseInt(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

std::optional<sema::ConstValue> ParseValue(const std::string& text) {
  if (text == "true") return sema::ConstValue::Bool(true);
  if (text == "false") return sema::ConstValue::Bool(false);
  if (std::optional<int64_t> value = ParseInt(text)) return sema::ConstValue::Int(*value);
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return sema::ConstValue::Float(value);
}

// Splits "name=value"; false if either side is missing or the name is not an identifier.
bool SplitPair(const std::string& item, std::string* name, std::string* value) {
  size_t eq = item.find('=');
  if (eq == std::string::npos) return false;
  *name = Trim(item.substr(0, eq));
  *value = Trim(item.substr(eq + 1));
  return IsName(*name) && !value->empty();
}

}  // namespace

bool ParseShapeFlag(const std::string& flag, std::map<std::string, int64_t>* shapes,
                    std::string* error) {
  std::string name, value;
  std::optional<int64_t> size;
  if (SplitPair(flag, &name, &value)) size = ParseInt(value);
  if (!size || *size <= 0) {
    *error = "'" + flag + "' is not NAME=SIZE with a positive integer size (e.g. B=8)";
    return false;
  }
  (*shapes)[name] = *size;
  return true;
}

bool ParseArgFlag(const std::string& flag, std::map<std::string, sema::ConstValue>* args,
                  std::string* error) {
  std::string name, value;
  std::optional<sema::ConstValue> parsed;
  if (SplitPair(flag, &name, &value)) parsed = ParseValue(value);
  if (!parsed) {
    *error = "'" + flag + "' is not NAME=VALUE with true, false or a number (e.g. residual=true)";
    return false;
  }
  (*args)[name] = *parsed;
  return true;
}

RunDirectives ReadDirectives(const SourceFile& file, DiagnosticEngine& diags) {
  RunDirectives directives;
  for (uint32_t line = 1; line <= file.line_count(); ++line) {
    std::string text = Trim(file.LineText(line));
    if (text.empty()) continue;
    if (!text.starts_with("//")) break;  // the first item: directives end
    if (!text.starts_with("//!")) continue;
    std::string_view raw = file.LineText(line);
    uint32_t col = static_cast<uint32_t>(raw.find("//!")) + 1;
    SourceLoc loc{0, line, col};
    std::string body = Trim(text.substr(3));
    size_t colon = body.find(':');
    std::string key = Trim(body.substr(0, colon));
    if (colon == std::string::npos || (key != "entry" && key != "shapes" && key != "args")) {
      diags.Error(file, loc,
                  "unknown run directive '" + body +
                      "': expected 'entry:', 'shapes:' or 'args:' (docs/language.md §7)");
      continue;
    }
    std::string value = Trim(body.substr(colon + 1));
    if (key == "entry") {
      if (!IsName(value)) {
        diags.Error(file, loc, "'//! entry:' needs a function name, found '" + value + "'");
      } else {
        directives.entry = value;
      }
      continue;
    }
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      std::string item =
          Trim(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      std::string error;
      bool ok = key == "shapes" ? ParseShapeFlag(item, &directives.shapes, &error)
                                : ParseArgFlag(item, &directives.args, &error);
      if (!ok) diags.Error(file, loc, "in '//! " + key + ":': " + error);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return directives;
}

}  // namespace tessel
