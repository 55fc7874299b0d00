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
  // TODO(lab01.t3): operators of precedence >= min_precedence, left-assoc; a level per op
  TESSEL_UNIMPLEMENTED("lab01.t3",
                       "operators of precedence >= min_precedence, left-assoc; a level per op",
                       "lab01_lexer_parser/README.md §4.3");
}

// unary = ( "-" | "!" ) unary | postfix
ExprPtr Parser::ParseUnary() {
  if (!Check(TokenKind::kMinus) && !Check(TokenKind::kBang)) return ParsePostfix();
  NestingGuard guard(*this);  // "- - - ... x" recurses once per operator
  // TODO(lab01.t3): consume the - or ! and apply it to the unary expression after it
  TESSEL_UNIMPLEMENTED("lab01.t3",
                       "consume the - or ! and apply it to the unary expression after it",
                       "lab01_lexer_parser/README.md §4.3");
}

// postfix = primary { "[" expr { "," expr } "]" }      x[i, j][k] nests to the left
// Like a chain of binary operators, each subscript makes the tree one level deeper.
ExprPtr Parser::ParsePostfix() {
  // TODO(lab01.t3): a primary, then any number of subscripts [i, j], a nesting level each
  TESSEL_UNIMPLEMENTED("lab01.t3",
                       "a primary, then any number of subscripts [i, j], a nesting level each",
                       "lab01_lexer_parser/README.md §4.3");
}

// primary = INT | FLOAT | "true" | "false" | IDENT | call
//         | "(" expr ")" | "[" [ expr { "," expr } ] "]"
ExprPtr Parser::ParsePrimary() {
  // TODO(lab01.t3): literals, a name or call, ( expr ), [ list ]; else Fail('expression')
  TESSEL_UNIMPLEMENTED("lab01.t3",
                       "literals, a name or call, ( expr ), [ list ]; else Fail('expression')",
                       "lab01_lexer_parser/README.md §4.3");
}

// IDENT | call;  call = IDENT "(" [ arg { "," arg } ] ")"
ExprPtr Parser::ParseNameOrCall() {
  // TODO(lab01.t3): a name, or a call when '(' follows: comma-separated arguments
  TESSEL_UNIMPLEMENTED("lab01.t3", "a name, or a call when '(' follows: comma-separated arguments",
                       "lab01_lexer_parser/README.md §4.3");
}

// arg = [ IDENT "=" ] expr      "axis=1" is a keyword argument; "a == b" is an
// expression, because "==" is one token and never a "=".
Argument Parser::ParseArgument() {
  // TODO(lab01.t3): IDENT '=' starts a keyword argument; then the value expression
  TESSEL_UNIMPLEMENTED("lab01.t3", "IDENT '=' starts a keyword argument; then the value expression",
                       "lab01_lexer_parser/README.md §4.3");
}

// [ expr { "," expr } ] close      after the opening bracket; `allow_empty` admits close at once
std::vector<ExprPtr> Parser::ParseExprList(TokenKind close, bool allow_empty) {
  // TODO(lab01.t3): comma-separated expressions up to and including `close`
  TESSEL_UNIMPLEMENTED("lab01.t3", "comma-separated expressions up to and including `close`",
                       "lab01_lexer_parser/README.md §4.3");
}

// ------------------------------------------- t4: types, statements and items

// type = DTYPE [ "[" [ expr { "," expr } ] "]" ]      f32 and f32[] are both scalars
TypeExpr Parser::ParseType() {
  // TODO(lab01.t4): a dtype keyword (DTypeFor), then optional dims in [ ]
  TESSEL_UNIMPLEMENTED("lab01.t4", "a dtype keyword (DTypeFor), then optional dims in [ ]",
                       "lab01_lexer_parser/README.md §4.4");
}

// block = "{" { stmt } "}"
// A statement that fails is skipped by SynchronizeStatement and the loop goes
// on; when recovery gives up on the function, the error goes up to the module loop.
BlockPtr Parser::ParseBlock() {
  NestingGuard guard(*this);
  // TODO(lab01.t4): '{' statements '}'; on SyntaxError call SynchronizeStatement
  TESSEL_UNIMPLEMENTED("lab01.t4", "'{' statements '}'; on SyntaxError call SynchronizeStatement",
                       "lab01_lexer_parser/README.md §4.4");
}

// stmt = binding | assign | comprehension | if_stmt | for_stmt | return_stmt
// The first token picks the rule; after an identifier, the second one does:
// "y[" starts a comprehension, anything else an assignment.
StmtPtr Parser::ParseStatement() {
  // TODO(lab01.t4): pick the rule by the first token (IDENT '[': comprehension); else Fail
  TESSEL_UNIMPLEMENTED("lab01.t4",
                       "pick the rule by the first token (IDENT '[': comprehension); else Fail",
                       "lab01_lexer_parser/README.md §4.4");
}

// binding = ( "let" | "var" ) IDENT [ ":" type ] "=" expr ";"
StmtPtr Parser::ParseBinding() {
  // TODO(lab01.t4): let or var, the name, an optional ': type', '=', the value, ';'
  TESSEL_UNIMPLEMENTED("lab01.t4",
                       "let or var, the name, an optional ': type', '=', the value, ';'",
                       "lab01_lexer_parser/README.md §4.4");
}

// assign = IDENT "=" expr ";"
StmtPtr Parser::ParseAssign() {
  // TODO(lab01.t4): the name, '=', the value, ';'
  TESSEL_UNIMPLEMENTED("lab01.t4", "the name, '=', the value, ';'",
                       "lab01_lexer_parser/README.md §4.4");
}

// if_stmt = "if" expr block [ "else" ( block | if_stmt ) ]
StmtPtr Parser::ParseIf() {
  NestingGuard guard(*this);  // "else if" chains recurse once per link
  // TODO(lab01.t4): condition, block, then an optional else block or else-if
  TESSEL_UNIMPLEMENTED("lab01.t4", "condition, block, then an optional else block or else-if",
                       "lab01_lexer_parser/README.md §4.4");
}

// for_stmt = "for" IDENT "in" expr ".." expr block
StmtPtr Parser::ParseFor() {
  // TODO(lab01.t4): the loop variable, 'in', lo '..' hi, then the body block
  TESSEL_UNIMPLEMENTED("lab01.t4", "the loop variable, 'in', lo '..' hi, then the body block",
                       "lab01_lexer_parser/README.md §4.4");
}

// return_stmt = "return" expr ";"
StmtPtr Parser::ParseReturn() {
  // TODO(lab01.t4): 'return', the value, ';'
  TESSEL_UNIMPLEMENTED("lab01.t4", "'return', the value, ';'", "lab01_lexer_parser/README.md §4.4");
}

// item = fn_def | const_def
ItemPtr Parser::ParseItem() {
  // TODO(lab01.t4): ParseFn or ParseConst by the first token; else fail: 'fn' or 'const'
  TESSEL_UNIMPLEMENTED("lab01.t4",
                       "ParseFn or ParseConst by the first token; else fail: 'fn' or 'const'",
                       "lab01_lexer_parser/README.md §4.4");
}

// fn_def = "fn" IDENT params "->" type block
ItemPtr Parser::ParseFn() {
  // TODO(lab01.t4): 'fn', the name, the parameters, '->', the result type, the body
  TESSEL_UNIMPLEMENTED("lab01.t4",
                       "'fn', the name, the parameters, '->', the result type, the body",
                       "lab01_lexer_parser/README.md §4.4");
}

// params = "(" [ param { "," param } [ "," ] ] ")" ;  param = IDENT ":" type [ "=" expr ]
std::vector<Param> Parser::ParseParams() {
  // TODO(lab01.t4): '(', 'name: type [= default]' split by ',' (one may trail), ')'
  TESSEL_UNIMPLEMENTED("lab01.t4",
                       "'(', 'name: type [= default]' split by ',' (one may trail), ')'",
                       "lab01_lexer_parser/README.md §4.4");
}

// const_def = "const" IDENT "=" expr ";"
ItemPtr Parser::ParseConst() {
  // TODO(lab01.t4): 'const', the name, '=', the value, ';'
  TESSEL_UNIMPLEMENTED("lab01.t4", "'const', the name, '=', the value, ';'",
                       "lab01_lexer_parser/README.md §4.4");
}

// module = { const_def | fn_def }
// An item that fails is skipped by SynchronizeItem and the loop goes on.
std::unique_ptr<Module> Parser::ParseModule() {
  auto module = std::make_unique<Module>();
  // TODO(lab01.t4): parse items until end of file; on SyntaxError call SynchronizeItem
  TESSEL_UNIMPLEMENTED("lab01.t4",
                       "parse items until end of file; on SyntaxError call SynchronizeItem",
                       "lab01_lexer_parser/README.md §4.4");
  return module;
}

// ------------------------------------------------------ t5: comprehensions

// comprehension = IDENT "[" IDENT { "," IDENT } "]" reduce_op expr [ where ] ";"
StmtPtr Parser::ParseComprehension() {
  // TODO(lab01.t5): target[i, j], the reduction operator, the value, optional where, ';'
  TESSEL_UNIMPLEMENTED("lab01.t5",
                       "target[i, j], the reduction operator, the value, optional where, ';'",
                       "lab01_lexer_parser/README.md §4.5");
}

// reduce_op = "=" | "+=" | "*=" | "max=" | "min="
// max and min are identifiers; only here, right before "=", do they name a reduction.
ReduceOp Parser::ParseReduceOp() {
  // TODO(lab01.t5): =, += and *= are tokens; max= and min= are IDENT max/min then '='
  TESSEL_UNIMPLEMENTED("lab01.t5",
                       "=, += and *= are tokens; max= and min= are IDENT max/min then '='",
                       "lab01_lexer_parser/README.md §4.5");
}

// where = "where" range { "," range } ;  range = IDENT "in" expr ".." expr
// (the "where" itself is already consumed)
std::vector<IndexRange> Parser::ParseWhere() {
  // TODO(lab01.t5): ranges 'i in lo..hi' separated by ','
  TESSEL_UNIMPLEMENTED("lab01.t5", "ranges 'i in lo..hi' separated by ','",
                       "lab01_lexer_parser/README.md §4.5");
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
  // TODO(lab01.t6): skip past ';' or to '}' or a statement keyword; false at fn/const/EOF
  TESSEL_UNIMPLEMENTED("lab01.t6",
                       "skip past ';' or to '}' or a statement keyword; false at fn/const/EOF",
                       "lab01_lexer_parser/README.md §4.6");
}

// Panic mode at module level: skips to the next fn or const (or the end of
// the file). Once the error limit is hit, skips everything: parsing stops.
void Parser::SynchronizeItem() {
  // TODO(lab01.t6): skip to the next 'fn', 'const' or end of file
  TESSEL_UNIMPLEMENTED("lab01.t6", "skip to the next 'fn', 'const' or end of file",
                       "lab01_lexer_parser/README.md §4.6");
}

// Nesting went past kMaxNesting (the parser would recurse without bound). The
// error is at the current token: the one the parser was about to read when it
// tried to open level kMaxNesting + 1.
void Parser::FailTooDeep() {
  // TODO(lab01.t6): report 'nesting too deep (limit N)' at Peek(), set too_deep_, throw
  TESSEL_UNIMPLEMENTED("lab01.t6",
                       "report 'nesting too deep (limit N)' at Peek(), set too_deep_, throw",
                       "lab01_lexer_parser/README.md §4.6");
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
