// Pointwise ops as index arithmetic (lab04, task t1): PointwiseAt of stages/loops/lower.h.
//
// An elementwise, broadcast or injective op has no loops of its own: its value at a result
// index is an expression of its operands' values at computed indices. Composing these
// expressions is what inlines a fused group's producers into their consumer (TVM's
// compute_inline, Halide's default schedule). lab04_loop_ir/README.md §3.1.
#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/loops/lower.h"

namespace tessel::loops {

namespace {

using Index = std::vector<ExprPtr>;

// min(max(e, 0), extent - 1): an index that is safe to read even where a select discards it.
ExprPtr Clamp(const ExprPtr& e, int64_t extent) {
  return Min(Max(e, Int(0)), Int(std::max<int64_t>(extent - 1, 0)));
}

// TODO(lab04.t1): index mapping of broadcasting and injective ops
// Helpers of your own (broadcast and reshape index maps, pad, concat, ...) go here.

}  // namespace

ExprPtr ComprehensionBodyAt(const ir::Instr& instr, const std::vector<ExprPtr>& vars,
                            const OperandAt& operand_at) {
  // TODO(lab04.t1): a comprehension's body at a point of its index space
  TESSEL_UNIMPLEMENTED("lab04.t1", "a comprehension's body at a point of its index space",
                       "lab04_loop_ir/README.md §3.1");
}

ExprPtr PointwiseAt(const ir::Instr& instr, const std::vector<ExprPtr>& index,
                    const OperandAt& operand_at) {
  // TODO(lab04.t1): each op's value at a result index
  TESSEL_UNIMPLEMENTED("lab04.t1", "each op's value at a result index",
                       "lab04_loop_ir/README.md §3.1");
}

}  // namespace tessel::loops
