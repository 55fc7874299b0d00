// The loop IR's parser (parser.h): recursive descent over text_lexer's tokens, one function
// per grammar rule (docs/loop-ir.md has the grammar), expressions by precedence climbing.
#include "stages/loops/parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "stages/loops/syntax.h"
#include "stages/loops/text_lexer.h"
#include "stages/loops/type_rules.h"

namespace tessel::loops {

namespace {

using text::Tok;
using text::Token;

struct ParseFailure {};  // thrown after the error is reported; caught at the top

struct PendingCall {
  SourceLoc loc;
  std::string callee;
  std::vector<BufferPtr> args;
};

class Parser {
 public:
  Parser(const SourceFile& file, DiagnosticEngine& diags)
      : file_(file), diags_(diags), tokens_(text::Lex(file, diags)) {}

  std::optional<Module> Run() {
    if (diags_.has_errors()) return std::nullopt;
    try {
      // module = (const_decl | function)*
      while (Peek().kind != Tok::kEof) {
        if (Peek().Is("const")) {
          ParseConstant();
        } else {
          ParseFunction();
        }
      }
      CheckCalls();
    } catch (const ParseFailure&) {
      return std::nullopt;
    }
    return std::move(module_);
  }

 private:
  // ------------------------------------------------------------- tokens
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  Token Take() {
    Token t = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  [[noreturn]] void Fail(SourceLoc loc, const std::string& message) {
    diags_.Error(file_, loc, message);
    throw ParseFailure{};
  }
  static std::string Describe(const Token& t) {
    return t.kind == Tok::kEof ? "end of file" : "'" + std::string(t.text) + "'";
  }
  [[noreturn]] void Expected(const std::string& what) {
    Fail(Peek().loc, "expected " + what + ", found " + Describe(Peek()));
  }
  Token Expect(std::string_view symbol) {
    if (!Peek().Is(symbol)) Expected("'" + std::string(symbol) + "'");
    return Take();
  }
  Token Expect(Tok kind, const std::string& what) {
    if (Peek().kind != kind) Expected(what);
    return Take();
  }
  bool Accept(std::string_view symbol) {
    if (!Peek().Is(symbol)) return false;
    Take();
    return true;
  }
  static std::string NameOf(const Token& t) { return std::string(t.text.substr(1)); }

  int64_t ParseInt(bool allow_negative = false) {
    bool negative = allow_negative && Accept("-");
    Token t = Expect(Tok::kInt, "an integer");
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
    if (ec != std::errc() || value > (int64_t{1} << 40)) Fail(t.loc, "integer " + std::string(t.text) + " is too large");
    return negative ? -value : value;
  }

  std::vector<int64_t> ParseIntList() {
    std::vector<int64_t> values;
    Expect("[");
    if (!Peek().Is("]")) {
      do values.push_back(ParseInt()); while (Accept(","));
    }
    Expect("]");
    return values;
  }

  DType ParseDType() {
    Token t = Expect(Tok::kIdent, "a dtype (f32, f16, i32, i8, bool)");
    std::optional<DType> dtype = tessel::ParseDType(t.text);
    if (!dtype) Fail(t.loc, "unknown dtype '" + std::string(t.text) + "'");
    return *dtype;
  }

  // ------------------------------------------------------------- scopes
  void PushScope() { scopes_.emplace_back(); }
  void PopScope() { scopes_.pop_back(); }

  void DefineName(const Token& at, const std::string& name) {
    if (!function_names_.insert(name).second) {
      Fail(at.loc, "'" + name + "' is defined twice in @" + function_name_ +
                       " (loop variables, lets and buffers of a function have distinct names)");
    }
  }
  void DefineVar(const Token& at, const std::string& name, DType dtype) {
    DefineName(at, name);
    scopes_.back().vars[name] = dtype;
  }
  void DefineBuffer(const Token& at, const BufferPtr& buffer) {
    if (constants_.count(buffer->name)) {
      Fail(at.loc, "buffer %" + buffer->name + " has the name of a module constant");
    }
    DefineName(at, "%" + buffer->name);
    scopes_.back().buffers[buffer->name] = buffer;
  }
  ExprPtr LookUpVar(const Token& t) {
    std::string name(t.text);
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->vars.find(name);
      if (found != it->vars.end()) return Var(name, found->second);
    }
    Fail(t.loc, "use of undefined variable '" + name + "'");
  }
  BufferPtr LookUpBuffer(const Token& t) {
    std::string name = NameOf(t);
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->buffers.find(name);
      if (found != it->buffers.end()) return found->second;
    }
    auto constant = constants_.find(name);
    if (constant != constants_.end()) return constant->second;
    Fail(t.loc, "use of undefined buffer %" + name);
  }

  // ------------------------------------------------------------ buffers
  // decl = BUFFER ':' dtype '[' ints ']' ('strides' '[' ints ']')? scope?
  BufferPtr ParseBufferDecl() {
    Token name = Expect(Tok::kBuffer, "a buffer name (%name)");
    Expect(":");
    DType dtype = ParseDType();
    Shape shape = ParseIntList();
    std::vector<int64_t> strides;
    if (Accept("strides")) {
      Token at = Peek();
      strides = ParseIntList();
      if (strides.size() != shape.size()) Fail(at.loc, "one stride per dimension of %" + NameOf(name));
    }
    // Sizes beyond 2^31 elements (8 GiB of f32) are not what loop IR is for, and their
    // byte counts could overflow.
    int64_t elements = 1;
    for (int64_t extent : shape) {
      if (extent > 0 && elements > (int64_t{1} << 31) / extent) {
        Fail(name.loc, "%" + NameOf(name) + " has more than 2^31 elements, more than loop IR allows");
      }
      elements *= extent;
    }
    Scope scope = Scope::kGlobal;
    if (Peek().kind == Tok::kIdent) {
      if (std::optional<Scope> s = loops::ParseScope(Peek().text)) {
        scope = *s;
        Take();
      }
    }
    return MakeBuffer(NameOf(name), dtype, shape, scope, strides);
  }

  // const_decl = 'const' decl '=' '[' literal (',' literal)* ']'
  void ParseConstant() {
    Expect("const");
    Token at = Peek();
    BufferPtr decl = ParseBufferDecl();
    if (!decl->row_major() || decl->scope != Scope::kGlobal) {
      Fail(at.loc, "a constant is a row-major global buffer");
    }
    Expect("=");
    Expect("[");
    std::vector<double> values;
    if (!Peek().Is("]")) {
      do values.push_back(ParseLiteral(decl->dtype)->value); while (Accept(","));
    }
    Token close = Expect("]");
    if (static_cast<int64_t>(values.size()) != NumElements(decl->shape)) {
      Fail(close.loc, "constant %" + decl->name + " has " + std::to_string(values.size()) +
                          " elements, its type " + std::to_string(NumElements(decl->shape)));
    }
    if (constants_.count(decl->name)) Fail(at.loc, "constant %" + decl->name + " is defined twice");
    auto data = std::make_shared<Tensor>(Tensor::FromValues(decl->dtype, decl->shape, values));
    BufferPtr constant = MakeConstantBuffer(decl->name, std::move(data));
    constants_[decl->name] = constant;
    module_.constants.push_back(constant);
  }

  // ---------------------------------------------------------- functions
  // function = ('kernel' | 'func') FUNC '(' decls ')' '->' '(' decls ')' block
  void ParseFunction() {
    Function f;
    if (Accept("func")) {
      f.is_kernel = false;
    } else if (!Accept("kernel")) {
      Expected("'kernel', 'func' or 'const'");
    }
    Token name = Expect(Tok::kFunc, "a function name (@name)");
    f.name = NameOf(name);
    if (module_.FindFunction(f.name)) Fail(name.loc, "function @" + f.name + " is defined twice");
    function_name_ = f.name;
    function_names_.clear();
    PushScope();
    f.inputs = ParseParams();
    Expect("->");
    f.outputs = ParseParams();
    f.body = ParseBlock();
    PopScope();
    module_.functions.push_back(std::move(f));
  }

  std::vector<BufferPtr> ParseParams() {
    std::vector<BufferPtr> params;
    Expect("(");
    if (!Peek().Is(")")) {
      do {
        Token at = Peek();
        params.push_back(ParseBufferDecl());
        DefineBuffer(at, params.back());
      } while (Accept(","));
    }
    Expect(")");
    return params;
  }

  // --------------------------------------------------------- statements
  // block = '{' stmt* '}'
  StmtPtr ParseBlock() {
    Expect("{");
    PushScope();
    std::vector<StmtPtr> stmts;
    while (!Peek().Is("}")) {
      if (Peek().kind == Tok::kEof) Expected("'}'");
      stmts.push_back(ParseStmt());
    }
    Take();
    PopScope();
    return Seq(std::move(stmts));
  }

  StmtPtr ParseStmt() {
    const Token& t = Peek();
    if (t.kind == Tok::kBuffer) return ParseStore();
    if (t.Is("let")) return ParseLet();
    if (t.Is("if")) return ParseIf();
    if (t.Is("allocate")) return ParseAllocate();
    if (t.Is("view")) return ParseView();
    if (t.Is("call")) return ParseCall();
    if (t.Is("for")) return ParseFor(ForKind::kSerial);
    if (t.kind == Tok::kIdent && Peek(1).Is("for")) {
      std::optional<ForKind> kind = ParseForKind(t.text);
      if (!kind) Fail(t.loc, "unknown loop kind '" + std::string(t.text) + "'");
      Take();
      return ParseFor(*kind);
    }
    Expected("a statement (for, let, if, allocate, view, call or a store)");
  }

  // for = kind? 'for' IDENT 'in' '0' '..' expr block
  StmtPtr ParseFor(ForKind kind) {
    Expect("for");
    Token var = Expect(Tok::kIdent, "a loop variable");
    Expect("in");
    Token zero = Peek();
    if (ParseInt() != 0) Fail(zero.loc, "a loop starts at 0 (write the offset into the body)");
    Expect("..");
    Token at = Peek();
    ExprPtr extent = ParseExpr();
    if (extent->dtype != kIndexType) Fail(at.loc, "a loop extent is an i32, found " + std::string(DTypeName(extent->dtype)));
    PushScope();
    DefineVar(var, std::string(var.text), kIndexType);
    StmtPtr body = ParseBlock();
    PopScope();
    return For(std::string(var.text), extent, body, kind);
  }

  // let = 'let' IDENT '=' expr
  StmtPtr ParseLet() {
    Expect("let");
    Token var = Expect(Tok::kIdent, "a variable name");
    Expect("=");
    ExprPtr value = ParseExpr();
    DefineVar(var, std::string(var.text), value->dtype);
    return Let(std::string(var.text), value);
  }

  // if = 'if' expr block ('else' block)?
  StmtPtr ParseIf() {
    Expect("if");
    Token at = Peek();
    ExprPtr cond = ParseExpr();
    if (cond->dtype != DType::kBool) Fail(at.loc, "an if's condition is a bool, found " + std::string(DTypeName(cond->dtype)));
    StmtPtr then_body = ParseBlock();
    StmtPtr else_body = Accept("else") ? ParseBlock() : nullptr;
    return If(cond, then_body, else_body);
  }

  StmtPtr ParseAllocate() {
    Expect("allocate");
    Token at = Peek();
    BufferPtr buffer = ParseBufferDecl();
    DefineBuffer(at, buffer);
    return Allocate(buffer);
  }

  // view = 'view' decl '=' BUFFER '[' INT ']'
  StmtPtr ParseView() {
    Expect("view");
    Token at = Peek();
    BufferPtr buffer = ParseBufferDecl();
    Expect("=");
    BufferPtr base = LookUpBuffer(Expect(Tok::kBuffer, "the viewed buffer (%name)"));
    Expect("[");
    Token offset_at = Peek();
    int64_t offset = ParseInt();
    Expect("]");
    int64_t bytes = buffer->SpanElements() * static_cast<int64_t>(DTypeSize(buffer->dtype));
    int64_t base_bytes = base->SpanElements() * static_cast<int64_t>(DTypeSize(base->dtype));
    if (offset + bytes > base_bytes) {
      Fail(offset_at.loc, "view %" + buffer->name + " (" + std::to_string(bytes) + " bytes at " +
                              std::to_string(offset) + ") does not fit in %" + base->name + " (" +
                              std::to_string(base_bytes) + " bytes)");
    }
    DefineBuffer(at, buffer);
    return View(buffer, base, offset);
  }

  // call = 'call' FUNC '(' BUFFER (',' BUFFER)* ')'
  StmtPtr ParseCall() {
    Expect("call");
    Token callee = Expect(Tok::kFunc, "a kernel name (@name)");
    std::vector<BufferPtr> args;
    Expect("(");
    if (!Peek().Is(")")) {
      do args.push_back(LookUpBuffer(Expect(Tok::kBuffer, "a buffer (%name)"))); while (Accept(","));
    }
    Expect(")");
    calls_.push_back({callee.loc, NameOf(callee), args});
    return Call(NameOf(callee), args);
  }

  // store = BUFFER '[' exprs ']' '=' expr
  StmtPtr ParseStore() {
    Token name = Take();
    BufferPtr buffer = LookUpBuffer(name);
    if (buffer->data) Fail(name.loc, "%" + buffer->name + " is a constant and cannot be stored to");
    std::vector<ExprPtr> subscripts = ParseSubscripts(*buffer, name);
    Token eq = Expect("=");
    ExprPtr value = ParseExpr();
    if (value->dtype != buffer->dtype) {
      Fail(eq.loc, "stores a " + std::string(DTypeName(value->dtype)) + " into %" + buffer->name +
                       " of " + std::string(DTypeName(buffer->dtype)));
    }
    return Store(buffer, std::move(subscripts), value);
  }

  std::vector<ExprPtr> ParseSubscripts(const Buffer& buffer, const Token& at) {
    Expect("[");
    std::vector<ExprPtr> subscripts;
    if (!Peek().Is("]")) {
      do subscripts.push_back(ParseExpr()); while (Accept(","));
    }
    Expect("]");
    std::string error = CheckSubscripts(buffer, subscripts);
    if (!error.empty()) Fail(at.loc, error);
    return subscripts;
  }

  // -------------------------------------------------------- expressions
  // expr = unary (BINOP unary)*, by precedence climbing (syntax.cpp has the table)
  ExprPtr ParseExpr(int min_precedence = 1) {
    ExprPtr lhs = ParseUnary();
    for (;;) {
      const Token& t = Peek();
      const InfixOp* infix = t.kind == Tok::kPunct ? FindBinary(t.text) : nullptr;
      if (!infix || infix->precedence < min_precedence) return lhs;
      Token op = Take();
      ExprPtr rhs = ParseExpr(infix->precedence + 1);
      lhs = MakeApply(op, infix->op, {lhs, rhs});
    }
  }

  // unary = ('-' | '!') unary | primary; '-' before a number is part of the number
  ExprPtr ParseUnary() {
    const Token& t = Peek();
    if (t.kind == Tok::kPunct && FindPrefix(t.text)) {
      bool literal = t.Is("-") && (Peek(1).kind == Tok::kInt || Peek(1).kind == Tok::kFloat ||
                                   Peek(1).Is("inf"));
      if (literal) return ParseLiteral(std::nullopt);
      Token op = Take();
      return MakeApply(op, FindPrefix(op.text)->op, {ParseUnary()});
    }
    return ParsePrimary();
  }

  ExprPtr MakeApply(const Token& at, Op op, std::vector<ExprPtr> args, DType cast_to = DType::kF32) {
    std::vector<DType> dtypes;
    for (const ExprPtr& arg : args) dtypes.push_back(arg->dtype);
    std::string error;
    if (!ApplyResultType(op, dtypes, cast_to, &error)) Fail(at.loc, error);
    return Apply(op, std::move(args), cast_to);
  }

  // A number, true, false, inf, nan, with an optional '-'. With `dtype`, of that dtype;
  // without, an integer is an i32 and anything else an f32.
  ExprPtr ParseLiteral(std::optional<DType> dtype) {
    bool negative = Accept("-");
    Token t = Take();
    double value = 0;
    DType natural = DType::kF32;
    if (t.kind == Tok::kInt || t.kind == Tok::kFloat) {
      std::string text(t.text);
      value = std::strtod(text.c_str(), nullptr);
      natural = t.kind == Tok::kInt ? DType::kI32 : DType::kF32;
    } else if (t.Is("inf") || t.Is("nan")) {
      value = t.Is("inf") ? std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::quiet_NaN();
    } else if (!negative && (t.Is("true") || t.Is("false"))) {
      value = t.Is("true") ? 1 : 0;
      natural = DType::kBool;
    } else {
      pos_ -= 1;
      Expected("a number");
    }
    if (negative) value = -value;
    DType type = dtype.value_or(natural);
    if (type == DType::kI32 && (value < -2147483648.0 || value > 2147483647.0)) {
      Fail(t.loc, "integer " + std::string(t.text) + " does not fit in an i32");
    }
    if (!IsFloat(type) && type != DType::kBool && t.kind != Tok::kInt) {
      Fail(t.loc, "a " + std::string(DTypeName(type)) + " constant is an integer");
    }
    return Const(type, value);
  }

  // primary = literal | IDENT | BUFFER '[' exprs ']' | '(' expr ')' | IDENT '(' exprs ')'
  //         | 'cast' '<' dtype '>' '(' expr ')' | dtype '(' literal ')'
  ExprPtr ParsePrimary() {
    const Token& t = Peek();
    if (t.kind == Tok::kInt || t.kind == Tok::kFloat || t.Is("true") || t.Is("false") ||
        t.Is("inf") || t.Is("nan")) {
      return ParseLiteral(std::nullopt);
    }
    if (Accept("(")) {
      ExprPtr inner = ParseExpr();
      Expect(")");
      return inner;
    }
    if (t.kind == Tok::kBuffer) {
      Token name = Take();
      BufferPtr buffer = LookUpBuffer(name);
      return Load(buffer, ParseSubscripts(*buffer, name));
    }
    if (t.kind != Tok::kIdent) Expected("an expression");
    Token name = Take();
    if (name.Is("cast") && Peek().Is("<")) return ParseCast(name);
    if (!Peek().Is("(")) return LookUpVar(name);
    if (std::optional<DType> dtype = tessel::ParseDType(name.text)) {
      Expect("(");
      ExprPtr literal = ParseLiteral(*dtype);
      Expect(")");
      return literal;
    }
    std::optional<Op> op = ir::ParseOpMnemonic(name.text);
    if (!op) Fail(name.loc, "unknown function '" + std::string(name.text) + "'");
    return MakeApply(name, *op, ParseArgs());
  }

  ExprPtr ParseCast(const Token& at) {
    Expect("<");
    DType dtype = ParseDType();
    Expect(">");
    std::vector<ExprPtr> args = ParseArgs();
    return MakeApply(at, Op::kCast, std::move(args), dtype);
  }

  std::vector<ExprPtr> ParseArgs() {
    Expect("(");
    std::vector<ExprPtr> args;
    if (!Peek().Is(")")) {
      do args.push_back(ParseExpr()); while (Accept(","));
    }
    Expect(")");
    return args;
  }

  // ------------------------------------------------------------- calls
  void CheckCalls() {
    for (const PendingCall& call : calls_) {
      const Function* callee = module_.FindFunction(call.callee);
      if (!callee) Fail(call.loc, "call of undefined function @" + call.callee);
      if (!callee->is_kernel) Fail(call.loc, "@" + call.callee + " is not a kernel");
      std::vector<BufferPtr> params = callee->params();
      if (params.size() != call.args.size()) {
        Fail(call.loc, "@" + call.callee + " takes " + std::to_string(params.size()) +
                           " buffers, given " + std::to_string(call.args.size()));
      }
      for (size_t i = 0; i < params.size(); ++i) {
        const Buffer &param = *params[i], &arg = *call.args[i];
        if (param.dtype != arg.dtype || param.shape != arg.shape || param.strides != arg.strides) {
          Fail(call.loc, "argument %" + arg.name + " of @" + call.callee + " is " +
                             std::string(DTypeName(arg.dtype)) + FormatShape(arg.shape) +
                             ", its parameter %" + param.name + " " +
                             std::string(DTypeName(param.dtype)) + FormatShape(param.shape));
        }
      }
    }
  }

  struct NameScope {
    std::map<std::string, DType> vars;
    std::map<std::string, BufferPtr> buffers;
  };

  const SourceFile& file_;
  DiagnosticEngine& diags_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  Module module_;
  std::map<std::string, BufferPtr> constants_;
  std::vector<NameScope> scopes_;
  std::string function_name_;
  std::set<std::string> function_names_;
  std::vector<PendingCall> calls_;
};

}  // namespace

std::optional<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags) {
  return Parser(file, diags).Run();
}

std::optional<Module> ParseModuleText(const std::string& text, std::string* error,
                                      const std::string& name) {
  SourceFile file(name, text);
  DiagnosticEngine diags;
  std::optional<Module> module = ParseModule(file, diags);
  if (!module) {
    std::ostringstream out;
    diags.Print(out);
    *error = out.str();
  }
  return module;
}

}  // namespace tessel::loops
