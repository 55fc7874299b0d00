// Producer/consumer primitives (lab04, task t4): ComputeInline and ComputeAt of
// stages/loops/primitives.h.
//
// A kernel that materializes an intermediate buffer computes all of it, then reads it.
// compute_inline recomputes each element where it is read (no buffer, maybe more work);
// compute_at computes, inside one iteration of a consumer loop, just the box of the producer
// that iteration reads (bounds inference), while it is hot in the cache. The trade-off of
// recomputation, locality and parallelism is Halide's (PLDI'13). lab04_loop_ir/README.md §3.4.
#include <algorithm>
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t4: finding the producer nest, replacing its loads
std::vector<const Stmt*> StoresTo(const StmtPtr& root, const std::string& buffer) {
  std::vector<const Stmt*> stores;
  ForEachStmt(root, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kStore && s.buffer->name == buffer) stores.push_back(&s);
  });
  return stores;
}

int64_t LoadsOf(const StmtPtr& root, const std::string& buffer) {
  int64_t loads = 0;
  ForEachExpr(root, [&](const Expr& e) {
    loads += e.kind == Expr::Kind::kLoad && e.buffer->name == buffer ? 1 : 0;
  });
  return loads;
}

// The position of each loop variable in `index`, when every subscript is a distinct loop
// variable of `loops`; empty otherwise.
std::map<std::string, size_t> IndexVars(const std::vector<ExprPtr>& index,
                                        const std::vector<const Stmt*>& loops) {
  std::map<std::string, size_t> vars;
  for (size_t d = 0; d < index.size(); ++d) {
    const ExprPtr& e = index[d];
    bool is_loop = e->kind == Expr::Kind::kVar &&
                   std::any_of(loops.begin(), loops.end(), [&](const Stmt* l) { return l->var == e->name; });
    if (!is_loop || !vars.emplace(e->name, d).second) return {};
  }
  return vars;
}

// The producer nest of `buffer`: the chain of loops over its dimensions (outermost first)
// around every store to it, each the only statement of the one before.
std::vector<const Stmt*> ProducerLoops(const Function& f, const std::string& buffer,
                                       const std::string& primitive) {
  std::vector<const Stmt*> stores = StoresTo(f.body, buffer);
  if (stores.empty()) throw ScheduleError(primitive + ": nothing stores to %" + buffer);
  std::vector<const Stmt*> around = EnclosingLoops(f.body, stores[0]);
  std::map<std::string, size_t> vars = IndexVars(stores[0]->args, around);
  if (vars.empty() && !stores[0]->args.empty()) {
    throw ScheduleError(primitive + ": %" + buffer + " is not stored at its loops' variables");
  }
  for (const Stmt* s : stores) {
    for (size_t d = 0; d < s->args.size(); ++d) {
      if (!Equal(s->args[d], stores[0]->args[d])) {
        throw ScheduleError(primitive + ": the stores to %" + buffer + " use different indices");
      }
    }
  }
  std::vector<const Stmt*> chain;
  for (const Stmt* loop : around) {
    if (vars.count(loop->var)) chain.push_back(loop);
  }
  for (size_t k = 0; k + 1 < chain.size(); ++k) {
    if (OnlyLoopInside(*chain[k]) != chain[k + 1]) {
      throw ScheduleError(primitive + ": the loops over %" + buffer + "'s dimensions are not " +
                          "perfectly nested (loop " + chain[k]->var + " holds more than loop " +
                          chain[k + 1]->var + ")");
    }
  }
  const Stmt* top = chain.empty() ? nullptr : chain[0];
  for (const Stmt* s : stores) {
    if (top && !FindStmt(top->body, s)) {
      throw ScheduleError(primitive + ": %" + buffer + " is stored outside loop " + top->var);
    }
  }
  if (top) {
    ForEachStmt(top->body, [&](const Stmt& s) {
      if (s.kind == Stmt::Kind::kStore && s.buffer->name != buffer) {
        throw ScheduleError(primitive + ": the loops computing %" + buffer + " also store to %" +
                            s.buffer->name);
      }
    });
  }
  return chain;
}

class LoadReplacer : public Mutator {
 public:
  LoadReplacer(std::string buffer, std::function<ExprPtr(const std::vector<ExprPtr>&)> replace)
      : buffer_(std::move(buffer)), replace_(std::move(replace)) {}

 protected:
  ExprPtr VisitLoad(const ExprPtr& e) override {
    ExprPtr rebuilt = Mutator::VisitLoad(e);
    return rebuilt->buffer->name == buffer_ ? replace_(rebuilt->args) : rebuilt;
  }

 private:
  std::string buffer_;
  std::function<ExprPtr(const std::vector<ExprPtr>&)> replace_;
};

// The statement (in pre-order) position of `target` in `root`, for "before" questions.
int64_t Position(const StmtPtr& root, const Stmt* target) {
  int64_t position = 0, found = -1;
  ForEachStmt(root, [&](const Stmt& s) {
    if (&s == target) found = position;
    ++position;
  });
  return found;
}

// Code moved to `destination` (inside it) may only use what is in scope there: the variables
// of loops around `destination` and of `own` (the moved code's own loops), and buffers that are
// parameters, constants or allocated around `destination`.
void CheckMovable(const Function& f, const StmtPtr& moved, const std::set<std::string>& own,
                  const Stmt* destination, const std::string& primitive) {
  std::vector<const Stmt*> around = EnclosingLoops(f.body, destination);
  if (destination->kind == Stmt::Kind::kFor) around.push_back(destination);
  auto encloses = [&](const std::vector<const Stmt*>& loops) {
    for (const Stmt* loop : loops) {
      if (std::find(around.begin(), around.end(), loop) == around.end()) return false;
    }
    return true;
  };
  std::set<std::string> defined = own;
  ForEachStmt(moved, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kFor || s.kind == Stmt::Kind::kLet) defined.insert(s.var);
    if (s.kind == Stmt::Kind::kAllocate) defined.insert("%" + s.buffer->name);
  });
  ForEachExpr(moved, [&](const Expr& e) {
    if (e.kind == Expr::Kind::kVar && !defined.count(e.name)) {
      bool visible = std::any_of(around.begin(), around.end(), [&](const Stmt* l) { return l->var == e.name; });
      if (!visible) {
        throw ScheduleError(primitive + ": the code to move uses '" + e.name +
                            "', which is not defined where it would go");
      }
    }
    if (e.kind != Expr::Kind::kLoad || defined.count("%" + e.buffer->name)) return;
    ForEachStmt(f.body, [&](const Stmt& a) {
      if (a.kind == Stmt::Kind::kAllocate && a.buffer->name == e.buffer->name &&
          !encloses(EnclosingLoops(f.body, &a))) {
        throw ScheduleError(primitive + ": the code to move reads %" + e.buffer->name +
                            ", which is not in scope where it would go");
      }
    });
  });
}

// The statements of `root` in pre-order, each with its position.
std::map<const Stmt*, int64_t> Positions(const StmtPtr& root) {
  std::map<const Stmt*, int64_t> positions;
  int64_t n = 0;
  ForEachStmt(root, [&](const Stmt& s) { positions[&s] = n++; });
  return positions;
}

// Moving the producer `nest` of `buffer` to where it is read is only right if nothing it reads
// is written between the nest and the last read of `buffer`: refuses otherwise.
void CheckInputsUnchanged(const Function& f, const Stmt* nest, const std::string& buffer,
                          const std::string& primitive) {
  std::map<const Stmt*, int64_t> at = Positions(f.body);
  StmtPtr moved = FindStmt(f.body, nest);
  int64_t end = at.at(nest);
  ForEachStmt(moved, [&](const Stmt& s) { end = std::max(end, at.at(&s)); });
  std::set<std::string> inputs;
  ForEachExpr(moved, [&](const Expr& e) {
    if (e.kind == Expr::Kind::kLoad && e.buffer->name != buffer) inputs.insert(e.buffer->name);
  });
  int64_t last_read = end;
  ForEachStmt(f.body, [&](const Stmt& s) {
    if (ReadsBufferDirectly(s, buffer)) last_read = std::max(last_read, at.at(&s));
  });
  ForEachStmt(f.body, [&](const Stmt& s) {
    int64_t p = at.at(&s);
    if (s.kind == Stmt::Kind::kStore && p > end && p < last_read && inputs.count(s.buffer->name)) {
      throw ScheduleError(primitive + ": %" + s.buffer->name + " is written after %" + buffer +
                          " is computed and before it is read; the moved code would see the new value");
    }
  });
}

StmtPtr RemoveAllocation(const StmtPtr& body, const std::string& buffer) {
  const Stmt* allocation = nullptr;
  ForEachStmt(body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kAllocate && s.buffer->name == buffer) allocation = &s;
  });
  return allocation ? ReplaceStmt(body, allocation, Seq({})) : body;
}
// SKELETON
// // Helpers of your own (the producer's loops, replacing loads) go here.
// END SOLUTION

}  // namespace

void ComputeInline(Function& f, const std::string& buffer) {
  // BEGIN SOLUTION lab04.t4: replace each load of a producer by its expression
  AllocatedBuffer(f, "compute_inline", buffer);
  std::vector<const Stmt*> stores = StoresTo(f.body, buffer);
  if (stores.size() != 1) {
    throw ScheduleError("compute_inline: %" + buffer + " is stored to " + std::to_string(stores.size()) +
                        " times; only a buffer computed by one store of an expression inlines");
  }
  const Stmt& store = *stores[0];
  if (LoadsOf(Store(store.buffer, store.args, store.value), buffer) > 0) {
    throw ScheduleError("compute_inline: %" + buffer + "'s value reads %" + buffer +
                        " (a reduction cannot be inlined)");
  }
  std::vector<const Stmt*> chain = ProducerLoops(f, buffer, "compute_inline");
  const Stmt* innermost = chain.empty() ? &store : chain.back();
  if (!chain.empty() && Statements(innermost->body).size() != 1) {
    throw ScheduleError("compute_inline: loop " + innermost->var + " computes more than %" + buffer);
  }
  std::map<std::string, size_t> vars = IndexVars(store.args, chain);
  std::set<std::string> index_vars;
  for (const auto& [var, d] : vars) index_vars.insert(var);
  StmtPtr value_stmt = Store(store.buffer, store.args, store.value);
  ForEachStmt(f.body, [&](const Stmt& site) {
    if (ReadsBufferDirectly(site, buffer)) CheckMovable(f, value_stmt, index_vars, &site, "compute_inline");
  });
  StmtPtr nest = chain.empty() ? FindStmt(f.body, &store) : FindStmt(f.body, chain[0]);
  CheckInputsUnchanged(f, nest.get(), buffer, "compute_inline");
  f.body = ReplaceStmt(f.body, nest.get(), Seq({}));
  f.body = RemoveAllocation(f.body, buffer);
  LoadReplacer inline_loads(buffer, [&](const std::vector<ExprPtr>& index) {
    std::map<std::string, ExprPtr> at;
    for (const auto& [var, d] : vars) at[var] = index[d];
    return Substitute(store.value, at);
  });
  f.body = Simplify(inline_loads.Mutate(f.body));
  // END SOLUTION
}

void ComputeAt(Function& f, const std::string& buffer, const std::string& loop) {
  // BEGIN SOLUTION lab04.t4: compute the box of a producer one consumer iteration needs
  AllocatedBuffer(f, "compute_at", buffer);
  const Stmt& consumer = LoopNamed(f, "compute_at", loop);
  std::vector<const Stmt*> chain = ProducerLoops(f, buffer, "compute_at");
  if (chain.empty()) throw ScheduleError("compute_at: %" + buffer + " has no loops to move");
  const Stmt* top = chain[0];
  if (FindStmt(top->body, &consumer) || top == &consumer) {
    throw ScheduleError("compute_at: loop " + loop + " is inside the loops computing %" + buffer);
  }
  if (Position(f.body, top) > Position(f.body, &consumer)) {
    throw ScheduleError("compute_at: loop " + loop + " runs before %" + buffer + " is computed");
  }
  StmtPtr consumer_ptr = FindStmt(f.body, &consumer);
  if (LoadsOf(consumer_ptr, buffer) != LoadsOf(f.body, buffer) - LoadsOf(FindStmt(f.body, top), buffer)) {
    throw ScheduleError("compute_at: %" + buffer + " is also read outside loop " + loop);
  }
  std::set<std::string> chain_vars;
  for (const Stmt* l : chain) chain_vars.insert(l->var);
  CheckMovable(f, chain.back()->body, chain_vars, &consumer, "compute_at");
  CheckInputsUnchanged(f, top, buffer, "compute_at");
  Region region = InferRegion(f, consumer, buffer, true, false, "compute_at");
  std::map<std::string, size_t> vars = IndexVars(StoresTo(f.body, buffer)[0]->args, chain);
  std::map<std::string, ExprPtr> shifted;
  for (const Stmt* l : chain) shifted[l->var] = Add(region.min[vars.at(l->var)], Var(l->var));
  StmtPtr nest = Substitute(chain.back()->body, shifted);
  for (size_t k = chain.size(); k-- > 0;) {
    nest = For(chain[k]->var, region.extent[vars.at(chain[k]->var)], nest);
  }
  std::vector<const Stmt*> around = EnclosingLoops(f.body, &consumer);
  around.push_back(&consumer);
  nest = Simplify(nest, RangesOf(around));
  StmtPtr moved = For(consumer.var, consumer.extent, Seq({nest, consumer.body}), consumer.for_kind);
  f.body = ReplaceStmt(f.body, &consumer, moved);
  f.body = ReplaceStmt(f.body, top, Seq({}));
  // END SOLUTION
}

}  // namespace tessel::loops
