// CFG simplification (lab03, task t1): SimplifyCfg of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results; instruction order within blocks.
// Gives: no branch on a constant, no unreachable block, no block that could be merged into
//        its only predecessor, no trivial phi. After inline and unroll, every example's entry
//        is one block.
//
// Four rewrites, repeated until none applies (each can enable the others: folding a branch
// makes a block unreachable, which leaves a phi with one operand, which lets two blocks
// merge). lab03_graph_opts/README.md §3.1.
#include <optional>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/ir/interpreter.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

std::unique_ptr<ir::Instr> Branch(ir::Block* target, const ir::Loc& loc) {
  auto br = std::make_unique<ir::Instr>(ir::Op::kBr, std::vector<ir::Value*>{}, ir::Type{});
  br->blocks().push_back(target);
  br->set_loc(loc);
  return br;
}

// Removes the phi operands of `block` that come from `from`.
void DropIncoming(ir::Block* block, const ir::Block* from) {
  for (const auto& instr : block->instrs()) {
    if (instr->op() != ir::Op::kPhi) continue;
    for (size_t i = instr->operands().size(); i-- > 0;) {
      if (instr->blocks()[i] == from) instr->erase_operand(i);
    }
  }
}

// The value of a scalar computed from constants only (t == 0 once the loop counter t is
// unrolled into t0 + 1), or nullopt. Evaluated with the interpreter's own kernels
// (EvaluateInstr), a few levels deep; fold-constants (task t2) does this for every op.
std::optional<Tensor> KnownScalar(const ir::Value* value, int depth = 0) {
  if (const Tensor* constant = ConstantOf(value)) return *constant;
  if (value->kind() != ir::Value::Kind::kInstr || depth > 8) return std::nullopt;
  const auto* instr = static_cast<const ir::Instr*>(value);
  if (instr->type().rank() != 0 || instr->op() == ir::Op::kPhi || instr->op() == ir::Op::kCall ||
      instr->op() == ir::Op::kComprehension) {
    return std::nullopt;
  }
  std::vector<Tensor> operands;
  for (const ir::Value* operand : instr->operands()) {
    std::optional<Tensor> known = KnownScalar(operand, depth + 1);
    if (!known) return std::nullopt;
    operands.push_back(std::move(*known));
  }
  std::vector<const Tensor*> pointers;
  for (const Tensor& t : operands) pointers.push_back(&t);
  std::string error;
  return ir::EvaluateInstr(*instr, pointers, &error);
}

// cond_br on a constant (or on a comparison of constants), or to the same block twice,
// becomes br.
bool FoldBranches(ir::Function& function, PassContext& context) {
  bool changed = false;
  // BEGIN SOLUTION lab03.t1: turn cond_br on a constant (or to one block twice) into br
  for (const auto& block : function.blocks()) {
    ir::Instr* term = block->terminator();
    if (term == nullptr || term->op() != ir::Op::kCondBr) continue;
    ir::Block* yes = term->blocks()[0];
    ir::Block* no = term->blocks()[1];
    std::optional<Tensor> condition = KnownScalar(term->operand(0));
    if (yes != no && !condition) continue;
    ir::Block* keep = yes == no ? yes : condition->Get(0) != 0 ? yes : no;
    if (yes != no) DropIncoming(keep == yes ? no : yes, block.get());
    ir::Loc loc = term->loc();
    block->Erase(term);
    block->Append(Branch(keep, loc));
    context.stats.Add("branches folded");
    changed = true;
  }
  // END SOLUTION
  return changed;
}

// Erases the blocks the entry cannot reach.
bool RemoveUnreachable(ir::Function& function, PassContext& context) {
  // BEGIN SOLUTION lab03.t1: find the reachable blocks, drop the others and their phi inputs
  std::set<const ir::Block*> reached;
  std::vector<ir::Block*> work{function.entry()};
  while (!work.empty()) {
    ir::Block* block = work.back();
    work.pop_back();
    if (!reached.insert(block).second) continue;
    for (ir::Block* succ : block->successors()) work.push_back(succ);
  }
  std::vector<ir::Block*> dead;
  for (const auto& block : function.blocks()) {
    if (!reached.count(block.get())) dead.push_back(block.get());
  }
  if (dead.empty()) return false;
  for (ir::Block* block : dead) {
    for (ir::Block* succ : block->successors()) {
      if (reached.count(succ)) DropIncoming(succ, block);
    }
  }
  function.EraseBlocks(dead);
  context.stats.Add("blocks removed", static_cast<int64_t>(dead.size()));
  return true;
  // END SOLUTION
}

// A phi whose operands are all one value (or itself) is that value.
bool RemoveTrivialPhis(ir::Function& function, PassContext& context) {
  bool changed = false;
  // BEGIN SOLUTION lab03.t1: replace each phi whose operands are one value (or itself) by it
  for (const auto& block : function.blocks()) {
    std::vector<ir::Instr*> phis;
    for (const auto& instr : block->instrs()) {
      if (instr->op() == ir::Op::kPhi) phis.push_back(instr.get());
    }
    for (ir::Instr* phi : phis) {
      ir::Value* same = nullptr;
      bool trivial = true;
      for (ir::Value* operand : phi->operands()) {
        if (operand == phi || operand == same) continue;
        if (same != nullptr) trivial = false;
        same = operand;
      }
      if (!trivial || same == nullptr) continue;
      ReplaceAndErase(phi, same);
      context.stats.Add("phis removed");
      changed = true;
    }
  }
  // END SOLUTION
  return changed;
}

// A block whose only predecessor ends in `br` to it joins that predecessor.
bool MergeBlocks(ir::Function& function, PassContext& context) {
  // BEGIN SOLUTION lab03.t1: append a block to its only predecessor when that one only jumps to it
  bool changed = false;
  for (size_t b = 0; b < function.blocks().size();) {
    ir::Block* block = function.blocks()[b].get();
    ir::Instr* term = block->terminator();
    ir::Block* next = term != nullptr && term->op() == ir::Op::kBr ? term->blocks()[0] : nullptr;
    if (next == nullptr || next == block || next == function.entry() ||
        function.Predecessors(next).size() != 1) {
      ++b;
      continue;
    }
    // Its phis have one operand each: they are that operand.
    while (!next->instrs().empty() && next->instrs().front()->op() == ir::Op::kPhi) {
      ir::Instr* phi = next->instrs().front().get();
      ReplaceAndErase(phi, phi->operand(0));
    }
    block->Erase(term);
    while (!next->instrs().empty()) block->Append(next->Remove(next->instrs().front().get()));
    for (ir::Block* succ : block->successors()) {
      for (const auto& instr : succ->instrs()) {
        if (instr->op() != ir::Op::kPhi) continue;
        for (ir::Block*& from : instr->blocks()) {
          if (from == next) from = block;
        }
      }
    }
    function.EraseBlock(next);  // `block` may now merge with its new successor: stay at b
    context.stats.Add("blocks merged");
    changed = true;
  }
  return changed;
  // END SOLUTION
}

}  // namespace

void SimplifyCfg(ir::Module& module, PassContext& context) {
  for (const auto& function : module.functions()) {
    bool changed = true;
    while (changed) {
      changed = FoldBranches(*function, context);
      changed = RemoveUnreachable(*function, context) || changed;
      changed = RemoveTrivialPhis(*function, context) || changed;
      changed = MergeBlocks(*function, context) || changed;
    }
  }
}

}  // namespace tessel::opt
