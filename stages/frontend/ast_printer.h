// The AST's stable S-expression form, used by tests and `--emit ast`.
//
// Expressions print on one line; a node that holds a block breaks lines and
// indents its children by two spaces:
//
//   (module
//     (const N 4)
//     (fn linear ((x f32[B, I]) (w f32[I, O]) (b f32[O])) f32[B, O]
//       (block
//         (compute y [n o] += (* (index x n i) (index w i o)))
//         (return (+ y b)))))
//
// Expressions:  42  1.5  true  x  (- x)  (! x)  (+ a b)  (@ a b)  (index x i j)
//               (call f a (kw axis 1))  (list 1 2)
// Types:        f32   f32[B, (- H 1)]        (f32 and f32[] both print as f32)
// Statements:   (let x e)  (let x f32[B] e)  (var x e)  (assign x e)  (return e)
//               (compute y [i j] += e)  (compute y [i] max= e (where (k 0 2) (l 0 K)))
//               (if c BLOCK [BLOCK | IF])   (for i lo hi BLOCK)
// Items:        (const N e)  (fn name ((p type) ...) result BLOCK)
// Floats print in the shortest form that reads back exactly, always with a
// '.' or an exponent (1e3 prints as 1000.0).
#pragma once

#include <string>

#include "stages/frontend/ast.h"

namespace tessel::ast {

std::string PrintExpr(const Expr& expr);
std::string PrintType(const TypeExpr& type);
/// `indent` is the column the statement starts at; nested lines indent from it.
std::string PrintStmt(const Stmt& stmt, int indent = 0);
std::string PrintBlock(const Block& block, int indent = 0);
std::string PrintItem(const Item& item, int indent = 0);
std::string PrintModule(const Module& module);

}  // namespace tessel::ast
