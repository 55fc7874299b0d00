// Comprehensions of the IR text form, such as
//   comprehension(%x, %w) [n: 0..4, o: 0..3] sum [i: 0..8] (mul (read %x n i) (read %w i o))
// Part of the IR parser (parser_internal.h). Reading builds a RawExpr, whose literals have no
// dtype yet; at resolution (parser.cpp) BuildComprehension types the body, literals taking the
// dtype of their context, the same way printer.cpp's ArgWants predicts when it prints them.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stages/ir/parser_internal.h"

namespace tessel::ir::text {

namespace {

bool IsComparison(Op op) {
  return op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe || op == Op::kGt ||
         op == Op::kGe;
}

// The dtype of an untyped literal where the context wants `want` (the printer predicts the
// same): an integer literal becomes any numeric dtype, a float literal any float dtype,
// true/false are bool; otherwise the literal keeps its own: i32, f32, bool.
DType LiteralDType(const Token& t, std::optional<DType> want) {
  if (IsBoolWord(t)) return DType::kBool;
  DType own = t.kind == Tok::kInt ? DType::kI32 : DType::kF32;
  if (!want || *want == DType::kBool) return own;
  if (own == DType::kF32) return IsFloat(*want) ? *want : own;
  return *want;
}

}  // namespace

// comprehension operands = "(" [ VALUE { "," VALUE } ] ")" ranges KIND ranges body
RawComprehension Parser::ParseComprehension(Draft& d) {
  Expect(Tok::kLParen, "'('");
  if (!Check(Tok::kRParen)) d.operands = ParseValueList();
  Expect(Tok::kRParen, "',' or ')'");
  for (const Use& use : d.operands) d.read_names.push_back(use.name);
  RawComprehension c;
  std::vector<std::string> scope;
  c.out = ParseRanges(scope);
  const Token& kind_token = Peek();
  c.kind = ParseReduceKind();
  c.reduce = ParseRanges(scope);
  if (c.kind == ReduceKind::kAssign && !c.reduce.empty()) {
    Error(kind_token, "an assign comprehension has no reduction indices");
  }
  c.body = ParseExpr(d, scope, 0);
  return c;
}

// ranges = "[" [ IDENT ":" INT ".." INT { "," IDENT ":" INT ".." INT } ] "]"
std::vector<IndexVar> Parser::ParseRanges(std::vector<std::string>& scope) {
  std::vector<IndexVar> vars;
  Expect(Tok::kLBracket, "'[' and index ranges such as '[i: 0..4]'");
  if (!Check(Tok::kRBracket)) {
    do {
      const Token& name = Expect(Tok::kIdent, "an index variable");
      if (std::find(scope.begin(), scope.end(), name.text) != scope.end()) {
        Error(name, "duplicate index variable " + Quote(name.text));
      }
      scope.emplace_back(name.text);
      Expect(Tok::kColon, "':'");
      IndexVar var{std::string(name.text), 0, 0};
      var.lo = ParseInt("the start of a range");
      Expect(Tok::kDotDot, "'..'");
      var.hi = ParseInt("the end of a range");
      vars.push_back(var);
    } while (Match(Tok::kComma));
  }
  Expect(Tok::kRBracket, "',' or ']'");
  return vars;
}

ReduceKind Parser::ParseReduceKind() {
  for (ReduceKind kind : {ReduceKind::kAssign, ReduceKind::kSum, ReduceKind::kProd,
                          ReduceKind::kMax, ReduceKind::kMin}) {
    if (CheckWord(ReduceKindName(kind))) {
      Advance();
      return kind;
    }
  }
  Fail("a reduction kind (assign, sum, prod, max or min)");
}

// expr = NUMBER | "true" | "false" | INDEX | "(" compound ")"
RawExpr Parser::ParseExpr(const Draft& d, const std::vector<std::string>& scope, int depth) {
  if (depth > kMaxNesting) FailAt(Peek(), "comprehension body nested too deeply");
  RawExpr e;
  e.token = Peek();
  if (Check(Tok::kInt) || Check(Tok::kFloat) || IsBoolWord(Peek())) {
    Advance();
    return e;
  }
  if (Check(Tok::kIdent)) {
    auto it = std::find(scope.begin(), scope.end(), Peek().text);
    if (it == scope.end()) FailAt(Peek(), "undefined index variable " + Quote(Peek().text));
    Advance();
    e.kind = RawExpr::Kind::kIndex;
    e.index = static_cast<int>(it - scope.begin());
    return e;
  }
  if (!Match(Tok::kLParen)) Fail("an expression (a number, an index variable or '(')");
  return ParseCompound(d, scope, depth);
}

// compound = "read" VALUE { expr } | "cast" DTYPE expr | "const" DTYPE literal
//          | MNEMONIC { expr }                       (then ")")
RawExpr Parser::ParseCompound(const Draft& d, const std::vector<std::string>& scope, int depth) {
  RawExpr e;
  e.token = Expect(Tok::kIdent, "an operation such as 'mul' or 'read'");
  if (e.token.text == "read") return ParseRead(d, scope, depth);
  if (e.token.text == "cast" || e.token.text == "const") return ParseCastOrConst(d, scope, depth);
  std::optional<Op> op = ParseOpMnemonic(e.token.text);
  if (!op) FailAt(e.token, "unknown op " + Quote(e.token.text));
  OpPattern pattern = OpPatternOf(*op);
  if ((pattern != OpPattern::kElementwise && pattern != OpPattern::kBroadcast) ||
      *op == Op::kBroadcast) {
    FailAt(e.token, Quote(e.token.text) +
                        " cannot appear in a comprehension body (only "
                        "elementwise ops, read, cast and const)");
  }
  e.kind = RawExpr::Kind::kApply;
  e.op = *op;
  ParseArgsUntilClose(d, scope, depth, e);
  if (static_cast<size_t>(OpArity(*op)) != e.args.size()) {
    FailAt(e.token, Quote(e.token.text) + " takes " + std::to_string(OpArity(*op)) +
                        (OpArity(*op) == 1 ? " operand" : " operands") + ", found " +
                        std::to_string(e.args.size()));
  }
  return e;
}

// "cast" DTYPE expr ")"  |  "const" DTYPE literal ")"
RawExpr Parser::ParseCastOrConst(const Draft& d, const std::vector<std::string>& scope, int depth) {
  RawExpr e;
  e.token = tokens_[pos_ - 1];
  e.kind = e.token.text == "cast" ? RawExpr::Kind::kCast : RawExpr::Kind::kTypedConst;
  e.dtype = ParseDTypeWord();
  if (e.kind == RawExpr::Kind::kCast) {
    e.args.push_back(ParseExpr(d, scope, depth + 1));
  } else if (Check(Tok::kInt) || Check(Tok::kFloat) || IsBoolWord(Peek())) {
    e.token = Advance();
  } else {
    Fail("a number, true or false");
  }
  Expect(Tok::kRParen, "')'");
  return e;
}

// "read" VALUE { expr } ")": the value must be one of the comprehension's operands.
RawExpr Parser::ParseRead(const Draft& d, const std::vector<std::string>& scope, int depth) {
  RawExpr e;
  e.kind = RawExpr::Kind::kRead;
  const Token& value = Expect(Tok::kValue, "the value to read, such as '%x'");
  e.token = value;
  auto it = std::find(d.read_names.begin(), d.read_names.end(), value.name());
  if (it == d.read_names.end()) {
    std::string operands;
    for (const std::string& n : d.read_names) operands += (operands.empty() ? "%" : ", %") + n;
    FailAt(value, "the comprehension reads " + Quote(value.text) +
                      ", which is not one of its operands (" + operands + ")");
  }
  e.index = static_cast<int>(it - d.read_names.begin());
  ParseArgsUntilClose(d, scope, depth, e);
  return e;
}

void Parser::ParseArgsUntilClose(const Draft& d, const std::vector<std::string>& scope, int depth,
                                 RawExpr& e) {
  while (!Match(Tok::kRParen)) {
    if (Check(Tok::kEof)) Fail("')'");
    e.args.push_back(ParseExpr(d, scope, depth + 1));
  }
}

// ---------------------------------------------------- typing the body

void Parser::BuildComprehension(PendingComprehension& p) {
  for (Value* operand : p.instr->operands()) {
    if (operand == &placeholder_) return;  // an undefined operand, already reported
  }
  auto c = std::make_shared<Comprehension>();
  c->out = std::move(p.raw.out);
  c->reduce_kind = p.raw.kind;
  c->reduce = std::move(p.raw.reduce);
  c->body = BuildExpr(p.raw.body, p.instr->type().dtype, *p.instr);
  p.instr->attrs().comprehension = std::move(c);
}

// Types a body expression. `want` is the dtype the context needs; literals take it where they
// can (LiteralDType). printer.cpp's ArgWants predicts the same wants, so printed literals read
// back with their dtype.
ScalarExprPtr Parser::BuildExpr(const RawExpr& raw, std::optional<DType> want, const Instr& owner) {
  auto e = std::make_shared<ScalarExpr>();
  switch (raw.kind) {
    case RawExpr::Kind::kLiteral:
    case RawExpr::Kind::kTypedConst:
      BuildConst(raw, want, *e);
      break;
    case RawExpr::Kind::kIndex:
      e->kind = ScalarExpr::Kind::kIndex;
      e->dtype = DType::kI32;
      e->index = raw.index;
      break;
    case RawExpr::Kind::kRead:
      BuildRead(raw, owner, *e);
      break;
    case RawExpr::Kind::kCast:
      e->kind = ScalarExpr::Kind::kApply;
      e->op = Op::kCast;
      e->dtype = raw.dtype;
      e->args.push_back(BuildExpr(raw.args[0], std::nullopt, owner));
      break;
    case RawExpr::Kind::kApply:
      BuildApply(raw, want, owner, *e);
      break;
  }
  return e;
}

// A "const DTYPE" literal has its dtype; a bare one takes LiteralDType's.
void Parser::BuildConst(const RawExpr& raw, std::optional<DType> want, ScalarExpr& e) {
  e.kind = ScalarExpr::Kind::kConst;
  bool typed = raw.kind == RawExpr::Kind::kTypedConst;
  e.dtype = typed ? raw.dtype : LiteralDType(raw.token, want);
  e.value = ElementValue(raw.token, e.dtype).value_or(0);
}

// A read has the operand's dtype and one i32 subscript per dimension of the operand.
void Parser::BuildRead(const RawExpr& raw, const Instr& owner, ScalarExpr& e) {
  const Type& type = owner.operand(raw.index)->type();
  e.kind = ScalarExpr::Kind::kRead;
  e.dtype = type.dtype;
  e.index = raw.index;
  for (const RawExpr& arg : raw.args) e.args.push_back(BuildExpr(arg, DType::kI32, owner));
  if (static_cast<int64_t>(raw.args.size()) == type.rank()) return;
  Error(raw.token, Quote(raw.token.text) + " has type " + FormatType(type) + ": a read needs " +
                       std::to_string(type.rank()) +
                       (type.rank() == 1 ? " subscript" : " subscripts") + ", found " +
                       std::to_string(raw.args.size()));
}

// An apply's arguments share one dtype (select's condition aside): the arguments that are not
// literals are typed first, and the first one's dtype is what the literals get. Comparisons
// give bool and pass no want down; other ops pass theirs.
void Parser::BuildApply(const RawExpr& raw, std::optional<DType> want, const Instr& owner,
                        ScalarExpr& e) {
  auto is_literal = [](const RawExpr& r) {
    return r.kind == RawExpr::Kind::kLiteral || r.kind == RawExpr::Kind::kTypedConst;
  };
  std::optional<DType> inner = IsComparison(raw.op) ? std::nullopt : want;
  size_t first = raw.op == Op::kSelect ? 1 : 0;
  e.kind = ScalarExpr::Kind::kApply;
  e.op = raw.op;
  e.args.resize(raw.args.size());
  std::optional<DType> group;
  for (size_t i = first; i < raw.args.size(); ++i) {
    if (is_literal(raw.args[i])) continue;
    e.args[i] = BuildExpr(raw.args[i], inner, owner);
    if (!group) group = e.args[i]->dtype;
  }
  if (!group) group = inner;
  for (size_t i = first; i < raw.args.size(); ++i) {
    if (is_literal(raw.args[i])) e.args[i] = BuildExpr(raw.args[i], group, owner);
  }
  if (first == 1) e.args[0] = BuildExpr(raw.args[0], DType::kBool, owner);
  e.dtype = IsComparison(raw.op) ? DType::kBool : group ? *group : e.args[first]->dtype;
}

}  // namespace tessel::ir::text
