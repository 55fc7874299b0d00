// Recursion is not part of Tessel (docs/language.md §4.1): every function is
// specialized and, later, inlined, which needs a finite call tree. This check
// finds a cycle of calls among the user's functions whether or not the entry
// reaches it, and says which call closes it.
#pragma once

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"

namespace tessel::sema {

/// Reports each function of `module` that calls itself, directly or through others, at its
/// name, with a note at every call of the cycle ("'g' calls 'f' here, which closes the
/// cycle f -> g -> f"). True when there is none. Calls to the prelude and primitives never
/// come back to user code, so only the user's functions are followed.
bool CheckNoRecursion(const SourceFile& file, const ast::Module& module, DiagnosticEngine& diags);

}  // namespace tessel::sema
