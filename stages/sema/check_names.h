// Semantic analysis of names (lab02, task t1): scopes, let vs var, undefined
// and duplicate names, calls (their arguments bind with BindArguments,
// bind_arguments.h).
//
// Declared here, in stages/, because the type checker and the tests use them;
// implemented in lab02_ir_ssa/check_names.cpp (the learner's) or the same file
// in solutions/lab02_ir_ssa/ (the reference). The rules are in docs/language.md
// §4.1–§4.3 and the lab02 handout §4.1.
#pragma once

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/sema/bind_arguments.h"

namespace tessel::sema {

/// lab02.t1: checks the names of every function of `module`, reporting each
/// problem to `diags` against `file`; true when none was found. Functions are
/// looked up in `module`, then in `prelude` (which may define one name several
/// times, once per rank; a call is fine if any definition accepts its
/// arguments), then among the builtins. The rules (docs/language.md §4.3):
///  - function names are unique in a module; parameter names within a function;
///  - a parameter type's bare-name dimension that is not a constant or a
///    parameter declares a shape variable, visible as an i32 value in the body;
///    every name in the result type must be a shape variable, constant or
///    scalar parameter;
///  - a name is declared once: a let, var, comprehension target, for variable
///    or index may not reuse a visible name (parameter, shape variable,
///    constant, or a local of this or an enclosing block);
///  - `x = e;` needs a visible `var` x: assigning a let, parameter, constant,
///    shape variable, loop variable or comprehension target is an error;
///  - in a comprehension, the target and its indices are new names; a name in a
///    right-hand subscript or a where clause that is not visible is a reduction
///    index; `=` may not have reduction indices; a where clause may name only
///    indices of its statement;
///  - calls: an unknown function is an error, arguments must bind (BindArguments);
///  - a statement after a `return`, or after an if chain whose every arm
///    returns, is unreachable (an error, once per block); every path through a
///    function must end with a `return`.
/// To check the prelude itself, pass it as both `module` and `prelude`: then a
/// name defined several times is a set of overloads, not a redefinition.
bool CheckNames(const SourceFile& file, const ast::Module& module, const ast::Module& prelude,
                DiagnosticEngine& diags);

}  // namespace tessel::sema
