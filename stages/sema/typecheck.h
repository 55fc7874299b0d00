// The type checker of stage 2: specializes a Tessel program to concrete
// shapes and records the type of every expression, so that the lowering
// (lab02 t5) only has to translate.
//
// Starting from the entry function with concrete shapes and scalar arguments,
// it walks each function body once per *instance*: a function together with
// the concrete types of its arguments and the values of the scalar arguments
// known at compile time. A call to a user or prelude function unifies the
// callee's signature with the argument types (lab02 t2, UnifySignature) and
// checks (or reuses) that instance. Operators and primitives get their types
// from lab02 t2's rules; comprehensions get their index ranges from lab02 t3.
// Every error is reported at its expression; checking stops at the first
// error of each function body.
//
// This walker is given code; the rules it calls are the learner's.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/ir/ir.h"
#include "stages/sema/builtins.h"
#include "stages/sema/check_names.h"
#include "stages/sema/const_value.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/infer_ranges.h"
#include "stages/sema/infer_shapes.h"

namespace tessel::sema {

/// What the checker knows about one expression of one instance.
struct ExprInfo {
  ir::Type type;
  /// Set when the value is known at compile time (literals, constants, shape
  /// variables, specialized scalar parameters, arithmetic on those).
  std::optional<ConstValue> value;
  /// The dtype the operands convert to before the operation (the lowering's
  /// LowerAs), which the IR needs because it has no implicit conversions:
  ///  - unary and binary operators: the operands' common dtype (for a
  ///    comparison, that of the operands, not the bool result);
  ///  - calls of elementwise primitives: the dtype of the value operands (unary
  ///    math: the operand's, after a compile-time scalar adapts; binary: the
  ///    common one; select: that of its two values, the condition stays bool;
  ///    cast: the operand's own, since the cast itself converts);
  ///  - anything else (names, subscripts, other calls): not meaningful; the
  ///    lowering does not read it.
  DType operand_dtype = DType::kF32;
};

/// What a call resolved to.
struct CallInfo {
  const Builtin* builtin = nullptr;  // a primitive, or
  int instance = -1;                 // an instance of a user or prelude function
  BoundArguments args;               // the argument of each parameter (null: omitted)
  /// Primitives: the IR attributes, normalized (axes, perm, slice bounds, pad widths).
  ir::Attrs attrs;
};

/// A function specialized to concrete argument types.
struct Instance {
  const SourceFile* file = nullptr;  // the user's file or the prelude's
  const ast::FnItem* fn = nullptr;
  std::string name;  // the IR function's name: "linear", "linear.2", ...
  ShapeEnv shapes;   // the shape variables' values
  /// Scalar parameters whose argument is known at compile time: they become
  /// constants in this instance and leave the IR signature.
  std::map<std::string, ConstValue> specialized;
  /// The type of each parameter (in order); the IR arguments are the
  /// parameters that are not specialized.
  std::vector<ir::Type> param_types;
  ir::Type result;

  std::unordered_map<const ast::Expr*, ExprInfo> exprs;
  std::unordered_map<const ast::CallExpr*, CallInfo> calls;
  /// Every comprehension's index ranges.
  std::unordered_map<const ast::ComprehensionStmt*, RangeSolution> ranges;
  /// The type of each let, var and comprehension target (by statement).
  std::unordered_map<const ast::Stmt*, ir::Type> bindings;
  /// Whether the function's own parameter `i` is specialized.
  bool IsSpecialized(size_t i) const { return specialized.count(fn->params[i].name) > 0; }
};

/// A checked program: every instance reachable from the entry (the entry first).
struct TypedProgram {
  std::vector<std::unique_ptr<Instance>> instances;
  std::map<std::string, ConstValue> constants;  // the user module's constants
};

/// What to specialize the entry with.
struct EntryRequest {
  std::string entry;
  std::map<std::string, int64_t> shapes;        // shape variable -> value
  std::map<std::string, ConstValue> args;       // scalar parameter -> value
  std::map<std::string, ir::Type> input_types;  // tensor parameter -> type (from .npy inputs)
  std::set<std::string> scalar_inputs;          // args that came from 0-d .npy inputs
  /// Values from the file's run directives: used where `shapes` and `args` give
  /// none, and ignored where the entry has no such name (--entry may pick a
  /// function the directives were not written for). A name in `shapes` or
  /// `args` that the entry lacks is an error.
  std::map<std::string, int64_t> default_shapes;
  std::map<std::string, ConstValue> default_args;
};

/// A parsed module and the file it came from.
struct SourceModule {
  const SourceFile* file = nullptr;
  const ast::Module* module = nullptr;
};

/// Checks `user` (with `prelude` visible) from `request.entry`. Errors go to
/// `diags`; returns nullopt if there was any. CheckNames (t1) must have passed.
std::optional<TypedProgram> TypeCheck(const SourceModule& user, const SourceModule& prelude,
                                      const std::map<std::string, ConstValue>& constants,
                                      const EntryRequest& request, DiagnosticEngine& diags);

}  // namespace tessel::sema
