// Pure math in compile-time expressions (docs/language.md §3.1): `const SCALE = 1.0 / sqrt(8.0)`
// and parameter defaults may call the elementwise primitives (exp ... sign, maximum, minimum,
// pow, floor_div, floor_mod, and select). They compute with the interpreter's scalar rules
// (stages/ir/kernels.h), so a constant folds to the value the program would compute at run time, in
// double precision.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/sema/const_value.h"

namespace tessel::sema {

/// `callee(args...)` on compile-time scalars. An integer argument of a float-only function
/// (exp, sqrt, ...) converts to a float; abs, sign, relu, maximum, minimum and pow keep two
/// integers integers; select(c, a, b) takes a bool. Sets *error and returns nullopt for a function
/// that is not pure elementwise math ("a constant may call only elementwise math (exp, sqrt, ...),
/// found a call to 'softmax'"), a wrong number of arguments or a bool argument.
std::optional<ConstValue> EvaluateMathCall(std::string_view callee,
                                           const std::vector<ConstValue>& args, std::string* error);

}  // namespace tessel::sema
