// Loop primitives that change the iteration space (lab04, task t3): Split, Fuse, Reorder and
// Distribute of stages/loops/primitives.h.
//
// Each rewrites one loop (or one perfectly nested band) and substitutes the old loop
// variables by expressions of the new ones, so the body computes exactly what it did; the
// legality checks are structural (perfect nesting, extents that stay defined) and, for the
// ones that change the order of iterations, the dependences of the band: a reordering is
// legal when no dependence comes out pointing backwards. lab04_loop_ir/README.md §3.3.
#include <algorithm>
#include <map>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t3: the checks the primitives share
bool ReadsMemory(const ExprPtr& e) {
  bool reads = false;
  ForEachExpr(e, [&](const Expr& x) { reads = reads || x.kind == Expr::Kind::kLoad; });
  return reads;
}

void CheckSerial(const Stmt& loop, const std::string& primitive) {
  if (loop.for_kind != ForKind::kSerial) {
    throw ScheduleError(primitive + ": loop " + loop.var + " is already " +
                        std::string(ForKindName(loop.for_kind)) + "; " + primitive +
                        " it before marking it");
  }
}

// `nest` in place of `loop` in f, simplified with the ranges of the loops around it.
void Replace(Function& f, const Stmt& loop, const StmtPtr& nest) {
  VarRanges ranges = RangesOf(EnclosingLoops(f.body, &loop));
  f.body = ReplaceStmt(f.body, &loop, Simplify(nest, ranges));
}

// Whether the direction vector `d`, in the band's order, may be lexicographically positive
// (the first entry that is not '=' is '<'), and whether it may be negative.
void Signs(const std::vector<Direction>& d, bool* may_be_positive, bool* may_be_negative) {
  *may_be_positive = *may_be_negative = false;
  for (Direction x : d) {
    if (x == '=') continue;
    if (x == '<' || x == '*') *may_be_positive = true;
    if (x == '>' || x == '*') *may_be_negative = true;
    if (x != '*') return;  // a definite entry decides; '*' may also be '=' and look further
  }
}

std::string DirectionText(const std::vector<Direction>& d, const std::vector<const Stmt*>& band) {
  std::string out = "(";
  for (size_t i = 0; i < d.size(); ++i) {
    out += (i ? ", " : "") + band[i]->var + " " + std::string(1, d[i]);
  }
  return out + ")";
}

// Every pair of iterations that touch one element must run in the same order after the
// permutation (position p of the new order holds old position perm[p]): for each concrete
// vector of `d` ('*' taken as each of <, =, >), the sign of the first entry that is not '='
// must be the same in both orders.
bool PreservesOrder(const std::vector<Direction>& d, const std::vector<size_t>& perm) {
  std::vector<size_t> unknown;
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i] == '*') unknown.push_back(i);
  }
  std::vector<Direction> v = d;
  size_t combinations = 1;
  for (size_t i = 0; i < unknown.size(); ++i) combinations *= 3;
  for (size_t c = 0; c < combinations; ++c) {
    size_t code = c;
    for (size_t u : unknown) v[u] = "<=>"[code % 3], code /= 3;
    std::vector<Direction> permuted;
    for (size_t p : perm) permuted.push_back(v[p]);
    bool forwards = false, backwards = false, permuted_forwards = false, permuted_backwards = false;
    Signs(v, &forwards, &backwards);
    Signs(permuted, &permuted_forwards, &permuted_backwards);
    if (forwards != permuted_forwards || backwards != permuted_backwards) return false;
  }
  return true;
}

// The perfectly nested band from the outermost of `names` down to the innermost of them.
std::vector<const Stmt*> Band(const Function& f, const std::vector<std::string>& names) {
  std::vector<const Stmt*> loops;
  for (const std::string& name : names) loops.push_back(&LoopNamed(f, "reorder", name));
  const Stmt* top = nullptr;
  for (const Stmt* candidate : loops) {
    bool encloses_all = true;
    for (const Stmt* other : loops) {
      encloses_all = encloses_all && (other == candidate || FindLoop(candidate->body, other->var));
    }
    if (encloses_all) top = candidate;
  }
  if (!top) {
    throw ScheduleError("reorder: loops " + names[0] + " and " + names[1] +
                        " are not nested one inside the other");
  }
  std::vector<const Stmt*> band = {top};
  auto named = [&](const Stmt* s) { return std::find(loops.begin(), loops.end(), s) != loops.end(); };
  size_t found = 1;
  while (found < loops.size()) {
    const Stmt* next = OnlyLoopInside(*band.back());
    if (!next) {
      throw ScheduleError("reorder: loop " + band.back()->var + " holds more than the next loop" +
                          " (reorder needs perfectly nested loops; distribute " + band.back()->var +
                          " first)");
    }
    band.push_back(next);
    found += named(next) ? 1 : 0;
  }
  return band;
}
// SKELETON
// // Helpers of your own (the band of loops to reorder, the order check) go here.
// END SOLUTION

}  // namespace

void Split(Function& f, const std::string& loop, int64_t factor, const std::string& outer,
           const std::string& inner) {
  // BEGIN SOLUTION lab04.t3: split a loop into an outer and an inner one
  const Stmt& l = LoopNamed(f, "split", loop);
  CheckSerial(l, "split");
  if (factor <= 0) throw ScheduleError("split: the factor must be positive, found " + std::to_string(factor));
  CheckFreshName(f, "split", outer);
  CheckFreshName(f, "split", inner);
  if (outer == inner) throw ScheduleError("split: the two new loops need different names");
  std::optional<int64_t> n = AsInt(l.extent);
  // A loop's extent is evaluated once; the guard reads it at every iteration, so an extent
  // that reads memory (which the body may change) is first bound by a let.
  ExprPtr extent = l.extent;
  StmtPtr hoisted;
  if (ReadsMemory(extent)) {
    std::string name = NameGenerator(f).Fresh(loop + ".n");
    hoisted = Let(name, extent);
    extent = Var(name);
  }
  ExprPtr outer_extent = n ? Int((*n + factor - 1) / factor)
                           : Div(Add(extent, Int(factor - 1)), Int(factor));
  ExprPtr value = Add(Mul(Var(outer), Int(factor)), Var(inner));
  StmtPtr body = Substitute(l.body, {{loop, value}});
  if (!n || *n % factor != 0) body = If(Lt(value, extent), body);  // the tail's guard
  StmtPtr nest = For(outer, outer_extent, For(inner, Int(factor), body));
  Replace(f, l, hoisted ? Seq({hoisted, nest}) : nest);
  // END SOLUTION
}

void Fuse(Function& f, const std::string& outer, const std::string& inner, const std::string& fused) {
  // BEGIN SOLUTION lab04.t3: fuse two perfectly nested loops into one
  const Stmt& l1 = LoopNamed(f, "fuse", outer);
  const Stmt* l2 = OnlyLoopInside(l1);
  if (!l2 || l2->var != inner) {
    throw ScheduleError("fuse: loop " + inner + " is not the only statement of loop " + outer +
                        "'s body (fuse needs perfectly nested loops, the outer one first)");
  }
  CheckSerial(l1, "fuse");
  CheckSerial(*l2, "fuse");
  if (UsesVar(l2->extent, outer)) {
    throw ScheduleError("fuse: the extent of loop " + inner + " depends on " + outer);
  }
  if (ReadsMemory(l2->extent)) {
    throw ScheduleError("fuse: the extent of loop " + inner + " reads memory, which the fused "
                        "loop would read again at every iteration");
  }
  if (fused != outer && fused != inner) CheckFreshName(f, "fuse", fused);
  ExprPtr v = Var(fused);
  StmtPtr body = Substitute(l2->body, {{outer, Div(v, l2->extent)}, {inner, Mod(v, l2->extent)}});
  Replace(f, l1, For(fused, Mul(l1.extent, l2->extent), body));
  // END SOLUTION
}

void Reorder(Function& f, const std::vector<std::string>& order) {
  // BEGIN SOLUTION lab04.t3: permute perfectly nested loops when the dependences allow it
  for (size_t i = 0; i < order.size(); ++i) {
    for (size_t j = i + 1; j < order.size(); ++j) {
      if (order[i] == order[j]) throw ScheduleError("reorder: loop " + order[i] + " is named twice");
    }
  }
  std::vector<const Stmt*> band = Band(f, order);
  // Old positions of the named loops, in band order; the new order puts them there.
  std::vector<size_t> slots, perm(band.size());
  for (size_t p = 0; p < band.size(); ++p) {
    perm[p] = p;
    if (std::find(order.begin(), order.end(), band[p]->var) != order.end()) slots.push_back(p);
  }
  for (size_t k = 0; k < slots.size(); ++k) {
    for (size_t p = 0; p < band.size(); ++p) {
      if (band[p]->var == order[k]) perm[slots[k]] = p;
    }
  }
  for (size_t p = 0; p < band.size(); ++p) {
    const Stmt* loop = band[perm[p]];
    for (size_t q = p + 1; q < band.size(); ++q) {
      if (UsesVar(loop->extent, band[perm[q]]->var)) {
        throw ScheduleError("reorder: the extent of loop " + loop->var + " depends on " +
                            band[perm[q]]->var + ", which would be inside it");
      }
    }
    CheckSerial(*loop, "reorder");
  }
  for (const Dependence& dep : ComputeDependences(band)) {
    if (dep.reduction || PreservesOrder(dep.directions, perm)) continue;
    throw ScheduleError("reorder: the new order reverses a dependence on %" + dep.buffer +
                        " " + DirectionText(dep.directions, band));
  }
  StmtPtr body = band.back()->body;
  for (size_t p = band.size(); p-- > 0;) {
    const Stmt* loop = band[perm[p]];
    body = For(loop->var, loop->extent, body, loop->for_kind);
  }
  f.body = ReplaceStmt(f.body, band[0], body);
  // END SOLUTION
}

void Distribute(Function& f, const std::string& loop) {
  // BEGIN SOLUTION lab04.t3: one loop per statement of the body (loop fission)
  const Stmt& l = LoopNamed(f, "distribute", loop);
  CheckSerial(l, "distribute");
  std::vector<StmtPtr> parts = Statements(l.body);
  if (parts.size() < 2) {
    throw ScheduleError("distribute: loop " + loop + "'s body is one statement; there is nothing to distribute");
  }
  for (const StmtPtr& part : parts) {
    if (part->kind == Stmt::Kind::kLet || part->kind == Stmt::Kind::kAllocate) {
      throw ScheduleError("distribute: loop " + loop + "'s body defines " +
                          (part->kind == Stmt::Kind::kLet ? "'" + part->var + "'" : "%" + part->buffer->name) +
                          ", which the statements after it may use");
    }
  }
  auto part_of = [&](const Stmt* s) -> size_t {
    for (size_t k = 0; k < parts.size(); ++k) {
      if (parts[k].get() == s || FindStmt(parts[k], s)) return k;
    }
    return parts.size();
  };
  // After distribution every iteration of an earlier statement runs before every iteration of
  // a later one. A dependence crossing iterations must therefore run from an earlier statement
  // to a later one; one from a later statement back to an earlier one (or of unknown
  // direction) would be reversed. (Dependences are oriented: `first` runs first.)
  for (const Dependence& dep : ComputeDependences({&l})) {
    size_t from = part_of(dep.first), to = part_of(dep.second);
    Direction d = dep.directions[0];
    bool forward = d == '=' || (d == '<' && from < to);
    if (from != to && d == '*') {
      throw ScheduleError("distribute: cannot tell in which order the statements of loop " + loop +
                          " touch %" + dep.buffer + " across its iterations");
    }
    if (from != to && !forward) {
      throw ScheduleError("distribute: a later statement of loop " + loop + " feeds an earlier " +
                          "one across its iterations (on %" + dep.buffer + ")");
    }
  }
  NameGenerator names(f);
  std::vector<StmtPtr> loops;
  for (size_t k = 0; k < parts.size(); ++k) {
    std::string var = k == 0 ? loop : names.Fresh(loop);
    loops.push_back(For(var, l.extent, Substitute(parts[k], {{loop, Var(var)}})));
  }
  f.body = ReplaceStmt(f.body, &l, Seq(std::move(loops)));
  // END SOLUTION
}

}  // namespace tessel::loops
