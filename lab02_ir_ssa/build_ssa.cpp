// SSA construction for mutable variables (lab02, task t4): the methods of
// SsaBuilder (stages/ir/build_ssa.h).
//
// Pipeline: the lowering (lab02) walks the syntax tree once; where the source
// assigns or reads a `var`, it calls WriteVariable and ReadVariable here, and
// this file places the phis. The result is the SSA IR every later stage reads.
//
// The method is Braun, Buchwald, Hack, Leißa, Mallon and Zwinkau, "Simple and
// Efficient Construction of Static Single Assignment Form" (CC 2013): phis are
// placed on demand, while the CFG is still being built, with no dominator tree
// and no liveness; the methods below carry the names of the paper's
// Algorithms 1 to 4. lab02_ir_ssa/README.md §4.4 explains the idea and what
// the result must be; lab02_ir_ssa/README.md §A.4 has the paper's pseudo-code,
// for when you are stuck.
#include "stages/ir/build_ssa.h"

#include <memory>
#include <string>
#include <vector>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"

namespace tessel::ir {

namespace {

// The phis of `function` other than `phi` itself that use `phi` as an operand.
std::vector<Instr*> PhiUsers(const Function& function, const Instr* phi) {
  std::vector<Instr*> users;
  for (Instr* user : function.Users(phi)) {
    if (user != phi && user->op() == Op::kPhi) users.push_back(user);
  }
  return users;
}

// True while `phi` is still one of the function's instructions. Only the
// address is compared, so `phi` may be a phi that has been erased.
bool StillInFunction(const Function& function, const Instr* phi) {
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) {
      if (instr->op() != Op::kPhi) break;  // phis come first in their block
      if (instr.get() == phi) return true;
    }
  }
  return false;
}

}  // namespace

// ------------------------------------------------------------ given helpers

Instr* SsaBuilder::NewPhi(const std::string& variable, const Type& type, Block* block) {
  size_t pos = 0;
  while (pos < block->instrs().size() && block->instrs()[pos]->op() == Op::kPhi) ++pos;
  // Named after the variable, so the printed IR reads %x, %x.1, ... (printer.h).
  return block->Insert(pos,
                       std::make_unique<Instr>(Op::kPhi, std::vector<Value*>{}, type, variable));
}

void SsaBuilder::ReplacePhi(Instr* phi, Value* value) {
  function_.ReplaceAllUses(phi, value);
  for (auto& [variable, defs] : current_def_) {
    for (auto& [block, def] : defs) {
      if (def == phi) def = value;
    }
  }
  phi->parent()->Erase(phi);
}

// ------------------------------------------------------------ Algorithms 1 and 2

void SsaBuilder::WriteVariable(const std::string& variable, Block* block, Value* value) {
  // TODO(lab02.t4): remember `value` as the variable's definition at the end of `block`
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "remember `value` as the variable's definition at the end of `block`",
                       "lab02_ir_ssa/README.md §4.4");
}

// The value of `variable` at the current end of `block` (build_ssa.h).
Value* SsaBuilder::ReadVariable(const std::string& variable, const Type& type, Block* block) {
  // TODO(lab02.t4): the block's own definition if it has one, else ReadVariableRecursive
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "the block's own definition if it has one, else ReadVariableRecursive",
                       "lab02_ir_ssa/README.md §4.4");
}

// The value of `variable` at the end of `block` when the block itself has no
// definition of it: it comes from the predecessors, which may not all be known
// yet (an unsealed block) and may lead around a loop back to `block`. The value
// found is recorded as the block's definition, so that the next read here finds
// it; the function returns what current_def_ holds for the block when it is done.
Value* SsaBuilder::ReadVariableRecursive(const std::string& variable, const Type& type,
                                         Block* block) {
  // TODO(lab02.t4): find the value from the predecessors; record it for `block`
  TESSEL_UNIMPLEMENTED("lab02.t4", "find the value from the predecessors; record it for `block`",
                       "lab02_ir_ssa/README.md §4.4");
}

// Gives `phi` one operand per predecessor of its block, in Function::Predecessors
// order, with phi->blocks() naming the predecessor of each operand. Returns the
// phi, or the value that replaced it if it turned out trivial.
Value* SsaBuilder::AddPhiOperands(const std::string& variable, Instr* phi) {
  // TODO(lab02.t4): one operand per predecessor, then see whether the phi is trivial
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "one operand per predecessor, then see whether the phi is trivial",
                       "lab02_ir_ssa/README.md §4.4");
}

// ------------------------------------------------------------ Algorithm 3

// A phi is trivial when its operands are one value v, any number of times, and
// perhaps the phi itself: then every use of it becomes a use of v and it is
// erased (ReplacePhi), which can change other phis. A phi with no operand but
// itself means a read where no assignment reaches: an internal error
// (TESSEL_CHECK). Returns the phi, or the value that replaced it.
Value* SsaBuilder::TryRemoveTrivialPhi(Instr* phi) {
  // TODO(lab02.t4): a trivial phi is replaced by its one value; mind what that changes
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "a trivial phi is replaced by its one value; mind what that changes",
                       "lab02_ir_ssa/README.md §4.4");
}

// ------------------------------------------------------------ Algorithm 4

// Gives every incomplete phi of `block` its operands (AddPhiOperands), now that
// the predecessors are known, and marks the block sealed. Sealing a block twice
// is a bug in the lowering (TESSEL_CHECK).
void SsaBuilder::SealBlock(Block* block) {
  // TODO(lab02.t4): complete the block's incomplete phis (AddPhiOperands), mark it sealed
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "complete the block's incomplete phis (AddPhiOperands), mark it sealed",
                       "lab02_ir_ssa/README.md §4.4");
}

}  // namespace tessel::ir
