// Parameter defaults (docs/language.md §4.1): `fn pool(x: f32[N, C, H, W], size: i32 = 2,
// stride: i32 = size)`. A default belongs to a scalar parameter, every parameter after one
// with a default has one too, and the default is a compile-time expression over literals,
// constants, `inf`, elementwise math calls (select included), the parameters before it and the
// shape variables their types bind (`out: i32 = (H - size) / stride + 1`). A call that omits the
// parameter gets the default's value, so a defaulted parameter is always specialized (§4.1) and
// never reaches the IR signature.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/sema/const_value.h"

namespace tessel::sema {

/// The compile-time value of a name a default may use, or nullopt when it has none.
using DefaultLookup = std::function<std::optional<ConstValue>(const std::string&)>;

/// Reports every misplaced default of `module`'s functions, called or not: on a tensor
/// parameter, before a parameter without one, not a scalar expression (a list, a subscript, a
/// call that is not math), using a name that is not a constant of the module (`constants`), a
/// predefined name, an earlier parameter or a shape variable an earlier parameter's type binds;
/// and a default that uses no parameter and does not evaluate, or not to the parameter's dtype.
/// True when there is none.
bool CheckParameterDefaults(const SourceFile& file, const ast::Module& module,
                            const std::map<std::string, ConstValue>& constants,
                            DiagnosticEngine& diags);

/// The value of the default `expr`, names resolved by `lookup`; nullopt with *error set
/// otherwise ("'size' is not known at compile time", a call that is not math, 1 / 0).
std::optional<ConstValue> EvaluateDefault(const ast::Expr& expr, const DefaultLookup& lookup,
                                          std::string* error);

/// `value`, a default of `param`, in the parameter's dtype: an integer becomes a float for a
/// float parameter; a float for an integer parameter, or a number for a bool one (and the
/// reverse), is an error ("the default of 'k' is 1.5, not an integer (the parameter is i32)").
std::optional<ConstValue> ConvertDefault(const ast::Param& param, const ConstValue& value,
                                         std::string* error);

}  // namespace tessel::sema
