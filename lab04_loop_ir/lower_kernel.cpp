// Lowering one kernel to a loop nest (lab04, task t1): LowerKernel of stages/loops/lower.h.
//
// A fused group computes one tensor. Its ops fall in two kinds: pointwise ops (elementwise,
// broadcast, injective), which are inlined into whatever reads them as index arithmetic, and
// reductions, which need loops of their own. So the kernel becomes one nest per reduction
// and one for the result, except that the ops after the reduction that read it element for
// element (bias, activation, residual add) run in the reduction's nest, after its loops:
// the epilogue TVM's fusion was made for. lab04_loop_ir/README.md §3.1.
#include <map>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/ir/printer.h"
#include "stages/loops/lower.h"
#include "stages/loops/mutator.h"

namespace tessel::loops {

namespace {

using Index = std::vector<ExprPtr>;

// TODO(lab04.t1): the kernel's buffers, what is materialized, the nests
// Your lowering's state and helpers go here.

std::vector<std::string> Numbered(const std::string& prefix, size_t count) {
  std::vector<std::string> names;
  for (size_t d = 0; d < count; ++d) names.push_back(prefix + std::to_string(d));
  return names;
}

}  // namespace

std::vector<std::string> OutputLoopNames(const ir::Instr& instr) {
  size_t rank = instr.type().shape.size();
  if (instr.op() == Op::kComprehension) {
    std::vector<std::string> names;
    for (const ir::IndexVar& v : instr.attrs().comprehension->out) names.push_back(v.name);
    return names;
  }
  if (instr.op() == Op::kMatMul) {
    bool a_vector = instr.operand(0)->type().rank() == 1;
    bool b_vector = instr.operand(1)->type().rank() == 1;
    size_t batch = rank - (a_vector ? 0 : 1) - (b_vector ? 0 : 1);
    std::vector<std::string> names = Numbered("b", batch);
    if (!a_vector) names.push_back("i");
    if (!b_vector) names.push_back("j");
    return names;
  }
  return Numbered("i", rank);
}

std::vector<std::string> ReduceLoopNames(const ir::Instr& instr) {
  if (instr.op() == Op::kComprehension) {
    std::vector<std::string> names;
    for (const ir::IndexVar& v : instr.attrs().comprehension->reduce) names.push_back(v.name);
    return names;
  }
  if (instr.op() == Op::kMatMul) return {"k"};
  return Numbered("r", instr.attrs().axes.size());
}

LoweredKernel LowerKernel(const ir::Function& kernel) {
  // TODO(lab04.t1): lower the kernel's ops into nests
  TESSEL_UNIMPLEMENTED("lab04.t1", "lower the kernel's ops into nests",
                       "lab04_loop_ir/README.md §3.1");
}

}  // namespace tessel::loops
