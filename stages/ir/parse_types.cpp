// Types and numbers of the IR text form: "f32[4, 8]", dtype words, integers and numbers, with
// their range checks. Part of the IR parser (parser_internal.h): the leaves of the grammar that
// function signatures, instructions, attributes, constants and comprehension ranges share.
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "stages/ir/parser_internal.h"

namespace tessel::ir::text {

// The number of elements of `shape`, or nullopt when it is more than `limit`.
std::optional<int64_t> ElementCount(const Shape& shape, int64_t limit) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim == 0) return 0;
  }
  for (int64_t dim : shape) {
    if (count > limit / dim) return std::nullopt;
    count *= dim;
  }
  return count;
}

// type = dtype [ "[" [ INT { "," INT } ] "]" ]
Type Parser::ParseType() {
  Type type;
  type.dtype = ParseDTypeWord();
  if (!Match(Tok::kLBracket)) return type;
  const Token& open = tokens_[pos_ - 1];
  if (!Check(Tok::kRBracket)) {
    do {
      if (Check(Tok::kInt) && Peek().text[0] == '-') Fail("a dimension (an integer >= 0)");
      type.shape.push_back(ParseInt("a dimension (an integer >= 0)"));
    } while (Match(Tok::kComma));
  }
  Expect(Tok::kRBracket, "',' or ']'");
  if (!ElementCount(type.shape, kMaxElements)) {
    Error(open, "type " + FormatType(type) + " has too many elements");
  }
  return type;
}

DType Parser::ParseDTypeWord() {
  if (Check(Tok::kIdent)) {
    if (std::optional<DType> dtype = ParseDType(Peek().text)) {
      Advance();
      return *dtype;
    }
  }
  Fail("a type such as 'f32[4, 8]' (f32, f16, i32, i8 or bool)");
}

int64_t Parser::ParseInt(std::string_view what) {
  const Token& t = Expect(Tok::kInt, what);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
  if (ec != std::errc() || end != t.text.data() + t.text.size()) {
    FailAt(t, "integer " + Quote(t.text) + " is out of range");
  }
  return value;
}

// "[" [ INT { "," INT } ] "]"
std::vector<int64_t> Parser::ParseIntList() {
  std::vector<int64_t> list;
  Expect(Tok::kLBracket, "a list such as '[0, 1]'");
  if (!Check(Tok::kRBracket)) {
    do {
      list.push_back(ParseInt("an integer"));
    } while (Match(Tok::kComma));
  }
  Expect(Tok::kRBracket, "',' or ']'");
  return list;
}

// The value of an INT or FLOAT token (inf, -inf, nan included); nullopt when out of range.
std::optional<double> Parser::NumberValue(const Token& t) {
  if (t.text == "inf") return std::numeric_limits<double>::infinity();
  if (t.text == "-inf") return -std::numeric_limits<double>::infinity();
  if (t.text == "nan") return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
  if (ec != std::errc() || end != t.text.data() + t.text.size()) return std::nullopt;
  return value;
}

double Parser::ParseNumber() {
  if (!Check(Tok::kInt) && !Check(Tok::kFloat)) Fail("a number");
  const Token& t = Advance();
  std::optional<double> value = NumberValue(t);
  if (!value) FailAt(t, "number " + Quote(t.text) + " is out of range");
  return *value;
}
}  // namespace tessel::ir::text
