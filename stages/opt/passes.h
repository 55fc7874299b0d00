// Every graph pass of stage 3, listed once (as TVM's include/tvm/relay/transform.h).
//
// The passes are lab03's: each is one file of lab03_graph_opts/ (or its solution) and says
// at its top what it requires of its input and what it preserves. The pass manager
// (pass_manager.h) runs them by name, verifies the IR after each one, prints it before or
// after any of them, and counts what each did (PassStats). The table of names, descriptions
// and pipelines is in pass_manager.cpp.
//
//   name              task       what it does
//   inline            lab03.t1   replaces every call by a copy of its callee; drops the callees
//   unroll            lab03.t1   fully unrolls loops whose trip count is a compile-time constant
//   simplify-cfg      lab03.t1   folds constant branches, merges blocks, removes trivial phis
//   fold-constants    lab03.t2   evaluates ops whose operands are constants (size-limited)
//   simplify-algebra  lab03.t2   rewrites by exact identities (x * 1 -> x, ...), a rule table
//   dce               lab03.t3   removes values nothing live uses, dead phi cycles included
//   gvn               lab03.t3   global value numbering over the dominator tree (CSE)
//   assign-layouts    lab03.t4   computes ops in the target's preferred layouts (NHWC)
//   fuse-ops          lab03.t5   groups ops into fused kernels (TVM's FuseOps), outlines them
//   plan-memory       lab03.t6   liveness, in-place reuse and best-fit offsets in one arena
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stages/ir/ir.h"

namespace tessel::opt {

/// What a pass counted ("ops removed", "constants folded", "kernels formed", ...): one
/// counter per name, summed over the functions it visited. `tessel run --stats` prints them.
class PassStats {
 public:
  void Add(const std::string& counter, int64_t amount = 1) { counters_[counter] += amount; }
  int64_t Get(const std::string& counter) const {
    auto it = counters_.find(counter);
    return it == counters_.end() ? 0 : it->second;
  }
  const std::map<std::string, int64_t>& counters() const { return counters_; }

 private:
  std::map<std::string, int64_t> counters_;
};

/// The layouts a target prefers (assign-layouts, lab03.t4). A layout is a permutation of a
/// tensor's logical dimensions: NHWC is {0, 2, 3, 1} of an NCHW tensor, as transpose's perm.
struct LayoutTarget {
  /// Rank-4 reduction comprehensions (convolutions, pooling) read and write their rank-4
  /// tensors in this layout; empty: the logical one (no preference).
  std::vector<int64_t> conv_layout;
};
/// A CPU that vectorizes convolutions over channels: NHWC.
LayoutTarget CpuLayoutTarget();

/// What fuse-ops may put in one kernel (lab03.t5).
struct FusionOptions {
  int max_group_size = 64;  // ops in one kernel at most (TVM's max_fuse_depth)
};

/// What every pass gets besides the module.
struct PassContext {
  std::string entry;  // the function the program runs: inline keeps it, fusion forms its kernels
  LayoutTarget layouts = CpuLayoutTarget();
  FusionOptions fusion;
  int64_t max_unrolled_instrs = 20'000;  // unroll leaves a loop that would grow the function past this
  int64_t max_folded_elements = 1024;    // fold-constants leaves larger results to run time
  PassStats stats;
};

// ---------------------------------------------------------------- lab03.t1
/// Replaces each call in the entry (and in what it calls) by the callee's body; removes the
/// functions no longer called. Stats: "calls inlined", "functions removed".
void InlineCalls(ir::Module& module, PassContext& context);
/// Fully unrolls, in every function, each loop in lab02's shape whose trip count is a
/// compile-time constant. Stats: "loops unrolled", "iterations".
void UnrollLoops(ir::Module& module, PassContext& context);
/// Per function: folds branches on constants, removes unreachable blocks, merges a block into
/// its only predecessor, removes trivial phis. Stats: "branches folded", "blocks removed"
/// (unreachable ones), "blocks merged" (into their predecessor), "phis removed".
void SimplifyCfg(ir::Module& module, PassContext& context);

// ---------------------------------------------------------------- lab03.t2
/// Replaces each op whose operands are all constants by its value (the interpreter's
/// EvaluateInstr), when the value has at most context.max_folded_elements elements.
/// Stats: "constants folded", "too large to fold".
void FoldConstants(ir::Module& module, PassContext& context);
/// Applies the identities of the rule table (exact in IEEE arithmetic) until none applies.
/// Stats: one counter per rule that fired, named by its identity ("x * 1 -> x").
void SimplifyAlgebra(ir::Module& module, PassContext& context);

// ---------------------------------------------------------------- lab03.t3
/// Removes every instruction whose result no terminator needs, dead phi cycles included.
/// Stats: "ops removed".
void EliminateDeadCode(ir::Module& module, PassContext& context);
/// Global value numbering: an instruction equal to one that dominates it (same op, operands,
/// attributes and type; commutative operands in either order) is replaced by it.
/// Stats: "values reused".
void NumberValues(ir::Module& module, PassContext& context);

// ---------------------------------------------------------------- lab03.t4
/// Rewrites the entry's rank-4 reduction comprehensions to read and write the target's
/// layout, with transposes (layout conversions) at the edges; moves conversions through
/// elementwise ops and cancels inverse pairs. Stats: "ops converted", "conversions inserted",
/// "conversions cancelled".
void AssignLayouts(ir::Module& module, PassContext& context);

// ---------------------------------------------------------------- lab03.t5
/// The immediate post-dominator of each instruction of `block` in its dataflow graph (an
/// edge from each value to each of its users; the terminator is the exit): -1 where there is
/// none inside the block (the terminator itself). Indices are positions in block.instrs().
std::vector<int> ComputePostDominators(const ir::Block& block);
/// The fusion pattern of one instruction: its op's (ops.def), and for a comprehension the one
/// its body gives (pointwise reads: elementwise, broadcast or injective; a reduction:
/// out-fusable; reads at computed subscripts: opaque).
ir::OpPattern PatternOf(const ir::Instr& instr);
/// TVM's FuseOps partition of a straight-line block: the group of each instruction (a
/// position in block.instrs(); the group's id is its root's position, the op whose result
/// leaves the group). Constants and the terminator are each their own group.
std::vector<int> PartitionIntoGroups(const ir::Block& block, const FusionOptions& options);
/// Partitions the entry (which must be one block without calls) and outlines each group of
/// two or more ops, or one op other than a constant, into a kernel function (FormKernels).
/// Stats: "kernels formed", "ops fused".
void FuseOps(ir::Module& module, PassContext& context);

// ---------------------------------------------------------------- lab03.t6
/// When each value of a straight-line block is live: from its definition to its last use
/// (positions in block.instrs()). Arguments and constants are not planned.
struct LiveInterval {
  const ir::Instr* value = nullptr;
  int def = 0;
  int last_use = 0;
  int64_t bytes = 0;
};
/// One interval per instruction result that is planned: every result but constants and the
/// value the block returns. In definition order.
std::vector<LiveInterval> ComputeLiveness(const ir::Block& block);
/// Gives each intermediate tensor of the entry (kernel form) a placement in arena 0: best-fit
/// offsets aligned to 64 bytes, a result in place of an operand that dies at its definition
/// where the kernel is elementwise and the types match. Stats: "bytes planned" (the arena's
/// size), "bytes unplanned" (the sum of the tensors), "in-place".
void PlanMemory(ir::Module& module, PassContext& context);

}  // namespace tessel::opt
