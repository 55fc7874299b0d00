// Producer/consumer primitives (lab04, task t4): ComputeInline and ComputeAt of
// stages/loops/primitives.h.
//
// A kernel that materializes an intermediate buffer computes all of it, then reads it.
// compute_inline recomputes each element where it is read (no buffer, maybe more work);
// compute_at computes, inside one iteration of a consumer loop, just the box of the producer
// that iteration reads (bounds inference), while it is hot in the cache. The trade-off of
// recomputation, locality and parallelism is Halide's (PLDI'13). lab04_loop_ir/README.md §3.4.
#include <algorithm>
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t4): finding the producer nest, replacing its loads
// Helpers of your own (the producer's loops, replacing loads) go here.

}  // namespace

void ComputeInline(Function& f, const std::string& buffer) {
  // TODO(lab04.t4): replace each load of a producer by its expression
  TESSEL_UNIMPLEMENTED("lab04.t4", "replace each load of a producer by its expression",
                       "lab04_loop_ir/README.md §3.4");
}

void ComputeAt(Function& f, const std::string& buffer, const std::string& loop) {
  // TODO(lab04.t4): compute the box of a producer one consumer iteration needs
  TESSEL_UNIMPLEMENTED("lab04.t4", "compute the box of a producer one consumer iteration needs",
                       "lab04_loop_ir/README.md §3.4");
}

}  // namespace tessel::loops
