// The loop IR's verifier: what the factories cannot check because it needs context.
//
//   - every variable is defined before its use (a loop's variable inside the loop, a let's
//     for the rest of its sequence), with the dtype its uses have
//   - every buffer is in scope: a parameter, a module constant, or allocated or viewed
//     earlier in an enclosing sequence
//   - a function's variables and buffers have distinct names
//   - vectorized and unrolled loops have constant extents
//   - kernels store only to their outputs and their own allocations; parameters and views
//     are global; only the host views and calls, and it calls kernels with matching buffers
//
// It uses its own plain walk, so it is also the oracle for lab04's transformations: tests
// verify after every schedule primitive.
#pragma once

#include <string>
#include <vector>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

/// Every problem found, each "@function: what is wrong"; empty when `module` is well formed.
std::vector<std::string> VerifyModule(const Module& module);
/// The problems of one function of `module`.
std::vector<std::string> VerifyFunction(const Module& module, const Function& function);

}  // namespace tessel::loops
