// Peeling a loop's last iteration (primitives.h, given): the tail of a split whose factor does
// not divide the extent. Split guards every iteration with `if io * f + ii < E`, which keeps
// the loops imperfectly nested (reorder refuses them) and puts a branch in the hot loop; after
// `peel io` the loop runs its full iterations with the guard proven true and gone, and the last,
// partial one follows as a copy of the body with its loops renamed NAME.tail and its guarded
// loop shortened to the iterations that remain. Halide's loop partitioning and TVM's
// LoopPartition do the same after scheduling; here the schedule asks for it, so that the steps
// after it (reorder, cache_write, unroll) see a perfect nest.
//
//   for io in 0..171 {                          for io in 0..170 {
//     for ii in 0..6 {                            for ii in 0..6 { S(io * 6 + ii) }
//       if io * 6 + ii < 1024 { S(io*6+ii) }  ->  }
//     }                                         for ii.tail in 0..4 { S(1020 + ii.tail) }
//   }
#include <map>

#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// Every loop and let of a statement renamed to a fresh NAME.tail, uses included.
class RenameBinders : public Mutator {
 public:
  explicit RenameBinders(NameGenerator& names) : names_(names) {}

 protected:
  ExprPtr VisitVar(const ExprPtr& e) override {
    auto it = renamed_.find(e->name);
    return it == renamed_.end() ? e : Var(it->second, e->dtype);
  }
  StmtPtr VisitFor(const StmtPtr& s) override {
    ExprPtr extent = Mutate(s->extent);  // the extent is outside the loop's own scope
    std::string name = Rename(s->var);
    return For(name, extent, Mutate(s->body), s->for_kind);
  }
  StmtPtr VisitLet(const StmtPtr& s) override {
    ExprPtr value = Mutate(s->value);
    return Let(Rename(s->var), value);
  }

 private:
  std::string Rename(const std::string& var) { return renamed_[var] = names_.Fresh(var + ".tail"); }

  NameGenerator& names_;
  std::map<std::string, std::string> renamed_;
};

// `for w in 0..F { if w + c < K { S } }` (c and K constants, no else) becomes
// `for w in 0..min(F, K - c) { S }`: the tail's guarded loop runs only what remains.
StmtPtr ShortenGuardedLoops(const StmtPtr& s) {
  class Shorten : public Mutator {
   protected:
    StmtPtr VisitFor(const StmtPtr& s) override {
      StmtPtr loop = Mutator::VisitFor(s);
      const Stmt& guard = *loop->body;
      std::optional<int64_t> extent = AsInt(loop->extent);
      if (!extent || guard.kind != Stmt::Kind::kIf || guard.else_body) return loop;
      const Expr& cond = *guard.cond;
      if (cond.kind != Expr::Kind::kApply || cond.op != Op::kLt || cond.args.size() != 2) return loop;
      std::optional<LinearForm> lhs = AsLinear(cond.args[0]);
      std::optional<int64_t> bound = AsInt(cond.args[1]);
      if (!lhs || !bound || lhs->coefficients.size() != 1) return loop;
      auto term = lhs->coefficients.find(loop->var);
      if (term == lhs->coefficients.end() || term->second != 1) return loop;
      int64_t remaining = std::min(*extent, *bound - lhs->constant);
      if (remaining < 1) return loop;  // never runs; simpler left as it is
      return For(loop->var, Int(remaining), guard.body, loop->for_kind);
    }
  };
  return Shorten().Mutate(s);
}

}  // namespace

void Peel(Function& f, const std::string& loop) {
  const Stmt& l = LoopNamed(f, "peel", loop);
  if (l.for_kind != ForKind::kSerial && l.for_kind != ForKind::kParallel) {
    throw ScheduleError("peel: loop " + loop + " is already " + std::string(ForKindName(l.for_kind)) +
                        "; peel it before marking it");
  }
  std::optional<int64_t> n = AsInt(l.extent);
  if (!n) throw ScheduleError("peel: the extent of loop " + loop + " is not a constant");
  if (*n < 2) {
    throw ScheduleError("peel: loop " + loop + " runs " + std::to_string(*n) +
                        " iteration(s); peeling needs at least two");
  }
  ForEachStmt(l.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kAllocate || s.kind == Stmt::Kind::kView) {
      throw ScheduleError("peel: loop " + loop + " allocates %" + s.buffer->name +
                          " in its body, which a copy would allocate twice (peel before cache_read, "
                          "cache_write or compute_at)");
    }
  });
  VarRanges around = RangesOf(EnclosingLoops(f.body, &l));
  StmtPtr full = Simplify(For(loop, Int(*n - 1), l.body, l.for_kind), around);
  NameGenerator names(f);
  StmtPtr last = Substitute(RenameBinders(names).Mutate(l.body), {{loop, Int(*n - 1)}});
  StmtPtr tail = ShortenGuardedLoops(Simplify(last, around));
  f.body = ReplaceStmt(f.body, &l, Seq({full, tail}));
}

}  // namespace tessel::loops
