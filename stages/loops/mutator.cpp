// Walking and rewriting loop IR (mutator.h).
#include "stages/loops/mutator.h"

namespace tessel::loops {

// ---------------------------------------------------------------- visitor

void Visitor::Visit(const ExprPtr& e) {
  if (!e) return;
  switch (e->kind) {
    case Expr::Kind::kConst: return VisitConst(*e);
    case Expr::Kind::kVar: return VisitVar(*e);
    case Expr::Kind::kLoad: return VisitLoad(*e);
    case Expr::Kind::kApply: return VisitApply(*e);
  }
}

void Visitor::Visit(const StmtPtr& s) {
  if (!s) return;
  switch (s->kind) {
    case Stmt::Kind::kFor: return VisitFor(*s);
    case Stmt::Kind::kLet: return VisitLet(*s);
    case Stmt::Kind::kIf: return VisitIf(*s);
    case Stmt::Kind::kStore: return VisitStore(*s);
    case Stmt::Kind::kAllocate: return VisitAllocate(*s);
    case Stmt::Kind::kView: return VisitView(*s);
    case Stmt::Kind::kCall: return VisitCall(*s);
    case Stmt::Kind::kSeq: return VisitSeq(*s);
  }
}

void Visitor::VisitLoad(const Expr& e) {
  for (const ExprPtr& arg : e.args) Visit(arg);
}
void Visitor::VisitApply(const Expr& e) {
  for (const ExprPtr& arg : e.args) Visit(arg);
}
void Visitor::VisitFor(const Stmt& s) {
  Visit(s.extent);
  Visit(s.body);
}
void Visitor::VisitLet(const Stmt& s) { Visit(s.value); }
void Visitor::VisitIf(const Stmt& s) {
  Visit(s.cond);
  Visit(s.body);
  Visit(s.else_body);
}
void Visitor::VisitStore(const Stmt& s) {
  for (const ExprPtr& arg : s.args) Visit(arg);
  Visit(s.value);
}
void Visitor::VisitSeq(const Stmt& s) {
  for (const StmtPtr& stmt : s.stmts) Visit(stmt);
}

// ---------------------------------------------------------------- mutator

ExprPtr Mutator::Mutate(const ExprPtr& e) {
  if (!e) return e;
  switch (e->kind) {
    case Expr::Kind::kConst: return VisitConst(e);
    case Expr::Kind::kVar: return VisitVar(e);
    case Expr::Kind::kLoad: return VisitLoad(e);
    case Expr::Kind::kApply: return VisitApply(e);
  }
  return e;
}

StmtPtr Mutator::Mutate(const StmtPtr& s) {
  if (!s) return s;
  switch (s->kind) {
    case Stmt::Kind::kFor: return VisitFor(s);
    case Stmt::Kind::kLet: return VisitLet(s);
    case Stmt::Kind::kIf: return VisitIf(s);
    case Stmt::Kind::kStore: return VisitStore(s);
    case Stmt::Kind::kAllocate: return VisitAllocate(s);
    case Stmt::Kind::kView: return VisitView(s);
    case Stmt::Kind::kCall: return VisitCall(s);
    case Stmt::Kind::kSeq: return VisitSeq(s);
  }
  return s;
}

std::vector<ExprPtr> Mutator::MutateAll(const std::vector<ExprPtr>& exprs, bool* changed) {
  std::vector<ExprPtr> out;
  out.reserve(exprs.size());
  for (const ExprPtr& e : exprs) {
    out.push_back(Mutate(e));
    if (out.back() != e) *changed = true;
  }
  return out;
}

ExprPtr Mutator::VisitLoad(const ExprPtr& e) {
  bool changed = false;
  std::vector<ExprPtr> args = MutateAll(e->args, &changed);
  BufferPtr buffer = MutateBuffer(e->buffer);
  if (!changed && buffer == e->buffer) return e;
  return Load(std::move(buffer), std::move(args));
}

ExprPtr Mutator::VisitApply(const ExprPtr& e) {
  bool changed = false;
  std::vector<ExprPtr> args = MutateAll(e->args, &changed);
  if (!changed) return e;
  return Apply(e->op, std::move(args), e->dtype);
}

StmtPtr Mutator::VisitFor(const StmtPtr& s) {
  ExprPtr extent = Mutate(s->extent);
  StmtPtr body = Mutate(s->body);
  if (extent == s->extent && body == s->body) return s;
  return For(s->var, std::move(extent), std::move(body), s->for_kind);
}

StmtPtr Mutator::VisitLet(const StmtPtr& s) {
  ExprPtr value = Mutate(s->value);
  if (value == s->value) return s;
  return Let(s->var, std::move(value));
}

StmtPtr Mutator::VisitIf(const StmtPtr& s) {
  ExprPtr cond = Mutate(s->cond);
  StmtPtr body = Mutate(s->body), else_body = Mutate(s->else_body);
  if (cond == s->cond && body == s->body && else_body == s->else_body) return s;
  return If(std::move(cond), std::move(body), std::move(else_body));
}

StmtPtr Mutator::VisitStore(const StmtPtr& s) {
  bool changed = false;
  std::vector<ExprPtr> args = MutateAll(s->args, &changed);
  ExprPtr value = Mutate(s->value);
  BufferPtr buffer = MutateBuffer(s->buffer);
  if (!changed && value == s->value && buffer == s->buffer) return s;
  return Store(std::move(buffer), std::move(args), std::move(value));
}

StmtPtr Mutator::VisitAllocate(const StmtPtr& s) {
  BufferPtr buffer = MutateBuffer(s->buffer);
  return buffer == s->buffer ? s : Allocate(std::move(buffer));
}

StmtPtr Mutator::VisitView(const StmtPtr& s) {
  BufferPtr buffer = MutateBuffer(s->buffer), base = MutateBuffer(s->base);
  if (buffer == s->buffer && base == s->base) return s;
  return View(std::move(buffer), std::move(base), s->offset);
}

StmtPtr Mutator::VisitCall(const StmtPtr& s) {
  bool changed = false;
  std::vector<BufferPtr> args;
  for (const BufferPtr& arg : s->call_args) {
    args.push_back(MutateBuffer(arg));
    changed = changed || args.back() != arg;
  }
  return changed ? Call(s->callee, std::move(args)) : s;
}

StmtPtr Mutator::VisitSeq(const StmtPtr& s) {
  bool changed = false;
  std::vector<StmtPtr> stmts;
  for (const StmtPtr& stmt : s->stmts) {
    stmts.push_back(Mutate(stmt));
    changed = changed || stmts.back() != stmt;
  }
  return changed ? Seq(std::move(stmts)) : s;
}

// ------------------------------------------------------------- utilities

namespace {

class Substituter : public Mutator {
 public:
  explicit Substituter(const std::map<std::string, ExprPtr>& values) : values_(values) {}

 protected:
  ExprPtr VisitVar(const ExprPtr& e) override {
    auto it = values_.find(e->name);
    return it == values_.end() ? e : it->second;
  }

 private:
  const std::map<std::string, ExprPtr>& values_;
};

class StmtWalker : public Visitor {
 public:
  explicit StmtWalker(const std::function<void(const Stmt&)>& f) : f_(f) {}

 protected:
  void VisitFor(const Stmt& s) override { f_(s), Visitor::VisitFor(s); }
  void VisitLet(const Stmt& s) override { f_(s); }
  void VisitIf(const Stmt& s) override { f_(s), Visitor::VisitIf(s); }
  void VisitStore(const Stmt& s) override { f_(s); }
  void VisitAllocate(const Stmt& s) override { f_(s); }
  void VisitView(const Stmt& s) override { f_(s); }
  void VisitCall(const Stmt& s) override { f_(s); }
  void VisitSeq(const Stmt& s) override { f_(s), Visitor::VisitSeq(s); }

 private:
  const std::function<void(const Stmt&)>& f_;
};

class ExprWalker : public Visitor {
 public:
  explicit ExprWalker(const std::function<void(const Expr&)>& f) : f_(f) {}

 protected:
  void VisitConst(const Expr& e) override { f_(e); }
  void VisitVar(const Expr& e) override { f_(e); }
  void VisitLoad(const Expr& e) override { f_(e), Visitor::VisitLoad(e); }
  void VisitApply(const Expr& e) override { f_(e), Visitor::VisitApply(e); }

 private:
  const std::function<void(const Expr&)>& f_;
};

}  // namespace

ExprPtr Substitute(const ExprPtr& e, const std::map<std::string, ExprPtr>& values) {
  return Substituter(values).Mutate(e);
}

StmtPtr Substitute(const StmtPtr& s, const std::map<std::string, ExprPtr>& values) {
  return Substituter(values).Mutate(s);
}

void ForEachStmt(const StmtPtr& s, const std::function<void(const Stmt&)>& f) {
  StmtWalker(f).Visit(s);
}

void ForEachExpr(const StmtPtr& s, const std::function<void(const Expr&)>& f) {
  ExprWalker(f).Visit(s);
}

void ForEachExpr(const ExprPtr& e, const std::function<void(const Expr&)>& f) {
  ExprWalker(f).Visit(e);
}

}  // namespace tessel::loops
