// The IR parser: text (docs/ir.md) -> Module; printer.cpp writes the text.
//
// Pipeline: lab tests, `--print-after` round trips and hand-written IR files come in here; the
// verifier (verifier.cpp) checks the result's types. Three steps:
//   1) Lexer: the whole file to tokens. Newlines are not tokens; one instruction a line is the
//      printer's layout, and error recovery skips to the next line.
//   2) Parser: recursive descent, one function per grammar rule (written above it). A syntax
//      error is reported once, as "expected X, found Y", and thrown as SyntaxError; the block
//      loop catches it and skips the rest of the line, so one run reports several errors.
//   3) Resolution, after each function: a value may be used before its definition (a phi in a
//      loop header), so operands start as a placeholder and branch targets as null, and names
//      and labels are looked up once the whole function is read. Comprehension bodies are
//      typed then too, because literals take the dtype of their context (see BuildExpr).
#include "stages/ir/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/ir/printer.h"

namespace tessel::ir {

namespace {

// --------------------------------------------------------------- lexer

enum class Tok {
  kIdent,
  kValue,
  kFunc,
  kInt,
  kFloat,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kComma,
  kColon,
  kEqual,
  kArrow,
  kDotDot,
  kError,
  kEof,
};

struct Token {
  Tok kind = Tok::kEof;
  std::string_view text;
  SourceLoc loc;  // the first byte
  SourceLoc end;  // one past the last byte
  /// A value's or function's name, without its '%' or '@'.
  std::string name() const { return std::string(text.substr(1)); }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsIdentStart(c) || IsDigit(c) || c == '.'; }

// How a message quotes source bytes: printable ASCII as is, any other byte as \xNN.
std::string Quote(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      const char* hex = "0123456789abcdef";
      out += std::string("\\x") + hex[byte >> 4] + hex[byte & 0xF];
    }
  }
  return "'" + out + (text.size() > 40 ? "...'" : "'");
}

class Lexer {
 public:
  Lexer(const SourceFile& file, DiagnosticEngine& diags)
      : file_(file), text_(file.text()), diags_(diags) {}

  /// Every token of the file, then kEof. Bad characters become kError tokens (reported here).
  std::vector<Token> Run();

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void Advance();
  SourceLoc Here() const { return SourceLoc{static_cast<uint32_t>(pos_), line_, col_}; }
  Token Make(Tok kind, SourceLoc start) const {
    return Token{kind, text_.substr(start.offset, pos_ - start.offset), start, Here()};
  }
  Token Bad(SourceLoc start, std::string message);

  void SkipSpaceAndComments();
  Token Scan();
  Token ScanWord(SourceLoc start);
  Token ScanNumber(SourceLoc start);
  Token ScanSigil(SourceLoc start);
  std::optional<Tok> ScanPunct();

  const SourceFile& file_;
  std::string_view text_;
  DiagnosticEngine& diags_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t col_ = 1;
};

std::vector<Token> Lexer::Run() {
  std::vector<Token> tokens;
  for (SkipSpaceAndComments(); !AtEnd(); SkipSpaceAndComments()) tokens.push_back(Scan());
  tokens.push_back(Make(Tok::kEof, Here()));
  return tokens;
}

void Lexer::Advance() {
  if (AtEnd()) return;
  if (text_[pos_] == '\n') {
    ++line_;
    col_ = 1;
  } else {
    ++col_;
  }
  ++pos_;
}

// Reports `message` over the text from `start` to the cursor; the parser skips the token.
Token Lexer::Bad(SourceLoc start, std::string message) {
  Token token = Make(Tok::kError, start);
  diags_.Error(file_, SourceRange{start, token.end}, std::move(message));
  return token;
}

void Lexer::SkipSpaceAndComments() {
  while (!AtEnd()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      Advance();
    } else if (c == '/' && Peek(1) == '/') {
      while (!AtEnd() && Peek() != '\n') Advance();
    } else {
      return;
    }
  }
}

Token Lexer::Scan() {
  SourceLoc start = Here();
  char c = Peek();
  if (IsIdentStart(c)) return ScanWord(start);
  if (IsDigit(c) || (c == '-' && IsDigit(Peek(1)))) return ScanNumber(start);
  if (c == '-' && text_.substr(pos_).starts_with("-inf") && !IsNameChar(Peek(4))) {
    for (int i = 0; i < 4; ++i) Advance();
    return Make(Tok::kFloat, start);
  }
  if (c == '%' || c == '@') return ScanSigil(start);
  if (std::optional<Tok> punct = ScanPunct()) return Make(*punct, start);
  Advance();
  // The rest of a UTF-8 sequence (bytes 10xxxxxx) belongs to the same character.
  while (!AtEnd() && (static_cast<unsigned char>(Peek()) & 0xC0) == 0x80) Advance();
  return Bad(start,
             "unexpected character " + Quote(text_.substr(start.offset, pos_ - start.offset)));
}

// IDENT = [A-Za-z_][A-Za-z0-9_.]*; the words inf and nan are float literals.
Token Lexer::ScanWord(SourceLoc start) {
  while (IsNameChar(Peek())) Advance();
  Token token = Make(Tok::kIdent, start);
  if (token.text == "inf" || token.text == "nan") token.kind = Tok::kFloat;
  return token;
}

// INT = [-] digits;  FLOAT = [-] digits ["." digits] [[eE] [+-] digits], with '.' or exponent.
// A '.' belongs to the number only when a digit follows: "0..4" is INT ".." INT.
Token Lexer::ScanNumber(SourceLoc start) {
  Tok kind = Tok::kInt;
  if (Peek() == '-') Advance();
  while (IsDigit(Peek())) Advance();
  if (Peek() == '.' && IsDigit(Peek(1))) {
    kind = Tok::kFloat;
    Advance();
    while (IsDigit(Peek())) Advance();
  }
  bool sign = Peek(1) == '+' || Peek(1) == '-';
  if ((Peek() == 'e' || Peek() == 'E') && IsDigit(Peek(sign ? 2 : 1))) {
    kind = Tok::kFloat;
    for (int i = sign ? 2 : 1; i > 0; --i) Advance();
    while (IsDigit(Peek())) Advance();
  }
  if (!IsNameChar(Peek()) || (Peek() == '.' && Peek(1) == '.')) return Make(kind, start);
  while (IsNameChar(Peek())) Advance();
  return Bad(start, "malformed number " + Quote(text_.substr(start.offset, pos_ - start.offset)));
}

// VALUE = "%" [A-Za-z0-9_.]+;  FUNC = "@" [A-Za-z0-9_.]+
Token Lexer::ScanSigil(SourceLoc start) {
  char sigil = Peek();
  Advance();
  if (!IsNameChar(Peek())) {
    return Bad(start, std::string("expected a name after '") + sigil + "'");
  }
  while (IsNameChar(Peek())) Advance();
  return Make(sigil == '%' ? Tok::kValue : Tok::kFunc, start);
}

std::optional<Tok> Lexer::ScanPunct() {
  struct Punct {
    std::string_view text;
    Tok kind;
  };
  static constexpr Punct kPuncts[] = {
      {"->", Tok::kArrow},   {"..", Tok::kDotDot},  {"(", Tok::kLParen}, {")", Tok::kRParen},
      {"[", Tok::kLBracket}, {"]", Tok::kRBracket}, {"{", Tok::kLBrace}, {"}", Tok::kRBrace},
      {",", Tok::kComma},    {":", Tok::kColon},    {"=", Tok::kEqual},
  };
  for (const Punct& p : kPuncts) {
    if (!text_.substr(pos_).starts_with(p.text)) continue;
    for (size_t i = 0; i < p.text.size(); ++i) Advance();
    return p.kind;
  }
  return std::nullopt;
}

// ------------------------------------------------------ parsed pieces

// Thrown after a syntax error was reported; the block loop catches it.
struct SyntaxError {};

// A constant's value as written: a number, true/false, or a list of literals.
struct Literal {
  Token token;  // the scalar, or the '[' of a list
  bool is_list = false;
  std::vector<Literal> items;
};

// A comprehension body before typing: literals have no dtype yet.
struct RawExpr {
  enum class Kind { kLiteral, kTypedConst, kIndex, kRead, kApply, kCast };
  Kind kind = Kind::kLiteral;
  Token token;                // the literal, or where the expression starts
  DType dtype = DType::kF32;  // kTypedConst, kCast
  int index = -1;             // kIndex: variable position; kRead: operand position
  Op op = Op::kAdd;           // kApply
  std::vector<RawExpr> args;
};

struct RawComprehension {
  std::vector<IndexVar> out, reduce;
  ReduceKind kind = ReduceKind::kAssign;
  RawExpr body;
};

// A use of a value by name, resolved after the function.
struct Use {
  std::string name;
  Token token;
};

// One instruction as read, before it is built.
struct Draft {
  Token mnemonic;
  std::vector<Use> operands;
  std::vector<Token> labels;  // br/cond_br targets, phi incoming blocks
  Token callee;               // call: where the callee is named
  Attrs attrs;
  std::optional<Literal> literal;
  std::optional<RawComprehension> comprehension;
  std::vector<std::string> read_names;  // operand names a comprehension body may read
};

struct ValueDef {
  Value* value;
  Token token;
};
struct BlockDef {
  Block* block;
  Token token;
};
struct PendingUse {
  Instr* instr;
  size_t index;
  Use use;
};
struct PendingLabel {
  Instr* instr;
  size_t slot;
  Token token;
};
struct PendingComprehension {
  Instr* instr;
  RawComprehension raw;
};

// What the parser knows about the function it is reading.
struct FunctionState {
  Function* function = nullptr;
  std::map<std::string, ValueDef> values;
  std::map<std::string, BlockDef> blocks;
  std::vector<PendingUse> uses;
  std::vector<PendingLabel> labels;
  std::vector<PendingComprehension> comprehensions;
  Block* current = nullptr;
};

constexpr int kMaxNesting = 200;
constexpr int64_t kMaxElements = int64_t{1} << 48;          // of any type
constexpr int64_t kMaxConstantElements = int64_t{1} << 24;  // of a constant's tensor

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

bool IsComparison(Op op) {
  return op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe || op == Op::kGt ||
         op == Op::kGe;
}

bool IsBoolWord(const Token& t) {
  return t.kind == Tok::kIdent && (t.text == "true" || t.text == "false");
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

// ---------------------------------------------------------------- parser

class Parser {
 public:
  Parser(const SourceFile& file, std::vector<Token> tokens, DiagnosticEngine& diags)
      : file_(file), tokens_(std::move(tokens)), diags_(diags) {}

  /// module = { function }. The caller drops the module when errors were reported.
  std::unique_ptr<Module> Run();

 private:
  // The token cursor; the last token is kEof and the cursor never moves past it.
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Advance() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool Check(Tok kind) const { return Peek().kind == kind; }
  bool CheckWord(std::string_view word) const { return Check(Tok::kIdent) && Peek().text == word; }
  bool Match(Tok kind) {
    if (!Check(kind)) return false;
    Advance();
    return true;
  }
  const Token& Expect(Tok kind, std::string_view what) {
    if (!Check(kind)) Fail(what);
    return Advance();
  }
  [[noreturn]] void Fail(std::string_view expected);
  void Error(const Token& t, std::string message) {
    diags_.Error(file_, SourceRange{t.loc, t.end}, std::move(message));
  }
  [[noreturn]] void FailAt(const Token& t, std::string message) {
    Error(t, std::move(message));
    throw SyntaxError{};
  }

  // Functions and blocks.
  bool AtFunctionStart() const { return CheckWord("func") && Peek(1).kind == Tok::kFunc; }
  void ParseFunction();
  void ParseArg(FunctionState& fs);
  void ParseBody(FunctionState& fs);
  void ParseLine(FunctionState& fs);
  void RecoverLine(size_t start_pos);
  void Define(FunctionState& fs, const Token& token, Value* value);

  // Instructions.
  void ParseInstr(FunctionState& fs);
  void ParseInstrAfterResult(FunctionState& fs, const std::optional<Token>& result);
  Op ParseMnemonic();
  void ParseOperands(OperandForm form, Draft& d);
  std::vector<Use> ParseValueList();
  Use ParseValue() {
    const Token& t = Expect(Tok::kValue, "a value such as '%x'");
    return Use{t.name(), t};
  }
  void ParsePhiOperands(Draft& d);
  void ParseCallOperands(Draft& d);
  void ParseAttrs(Op op, AttrForm form, Draft& d);
  void ParseAttr(AttrForm form, Draft& d, std::vector<std::string>& seen);
  void CheckRequiredAttrs(AttrForm form, Draft& d, const std::vector<std::string>& seen);
  Instr* Emit(FunctionState& fs, Op op, Draft& d, Type type, const std::optional<Token>& result);

  // Types and numbers.
  Type ParseType();
  int64_t ParseInt(std::string_view what);
  std::vector<int64_t> ParseIntList();
  double ParseNumber();
  std::optional<double> NumberValue(const Token& t);

  // Constants.
  Literal ParseLiteral(int depth);
  std::optional<double> ElementValue(const Token& t, DType dtype);
  bool CheckLiteralShape(const Literal& lit, const Shape& shape, size_t dim);
  void Flatten(const Literal& lit, std::vector<const Token*>& out);
  std::shared_ptr<const Tensor> BuildConstant(const Literal& lit, const Type& type);

  // Comprehensions.
  RawComprehension ParseComprehension(Draft& d);
  std::vector<IndexVar> ParseRanges(std::vector<std::string>& scope);
  ReduceKind ParseReduceKind();
  RawExpr ParseExpr(const Draft& d, const std::vector<std::string>& scope, int depth);
  RawExpr ParseCompound(const Draft& d, const std::vector<std::string>& scope, int depth);
  RawExpr ParseRead(const Draft& d, const std::vector<std::string>& scope, int depth);
  RawExpr ParseCastOrConst(const Draft& d, const std::vector<std::string>& scope, int depth);
  void ParseArgsUntilClose(const Draft& d, const std::vector<std::string>& scope, int depth,
                           RawExpr& e);
  DType ParseDTypeWord();

  // Resolution.
  void Resolve(FunctionState& fs);
  void BuildComprehension(PendingComprehension& p);
  ScalarExprPtr BuildExpr(const RawExpr& raw, std::optional<DType> want, const Instr& owner);
  void BuildRead(const RawExpr& raw, const Instr& owner, ScalarExpr& e);
  void BuildApply(const RawExpr& raw, std::optional<DType> want, const Instr& owner, ScalarExpr& e);
  void ResolveCalls(const Module& module);

  const SourceFile& file_;
  std::vector<Token> tokens_;
  DiagnosticEngine& diags_;
  size_t pos_ = 0;
  std::unique_ptr<Module> module_;
  std::vector<std::pair<std::string, Token>> calls_;  // callee, where it is named
  // Every operand points here until its name is resolved (Instr forbids null operands).
  Argument placeholder_{Type{}, "<unresolved>", -1};
};

// "expected X, found Y" at the unexpected token, or, when that token starts a later line, at
// the end of the previous one (where the missing piece belongs). The lexer already reported a
// kError token, so it is not reported twice.
void Parser::Fail(std::string_view expected) {
  const Token& t = Peek();
  if (t.kind == Tok::kError) throw SyntaxError{};
  std::string found = t.kind == Tok::kEof ? "end of file" : Quote(t.text);
  std::string message = "expected " + std::string(expected) + ", found " + found;
  if (pos_ > 0 && t.loc.line > tokens_[pos_ - 1].loc.line) {
    diags_.Error(file_, tokens_[pos_ - 1].end, std::move(message));
  } else {
    Error(t, std::move(message));
  }
  throw SyntaxError{};
}

std::unique_ptr<Module> Parser::Run() {
  module_ = std::make_unique<Module>();
  while (!Check(Tok::kEof) && !diags_.ShouldStop()) {
    try {
      if (!AtFunctionStart()) Fail("'func @name(...)'");
      ParseFunction();
    } catch (const SyntaxError&) {
      // Skip to the next function: a "func" word followed by "@name".
      Advance();
      while (!Check(Tok::kEof) && !AtFunctionStart()) Advance();
    }
  }
  ResolveCalls(*module_);
  return std::move(module_);
}

// function = "func" "@" NAME "(" [ arg { "," arg } ] ")" "->" type "{" { block } "}"
void Parser::ParseFunction() {
  Advance();  // func
  const Token& name = Advance();
  FunctionState fs;
  Expect(Tok::kLParen, "'('");
  std::vector<Token> arg_tokens;
  std::vector<Type> arg_types;
  if (!Check(Tok::kRParen)) {
    do {
      arg_tokens.push_back(Expect(Tok::kValue, "an argument such as '%x'"));
      Expect(Tok::kColon, "':' and the argument's type");
      arg_types.push_back(ParseType());
    } while (Match(Tok::kComma));
  }
  Expect(Tok::kRParen, "',' or ')'");
  Expect(Tok::kArrow, "'->' and the result type");
  Type result = ParseType();
  Expect(Tok::kLBrace, "'{'");
  if (module_->FindFunction(name.name()))
    Error(name, "redefinition of function " + Quote(name.text));
  fs.function = module_->AddFunction(name.name(), result);
  for (size_t i = 0; i < arg_tokens.size(); ++i) {
    Define(fs, arg_tokens[i], fs.function->AddArg(arg_types[i], arg_tokens[i].name()));
  }
  ParseBody(fs);
  Resolve(fs);
}

void Parser::Define(FunctionState& fs, const Token& token, Value* value) {
  auto [it, inserted] = fs.values.emplace(token.name(), ValueDef{value, token});
  if (inserted) return;
  Error(token, "redefinition of " + Quote(token.text));
  diags_.Note(file_, it->second.token.loc, "previous definition is here");
}

// The blocks up to the closing '}'. A missing '}' is reported where the next function starts.
void Parser::ParseBody(FunctionState& fs) {
  while (!Match(Tok::kRBrace) && !diags_.ShouldStop()) {
    if (Check(Tok::kEof) || AtFunctionStart()) {
      try {
        Fail("'}' at the end of function @" + fs.function->name());
      } catch (const SyntaxError&) {
        return;
      }
    }
    size_t start = pos_;
    try {
      ParseLine(fs);
    } catch (const SyntaxError&) {
      RecoverLine(start);
    }
  }
}

// Skips the rest of the line where the error happened (at least one token, so the loop moves).
void Parser::RecoverLine(size_t start_pos) {
  if (pos_ == start_pos) Advance();
  uint32_t line = tokens_[pos_ - 1].loc.line;
  while (!Check(Tok::kEof) && Peek().loc.line == line) Advance();
}

// block = LABEL ":" { instr }
void Parser::ParseLine(FunctionState& fs) {
  if (!(Check(Tok::kIdent) && Peek(1).kind == Tok::kColon)) {
    if (fs.current == nullptr) {
      Error(Peek(), "expected a block label such as 'entry:' before the first instruction");
      fs.current = fs.function->AddBlock("entry");
    }
    ParseInstr(fs);
    return;
  }
  const Token& label = Advance();
  Advance();  // ':'
  fs.current = fs.function->AddBlock(std::string(label.text));
  auto [it, inserted] = fs.blocks.emplace(std::string(label.text), BlockDef{fs.current, label});
  if (inserted) return;
  Error(label, "redefinition of block " + Quote(label.text));
  diags_.Note(file_, it->second.token.loc, "previous definition is here");
}

// instr = [ "%" NAME "=" ] mnemonic operands [ attrs ] [ ":" type ]
void Parser::ParseInstr(FunctionState& fs) {
  std::optional<Token> result;
  if (Check(Tok::kValue)) {
    result = Advance();
    Expect(Tok::kEqual, "'='");
  }
  try {
    ParseInstrAfterResult(fs, result);
  } catch (const SyntaxError&) {
    // Later uses of the result are not reported again as undefined.
    if (result) fs.values.emplace(result->name(), ValueDef{&placeholder_, *result});
    throw;
  }
}

// The rest of an instruction, after "%name =".
void Parser::ParseInstrAfterResult(FunctionState& fs, const std::optional<Token>& result) {
  Draft d;
  d.mnemonic = Peek();
  Op op = ParseMnemonic();
  if (result && !HasResult(op))
    Error(*result, "'" + std::string(OpMnemonic(op)) + "' has no result");
  OpTextForm form = TextFormOf(op);
  ParseOperands(form.operands, d);
  ParseAttrs(op, form.attrs, d);
  Type type;
  if (HasResult(op)) {
    if (!Match(Tok::kColon)) Fail("':' and the result type");
    type = ParseType();
  } else if (Check(Tok::kColon)) {
    FailAt(Peek(), "'" + std::string(OpMnemonic(op)) + "' has no result, so no type");
  }
  Emit(fs, op, d, std::move(type), result);
}

Op Parser::ParseMnemonic() {
  const Token& t = Expect(Tok::kIdent, "an instruction");
  std::optional<Op> op = ParseOpMnemonic(t.text);
  if (!op) FailAt(t, "unknown op " + Quote(t.text));
  return *op;
}

void Parser::ParseOperands(OperandForm form, Draft& d) {
  switch (form) {
    case OperandForm::kList:
      d.operands = ParseValueList();
      return;
    case OperandForm::kConstant:
      d.literal = ParseLiteral(0);
      return;
    case OperandForm::kComprehension:
      d.comprehension = ParseComprehension(d);
      return;
    case OperandForm::kCall:
      return ParseCallOperands(d);
    case OperandForm::kPhi:
      return ParsePhiOperands(d);
    case OperandForm::kBr:
      d.labels.push_back(Expect(Tok::kIdent, "a block label"));
      return;
    case OperandForm::kCondBr:
      d.operands.push_back(ParseValue());
      for (int i = 0; i < 2; ++i) {
        Expect(Tok::kComma, "','");
        d.labels.push_back(Expect(Tok::kIdent, "a block label"));
      }
      return;
  }
}

// call operands = "@" NAME "(" [ VALUE { "," VALUE } ] ")"
void Parser::ParseCallOperands(Draft& d) {
  d.callee = Expect(Tok::kFunc, "a function such as '@f'");
  d.attrs.callee = d.callee.name();
  Expect(Tok::kLParen, "'('");
  if (!Check(Tok::kRParen)) d.operands = ParseValueList();
  Expect(Tok::kRParen, "',' or ')'");
}

// %a, %b, ...  (possibly none)
std::vector<Use> Parser::ParseValueList() {
  std::vector<Use> uses;
  if (!Check(Tok::kValue)) return uses;
  do {
    uses.push_back(ParseValue());
  } while (Match(Tok::kComma));
  return uses;
}

// phi operands = [ "[" VALUE "," LABEL "]" { "," "[" VALUE "," LABEL "]" } ]
void Parser::ParsePhiOperands(Draft& d) {
  if (!Check(Tok::kLBracket)) return;
  do {
    Expect(Tok::kLBracket, "'['");
    d.operands.push_back(ParseValue());
    Expect(Tok::kComma, "','");
    d.labels.push_back(Expect(Tok::kIdent, "a block label"));
    Expect(Tok::kRBracket, "']'");
  } while (Match(Tok::kComma));
}

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

void Parser::ParseAttr(AttrForm form, Draft& d, std::vector<std::string>& seen) {
  const Token& key = Expect(Tok::kIdent, "an attribute name");
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
  seen.push_back(name);
  Expect(Tok::kEqual, "'='");
  Attrs& a = d.attrs;
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

// Creates the instruction with placeholder operands, appends it to the current block and
// records what Resolve must fill in.
Instr* Parser::Emit(FunctionState& fs, Op op, Draft& d, Type type,
                    const std::optional<Token>& result) {
  int arity = OpArity(op);
  if (arity >= 0 && static_cast<size_t>(arity) != d.operands.size()) {
    FailAt(d.mnemonic, Quote(OpMnemonic(op)) + " takes " + std::to_string(arity) +
                           (arity == 1 ? " operand" : " operands") + ", found " +
                           std::to_string(d.operands.size()));
  }
  std::string name = result ? result->name() : std::string();
  auto owned = std::make_unique<Instr>(op, std::vector<Value*>(d.operands.size(), &placeholder_),
                                       type, name);
  owned->attrs() = std::move(d.attrs);
  if (d.literal) owned->attrs().value = BuildConstant(*d.literal, type);
  Instr* instr = fs.current->Append(std::move(owned));
  if (result && HasResult(op)) Define(fs, *result, instr);
  for (size_t i = 0; i < d.operands.size(); ++i) fs.uses.push_back({instr, i, d.operands[i]});
  if (op == Op::kCall) calls_.emplace_back(instr->attrs().callee, d.callee);
  instr->blocks().assign(d.labels.size(), nullptr);
  for (size_t i = 0; i < d.labels.size(); ++i) fs.labels.push_back({instr, i, d.labels[i]});
  if (d.comprehension) fs.comprehensions.push_back({instr, std::move(*d.comprehension)});
  return instr;
}

// ------------------------------------------------------- types, numbers

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

// ------------------------------------------------------------- constants

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
  double limit = dtype == DType::kF32   ? 3.4028235677973366e38
                 : dtype == DType::kF16 ? 65520.0
                 : dtype == DType::kI32 ? 2147483648.0
                                        : 128.0;
  bool fits = value && (std::isnan(*value) || std::isinf(*value) || std::fabs(*value) < limit ||
                        (!IsFloat(dtype) && *value == -limit));
  if (!fits) {
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

// -------------------------------------------------------- comprehensions

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

// ------------------------------------------------------------ resolution

void Parser::Resolve(FunctionState& fs) {
  for (const PendingUse& p : fs.uses) {
    auto it = fs.values.find(p.use.name);
    if (it == fs.values.end()) {
      Error(p.use.token, "use of undefined value " + Quote(p.use.token.text));
      continue;
    }
    p.instr->set_operand(p.index, it->second.value);
  }
  for (const PendingLabel& p : fs.labels) {
    auto it = fs.blocks.find(std::string(p.token.text));
    if (it == fs.blocks.end()) {
      Error(p.token, "unknown block label " + Quote(p.token.text));
      continue;
    }
    p.instr->blocks()[p.slot] = it->second.block;
  }
  for (PendingComprehension& p : fs.comprehensions) BuildComprehension(p);
}

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
    case RawExpr::Kind::kTypedConst: {
      e->kind = ScalarExpr::Kind::kConst;
      bool typed = raw.kind == RawExpr::Kind::kTypedConst;
      e->dtype = typed ? raw.dtype : LiteralDType(raw.token, want);
      e->value = ElementValue(raw.token, e->dtype).value_or(0);
      break;
    }
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

void Parser::ResolveCalls(const Module& module) {
  for (const auto& [callee, token] : calls_) {
    if (module.FindFunction(callee) == nullptr) {
      Error(token, "call of undefined function " + Quote(token.text));
    }
  }
}

}  // namespace

std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  std::vector<Token> tokens = Lexer(file, diags).Run();
  std::unique_ptr<Module> module = Parser(file, std::move(tokens), diags).Run();
  if (diags.error_count() > errors_before) return nullptr;
  return module;
}

}  // namespace tessel::ir
