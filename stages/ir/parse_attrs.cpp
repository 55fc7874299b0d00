// Attributes of the IR text form: the "{ axes = [0], keepdims = true }" after an instruction's
// operands. Part of the IR parser (parser_internal.h). An op's AttrForm (TextFormOf in
// printer.h, the table the printer writes from too) picks the names it takes; SpecOf lists them.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "stages/ir/parser_internal.h"

namespace tessel::ir::text {

namespace {

// The attributes each AttrForm accepts, the required ones first.
struct AttrSpec {
  std::vector<std::string_view> names;
  size_t required;
};
AttrSpec SpecOf(AttrForm form) {
  switch (form) {
    case AttrForm::kNone:
      return {{}, 0};
    case AttrForm::kReduce:
      return {{"axes", "keepdims"}, 1};
    case AttrForm::kTranspose:
      return {{"perm"}, 1};
    case AttrForm::kConcat:
      return {{"axis"}, 1};
    case AttrForm::kSlice:
      return {{"begin", "end", "step"}, 2};
    case AttrForm::kPad:
      return {{"low", "high", "value"}, 2};
  }
  return {{}, 0};
}

// The list attribute called `name` (perm is stored in axes).
std::vector<int64_t>* ListField(Attrs& a, std::string_view name) {
  if (name == "begin") return &a.begin;
  if (name == "end") return &a.end;
  if (name == "step") return &a.step;
  if (name == "low") return &a.low;
  if (name == "high") return &a.high;
  return &a.axes;  // axes, perm
}

}  // namespace

// attrs = "{" [ NAME "=" value { "," NAME "=" value } ] "}"
void Parser::ParseAttrs(Op op, AttrForm form, Draft& d) {
  std::vector<std::string> seen;
  if (Check(Tok::kLBrace)) {
    if (form == AttrForm::kNone) FailAt(Peek(), Quote(OpMnemonic(op)) + " takes no attributes");
    Advance();
    if (!Check(Tok::kRBrace)) {
      do {
        ParseAttr(form, d, seen);
      } while (Match(Tok::kComma));
    }
    Expect(Tok::kRBrace, "',' or '}'");
  }
  CheckRequiredAttrs(form, d, seen);
}

// attr = NAME "=" value
void Parser::ParseAttr(AttrForm form, Draft& d, std::vector<std::string>& seen) {
  const Token& key = Expect(Tok::kIdent, "an attribute name");
  CheckAttrName(form, d, key, seen);
  seen.emplace_back(key.text);
  Expect(Tok::kEqual, "'='");
  ParseAttrValue(std::string(key.text), d.attrs);
}

// An unknown name ends the instruction; a duplicate is reported and read again.
void Parser::CheckAttrName(AttrForm form, const Draft& d, const Token& key,
                           const std::vector<std::string>& seen) {
  std::string name(key.text);
  AttrSpec spec = SpecOf(form);
  if (std::find(spec.names.begin(), spec.names.end(), name) == spec.names.end()) {
    std::string allowed;
    for (std::string_view n : spec.names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
    FailAt(key, "unknown attribute " + Quote(name) + " for " + Quote(d.mnemonic.text) +
                    " (it takes " + allowed + ")");
  }
  if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
    Error(key, "duplicate attribute " + Quote(name));
  }
}

// value = "true" | "false" (keepdims) | INT (axis) | NUMBER (value) | "[" INT, ... "]" (lists)
void Parser::ParseAttrValue(const std::string& name, Attrs& a) {
  if (name == "keepdims") {
    if (!IsBoolWord(Peek())) Fail("true or false");
    a.keepdims = Advance().text == "true";
  } else if (name == "axis") {
    a.axes = {ParseInt("an axis")};
  } else if (name == "value") {
    a.pad_value = ParseNumber();
  } else {
    *ListField(a, name) = ParseIntList();
  }
}

void Parser::CheckRequiredAttrs(AttrForm form, Draft& d, const std::vector<std::string>& seen) {
  AttrSpec spec = SpecOf(form);
  for (size_t i = 0; i < spec.required; ++i) {
    if (std::find(seen.begin(), seen.end(), spec.names[i]) != seen.end()) continue;
    Error(d.mnemonic, Quote(d.mnemonic.text) + " needs the attribute " + Quote(spec.names[i]));
  }
  bool has_step = std::find(seen.begin(), seen.end(), "step") != seen.end();
  if (form == AttrForm::kSlice && !has_step) d.attrs.step.assign(d.attrs.begin.size(), 1);
}

}  // namespace tessel::ir::text
