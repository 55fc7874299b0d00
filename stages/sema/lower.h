// Lowering a checked Tessel program to SSA IR (lab02, task t5).
//
// Implemented in lab02_ir_ssa/lower.cpp (the learner's) or
// solutions/lab02_ir_ssa/lower.cpp (the reference); the lab02 handout §4.5
// walks through it.
#pragma once

#include <memory>

#include "stages/common/diagnostics.h"
#include "stages/ir/ir.h"
#include "stages/sema/typecheck.h"

namespace tessel::sema {

/// lab02.t5: one IR function per instance of `program`, in the same order
/// (the entry first), named Instance::name. Expressions become ops, lets bind
/// values, `var`s go through SsaBuilder (t4), calls to user and prelude
/// functions stay `call`s, comprehensions become comprehension ops, and `if`
/// and `for` become blocks with cond_br and br. The result passes the verifier.
/// Every instruction carries the source location it came from (ir::Loc). A constant that
/// does not fit its float type (-1e9 in an f16 mask becomes -inf) is a warning to `diags`.
std::unique_ptr<ir::Module> LowerProgram(const TypedProgram& program,
                                         DiagnosticEngine* diags = nullptr);

}  // namespace tessel::sema
