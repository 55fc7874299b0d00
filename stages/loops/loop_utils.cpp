// Finding and replacing loops (loop_utils.h).
#include "stages/loops/loop_utils.h"

#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"

namespace tessel::loops {

namespace {

// Calls `f` on each statement with the loops around it, stopping when `f` returns true.
bool Walk(const StmtPtr& s, std::vector<const Stmt*>& loops,
          const std::function<bool(const StmtPtr&, const std::vector<const Stmt*>&)>& f) {
  if (!s) return false;
  if (f(s, loops)) return true;
  switch (s->kind) {
    case Stmt::Kind::kFor: {
      loops.push_back(s.get());
      bool found = Walk(s->body, loops, f);
      loops.pop_back();
      return found;
    }
    case Stmt::Kind::kIf: return Walk(s->body, loops, f) || Walk(s->else_body, loops, f);
    case Stmt::Kind::kSeq:
      for (const StmtPtr& stmt : s->stmts) {
        if (Walk(stmt, loops, f)) return true;
      }
      return false;
    case Stmt::Kind::kLet: case Stmt::Kind::kStore: case Stmt::Kind::kAllocate:
    case Stmt::Kind::kView: case Stmt::Kind::kCall:
      return false;
  }
  return false;
}

}  // namespace

const Stmt* FindLoop(const StmtPtr& root, const std::string& var) {
  const Stmt* found = nullptr;
  std::vector<const Stmt*> loops;
  Walk(root, loops, [&](const StmtPtr& s, const std::vector<const Stmt*>&) {
    if (s->kind == Stmt::Kind::kFor && s->var == var) found = s.get();
    return found != nullptr;
  });
  return found;
}

StmtPtr FindStmt(const StmtPtr& root, const Stmt* target) {
  StmtPtr found;
  std::vector<const Stmt*> loops;
  Walk(root, loops, [&](const StmtPtr& s, const std::vector<const Stmt*>&) {
    if (s.get() == target) found = s;
    return found != nullptr;
  });
  return found;
}

std::vector<const Stmt*> EnclosingLoops(const StmtPtr& root, const Stmt* target) {
  std::vector<const Stmt*> result, loops;
  Walk(root, loops, [&](const StmtPtr& s, const std::vector<const Stmt*>& around) {
    if (s.get() != target) return false;
    result = around;
    return true;
  });
  return result;
}

VarRanges RangesOf(const std::vector<const Stmt*>& loops) {
  VarRanges ranges;
  for (const Stmt* loop : loops) {
    Interval extent = BoundsOf(loop->extent, ranges);
    Interval range{0, std::nullopt};
    if (extent.hi) range.hi = std::max<int64_t>(*extent.hi - 1, 0);
    ranges[loop->var] = range;
  }
  return ranges;
}

StmtPtr ReplaceStmt(const StmtPtr& root, const Stmt* target, const StmtPtr& replacement) {
  if (!root) return root;
  if (root.get() == target) return replacement;
  switch (root->kind) {
    case Stmt::Kind::kFor: {
      StmtPtr body = ReplaceStmt(root->body, target, replacement);
      return body == root->body ? root : For(root->var, root->extent, body, root->for_kind);
    }
    case Stmt::Kind::kIf: {
      StmtPtr body = ReplaceStmt(root->body, target, replacement);
      StmtPtr else_body = ReplaceStmt(root->else_body, target, replacement);
      if (body == root->body && else_body == root->else_body) return root;
      return If(root->cond, body, else_body);
    }
    case Stmt::Kind::kSeq: {
      bool changed = false;
      std::vector<StmtPtr> stmts;
      for (const StmtPtr& s : root->stmts) {
        stmts.push_back(ReplaceStmt(s, target, replacement));
        changed = changed || stmts.back() != s;
      }
      return changed ? Seq(std::move(stmts)) : root;
    }
    case Stmt::Kind::kLet: case Stmt::Kind::kStore: case Stmt::Kind::kAllocate:
    case Stmt::Kind::kView: case Stmt::Kind::kCall:
      return root;
  }
  return root;
}

std::vector<StmtPtr> Statements(const StmtPtr& body) {
  if (!body) return {};
  if (body->kind == Stmt::Kind::kSeq) return body->stmts;
  return {body};
}

const Stmt* OnlyLoopInside(const Stmt& loop) {
  std::vector<StmtPtr> body = Statements(loop.body);
  if (body.size() != 1 || body[0]->kind != Stmt::Kind::kFor) return nullptr;
  return body[0].get();
}

bool UsesVar(const ExprPtr& e, const std::string& var) {
  bool used = false;
  ForEachExpr(e, [&](const Expr& x) { used = used || (x.kind == Expr::Kind::kVar && x.name == var); });
  return used;
}

bool UsesVar(const StmtPtr& s, const std::string& var) {
  bool used = false;
  ForEachExpr(s, [&](const Expr& x) { used = used || (x.kind == Expr::Kind::kVar && x.name == var); });
  return used;
}

bool ReadsBuffer(const ExprPtr& e, const std::string& buffer) {
  bool reads = false;
  if (e) ForEachExpr(e, [&](const Expr& x) { reads = reads || (x.kind == Expr::Kind::kLoad && x.buffer->name == buffer); });
  return reads;
}

bool ReadsBuffer(const StmtPtr& s, const std::string& buffer) {
  bool reads = false;
  ForEachExpr(s, [&](const Expr& x) { reads = reads || (x.kind == Expr::Kind::kLoad && x.buffer->name == buffer); });
  return reads;
}

bool ReadsBufferDirectly(const Stmt& s, const std::string& buffer) {
  bool reads = ReadsBuffer(s.value, buffer) || ReadsBuffer(s.extent, buffer) || ReadsBuffer(s.cond, buffer);
  for (const ExprPtr& a : s.args) reads = reads || ReadsBuffer(a, buffer);
  return reads;
}

bool UsesBuffer(const StmtPtr& s, const std::string& buffer) {
  bool used = false;
  ForEachExpr(s, [&](const Expr& x) {
    used = used || (x.kind == Expr::Kind::kLoad && x.buffer->name == buffer);
  });
  ForEachStmt(s, [&](const Stmt& x) {
    used = used || (x.kind == Stmt::Kind::kStore && x.buffer->name == buffer);
  });
  return used;
}

std::string LoopList(const Function& f) {
  std::string names;
  ForEachStmt(f.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kFor) names += (names.empty() ? "" : ", ") + s.var;
  });
  return names.empty() ? "none" : names;
}

const Stmt& LoopNamed(const Function& f, const std::string& primitive, const std::string& var) {
  const Stmt* loop = FindLoop(f.body, var);
  if (!loop) {
    throw ScheduleError(primitive + ": no loop '" + var + "' in @" + f.name + " (its loops: " +
                        LoopList(f) + ")");
  }
  return *loop;
}

void CheckFreshName(const Function& f, const std::string& primitive, const std::string& name) {
  if (NameGenerator(f).IsTaken(name)) {
    throw ScheduleError(primitive + ": '" + name + "' is already a name in @" + f.name);
  }
}

BufferPtr AllocatedBuffer(const Function& f, const std::string& primitive, const std::string& name) {
  std::string bare = !name.empty() && name[0] == '%' ? name.substr(1) : name;
  BufferPtr found;
  ForEachStmt(f.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kAllocate && s.buffer->name == bare) found = s.buffer;
  });
  if (!found) {
    for (const BufferPtr& p : f.params()) {
      if (p->name == bare) {
        throw ScheduleError(primitive + ": %" + bare + " is a parameter of @" + f.name +
                            "; this primitive works on a buffer the kernel allocates");
      }
    }
    throw ScheduleError(primitive + ": no buffer %" + bare + " in @" + f.name);
  }
  return found;
}

}  // namespace tessel::loops
