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
  // BEGIN SOLUTION lab03.t1: recognize the counter, its start, step and bound; count the trips
  std::set<ir::Block*> in(loop.blocks.begin(), loop.blocks.end());
  std::vector<ir::Block*> preds = function.Predecessors(loop.header);
  if (preds.size() != 2) return false;
  loop.preheader = preds[0] == loop.latch ? preds[1] : preds[0];
  if (in.count(loop.preheader)) return false;
  for (ir::Block* block : loop.blocks) {
    if (block == loop.header) continue;
    for (ir::Block* succ : block->successors()) {
      if (!in.count(succ)) return false;  // a second exit
    }
  }
  ir::Instr* term = loop.header->terminator();
  if (term == nullptr || term->op() != ir::Op::kCondBr) return false;
  bool first_inside = in.count(term->blocks()[0]) > 0;
  if (first_inside == (in.count(term->blocks()[1]) > 0)) return false;
  loop.body = term->blocks()[first_inside ? 0 : 1];
  loop.exit = term->blocks()[first_inside ? 1 : 0];
  if (term->operand(0)->kind() != ir::Value::Kind::kInstr) return false;
  auto* cmp = static_cast<ir::Instr*>(term->operand(0));
  if (cmp->op() != ir::Op::kLt && cmp->op() != ir::Op::kLe && cmp->op() != ir::Op::kGt &&
      cmp->op() != ir::Op::kGe && cmp->op() != ir::Op::kNe) {
    return false;
  }
  for (int which = 0; which < 2; ++which) {
    ir::Value* counter = cmp->operand(which);
    const Tensor* bound = ConstantOf(cmp->operand(1 - which));
    if (bound == nullptr || bound->size() != 1 || counter->kind() != ir::Value::Kind::kInstr) {
      continue;
    }
    auto* phi = static_cast<ir::Instr*>(counter);
    if (phi->op() != ir::Op::kPhi || phi->parent() != loop.header) continue;
    ir::Value* init = nullptr;
    ir::Value* next = nullptr;
    for (size_t k = 0; k < phi->operands().size(); ++k) {
      (phi->blocks()[k] == loop.latch ? next : init) = phi->operand(k);
    }
    const Tensor* start = init ? ConstantOf(init) : nullptr;
    if (start == nullptr || next == nullptr || next->kind() != ir::Value::Kind::kInstr) continue;
    auto* add = static_cast<ir::Instr*>(next);
    if (add->op() != ir::Op::kAdd && add->op() != ir::Op::kSub) continue;
    int self = add->operand(0) == phi ? 0 : add->operand(1) == phi ? 1 : -1;
    const Tensor* step = self < 0 ? nullptr : ConstantOf(add->operand(1 - self));
    if (step == nullptr || (add->op() == ir::Op::kSub && self != 0)) continue;
    double delta = add->op() == ir::Op::kAdd ? step->Get(0) : -step->Get(0);
    double i = start->Get(0);
    int64_t trips = 0;
    while (Compare(*cmp, which, i, bound->Get(0))) {
      if (++trips > max_trips) return false;
      i += delta;
    }
    loop.trips = trips;
    return true;
  }
  return false;
  // END SOLUTION
}

int64_t CountInstrs(const std::vector<ir::Block*>& blocks) {
  int64_t count = 0;
  for (const ir::Block* block : blocks) count += static_cast<int64_t>(block->instrs().size());
  return count;
}

// Replaces the loop by loop.trips copies of its body, each preceded by a copy of the header's
// non-phi instructions, and a last header copy that branches to the exit.
void Unroll(ir::Function& function, const Loop& loop) {
  // BEGIN SOLUTION lab03.t1: chain one copy of the body per iteration, then retire the loop
  std::vector<ir::Instr*> phis;
  for (const auto& instr : loop.header->instrs()) {
    if (instr->op() == ir::Op::kPhi) phis.push_back(instr.get());
  }
  // What each header phi holds at the start of the current iteration.
  std::map<ir::Instr*, ir::Value*> current;
  for (ir::Instr* phi : phis) {
    for (size_t k = 0; k < phi->operands().size(); ++k) {
      if (phi->blocks()[k] == loop.preheader) current[phi] = phi->operand(k);
    }
  }
  ir::Block* into = loop.preheader;  // the block whose branch to the header is redirected
  ir::Block* last = loop.blocks.back();
  for (ir::Block* block : loop.blocks) {
    if (PositionOfBlock(function, block) > PositionOfBlock(function, last)) last = block;
  }
  CloneMap map;
  for (int64_t k = 0; k <= loop.trips; ++k) {
    ir::Block* head = function.AddBlockAfter(last, loop.header->label() + "." + std::to_string(k));
    last = head;
    for (ir::Block*& succ : into->terminator()->blocks()) {
      if (succ == loop.header) succ = head;
    }
    map = CloneMap();
    for (ir::Instr* phi : phis) map.values[phi] = current[phi];
    for (const auto& instr : loop.header->instrs()) {
      if (instr->op() == ir::Op::kPhi || ir::IsTerminator(instr->op())) continue;
      map.values[instr.get()] = head->Append(CloneInstr(*instr, map));
    }
    auto br = std::make_unique<ir::Instr>(ir::Op::kBr, std::vector<ir::Value*>{}, ir::Type{});
    br->set_loc(loop.header->terminator()->loc());
    if (k == loop.trips) {
      br->blocks().push_back(loop.exit);
      head->Append(std::move(br));
      break;
    }
    // The body blocks of this iteration; their branches to the header stay until the next.
    std::vector<std::pair<const ir::Block*, ir::Block*>> copies;
    for (size_t b = 1; b < loop.blocks.size(); ++b) {
      ir::Block* copy = function.AddBlockAfter(
          last, loop.blocks[b]->label() + "." + std::to_string(k));
      map.blocks[loop.blocks[b]] = copy;
      copies.push_back({loop.blocks[b], copy});
      last = copy;
    }
    br->blocks().push_back(map.blocks.at(loop.body));
    head->Append(std::move(br));
    for (auto& [original, copy] : copies) {
      for (const auto& instr : original->instrs()) {
        map.values[instr.get()] = copy->Append(CloneInstr(*instr, map));
      }
    }
    for (auto& [original, copy] : copies) {  // phis may use values defined later
      for (const auto& instr : copy->instrs()) {
        for (size_t i = 0; i < instr->operands().size(); ++i) {
          instr->set_operand(i, map.Of(instr->operand(i)));
        }
      }
    }
    for (ir::Instr* phi : phis) {
      for (size_t p = 0; p < phi->operands().size(); ++p) {
        if (phi->blocks()[p] == loop.latch) current[phi] = map.Of(phi->operand(p));
      }
    }
    into = map.blocks.at(loop.latch);
  }
  // The exit now comes from the last header copy and sees its values.
  ir::Block* final_head = last;
  for (const auto& instr : loop.exit->instrs()) {
    if (instr->op() != ir::Op::kPhi) continue;
    for (ir::Block*& from : instr->blocks()) {
      if (from == loop.header) from = final_head;
    }
  }
  std::set<const ir::Block*> in(loop.blocks.begin(), loop.blocks.end());
  for (const auto& instr : loop.header->instrs()) {
    ir::Value* final_value = map.Of(instr.get());
    if (final_value == instr.get()) continue;
    for (const auto& block : function.blocks()) {
      if (in.count(block.get())) continue;
      for (const auto& user : block->instrs()) {
        for (size_t i = 0; i < user->operands().size(); ++i) {
          if (user->operand(i) == instr.get()) user->set_operand(i, final_value);
        }
      }
    }
  }
  function.EraseBlocks(loop.blocks);
  // END SOLUTION
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
