// The given parts of the dominator tree: queries over a computed tree. The
// tree itself is lab02's (ComputeDominatorTree in compute_dominators.cpp).
#include "stages/common/check.h"
#include "stages/ir/compute_dominators.h"

namespace tessel::ir {

bool DominatorTree::Dominates(const Block* a, const Block* b) const {
  TESSEL_CHECK(Reachable(a) && Reachable(b), "dominance asked of an unreachable block");
  // Walk up from b: a dominates b iff a is on b's path to the root.
  for (const Block* x = b;; x = idom.at(x)) {
    if (x == a) return true;
    if (x == rpo.front()) return false;
  }
}

std::vector<const Block*> DominatorTree::Children(const Block* block) const {
  std::vector<const Block*> children;
  for (const Block* b : rpo) {
    auto it = idom.find(b);
    if (it != idom.end() && it->second == block) children.push_back(b);
  }
  return children;
}

}  // namespace tessel::ir
