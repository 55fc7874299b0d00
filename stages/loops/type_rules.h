// The typing rules of loop-IR expressions, shared by the factories (loop_ir.cpp), the text
// parser and the verifier, so that all three accept exactly the same nodes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

/// Whether `name` can name a variable, a buffer or a function: letters, digits, '_', '.'.
bool IsIdentifier(std::string_view name);

/// The dtype of `op` applied to operands of `args` dtypes (kCast: `cast_to`), or nullopt with
/// *error saying why not ("'exp' needs a float operand, found i32").
std::optional<DType> ApplyResultType(Op op, const std::vector<DType>& args, DType cast_to,
                                     std::string* error);

/// "" when `subscripts` index `buffer` (one i32 per dimension), else what is wrong.
std::string CheckSubscripts(const Buffer& buffer, const std::vector<ExprPtr>& subscripts);

}  // namespace tessel::loops
