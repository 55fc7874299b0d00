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
  // BEGIN SOLUTION lab03.t5: ops.def's pattern, or a comprehension's from its reduction and reads
  if (instr.op() != ir::Op::kComprehension) return ir::OpPatternOf(instr.op());
  const ir::Comprehension& c = *instr.attrs().comprehension;
  if (c.reduce_kind != ir::ReduceKind::kAssign) {
    return ReadPattern(*c.body, instr, OpPattern::kElementwise) == OpPattern::kOpaque
               ? OpPattern::kOpaque
               : OpPattern::kOutFusable;
  }
  return ReadPattern(*c.body, instr, OpPattern::kElementwise);
  // END SOLUTION
}

std::vector<int> ComputePostDominators(const ir::Block& block) {
  const auto& instrs = block.instrs();
  int n = static_cast<int>(instrs.size());
  std::vector<int> ipdom(n, -1);
  // BEGIN SOLUTION lab03.t5: in reverse order, ipdom(i) = the nearest common ancestor of i's users
  std::unordered_map<const ir::Value*, int> position;
  for (int i = 0; i < n; ++i) position[instrs[i].get()] = i;
  std::vector<std::vector<int>> users(n);
  for (int i = 0; i < n; ++i) {
    for (const ir::Value* operand : instrs[i]->operands()) {
      auto it = position.find(operand);
      if (it != position.end()) users[it->second].push_back(i);
    }
  }
  std::vector<int> depth(n, 0);
  auto lca = [&](int a, int b) {
    while (a != b && a >= 0 && b >= 0) {
      if (depth[a] < depth[b]) std::swap(a, b);
      a = ipdom[a];
    }
    return a == b ? a : -1;
  };
  for (int i = n - 1; i >= 0; --i) {
    if (users[i].empty()) continue;  // the terminator, or a dead value: a root
    int dom = users[i].front();
    for (int u : users[i]) dom = lca(dom, u);
    ipdom[i] = dom;
    depth[i] = dom >= 0 ? depth[dom] + 1 : 0;
  }
  // END SOLUTION
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
  // BEGIN SOLUTION lab03.t5: TVM's two phases: fuse each op's group into its post-dominator's
  // The ops on the paths from src to sink (sink included), if each one's group satisfies
  // `ok(pattern, is_sink)`; nullopt otherwise.
  auto path = [&](int src, int sink, const std::function<bool(OpPattern, bool)>& ok)
      -> std::optional<std::set<int>> {
    std::set<int> seen;
    std::vector<int> work{src};
    while (!work.empty()) {
      int node = work.back();
      work.pop_back();
      for (int u : users[node]) {
        if (!seen.insert(u).second) continue;
        if (!ok(groups.pattern(u), u == sink)) return std::nullopt;
        if (u != sink) work.push_back(u);
      }
    }
    return seen;
  };
  for (int phase = 0; phase < 2; ++phase) {
    for (int i = 0; i < n; ++i) {
      OpPattern pattern = groups.pattern(i);
      int sink = ipdom[i];
      if (pattern == OpPattern::kOpaque || sink < 0 || ir::IsTerminator(instrs[sink]->op()) ||
          groups.Find(sink) == groups.Find(i)) {
        continue;
      }
      std::optional<std::set<int>> nodes;
      if (pattern == OpPattern::kOutFusable) {
        if (phase != 0) continue;
        nodes = path(i, sink, [](OpPattern p, bool) { return p <= OpPattern::kBroadcast; });
      } else if (pattern <= OpPattern::kBroadcast) {
        // TVM's precondition: the relation to the post-dominator -- the sink's own op, the edge
        // that enters it -- is at most injective or a reduction. An elementwise op never
        // becomes a matmul's or a convolution's prologue, which would recompute it for every
        // output that reads it; the sink may still belong to an out-fusable group (an epilogue).
        if (patterns[sink] > OpPattern::kInjective && patterns[sink] != OpPattern::kReduction) {
          continue;
        }
        nodes = path(i, sink, [](OpPattern p, bool is_sink) {
          if (!is_sink) return p <= OpPattern::kInjective;
          return p <= OpPattern::kReduction || p == OpPattern::kOutFusable;
        });
      } else if (pattern == OpPattern::kInjective) {
        if (phase != 1) continue;
        nodes = path(i, sink, [](OpPattern p, bool) { return p <= OpPattern::kInjective; });
      }
      if (!nodes) continue;
      std::set<int> merged{groups.Find(i)};
      for (int node : *nodes) merged.insert(groups.Find(node));
      int size = 0;
      for (int root : merged) size += groups.size(root);
      if (size > options.max_group_size) continue;
      for (int node : *nodes) groups.Merge(node, sink);
      groups.Merge(i, sink);
    }
  }
  // END SOLUTION
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
