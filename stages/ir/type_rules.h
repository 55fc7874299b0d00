// The typing rule of every op: the result type an op produces from its
// operand types and attributes, or why it cannot. Used by the verifier, the
// interpreter and the IR builder in lab02; written plainly, as an oracle.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stages/ir/ir.h"

namespace tessel::ir {

/// The result type of `op` applied to `operands` with `attrs`, or nullopt with
/// *error set to a message naming the op and the types, e.g.
/// "matmul f32[8, 784] @ f32[128, 10]: inner dimensions 784 and 128 differ".
/// Ops whose result type is given rather than derived (reshape, broadcast, cast,
/// constant, comprehension, call, phi) check `declared` against their operands
/// and return it; terminators return a default Type.
std::optional<Type> InferResultType(Op op, const std::vector<Type>& operands, const Attrs& attrs,
                                    const Type& declared, std::string* error);

/// NumPy broadcasting of two shapes, or nullopt when a pair of dims is neither equal nor 1.
std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b);

/// Whether `pad`'s fill `value` is one of `dtype`'s values: any number for a float (inf
/// included), a finite whole number in range for an integer, 0 or 1 for bool; else false
/// with *why ("-inf is not an i32", "1.5 is not a whole number").
bool PadValueFits(DType dtype, double value, std::string* why);

}  // namespace tessel::ir
