// Expressions and types printed back as Tessel source, for messages:
// "h + r", "f32[N, K, H - R + 1]", "2 * (h + 1)". Parentheses appear only
// where precedence needs them.
#pragma once

#include <string>

#include "stages/frontend/ast.h"

namespace tessel::sema {

std::string FormatExpr(const ast::Expr& expr);
/// "f32[B, H - R + 1]"; a scalar type prints as its dtype.
std::string FormatTypeExpr(const ast::TypeExpr& type);

}  // namespace tessel::sema
