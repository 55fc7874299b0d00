// Reads the IR's text form (docs/ir.md). Errors are located user errors
// (file:line:col) through the diagnostics engine, never crashes: lab tests and
// users write IR by hand.
#pragma once

#include <memory>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/ir.h"

namespace tessel::ir {

/// Parses a module. Returns null after reporting at least one error.
/// It checks syntax, that names are defined once and used values exist, that
/// branch targets exist, and that a comprehension reads only its operands;
/// type rules are the verifier's job (verifier.h).
std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags);

}  // namespace tessel::ir
