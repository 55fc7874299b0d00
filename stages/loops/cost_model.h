// Stage 4's deterministic cost model: what a loop-IR program costs on a CPU, measured by
// running it.
//
// MeasureCost runs a function with the interpreter (interpreter.h) and watches it: every op
// is counted, and every load and store of a global or shared buffer goes through a cache
// simulator of the target (cache_model.h); local buffers are registers and cost no memory
// traffic. Counts are attributed to the kernel running at the time, and within it to each
// buffer, so a learner sees which loop order or tiling cuts which misses. The interpreter's
// addresses are virtual and deterministic, so the same program gives the same report on every
// machine: lab04 grades schedules by these numbers, not by wall-clock time.
//
//   cost model: grading target (L1 32 KiB 8-way, L2 512 KiB 8-way, 64 B lines)
//   kernel               calls         ops     loads    stores L1 misses L2 misses  L1 miss
//   @mm                      1      524288    786432    266240       768       768     0.1%
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/loops/cache_model.h"
#include "stages/loops/loop_ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::loops {

/// The memory traffic of one buffer within one kernel.
struct BufferCost {
  std::string buffer;  // without the '%'
  int64_t loads = 0, stores = 0;
  std::vector<int64_t> misses;  // one count per cache level, L1 first
};

/// What one kernel (or the host function's own statements) cost over all its calls.
struct KernelCost {
  std::string kernel;  // without the '@'
  int64_t calls = 0;
  int64_t ops = 0;         // every op applied, index arithmetic included
  int64_t float_ops = 0;   // those computing in f32 or f16
  int64_t vector_ops = 0;  // those inside a vectorized loop
  int64_t loads = 0, stores = 0;  // of global and shared buffers
  int64_t local_accesses = 0;     // loads and stores of local buffers (registers)
  std::vector<int64_t> misses;    // one count per cache level, L1 first
  std::vector<BufferCost> buffers;  // in the order first accessed; local buffers left out
};

/// The cost of one run: a line per kernel in the order first called (the host function is
/// called first, so it comes first), and their sum (`total.buffers` is empty).
struct CostReport {
  CpuTarget target;
  std::vector<KernelCost> kernels;
  KernelCost total;
  std::vector<Tensor> outputs;  // what the run computed, as RunFunction returns them
};

/// Runs `function` of `module` on `inputs` with the interpreter, feeding every access of a
/// global or shared buffer to a simulator of `target`'s caches (never flushed between
/// kernels, as on a real run) and counting ops. Nullopt with *error set when the target
/// cannot be simulated or the run fails (the interpreter's message).
std::optional<CostReport> MeasureCost(const Module& module, const Function& function,
                                      const std::vector<Tensor>& inputs, const CpuTarget& target,
                                      std::string* error);

/// A fixed-width table, under 100 columns: a header naming the target and its caches, a line
/// per kernel (calls, ops, loads, stores, misses per level, L1 miss rate), a total line, then
/// each kernel's buffers (loads, stores, misses per level).
std::string FormatCostReport(const CostReport& report);

}  // namespace tessel::loops
