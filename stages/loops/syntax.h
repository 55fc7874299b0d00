// The operators the loop IR's text form writes infix, with C's precedence: shared by the
// printer and the parser so that both agree on what needs parentheses.
#pragma once

#include <string_view>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

struct InfixOp {
  Op op;
  std::string_view symbol;
  int precedence;  // higher binds tighter; unary operators bind tightest
  int arity;       // 1: prefix, 2: binary (left-associative)
};

/// The infix spelling of `op`, or null when `op` is written as a call (maximum(a, b)).
const InfixOp* FindInfix(Op op);
/// The binary operator spelled `symbol`, or null.
const InfixOp* FindBinary(std::string_view symbol);
/// The prefix operator spelled `symbol` ("-", "!"), or null.
const InfixOp* FindPrefix(std::string_view symbol);

}  // namespace tessel::loops
