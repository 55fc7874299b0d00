// Dominator trees and dominance frontiers (lab02, task t6).
//
// Block a dominates block b when every path from the entry to b passes
// through a. The dominator tree links each block to its immediate dominator
// (idom), the closest strict dominator. lab02 computes it with Cooper, Harvey
// and Kennedy's iterative algorithm ("A Simple, Fast Dominance Algorithm",
// 2001) and the dominance frontiers with their "runner" walk; the verifier's
// plain fixpoint (verifier.h, ComputeDominatorSets) is the oracle the tests
// compare against. Later stages will use both: lab03's global value numbering
// (planned) will walk the dominator tree, and Cytron et al.'s phi placement
// uses the frontiers.
//
// Declared here in stages/; ComputeDominatorTree and ComputeDominanceFrontiers
// are lab02's: lab02_ir_ssa/compute_dominators.cpp or its solution.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "stages/ir/ir.h"

namespace tessel::ir {

struct DominatorTree {
  /// Blocks reachable from the entry, in reverse postorder of a depth-first
  /// search that visits successors in terminator order. rpo[0] is the entry.
  std::vector<const Block*> rpo;
  /// The immediate dominator of every reachable block except the entry.
  std::map<const Block*, const Block*> idom;

  /// True if `a` dominates `b` (every block dominates itself). Both must be reachable.
  bool Dominates(const Block* a, const Block* b) const;
  /// The blocks whose immediate dominator is `block`, in reverse postorder.
  std::vector<const Block*> Children(const Block* block) const;
  /// True if `block` is reachable from the entry.
  bool Reachable(const Block* block) const { return block == rpo.front() || idom.count(block); }
};

/// The dominator tree of `function` by Cooper, Harvey and Kennedy's algorithm.
DominatorTree ComputeDominatorTree(const Function& function);

/// DF(b) for every reachable block: the blocks where b's dominance ends, i.e.
/// the blocks y with a predecessor dominated by b while b does not strictly
/// dominate y. Unreachable predecessors are ignored.
std::map<const Block*, std::set<const Block*>> ComputeDominanceFrontiers(const Function& function,
                                                                         const DominatorTree& tree);

}  // namespace tessel::ir
