// Running and timing a compiled model in-process (stage 6): the runtime's tensors bound to the
// entry point's pointers (render_module.h's `NAME_packed`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stages/cpu/compile.h"
#include "stages/loops/loop_ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::cpu {

struct TimeOptions {
  int warmup = 3;             // runs before timing
  int min_runs = 10;          // at least this many timed runs
  double min_seconds = 0.5;   // and at least this long in all
  int max_runs = 100000;
};

struct TimingStats {
  int runs = 0;
  int threads = 0;
  double median_ms = 0, min_ms = 0, max_ms = 0;
};

/// "median 1.234 ms (min 1.200, max 1.400; 25 runs, 2 threads)".
std::string FormatTiming(const TimingStats& stats);

/// The threads OpenMP uses without --threads: $OMP_NUM_THREADS, else every core.
int DefaultThreads();

class CompiledEntry {
 public:
  /// Loads `entry` (its `_packed` and `_set_threads` symbols) from a shared object.
  static std::unique_ptr<CompiledEntry> Load(const std::string& library_path,
                                             const std::string& entry, std::string* error);
  /// The thread count of later runs (0: DefaultThreads()).
  void SetThreads(int threads);
  int threads() const { return threads_; }

  /// Runs the entry whose loop-IR signature is `f` on `inputs` (checked against its inputs'
  /// dtypes and shapes); returns its outputs, or nullopt with *error set.
  std::optional<std::vector<Tensor>> Run(const loops::Function& f, const std::vector<Tensor>& inputs,
                                         std::string* error) const;
  /// Times Run: warm-up runs, then repeats; the median and the spread.
  TimingStats Time(const loops::Function& f, const std::vector<Tensor>& inputs,
                   const TimeOptions& options = {}) const;

 private:
  CompiledEntry() = default;
  std::unique_ptr<SharedLibrary> library_;
  void (*packed_)(void**) = nullptr;
  void (*set_threads_)(int) = nullptr;
  int threads_ = 0;
};

}  // namespace tessel::cpu
