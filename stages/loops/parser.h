// Reads the loop IR's text form (docs/loop-ir.md) back into a Module.
//
// The parser resolves names as it goes (a variable or buffer used before its definition, or
// defined twice in one function, is an error at its use) and checks every node's types with
// the factories' rules, so what it returns is well-formed; calls are checked against their
// callee's parameters once the whole module is read. It stops at the first error, reported
// file:line:col with a caret.
#pragma once

#include <optional>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/loops/loop_ir.h"

namespace tessel::loops {

std::optional<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags);

/// For tests and tools: parses `text` (named `name` in messages); on failure returns nullopt
/// with *error holding the formatted diagnostics.
std::optional<Module> ParseModuleText(const std::string& text, std::string* error,
                                      const std::string& name = "<loops>");

}  // namespace tessel::loops
