// `tessel run ... --target c` and `--emit c`: the scheduled loop IR rendered as C (lab06's
// renderer), compiled by the system C compiler (cached), loaded and run in-process; or the C
// printed, or written as an exported model (a .c and a .h) with --output-dir.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "stages/driver/run_command.h"
#include "stages/driver/run_inputs.h"
#include "stages/driver/run_ir.h"
#include "stages/ir/ir.h"
#include "stages/loops/loop_ir.h"

namespace tessel {

/// Whether the options ask for C (--emit c or --target c).
bool WantsC(const RunOptions& options);

/// A comment per kernel of the kernel-form `module`: its fused ops and their source lines.
std::map<std::string, std::string> KernelNotes(const ir::Module& module);

/// Renders `module` (scheduled loop IR) with `entry` as the exported entry point, then prints
/// or writes the C (--emit c), or compiles, runs and with --time times it. Returns the exit code.
int RunC(const loops::Module& module, const loops::Function& entry, const EntrySignature& signature,
         const RunOptions& options, const InputTensors& inputs, size_t scalar_inputs,
         const std::map<std::string, std::string>& notes);

}  // namespace tessel
