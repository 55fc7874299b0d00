// `tessel run FILE.ir`: parse IR text, verify it, and either print it
// (--emit ir, --dot) or run its entry function with the reference interpreter.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stages/common/source.h"
#include "stages/driver/run_command.h"
#include "stages/driver/run_inputs.h"
#include "stages/ir/ir.h"

namespace tessel {

/// Returns the exit code: 0 on success, 1 on any user error (already printed).
int RunIrFile(const SourceFile& file, const RunOptions& options, const InputTensors& inputs);

/// Prints `module` as IR text, or with options.dot the entry's CFG and dataflow graph.
int EmitIr(const ir::Module& module, const ir::Function& entry, const RunOptions& options);

/// Runs `entry` on the --input tensors or seeded random ones, prints a summary of
/// the inputs and the output, and writes them as .npy with --output-dir.
/// Returns the exit code.
/// `scalar_inputs` counts the --input files that gave scalar parameters of a .tsl entry (they
/// are constants in the IR): with them, a seeded parameter is warned about too.
int ExecuteIr(const ir::Module& module, const ir::Function& entry, const RunOptions& options,
              const InputTensors& inputs, size_t scalar_inputs = 0);

/// Runs the entry's arguments through a back end: the result, or nullopt with *exit_code set
/// (the error already printed).
using EntryRunner =
    std::function<std::optional<Tensor>(const std::vector<Tensor>& args, int* exit_code)>;
/// A function's name and parameters, whatever IR it is in.
struct EntrySignature {
  std::string name;
  std::vector<std::pair<std::string, ir::Type>> params;
};
EntrySignature SignatureOf(const ir::Function& fn);

/// ExecuteIr with another back end: binds `entry`'s arguments, calls `run`, prints the
/// summary and writes --output-dir.
int ExecuteEntry(const EntrySignature& entry, const RunOptions& options, const InputTensors& inputs,
                 size_t scalar_inputs, const EntryRunner& run);

}  // namespace tessel
