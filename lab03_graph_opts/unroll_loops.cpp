// Full unrolling (lab03, task t1): UnrollLoops of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results; the blocks outside the loops it unrolls.
// Gives: each unrolled loop as a chain of copies of its body, one per iteration, with no phis
//        left in its header; simplify-cfg then merges the chain into one block.
//
// A loop is the natural loop of a back edge L -> H (H dominates L: lab02's dominator tree).
// It is unrolled when it is in lab02's shape and its trip count is known at compile time:
//   H:  %i = phi [c0, P], [%next, L]        c0 a constant, P the one edge from outside
//       %c = lt %i, hi                       any comparison of %i with a constant
//       cond_br %c, body, exit               one successor inside the loop, one outside
//       ... %next = add %i, step ...         step a constant
// and no other block of the loop leaves it. lab03_graph_opts/README.md §3.1 has the picture.
#include <algorithm>
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/ir/compute_dominators.h"
#include "stages/ir/interpreter.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

struct Loop {
  ir::Block* header = nullptr;
  ir::Block* preheader = nullptr;  // the one predecessor outside the loop
  ir::Block* latch = nullptr;      // the source of the back edge
  std::vector<ir::Block*> blocks;  // header first, then the body in function order
  ir::Block* body = nullptr;       // the header's successor inside the loop
  ir::Block* exit = nullptr;       // the header's successor outside
  int64_t trips = 0;
};

// The blocks of the natural loop of back edge latch -> header: the header and every block
// that reaches the latch without passing through the header.
std::vector<ir::Block*> NaturalLoop(const ir::Function& function, ir::Block* header,
                                    ir::Block* latch) {
  std::set<ir::Block*> in{header};
  std::vector<ir::Block*> work{latch};
  while (!work.empty()) {
    ir::Block* block = work.back();
    work.pop_back();
    if (!in.insert(block).second) continue;
    for (ir::Block* pred : function.Predecessors(block)) work.push_back(pred);
  }
  std::vector<ir::Block*> blocks{header};
  for (const auto& block : function.blocks()) {
    if (block.get() != header && in.count(block.get())) blocks.push_back(block.get());
  }
  return blocks;
}

// The value of comparison `cmp` at counter value `i`, the counter being operand `which`.
bool Compare(const ir::Instr& cmp, int which, double i, double bound) {
  double a = which == 0 ? i : bound, b = which == 0 ? bound : i;
  if (cmp.op() == ir::Op::kLt) return a < b;
  if (cmp.op() == ir::Op::kLe) return a <= b;
  if (cmp.op() == ir::Op::kGt) return a > b;
  if (cmp.op() == ir::Op::kGe) return a >= b;
  return a != b;  // kNe: the caller allows no other op
}

size_t PositionOfBlock(const ir::Function& function, const ir::Block* block) {
  for (size_t i = 0; i < function.blocks().size(); ++i) {
    if (function.blocks()[i].get() == block) return i;
  }
  return 0;
}

// Recognizes lab02's loop shape around `loop` (header, latch and blocks set) and computes its
// trip count; false when the loop is not in that shape or the count is not known or too large.
bool AnalyzeLoop(const ir::Function& function, Loop& loop, int64_t max_trips) {
  // TODO(lab03.t1): recognize the counter, its start, step and bound; count the trips
  TESSEL_UNIMPLEMENTED("lab03.t1",
                       "recognize the counter, its start, step and bound; count the trips",
                       "lab03_graph_opts/README.md §3.1");
}

int64_t CountInstrs(const std::vector<ir::Block*>& blocks) {
  int64_t count = 0;
  for (const ir::Block* block : blocks) count += static_cast<int64_t>(block->instrs().size());
  return count;
}

// Replaces the loop by loop.trips copies of its body, each preceded by a copy of the header's
// non-phi instructions, and a last header copy that branches to the exit.
void Unroll(ir::Function& function, const Loop& loop) {
  // TODO(lab03.t1): chain one copy of the body per iteration, then retire the loop
  TESSEL_UNIMPLEMENTED("lab03.t1", "chain one copy of the body per iteration, then retire the loop",
                       "lab03_graph_opts/README.md §3.1");
}

// Finds one loop to unroll: an innermost one among those not yet given up on.
bool UnrollOne(ir::Function& function, PassContext& context, std::set<ir::Block*>& given_up) {
  ir::DominatorTree tree = ir::ComputeDominatorTree(function);
  std::vector<Loop> loops;
  for (const auto& block : function.blocks()) {
    if (!tree.Reachable(block.get())) continue;
    for (ir::Block* succ : block->successors()) {
      if (tree.Dominates(succ, block.get()) && !given_up.count(succ)) {
        Loop loop;
        loop.header = succ;
        loop.latch = block.get();
        loop.blocks = NaturalLoop(function, succ, block.get());
        loops.push_back(loop);
      }
    }
  }
  for (Loop& loop : loops) {
    bool innermost = true;
    for (const Loop& other : loops) {
      innermost = innermost && (other.header == loop.header ||
                                std::find(loop.blocks.begin(), loop.blocks.end(), other.header) ==
                                    loop.blocks.end());
    }
    if (!innermost) continue;
    int64_t size = CountInstrs(loop.blocks);
    int64_t budget = context.max_unrolled_instrs / std::max<int64_t>(size, 1);
    if (!AnalyzeLoop(function, loop, budget)) {
      given_up.insert(loop.header);
      context.stats.Add("loops left");
      return true;
    }
    Unroll(function, loop);
    context.stats.Add("loops unrolled");
    context.stats.Add("iterations", loop.trips);
    return true;
  }
  return false;
}

}  // namespace

void UnrollLoops(ir::Module& module, PassContext& context) {
  for (const auto& function : module.functions()) {
    std::set<ir::Block*> given_up;
    while (UnrollOne(*function, context, given_up)) {
    }
  }
}

}  // namespace tessel::opt
