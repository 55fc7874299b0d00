// tessel-fuzz's loop-IR leg (stage 4): a program compiled at -O2, lowered to loop IR, each
// kernel scheduled by a random sequence of primitives (whatever they accept), and run by the
// loop-IR interpreter; compared with -O0 with numpy.allclose (loop IR rounds each f32
// operation where the SSA interpreter accumulates in double).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/differential.h"
#include "stages/loops/loop_ir.h"
#include "stages/loops/schedule.h"

namespace tessel::fuzz {

/// Up to `steps` random schedule steps for kernel `f`, each kept only if its primitive accepts
/// it (tried on a copy): split, tile, fuse, reorder, distribute, unroll, vectorize, parallel,
/// compute_inline, compute_at, cache_read and cache_write, on the kernel's own loops and
/// buffers. Deterministic in `seed`.
std::vector<loops::Step> RandomSchedule(const loops::Function& f, uint64_t seed, int steps);

/// A -O2 program lowered to loop IR with its kernels scheduled: by the default scheduler
/// (`random_steps` 0) or that many random steps each, the verifier after every step.
struct ScheduledLoops {
  std::optional<loops::Module> module;  // the scheduled loop IR
  std::optional<Tensor> interpreted;    // an entry with no kernel form: the IR interpreter's output
  std::string applied;                  // the schedules applied, for a failure's report
};
/// Neither module nor interpreted: *error says why.
ScheduledLoops ScheduleLoops(const ir::Module& module, const ir::Function& entry,
                             const std::vector<Tensor>& args, int random_steps, uint64_t seed,
                             std::string* error);

/// The configuration "-O2 loops": lowered, the default schedule (when `random_steps` is 0) or
/// that many random steps per kernel, run in the loop-IR interpreter. An entry that keeps
/// control flow after -O2 has no kernel form; it runs in the IR interpreter instead (the loop
/// IR has no host control flow), which the campaign counts.
Configuration LoopsConfiguration(int random_steps, uint64_t seed);

}  // namespace tessel::fuzz
