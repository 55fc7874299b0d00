// The loop-IR interpreter (stage 4): the oracle for lowering and for every schedule.
//
// It runs a function on tensors exactly as the loop IR says, one scalar at a time: each
// expression's value is rounded to its dtype (an f32 expression is what C computes on
// floats), loops run their iterations in order whatever their kind, buffers are bytes (a
// view of the host's arena reads what the kernel before it wrote there). It is strict where
// generated code would be silently wrong:
//
//   - a subscript outside its dimension is an error naming the buffer, the subscripts and
//     the loop variables: "@k: load %x[4, 0] is outside f32[4, 64] (i = 4, j = 0)"
//   - reading an element nobody has written is an error too (allocations start
//     uninitialized, and so does a kernel's output unless it is the memory of one of its
//     inputs, the memory plan's in-place reuse), so a missing reduction initialization is
//     caught even where the arena happens to hold an old value
//   - integer division by zero, an allocation too large, a run past the step limit.
//
// An observer sees every memory access and every operation: the cost model (cost_model.h)
// is one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/loops/loop_ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::loops {

/// What the interpreter reports as it runs (the cost model's input).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// A load or store of `bytes` bytes at `address` in `buffer`. Addresses are virtual: each
  /// allocation starts at its own 4096-byte-aligned address; a view shares its base's.
  /// `vectorized`: inside a vectorized loop.
  virtual void OnAccess(const Buffer& buffer, uint64_t address, int bytes, bool is_store,
                        bool vectorized) = 0;
  /// An op of dtype `dtype` applied (loads, stores and constants are not ops).
  virtual void OnOp(Op op, DType dtype, bool vectorized) = 0;
  /// A kernel call begins (the host calls `callee`) or, with `end`, returns.
  virtual void OnCall(const std::string& callee, bool end) { (void)callee, (void)end; }
};

struct LoopRunOptions {
  bool check_uninitialized = true;
  int64_t max_steps = 4'000'000'000;   // statements executed before "step limit"
  int64_t max_allocation_bytes = int64_t{1} << 31;
  RunObserver* observer = nullptr;
};

/// Runs `function` of `module` with `inputs` bound to its inputs (in order; their dtypes and
/// shapes must be the parameters') and returns its outputs. Runtime errors return nullopt
/// with *error set ("@kernel: what, where").
std::optional<std::vector<Tensor>> RunFunction(const Module& module, const Function& function,
                                               const std::vector<Tensor>& inputs,
                                               std::string* error,
                                               const LoopRunOptions& options = {});

/// RunFunction on the module's entry (its host function) with one output, the model's result.
std::optional<Tensor> RunModule(const Module& module, const std::vector<Tensor>& inputs,
                                std::string* error, const LoopRunOptions& options = {});

}  // namespace tessel::loops
