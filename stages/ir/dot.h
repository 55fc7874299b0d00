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

}  // namespace tessel::ir
