// Loop primitives that change the iteration space (lab04, task t3): Split, Fuse, Reorder and
// Distribute of stages/loops/primitives.h.
//
// Each rewrites one loop (or one perfectly nested band) and substitutes the old loop
// variables by expressions of the new ones, so the body computes exactly what it did; the
// legality checks are structural (perfect nesting, extents that stay defined) and, for the
// ones that change the order of iterations, the dependences of the band: a reordering is
// legal when no dependence comes out pointing backwards. lab04_loop_ir/README.md §3.3.
#include <algorithm>
#include <map>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t3): the checks the primitives share
// Helpers of your own (the band of loops to reorder, the order check) go here.

}  // namespace

void Split(Function& f, const std::string& loop, int64_t factor, const std::string& outer,
           const std::string& inner) {
  // TODO(lab04.t3): split a loop into an outer and an inner one
  TESSEL_UNIMPLEMENTED("lab04.t3", "split a loop into an outer and an inner one",
                       "lab04_loop_ir/README.md §3.3");
}

void Fuse(Function& f, const std::string& outer, const std::string& inner, const std::string& fused) {
  // TODO(lab04.t3): fuse two perfectly nested loops into one
  TESSEL_UNIMPLEMENTED("lab04.t3", "fuse two perfectly nested loops into one",
                       "lab04_loop_ir/README.md §3.3");
}

void Reorder(Function& f, const std::vector<std::string>& order) {
  // TODO(lab04.t3): permute perfectly nested loops when the dependences allow it
  TESSEL_UNIMPLEMENTED("lab04.t3", "permute perfectly nested loops when the dependences allow it",
                       "lab04_loop_ir/README.md §3.3");
}

void Distribute(Function& f, const std::string& loop) {
  // TODO(lab04.t3): one loop per statement of the body (loop fission)
  TESSEL_UNIMPLEMENTED("lab04.t3", "one loop per statement of the body (loop fission)",
                       "lab04_loop_ir/README.md §3.3");
}

}  // namespace tessel::loops
