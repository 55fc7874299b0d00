// Dependence analysis of a loop band (lab04, task t3): ComputeDependences of
// stages/loops/primitives.h.
//
// Two accesses depend on each other when they may touch the same element and one of them
// writes it. For each pair, each index dimension is an equation between the iterations of
// the two accesses; when both sides are linear with the same coefficients (uniformly
// generated references, Wolf & Lam 1991), one loop variable per dimension gives that loop's
// distance exactly, a constant that cannot match proves the pair independent, and anything
// else leaves the direction unknown ('*'): a safe over-approximation.
// lab04_loop_ir/README.md §3.3.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t3: collect the accesses, solve each pair's index equations
struct Access {
  std::string buffer;
  std::vector<ExprPtr> index;  // lets substituted
  bool store = false;
  const Stmt* stmt = nullptr;  // the statement it belongs to
  std::set<std::string> loops;  // the loops around it inside the band's outer loop
};

bool IsReductionStore(const Stmt& s) {
  if (s.kind != Stmt::Kind::kStore || s.value->kind != Expr::Kind::kApply) return false;
  Op op = s.value->op;
  if (op != Op::kAdd && op != Op::kMul && op != Op::kMaximum && op != Op::kMinimum) return false;
  auto is_self = [&](const ExprPtr& e) {
    if (e->kind != Expr::Kind::kLoad || e->buffer->name != s.buffer->name) return false;
    for (size_t d = 0; d < e->args.size(); ++d) {
      if (!Equal(e->args[d], s.args[d])) return false;
    }
    return true;
  };
  auto reads_self = [&](const ExprPtr& e) { return ReadsBuffer(e, s.buffer->name); };
  const ExprPtr &a = s.value->args[0], &b = s.value->args[1];
  return (is_self(a) && !reads_self(b)) || (is_self(b) && !reads_self(a));
}

class AccessCollector {
 public:
  std::vector<Access> Run(const StmtPtr& root) {
    Walk(root);
    return std::move(accesses_);
  }

 private:
  void Loads(const ExprPtr& e, const Stmt* stmt) {
    if (!e) return;
    ForEachExpr(e, [&](const Expr& x) {
      if (x.kind == Expr::Kind::kLoad) Add(x.buffer->name, x.args, false, stmt);
    });
  }

  void Add(const std::string& buffer, const std::vector<ExprPtr>& index, bool store, const Stmt* stmt) {
    Access a{buffer, {}, store, stmt, loops_};
    for (const ExprPtr& e : index) a.index.push_back(Substitute(e, lets_));
    accesses_.push_back(std::move(a));
  }

  void Walk(const StmtPtr& s) {
    switch (s->kind) {
      case Stmt::Kind::kFor:
        Loads(s->extent, s.get());
        loops_.insert(s->var);
        Walk(s->body);
        loops_.erase(s->var);
        return;
      case Stmt::Kind::kLet:
        Loads(s->value, s.get());
        lets_[s->var] = Substitute(s->value, lets_);
        return;
      case Stmt::Kind::kIf:
        Loads(s->cond, s.get());
        Walk(s->body);
        if (s->else_body) Walk(s->else_body);
        return;
      case Stmt::Kind::kStore:
        for (const ExprPtr& e : s->args) Loads(e, s.get());
        Loads(s->value, s.get());
        Add(s->buffer->name, s->args, true, s.get());
        return;
      case Stmt::Kind::kSeq:
        for (const StmtPtr& stmt : s->stmts) Walk(stmt);
        return;
      case Stmt::Kind::kAllocate: case Stmt::Kind::kView: case Stmt::Kind::kCall:
        return;
    }
  }

  std::vector<Access> accesses_;
  std::set<std::string> loops_;
  std::map<std::string, ExprPtr> lets_;
};

// Solves one index equation sum c_v * d_v = rhs for the distances d_v = y_v - x_v, where
// |d_v| <= extent_v - 1: the widest-spanning variable first, each distance fixed when only one value
// leaves the rest reachable (io * 4 + ii: d_io is 0 when |d_ii| <= 3). Returns false when
// no distances solve it; leaves a variable out of *distance when its value is not unique.
bool SolveEquation(std::vector<std::pair<std::string, int64_t>> terms, int64_t rhs,
                   const std::map<std::string, int64_t>& extents,
                   std::map<std::string, int64_t>* distance, bool* conflict) {
  // The variable that spans the widest range first (|c| * (extent - 1)); a loop of extent 1
  // has distance 0 and no say.
  auto span = [&](const std::pair<std::string, int64_t>& t) {
    auto it = extents.find(t.first);
    return it == extents.end() ? INT64_MAX : std::llabs(t.second) * (it->second - 1);
  };
  std::erase_if(terms, [&](const auto& t) { return span(t) == 0; });
  std::stable_sort(terms.begin(), terms.end(), [&](const auto& a, const auto& b) {
    return span(a) > span(b);
  });
  // A distance d_v of a band loop lies in [-(extent - 1), extent - 1]; the value of an inner
  // loop of one access ("a:u", "b:w") in [0, extent - 1], so c * u spans one side of 0 only.
  auto inner = [](const std::string& name) { return name.rfind("a:", 0) == 0 || name.rfind("b:", 0) == 0; };
  auto floor_div = [](int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
  auto ceil_div = [&](int64_t a, int64_t b) { return -floor_div(-a, b); };
  for (size_t k = 0; k < terms.size(); ++k) {
    int64_t low = 0, high = 0;  // what the terms after k can add up to
    for (size_t m = k + 1; m < terms.size(); ++m) {
      auto it = extents.find(terms[m].first);
      if (it == extents.end()) return true;  // an unbounded loop: nothing more to learn
      int64_t w = std::llabs(terms[m].second) * (it->second - 1);
      if (!inner(terms[m].first)) low -= w, high += w;
      else if (terms[m].second > 0) high += w;
      else low -= w;
    }
    // c * x = rhs - rest, rest in [low, high]
    int64_t c = terms[k].second, lo = 0, hi = 0;
    if (c > 0) lo = ceil_div(rhs - high, c), hi = floor_div(rhs - low, c);
    else lo = ceil_div(rhs - low, c), hi = floor_div(rhs - high, c);
    if (auto it = extents.find(terms[k].first); it != extents.end()) {
      lo = std::max(lo, inner(terms[k].first) ? 0 : -(it->second - 1));
      hi = std::min(hi, it->second - 1);
    }
    if (lo > hi) return false;
    if (lo != hi) return true;
    auto [it, fresh] = distance->emplace(terms[k].first, lo);
    if (!fresh && it->second != lo) *conflict = true;
    rhs -= terms[k].second * lo;
  }
  return rhs == 0;
}

// The distance y - x of each band loop for accesses a (at iteration x) and b (at y) that
// touch one element; false when they never do.
// `extents`: the constant extent of each loop of the band and inside it.
bool SolveDistances(const Access& a, const Access& b, const std::vector<const Stmt*>& band,
                    const std::map<std::string, int64_t>& extents,
                    std::map<std::string, int64_t>* distance) {
  std::set<std::string> band_vars;
  for (const Stmt* loop : band) band_vars.insert(loop->var);
  std::map<std::string, int64_t> ranges = extents;  // also "a:v" and "b:v" for inner loops
  for (size_t d = 0; d < a.index.size(); ++d) {
    std::optional<LinearForm> la = AsLinear(a.index[d]), lb = AsLinear(b.index[d]);
    if (!la || !lb) continue;  // no information
    // sum over band loops c_v (y_v - x_v) + sum b_w w - sum a_u u = ka - kb, where u and w are
    // the inner loops of each access (unrelated values in a and b) and variables outside the
    // band (the same value in both) cancel.
    std::vector<std::pair<std::string, int64_t>> terms;
    bool informative = true;
    std::set<std::string> vars;
    for (const auto& [var, c] : la->coefficients) vars.insert(var);
    for (const auto& [var, c] : lb->coefficients) vars.insert(var);
    for (const std::string& var : vars) {
      int64_t ca = la->coefficients.count(var) ? la->coefficients.at(var) : 0;
      int64_t cb = lb->coefficients.count(var) ? lb->coefficients.at(var) : 0;
      bool inner_a = a.loops.count(var) && !band_vars.count(var);
      bool inner_b = b.loops.count(var) && !band_vars.count(var);
      if (band_vars.count(var)) {
        if (ca != cb) informative = false;  // different strides: no distance to speak of
        terms.emplace_back(var, ca);
        continue;
      }
      if (!inner_a && !inner_b) {
        if (ca != cb) informative = false;  // an outer variable that does not cancel
        continue;
      }
      auto extent = extents.find(var);
      if (extent == extents.end()) {
        informative = false;
        continue;
      }
      if (ca != 0 && inner_a) terms.emplace_back("a:" + var, -ca), ranges["a:" + var] = extent->second;
      if (cb != 0 && inner_b) terms.emplace_back("b:" + var, cb), ranges["b:" + var] = extent->second;
      if ((ca != 0 && !inner_a) || (cb != 0 && !inner_b)) informative = false;
    }
    if (!informative) continue;
    std::map<std::string, int64_t> solved;
    bool conflict = false;
    if (!SolveEquation(terms, la->constant - lb->constant, ranges, &solved, &conflict)) return false;
    for (const auto& [var, dist] : solved) {
      if (!band_vars.count(var)) continue;
      auto [it, fresh] = distance->emplace(var, dist);
      if (!fresh && it->second != dist) return false;
    }
    if (conflict) return false;
  }
  for (const Stmt* loop : band) {
    auto it = distance->find(loop->var);
    std::optional<int64_t> extent = AsInt(loop->extent);
    if (it != distance->end() && extent && std::llabs(it->second) >= *extent) return false;
  }
  return true;
}
// SKELETON
// // Helpers of your own (collecting accesses, solving index equations) go here.
// END SOLUTION

}  // namespace

std::vector<Dependence> ComputeDependences(const std::vector<const Stmt*>& band) {
  // BEGIN SOLUTION lab04.t3: the dependences among the accesses of a band
  std::vector<Dependence> dependences;
  if (band.empty()) return dependences;
  StmtPtr body = band.back()->body;
  // The band's own loop variables are around every access of the innermost body.
  std::vector<Access> accesses = AccessCollector().Run(body);
  for (Access& a : accesses) {
    for (const Stmt* loop : band) a.loops.insert(loop->var);
  }
  std::map<std::string, int64_t> extents;
  for (const Stmt* loop : band) {
    if (std::optional<int64_t> e = AsInt(loop->extent)) extents[loop->var] = *e;
  }
  ForEachStmt(body, [&](const Stmt& s) {
    if (s.kind != Stmt::Kind::kFor) return;
    if (std::optional<int64_t> e = AsInt(s.extent)) extents[s.var] = *e;
  });
  // A buffer allocated inside the band is private to each iteration: nothing is carried on it.
  std::set<std::string> private_buffers;
  ForEachStmt(body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kAllocate) private_buffers.insert(s.buffer->name);
  });
  for (size_t i = 0; i < accesses.size(); ++i) {
    for (size_t j = i; j < accesses.size(); ++j) {
      const Access &a = accesses[i], &b = accesses[j];
      if (a.buffer != b.buffer || (!a.store && !b.store)) continue;
      if (private_buffers.count(a.buffer)) continue;
      std::map<std::string, int64_t> distance;
      if (!SolveDistances(a, b, band, extents, &distance)) continue;
      Dependence dep{a.buffer, {}, a.stmt == b.stmt && IsReductionStore(*a.stmt), a.stmt, b.stmt};
      bool all_equal = true;
      for (const Stmt* loop : band) {
        auto it = distance.find(loop->var);
        Direction d = it == distance.end() ? '*' : it->second > 0 ? '<' : it->second < 0 ? '>' : '=';
        dep.directions.push_back(d);
        all_equal = all_equal && d == '=';
      }
      if (all_equal && a.stmt == b.stmt) continue;  // the same access in the same iteration
      // Oriented from the access that runs first: the first entry that is not '=' is not '>'.
      auto first = std::find_if(dep.directions.begin(), dep.directions.end(), [](Direction x) { return x != '='; });
      if (first != dep.directions.end() && *first == '>') {
        for (Direction& x : dep.directions) x = x == '<' ? '>' : x == '>' ? '<' : x;
        std::swap(dep.first, dep.second);
      }
      dependences.push_back(std::move(dep));
    }
  }
  return dependences;
  // END SOLUTION
}

}  // namespace tessel::loops
