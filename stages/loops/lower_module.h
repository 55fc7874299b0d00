// Lowering a kernel-form module to a loop-IR module (stage 4's driver).
//
// The host function is the entry of the kernel form, one block of calls: it becomes
//
//   func @mlp(%x: f32[4, 784], ...) -> (%result: f32[4, 10]) {
//     allocate %arena: i8[18048]
//     view %h: f32[4, 64] = %arena[0]
//     call @fused_comprehension_add_relu(%x, %w0, %b0, %h)
//     ...
//   }
//
// with each planned tensor a view of the arena at its planned offset and the returned
// tensor written straight into the output. Each kernel is lowered by lab04's LowerKernel
// (lower.h); this file is compiled with lab04 (a STAGE_SOURCE), as the pass manager is
// with lab03.
#pragma once

#include <optional>
#include <string>

#include "stages/ir/ir.h"
#include "stages/loops/loop_ir.h"

namespace tessel::loops {

/// The loop-IR module of `entry` (a kernel-form function of `module`: one block of kernel
/// calls and constants) and of the kernels it calls. A user error (the entry is not in the
/// kernel form: -O0, a branch on a run-time value) returns nullopt with *error saying so; a
/// lowering that gives loop IR the verifier refuses is reported as the lab task's bug.
std::optional<Module> LowerModule(const ir::Module& module, const ir::Function& entry,
                                  std::string* error);

}  // namespace tessel::loops
