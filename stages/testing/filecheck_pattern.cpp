// FileCheck patterns (filecheck_pattern.h): pieces in, std::regex out.
#include "stages/testing/filecheck_pattern.h"

namespace tessel::testing::filecheck {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// A literal as an ECMAScript regex: metacharacters escaped, each run of spaces `[ \t]+`.
std::string EscapeLiteral(std::string_view text) {
  static const std::string kSpecial = "\\^$.|?*+()[]{}/";
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsSpace(text[i])) {
      while (i + 1 < text.size() && IsSpace(text[i + 1])) ++i;
      out += "[ \\t]+";
      continue;
    }
    if (kSpecial.find(text[i]) != std::string::npos) out += '\\';
    out += text[i];
  }
  return out;
}

// How many capturing groups a user regex opens: '(' not escaped and not followed by '?'.
size_t CountGroups(std::string_view regex) {
  size_t groups = 0;
  for (size_t i = 0; i < regex.size(); ++i) {
    if (regex[i] == '\\') {
      ++i;
    } else if (regex[i] == '(' && (i + 1 == regex.size() || regex[i + 1] != '?')) {
      ++groups;
    }
  }
  return groups;
}

// Where the `}}` (or `]]`) closing a piece that starts at `start` is: the first pair that is
// not escaped and not inside braces (brackets) the piece opened itself, so that
// {{[0-9]{2}}} and [[T:f32\[[0-9]+\]]] close where they should. npos when none does.
size_t FindClose(std::string_view text, size_t start, char open, char close) {
  int depth = 0;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == open) {
      ++depth;
    } else if (text[i] == close && depth > 0) {
      --depth;
    } else if (text[i] == close && i + 1 < text.size() && text[i + 1] == close) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool IsName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<std::vector<Piece>> ParsePattern(std::string_view text, std::string* error) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty()) {
    *error = "the pattern is empty";
    return std::nullopt;
  }
  std::vector<Piece> pieces;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) pieces.push_back({Piece::Kind::kLiteral, literal, ""});
    literal.clear();
  };
  for (size_t i = 0; i < text.size();) {
    std::string_view rest = text.substr(i);
    bool regex = rest.starts_with("{{"), variable = rest.starts_with("[[");
    if (!regex && !variable) {
      literal += text[i++];
      continue;
    }
    size_t close = regex ? FindClose(text, i + 2, '{', '}') : FindClose(text, i + 2, '[', ']');
    if (close == std::string_view::npos) {
      *error = std::string("unterminated '") + (regex ? "{{" : "[[") + "'";
      return std::nullopt;
    }
    std::string_view inside = text.substr(i + 2, close - i - 2);
    flush();
    if (regex) {
      pieces.push_back({Piece::Kind::kRegex, std::string(inside), ""});
    } else {
      size_t colon = inside.find(':');
      std::string_view name = inside.substr(0, colon);
      if (!IsName(name)) {
        *error = "'" + std::string(name) + "' is not a variable name";
        return std::nullopt;
      }
      if (colon == std::string_view::npos) {
        pieces.push_back({Piece::Kind::kUse, "", std::string(name)});
      } else {
        pieces.push_back(
            {Piece::Kind::kDefine, std::string(inside.substr(colon + 1)), std::string(name)});
      }
    }
    i = close + 2;
  }
  flush();
  return pieces;
}

std::optional<Compiled> Compile(const std::vector<Piece>& pieces,
                                const std::map<std::string, std::string>& variables,
                                std::string* error) {
  Compiled compiled;
  std::string regex;
  size_t groups = 0;
  std::map<std::string, size_t> here;  // variables defined earlier in this pattern
  for (const Piece& piece : pieces) {
    switch (piece.kind) {
      case Piece::Kind::kLiteral:
        regex += EscapeLiteral(piece.text);
        break;
      case Piece::Kind::kRegex:
        regex += "(?:" + piece.text + ")";
        groups += CountGroups(piece.text);
        break;
      case Piece::Kind::kDefine:
        regex += "(" + piece.text + ")";
        here[piece.name] = ++groups;
        compiled.defines.emplace_back(piece.name, groups);
        groups += CountGroups(piece.text);
        break;
      case Piece::Kind::kUse:
        if (auto it = here.find(piece.name); it != here.end()) {
          regex += "\\" + std::to_string(it->second);
        } else if (auto var = variables.find(piece.name); var != variables.end()) {
          regex += EscapeLiteral(var->second);
        } else {
          *error = "uses the variable '" + piece.name + "', which no earlier match defined";
          return std::nullopt;
        }
        break;
    }
  }
  try {
    compiled.regex = std::regex(regex, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    *error = "bad regular expression '" + regex + "': " + e.what();
    return std::nullopt;
  }
  return compiled;
}

}  // namespace tessel::testing::filecheck
