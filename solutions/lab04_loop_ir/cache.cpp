// Caching primitives (lab04, task t4): CacheRead and CacheWrite of stages/loops/primitives.h.
//
// cache_read copies the box of a buffer that one iteration of a loop reads into a buffer of
// its own, contiguous and small enough to stay in cache or registers (the packed operand of
// GEMM libraries); cache_write lets one iteration accumulate into such a buffer and writes it
// back once (the register accumulator of a micro-kernel). Both take the box from bounds
// inference; its size must be bounded by a constant. lab04_loop_ir/README.md §3.4.
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t4: the cache buffer, the copies, the redirected accesses
// Regions of at most this many elements live in registers (local); larger ones are global
// scratch allocated once at the top of the kernel, so every iteration reuses its memory.
constexpr int64_t kMaxLocalElements = 64;

BufferPtr FindBuffer(const Function& f, const std::string& name, const std::string& primitive) {
  for (const BufferPtr& p : f.params()) {
    if (p->name == name) return p;
  }
  BufferPtr found;
  ForEachStmt(f.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kAllocate && s.buffer->name == name) found = s.buffer;
  });
  ForEachExpr(f.body, [&](const Expr& e) {
    if (e.kind == Expr::Kind::kLoad && e.buffer->name == name && !found) found = e.buffer;
  });
  if (!found) throw ScheduleError(primitive + ": no buffer %" + name + " in @" + f.name);
  return found;
}

// A buffer allocated inside the loop lives within one iteration: there is no box of it to
// copy around that iteration.
void CheckAllocatedOutside(const Stmt& loop, const std::string& buffer, const std::string& primitive) {
  ForEachStmt(loop.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kAllocate && s.buffer->name == buffer) {
      throw ScheduleError(primitive + ": %" + buffer + " is allocated inside loop " + loop.var +
                          "; cache it at a loop inside its allocation");
    }
  });
}

struct Cache {
  BufferPtr buffer;
  Region region;
  std::vector<int64_t> shape;  // the largest extent of each dimension
  std::vector<bool> exact;     // whether the extent is always the largest
  VarRanges ranges;            // of the loop and the loops around it
};

Cache MakeCache(Function& f, const Stmt& loop, const BufferPtr& of, const std::string& name,
                bool writes, const std::string& primitive) {
  CheckFreshName(f, primitive, name);
  Cache c;
  c.region = InferRegion(f, loop, of->name, true, writes, primitive);
  std::vector<const Stmt*> around = EnclosingLoops(f.body, &loop);
  around.push_back(&loop);
  c.ranges = RangesOf(around);
  for (size_t d = 0; d < c.region.extent.size(); ++d) {
    const ExprPtr& extent = c.region.extent[d];
    std::optional<int64_t> bound = c.region.max_extent[d];
    if (!bound) {
      throw ScheduleError(primitive + ": the box of %" + of->name + " loop " + loop.var +
                          " accesses has extent " + PrintExpr(extent) + ", not bounded by a constant");
    }
    c.shape.push_back(std::max<int64_t>(*bound, 1));
    // Exact also when the ranges fix it: n + 1 with n in [0, 0] (a loop over a batch of one).
    Interval fixed = BoundsOf(extent, c.ranges);
    c.exact.push_back(AsInt(extent) == *bound || (fixed.IsPoint() && *fixed.lo == *bound));
  }
  Scope scope = NumElements(c.shape) <= kMaxLocalElements ? Scope::kLocal : Scope::kGlobal;
  c.buffer = MakeBuffer(name, of->dtype, c.shape, scope);
  return c;
}

// A nest over the cache's box running `copy(cache index, buffer index)`, guarded where the
// box can be smaller than the cache.
StmtPtr CopyNest(NameGenerator& names, const Cache& c,
                 const std::function<StmtPtr(std::vector<ExprPtr>, std::vector<ExprPtr>)>& copy) {
  std::vector<std::string> vars;
  std::vector<ExprPtr> at_cache, at_buffer;
  ExprPtr guard;
  for (size_t d = 0; d < c.shape.size(); ++d) {
    vars.push_back(names.Fresh(c.buffer->name + ".i" + std::to_string(d)));
    at_cache.push_back(Var(vars.back()));
    at_buffer.push_back(Add(c.region.min[d], Var(vars.back())));
    if (!c.exact[d]) {
      ExprPtr inside = Lt(Var(vars.back()), c.region.extent[d]);
      guard = guard ? And(guard, inside) : inside;
    }
  }
  StmtPtr body = copy(at_cache, at_buffer);
  if (guard) body = If(guard, body);
  for (size_t d = vars.size(); d-- > 0;) body = For(vars[d], Int(c.shape[d]), body);
  return body;
}

class Redirect : public Mutator {
 public:
  Redirect(const std::string& from, const Cache& to, bool stores)
      : from_(from), to_(to), stores_(stores) {}

 protected:
  std::vector<ExprPtr> Shift(const std::vector<ExprPtr>& index) {
    std::vector<ExprPtr> shifted;
    for (size_t d = 0; d < index.size(); ++d) shifted.push_back(Sub(index[d], to_.region.min[d]));
    return shifted;
  }
  ExprPtr VisitLoad(const ExprPtr& e) override {
    ExprPtr rebuilt = Mutator::VisitLoad(e);
    return rebuilt->buffer->name == from_ ? Load(to_.buffer, Shift(rebuilt->args)) : rebuilt;
  }
  StmtPtr VisitStore(const StmtPtr& s) override {
    StmtPtr rebuilt = Mutator::VisitStore(s);
    if (!stores_ || rebuilt->buffer->name != from_) return rebuilt;
    return Store(to_.buffer, Shift(rebuilt->args), rebuilt->value);
  }

 private:
  std::string from_;
  const Cache& to_;
  bool stores_;
};

// Whether the first access to `buffer` that `s` runs is a load (or may be: one under an if).
bool ReadsFirst(const StmtPtr& s, const std::string& buffer, bool* decided) {
  auto reads = [&](const ExprPtr& e) { return ReadsBuffer(e, buffer); };
  switch (s->kind) {
    case Stmt::Kind::kFor:
      if (reads(s->extent)) return *decided = true;
      return ReadsFirst(s->body, buffer, decided);
    case Stmt::Kind::kLet: return *decided = reads(s->value);
    case Stmt::Kind::kIf: {
      // A branch not taken accesses nothing; the box is only what the branches access.
      if (reads(s->cond)) return *decided = true;
      bool then_decided = false, else_decided = false;
      bool then_loads = ReadsFirst(s->body, buffer, &then_decided);
      bool else_loads = s->else_body && ReadsFirst(s->else_body, buffer, &else_decided);
      if (then_loads || else_loads) return *decided = true;
      *decided = then_decided || else_decided;
      return false;
    }
    case Stmt::Kind::kStore: {
      bool read = reads(s->value);
      for (const ExprPtr& a : s->args) read = read || reads(a);
      if (read) return *decided = true;
      if (s->buffer->name == buffer) *decided = true;
      return false;
    }
    case Stmt::Kind::kSeq:
      for (const StmtPtr& stmt : s->stmts) {
        bool first_is_load = ReadsFirst(stmt, buffer, decided);
        if (*decided) return first_is_load;
      }
      return false;
    case Stmt::Kind::kAllocate: case Stmt::Kind::kView: case Stmt::Kind::kCall:
      return false;
  }
  return false;
}

// Refuses a store to `buffer` under an `if` inside `s`: a cache would write back, unguarded,
// elements the guarded store never wrote (a split's tail).
void CheckUnconditionalStores(const StmtPtr& s, const std::string& buffer, bool guarded,
                              const std::string& loop) {
  switch (s->kind) {
    case Stmt::Kind::kFor: return CheckUnconditionalStores(s->body, buffer, guarded, loop);
    case Stmt::Kind::kIf:
      CheckUnconditionalStores(s->body, buffer, true, loop);
      if (s->else_body) CheckUnconditionalStores(s->else_body, buffer, true, loop);
      return;
    case Stmt::Kind::kStore:
      if (guarded && s->buffer->name == buffer) {
        throw ScheduleError("cache_write: %" + buffer + " is stored under a condition inside loop " +
                            loop + " (a guarded tail); cache it at a loop outside the guard");
      }
      return;
    case Stmt::Kind::kSeq:
      for (const StmtPtr& stmt : s->stmts) CheckUnconditionalStores(stmt, buffer, guarded, loop);
      return;
    case Stmt::Kind::kLet: case Stmt::Kind::kAllocate: case Stmt::Kind::kView: case Stmt::Kind::kCall:
      return;
  }
}

// Refuses a load of `buffer` under an `if` inside `s`: the box is computed without the
// condition, so the copy would read elements the guarded code never reads (a split's tail,
// which may not exist or not be written yet).
void CheckUnconditionalLoads(const StmtPtr& s, const std::string& buffer, bool guarded,
                             const std::string& loop, const std::string& primitive) {
  if (guarded && s->kind != Stmt::Kind::kSeq && s->kind != Stmt::Kind::kIf) {
    if (ReadsBuffer(s, buffer)) {
      throw ScheduleError(primitive + ": %" + buffer + " is read under a condition inside loop " +
                          loop + " (a guarded tail); cache it at a loop outside the guard");
    }
  }
  switch (s->kind) {
    case Stmt::Kind::kFor: return CheckUnconditionalLoads(s->body, buffer, guarded, loop, primitive);
    case Stmt::Kind::kIf:
      CheckUnconditionalLoads(s->body, buffer, true, loop, primitive);
      if (s->else_body) CheckUnconditionalLoads(s->else_body, buffer, true, loop, primitive);
      return;
    case Stmt::Kind::kSeq:
      for (const StmtPtr& stmt : s->stmts) CheckUnconditionalLoads(stmt, buffer, guarded, loop, primitive);
      return;
    case Stmt::Kind::kStore: case Stmt::Kind::kLet: case Stmt::Kind::kAllocate:
    case Stmt::Kind::kView: case Stmt::Kind::kCall:
      return;
  }
}

// Whether each store to `buffer` inside `loop` writes every element of the box `region`:
// in each dimension, either one loop inside moves the index by 1 over the box's whole extent,
// or the box is one element wide. Otherwise the write-back would write elements nothing wrote.
bool WritesWholeBox(const Stmt& loop, const std::string& buffer, const Cache& c) {
  std::vector<const Stmt*> stores;
  std::map<std::string, std::optional<int64_t>> inner;  // loops inside: their constant extents
  ForEachStmt(loop.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kStore && s.buffer->name == buffer) stores.push_back(&s);
    if (s.kind == Stmt::Kind::kFor) inner[s.var] = AsInt(s.extent);
    if (s.kind == Stmt::Kind::kLet) inner[s.var] = std::nullopt;
  });
  for (const Stmt* store : stores) {
    std::set<std::string> used;
    for (size_t d = 0; d < store->args.size(); ++d) {
      // An extent the loops' ranges fix (n + 1 with n in [0, 0]: a batch of one) is constant.
      std::optional<int64_t> extent = c.exact[d] ? std::optional<int64_t>(c.shape[d]) : AsInt(c.region.extent[d]);
      std::optional<LinearForm> form = AsLinear(store->args[d]);
      std::vector<std::string> moving;
      for (const auto& [var, e] : inner) {
        if (UsesVar(store->args[d], var)) moving.push_back(var);
      }
      if (moving.empty()) {
        if (extent != 1) return false;
        continue;
      }
      if (!form || moving.size() != 1 || std::llabs(form->coefficients[moving[0]]) != 1) return false;
      if (!used.insert(moving[0]).second || !extent || inner[moving[0]] != extent) return false;
    }
  }
  return !stores.empty();
}

// The loop with `body` as its new body. A global cache is allocated once at the kernel's top,
// unless the loop runs in parallel (it or a loop around it): then each iteration needs its own,
// allocated in the body like a local one, or the threads would overwrite each other's copy.
void Install(Function& f, const Stmt& loop, const Cache& c, std::vector<StmtPtr> body) {
  bool parallel = loop.for_kind != ForKind::kSerial && loop.for_kind != ForKind::kUnrolled;
  for (const Stmt* outer : EnclosingLoops(f.body, &loop)) {
    parallel |= outer->for_kind != ForKind::kSerial && outer->for_kind != ForKind::kUnrolled;
  }
  bool in_body = c.buffer->scope == Scope::kLocal || parallel;
  if (in_body) body.insert(body.begin(), Allocate(c.buffer));
  StmtPtr rebuilt = For(loop.var, loop.extent, Simplify(Seq(std::move(body)), c.ranges), loop.for_kind);
  f.body = ReplaceStmt(f.body, &loop, rebuilt);
  if (!in_body) f.body = Seq({Allocate(c.buffer), f.body});
}
// SKELETON
// // Helpers of your own (the cache buffer, copy nests, redirecting accesses) go here.
// END SOLUTION

}  // namespace

void CacheRead(Function& f, const std::string& buffer, const std::string& loop,
               const std::string& copy) {
  // BEGIN SOLUTION lab04.t4: copy the box a loop reads, read the copy
  const Stmt& l = LoopNamed(f, "cache_read", loop);
  BufferPtr of = FindBuffer(f, buffer, "cache_read");
  CheckAllocatedOutside(l, buffer, "cache_read");
  CheckUnconditionalLoads(l.body, buffer, false, loop, "cache_read");
  ForEachStmt(l.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kStore && s.buffer->name == buffer) {
      throw ScheduleError("cache_read: loop " + loop + " writes %" + buffer + ", so a copy would go stale");
    }
  });
  Cache c = MakeCache(f, l, of, copy, false, "cache_read");
  NameGenerator names(f);
  names.Take(c.buffer->name);
  StmtPtr fill = CopyNest(names, c, [&](std::vector<ExprPtr> at_cache, std::vector<ExprPtr> at_buffer) {
    return Store(c.buffer, at_cache, Load(of, at_buffer));
  });
  Install(f, l, c, {fill, Redirect(buffer, c, false).Mutate(l.body)});
  // END SOLUTION
}

void CacheWrite(Function& f, const std::string& buffer, const std::string& loop,
                const std::string& local) {
  // BEGIN SOLUTION lab04.t4: accumulate a loop's box in a cache, write it back once
  const Stmt& l = LoopNamed(f, "cache_write", loop);
  BufferPtr of = FindBuffer(f, buffer, "cache_write");
  CheckAllocatedOutside(l, buffer, "cache_write");
  bool written = false;
  ForEachStmt(l.body, [&](const Stmt& s) {
    written = written || (s.kind == Stmt::Kind::kStore && s.buffer->name == buffer);
  });
  if (!written) throw ScheduleError("cache_write: loop " + loop + " does not write %" + buffer);
  CheckUnconditionalStores(l.body, buffer, false, loop);
  Cache c = MakeCache(f, l, of, local, true, "cache_write");
  NameGenerator names(f);
  names.Take(c.buffer->name);
  std::vector<StmtPtr> body;
  bool decided = false;
  bool reads_first = ReadsFirst(l.body, buffer, &decided);
  if (!reads_first && !WritesWholeBox(l, buffer, c)) {
    throw ScheduleError("cache_write: the stores to %" + buffer + " inside loop " + loop +
                        " do not cover their box, and the write-back would write what they skip");
  }
  if (reads_first) {
    // The copy in reads the box: as for cache_read, only a box read without conditions.
    CheckUnconditionalLoads(l.body, buffer, false, loop, "cache_write");
    body.push_back(CopyNest(names, c, [&](std::vector<ExprPtr> at_cache, std::vector<ExprPtr> at_buffer) {
      return Store(c.buffer, at_cache, Load(of, at_buffer));
    }));
  }
  body.push_back(Redirect(buffer, c, true).Mutate(l.body));
  body.push_back(CopyNest(names, c, [&](std::vector<ExprPtr> at_cache, std::vector<ExprPtr> at_buffer) {
    return Store(of, at_buffer, Load(c.buffer, at_cache));
  }));
  Install(f, l, c, std::move(body));
  // END SOLUTION
}

}  // namespace tessel::loops
