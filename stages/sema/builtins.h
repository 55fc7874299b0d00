// The primitive functions of Tessel (docs/language.md §5.2): what a call to
// `exp`, `sum`, `reshape`, ... means, and the parameters it takes. Each
// becomes one IR op (ops.def); the prelude (prelude.tsl) builds the rest.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stages/ir/ir.h"

namespace tessel::sema {

/// The parameters a call binds against, in order. The first `required` must be
/// given (by position or keyword); the rest may be omitted.
struct ParamList {
  std::vector<std::string> names;
  size_t required = 0;
};

/// How a primitive is checked and lowered.
enum class BuiltinKind {
  kUnary,        // exp(x), relu(x), ...: elementwise, floating point
  kBinary,       // maximum(a, b), minimum(a, b), pow(a, b): broadcasting
  kSelect,       // select(cond, a, b)
  kReduce,       // sum/prod/max/min/mean/argmax/argmin(x, axis=..., keepdims=...)
  kReshape,      // reshape(x, [dims])
  kTranspose,    // transpose(x, [perm]); without perm, reverse the axes
  kBroadcast,    // broadcast(x, [dims])
  kConcat,       // concat([a, b, ...], axis=0)
  kSlice,        // slice(x, axis=a, start=s, end=e, step=k): Python's meaning of s and e
  kPad,          // pad(x, [w0, ...]) or pad(x, low=[..], high=[..], value=v)
  kUpdateSlice,  // update_slice(x, u, [i0, i1, ...]): x with u written at the (run-time) starts
  kCast,         // cast(x): to the dtype of the declared type it initializes
};

struct Builtin {
  std::string_view name;
  BuiltinKind kind;
  ir::Op op;  // the IR op it lowers to
  ParamList params;
};

/// The primitive named `name`, or null.
const Builtin* FindBuiltin(std::string_view name);
/// Every primitive, in the order of docs/language.md §5.2.
const std::vector<Builtin>& AllBuiltins();

}  // namespace tessel::sema
