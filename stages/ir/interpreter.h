// The reference interpreter of the IR: the oracle for every later stage.
// Every transformation is checked by running the program before and after on
// the same seeded inputs. Kernels are straightforward loops over doubles.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::ir {

struct InterpreterOptions {
  int64_t max_steps = 10'000'000;  // instructions executed before "step limit" (an endless loop)
  int max_call_depth = 256;
  /// Execute the memory plan (the kernel form, docs/ir.md §14): a result with a placement is
  /// stored at its offset in its arena, and every later read of it reads those bytes back. So a
  /// plan that lets two live tensors share bytes changes the results, and a test comparing with
  /// a run without this option catches it.
  bool execute_memory_plan = false;
};

/// Runs `function` (of `module`, for calls) on `args` and returns its result.
/// Runtime errors return nullopt with *error set, naming the function, the
/// instruction and the values: an argument of the wrong type, a read outside a
/// tensor in a comprehension, take out of range, integer division by zero,
/// the step limit, the call depth. The form is "@fn: INSTRUCTION: what", e.g.
/// "@main: %q = div %a, %b : i32[4]: integer division by zero at [2]"; an error
/// inside a callee names the callee. Values are computed as docs/ir.md says:
/// floats in double, rounded when stored; integers wrap; reductions start from
/// their identity.
std::optional<Tensor> Interpret(const Module& module, const Function& function,
                                const std::vector<Tensor>& args, std::string* error,
                                InterpreterOptions options = {});

/// A runtime error and where it happened in the source: the failing instruction's location,
/// then the location of each call it was reached through, innermost first (a failure inside
/// the prelude's softmax names softmax's line, then the user's call). Locations the IR does
/// not have (hand-written IR) are left out.
struct RuntimeError {
  std::string message;     // as Interpret's error
  std::vector<Loc> where;  // innermost first
};

/// Interpret, with the error's source locations.
std::optional<Tensor> Interpret(const Module& module, const Function& function,
                                const std::vector<Tensor>& args, RuntimeError* error,
                                InterpreterOptions options = {});

/// Evaluates one non-control instruction on operand values (for constant
/// folding in lab03 and for tests). Same errors as Interpret, without the
/// "@fn: " prefix. The result has the instruction's declared type; operands
/// that do not fit it are an error, not a crash.
std::optional<Tensor> EvaluateInstr(const Instr& instr, const std::vector<const Tensor*>& operands,
                                    std::string* error);

}  // namespace tessel::ir
