// Shape inference and checking (lab02, task t2): the typing rules of Tessel's
// operators at source level and the unification of shape variables when a
// function is called (docs/language.md §4.2, §4.4; the lab02 handout §4.2).
//
// Every value is specialized to concrete shapes (the IR has no symbolic
// dimensions), so these functions see concrete types. Each returns the result
// type, or nullopt with `error` set to a message that names both types and the
// failing dimension, e.g.
//   "matmul f32[8, 784] @ f32[128, 10]: inner dimensions 784 and 128 differ"
// The type checker (typecheck.h) reports it at the expression.
//
// Implemented in lab02_ir_ssa/infer_shapes.cpp (the learner's) or
// solutions/lab02_ir_ssa/infer_shapes.cpp (the reference).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stages/frontend/ast.h"
#include "stages/ir/ir.h"
#include "stages/sema/const_value.h"

namespace tessel::sema {

/// An operand of a binary operator: its type, and whether it is a compile-time
/// scalar (a literal, constant or shape variable), whose dtype adapts.
struct Operand {
  ir::Type type;
  bool constant = false;
};

/// lab02.t2: the type of `a op b` for every binary operator.
///  - dtypes: equal, or converted by the rules of docs/language.md §4.4: an i32
///    scalar meeting a float operand becomes that float type; a compile-time
///    scalar adapts to the other operand's numeric dtype (an int to any, a
///    float to a float one). Anything else: "f32[4] + i32[4]: dtypes f32 and i32
///    differ (use cast)".
///  - + - * / %: numeric (not bool), result of the common dtype;
///    == !=: any common dtype, bool included, result bool; < <= > >=: numeric,
///    result bool; && ||: bool operands, result bool.
///  - shapes broadcast as NumPy (right-aligned; equal or 1):
///    "f32[4, 3] + f32[5]: cannot broadcast, dimension 1 is 3 on the left and 5 on the right"
///    (dimensions counted in the result, from 0).
///  - `@`: both of rank >= 1; rank 1 is a vector as in NumPy's matmul; leading
///    (batch) dimensions broadcast; "matmul f32[8, 784] @ f32[128, 10]: inner
///    dimensions 784 and 128 differ"; "matmul needs tensors of rank 1 or more, found f32".
std::optional<ir::Type> BinaryOpType(ast::BinaryOp op, const Operand& a, const Operand& b,
                                     std::string* error);

/// lab02.t2: the type of sum/prod/max/min/mean (`name`) of `x` over `axes`
/// (negative axes count from the end; `all_axes` reduces every axis). Stores
/// the axes normalized (non-negative, sorted) in `normalized`. Errors: an axis
/// out of range ("sum of f32[4, 3]: axis 2 is out of range for rank 2"), an axis
/// given twice, reducing a bool tensor, `mean` of an integer tensor (the IR's
/// reduce_mean takes floats).
std::optional<ir::Type> ReduceType(std::string_view name, const ir::Type& x,
                                   const std::vector<int64_t>& axes, bool all_axes, bool keepdims,
                                   std::vector<int64_t>* normalized, std::string* error);

/// lab02.t2: reshape(x, shape): the element counts must match:
/// "reshape f32[2, 16, 4, 4] to [2, 200]: 512 elements do not fit 400"; dims must be positive.
std::optional<ir::Type> ReshapeType(const ir::Type& x, const Shape& shape, std::string* error);

/// lab02.t2: `x[i, j]` outside a comprehension, with `count` scalar subscripts:
/// drops that many leading axes ("subscript f32[4]: 2 subscripts for rank 1").
/// `constant_subscripts[k]` holds the value of subscript k when known at compile
/// time; one out of range is an error ("subscript 7 is out of range for axis 0 of
/// f32[6, 4, 32]").
std::optional<ir::Type> SubscriptType(
    const ir::Type& x, size_t count, const std::vector<std::optional<int64_t>>& constant_subscripts,
    std::string* error);

/// Values of the names a shape expression may use besides shape variables
/// (constants, scalar parameters known at compile time); nullopt if unknown.
using NameLookup = std::function<std::optional<ConstValue>(const std::string&)>;

/// The shape variables of one call being specialized, and where each got its value.
struct ShapeEnv {
  std::map<std::string, int64_t> vars;
  std::map<std::string, std::string> origin;  // var -> "x: f32[8, 784]", for messages
  NameLookup lookup;                          // may be empty
};

/// lab02.t2: the value of a dimension expression: integer literals, shape
/// variables in `env`, names `env.lookup` knows, unary minus and + - * / %
/// (integer, rounding toward zero). Errors: "unknown shape variable 'Q'",
/// "dimension 'H / S' divides by zero", a non-integer name ("'eps' is not an integer").
std::optional<int64_t> EvaluateDim(const ast::Expr& dim, const ShapeEnv& env, std::string* error);

/// Which argument a signature error is about (-1: none in particular).
struct SignatureError {
  int param = -1;
  std::string message;
};

/// lab02.t2: unifies the parameter types of `fn` with the types of the
/// arguments bound to them (`args[i]` for parameter i), binding shape
/// variables in `env`. A bare-name dimension binds a new shape variable or must
/// equal its value; dimensions with arithmetic (`H - R + 1`) are evaluated once
/// every bare name is bound, so the order of parameters does not matter. Checks
/// ranks and dtypes. Messages name the parameter, both types and the variable:
///   "argument 'w' of 'linear': f32[128, 10] does not match f32[I, O]: I is 784 (from x: f32[8,
///   784]) but dimension 0 is 128"
bool UnifySignature(const ast::FnItem& fn, const std::vector<ir::Type>& args, ShapeEnv& env,
                    SignatureError* error);

/// lab02.t2: the concrete type `declared` denotes in `env` (for result types
/// and annotated lets), or nullopt with `error` from EvaluateDim.
std::optional<ir::Type> ResolveType(const ast::TypeExpr& declared, const ShapeEnv& env,
                                    std::string* error);

}  // namespace tessel::sema
