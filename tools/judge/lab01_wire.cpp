// lab01 on the judge's wire (lab01_wire.h). Each AST node is written in
// pre-order as a word naming its kind, its source range, then its fields; a
// missing child is the word "null". The reader checks every kind, operator
// and count, and bounds the nesting depth.
#include "tools/judge/lab01_wire.h"

#include <deque>
#include <string>

namespace tessel::judge {

namespace {

using namespace ast;

constexpr int kMaxDepth = 5000;  // the parser itself stops at 256 levels of nesting
constexpr int64_t kMaxNodes = int64_t{1} << 21;  // bounds the judge's memory (about 200 MB)

// ------------------------------------------------------------------ shared pieces

void WriteRange(WireWriter& out, SourceRange r) {
  for (const SourceLoc& loc : {r.begin, r.end}) {
    out.Int(loc.offset);
    out.Int(loc.line);
    out.Int(loc.col);
  }
}

SourceRange ReadRange(WireReader& in) {
  SourceRange r;
  for (SourceLoc* loc : {&r.begin, &r.end}) {
    loc->offset = in.U32();
    loc->line = in.U32();
    loc->col = in.U32();
  }
  return r;
}

template <typename Enum>
Enum ReadEnum(WireReader& in, Enum last) {
  return static_cast<Enum>(in.IntIn(0, static_cast<int64_t>(last)));
}

constexpr BinaryOp kLastBinaryOp = [] {
  BinaryOp last{};
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) last = BinaryOp::name;
#include "stages/frontend/binary_ops.def"
  return last;
}();

constexpr TokenKind kLastTokenKind = [] {
  TokenKind last{};
#define TOKEN(name, text) last = TokenKind::name;
#define KEYWORD(name, text) last = TokenKind::name;
#define PUNCT(name, text) last = TokenKind::name;
#include "stages/frontend/token_kinds.def"
  return last;
}();

// Texts that do not point into the source file: they live until the judge exits.
std::string_view Keep(std::string text) {
  static std::deque<std::string> kept;
  kept.push_back(std::move(text));
  return kept.back();
}

// ------------------------------------------------------------------ writing the AST

class AstWriter {
 public:
  explicit AstWriter(WireWriter& out) : out_(out) {}

  void Expr(const ast::Expr* e) {
    if (e == nullptr) return out_.Word("null");
    switch (e->kind) {
      case ExprKind::kInt:
        Head("int", e->range);
        return out_.Int(e->As<IntLiteral>().value);
      case ExprKind::kFloat:
        Head("float", e->range);
        return out_.Float(e->As<FloatLiteral>().value);
      case ExprKind::kBool:
        Head("bool", e->range);
        return out_.Bool(e->As<BoolLiteral>().value);
      case ExprKind::kName:
        Head("name", e->range);
        return out_.Str(e->As<NameExpr>().name);
      case ExprKind::kUnary: {
        const auto& u = e->As<UnaryExpr>();
        Head("unary", e->range);
        out_.Int(static_cast<int>(u.op));
        return Expr(u.operand.get());
      }
      case ExprKind::kBinary: {
        const auto& b = e->As<BinaryExpr>();
        Head("binary", e->range);
        out_.Int(static_cast<int>(b.op));
        Expr(b.lhs.get());
        return Expr(b.rhs.get());
      }
      case ExprKind::kIndex: {
        const auto& x = e->As<IndexExpr>();
        Head("index", e->range);
        Expr(x.base.get());
        return Exprs(x.indices);
      }
      case ExprKind::kCall: {
        const auto& c = e->As<CallExpr>();
        Head("call", e->range);
        out_.Str(c.callee);
        WriteRange(out_, c.callee_range);
        out_.Int(static_cast<int64_t>(c.args.size()));
        for (const Argument& a : c.args) {
          out_.Str(a.keyword);
          WriteRange(out_, a.range);
          Expr(a.value.get());
        }
        return;
      }
      case ExprKind::kList:
        Head("list", e->range);
        return Exprs(e->As<ListExpr>().elements);
    }
    out_.Word("?");  // a kind the enum does not name: the judge rejects it
  }

  void Type(const TypeExpr& t) {
    out_.Int(static_cast<int>(t.dtype));
    WriteRange(out_, t.range);
    Exprs(t.dims);
  }

  void Block(const ast::Block* b) {
    if (b == nullptr) return out_.Word("null");
    Head("block", b->range);
    out_.Int(static_cast<int64_t>(b->stmts.size()));
    for (const StmtPtr& s : b->stmts) Stmt(s.get());
  }

  void Stmt(const ast::Stmt* s) {
    if (s == nullptr) return out_.Word("null");
    switch (s->kind) {
      case StmtKind::kLet:
      case StmtKind::kVar: {
        const auto& b = s->As<BindingStmt>();
        Head(s->kind == StmtKind::kLet ? "let" : "var", s->range);
        out_.Str(b.name);
        WriteRange(out_, b.name_range);
        out_.Bool(b.type.has_value());
        if (b.type) Type(*b.type);
        return Expr(b.init.get());
      }
      case StmtKind::kAssign: {
        const auto& a = s->As<AssignStmt>();
        Head("assign", s->range);
        out_.Str(a.name);
        WriteRange(out_, a.name_range);
        return Expr(a.value.get());
      }
      case StmtKind::kComprehension: {
        const auto& c = s->As<ComprehensionStmt>();
        Head("compute", s->range);
        out_.Str(c.target);
        WriteRange(out_, c.target_range);
        out_.Int(static_cast<int64_t>(c.indices.size()));
        for (const std::string& index : c.indices) out_.Str(index);
        out_.Int(static_cast<int64_t>(c.index_ranges.size()));
        for (SourceRange r : c.index_ranges) WriteRange(out_, r);
        out_.Int(static_cast<int>(c.op));
        Expr(c.value.get());
        out_.Int(static_cast<int64_t>(c.where.size()));
        for (const IndexRange& w : c.where) {
          out_.Str(w.index);
          WriteRange(out_, w.index_range);
          Expr(w.lo.get());
          Expr(w.hi.get());
        }
        return;
      }
      case StmtKind::kIf: {
        const auto& i = s->As<IfStmt>();
        Head("if", s->range);
        Expr(i.cond.get());
        Block(i.then_block.get());
        Block(i.else_block.get());
        return Stmt(i.else_if.get());
      }
      case StmtKind::kFor: {
        const auto& f = s->As<ForStmt>();
        Head("for", s->range);
        out_.Str(f.var);
        WriteRange(out_, f.var_range);
        Expr(f.lo.get());
        Expr(f.hi.get());
        return Block(f.body.get());
      }
      case StmtKind::kReturn:
        Head("return", s->range);
        return Expr(s->As<ReturnStmt>().value.get());
    }
    out_.Word("?");
  }

  void Item(const ast::Item* item) {
    if (item == nullptr) return out_.Word("null");
    switch (item->kind) {
      case ItemKind::kConst:
        Head("const", item->range);
        Name(item);
        return Expr(item->As<ConstItem>().value.get());
      case ItemKind::kFn: {
        const auto& fn = item->As<FnItem>();
        Head("fn", item->range);
        Name(item);
        out_.Int(static_cast<int64_t>(fn.params.size()));
        for (const Param& p : fn.params) {
          out_.Str(p.name);
          WriteRange(out_, p.name_range);
          Type(p.type);
          Expr(p.default_value.get());
        }
        Type(fn.result);
        return Block(fn.body.get());
      }
    }
    out_.Word("?");
  }

 private:
  void Head(const char* word, SourceRange range) {
    out_.Word(word);
    WriteRange(out_, range);
  }
  void Name(const ast::Item* item) {
    out_.Str(item->name);
    WriteRange(out_, item->name_range);
  }
  void Exprs(const std::vector<ExprPtr>& exprs) {
    out_.Int(static_cast<int64_t>(exprs.size()));
    for (const ExprPtr& e : exprs) Expr(e.get());
  }

  WireWriter& out_;
};

// ------------------------------------------------------------------ reading the AST

class AstReader {
 public:
  explicit AstReader(WireReader& in) : in_(in) {}

  ExprPtr Expr() {
    Depth depth(this);
    std::string kind = in_.Word();
    if (kind == "null") return nullptr;
    SourceRange r = ReadRange(in_);
    if (kind == "int") return std::make_unique<IntLiteral>(in_.Int(), r);
    if (kind == "float") return std::make_unique<FloatLiteral>(in_.Float(), r);
    if (kind == "bool") return std::make_unique<BoolLiteral>(in_.Bool(), r);
    if (kind == "name") return std::make_unique<NameExpr>(in_.Str(), r);
    if (kind == "unary") {
      UnaryOp op = ReadEnum(in_, UnaryOp::kNot);
      ExprPtr operand = Expr();
      Require(operand != nullptr, "a unary expression without operand");
      return std::make_unique<UnaryExpr>(op, std::move(operand), r);
    }
    if (kind == "binary") {
      BinaryOp op = ReadEnum(in_, kLastBinaryOp);
      ExprPtr lhs = Expr();
      ExprPtr rhs = Expr();
      Require(lhs != nullptr && rhs != nullptr, "a binary expression without both operands");
      return std::make_unique<BinaryExpr>(op, std::move(lhs), std::move(rhs), r);
    }
    if (kind == "index") {
      ExprPtr base = Expr();
      std::vector<ExprPtr> indices = Exprs();
      Require(base != nullptr && !indices.empty(), "a subscript without base or index");
      return std::make_unique<IndexExpr>(std::move(base), std::move(indices), r);
    }
    if (kind == "call") {
      std::string callee = in_.Str();
      Require(!callee.empty(), "a call without a callee name");
      SourceRange callee_range = ReadRange(in_);
      std::vector<Argument> args;
      for (size_t n = in_.Count(); args.size() < n;) {
        Argument a;
        a.keyword = in_.Str();
        a.range = ReadRange(in_);
        a.value = Expr();
        args.push_back(std::move(a));
      }
      return std::make_unique<CallExpr>(std::move(callee), callee_range, std::move(args), r);
    }
    if (kind == "list") return std::make_unique<ListExpr>(Exprs(), r);
    throw WireError("unknown expression kind '" + kind.substr(0, 40) + "'");
  }

  TypeExpr Type() {
    TypeExpr t;
    t.dtype = ReadEnum(in_, DType::kBool);
    t.range = ReadRange(in_);
    t.dims = Exprs();
    return t;
  }

  BlockPtr Block() {
    Depth depth(this);
    std::string word = in_.Word();
    if (word == "null") return nullptr;
    if (word != "block") throw WireError("expected a block, found '" + word.substr(0, 40) + "'");
    auto block = std::make_unique<ast::Block>();
    block->range = ReadRange(in_);
    for (size_t n = in_.Count(); block->stmts.size() < n;) block->stmts.push_back(Stmt());
    return block;
  }

  StmtPtr Stmt() {
    Depth depth(this);
    std::string kind = in_.Word();
    if (kind == "null") return nullptr;
    SourceRange r = ReadRange(in_);
    if (kind == "let" || kind == "var") {
      std::string name = in_.Str();
      SourceRange name_range = ReadRange(in_);
      std::optional<TypeExpr> type;
      if (in_.Bool()) type = Type();
      ExprPtr init = Expr();
      Require(init != nullptr, "a binding without initializer");
      return std::make_unique<BindingStmt>(kind == "let" ? StmtKind::kLet : StmtKind::kVar,
                                           std::move(name), name_range, std::move(type),
                                           std::move(init), r);
    }
    if (kind == "assign") {
      std::string name = in_.Str();
      SourceRange name_range = ReadRange(in_);
      ExprPtr value = Expr();
      Require(value != nullptr, "an assignment without value");
      return std::make_unique<AssignStmt>(std::move(name), name_range, std::move(value), r);
    }
    if (kind == "compute") return Comprehension(r);
    if (kind == "if") {
      ExprPtr cond = Expr();
      BlockPtr then_block = Block();
      BlockPtr else_block = Block();
      StmtPtr else_if = Stmt();
      Require(cond != nullptr && then_block != nullptr, "an if without condition or body");
      Require(!(else_block && else_if), "an if with both an else block and an else-if");
      Require(!else_if || else_if->kind == StmtKind::kIf, "an else-if that is not an if");
      return std::make_unique<IfStmt>(std::move(cond), std::move(then_block),
                                      std::move(else_block), std::move(else_if), r);
    }
    if (kind == "for") {
      std::string var = in_.Str();
      SourceRange var_range = ReadRange(in_);
      ExprPtr lo = Expr();
      ExprPtr hi = Expr();
      BlockPtr body = Block();
      Require(lo && hi && body, "a for without bounds or body");
      return std::make_unique<ForStmt>(std::move(var), var_range, std::move(lo), std::move(hi),
                                       std::move(body), r);
    }
    if (kind == "return") return std::make_unique<ReturnStmt>(Expr(), r);
    throw WireError("unknown statement kind '" + kind.substr(0, 40) + "'");
  }

  ItemPtr Item() {
    std::string kind = in_.Word();
    if (kind == "null") return nullptr;
    SourceRange r = ReadRange(in_);
    std::string name = in_.Str();
    SourceRange name_range = ReadRange(in_);
    if (kind == "const") {
      ExprPtr value = Expr();
      Require(value != nullptr, "a const without value");
      return std::make_unique<ConstItem>(std::move(name), name_range, std::move(value), r);
    }
    if (kind != "fn") throw WireError("unknown item kind '" + kind.substr(0, 40) + "'");
    std::vector<Param> params;
    for (size_t n = in_.Count(); params.size() < n;) {
      Param p;
      p.name = in_.Str();
      p.name_range = ReadRange(in_);
      p.type = Type();
      p.default_value = Expr();
      params.push_back(std::move(p));
    }
    TypeExpr result = Type();
    BlockPtr body = Block();
    Require(body != nullptr, "a fn without body");
    return std::make_unique<FnItem>(std::move(name), name_range, std::move(params),
                                    std::move(result), std::move(body), r);
  }

 private:
  // Bounds the recursion: a runner could send a nesting deep enough to overflow the stack.
  struct Depth {
    explicit Depth(AstReader* reader) : reader(reader) {
      if (++reader->depth_ > kMaxDepth) throw WireError("the tree is nested too deeply");
      if (++reader->nodes_ > kMaxNodes) throw WireError("the tree has too many nodes");
    }
    ~Depth() { --reader->depth_; }
    AstReader* reader;
  };

  StmtPtr Comprehension(SourceRange r) {
    std::string target = in_.Str();
    SourceRange target_range = ReadRange(in_);
    std::vector<std::string> indices;
    for (size_t n = in_.Count(); indices.size() < n;) indices.push_back(in_.Str());
    std::vector<SourceRange> index_ranges;
    for (size_t n = in_.Count(); index_ranges.size() < n;) index_ranges.push_back(ReadRange(in_));
    ReduceOp op = ReadEnum(in_, ReduceOp::kMin);
    ExprPtr value = Expr();
    Require(!indices.empty() && indices.size() == index_ranges.size() && value != nullptr,
            "a comprehension without indices, ranges for them, or value");
    std::vector<IndexRange> where;
    for (size_t n = in_.Count(); where.size() < n;) {
      IndexRange w;
      w.index = in_.Str();
      w.index_range = ReadRange(in_);
      w.lo = Expr();
      w.hi = Expr();
      where.push_back(std::move(w));
    }
    return std::make_unique<ComprehensionStmt>(std::move(target), target_range,
                                               std::move(indices), std::move(index_ranges), op,
                                               std::move(value), std::move(where), r);
  }

  std::vector<ExprPtr> Exprs() {
    std::vector<ExprPtr> exprs;
    for (size_t n = in_.Count(); exprs.size() < n;) exprs.push_back(Expr());
    return exprs;
  }

  // What the AST's constructors check (and abort on): here a WireError instead.
  static void Require(bool ok, const char* what) {
    if (!ok) throw WireError(std::string("the tree has ") + what);
  }

  WireReader& in_;
  int depth_ = 0;
  int64_t nodes_ = 0;
};

}  // namespace

// ------------------------------------------------------------------ tokens

void WriteTokens(WireWriter& out, const SourceFile& file, const std::vector<Token>& tokens) {
  std::string_view text = file.text();
  out.Int(static_cast<int64_t>(tokens.size()));
  for (const Token& t : tokens) {
    out.Newline();
    out.Int(static_cast<int>(t.kind));
    bool inside = t.text.data() >= text.data() &&
                  t.text.data() + t.text.size() <= text.data() + text.size();
    out.Int(inside ? t.text.data() - text.data() : -1);
    out.Str(t.text);
    out.Int(t.loc.offset);
    out.Int(t.loc.line);
    out.Int(t.loc.col);
    out.Int(t.int_value);
    out.Float(t.float_value);
  }
}

std::vector<Token> ReadTokens(WireReader& in, const SourceFile& file) {
  std::string_view text = file.text();
  std::vector<Token> tokens;
  for (size_t n = in.Count(); tokens.size() < n;) {
    Token& t = tokens.emplace_back();
    t.kind = ReadEnum(in, kLastTokenKind);
    int64_t at = in.IntIn(-1, static_cast<int64_t>(text.size()));
    std::string spelling = in.Str();
    if (at >= 0 && text.substr(static_cast<size_t>(at), spelling.size()) == spelling) {
      t.text = text.substr(static_cast<size_t>(at), spelling.size());
    } else {
      t.text = Keep(std::move(spelling));
    }
    t.loc.offset = in.U32();
    t.loc.line = in.U32();
    t.loc.col = in.U32();
    t.int_value = in.Int();
    t.float_value = in.Float();
  }
  return tokens;
}

// ------------------------------------------------------------------ diagnostics

void WriteDiagnostics(WireWriter& out, const DiagnosticEngine& diags) {
  out.Int(static_cast<int64_t>(diags.diagnostics().size()));
  for (const Diagnostic& d : diags.diagnostics()) {
    out.Newline();
    out.Int(static_cast<int>(d.severity));
    out.Bool(d.file != nullptr);
    WriteRange(out, d.range);
    out.Str(d.message);
  }
}

void ReplayDiagnostics(WireReader& in, const SourceFile& file, DiagnosticEngine& diags) {
  size_t count = in.Count();
  for (size_t i = 0; i < count; ++i) {
    Severity severity = ReadEnum(in, Severity::kNote);
    bool has_file = in.Bool();
    SourceRange range = ReadRange(in);
    std::string message = in.Str();
    // The engine applies its error limit again and adds its own "too many errors" note, so
    // the runner's copy of that note is dropped, as the learner's engine dropped the rest.
    switch (severity) {
      case Severity::kError:
        if (has_file) {
          diags.Error(file, range, std::move(message));
        } else {
          diags.Error(std::move(message));
        }
        break;
      case Severity::kWarning:
        diags.Warning(file, range.begin, std::move(message));
        break;
      case Severity::kNote:
        if (has_file) {
          diags.Note(file, range.begin, std::move(message));
        } else {
          diags.Note(std::move(message));
        }
        break;
    }
  }
}

// ------------------------------------------------------------------ expressions and modules

void WriteExpr(WireWriter& out, const ast::Expr* expr) { AstWriter(out).Expr(expr); }

ast::ExprPtr ReadExpr(WireReader& in) { return AstReader(in).Expr(); }

void WriteModule(WireWriter& out, const ast::Module* module) {
  if (module == nullptr) return out.Word("null");
  out.Word("module");
  out.Int(static_cast<int64_t>(module->items.size()));
  AstWriter writer(out);
  for (const ItemPtr& item : module->items) {
    out.Newline();
    writer.Item(item.get());
  }
}

std::unique_ptr<ast::Module> ReadModule(WireReader& in) {
  std::string word = in.Word();
  if (word == "null") return nullptr;
  if (word != "module") throw WireError("expected a module, found '" + word.substr(0, 40) + "'");
  auto module = std::make_unique<ast::Module>();
  AstReader reader(in);
  for (size_t n = in.Count(); module->items.size() < n;) module->items.push_back(reader.Item());
  return module;
}

}  // namespace tessel::judge
