// Bounds inference (lab04, task t4): InferRegion of stages/loops/primitives.h.
//
// Which elements of a buffer does one iteration of a loop touch? For an affine index, the
// extreme values come from the inner loops' extreme iterations: each inner variable with a
// positive coefficient contributes its last value to the maximum and 0 to the minimum, a
// negative one the other way round. What is left is the part fixed for the iteration: the
// loop's own variable and the ones around it. Halide's bounds inference and TVM's
// InferBound work this way, with intervals of expressions. lab04_loop_ir/README.md §3.4.
#include <map>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t4): the accesses inside the loop and their extreme indices
// Helpers of your own (finding the accesses, their extreme indices) go here.

}  // namespace

Region InferRegion(const Function& f, const Stmt& loop, const std::string& buffer, bool reads,
                   bool writes, const std::string& primitive) {
  // TODO(lab04.t4): the box of a buffer one iteration of a loop accesses
  TESSEL_UNIMPLEMENTED("lab04.t4", "the box of a buffer one iteration of a loop accesses",
                       "lab04_loop_ir/README.md §3.4");
}

}  // namespace tessel::loops
