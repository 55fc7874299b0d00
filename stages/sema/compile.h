// Stage 2 from start to end: Tessel source to verified SSA IR.
//
//   parse (lab01) -> CheckNames, EvaluateConstants (t1) -> TypeCheck
//   (t2 rules, t3 ranges) -> LowerProgram (t5, with t4's SsaBuilder) -> VerifyModule
#pragma once

#include <memory>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/ir.h"
#include "stages/sema/typecheck.h"

namespace tessel::sema {

/// The prelude's source text (stages/sema/prelude.tsl, built into the program).
/// The caller parses it with the lab01 parser it links, like any source.
const SourceFile& PreludeFile();

/// Checks, specializes and lowers the parsed module `user` as `request` asks
/// (an empty request.entry means the module's last function), then verifies
/// the IR. User errors go to `diags` and give nullptr.
std::unique_ptr<ir::Module> CompileModule(const SourceModule& user, const SourceModule& prelude,
                                          const EntryRequest& request, DiagnosticEngine& diags);

}  // namespace tessel::sema
