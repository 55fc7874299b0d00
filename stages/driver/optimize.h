// Stage 3 in `tessel run`: the -O pipelines, --passes, --print-before/after, --verify-each
// and --stats (stages/opt/pass_manager.h runs them).
#pragma once

#include <string>

#include "stages/driver/run_command.h"
#include "stages/ir/ir.h"

namespace tessel {

/// The -O level `options` ask for: -O as given, else 2 for --emit opt, else 0.
int OptimizationLevel(const RunOptions& options);

/// Runs the pipeline `options` ask for on `module`, whose entry is `entry`, printing what
/// --print-before/after and --stats ask for. Returns 0, or the exit code of an error it
/// printed (an unknown pass, a pass that broke the verifier).
int OptimizeModule(ir::Module& module, const std::string& entry, const RunOptions& options);

/// `tessel passes`: every registered pass (name, task, what it does) and the -O pipelines.
int ListPasses();

}  // namespace tessel
