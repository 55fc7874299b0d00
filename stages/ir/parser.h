// Reads the IR's text form (docs/ir.md). Errors are located user errors
// (file:line:col) through the diagnostics engine, never crashes: lab tests and
// users write IR by hand.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/ir.h"

namespace tessel::ir {

/// Parses a module. Returns null after reporting at least one error.
/// It checks syntax, that names are defined once and used values exist, that
/// branch targets exist, and that a comprehension reads only its operands;
/// type rules are the verifier's job (verifier.h).
std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags);

/// Where each function, block and instruction of a parsed module was written: the function's
/// name, the block's label, the instruction's first token. `tessel run FILE.ir` uses it to
/// locate the verifier's complaints in the file (file:line:col).
struct TextPositions {
  std::map<const Function*, SourceRange> functions;
  std::map<const Block*, SourceRange> blocks;
  std::map<const Instr*, SourceRange> instrs;

  /// The most precise position known for a problem at `instr`, else `block`, else `function`
  /// (any may be null); nullopt when none was parsed.
  std::optional<SourceRange> Find(const Function* function, const Block* block,
                                  const Instr* instr) const;
};

/// ParseModule, also recording where everything was written.
std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags,
                                    TextPositions* positions);

}  // namespace tessel::ir
