// Dominator trees and dominance frontiers (lab02, task t6): ComputeDominatorTree
// and ComputeDominanceFrontiers of stages/ir/compute_dominators.h.
//
// Pipeline: analyses of the SSA IR. lab03 (planned) will walk the dominator
// tree in its global value numbering; phi placement in the style of Cytron et
// al. (1991) uses the frontiers.
//
// The method is Cooper, Harvey and Kennedy's, "A Simple, Fast Dominance
// Algorithm" (2001): the dominator tree is computed as an array of idoms over
// blocks numbered in postorder, and the frontiers from the tree.
// lab02_ir_ssa/README.md §4.6 explains the ideas and the invariants;
// lab02_ir_ssa/README.md §A.6 has the paper's pseudo-code, for when you are
// stuck. The verifier's ComputeDominatorSets (verifier.h) is the plain oracle
// the tests compare against.
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

// The reachable blocks, numbered: a block's number is its position in
// postorder, so the entry has the highest number.
struct NumberedCfg {
  std::vector<const Block*> postorder;           // postorder[k]: the block numbered k
  std::unordered_map<const Block*, int> number;  // the inverse of postorder
  std::vector<std::vector<int>> preds;           // preds[k]: numbers of k's predecessors
};

// "Not computed yet" in the idom array of step 2.
constexpr int kUndefined = -1;

// The blocks reachable from `entry` in postorder of a depth-first
// search that visits successors in terminator order: a block comes after
// every block the search reached through it. The search keeps its own stack,
// so a chain of 100000 blocks cannot overflow the call stack.
std::vector<const Block*> Postorder(const Block* entry) {
  // BEGIN SOLUTION lab02.t6: the reachable blocks in postorder, by a search without recursion
  struct Frame {
    const Block* block;
    std::vector<Block*> succs;
    size_t next = 0;  // the successor to visit next
  };
  std::vector<const Block*> order;
  std::unordered_set<const Block*> visited = {entry};
  std::vector<Frame> stack = {{entry, entry->successors()}};
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == top.succs.size()) {  // every successor done: the block is finished
      order.push_back(top.block);
      stack.pop_back();
      continue;
    }
    const Block* succ = top.succs[top.next++];
    if (visited.insert(succ).second) stack.push_back({succ, succ->successors()});
  }
  return order;
  // END SOLUTION
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
// `doms` describes so far: doms[k] is the number of k's parent, and the root's
// parent is the root itself.
int Intersect(int b1, int b2, const std::vector<int>& doms) {
  // BEGIN SOLUTION lab02.t6: the nearest common ancestor of b1 and b2 in the tree `doms`
  int finger1 = b1, finger2 = b2;
  while (finger1 != finger2) {
    while (finger1 < finger2) finger1 = doms[finger1];
    while (finger2 < finger1) finger2 = doms[finger2];
  }
  return finger1;
  // END SOLUTION
}

// doms[k] is the number of block k's immediate dominator, doms[entry] = entry,
// and kUndefined marks a block whose idom is not known yet.
std::vector<int> ComputeIdoms(const NumberedCfg& cfg) {
  const int entry = static_cast<int>(cfg.postorder.size()) - 1;
  std::vector<int> doms(cfg.postorder.size(), kUndefined);
  doms[entry] = entry;
  // BEGIN SOLUTION lab02.t6: every other doms[b], from the idoms known so far of b's predecessors
  for (bool changed = true; changed;) {
    changed = false;
    for (int b = entry - 1; b >= 0; --b) {
      int new_idom = kUndefined;
      for (int pred : cfg.preds[b]) {
        if (doms[pred] == kUndefined) continue;  // not processed yet in this first pass
        new_idom = new_idom == kUndefined ? pred : Intersect(pred, new_idom, doms);
      }
      if (doms[b] != new_idom) {
        doms[b] = new_idom;
        changed = true;
      }
    }
  }
  // END SOLUTION
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

// DF(x) for every reachable block x, as compute_dominators.h defines it, from the
// tree and the reachable predecessors of each block (`preds`). The tree already
// lists every reachable block, so `function` itself is not needed.
std::map<const Block*, std::set<const Block*>> ComputeDominanceFrontiers(
    const Function& /*function*/, const DominatorTree& tree) {
  std::map<const Block*, std::set<const Block*>> frontiers;
  for (const Block* block : tree.rpo) frontiers[block];  // every reachable block, maybe empty
  std::map<const Block*, std::vector<const Block*>> preds = ReachablePredecessors(tree);
  // BEGIN SOLUTION lab02.t6: y joins DF(x) when x dominates a pred of y but not strictly y
  // Only a join point (two or more predecessors) is in a frontier: a block with
  // one predecessor p has idom p, so the walk from p would stop at once.
  for (const auto& [block, block_preds] : preds) {
    if (block_preds.size() < 2) continue;
    const Block* stop = IdomOrNull(tree, block);
    for (const Block* runner : block_preds) {
      for (; runner != stop; runner = IdomOrNull(tree, runner)) frontiers[runner].insert(block);
    }
  }
  // END SOLUTION
  return frontiers;
}

}  // namespace tessel::ir
