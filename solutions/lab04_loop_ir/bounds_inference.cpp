// Bounds inference (lab04, task t4): InferRegion of stages/loops/primitives.h.
//
// Which elements of a buffer does one iteration of a loop touch? For an affine index, the
// extreme values come from the inner loops' extreme iterations: each inner variable with a
// positive coefficient contributes its last value to the maximum and 0 to the minimum, a
// negative one the other way round. What is left is the part fixed for the iteration: the
// loop's own variable and the ones around it. Halide's bounds inference and TVM's
// InferBound work this way, with intervals of expressions. lab04_loop_ir/README.md §3.4.
#include <map>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t4: the accesses inside the loop and their extreme indices
struct Found {
  std::vector<ExprPtr> index;             // lets substituted
  std::map<std::string, int64_t> inner;   // loops inside the iteration: variable -> last value
};

class AccessFinder {
 public:
  AccessFinder(const std::string& buffer, bool reads, bool writes, VarRanges ranges)
      : buffer_(buffer), reads_(reads), writes_(writes), ranges_(std::move(ranges)) {}

  std::vector<Found> Run(const StmtPtr& body, const std::string& primitive) {
    primitive_ = primitive;
    Walk(body);
    return std::move(found_);
  }

 private:
  void Loads(const ExprPtr& e) {
    if (!e || !reads_) return;
    ForEachExpr(e, [&](const Expr& x) {
      if (x.kind == Expr::Kind::kLoad && x.buffer->name == buffer_) Add(x.args);
    });
  }

  void Add(const std::vector<ExprPtr>& index) {
    Found f{{}, inner_};
    for (const ExprPtr& e : index) f.index.push_back(Substitute(e, lets_));
    found_.push_back(std::move(f));
  }

  void Walk(const StmtPtr& s) {
    switch (s->kind) {
      case Stmt::Kind::kFor: {
        Loads(s->extent);
        Interval extent = BoundsOf(s->extent, ranges_);
        if (!extent.hi) {
          throw ScheduleError(primitive_ + ": loop " + s->var + " has no bounded extent (" +
                              PrintExpr(s->extent) + ")");
        }
        inner_[s->var] = std::max<int64_t>(*extent.hi - 1, 0);
        ranges_[s->var] = {0, inner_[s->var]};
        Walk(s->body);
        inner_.erase(s->var);
        return;
      }
      case Stmt::Kind::kLet:
        Loads(s->value);
        lets_[s->var] = Substitute(s->value, lets_);
        return;
      case Stmt::Kind::kIf:
        Loads(s->cond);
        Walk(s->body);
        if (s->else_body) Walk(s->else_body);
        return;
      case Stmt::Kind::kStore:
        for (const ExprPtr& e : s->args) Loads(e);
        Loads(s->value);
        if (writes_ && s->buffer->name == buffer_) Add(s->args);
        return;
      case Stmt::Kind::kSeq:
        for (const StmtPtr& stmt : s->stmts) Walk(stmt);
        return;
      case Stmt::Kind::kAllocate: case Stmt::Kind::kView: case Stmt::Kind::kCall:
        return;
    }
  }

  std::string buffer_, primitive_;
  bool reads_, writes_;
  VarRanges ranges_;
  std::map<std::string, int64_t> inner_;
  std::map<std::string, ExprPtr> lets_;
  std::vector<Found> found_;
};

// [lower, upper] of one index over the inner loops, or ScheduleError if not affine in them.
std::pair<ExprPtr, ExprPtr> Extremes(const ExprPtr& index, const Found& at, const VarRanges& ranges,
                                     const std::string& primitive, const std::string& buffer) {
  std::map<std::string, ExprPtr> zero;
  for (const auto& [var, last] : at.inner) zero[var] = Int(0);
  ExprPtr base = Simplify(Substitute(index, zero), ranges);
  std::optional<LinearForm> rest = AsLinear(Simplify(Sub(index, base), ranges));
  bool affine = rest && rest->constant == 0;
  for (const auto& [var, c] : rest ? rest->coefficients : std::map<std::string, int64_t>{}) {
    affine = affine && at.inner.count(var);
  }
  if (!affine) {
    throw ScheduleError(primitive + ": cannot bound the region of %" + buffer + " it needs: index " +
                        PrintExpr(index) + " is not affine in the loops inside");
  }
  ExprPtr lower = base, upper = base;
  for (const auto& [var, c] : rest->coefficients) {
    int64_t span = c * at.inner.at(var);
    (c < 0 ? lower : upper) = Add(c < 0 ? lower : upper, Int(span));
  }
  return {lower, upper};
}
// SKELETON
// // Helpers of your own (finding the accesses, their extreme indices) go here.
// END SOLUTION

}  // namespace

Region InferRegion(const Function& f, const Stmt& loop, const std::string& buffer, bool reads,
                   bool writes, const std::string& primitive) {
  // BEGIN SOLUTION lab04.t4: the box of a buffer one iteration of a loop accesses
  std::vector<const Stmt*> around = EnclosingLoops(f.body, &loop);
  around.push_back(&loop);
  VarRanges ranges = RangesOf(around);
  std::vector<Found> accesses = AccessFinder(buffer, reads, writes, ranges).Run(loop.body, primitive);
  if (accesses.empty()) {
    throw ScheduleError(primitive + ": loop " + loop.var + " does not access %" + buffer);
  }
  BufferPtr b;
  ForEachExpr(loop.body, [&](const Expr& x) {
    if (x.kind == Expr::Kind::kLoad && x.buffer->name == buffer) b = x.buffer;
  });
  ForEachStmt(loop.body, [&](const Stmt& x) {
    if (x.kind == Stmt::Kind::kStore && x.buffer->name == buffer) b = x.buffer;
  });
  Region region;
  for (size_t d = 0; d < accesses[0].index.size(); ++d) {
    ExprPtr lo, hi;
    for (const Found& at : accesses) {
      auto [lower, upper] = Extremes(at.index[d], at, ranges, primitive, buffer);
      lo = lo ? Min(lo, lower) : lower;
      hi = hi ? Max(hi, upper) : upper;
    }
    // The largest extent, from the box before clipping (where lo and hi share their terms).
    Interval unclipped = BoundsOf(Simplify(Add(Sub(hi, lo), Int(1)), ranges), ranges);
    std::optional<int64_t> largest;
    if (unclipped.hi) largest = std::min(*unclipped.hi, b->shape[d]);
    // Clipped to the buffer: a guarded tail may compute indices it never uses.
    lo = Simplify(Max(lo, Int(0)), ranges);
    hi = Simplify(Min(hi, Int(b->shape[d] - 1)), ranges);
    region.min.push_back(lo);
    region.extent.push_back(Simplify(Add(Sub(hi, lo), Int(1)), ranges));
    Interval clipped = BoundsOf(region.extent.back(), ranges);
    if (clipped.hi && (!largest || *clipped.hi < *largest)) largest = clipped.hi;
    region.max_extent.push_back(largest);
  }
  return region;
  // END SOLUTION
}

}  // namespace tessel::loops
