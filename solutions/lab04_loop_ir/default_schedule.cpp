// The default scheduler (lab04, task t5): DefaultSchedule of stages/loops/primitives.h.
//
// Every kernel the compiler lowers gets these steps when no tuned schedule exists. Rules per
// loop nest, each tried on a copy of the kernel and kept only when its primitive accepts it,
// so the result is always a legal schedule:
//   1) a reduction nest (initialization, reduction loops, epilogue under the innermost
//      spatial loop) is distributed, and the reduction loops are moved outside the innermost
//      spatial loop, so the innermost loop walks the output and the operands contiguously
//      (matmul's i, k, j order);
//   2) when the reduction is long, it is tiled: split into chunks so that a chunk of each
//      operand stays in the L1 cache while it is reused;
//   3) the innermost loop that walks its stores contiguously is split by the vector width and
//      the inner part vectorized;
//   4) the outermost loop is parallel.
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
constexpr int64_t kLanes = 8;            // f32 lanes of a 256-bit vector
constexpr int64_t kReductionTile = 64;   // reduction chunk: 64 rows of a 64-wide strip = 16 KiB

class DefaultScheduler {
 public:
  explicit DefaultScheduler(const Function& f) : g_(f) {}

  std::vector<Step> Run() {
    std::vector<std::string> nests;
    for (const StmtPtr& s : Statements(g_.body)) {
      if (s->kind == Stmt::Kind::kFor) nests.push_back(s->var);
    }
    for (const std::string& top : nests) ScheduleNest(top);
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

  // The perfectly nested loops from `top` down.
  std::vector<const Stmt*> Band(const std::string& top) {
    std::vector<const Stmt*> band;
    for (const Stmt* loop = FindLoop(g_.body, top); loop; loop = OnlyLoopInside(*loop)) {
      band.push_back(loop);
    }
    return band;
  }

  void ScheduleNest(const std::string& top) {
    std::vector<const Stmt*> band = Band(top);
    const Stmt* inner = band.back();
    std::vector<StmtPtr> parts = Statements(inner->body);
    bool reduction_nest = parts.size() > 1 &&
        std::any_of(parts.begin(), parts.end(), [](const StmtPtr& s) { return s->kind == Stmt::Kind::kFor; });
    if (reduction_nest && band.size() >= 1) {
      std::string spatial = inner->var;
      NameGenerator before(g_);
      if (Try({"distribute", {spatial}, {}, {}})) {
        // The parts are now loops spatial, spatial.1, ...: move reductions outside each.
        for (size_t k = 1; k < parts.size(); ++k) MoveInnermost(before.Fresh(spatial));
      }
    }
    Try({"parallel", {top}, {}, {}});
    VectorizeInnermost(top);
  }

  // A part `p` whose body is a band of reduction loops around stores indexed by p last: the
  // reduction loops go outside p, and a long one is tiled (rule 2).
  void MoveInnermost(const std::string& p) {
    std::vector<const Stmt*> reductions = Band(p);
    if (reductions.size() < 2) return;
    std::vector<std::string> order;
    for (size_t k = 1; k < reductions.size(); ++k) order.push_back(reductions[k]->var);
    order.push_back(p);
    std::optional<int64_t> extent = AsInt(reductions[1]->extent);
    if (!Try({"reorder", order, {}, {}})) return;
    if (extent && *extent > 2 * kReductionTile) {
      std::string outer = Fresh(order[0] + "o"), inner_name = Fresh(order[0] + "i");
      Try({"split", {order[0], std::to_string(kReductionTile)}, {outer, inner_name}, {}});
    }
  }

  // Rule 3 on every innermost loop of the nest whose stores walk their last dimension.
  void VectorizeInnermost(const std::string& top) {
    std::vector<std::string> innermost;
    ForEachStmt(FindStmt(g_.body, FindLoop(g_.body, top)), [&](const Stmt& s) {
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
