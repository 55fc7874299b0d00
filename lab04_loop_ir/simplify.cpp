// The index simplifier (lab04, task t2): Simplify and ProveTrue of stages/loops/arith.h.
//
// Bottom-up: simplify the operands, fold constants, then rewrite the node. Integer sums and
// products by constants are put into a canonical linear form (TVM's canonical simplifier), so
// that equal indices print equally and i + 1 - i is 1; a division or remainder by a constant
// splits the form into a multiple of the divisor and a remainder, and when the bounds put the
// remainder in [0, divisor) the division is exact: (io * 32 + ii) / 32 is io.
// lab04_loop_ir/README.md §3.2.
#include <algorithm>
#include <cmath>

#include "stages/common/not_implemented.h"
#include "stages/ir/kernels.h"
#include "stages/loops/arith.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t2): canonical sums, division by constants, decisions by bounds
// Helpers of your own (a canonical form for sums, division by constants) go here.

}  // namespace

ExprPtr Simplify(const ExprPtr& e, const VarRanges& ranges) {
  // TODO(lab04.t2): simplify an expression bottom-up
  TESSEL_UNIMPLEMENTED("lab04.t2", "simplify an expression bottom-up",
                       "lab04_loop_ir/README.md §3.2");
}

StmtPtr Simplify(const StmtPtr& s, VarRanges ranges) {
  // TODO(lab04.t2): simplify every expression with the ranges of its loops
  TESSEL_UNIMPLEMENTED("lab04.t2", "simplify every expression with the ranges of its loops",
                       "lab04_loop_ir/README.md §3.2");
}

bool ProveTrue(const ExprPtr& cond, const VarRanges& ranges) {
  // TODO(lab04.t2): a condition proven by simplification
  TESSEL_UNIMPLEMENTED("lab04.t2", "a condition proven by simplification",
                       "lab04_loop_ir/README.md §3.2");
}

}  // namespace tessel::loops
