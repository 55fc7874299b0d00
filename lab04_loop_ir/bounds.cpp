// Bounds and linear forms of index expressions (lab04, task t2): BoundsOf and AsLinear of
// stages/loops/arith.h.
//
// Interval arithmetic (TVM's ConstIntBound): each node's range from its operands' ranges. It
// is an over-approximation (i - i is [-9, 9] for i in [0, 9]), so the simplifier first puts
// sums into linear form, where i - i is 0, and asks for bounds of what remains.
// lab04_loop_ir/README.md §3.2.
#include <algorithm>
#include <limits>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t2): interval arithmetic and linear forms
// Helpers of your own (interval arithmetic per op) go here.

}  // namespace

Interval BoundsOf(const ExprPtr& e, const VarRanges& ranges) {
  // TODO(lab04.t2): the range of an integer expression
  TESSEL_UNIMPLEMENTED("lab04.t2", "the range of an integer expression",
                       "lab04_loop_ir/README.md §3.2");
}

std::optional<LinearForm> AsLinear(const ExprPtr& e) {
  // TODO(lab04.t2): an affine index as coefficients and a constant
  TESSEL_UNIMPLEMENTED("lab04.t2", "an affine index as coefficients and a constant",
                       "lab04_loop_ir/README.md §3.2");
}

}  // namespace tessel::loops
