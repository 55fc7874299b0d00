// FileCheck's patterns (filecheck.h): parsing `text {{regex}} [[NAME:regex]] [[NAME]]` into
// pieces, and turning the pieces into a std::regex once the variables they use are known.
// Internal to stages/testing.
#pragma once

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessel::testing::filecheck {

struct Piece {
  enum class Kind { kLiteral, kRegex, kDefine, kUse };
  Kind kind;
  std::string text;  // the literal, or the regex (of kRegex and kDefine)
  std::string name;  // the variable of kDefine and kUse
};

/// The pieces of a pattern, or nullopt with *error ("unterminated '{{'", "empty pattern").
std::optional<std::vector<Piece>> ParsePattern(std::string_view text, std::string* error);

/// A pattern ready to search: the regex, and the capture group of each variable it defines.
struct Compiled {
  std::regex regex;
  std::vector<std::pair<std::string, size_t>> defines;  // variable, group index
};

/// The regex of `pieces`: literals escaped with runs of spaces matching any horizontal space,
/// uses replaced by the variables' text (or a back-reference to a definition earlier in the same
/// pattern). Nullopt with *error for an undefined variable or a bad regex.
std::optional<Compiled> Compile(const std::vector<Piece>& pieces,
                                const std::map<std::string, std::string>& variables,
                                std::string* error);

}  // namespace tessel::testing::filecheck
