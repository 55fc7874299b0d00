// Walking expressions: the names an expression uses, in source order. The
// names check (lab02 t1) and the type checker both need to know which names
// stand inside a subscript, where an unknown name is a comprehension index.
#pragma once

#include <functional>

#include "stages/frontend/ast.h"

namespace tessel::sema {

/// Calls `visit(name, in_subscript)` for every name `expr` uses as a value
/// (callees and keywords are not values), in source order; `in_subscript` says
/// whether the name is inside a subscript `x[...]` (pass false at the top).
void ForEachName(const ast::Expr& expr, bool in_subscript,
                 const std::function<void(const ast::NameExpr&, bool)>& visit);

}  // namespace tessel::sema
