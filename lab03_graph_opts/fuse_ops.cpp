// Operator fusion (lab03, task t5): ComputePostDominators, PatternOf, PartitionIntoGroups and
// FuseOps of stages/opt/passes.h.
//
// Requires: the entry is one block without calls or phis (inline, unroll, simplify-cfg).
// Preserves: results, exactly (a kernel computes the same ops in the same order).
// Gives: the kernel form's entry (docs/ir.md §14): a call of a kernel function for each group,
//        constants, and the `ret`.
//
// TVM's FuseOps (Chen et al., OSDI'18 §3; src/relay/transforms/fuse_ops.cc): build the
// post-dominator tree of the dataflow graph; then, for each op in order, try to fuse it (its
// whole group) into its immediate post-dominator, which every path from it passes through,
// when the patterns of the ops on those paths allow it:
//   out-fusable (matmul, reduction comprehensions) + elementwise epilogue, first phase only;
//   elementwise/broadcast into a post-dominator whose own op is at most injective or a
//   reduction (never a matmul's prologue), even when that op is in an out-fusable group;
//   injective into injective, second phase only (so that the first phase's epilogues win).
// A group never exceeds FusionOptions::max_group_size ops. lab03_graph_opts/README.md §3.5.
#include <algorithm>
#include <functional>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/opt/form_kernels.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

using ir::OpPattern;

namespace {

// The pattern a comprehension's reads give: elementwise when every read is at the output's
// own index, broadcast when reads drop or repeat dimensions but use plain indices in order,
// injective for any other affine subscript, opaque when a subscript reads memory.
bool SubscriptReadsMemory(const ir::ScalarExpr& e) {
  if (e.kind == ir::ScalarExpr::Kind::kRead) return true;
  for (const auto& arg : e.args) {
    if (SubscriptReadsMemory(*arg)) return true;
  }
  return false;
}

OpPattern ReadPattern(const ir::ScalarExpr& e, const ir::Instr& instr, OpPattern so_far) {
  if (e.kind == ir::ScalarExpr::Kind::kRead) {
    const ir::Type& type = instr.operand(e.index)->type();
    bool same_point = type.shape == instr.type().shape;
    int last = -1;
    bool plain_in_order = true;
    for (size_t d = 0; d < e.args.size(); ++d) {
      const ir::ScalarExpr& s = *e.args[d];
      if (SubscriptReadsMemory(s)) return OpPattern::kOpaque;
      bool plain = s.kind == ir::ScalarExpr::Kind::kIndex;
      same_point = same_point && plain && s.index == static_cast<int>(d);
      plain_in_order = plain_in_order && plain && s.index > last;
      if (plain) last = s.index;
    }
    OpPattern read = same_point       ? OpPattern::kElementwise
                     : plain_in_order ? OpPattern::kBroadcast
                                      : OpPattern::kInjective;
    so_far = std::max(so_far, read);
  }
  for (const auto& arg : e.args) {
    if (e.kind == ir::ScalarExpr::Kind::kRead) break;  // subscripts were checked above
    so_far = std::max(so_far, ReadPattern(*arg, instr, so_far));
  }
  return so_far;
}

}  // namespace

OpPattern PatternOf(const ir::Instr& instr) {
  // TODO(lab03.t5): ops.def's pattern, or a comprehension's from its reduction and reads
  TESSEL_UNIMPLEMENTED("lab03.t5",
                       "ops.def's pattern, or a comprehension's from its reduction and reads",
                       "lab03_graph_opts/README.md §3.5");
}

std::vector<int> ComputePostDominators(const ir::Block& block) {
  const auto& instrs = block.instrs();
  int n = static_cast<int>(instrs.size());
  std::vector<int> ipdom(n, -1);
  // TODO(lab03.t5): in reverse order, ipdom(i) = the nearest common ancestor of i's users
  TESSEL_UNIMPLEMENTED("lab03.t5",
                       "in reverse order, ipdom(i) = the nearest common ancestor of i's users",
                       "lab03_graph_opts/README.md §3.5");
  return ipdom;
}

namespace {

// The groups while they grow: a union-find forest whose representative is each group's root
// (its last op), with the group's pattern and size there.
class Groups {
 public:
  explicit Groups(const std::vector<OpPattern>& patterns)
      : parent_(patterns.size()), pattern_(patterns), size_(patterns.size(), 1) {
    for (size_t i = 0; i < parent_.size(); ++i) parent_[i] = static_cast<int>(i);
  }
  int Find(int i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  OpPattern pattern(int i) { return pattern_[Find(i)]; }
  int size(int i) { return size_[Find(i)]; }
  // Merges the group of `from` into the group of `into`, whose root stays the root.
  void Merge(int from, int into) {
    int a = Find(from), b = Find(into);
    if (a == b) return;
    parent_[a] = b;
    pattern_[b] = std::max(pattern_[a], pattern_[b]);
    size_[b] += size_[a];
  }

 private:
  std::vector<int> parent_;
  std::vector<OpPattern> pattern_;
  std::vector<int> size_;
};

}  // namespace

std::vector<int> PartitionIntoGroups(const ir::Block& block, const FusionOptions& options) {
  const auto& instrs = block.instrs();
  int n = static_cast<int>(instrs.size());
  std::vector<OpPattern> patterns;
  for (const auto& instr : instrs) {
    bool alone = instr->op() == ir::Op::kConstant || ir::IsTerminator(instr->op());
    patterns.push_back(alone ? OpPattern::kOpaque : PatternOf(*instr));
  }
  std::vector<int> ipdom = ComputePostDominators(block);
  std::unordered_map<const ir::Value*, int> position;
  for (int i = 0; i < n; ++i) position[instrs[i].get()] = i;
  std::vector<std::vector<int>> users(n);
  for (int i = 0; i < n; ++i) {
    for (const ir::Value* operand : instrs[i]->operands()) {
      auto it = position.find(operand);
      if (it != position.end()) users[it->second].push_back(i);
    }
  }
  Groups groups(patterns);
  // TODO(lab03.t5): TVM's two phases: fuse each op's group into its post-dominator's
  TESSEL_UNIMPLEMENTED("lab03.t5",
                       "TVM's two phases: fuse each op's group into its post-dominator's",
                       "lab03_graph_opts/README.md §3.5");
  std::vector<int> result(n);
  for (int i = 0; i < n; ++i) result[i] = groups.Find(i);
  return result;
}

void FuseOps(ir::Module& module, PassContext& context) {
  ir::Function* entry = module.FindFunction(context.entry);
  if (entry == nullptr || entry->blocks().size() != 1) {
    context.stats.Add("skipped: entry is not one block");
    return;
  }
  for (const auto& instr : entry->entry()->instrs()) {
    if (instr->op() == ir::Op::kCall || instr->op() == ir::Op::kPhi) {
      context.stats.Add("skipped: entry has calls");
      return;
    }
  }
  std::vector<int> groups = PartitionIntoGroups(*entry->entry(), context.fusion);
  int64_t ops = 0;
  for (const auto& instr : entry->entry()->instrs()) {
    ops += instr->op() != ir::Op::kConstant && !ir::IsTerminator(instr->op());
  }
  int formed = FormKernels(module, *entry, groups, PatternOf);
  context.stats.Add("kernels formed", formed);
  context.stats.Add("ops fused", ops - formed);
}

}  // namespace tessel::opt
