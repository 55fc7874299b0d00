// The random program generator of tessel-fuzz, after NNSmith (Liu et al., ASPLOS'23): it grows a
// well-typed graph one operation at a time, choosing each operation among those whose operand
// types it can satisfy, and makes up a new input when no value in scope fits. Shapes are
// concrete (small dims, so the interpreter is fast), the dtypes f32 with excursions through
// i32 and bool.
//
// What it covers: the elementwise primitives and the prelude's activations; broadcasting
// binary ops; identities the algebra pass must and must not apply (x * 1.0, x + 0.0, x * 0.0,
// transpose(transpose(x)), reshape(reshape(x))); matmul and linear; reductions and
// arg-reductions with axes and keepdims; transpose, reshape, broadcast, concat, slice, pad and
// leading-axis subscripts; comprehensions (pointwise permutations, reductions, contractions,
// sliding windows, index masks, reversals); integer arithmetic with floor and truncating
// division; static loops over stacked weights, branches on compile-time flags and shapes,
// branches on run-time values; helper functions called once or twice; repeated expressions
// for GVN; constants for the folder.
#pragma once

#include <cstdint>

#include "fuzz/program.h"

namespace tessel::fuzz {

struct GeneratorOptions {
  int statements = 12;          // top-level operations to grow (a loop or branch counts one)
  int max_rank = 4;
  int64_t max_elements = 256;   // per tensor: keeps the interpreter fast
  bool control_flow = true;     // for loops and if branches
  bool runtime_branches = true; // branches on run-time values (the entry stays multi-block)
  bool helpers = true;          // helper functions to inline
};

/// The program for `seed`: the same seed gives the same program on every machine.
Program GenerateProgram(uint64_t seed, const GeneratorOptions& options = {});

}  // namespace tessel::fuzz
