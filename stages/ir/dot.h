// Graphviz DOT output of a function: `tessel run --emit ir --dot`, and the
// pictures in lab02's handout (render with `dot -Tsvg`).
#pragma once

#include <string>

#include "stages/ir/ir.h"

namespace tessel::ir {

/// The control-flow graph: one node per block listing its instructions,
/// edges labelled true/false for cond_br.
std::string CfgToDot(const Function& function);
/// The dataflow graph: one node per argument and instruction, an edge from
/// each operand to its user; blocks drawn as clusters.
std::string DataflowToDot(const Function& function);
/// The kernel form's dataflow (`tessel run -O2 --emit opt --dot=kernels`): one cluster per
/// kernel call of `entry`, labelled with the kernel, its pattern and its placement, holding
/// the kernel's ops; edges from each value to its users across kernels. Entry values that
/// are not kernel calls (arguments, constants) are plain nodes outside the clusters.
std::string KernelsToDot(const Module& module, const Function& entry);

}  // namespace tessel::ir
