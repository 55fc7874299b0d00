// The IR verifier: checks every invariant the other stages rely on. It depends
// on no lab code; its dominance check uses the plain iterative fixpoint over
// block sets, which is also the oracle for lab02's dominator tree.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "stages/ir/ir.h"

namespace tessel::ir {

/// Checks `module`. Appends one message per problem to *errors, each starting
/// with "@function: " and the block or value it concerns, and returns true
/// when there is none. Checks: every block ends in exactly one terminator and
/// has no other; branch targets belong to the function; phis come first in
/// their block, have one operand per predecessor with matching blocks;
/// operand counts and types follow type_rules.h (the declared result type must
/// equal the inferred one); ret returns the function's result type; calls name
/// a function of the module with matching argument and result types; every
/// use is dominated by its definition (a phi's use by the end of its incoming
/// block); every value is defined once; the entry block has no predecessors.
bool VerifyModule(const Module& module, std::vector<std::string>* errors);
bool VerifyFunction(const Function& function, const Module* module,
                    std::vector<std::string>* errors);

/// One problem, with what it concerns (block and instr may be null), so that a caller that
/// knows where the IR was written (parser.h's TextPositions) can locate it.
struct VerifierProblem {
  const Function* function = nullptr;
  const Block* block = nullptr;
  const Instr* instr = nullptr;
  std::string message;  // as VerifyModule words it, "@f: block 'b': %v: ..."
};
/// VerifyModule's problems with what each concerns; empty when `module` verifies.
std::vector<VerifierProblem> FindVerifierProblems(const Module& module);

/// Dom(b) for every block reachable from the entry, by the textbook fixpoint:
/// Dom(entry) = {entry}; Dom(b) = {b} ∪ ⋂ Dom(p) over predecessors p. Unreachable
/// blocks are absent. Quadratic, and obviously correct.
std::map<const Block*, std::set<const Block*>> ComputeDominatorSets(const Function& function);

}  // namespace tessel::ir
