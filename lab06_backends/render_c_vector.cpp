// Vectorized loops as vector code (lab06, task t7): CRenderer::VectorLoop and VectorValue of
// stages/cpu/c_renderer.h.
//
// `vectorized for v in 0..E` promises that its iterations may run as the lanes of vector
// instructions (lab04's vectorize checked that). The renderer steps v by the lane count and
// gives every expression one of three forms, by how it depends on v:
//
//   does not mention v            one scalar, broadcast:           tsl_bcast_f32x8(s)
//   a load at stride 1 in v       one vector load (aligned when     tsl_loadu_f32x8(&x[i * 64 + v])
//                                 the code allocated the buffer
//                                 and the offset is a multiple
//                                 of the lanes)
//   anything else                 its lanes one by one (a gather)   (tsl_f32x8){x[2 * v], ...}
//
// and ops of vectors are vector ops. A store at stride 1 is a vector store; a store to one
// element from every lane is a reduction into a vector accumulator; E % lanes iterations run
// as a scalar tail. lab06_backends/README.md §9.3.
#include <string>

#include "stages/common/not_implemented.h"
#include "stages/cpu/c_renderer.h"
#include "stages/loops/mutator.h"

namespace tessel::cpu {

namespace {

// TODO(lab06.t7): how an index depends on the vector variable
// Helpers of your own (how an index depends on the vector variable, say) go here.

}  // namespace

std::optional<std::string> CRenderer::VectorValue(const ExprPtr& e, const std::string& var,
                                                  int lanes) {
  // TODO(lab06.t7): broadcast, vector load, vector op, or the lanes one by one
  TESSEL_UNIMPLEMENTED("lab06.t7", "broadcast, vector load, vector op, or the lanes one by one",
                       "lab06_backends/README.md §9.3");
}

void CRenderer::VectorLoop(const Stmt& loop) {
  // TODO(lab06.t7): vector stores, a reduction's accumulator, the scalar tail
  TESSEL_UNIMPLEMENTED("lab06.t7", "vector stores, a reduction's accumulator, the scalar tail",
                       "lab06_backends/README.md §9.3");
}

}  // namespace tessel::cpu
