// lab01 on the judge's wire: tokens, diagnostics and ASTs written by the
// runner (learner code) and rebuilt by the judge (pristine tests), with every
// field the graded tests look at, source ranges included.
#pragma once

#include <memory>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/frontend/token.h"
#include "tools/judge/wire.h"

namespace tessel::judge {

void WriteTokens(WireWriter& out, const SourceFile& file, const std::vector<Token>& tokens);
/// Token texts point into `file` where the runner's did, else into storage that lives as long
/// as the process (a judge runs one test).
std::vector<Token> ReadTokens(WireReader& in, const SourceFile& file);

void WriteDiagnostics(WireWriter& out, const DiagnosticEngine& diags);
/// Reports each diagnostic read to `diags` again, as the learner's code reported it.
void ReplayDiagnostics(WireReader& in, const SourceFile& file, DiagnosticEngine& diags);

void WriteExpr(WireWriter& out, const ast::Expr* expr);
ast::ExprPtr ReadExpr(WireReader& in);
void WriteModule(WireWriter& out, const ast::Module* module);
std::unique_ptr<ast::Module> ReadModule(WireReader& in);

}  // namespace tessel::judge
