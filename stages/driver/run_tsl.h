// `tessel run FILE.tsl`: compile Tessel source through stage 2 (lab01's front
// end, lab02's checks and lowering) and run the IR with the reference
// interpreter, or print it (--emit ir, --dot).
#pragma once

#include <memory>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/driver/run_command.h"
#include "stages/driver/run_inputs.h"
#include "stages/ir/ir.h"

namespace tessel {

/// Steps 1-3 of RunTslFile: parse, read directives, merge options.entry,
/// options.shapes, options.args and the types of the --input tensors over them, and
/// compile. The entry is the module's first function. Errors go to `diags`
/// (nullptr returned); a problem with a flag sets `flag_error` instead.
std::unique_ptr<ir::Module> CompileTslFile(const SourceFile& file, const RunOptions& options,
                                           const InputTensors& inputs, DiagnosticEngine& diags,
                                           std::string* flag_error);

/// Returns the exit code: 0 on success, 1 on a user error (already printed).
/// A lab skeleton's NotImplemented propagates to the caller.
int RunTslFile(const SourceFile& file, const RunOptions& options, const InputTensors& inputs);

}  // namespace tessel
