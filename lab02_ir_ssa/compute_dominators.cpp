// Dominator trees and dominance frontiers (lab02, task t6): ComputeDominatorTree
// and ComputeDominanceFrontiers of stages/ir/compute_dominators.h.
//
// Pipeline: analyses of the SSA IR; lab03's GVN walks the dominator tree, and
// phi placement in the style of Cytron et al. (1991) uses the frontiers.
//
// The algorithms are Cooper, Harvey and Kennedy, "A Simple, Fast Dominance
// Algorithm" (2001):
//   1) number the reachable blocks in postorder by a depth-first search from
//      the entry (the entry gets the highest number);
//   2) idom(entry) = entry; then, until nothing changes, visit the other blocks
//      in reverse postorder and set idom(b) to the common dominator of its
//      already-processed predecessors, found by walking two "fingers" up the
//      tree being built (Intersect);
//   3) dominance frontiers: from each predecessor p of a join block b, "run" up
//      the tree until idom(b); every block passed has b in its frontier.
// The verifier's ComputeDominatorSets (verifier.h) is the plain oracle the tests
// compare against.
#include "stages/ir/compute_dominators.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "stages/common/not_implemented.h"

namespace tessel::ir {

namespace {

// The reachable blocks numbered for steps 1 and 2: a block's number is its
// position in postorder, so the entry has the highest number.
struct NumberedCfg {
  std::vector<const Block*> postorder;           // postorder[k]: the block numbered k
  std::unordered_map<const Block*, int> number;  // the inverse of postorder
  std::vector<std::vector<int>> preds;           // preds[k]: numbers of k's predecessors
};

// "Not computed yet" in the idom array of step 2.
constexpr int kUndefined = -1;

// Step 1: the blocks reachable from `entry` in postorder of a depth-first
// search that visits successors in terminator order: a block comes after
// every block the search reached through it. The search keeps its own stack,
// so a chain of 100000 blocks cannot overflow the call stack.
std::vector<const Block*> Postorder(const Block* entry) {
  // TODO(lab02.t6): iterative DFS with a stack of (block, next successor); emit on exit
  TESSEL_UNIMPLEMENTED("lab02.t6",
                       "iterative DFS with a stack of (block, next successor); emit on exit",
                       "lab02_ir_ssa/README.md §4.6");
}

// Numbers the blocks reachable from the entry and lists each one's
// predecessors by number (unreachable predecessors are left out).
NumberedCfg NumberBlocks(const Function& function) {
  NumberedCfg cfg;
  cfg.postorder = Postorder(function.entry());
  for (size_t k = 0; k < cfg.postorder.size(); ++k) {
    cfg.number[cfg.postorder[k]] = static_cast<int>(k);
  }
  cfg.preds.resize(cfg.postorder.size());
  for (const Block* block : cfg.postorder) {
    for (const Block* succ : block->successors()) {
      cfg.preds[cfg.number.at(succ)].push_back(cfg.number.at(block));
    }
  }
  return cfg;
}

// The nearest common ancestor of blocks b1 and b2 (by number) in the tree that
// `doms` describes so far. A block's idom has a higher postorder number, so
// the finger with the lower number moves up until the two meet.
int Intersect(int b1, int b2, const std::vector<int>& doms) {
  // TODO(lab02.t6): two fingers: move the one with the smaller number up doms until equal
  TESSEL_UNIMPLEMENTED("lab02.t6",
                       "two fingers: move the one with the smaller number up doms until equal",
                       "lab02_ir_ssa/README.md §4.6");
}

// Step 2: doms[k] is the number of block k's immediate dominator, and
// doms[entry] = entry. Reverse postorder sees a block's DFS parent before the
// block, so every block has a processed predecessor when it is visited.
std::vector<int> ComputeIdoms(const NumberedCfg& cfg) {
  const int entry = static_cast<int>(cfg.postorder.size()) - 1;
  std::vector<int> doms(cfg.postorder.size(), kUndefined);
  doms[entry] = entry;
  // TODO(lab02.t6): until no change: for b in reverse postorder, intersect processed preds
  TESSEL_UNIMPLEMENTED("lab02.t6",
                       "until no change: for b in reverse postorder, intersect processed preds",
                       "lab02_ir_ssa/README.md §4.6");
  return doms;
}

// The immediate dominator of `block`, or null for the entry (the root).
const Block* IdomOrNull(const DominatorTree& tree, const Block* block) {
  auto it = tree.idom.find(block);
  return it == tree.idom.end() ? nullptr : it->second;
}

// The reachable predecessors of every reachable block.
std::map<const Block*, std::vector<const Block*>> ReachablePredecessors(const DominatorTree& tree) {
  std::map<const Block*, std::vector<const Block*>> preds;
  for (const Block* block : tree.rpo) {
    for (const Block* succ : block->successors()) {
      std::vector<const Block*>& list = preds[succ];
      if (std::find(list.begin(), list.end(), block) == list.end()) list.push_back(block);
    }
  }
  return preds;
}

}  // namespace

DominatorTree ComputeDominatorTree(const Function& function) {
  DominatorTree tree;
  if (function.entry() == nullptr) return tree;
  NumberedCfg cfg = NumberBlocks(function);
  std::vector<int> doms = ComputeIdoms(cfg);
  tree.rpo.assign(cfg.postorder.rbegin(), cfg.postorder.rend());
  for (size_t k = 0; k + 1 < cfg.postorder.size(); ++k) {
    tree.idom[cfg.postorder[k]] = cfg.postorder[doms[k]];
  }
  return tree;
}

// Step 3, the runner walk: for every join block b (two or more reachable
// predecessors) and each of its predecessors p, a runner starts at p and climbs
// the tree (IdomOrNull) until it reaches idom(b); b joins the frontier of every
// block it passes, which dominates p but not b. The tree already lists every
// reachable block, so `function` itself is not needed.
std::map<const Block*, std::set<const Block*>> ComputeDominanceFrontiers(
    const Function& /*function*/, const DominatorTree& tree) {
  std::map<const Block*, std::set<const Block*>> frontiers;
  for (const Block* block : tree.rpo) frontiers[block];  // every reachable block, maybe empty
  std::map<const Block*, std::vector<const Block*>> preds = ReachablePredecessors(tree);
  // TODO(lab02.t6): for each join block b, run up from each pred to idom(b), adding b
  TESSEL_UNIMPLEMENTED("lab02.t6",
                       "for each join block b, run up from each pred to idom(b), adding b",
                       "lab02_ir_ssa/README.md §4.6");
  return frontiers;
}

}  // namespace tessel::ir
