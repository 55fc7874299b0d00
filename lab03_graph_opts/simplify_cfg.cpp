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
  // TODO(lab03.t1): turn cond_br on a constant (or to one block twice) into br
  TESSEL_UNIMPLEMENTED("lab03.t1", "turn cond_br on a constant (or to one block twice) into br",
                       "lab03_graph_opts/README.md §3.1");
  return changed;
}

// Erases the blocks the entry cannot reach.
bool RemoveUnreachable(ir::Function& function, PassContext& context) {
  // TODO(lab03.t1): find the reachable blocks, drop the others and their phi inputs
  TESSEL_UNIMPLEMENTED("lab03.t1",
                       "find the reachable blocks, drop the others and their phi inputs",
                       "lab03_graph_opts/README.md §3.1");
}

// A phi whose operands are all one value (or itself) is that value.
bool RemoveTrivialPhis(ir::Function& function, PassContext& context) {
  bool changed = false;
  // TODO(lab03.t1): replace each phi whose operands are one value (or itself) by it
  TESSEL_UNIMPLEMENTED("lab03.t1",
                       "replace each phi whose operands are one value (or itself) by it",
                       "lab03_graph_opts/README.md §3.1");
  return changed;
}

// A block whose only predecessor ends in `br` to it joins that predecessor.
bool MergeBlocks(ir::Function& function, PassContext& context) {
  // TODO(lab03.t1): append a block to its only predecessor when that one only jumps to it
  TESSEL_UNIMPLEMENTED("lab03.t1",
                       "append a block to its only predecessor when that one only jumps to it",
                       "lab03_graph_opts/README.md §3.1");
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
