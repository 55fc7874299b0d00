// SSA construction for mutable variables (lab02, task t4), after Braun et al.,
// "Simple and Efficient Construction of Static Single Assignment Form" (CC 2013).
//
// The lowering (lab02, t5) walks the source once, creating blocks as it goes.
// Instead of IR values it has variables (`var h = ...; h = h + z;`): each
// assignment calls WriteVariable, each use calls ReadVariable, and the builder
// finds the value that reaches that point, placing phi instructions where
// control-flow paths with different values meet. A block is *sealed* once all
// its predecessors are known (a loop header only after the loop body's back
// edge is added); reads in an unsealed block create *incomplete* phis that
// SealBlock completes. Phis that turn out trivial (every operand is the phi
// itself or one other value) are removed, so the result is minimal for
// reducible control flow and contains no dead trivial phis.
//
// The class is declared here, in stages/, because the lowering and the tests
// use it; its methods are lab02's: lab02_ir_ssa/build_ssa.cpp (the learner's)
// or solutions/lab02_ir_ssa/build_ssa.cpp (the reference).
#pragma once

#include <map>
#include <set>
#include <string>

#include "stages/ir/ir.h"

namespace tessel::ir {

class SsaBuilder {
 public:
  explicit SsaBuilder(Function& function) : function_(function) {}

  /// Records that `variable` holds `value` at the current end of `block`.
  void WriteVariable(const std::string& variable, Block* block, Value* value);

  /// The value of `variable` at the current end of `block`, placing phis of
  /// type `type` where definitions from several predecessors meet. Every path
  /// from the entry to `block` must define the variable (the semantic checks
  /// guarantee it for Tessel programs); reading it where one does not is an
  /// internal error.
  Value* ReadVariable(const std::string& variable, const Type& type, Block* block);

  /// Declares that every predecessor of `block` is now known, and completes
  /// the incomplete phis that reads in `block` created. Seal each block once.
  void SealBlock(Block* block);

  bool IsSealed(const Block* block) const { return sealed_.count(block) > 0; }

 private:
  // Braun et al., Algorithms 2 and 3 (the names follow the paper).
  Value* ReadVariableRecursive(const std::string& variable, const Type& type, Block* block);
  Value* AddPhiOperands(const std::string& variable, Instr* phi);
  Value* TryRemoveTrivialPhi(Instr* phi);
  // Given: a new empty phi of `type` at the start of `block` (after its phis), named after
  // `variable` so the printed IR reads %x, %x.1, ...
  Instr* NewPhi(const std::string& variable, const Type& type, Block* block);
  // Given: replaces every use of `phi` by `value` (operands and current_def_) and erases it.
  void ReplacePhi(Instr* phi, Value* value);

  Function& function_;
  // current_def_[variable][block]: the variable's value at the end of the block so far.
  std::map<std::string, std::map<const Block*, Value*>> current_def_;
  std::set<const Block*> sealed_;
  // incomplete_phis_[block][variable]: phis placed in a block before it was sealed.
  std::map<const Block*, std::map<std::string, Instr*>> incomplete_phis_;
};

}  // namespace tessel::ir
