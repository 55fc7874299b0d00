// tessel-fuzz's loop-IR leg (loops_leg.h).
#include "fuzz/loops_leg.h"

#include <random>

#include "stages/ir/interpreter.h"
#include "stages/loops/interpreter.h"
#include "stages/loops/lower_module.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"
#include "stages/loops/printer.h"
#include "stages/loops/verifier.h"

namespace tessel::fuzz {

namespace {

struct Names {
  std::vector<std::string> loops, buffers;  // buffers: allocated or parameters, with '%'
};

Names NamesOf(const loops::Function& f) {
  Names names;
  for (const loops::BufferPtr& p : f.params()) names.buffers.push_back("%" + p->name);
  loops::ForEachStmt(f.body, [&](const loops::Stmt& s) {
    if (s.kind == loops::Stmt::Kind::kFor) names.loops.push_back(s.var);
    if (s.kind == loops::Stmt::Kind::kAllocate) names.buffers.push_back("%" + s.buffer->name);
  });
  return names;
}

loops::Step RandomStep(const loops::Function& f, std::mt19937_64& rng, int n) {
  Names names = NamesOf(f);
  auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  auto factor = [&]() { return std::to_string(2 + rng() % 7); };
  std::string fresh = "r" + std::to_string(n);
  const char* kinds[] = {"split", "split", "tile", "fuse", "reorder", "distribute", "unroll",
                         "vectorize", "parallel", "peel", "enclose", "split_storage", "compute_inline", "compute_at", "cache_read",
                         "cache_write"};
  std::string kind = kinds[rng() % std::size(kinds)];
  if (names.loops.empty()) return {"unroll", {"none"}, {}, {}};
  std::string l1 = pick(names.loops), l2 = pick(names.loops), b = pick(names.buffers);
  if (kind == "split") return {kind, {l1, factor()}, {fresh + "o", fresh + "i"}, {}};
  if (kind == "tile") return {kind, {l1, l2, factor(), factor()}, {fresh + "a", fresh + "b", fresh + "c", fresh + "d"}, {}};
  if (kind == "fuse") return {kind, {l1, l2}, {fresh + "f"}, {}};
  if (kind == "enclose") return {kind, {l1}, {fresh + "e"}, {}};
  if (kind == "split_storage") return {kind, {b, "0", factor()}, {}, {}};
  if (kind == "reorder") return {kind, {l1, l2}, {}, {}};
  if (kind == "compute_inline") return {kind, {b}, {}, {}};
  if (kind == "compute_at") return {kind, {b, l1}, {}, {}};
  if (kind == "cache_read" || kind == "cache_write") return {kind, {b, l1}, {"%" + fresh + "c"}, {}};
  return {kind, {l1}, {}, {}};
}

std::optional<Tensor> RunLoops(const ir::Module& module, const ir::Function& entry,
                               const std::vector<Tensor>& args, int random_steps, uint64_t seed,
                               std::string* error) {
  ScheduledLoops scheduled = ScheduleLoops(module, entry, args, random_steps, seed, error);
  if (!scheduled.module) return scheduled.interpreted;
  std::optional<Tensor> result = loops::RunModule(*scheduled.module, args, error);
  if (!result) *error += "\nthe schedules applied:\n" + scheduled.applied;
  return result;
}

}  // namespace

std::vector<loops::Step> RandomSchedule(const loops::Function& f, uint64_t seed, int steps) {
  std::mt19937_64 rng(seed);
  loops::Function g = f;
  std::vector<loops::Step> accepted;
  for (int n = 0; n < steps * 4 && static_cast<int>(accepted.size()) < steps; ++n) {
    loops::Step step = RandomStep(g, rng, n);
    loops::Function trial = g;
    try {
      loops::ApplyPrimitive(trial, step);
    } catch (const loops::ScheduleError&) {
      continue;
    }
    g = std::move(trial);
    accepted.push_back(std::move(step));
  }
  return accepted;
}

ScheduledLoops ScheduleLoops(const ir::Module& module, const ir::Function& entry,
                             const std::vector<Tensor>& args, int random_steps, uint64_t seed,
                             std::string* error) {
  ScheduledLoops out;
  if (entry.blocks().size() != 1) {  // no kernel form: the IR interpreter runs it
    ir::RuntimeError runtime_error;
    out.interpreted = ir::Interpret(module, entry, args, &runtime_error, {.execute_memory_plan = true});
    if (!out.interpreted) *error = runtime_error.message;
    return out;
  }
  std::optional<loops::Module> lowered = loops::LowerModule(module, entry, error);
  if (!lowered) return out;
  uint64_t kernel_seed = seed;  // the campaign's: the same for every program
  for (loops::Function& f : lowered->functions) {
    if (!f.is_kernel) continue;
    // Seeded by the kernel's text too, so that rerunning one program repeats its schedules.
    uint64_t text_hash = std::hash<std::string>{}(loops::PrintFunction(f));
    std::vector<loops::Step> steps = random_steps > 0
        ? RandomSchedule(f, kernel_seed ^ text_hash, random_steps)
        : loops::DefaultSchedule(f);
    out.applied += "@" + f.name + ":\n";
    for (const loops::Step& step : steps) {
      out.applied += "  " + loops::FormatStep(step) + "\n";
      try {
        loops::ApplyPrimitive(f, step);
      } catch (const loops::ScheduleError& e) {
        *error = "@" + f.name + ": '" + loops::FormatStep(step) + "' was accepted on a copy, then refused: " + e.what();
        return out;
      }
      std::vector<std::string> problems = loops::VerifyFunction(*lowered, f);
      if (!problems.empty()) {
        *error = "after '" + loops::FormatStep(step) + "' the verifier refuses the loop IR: " +
                 problems.front() + "\nthe schedules applied:\n" + out.applied + "\n" + loops::PrintFunction(f);
        return out;
      }
    }
  }
  out.module = std::move(lowered);
  return out;
}

Configuration LoopsConfiguration(int random_steps, uint64_t seed) {
  Configuration c;
  c.name = random_steps > 0 ? "-O2 loops, " + std::to_string(random_steps) + " random steps"
                            : "-O2 loops, default schedule";
  for (const std::string& name : opt::PipelineForLevel(2)) c.passes.push_back(*opt::FindPass(name));
  c.bit_exact = false;
  c.run = [random_steps, seed](const ir::Module& module, const ir::Function& entry,
                               const std::vector<Tensor>& args, std::string* error) {
    return RunLoops(module, entry, args, random_steps, seed, error);
  };
  return c;
}

}  // namespace tessel::fuzz
