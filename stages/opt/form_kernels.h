// Outlining fused groups into kernel functions: the mechanical half of fusion (stage 3).
//
// lab03's PartitionIntoGroups decides which ops go together; FormKernels rewrites the entry
// into the kernel form (docs/ir.md §14): each group becomes a kernel function
//
//   kernel @fused_matmul_add_relu(%a: f32[4, 784], %b: f32[784, 64], %c: f32[64]) -> f32[4, 64]
//       {pattern = out_fusable, anchor = matmul} {
//
// holding copies of its ops, and the entry calls it where the group's root was. A group's
// parameters are the values its ops use from outside it, in order of first use; constants are
// copied into each kernel that uses them instead of being passed.
#pragma once

#include <functional>
#include <vector>

#include "stages/ir/ir.h"

namespace tessel::opt {

/// Rewrites `entry` (one block, no calls) given the group of every instruction (the position
/// of its group's root, as PartitionIntoGroups returns) and the pattern of every op. Every
/// member of a group must be used only inside it, except the root. Constants and the
/// terminator stay in the entry (a constant nothing else uses afterwards is removed).
/// Returns the number of kernels formed.
int FormKernels(ir::Module& module, ir::Function& entry, const std::vector<int>& groups,
                const std::function<ir::OpPattern(const ir::Instr&)>& pattern_of);

}  // namespace tessel::opt
