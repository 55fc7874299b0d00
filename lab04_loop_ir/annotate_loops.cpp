// Loop primitives that change how iterations run, not which (lab04, task t3): Unroll,
// Vectorize, Parallel and Bind of stages/loops/primitives.h.
//
// They only set a loop's kind, but each kind promises something the back end relies on:
// unrolled and vectorized loops have a constant trip count; parallel and vectorized
// iterations run at the same time, so none may depend on another (a reduction's update of
// one element is such a dependence: its iterations must not race). lab04_loop_ir/README.md §3.3.
#include "stages/common/not_implemented.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t3): the kind, once the loop is known to allow it
// Helpers of your own (the checks the annotations share) go here.

}  // namespace

void Unroll(Function& f, const std::string& loop) {
  // TODO(lab04.t3): unroll: a constant trip count
  TESSEL_UNIMPLEMENTED("lab04.t3", "unroll: a constant trip count", "lab04_loop_ir/README.md §3.3");
}

void Vectorize(Function& f, const std::string& loop) {
  // TODO(lab04.t3): vectorize: constant, innermost, independent iterations
  TESSEL_UNIMPLEMENTED("lab04.t3", "vectorize: constant, innermost, independent iterations",
                       "lab04_loop_ir/README.md §3.3");
}

void Parallel(Function& f, const std::string& loop) {
  // TODO(lab04.t3): parallel: independent iterations, not inside another parallel loop
  TESSEL_UNIMPLEMENTED("lab04.t3",
                       "parallel: independent iterations, not inside another parallel loop",
                       "lab04_loop_ir/README.md §3.3");
}

void Bind(Function& f, const std::string& loop, ForKind kind) {
  // TODO(lab04.t3): bind: a GPU axis is a parallel loop
  TESSEL_UNIMPLEMENTED("lab04.t3", "bind: a GPU axis is a parallel loop",
                       "lab04_loop_ir/README.md §3.3");
}

}  // namespace tessel::loops
