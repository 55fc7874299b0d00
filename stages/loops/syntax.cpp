// The infix operators of the loop IR's text form (syntax.h).
#include "stages/loops/syntax.h"

namespace tessel::loops {

namespace {

// C's precedence levels, loosest first.
constexpr InfixOp kInfix[] = {
    {Op::kOr, "||", 1, 2},  {Op::kAnd, "&&", 2, 2}, {Op::kEq, "==", 3, 2},
    {Op::kNe, "!=", 3, 2},  {Op::kLt, "<", 4, 2},   {Op::kLe, "<=", 4, 2},
    {Op::kGt, ">", 4, 2},   {Op::kGe, ">=", 4, 2},  {Op::kAdd, "+", 5, 2},
    {Op::kSub, "-", 5, 2},  {Op::kMul, "*", 6, 2},  {Op::kDiv, "/", 6, 2},
    {Op::kMod, "%", 6, 2},  {Op::kNeg, "-", 7, 1},  {Op::kNot, "!", 7, 1},
};

}  // namespace

const InfixOp* FindInfix(Op op) {
  for (const InfixOp& infix : kInfix) {
    if (infix.op == op) return &infix;
  }
  return nullptr;
}

const InfixOp* FindBinary(std::string_view symbol) {
  for (const InfixOp& infix : kInfix) {
    if (infix.arity == 2 && infix.symbol == symbol) return &infix;
  }
  return nullptr;
}

const InfixOp* FindPrefix(std::string_view symbol) {
  for (const InfixOp& infix : kInfix) {
    if (infix.arity == 1 && infix.symbol == symbol) return &infix;
  }
  return nullptr;
}

}  // namespace tessel::loops
