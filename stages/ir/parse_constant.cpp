// Constants of the IR text form: the literal after "constant" (a number, true/false, or nested
// lists), checked against the declared type and built into a Tensor. Part of the IR parser
// (parser_internal.h); ElementValue also gives comprehension-body literals their values.
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stages/ir/parser_internal.h"

namespace tessel::ir::text {

namespace {

// Magnitudes from which a number no longer fits `dtype`: f32 and f16 round to infinity there;
// an integer dtype holds -limit but not +limit.
double MagnitudeLimit(DType dtype) {
  return dtype == DType::kF32   ? 3.4028235677973366e38
         : dtype == DType::kF16 ? 65520.0
         : dtype == DType::kI32 ? 2147483648.0
                                : 128.0;
}

bool FitsDType(double value, DType dtype) {
  double limit = MagnitudeLimit(dtype);
  return std::isnan(value) || std::isinf(value) || std::fabs(value) < limit ||
         (!IsFloat(dtype) && value == -limit);
}

}  // namespace

// literal = NUMBER | "true" | "false" | "[" [ literal { "," literal } ] "]"
Literal Parser::ParseLiteral(int depth) {
  if (depth > kMaxNesting) FailAt(Peek(), "constant nested too deeply");
  Literal lit;
  lit.token = Peek();
  if (Check(Tok::kInt) || Check(Tok::kFloat) || IsBoolWord(Peek())) {
    Advance();
    return lit;
  }
  if (!Match(Tok::kLBracket)) Fail("a constant value (a number, true, false or a list)");
  lit.is_list = true;
  if (!Check(Tok::kRBracket)) {
    do {
      lit.items.push_back(ParseLiteral(depth + 1));
    } while (Match(Tok::kComma));
  }
  Expect(Tok::kRBracket, "',' or ']'");
  return lit;
}

// The value of one literal element of a `dtype` constant, or nullopt after an error.
std::optional<double> Parser::ElementValue(const Token& t, DType dtype) {
  std::string name(DTypeName(dtype));
  if (dtype == DType::kBool) {
    if (IsBoolWord(t)) return t.text == "true" ? 1.0 : 0.0;
    Error(t, "expected true or false in a bool constant, found " + Quote(t.text));
    return std::nullopt;
  }
  if (IsBoolWord(t) || (!IsFloat(dtype) && t.kind != Tok::kInt)) {
    Error(t, "expected " + std::string(IsFloat(dtype) ? "a number" : "an integer") + " in an " +
                 name + " constant, found " + Quote(t.text));
    return std::nullopt;
  }
  std::optional<double> value = NumberValue(t);
  if (!value || !FitsDType(*value, dtype)) {
    Error(t, Quote(t.text) + " is out of range for " + name);
    return std::nullopt;
  }
  return value;
}

// Checks that nested lists match `shape` from dimension `dim` on; reports the first mismatch.
bool Parser::CheckLiteralShape(const Literal& lit, const Shape& shape, size_t dim) {
  if (dim == shape.size()) {
    if (!lit.is_list) return true;
    Error(lit.token,
          "expected a number, found a list: the constant has more dimensions than "
          "its type");
    return false;
  }
  if (!lit.is_list) {
    Error(lit.token, "expected a list of " + std::to_string(shape[dim]) +
                         " elements for "
                         "dimension " +
                         std::to_string(dim) + ", found " + Quote(lit.token.text));
    return false;
  }
  if (static_cast<int64_t>(lit.items.size()) != shape[dim]) {
    Error(lit.token, "expected " + std::to_string(shape[dim]) + " elements in dimension " +
                         std::to_string(dim) + ", found " + std::to_string(lit.items.size()));
    return false;
  }
  for (const Literal& item : lit.items) {
    if (!CheckLiteralShape(item, shape, dim + 1)) return false;
  }
  return true;
}

void Parser::Flatten(const Literal& lit, std::vector<const Token*>& out) {
  if (!lit.is_list) out.push_back(&lit.token);
  for (const Literal& item : lit.items) Flatten(item, out);
}

// The tensor of `type` that `lit` writes: nested lists of the type's shape, or one scalar for
// every element (a splat). Null after an error.
std::shared_ptr<const Tensor> Parser::BuildConstant(const Literal& lit, const Type& type) {
  std::optional<int64_t> elements = ElementCount(type.shape, kMaxConstantElements);
  if (!elements) {
    Error(lit.token, "constant of type " + FormatType(type) + " is too large to write as text");
    return nullptr;
  }
  if (lit.is_list && !CheckLiteralShape(lit, type.shape, 0)) return nullptr;
  std::vector<const Token*> scalars;
  Flatten(lit, scalars);
  std::vector<double> values;
  for (const Token* scalar : scalars) {
    std::optional<double> value = ElementValue(*scalar, type.dtype);
    if (!value) return nullptr;
    values.push_back(*value);
  }
  auto tensor = std::make_shared<Tensor>(type.dtype, type.shape);
  for (int64_t i = 0; i < *elements; ++i) tensor->Set(i, values[lit.is_list ? i : 0]);
  return tensor;
}

}  // namespace tessel::ir::text
