// Loop IR to C, one scalar at a time (lab06, task t6): CRenderer::Scalar, Offset, Statement
// and Loop of stages/cpu/c_renderer.h.
//
// The C must compute exactly what the loop-IR interpreter computes. C's float arithmetic
// already rounds every op to float; what needs care is everything where C and the loop IR
// differ: i32 overflow (undefined in C, wrapping in the IR), division by zero (a trap),
// floor_div and floor_mod (C has only truncating / and %), NaN in maximum, minimum and relu,
// and the narrow types i8 and f16 that C computes in int and float. The prelude
// (stages/cpu/c_prelude.cpp) has a helper for each; lab06_backends/README.md §9.2.
#include <set>
#include <string>

#include "stages/common/not_implemented.h"
#include "stages/cpu/c_renderer.h"
#include "stages/loops/mutator.h"

namespace tessel::cpu {

namespace {

// TODO(lab06.t6): C operators, helpers and parentheses
// Helpers of your own (how to parenthesize an operand, say) go here.

}  // namespace

std::string CRenderer::Scalar(const ExprPtr& e, bool index) {
  // TODO(lab06.t6): constants, variables, loads, and every op with the IR's meaning
  TESSEL_UNIMPLEMENTED("lab06.t6",
                       "constants, variables, loads, and every op with the IR's meaning",
                       "lab06_backends/README.md §9.2");
}

std::string CRenderer::Offset(const BufferPtr& buffer, const std::vector<ExprPtr>& subscripts) {
  // TODO(lab06.t6): the flat element offset, sum of subscript * stride
  TESSEL_UNIMPLEMENTED("lab06.t6", "the flat element offset, sum of subscript * stride",
                       "lab06_backends/README.md §9.2");
}

void CRenderer::Statement(const StmtPtr& s) {
  // TODO(lab06.t6): each statement kind; loops go to Loop or VectorLoop
  TESSEL_UNIMPLEMENTED("lab06.t6", "each statement kind; loops go to Loop or VectorLoop",
                       "lab06_backends/README.md §9.2");
}

void CRenderer::Loop(const Stmt& loop) {
  // TODO(lab06.t6): serial, parallel (OpenMP, outermost only) and unrolled loops
  TESSEL_UNIMPLEMENTED("lab06.t6", "serial, parallel (OpenMP, outermost only) and unrolled loops",
                       "lab06_backends/README.md §9.2");
}

}  // namespace tessel::cpu
