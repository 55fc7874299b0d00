// Compile-time constants (lab02, task t1): module `const` items and the
// scalar arithmetic that shape expressions share with them.
//
// Declared here, in stages/, because the type checker and the tests use them;
// implemented in lab02_ir_ssa/evaluate_constants.cpp (the learner's) or the
// same file in solutions/lab02_ir_ssa/ (the reference). The rules are in
// docs/language.md §4.2 and the lab02 handout §4.1.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/sema/const_value.h"

namespace tessel::sema {

/// lab02.t1: the value of `op` applied to two compile-time scalars, used for
/// module constants and for shape arithmetic. Integers stay 64-bit integers
/// (`/` and `%` round toward zero, as in C); an int meeting a float gives a
/// float; comparisons give bools (`==` and `!=` compare two numbers or two
/// bools, `<` `<=` `>` `>=` two numbers); `&&` and `||` take bools. Sets `error`
/// (message only) and returns nullopt for division by zero, `@`, integer
/// overflow ("integer overflow in 9223372036854775807 + 1"), or operands of the
/// wrong kind ("operator '&&' needs bool operands, found 1 and 2", "operator '<'
/// needs numeric operands, found true and false").
std::optional<ConstValue> EvaluateBinary(ast::BinaryOp op, const ConstValue& a, const ConstValue& b,
                                         std::string* error);
/// lab02.t1: `-x` (numbers) and `!x` (bools) on a compile-time scalar. Errors:
/// "operator '-' needs a numeric operand, found true", "operator '!' needs a
/// bool operand, found 1", "integer overflow in -(-9223372036854775808)".
std::optional<ConstValue> EvaluateUnary(ast::UnaryOp op, const ConstValue& x, std::string* error);

/// lab02.t1: evaluates the module's `const` items in source order. A constant's
/// expression may use literals, unary and binary operators, parentheses,
/// constants defined *above* it, the predefined `inf` (predefined.h) and calls of
/// elementwise math on constants (`sqrt(8.0)`, through EvaluateMathCall of
/// const_math.h, which binds its arguments and keeps integers 64-bit). A
/// constant's value may be +-inf; the result does not list `inf` itself. Each problem is reported to `diags` against
/// `file` at the offending expression, and that constant is left out:
///   "undefined name 'K' in constant expression"   (including later constants)
///   "a constant must be a literal, an operator or a constant, found a list"
///   "only elementwise math may be called at compile time (exp, ...), found a call to
///    'softmax' in constant expression" (EvaluateMathCall's errors, with the same suffix)
///   "division by zero in constant expression"
///   "redefinition of constant 'N'"
std::map<std::string, ConstValue> EvaluateConstants(const SourceFile& file,
                                                    const ast::Module& module,
                                                    DiagnosticEngine& diags);

}  // namespace tessel::sema
