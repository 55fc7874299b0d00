// What the files of the type rules (type_rules.h) share: the message helpers every rule uses and
// one declaration per family's rule. InferResultType (type_rules.cpp) dispatches to them:
//   type_rules.cpp                shared helpers, values and control flow, the dispatch
//   type_rules_math.cpp           elementwise ops, select, matmul, reductions, argmax/argmin
//   type_rules_movement.cpp       reshape, broadcast, transpose, concat, slice, pad, take,
//                                 update_slice
//   type_rules_comprehension.cpp  comprehensions: ranges, index names and the scalar body
// Every rule returns the result type, or nullopt with *error set (when error is not null).
// Internal to stages/ir; not a public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/ir/type_rules.h"

namespace tessel::ir::rules {

using Types = std::vector<Type>;
using Result = std::optional<Type>;

// "add f32[4], i32[4]": the op and its operand types, the start of every message.
std::string Describe(Op op, const Types& operands);

// Sets *error (when asked for) and returns false / nullopt: every rule's way out.
bool Reject(std::string* error, std::string message);
Result Fail(std::string* error, std::string message);

std::string DTypeString(DType dtype);

// Why `a` and `b` do not broadcast: "dimensions 3 and 5 do not broadcast".
std::string BroadcastMismatch(const Shape& a, const Shape& b);

// Checks that `axes` are sorted, distinct and in [0, rank); `what` prefixes the message.
bool CheckAxes(const std::vector<int64_t>& axes, int64_t rank, const std::string& what,
               std::string* error);

// Elementwise, matmul and reductions (type_rules_math.cpp).
Result UnaryRule(Op op, const Types& t, std::string* error);
Result CastRule(const Types& t, const Type& declared, std::string* error);
Result BinaryRule(Op op, const Types& t, std::string* error);
Result SelectRule(const Types& t, std::string* error);
Result MatMulRule(const Types& t, std::string* error);
Result ReduceRule(Op op, const Types& t, const Attrs& attrs, std::string* error);
Result ArgReduceRule(Op op, const Types& t, const Attrs& attrs, std::string* error);

// Data movement (type_rules_movement.cpp).
Result ReshapeRule(const Types& t, const Type& declared, std::string* error);
Result BroadcastRule(const Types& t, const Type& declared, std::string* error);
Result TransposeRule(const Types& t, const Attrs& attrs, std::string* error);
Result ConcatRule(const Types& t, const Attrs& attrs, std::string* error);
Result SliceRule(const Types& t, const Attrs& attrs, std::string* error);
Result PadRule(const Types& t, const Attrs& attrs, std::string* error);
Result TakeRule(const Types& t, std::string* error);
Result UpdateSliceRule(const Types& t, std::string* error);

// Comprehensions (type_rules_comprehension.cpp).
Result ComprehensionRule(const Types& t, const Attrs& attrs, const Type& declared,
                         std::string* error);

}  // namespace tessel::ir::rules
