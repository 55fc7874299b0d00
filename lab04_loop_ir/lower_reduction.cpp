// Reductions as an initialization plus an update (lab04, task t1): IsReduction and
// ReductionAt of stages/loops/lower.h.
//
// A reduction's element is a loop: start from the identity, combine the value at each point
// of the reduced axes. In loop IR that is two stores to the same element, the second inside
// the loops over the reduced axes (TensorIR's block `init` and body, Halide's update
// definition). lab04_loop_ir/README.md §3.1.
#include <limits>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/loops/lower.h"

namespace tessel::loops {

namespace {

using Index = std::vector<ExprPtr>;

// TODO(lab04.t1): the identity and combination of each reduction
// Helpers of your own (identities, combinations, the input index of a reduction) go here.

}  // namespace

bool IsReduction(const ir::Instr& instr) {
  // TODO(lab04.t1): which ops need a nest with an initialization and an update
  TESSEL_UNIMPLEMENTED("lab04.t1", "which ops need a nest with an initialization and an update",
                       "lab04_loop_ir/README.md §3.1");
}

StmtPtr ReductionAt(const ir::Instr& instr, const BufferPtr& out,
                    const std::vector<ExprPtr>& index, const std::vector<std::string>& reduce_names,
                    const OperandAt& operand_at, NameGenerator& names) {
  // TODO(lab04.t1): initialization, update loops, finalization
  TESSEL_UNIMPLEMENTED("lab04.t1", "initialization, update loops, finalization",
                       "lab04_loop_ir/README.md §3.1");
}

}  // namespace tessel::loops
