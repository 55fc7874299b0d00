// The default scheduler (lab04, task t5): DefaultSchedule of stages/loops/primitives.h.
//
// Every kernel the compiler lowers gets these steps when no tuned schedule exists. Rules per
// loop nest, each tried on a copy of the kernel and kept only when its primitive accepts it,
// so the result is always a legal schedule:
//   1) a reduction nest (initialization, reduction loops, epilogue under the innermost
//      spatial loop) is distributed, and when the innermost spatial loop walks its accesses'
//      last dimension, the reduction loops move outside it (matmul's i, k, j order);
//   2) when the operand the rows of the output all read (GEMM's B) does not fit in half the L1
//      cache, the nest is tiled: strips of the output's columns, chunks of the reduction, and
//      that chunk of the operand packed into a contiguous buffer (cache_read) that stays in
//      L1 while every row reuses it;
//   3) the outermost loop that can run in parallel (or, when it cannot, one inside it);
//   4) every innermost loop that walks its stores' last dimension is split by the vector width
//      (when longer) and the lanes vectorized.
// lab04_loop_ir/README.md §3.5.
#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t5: the rules, each tried on a copy
constexpr int64_t kLanes = 8;              // f32 lanes of a 256-bit vector
constexpr int64_t kL1Bytes = 32 * 1024;    // the grading target's L1 data cache
constexpr int64_t kStrip = 32;             // columns of the output per tile (rule 2)
constexpr int64_t kReductionTile = 128;    // rows of the reused operand per tile (rule 2)

class DefaultScheduler {
 public:
  explicit DefaultScheduler(const Function& f) : g_(f) {}

  std::vector<Step> Run() {
    for (const std::string& top : TopLoops()) ScheduleReduction(top);
    for (const std::string& top : TopLoops()) Parallelize(top);
    VectorizeInnermost();
    return std::move(steps_);
  }

 private:
  bool Try(Step step) {
    Function trial = g_;
    try {
      ApplyPrimitive(trial, step);
    } catch (const ScheduleError&) {
      return false;
    }
    g_ = std::move(trial);
    steps_.push_back(std::move(step));
    return true;
  }

  std::string Fresh(const std::string& base) { return NameGenerator(g_).Fresh(base); }

  std::vector<std::string> TopLoops() {
    std::vector<std::string> tops;
    for (const StmtPtr& s : Statements(g_.body)) {
      if (s->kind == Stmt::Kind::kFor) tops.push_back(s->var);
    }
    return tops;
  }

  // The perfectly nested loops from `top` down.
  std::vector<const Stmt*> Band(const std::string& top) {
    std::vector<const Stmt*> band;
    for (const Stmt* loop = FindLoop(g_.body, top); loop; loop = OnlyLoopInside(*loop)) {
      band.push_back(loop);
    }
    return band;
  }

  // Rule 1 (and 2): a nest whose innermost spatial loop holds an initialization, reduction
  // loops and maybe an epilogue.
  void ScheduleReduction(const std::string& top) {
    std::vector<const Stmt*> band = Band(top);
    const Stmt* inner = band.back();
    std::vector<StmtPtr> parts = Statements(inner->body);
    bool reduction_nest = parts.size() > 1 &&
        std::any_of(parts.begin(), parts.end(), [](const StmtPtr& s) { return s->kind == Stmt::Kind::kFor; });
    if (!reduction_nest) return;
    std::string spatial = inner->var;
    std::string outer = band.size() > 1 ? band[band.size() - 2]->var : "";
    if (!WalksLastDimension(spatial)) return;  // a row reduction: its loops stay as they are
    NameGenerator before(g_);
    if (!Try({"distribute", {spatial}, {}, {}})) return;
    for (size_t k = 1; k < parts.size(); ++k) {
      std::string part = before.Fresh(spatial);
      if (MoveInnermost(part) && !outer.empty()) TileAndPack(outer, part);
    }
  }

  // The reduction loops around part `p`'s body go outside `p`, so that `p` walks the output
  // and the operands contiguously. Returns whether they moved.
  bool MoveInnermost(const std::string& p) {
    std::vector<const Stmt*> reductions = Band(p);
    if (reductions.size() < 2 || !WalksLastDimension(p)) return false;
    std::vector<std::string> order;
    for (size_t k = 1; k < reductions.size(); ++k) order.push_back(reductions[k]->var);
    order.push_back(p);
    return Try({"reorder", order, {}, {}});
  }

  // Rule 2, for an update `outer { k { p { C[outer, p] += A[outer, k] * B[k, p] } } }` whose
  // reused operand (B: read at indices without `outer`) is larger than half the L1 cache:
  // strips of kStrip columns (jo), the reduction in chunks (ko), `outer` inside them, and the
  // chunk of B packed into a contiguous buffer that stays in L1 while every row of `outer`
  // reuses it. Without the packing, B's rows at a power-of-two stride meet in a few cache
  // sets and evict each other (conflict misses).
  void TileAndPack(const std::string& outer, const std::string& p) {
    const Stmt* k_loop = EnclosingReduction(p);
    if (!k_loop) return;
    std::string k = k_loop->var;
    std::optional<int64_t> n = AsInt(FindLoop(g_.body, p)->extent), kk = AsInt(k_loop->extent);
    std::string reused = ReusedOperand(p, outer);
    if (!n || !kk || reused.empty() || *n % kStrip != 0 || *n * *kk * 4 <= kL1Bytes / 2) return;
    NameGenerator names(g_);
    std::string outer_part = names.Fresh(outer);
    if (Statements(FindLoop(g_.body, outer)->body).size() > 1) {
      if (!Try({"distribute", {outer}, {}, {}})) return;
    } else {
      outer_part = outer;
    }
    std::string jo = Fresh(p + "o"), ji = Fresh(p + "i");
    if (!Try({"split", {p, std::to_string(kStrip)}, {jo, ji}, {}})) return;
    if (*kk > kReductionTile && *kk % kReductionTile == 0) {
      std::string ko = Fresh(k + "o"), ki = Fresh(k + "i");
      if (!Try({"split", {k, std::to_string(kReductionTile)}, {ko, ki}, {}})) return;
      if (Try({"reorder", {jo, ko, outer_part, ki}, {}, {}})) {
        Try({"cache_read", {"%" + reused, ko}, {"%" + Fresh(reused + "p")}, {}});
      }
    } else if (Try({"reorder", {jo, outer_part, k}, {}, {}})) {
      Try({"cache_read", {"%" + reused, jo}, {"%" + Fresh(reused + "p")}, {}});
    }
  }

  // Whether every access under loop `p` that uses p's variable uses it only in its last
  // subscript, with coefficient 1: then p innermost walks memory contiguously (matmul's j in
  // %C[i, j] and %B[k, j]); a row reduction's %x[i, r] would be walked down a column instead.
  bool WalksLastDimension(const std::string& p) {
    bool contiguous = true;
    auto check = [&](const std::vector<ExprPtr>& index) {
      for (size_t d = 0; d < index.size(); ++d) {
        if (!UsesVar(index[d], p)) continue;
        std::optional<LinearForm> form = AsLinear(index[d]);
        bool last = d + 1 == index.size() && form && form->coefficients.count(p) &&
                    form->coefficients.at(p) == 1;
        contiguous = contiguous && last;
      }
    };
    StmtPtr loop = FindStmt(g_.body, FindLoop(g_.body, p));
    ForEachExpr(loop, [&](const Expr& e) {
      if (e.kind == Expr::Kind::kLoad) check(e.args);
    });
    ForEachStmt(loop, [&](const Stmt& st) {
      if (st.kind == Stmt::Kind::kStore) check(st.args);
    });
    return contiguous;
  }

  const Stmt* EnclosingReduction(const std::string& p) {
    std::vector<const Stmt*> around = EnclosingLoops(g_.body, FindLoop(g_.body, p));
    return around.empty() ? nullptr : around.back();
  }

  // The buffer the update under `p` reads at indices that do not involve `outer`.
  std::string ReusedOperand(const std::string& p, const std::string& outer) {
    std::string reused;
    ForEachExpr(FindStmt(g_.body, FindLoop(g_.body, p)), [&](const Expr& e) {
      if (e.kind != Expr::Kind::kLoad || !reused.empty()) return;
      bool uses_outer = false, uses_p = false;
      for (const ExprPtr& a : e.args) {
        uses_outer = uses_outer || UsesVar(a, outer);
        uses_p = uses_p || UsesVar(a, p);
      }
      if (!uses_outer && uses_p) reused = e.buffer->name;
    });
    return reused;
  }

  // Rule 4: the outermost loop that can run in parallel; when one cannot (a strip loop that
  // refills a packed buffer), each loop directly inside it, two levels deep at most.
  void Parallelize(const std::string& loop, int depth = 0) {
    const Stmt* l = FindLoop(g_.body, loop);
    std::optional<int64_t> extent = AsInt(l->extent);
    if ((!extent || *extent >= 2) && Try({"parallel", {loop}, {}, {}})) return;
    if (depth == 2) return;
    std::vector<std::string> inside;
    for (const StmtPtr& s : Statements(l->body)) {
      if (s->kind == Stmt::Kind::kFor) inside.push_back(s->var);
    }
    for (const std::string& var : inside) Parallelize(var, depth + 1);
  }

  // Rule 3 on every innermost loop whose stores walk their last dimension.
  void VectorizeInnermost() {
    std::vector<std::string> innermost;
    ForEachStmt(g_.body, [&](const Stmt& s) {
      if (s.kind != Stmt::Kind::kFor) return;
      bool has_loop = false;
      ForEachStmt(s.body, [&](const Stmt& x) { has_loop = has_loop || x.kind == Stmt::Kind::kFor; });
      if (!has_loop && Contiguous(s)) innermost.push_back(s.var);
    });
    for (const std::string& var : innermost) {
      const Stmt* loop = FindLoop(g_.body, var);
      std::optional<int64_t> extent = AsInt(loop->extent);
      if (!extent || *extent < 2) continue;
      if (*extent <= kLanes) {
        Try({"vectorize", {var}, {}, {}});
        continue;
      }
      std::string outer = Fresh(var + "o"), lanes = Fresh(var + "v");
      if (Try({"split", {var, std::to_string(kLanes)}, {outer, lanes}, {}})) {
        Try({"vectorize", {lanes}, {}, {}});
      }
    }
  }

  // Whether every store under `loop` has the loop's variable as its last subscript.
  static bool Contiguous(const Stmt& loop) {
    bool any = false, all = true;
    ForEachStmt(loop.body, [&](const Stmt& s) {
      if (s.kind != Stmt::Kind::kStore || s.args.empty()) return;
      any = true;
      std::optional<LinearForm> last = AsLinear(s.args.back());
      all = all && last && last->coefficients.count(loop.var) &&
            last->coefficients.at(loop.var) == 1;
    });
    return any && all;
  }

  Function g_;
  std::vector<Step> steps_;
};
// SKELETON
// // Your scheduler's rules go here.
// END SOLUTION

}  // namespace

std::vector<Step> DefaultSchedule(const Function& f) {
  // BEGIN SOLUTION lab04.t5: the steps the default rules pick for a kernel
  return DefaultScheduler(f).Run();
  // END SOLUTION
}

}  // namespace tessel::loops
