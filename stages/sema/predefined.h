// Names every Tessel program sees without defining them (docs/language.md §4.3): today one,
// `inf`, the float +infinity (`-inf` is its negation), which behaves like a literal: it has a
// value at compile time and cannot be declared again.
#pragma once

#include <optional>
#include <string_view>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/sema/const_value.h"

namespace tessel::sema {

/// The value of a predefined name, or nullopt when `name` is not one.
std::optional<ConstValue> PredefinedValue(std::string_view name);

/// Reports every declaration in `module` (constant, parameter, let, var, for variable,
/// comprehension target or index) of a predefined name; true when there is none.
bool CheckNoPredefinedNameIsDeclared(const SourceFile& file, const ast::Module& module,
                                     DiagnosticEngine& diags);

}  // namespace tessel::sema
