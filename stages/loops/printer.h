// Prints loop IR in its text form (docs/loop-ir.md); parser.h reads it back, and
// print(parse(text)) == text for printed text (the round-trip tests check it).
#pragma once

#include <string>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

/// The constants, then every function, separated by blank lines.
std::string PrintModule(const Module& module);
std::string PrintFunction(const Function& function);
/// A statement at `indent` levels of two spaces, each line ending in '\n'.
std::string PrintStmt(const StmtPtr& stmt, int indent = 0);
/// An expression as infix text: "%a[i, k] * %b[k, j]", "maximum(x, 0.0)".
std::string PrintExpr(const ExprPtr& expr);
/// A buffer's declaration: "%acc: f32[4, 8] local", "%v: f32[4, 4] strides [8, 1]".
std::string PrintBufferDecl(const Buffer& buffer);

}  // namespace tessel::loops
