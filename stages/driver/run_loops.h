// `tessel run ... --target loops` and `--emit loops`: the kernel form lowered to loop IR
// (stage 4), printed or run by the loop-IR interpreter.
#pragma once

#include <cstddef>

#include "stages/common/source.h"
#include "stages/driver/run_command.h"
#include "stages/driver/run_inputs.h"
#include "stages/ir/ir.h"

namespace tessel {

/// Whether the options ask for loop IR (--emit loops or --target loops).
bool WantsLoops(const RunOptions& options);

/// Lowers `entry` of the kernel-form `module` to loop IR, then prints it (--emit loops) or
/// runs it on the --input or seeded tensors as ExecuteIr does. Returns the exit code.
int RunLoops(const ir::Module& module, const ir::Function& entry, const RunOptions& options,
             const InputTensors& inputs, size_t scalar_inputs = 0);

/// `tessel run FILE.loops`: parses loop-IR text (located errors), verifies it, and prints it
/// (--emit loops) or runs its host function (or the function --entry names) on --input or
/// seeded tensors.
int RunLoopsFile(const SourceFile& file, const RunOptions& options, const InputTensors& inputs);

}  // namespace tessel
