// The parser of lab01 (tasks t3 to t6): tokens to AST.
//
// Pipeline: lexer.cpp -> tokens -> this file -> Module (ast.h) -> lab02's lowering.
// Recursive descent: one function per grammar rule, with the rule written
// above it. Binary operators use precedence climbing over kBinaryOps.
//
// Errors: the parser reports a syntax error once, at the token it did not
// expect ("expected ';', found '}'"), then throws SyntaxError. Only the block
// loop and the module loop catch it. They skip tokens to a point where parsing
// can go on (panic-mode recovery), so one run reports every independent error.
#include "stages/frontend/parser.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/common/not_implemented.h"
#include "stages/frontend/lexer.h"
#include "stages/frontend/token.h"

namespace tessel::ast {

namespace {

// Thrown after a syntax error was reported; it unwinds to a recovery point.
struct SyntaxError {};

// The binary operators, one row each. A higher precedence binds tighter; every
// operator is left-associative.
struct BinaryOpInfo {
  TokenKind token;
  BinaryOp op;
  int precedence;
};
constexpr BinaryOpInfo kBinaryOps[] = {
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) \
  {TokenKind::token, BinaryOp::name, precedence},
#include "stages/frontend/binary_ops.def"
};
constexpr int kLowestPrecedence = 1;

// The row of the binary operator `kind` stands for, or null.
const BinaryOpInfo* FindBinaryOp(TokenKind kind) {
  for (const BinaryOpInfo& info : kBinaryOps) {
    if (info.token == kind) return &info;
  }
  return nullptr;
}

// The element type a dtype keyword names, or nullopt.
std::optional<DType> DTypeFor(TokenKind kind) {
  if (kind == TokenKind::kF32) return DType::kF32;
  if (kind == TokenKind::kF16) return DType::kF16;
  if (kind == TokenKind::kI32) return DType::kI32;
  if (kind == TokenKind::kI8) return DType::kI8;
  if (kind == TokenKind::kBool) return DType::kBool;
  return std::nullopt;
}

// Keywords that start a statement: where recovery inside a block resumes.
bool StartsStatement(TokenKind kind) {
  return kind == TokenKind::kLet || kind == TokenKind::kVar || kind == TokenKind::kIf ||
         kind == TokenKind::kFor || kind == TokenKind::kReturn;
}

class Parser {
 public:
  Parser(const SourceFile& file, std::vector<Token> tokens, DiagnosticEngine& diags)
      : file_(file), tokens_(std::move(tokens)), diags_(diags) {}

  /// module = { const_def | fn_def }
  std::unique_ptr<Module> ParseModule();
  /// One expression, then the end of the file. Null after a syntax error.
  ExprPtr ParseWholeExpression();

 private:
  friend class NestingGuard;

  // The token cursor. The last token is always kEof, and the cursor never moves past it.
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& PeekAt(size_t ahead) const;
  const Token& Advance();
  bool Check(TokenKind kind) const { return Peek().kind == kind; }
  bool Match(TokenKind kind);
  const Token& Expect(TokenKind kind);
  [[noreturn]] void Fail(std::string_view expected,
                         std::optional<SourceRange> where = std::nullopt);
  [[noreturn]] void FailKeywordAsName();
  SourceRange RangeFrom(SourceLoc begin) const;

  // Task t3: expressions.
  ExprPtr ParseExpr();
  ExprPtr ParseBinary(int min_precedence);
  ExprPtr ParseUnary();
  ExprPtr ParsePostfix();
  ExprPtr ParsePrimary();
  ExprPtr ParseNameOrCall();
  Argument ParseArgument();
  std::vector<ExprPtr> ParseExprList(TokenKind close, bool allow_empty);

  // Task t4: types, statements and items.
  TypeExpr ParseType();
  BlockPtr ParseBlock();
  StmtPtr ParseStatement();
  StmtPtr ParseBinding();
  StmtPtr ParseAssign();
  StmtPtr ParseIf();
  StmtPtr ParseFor();
  StmtPtr ParseReturn();
  ItemPtr ParseItem();
  ItemPtr ParseFn();
  std::vector<Param> ParseParams();
  ItemPtr ParseConst();

  // Task t5: comprehensions.
  StmtPtr ParseComprehension();
  ReduceOp ParseReduceOp();
  std::vector<IndexRange> ParseWhere();

  // Task t6: recovery.
  bool SynchronizeStatement();
  void SynchronizeItem();
  [[noreturn]] void FailTooDeep();

  const SourceFile& file_;
  std::vector<Token> tokens_;
  DiagnosticEngine& diags_;
  size_t pos_ = 0;
  int depth_ = 0;          // levels of nesting open now (see NestingGuard)
  bool too_deep_ = false;  // set by FailTooDeep: recovery abandons the whole item
};

// Counts levels of nesting while it lives (one, unless told otherwise). Past
// kMaxNesting it calls FailTooDeep, so that deep input ("((((..." 100000
// times) ends with an error instead of a stack overflow. The AST is as deep as
// the nesting, so later stages, which walk it recursively, are safe too.
class NestingGuard {
 public:
  explicit NestingGuard(Parser& parser, int levels = 1) : parser_(parser) {
    for (int i = 0; i < levels; ++i) Deepen();
  }
  ~NestingGuard() { parser_.depth_ -= levels_; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

  /// One level more, for a loop that makes the tree deeper each time round:
  /// "a + b + c" is (+ (+ a b) c), so a chain of 100000 '+' nests 100000 deep.
  void Deepen() {
    if (parser_.depth_ >= kMaxNesting) parser_.FailTooDeep();
    ++parser_.depth_;
    ++levels_;
  }

 private:
  Parser& parser_;
  int levels_ = 0;
};

// ------------------------------------------------------------ the cursor

const Token& Parser::PeekAt(size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

// Consumes the current token and returns it.
const Token& Parser::Advance() {
  const Token& token = tokens_[pos_];
  if (token.kind != TokenKind::kEof) ++pos_;
  return token;
}

// Consumes the current token if it is a `kind`.
bool Parser::Match(TokenKind kind) {
  if (!Check(kind)) return false;
  Advance();
  return true;
}

// Consumes and returns a token of `kind`, or reports "expected X, found Y".
// When the token found starts a later line than the previous token, the
// missing one belongs at the end of that previous line (a forgotten ';'), so
// the error points there, as clang and rustc do.
const Token& Parser::Expect(TokenKind kind) {
  if (Check(kind)) return Advance();
  if (pos_ > 0 && tokens_[pos_ - 1].loc.line < Peek().loc.line) {
    SourceLoc after = tokens_[pos_ - 1].end();
    Fail(DescribeKind(kind), SourceRange{after, after});
  }
  if (kind == TokenKind::kIdent && LookupKeyword(Peek().text)) FailKeywordAsName();
  Fail(DescribeKind(kind));
}

// A keyword where a name belongs (`var: f32[C]` for BatchNorm's running variance): the usual
// "expected identifier" error, and a note that says the word is reserved and what to do.
void Parser::FailKeywordAsName() {
  std::string word(Peek().text);
  diags_.Error(file_, Peek().range(), "expected identifier, found keyword '" + word + "'");
  std::string suggestion = "'" + word + "_'" + (word == "var" ? " or 'running_var'" : "");
  diags_.Note(file_, Peek().loc,
              "'" + word + "' is reserved (docs/language.md §1.3) and cannot be a name; " +
                  "rename it, e.g. " + suggestion);
  throw SyntaxError{};
}

// Reports "expected <expected>, found <the current token>" at `where` (by
// default the current token) and unwinds.
void Parser::Fail(std::string_view expected, std::optional<SourceRange> where) {
  diags_.Error(file_, where.value_or(Peek().range()),
               "expected " + std::string(expected) + ", found " + DescribeToken(Peek()));
  throw SyntaxError{};
}

// From `begin` to the end of the last token consumed.
SourceRange Parser::RangeFrom(SourceLoc begin) const {
  return SourceRange{begin, tokens_[pos_ == 0 ? 0 : pos_ - 1].end()};
}

// --------------------------------------------------------- t3: expressions

// expr = or    (the binary levels are one loop: ParseBinary)
ExprPtr Parser::ParseExpr() {
  NestingGuard guard(*this);
  return ParseBinary(kLowestPrecedence);
}

// Precedence climbing. Parses the longest expression at the cursor whose
// binary operators (outside parentheses and brackets) all have a precedence of
// at least `min_precedence`, and stops, without consuming it, at the first
// token that cannot continue it. Every operator is left-associative:
//   a - b - c  ->  (- (- a b) c)        a + b * c  ->  (+ a (* b c))
// Each operator makes the tree one level deeper, so each counts one nesting
// level. The contract, with a worked example: lab01_lexer_parser/README.md §4.3.
ExprPtr Parser::ParseBinary(int min_precedence) {
  // BEGIN SOLUTION lab01.t3: operators of precedence >= min_precedence, left-assoc; a level per op
  NestingGuard chain(*this, 0);
  ExprPtr lhs = ParseUnary();
  while (const BinaryOpInfo* info = FindBinaryOp(Peek().kind)) {
    if (info->precedence < min_precedence) break;
    chain.Deepen();
    Advance();
    ExprPtr rhs = ParseBinary(info->precedence + 1);
    SourceRange range = Span(lhs->range, rhs->range);
    lhs = std::make_unique<BinaryExpr>(info->op, std::move(lhs), std::move(rhs), range);
  }
  return lhs;
  // END SOLUTION
}

// unary = ( "-" | "!" ) unary | postfix
ExprPtr Parser::ParseUnary() {
  if (!Check(TokenKind::kMinus) && !Check(TokenKind::kBang)) return ParsePostfix();
  NestingGuard guard(*this);  // "- - - ... x" recurses once per operator
  // BEGIN SOLUTION lab01.t3: consume the - or ! and apply it to the unary expression after it
  const Token& op = Advance();
  UnaryOp unary_op = op.kind == TokenKind::kMinus ? UnaryOp::kNeg : UnaryOp::kNot;
  ExprPtr operand = ParseUnary();
  return std::make_unique<UnaryExpr>(unary_op, std::move(operand), RangeFrom(op.loc));
  // END SOLUTION
}

// postfix = primary { "[" expr { "," expr } "]" }      x[i, j][k] nests to the left
// Like a chain of binary operators, each subscript makes the tree one level deeper.
ExprPtr Parser::ParsePostfix() {
  // BEGIN SOLUTION lab01.t3: a primary, then any number of subscripts [i, j], a nesting level each
  NestingGuard chain(*this, 0);
  ExprPtr expr = ParsePrimary();
  while (Check(TokenKind::kLBracket)) {
    chain.Deepen();
    Advance();
    std::vector<ExprPtr> indices = ParseExprList(TokenKind::kRBracket, /*allow_empty=*/false);
    SourceRange range = RangeFrom(expr->range.begin);
    expr = std::make_unique<IndexExpr>(std::move(expr), std::move(indices), range);
  }
  return expr;
  // END SOLUTION
}

// primary = INT | FLOAT | "true" | "false" | IDENT | call
//         | "(" expr ")" | "[" [ expr { "," expr } ] "]"
ExprPtr Parser::ParsePrimary() {
  // BEGIN SOLUTION lab01.t3: literals, a name or call, ( expr ), [ list ]; else Fail('expression')
  const Token& token = Peek();
  if (Match(TokenKind::kInt)) return std::make_unique<IntLiteral>(token.int_value, token.range());
  if (Match(TokenKind::kFloat)) {
    return std::make_unique<FloatLiteral>(token.float_value, token.range());
  }
  if (Match(TokenKind::kTrue) || Match(TokenKind::kFalse)) {
    return std::make_unique<BoolLiteral>(token.kind == TokenKind::kTrue, token.range());
  }
  if (Check(TokenKind::kIdent)) return ParseNameOrCall();
  if (Match(TokenKind::kLParen)) {
    ExprPtr inner = ParseExpr();
    Expect(TokenKind::kRParen);
    inner->range = RangeFrom(token.loc);  // the parentheses belong to the range
    return inner;
  }
  if (Match(TokenKind::kLBracket)) {
    std::vector<ExprPtr> elements = ParseExprList(TokenKind::kRBracket, /*allow_empty=*/true);
    return std::make_unique<ListExpr>(std::move(elements), RangeFrom(token.loc));
  }
  Fail("expression");
  // END SOLUTION
}

// IDENT | call;  call = IDENT "(" [ arg { "," arg } ] ")"
ExprPtr Parser::ParseNameOrCall() {
  // BEGIN SOLUTION lab01.t3: a name, or a call when '(' follows: comma-separated arguments
  const Token& name = Advance();
  if (!Match(TokenKind::kLParen)) {
    return std::make_unique<NameExpr>(std::string(name.text), name.range());
  }
  std::vector<Argument> args;
  if (!Check(TokenKind::kRParen)) {
    do {
      args.push_back(ParseArgument());
    } while (Match(TokenKind::kComma));
  }
  Expect(TokenKind::kRParen);
  return std::make_unique<CallExpr>(std::string(name.text), name.range(), std::move(args),
                                    RangeFrom(name.loc));
  // END SOLUTION
}

// arg = [ IDENT "=" ] expr      "axis=1" is a keyword argument; "a == b" is an
// expression, because "==" is one token and never a "=".
Argument Parser::ParseArgument() {
  // BEGIN SOLUTION lab01.t3: IDENT '=' starts a keyword argument; then the value expression
  SourceLoc begin = Peek().loc;
  std::string keyword;
  if (Check(TokenKind::kIdent) && PeekAt(1).kind == TokenKind::kAssign) {
    keyword = std::string(Advance().text);
    Advance();
  }
  ExprPtr value = ParseExpr();
  return Argument{std::move(keyword), std::move(value), RangeFrom(begin)};
  // END SOLUTION
}

// [ expr { "," expr } ] close      after the opening bracket; `allow_empty` admits close at once
std::vector<ExprPtr> Parser::ParseExprList(TokenKind close, bool allow_empty) {
  // BEGIN SOLUTION lab01.t3: comma-separated expressions up to and including `close`
  std::vector<ExprPtr> exprs;
  if (!allow_empty || !Check(close)) {
    do {
      exprs.push_back(ParseExpr());
    } while (Match(TokenKind::kComma));
  }
  Expect(close);
  return exprs;
  // END SOLUTION
}

// ------------------------------------------- t4: types, statements and items

// type = DTYPE [ "[" [ expr { "," expr } ] "]" ]      f32 and f32[] are both scalars
TypeExpr Parser::ParseType() {
  // BEGIN SOLUTION lab01.t4: a dtype keyword (DTypeFor), then optional dims in [ ]
  const Token& token = Peek();
  std::optional<DType> dtype = DTypeFor(token.kind);
  if (!dtype) Fail("type");
  Advance();
  TypeExpr type;
  type.dtype = *dtype;
  if (Match(TokenKind::kLBracket)) type.dims = ParseExprList(TokenKind::kRBracket, true);
  type.range = RangeFrom(token.loc);
  return type;
  // END SOLUTION
}

// block = "{" { stmt } "}"
// A statement that fails is skipped by SynchronizeStatement and the loop goes
// on; when recovery gives up on the function, the error goes up to the module loop.
BlockPtr Parser::ParseBlock() {
  NestingGuard guard(*this);
  // BEGIN SOLUTION lab01.t4: '{' statements '}'; on SyntaxError call SynchronizeStatement
  SourceLoc begin = Expect(TokenKind::kLBrace).loc;
  auto block = std::make_unique<Block>();
  while (!Check(TokenKind::kRBrace) && !Check(TokenKind::kEof)) {
    try {
      block->stmts.push_back(ParseStatement());
    } catch (const SyntaxError&) {
      if (!SynchronizeStatement()) throw;
    }
  }
  Expect(TokenKind::kRBrace);
  block->range = RangeFrom(begin);
  return block;
  // END SOLUTION
}

// stmt = binding | assign | comprehension | if_stmt | for_stmt | return_stmt
// The first token picks the rule; after an identifier, the second one does:
// "y[" starts a comprehension, anything else an assignment.
StmtPtr Parser::ParseStatement() {
  // BEGIN SOLUTION lab01.t4: pick the rule by the first token (IDENT '[': comprehension); else Fail
  if (Check(TokenKind::kLet) || Check(TokenKind::kVar)) return ParseBinding();
  if (Check(TokenKind::kIf)) return ParseIf();
  if (Check(TokenKind::kFor)) return ParseFor();
  if (Check(TokenKind::kReturn)) return ParseReturn();
  if (Check(TokenKind::kIdent) && PeekAt(1).kind == TokenKind::kLBracket) {
    return ParseComprehension();
  }
  if (Check(TokenKind::kIdent)) return ParseAssign();
  Fail("statement");
  // END SOLUTION
}

// binding = ( "let" | "var" ) IDENT [ ":" type ] "=" expr ";"
StmtPtr Parser::ParseBinding() {
  // BEGIN SOLUTION lab01.t4: let or var, the name, an optional ': type', '=', the value, ';'
  const Token& keyword = Advance();
  const Token& name = Expect(TokenKind::kIdent);
  std::optional<TypeExpr> type;
  if (Match(TokenKind::kColon)) type = ParseType();
  Expect(TokenKind::kAssign);
  ExprPtr init = ParseExpr();
  Expect(TokenKind::kSemicolon);
  StmtKind kind = keyword.kind == TokenKind::kLet ? StmtKind::kLet : StmtKind::kVar;
  return std::make_unique<BindingStmt>(kind, std::string(name.text), name.range(), std::move(type),
                                       std::move(init), RangeFrom(keyword.loc));
  // END SOLUTION
}

// assign = IDENT "=" expr ";"
StmtPtr Parser::ParseAssign() {
  // BEGIN SOLUTION lab01.t4: the name, '=', the value, ';'
  const Token& name = Advance();
  Expect(TokenKind::kAssign);
  ExprPtr value = ParseExpr();
  Expect(TokenKind::kSemicolon);
  return std::make_unique<AssignStmt>(std::string(name.text), name.range(), std::move(value),
                                      RangeFrom(name.loc));
  // END SOLUTION
}

// if_stmt = "if" expr block [ "else" ( block | if_stmt ) ]
StmtPtr Parser::ParseIf() {
  NestingGuard guard(*this);  // "else if" chains recurse once per link
  // BEGIN SOLUTION lab01.t4: condition, block, then an optional else block or else-if
  const Token& keyword = Advance();
  ExprPtr cond = ParseExpr();
  BlockPtr then_block = ParseBlock();
  BlockPtr else_block;
  StmtPtr else_if;
  if (Match(TokenKind::kElse)) {
    if (Check(TokenKind::kIf)) {
      else_if = ParseIf();
    } else {
      else_block = ParseBlock();
    }
  }
  return std::make_unique<IfStmt>(std::move(cond), std::move(then_block), std::move(else_block),
                                  std::move(else_if), RangeFrom(keyword.loc));
  // END SOLUTION
}

// for_stmt = "for" IDENT "in" expr ".." expr block
StmtPtr Parser::ParseFor() {
  // BEGIN SOLUTION lab01.t4: the loop variable, 'in', lo '..' hi, then the body block
  const Token& keyword = Advance();
  const Token& var = Expect(TokenKind::kIdent);
  Expect(TokenKind::kIn);
  ExprPtr lo = ParseExpr();
  Expect(TokenKind::kDotDot);
  ExprPtr hi = ParseExpr();
  BlockPtr body = ParseBlock();
  return std::make_unique<ForStmt>(std::string(var.text), var.range(), std::move(lo), std::move(hi),
                                   std::move(body), RangeFrom(keyword.loc));
  // END SOLUTION
}

// return_stmt = "return" expr ";"
StmtPtr Parser::ParseReturn() {
  // BEGIN SOLUTION lab01.t4: 'return', the value, ';'
  const Token& keyword = Advance();
  ExprPtr value = ParseExpr();
  Expect(TokenKind::kSemicolon);
  return std::make_unique<ReturnStmt>(std::move(value), RangeFrom(keyword.loc));
  // END SOLUTION
}

// item = fn_def | const_def
ItemPtr Parser::ParseItem() {
  // BEGIN SOLUTION lab01.t4: ParseFn or ParseConst by the first token; else fail: 'fn' or 'const'
  if (Check(TokenKind::kFn)) return ParseFn();
  if (Check(TokenKind::kConst)) return ParseConst();
  Fail("'fn' or 'const'");
  // END SOLUTION
}

// fn_def = "fn" IDENT params "->" type block
ItemPtr Parser::ParseFn() {
  // BEGIN SOLUTION lab01.t4: 'fn', the name, the parameters, '->', the result type, the body
  const Token& keyword = Advance();
  const Token& name = Expect(TokenKind::kIdent);
  std::vector<Param> params = ParseParams();
  Expect(TokenKind::kArrow);
  TypeExpr result = ParseType();
  BlockPtr body = ParseBlock();
  return std::make_unique<FnItem>(std::string(name.text), name.range(), std::move(params),
                                  std::move(result), std::move(body), RangeFrom(keyword.loc));
  // END SOLUTION
}

// params = "(" [ param { "," param } [ "," ] ] ")" ;  param = IDENT ":" type [ "=" expr ]
std::vector<Param> Parser::ParseParams() {
  // BEGIN SOLUTION lab01.t4: '(', 'name: type [= default]' split by ',' (one may trail), ')'
  Expect(TokenKind::kLParen);
  std::vector<Param> params;
  while (!Check(TokenKind::kRParen)) {
    const Token& name = Expect(TokenKind::kIdent);
    Expect(TokenKind::kColon);
    TypeExpr type = ParseType();
    ExprPtr default_value = Match(TokenKind::kAssign) ? ParseExpr() : nullptr;
    params.push_back(
        Param{std::string(name.text), name.range(), std::move(type), std::move(default_value)});
    if (!Match(TokenKind::kComma)) break;
  }
  Expect(TokenKind::kRParen);
  return params;
  // END SOLUTION
}

// const_def = "const" IDENT "=" expr ";"
ItemPtr Parser::ParseConst() {
  // BEGIN SOLUTION lab01.t4: 'const', the name, '=', the value, ';'
  const Token& keyword = Advance();
  const Token& name = Expect(TokenKind::kIdent);
  Expect(TokenKind::kAssign);
  ExprPtr value = ParseExpr();
  Expect(TokenKind::kSemicolon);
  return std::make_unique<ConstItem>(std::string(name.text), name.range(), std::move(value),
                                     RangeFrom(keyword.loc));
  // END SOLUTION
}

// module = { const_def | fn_def }
// An item that fails is skipped by SynchronizeItem and the loop goes on.
std::unique_ptr<Module> Parser::ParseModule() {
  auto module = std::make_unique<Module>();
  // BEGIN SOLUTION lab01.t4: parse items until end of file; on SyntaxError call SynchronizeItem
  while (!Check(TokenKind::kEof)) {
    try {
      module->items.push_back(ParseItem());
    } catch (const SyntaxError&) {
      SynchronizeItem();
    }
  }
  // END SOLUTION
  return module;
}

// ------------------------------------------------------ t5: comprehensions

// comprehension = IDENT "[" IDENT { "," IDENT } "]" reduce_op expr [ where ] ";"
StmtPtr Parser::ParseComprehension() {
  // BEGIN SOLUTION lab01.t5: target[i, j], the reduction operator, the value, optional where, ';'
  const Token& target = Advance();
  Expect(TokenKind::kLBracket);
  std::vector<std::string> indices;
  std::vector<SourceRange> index_ranges;
  do {
    const Token& index = Expect(TokenKind::kIdent);
    indices.emplace_back(index.text);
    index_ranges.push_back(index.range());
  } while (Match(TokenKind::kComma));
  Expect(TokenKind::kRBracket);
  ReduceOp op = ParseReduceOp();
  ExprPtr value = ParseExpr();
  std::vector<IndexRange> where;
  if (Match(TokenKind::kWhere)) where = ParseWhere();
  Expect(TokenKind::kSemicolon);
  return std::make_unique<ComprehensionStmt>(
      std::string(target.text), target.range(), std::move(indices), std::move(index_ranges), op,
      std::move(value), std::move(where), RangeFrom(target.loc));
  // END SOLUTION
}

// reduce_op = "=" | "+=" | "*=" | "max=" | "min="
// max and min are identifiers; only here, right before "=", do they name a reduction.
ReduceOp Parser::ParseReduceOp() {
  // BEGIN SOLUTION lab01.t5: =, += and *= are tokens; max= and min= are IDENT max/min then '='
  if (Match(TokenKind::kAssign)) return ReduceOp::kAssign;
  if (Match(TokenKind::kPlusAssign)) return ReduceOp::kAdd;
  if (Match(TokenKind::kStarAssign)) return ReduceOp::kMul;
  std::string_view word = Peek().text;
  bool max_or_min = Check(TokenKind::kIdent) && (word == "max" || word == "min");
  if (!max_or_min || PeekAt(1).kind != TokenKind::kAssign) {
    Fail("'=', '+=', '*=', 'max=' or 'min='");
  }
  Advance();
  Advance();
  return word == "max" ? ReduceOp::kMax : ReduceOp::kMin;
  // END SOLUTION
}

// where = "where" range { "," range } ;  range = IDENT "in" expr ".." expr
// (the "where" itself is already consumed)
std::vector<IndexRange> Parser::ParseWhere() {
  // BEGIN SOLUTION lab01.t5: ranges 'i in lo..hi' separated by ','
  std::vector<IndexRange> ranges;
  do {
    const Token& index = Expect(TokenKind::kIdent);
    Expect(TokenKind::kIn);
    ExprPtr lo = ParseExpr();
    Expect(TokenKind::kDotDot);
    ExprPtr hi = ParseExpr();
    ranges.push_back(
        IndexRange{std::string(index.text), index.range(), std::move(lo), std::move(hi)});
  } while (Match(TokenKind::kComma));
  return ranges;
  // END SOLUTION
}

// ------------------------------------------------------------ t6: recovery

// Panic mode inside a block, after a reported error. Skips tokens up to a
// place where a statement can start:
//   ';'                           consumed; the next statement starts after it
//   '}' or let/var/if/for/return  not consumed; the block loop goes on from there
//   fn, const, end of file        the function cannot be finished: returns false
// A '{' met on the way opens a group that is skipped whole, up to its own '}'
// (in "for i 0..3 { ... }" that '}' must not close the enclosing block).
// Also returns false after "nesting too deep" and once the error limit is hit:
// then the whole item is abandoned.
bool Parser::SynchronizeStatement() {
  // BEGIN SOLUTION lab01.t6: skip past ';' or to '}' or a statement keyword; false at fn/const/EOF
  if (too_deep_ || diags_.ShouldStop()) return false;
  int open_groups = 0;  // '{' skipped whose '}' has not been reached
  while (!Check(TokenKind::kEof) && !Check(TokenKind::kFn) && !Check(TokenKind::kConst)) {
    if (open_groups == 0) {
      if (Match(TokenKind::kSemicolon)) return true;
      if (Check(TokenKind::kRBrace) || StartsStatement(Peek().kind)) return true;
    }
    if (Check(TokenKind::kLBrace)) ++open_groups;
    if (Check(TokenKind::kRBrace) && --open_groups == 0) {
      Advance();  // a skipped group ends like a block statement: resume after it
      return true;
    }
    Advance();
  }
  return false;
  // END SOLUTION
}

// Panic mode at module level: skips to the next fn or const (or the end of
// the file). Once the error limit is hit, skips everything: parsing stops.
void Parser::SynchronizeItem() {
  // BEGIN SOLUTION lab01.t6: skip to the next 'fn', 'const' or end of file
  too_deep_ = false;
  if (diags_.ShouldStop()) pos_ = tokens_.size() - 1;
  while (!Check(TokenKind::kEof) && !Check(TokenKind::kFn) && !Check(TokenKind::kConst)) {
    Advance();
  }
  // END SOLUTION
}

// Nesting went past kMaxNesting (the parser would recurse without bound). The
// error is at the current token: the one the parser was about to read when it
// tried to open level kMaxNesting + 1.
void Parser::FailTooDeep() {
  // BEGIN SOLUTION lab01.t6: report 'nesting too deep (limit N)' at Peek(), set too_deep_, throw
  diags_.Error(file_, Peek().range(),
               "nesting too deep (limit " + std::to_string(kMaxNesting) + ")");
  too_deep_ = true;
  throw SyntaxError{};
  // END SOLUTION
}

// ------------------------------------------------------------ entry points

ExprPtr Parser::ParseWholeExpression() {
  try {
    ExprPtr expr = ParseExpr();
    Expect(TokenKind::kEof);
    return expr;
  } catch (const SyntaxError&) {
    return nullptr;
  }
}

}  // namespace

std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags) {
  Parser parser(file, Lex(file, diags), diags);
  return parser.ParseModule();
}

ExprPtr ParseExpression(const SourceFile& file, DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  Parser parser(file, Lex(file, diags), diags);
  ExprPtr expr = parser.ParseWholeExpression();
  if (diags.error_count() > errors_before) return nullptr;  // a lexical error counts too
  return expr;
}

}  // namespace tessel::ast
