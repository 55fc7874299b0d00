#include "stages/driver/directives.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <set>

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
  if (shapes->count(name)) {
    *error = "'" + name + "' is given twice";
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
  if (args->count(name)) {
    *error = "'" + name + "' is given twice";
    return false;
  }
  (*args)[name] = *parsed;
  return true;
}

namespace {

void ReadEntry(const SourceFile& file, SourceLoc loc, const std::string& value,
               RunDirectives& directives, DiagnosticEngine& diags) {
  if (!IsName(value)) {
    diags.Error(file, loc, "'//! entry:' needs a function name, found '" + value + "'");
  } else if (!directives.entry.empty()) {
    diags.Error(file, loc,
                "a second '//! entry:' line; the first names '" + directives.entry + "'");
  } else {
    directives.entry = value;
  }
}

// "x=data/x.npy" of an `inputs:` line.
bool ParseInputItem(const std::string& item, std::map<std::string, std::string>* inputs,
                    std::string* error) {
  size_t eq = item.find('=');
  std::string name = Trim(item.substr(0, eq));
  std::string path = eq == std::string::npos ? "" : Trim(item.substr(eq + 1));
  if (name.empty() || path.empty()) {
    *error = "'" + item + "' is not name=file.npy";
    return false;
  }
  if (inputs->count(name)) {
    *error = name + " is given twice";
    return false;
  }
  (*inputs)[name] = path;
  return true;
}

// The comma-separated NAME=VALUE items of a `shapes:` or `args:` line; `rest` is the line
// after the colon, so each item's column is known.
void ReadPairs(const SourceFile& file, uint32_t line, const std::string& key, std::string_view rest,
               RunDirectives& directives, DiagnosticEngine& diags) {
  uint32_t rest_col = static_cast<uint32_t>(file.LineText(line).size() - rest.size()) + 1;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    std::string_view raw_item =
        rest.substr(start, comma == std::string_view::npos ? rest.npos : comma - start);
    std::string item = Trim(raw_item);
    size_t lead = raw_item.find_first_not_of(" \t");
    SourceLoc loc{0, line,
                  rest_col + static_cast<uint32_t>(start + (lead == raw_item.npos ? 0 : lead))};
    std::string error;
    bool ok = key == "shapes"   ? ParseShapeFlag(item, &directives.shapes, &error)
              : key == "inputs" ? ParseInputItem(item, &directives.inputs, &error)
                                : ParseArgFlag(item, &directives.args, &error);
    if (!ok) {
      diags.Error(file, loc, "in '//! " + key + ":': " + error);
    } else {
      std::string name = Trim(item.substr(0, item.find('=')));
      if (key != "inputs") (key == "shapes" ? directives.shape_locs : directives.arg_locs)[name] = loc;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

}  // namespace

RunDirectives ReadDirectives(const SourceFile& file, DiagnosticEngine& diags) {
  RunDirectives directives;
  for (uint32_t line = 1; line <= file.line_count(); ++line) {
    std::string text = Trim(file.LineText(line));
    if (text.empty()) continue;
    if (!text.starts_with("//")) break;  // the first item: directives end
    if (!text.starts_with("//!")) continue;
    std::string_view raw = file.LineText(line);
    SourceLoc loc{0, line, static_cast<uint32_t>(raw.find("//!")) + 1};
    std::string body = Trim(text.substr(3));
    size_t colon = body.find(':');
    std::string key = Trim(body.substr(0, colon));
    if (colon == std::string::npos ||
        (key != "entry" && key != "shapes" && key != "args" && key != "inputs")) {
      diags.Error(file, loc,
                  "unknown run directive '" + body +
                      "': expected 'entry:', 'shapes:', 'args:' or 'inputs:' (docs/language.md §7)");
      continue;
    }
    std::string value = Trim(body.substr(colon + 1));
    if (key == "entry") {
      ReadEntry(file, loc, value, directives, diags);
    } else {
      ReadPairs(file, line, key, raw.substr(raw.find(':') + 1), directives, diags);
    }
  }
  return directives;
}

void CheckDirectiveNames(const SourceFile& file, const RunDirectives& directives,
                         const ast::FnItem& entry, DiagnosticEngine& diags) {
  std::set<std::string> shape_vars, scalar_params;
  for (const ast::Param& param : entry.params) {
    if (param.type.dims.empty()) scalar_params.insert(param.name);
    for (const ast::ExprPtr& dim : param.type.dims) {
      if (dim->kind == ast::ExprKind::kName) shape_vars.insert(dim->As<ast::NameExpr>().name);
    }
  }
  for (const auto& [name, loc] : directives.shape_locs) {
    if (shape_vars.count(name)) continue;
    diags.Error(file, loc,
                "'//! shapes:' gives '" + name + "', but '" + entry.name +
                    "' has no shape variable '" + name + "'");
  }
  for (const auto& [name, loc] : directives.arg_locs) {
    if (scalar_params.count(name)) continue;
    diags.Error(file, loc,
                "'//! args:' gives '" + name + "', but '" + entry.name +
                    "' has no scalar parameter '" + name + "'");
  }
}

}  // namespace tessel
