// Lowering the kernel form to loop IR (lab04.t1): the learner's entry points of stage 4's
// first step. lower_module.h turns a whole kernel-form module into a loop-IR module with it.
//
//   kernel @fused_matmul_add_relu(%h: f32[4, 64], %w: f32[64, 64], %b: f32[64]) -> f32[4, 64]
//       {pattern = out_fusable, anchor = matmul}
//   becomes
//   kernel @fused_matmul_add_relu(%h: f32[4, 64], %w: f32[64, 64], %b: f32[64]) -> (%z: f32[4, 64]) {
//     for i in 0..4 {
//       for j in 0..64 {
//         %z[i, j] = 0.0
//         for k in 0..64 {
//           %z[i, j] = %z[i, j] + %h[i, k] * %w[k, j]
//         }
//         %z[i, j] = relu(%z[i, j] + %b[j])
//       }
//     }
//   }
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/loops/loop_ir.h"
#include "stages/loops/lower_names.h"

namespace tessel::loops {

/// A lowered kernel and the module constants it reads (tensor constants of the kernel).
struct LoweredKernel {
  Function function;
  std::vector<BufferPtr> constants;
};

/// What operand `operand` of the op being lowered is at `index` (an index into that operand):
/// a load of a buffer, a constant, or the inlined expression of a producer.
using OperandAt = std::function<ExprPtr(size_t operand, const std::vector<ExprPtr>& index)>;

/// What `instr` computes at result index `index` (one i32 expression per result dimension),
/// for an elementwise, broadcast or injective op or a comprehension without reduction:
/// broadcasting maps a size-1 operand dimension to 0; reshape, transpose, slice, pad, concat,
/// take and update_slice are index arithmetic (pad, concat and update_slice select between
/// candidates, each read at an index clamped into its operand, since select evaluates both).
/// lab04.t1, lower_pointwise.cpp.
ExprPtr PointwiseAt(const ir::Instr& instr, const std::vector<ExprPtr>& index,
                    const OperandAt& operand_at);

/// A comprehension's body at the point `vars` (the values of its out ++ reduce index
/// variables). lab04.t1, lower_pointwise.cpp.
ExprPtr ComprehensionBodyAt(const ir::Instr& instr, const std::vector<ExprPtr>& vars,
                            const OperandAt& operand_at);

/// Whether LowerKernel gives `instr` a nest of its own with an initialization and an update:
/// reductions, argmax/argmin, matmul and comprehensions that reduce.
bool IsReduction(const ir::Instr& instr);

/// The statements that compute reduction `instr` (IsReduction) into `out` at result index
/// `index` (the caller makes the loops over the result): the initialization, a loop over
/// each reduced axis named `reduce_names` around the update, and what follows the loops
/// (reduce_mean's division by the count). lab04.t1, lower_reduction.cpp.
StmtPtr ReductionAt(const ir::Instr& instr, const BufferPtr& out,
                    const std::vector<ExprPtr>& index, const std::vector<std::string>& reduce_names,
                    const OperandAt& operand_at, NameGenerator& names);

/// The names of the result loops and the reduced-axis loops of `instr` (LowerKernel's naming
/// rule), before making them fresh.
std::vector<std::string> OutputLoopNames(const ir::Instr& instr);
std::vector<std::string> ReduceLoopNames(const ir::Instr& instr);

/// Lowers one kernel of the kernel form (docs/ir.md §14): its arguments become input buffers
/// of the same names, its result the one output buffer (named after the value it returns).
/// Elementwise, broadcast and injective ops are inlined into their consumers as index
/// arithmetic; each reduction (reduce_*, arg*, matmul, a reducing comprehension) gets its own
/// nest with an initialization and an update; the ops after the kernel's reduction that read
/// it element for element run as its epilogue, after the reduction loops, in the same nest.
/// Loop variables: a comprehension's own index names; matmul's i, j (b0, ... for batch
/// dimensions) and k; otherwise i0, i1, ... and r0, r1, ... for reduced axes.
/// Requires: a verified kernel (one block of primitive ops). lab04.t1.
LoweredKernel LowerKernel(const ir::Function& kernel);

}  // namespace tessel::loops
