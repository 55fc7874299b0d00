// Semantic analysis of names (lab02, task t1): scopes, let vs var, undefined
// and duplicate names, calls and their arguments, and module constants.
//
// Declared here, in stages/, because the type checker and the tests use them;
// implemented in lab02_ir_ssa/check_names.cpp and evaluate_constants.cpp (the
// learner's) or the same files in solutions/lab02_ir_ssa/ (the reference). The rules are in
// docs/language.md §4.1–§4.3 and the lab02 handout §4.1.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/sema/builtins.h"
#include "stages/sema/const_value.h"

namespace tessel::sema {

/// A user error found by a check that reports one problem: what, and where.
struct SemaError {
  std::string message;
  SourceRange range;
};

/// A call's arguments matched to the callee's parameters: one entry per
/// parameter, in parameter order; null where an optional parameter was omitted.
struct BoundArguments {
  std::vector<const Expr*> by_param;
};

/// lab02.t1: binds the arguments of `call` to `params`: positional arguments
/// in order, then keyword arguments by name. On success fills `out` and returns
/// true. Otherwise sets `error` (message and the range of the offending
/// argument, or of the call) and returns false. The errors, in the words the
/// tests expect:
///   "too many arguments to 'f': expected at most 2, found 3"
///   "'f' has no parameter named 'axs'"
///   "parameter 'axis' of 'f' is given twice"
///   "missing argument 'b' in call to 'f'"
/// (the function name is call.callee).
bool BindArguments(const CallExpr& call, const ParamList& params, BoundArguments* out,
                   SemaError* error);

/// lab02.t1: the value of `op` applied to two compile-time scalars, used for
/// module constants and for shape arithmetic. Integers stay integers (`/` and
/// `%` round toward zero, as in C); an int meeting a float gives a float;
/// comparisons give bools; `&&` and `||` take bools. Sets `error` (message
/// only) and returns nullopt for division by zero, `@`, or operands of the
/// wrong kind ("operator '&&' needs bool operands, found 1 and 2").
std::optional<ConstValue> EvaluateBinary(BinaryOp op, const ConstValue& a, const ConstValue& b,
                                         std::string* error);
/// lab02.t1: `-x` (numbers) and `!x` (bools) on a compile-time scalar.
std::optional<ConstValue> EvaluateUnary(UnaryOp op, const ConstValue& x, std::string* error);

/// lab02.t1: evaluates the module's `const` items in source order. A constant's
/// expression may use literals, unary and binary operators, parentheses and
/// constants defined *above* it. Each problem is reported to `diags` against
/// `file` at the offending expression, and that constant is left out:
///   "undefined name 'K' in constant expression"   (including later constants)
///   "a constant must be a literal, an operator or a constant, found a call to 'exp'"
///   "division by zero in constant expression"
///   "redefinition of constant 'N'"
std::map<std::string, ConstValue> EvaluateConstants(const SourceFile& file, const Module& module,
                                                    DiagnosticEngine& diags);

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
///  - statements after a `return` in the same block are unreachable (an error),
///    and every path through a function must end with a `return`.
/// To check the prelude itself, pass it as both `module` and `prelude`: then a
/// name defined several times is a set of overloads, not a redefinition.
bool CheckNames(const SourceFile& file, const Module& module, const Module& prelude,
                DiagnosticEngine& diags);

}  // namespace tessel::sema
