// Caching primitives (lab04, task t4): CacheRead and CacheWrite of stages/loops/primitives.h.
//
// cache_read copies the box of a buffer that one iteration of a loop reads into a buffer of
// its own, contiguous and small enough to stay in cache or registers (the packed operand of
// GEMM libraries); cache_write lets one iteration accumulate into such a buffer and writes it
// back once (the register accumulator of a micro-kernel). Both take the box from bounds
// inference; its size must be bounded by a constant. lab04_loop_ir/README.md §3.4.
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/lower_names.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t4): the cache buffer, the copies, the redirected accesses
// Helpers of your own (the cache buffer, copy nests, redirecting accesses) go here.

}  // namespace

void CacheRead(Function& f, const std::string& buffer, const std::string& loop,
               const std::string& copy) {
  // TODO(lab04.t4): copy the box a loop reads, read the copy
  TESSEL_UNIMPLEMENTED("lab04.t4", "copy the box a loop reads, read the copy",
                       "lab04_loop_ir/README.md §3.4");
}

void CacheWrite(Function& f, const std::string& buffer, const std::string& loop,
                const std::string& local) {
  // TODO(lab04.t4): accumulate a loop's box in a cache, write it back once
  TESSEL_UNIMPLEMENTED("lab04.t4", "accumulate a loop's box in a cache, write it back once",
                       "lab04_loop_ir/README.md §3.4");
}

}  // namespace tessel::loops
