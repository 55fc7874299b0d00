// Pure math at compile time (docs/language.md §3.1, §4.1): `const SCALE = 1.0 / sqrt(8.0)` and
// parameter defaults may call the elementwise primitives (exp ... sign, maximum, minimum, pow,
// floor_div, floor_mod) and select. Floats compute with the interpreter's scalar rules
// (stages/ir/kernels.h) in double precision, so a constant folds to the value the program
// would compute at run time; integers stay 64-bit and are checked for overflow, as the
// operators of constants are (evaluate_constants.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/frontend/ast.h"
#include "stages/sema/const_value.h"

namespace tessel::sema {

/// Whether compile-time expressions may call `callee`.
bool IsMathFunction(std::string_view callee);

/// "only elementwise math may be called at compile time (exp, log, ...), found a call to 'f'".
std::string NotMathMessage(std::string_view callee);

/// `call` on compile-time scalars: `args` are the values of call.args, in order. Arguments bind
/// by position, then by keyword (`pow(a=2, b=3)`), as the primitive's parameters say. An
/// integer argument of a float-only function (exp, sqrt, ...) converts to a float; abs, sign,
/// relu, maximum, minimum, pow, floor_div and floor_mod keep integers 64-bit integers;
/// select(c, a, b) takes a bool. Sets *error and returns nullopt for a call that is not math
/// (NotMathMessage), arguments that do not bind, a bool where a number belongs, integer
/// overflow or division by zero.
std::optional<ConstValue> EvaluateMathCall(const ast::CallExpr& call,
                                           const std::vector<ConstValue>& args, std::string* error);

}  // namespace tessel::sema
