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
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
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
  auto reads_self = [&](const ExprPtr& e) {
    bool reads = false;
    ForEachExpr(e, [&](const Expr& x) {
      reads = reads || (x.kind == Expr::Kind::kLoad && x.buffer->name == s.buffer->name);
    });
    return reads;
  };
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

// The distance y - x of each band loop for accesses a (at iteration x) and b (at y) that
// touch one element; false when they never do.
bool SolveDistances(const Access& a, const Access& b, const std::vector<const Stmt*>& band,
                    std::map<std::string, int64_t>* distance) {
  std::set<std::string> band_vars;
  for (const Stmt* loop : band) band_vars.insert(loop->var);
  for (size_t d = 0; d < a.index.size(); ++d) {
    std::optional<LinearForm> la = AsLinear(a.index[d]), lb = AsLinear(b.index[d]);
    if (!la || !lb || la->coefficients != lb->coefficients) continue;  // no information
    std::vector<std::pair<std::string, int64_t>> paired;
    bool informative = true;
    for (const auto& [var, c] : la->coefficients) {
      bool varies = a.loops.count(var) || b.loops.count(var);
      if (band_vars.count(var)) {
        paired.emplace_back(var, c);
      } else if (varies) {
        informative = false;  // an inner loop: its iterations in a and b are unrelated
      }
    }
    if (!informative || paired.size() > 1) continue;
    int64_t rhs = la->constant - lb->constant;  // sum c_v (y_v - x_v) = ka - kb
    if (paired.empty()) {
      if (rhs != 0) return false;
      continue;
    }
    auto [var, c] = paired[0];
    if (rhs % c != 0) return false;
    int64_t dist = rhs / c;
    auto [it, fresh] = distance->emplace(var, dist);
    if (!fresh && it->second != dist) return false;
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
  for (size_t i = 0; i < accesses.size(); ++i) {
    for (size_t j = i; j < accesses.size(); ++j) {
      const Access &a = accesses[i], &b = accesses[j];
      if (a.buffer != b.buffer || (!a.store && !b.store)) continue;
      std::map<std::string, int64_t> distance;
      if (!SolveDistances(a, b, band, &distance)) continue;
      Dependence dep{a.buffer, {}, a.stmt == b.stmt && IsReductionStore(*a.stmt), a.stmt, b.stmt};
      bool all_equal = true;
      for (const Stmt* loop : band) {
        auto it = distance.find(loop->var);
        Direction d = it == distance.end() ? '*' : it->second > 0 ? '<' : it->second < 0 ? '>' : '=';
        dep.directions.push_back(d);
        all_equal = all_equal && d == '=';
      }
      if (all_equal && a.stmt == b.stmt) continue;  // the same access in the same iteration
      dependences.push_back(std::move(dep));
    }
  }
  return dependences;
  // END SOLUTION
}

}  // namespace tessel::loops
