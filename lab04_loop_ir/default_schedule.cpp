// The default scheduler (lab04, task t5): DefaultSchedule of stages/loops/primitives.h.
//
// Every kernel the compiler lowers gets these steps when no tuned schedule exists. Rules per
// loop nest, each tried on a copy of the kernel and kept only when its primitive accepts it,
// so the result is always a legal schedule:
//   1) a reduction nest (initialization, reduction loops, epilogue under the innermost
//      spatial loop) is distributed, and when the innermost spatial loop walks its accesses'
//      last dimension, the reduction loops move outside it (matmul's i, k, j order);
//   2) when the operand the rows of the output all read (GEMM's B) does not fit in half the L1
//      cache, the nest is tiled: strips of the output's columns, chunks of the reduction, and
//      that chunk of the operand packed into a contiguous buffer (cache_read) that stays in
//      L1 while every row reuses it;
//   3) the outermost loop that can run in parallel (or, when it cannot, one inside it);
//   4) every innermost loop that walks its stores' last dimension is split by the vector width
//      (when longer) and the lanes vectorized.
// lab04_loop_ir/README.md §3.5.
#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t5): the rules, each tried on a copy
// Your scheduler's rules go here.

}  // namespace

std::vector<Step> DefaultSchedule(const Function& f) {
  // TODO(lab04.t5): the steps the default rules pick for a kernel
  TESSEL_UNIMPLEMENTED("lab04.t5", "the steps the default rules pick for a kernel",
                       "lab04_loop_ir/README.md §3.5");
}

}  // namespace tessel::loops
