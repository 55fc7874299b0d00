// SSA construction for mutable variables (lab02, task t4): the methods of
// SsaBuilder (stages/ir/build_ssa.h).
//
// Pipeline: the lowering (lab02) walks the syntax tree once; where the source
// assigns or reads a `var`, it calls WriteVariable and ReadVariable here, and
// this file places the phis. The result is the SSA IR every later stage reads.
//
// The algorithm is Braun, Buchwald, Hack, Leißa, Mallon and Zwinkau, "Simple
// and Efficient Construction of Static Single Assignment Form" (CC 2013):
//   Algorithm 1  local value numbering: a read finds the block's own value
//                (WriteVariable, ReadVariable)
//   Algorithm 2  global value numbering: otherwise the predecessors are asked,
//                with a phi where several meet (ReadVariableRecursive, AddPhiOperands)
//   Algorithm 3  trivial phis (every operand is the phi itself or one value v)
//                are replaced by v, which may make their users trivial in turn
//   Algorithm 4  incomplete CFGs: a block whose predecessors are not all known
//                yet gets an *incomplete* phi, completed by SealBlock
// No dominator tree and no liveness are needed, and for reducible control flow
// the result is minimal.
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

// True while `phi` is still one of the function's instructions. Removing one
// trivial phi can remove others recursively, so a list of phis taken before
// the removal may name phis that are gone; only the address is compared.
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
  // TODO(lab02.t4): remember `value` as the variable's current definition in `block`
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "remember `value` as the variable's current definition in `block`",
                       "lab02_ir_ssa/README.md §4.4");
}

// Local value numbering: a definition earlier in the block itself wins.
Value* SsaBuilder::ReadVariable(const std::string& variable, const Type& type, Block* block) {
  // TODO(lab02.t4): the block's own definition if it has one, else ReadVariableRecursive
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "the block's own definition if it has one, else ReadVariableRecursive",
                       "lab02_ir_ssa/README.md §4.4");
}

// Global value numbering: the value comes from the predecessors.
//   block not sealed   an incomplete phi, remembered in incomplete_phis_
//   one predecessor    the value at the end of that predecessor; no phi
//   otherwise          a phi, recorded as the block's definition *before*
//                      AddPhiOperands reads the predecessors, so that a read
//                      coming back around a loop stops at it
// The value is recorded as the block's definition, so the next read here finds
// it. Return the recorded definition, not the phi you made: AddPhiOperands may
// have removed it as trivial, and ReplacePhi keeps current_def_ up to date.
Value* SsaBuilder::ReadVariableRecursive(const std::string& variable, const Type& type,
                                         Block* block) {
  // TODO(lab02.t4): unsealed: incomplete phi; one pred: read there; else phi, operands
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "unsealed: incomplete phi; one pred: read there; else phi, operands",
                       "lab02_ir_ssa/README.md §4.4");
}

// Gives `phi` one operand per predecessor of its block, in Function::Predecessors
// order, with phi->blocks() naming the predecessor of each operand.
Value* SsaBuilder::AddPhiOperands(const std::string& variable, Instr* phi) {
  // TODO(lab02.t4): one operand per predecessor (read there), then TryRemoveTrivialPhi
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "one operand per predecessor (read there), then TryRemoveTrivialPhi",
                       "lab02_ir_ssa/README.md §4.4");
}

// ------------------------------------------------------------ Algorithm 3

// A phi is trivial when its operands are only itself and one other value v:
// it is replaced by v (ReplacePhi). Its users that are phis (PhiUsers, taken
// before the replacement) may have become trivial in turn: try each of them
// again, unless an earlier retry has removed it already (StillInFunction). A
// phi with no operand but itself means a read where no assignment reaches: an
// internal error (TESSEL_CHECK). Returns the phi, or the value that replaced it.
Value* SsaBuilder::TryRemoveTrivialPhi(Instr* phi) {
  // TODO(lab02.t4): Algorithm 3: if trivial, ReplacePhi by the one value; retry users
  TESSEL_UNIMPLEMENTED("lab02.t4",
                       "Algorithm 3: if trivial, ReplacePhi by the one value; retry users",
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
