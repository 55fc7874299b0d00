// `tessel run FILE.ir`: parse IR text, verify it, and either print it
// (--emit ir, --dot) or run its entry function with the reference interpreter.
#pragma once

#include "stages/common/source.h"
#include "stages/driver/run_command.h"

namespace tessel {

/// Returns the exit code: 0 on success, 1 on any user error (already printed).
int RunIrFile(const SourceFile& file, const RunOptions& options);

}  // namespace tessel
