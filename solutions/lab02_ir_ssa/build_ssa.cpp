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
  // BEGIN SOLUTION lab02.t4: remember `value` as the variable's definition at the end of `block`
  current_def_[variable][block] = value;
  // END SOLUTION
}

// The value of `variable` at the current end of `block` (build_ssa.h).
Value* SsaBuilder::ReadVariable(const std::string& variable, const Type& type, Block* block) {
  // BEGIN SOLUTION lab02.t4: the block's own definition if it has one, else ReadVariableRecursive
  auto defs = current_def_.find(variable);
  if (defs != current_def_.end()) {
    auto def = defs->second.find(block);
    if (def != defs->second.end()) return def->second;
  }
  return ReadVariableRecursive(variable, type, block);
  // END SOLUTION
}

// The value of `variable` at the end of `block` when the block itself has no
// definition of it: it comes from the predecessors, which may not all be known
// yet (an unsealed block) and may lead around a loop back to `block`. The value
// found is recorded as the block's definition, so that the next read here finds
// it; the function returns what current_def_ holds for the block when it is done.
Value* SsaBuilder::ReadVariableRecursive(const std::string& variable, const Type& type,
                                         Block* block) {
  // BEGIN SOLUTION lab02.t4: find the value from the predecessors; record it for `block`
  if (!IsSealed(block)) {
    // Algorithm 4: not every predecessor is known yet; SealBlock completes the phi.
    Instr* phi = NewPhi(variable, type, block);
    incomplete_phis_[block][variable] = phi;
    WriteVariable(variable, block, phi);
  } else if (std::vector<Block*> preds = function_.Predecessors(block); preds.size() == 1) {
    // One predecessor: no phi needed.
    WriteVariable(variable, block, ReadVariable(variable, type, preds.front()));
  } else {
    // Recorded before the predecessors are asked, so a read around a loop stops here.
    Instr* phi = NewPhi(variable, type, block);
    WriteVariable(variable, block, phi);
    AddPhiOperands(variable, phi);
  }
  // Not `phi` or AddPhiOperands' result: a cascade of trivial phis may have removed either.
  return current_def_.at(variable).at(block);
  // END SOLUTION
}

// Gives `phi` one operand per predecessor of its block, in Function::Predecessors
// order, with phi->blocks() naming the predecessor of each operand. Returns the
// phi, or the value that replaced it if it turned out trivial.
Value* SsaBuilder::AddPhiOperands(const std::string& variable, Instr* phi) {
  // BEGIN SOLUTION lab02.t4: one operand per predecessor, then see whether the phi is trivial
  for (Block* pred : function_.Predecessors(phi->parent())) {
    phi->add_operand(ReadVariable(variable, phi->type(), pred));
    phi->blocks().push_back(pred);
  }
  return TryRemoveTrivialPhi(phi);
  // END SOLUTION
}

// ------------------------------------------------------------ Algorithm 3

// A phi is trivial when its operands are one value v, any number of times, and
// perhaps the phi itself: then every use of it becomes a use of v and it is
// erased (ReplacePhi), which can change other phis. A phi with no operand but
// itself means a read where no assignment reaches: an internal error
// (TESSEL_CHECK). Returns the phi, or the value that replaced it.
Value* SsaBuilder::TryRemoveTrivialPhi(Instr* phi) {
  // BEGIN SOLUTION lab02.t4: a trivial phi is replaced by its one value; mind what that changes
  Value* same = nullptr;
  for (Value* operand : phi->operands()) {
    if (operand == same || operand == phi) continue;  // the unique value or a self-reference
    if (same != nullptr) return phi;                  // merges at least two values
    same = operand;
  }
  TESSEL_CHECK(same != nullptr, "phi in block '" + phi->parent()->label() +
                                    "' has no operand but itself: a variable is read where "
                                    "no assignment reaches");
  std::vector<Instr*> users = PhiUsers(function_, phi);  // before they start using `same`
  ReplacePhi(phi, same);
  for (Instr* user : users) {
    if (StillInFunction(function_, user)) TryRemoveTrivialPhi(user);
  }
  return same;
  // END SOLUTION
}

// ------------------------------------------------------------ Algorithm 4

// Gives every incomplete phi of `block` its operands (AddPhiOperands), now that
// the predecessors are known, and marks the block sealed. Sealing a block twice
// is a bug in the lowering (TESSEL_CHECK).
void SsaBuilder::SealBlock(Block* block) {
  // BEGIN SOLUTION lab02.t4: complete the block's incomplete phis (AddPhiOperands), mark it sealed
  TESSEL_CHECK(!IsSealed(block), "block '" + block->label() + "' sealed twice");
  auto incomplete = incomplete_phis_.find(block);
  if (incomplete != incomplete_phis_.end()) {
    std::map<std::string, Instr*> phis = std::move(incomplete->second);
    incomplete_phis_.erase(incomplete);
    for (const auto& [variable, phi] : phis) AddPhiOperands(variable, phi);
  }
  sealed_.insert(block);
  // END SOLUTION
}

}  // namespace tessel::ir
