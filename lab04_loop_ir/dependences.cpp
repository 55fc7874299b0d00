// Dependence analysis of a loop band (lab04, task t3): ComputeDependences of
// stages/loops/primitives.h.
//
// Two accesses depend on each other when they may touch the same element and one of them
// writes it. For each pair, each index dimension is an equation between the iterations of
// the two accesses; when both sides are linear with the same coefficients (uniformly
// generated references, Wolf & Lam 1991), one loop variable per dimension gives that loop's
// distance exactly, a constant that cannot match proves the pair independent, and anything
// else leaves the direction unknown ('*'): a safe over-approximation.
// lab04_loop_ir/README.md §3.3.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <set>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// TODO(lab04.t3): collect the accesses, solve each pair's index equations
// Helpers of your own (collecting accesses, solving index equations) go here.

}  // namespace

std::vector<Dependence> ComputeDependences(const std::vector<const Stmt*>& band) {
  // TODO(lab04.t3): the dependences among the accesses of a band
  TESSEL_UNIMPLEMENTED("lab04.t3", "the dependences among the accesses of a band",
                       "lab04_loop_ir/README.md §3.3");
}

}  // namespace tessel::loops
