// tessel-fuzz's C leg (c_leg.h).
#include "fuzz/c_leg.h"

#include <cstdlib>
#include <fstream>

#include "fuzz/loops_leg.h"
#include "stages/common/not_implemented.h"
#include "stages/cpu/compiled_entry.h"
#include "stages/cpu/render_module.h"
#include "stages/loops/interpreter.h"
#include "stages/loops/printer.h"

namespace tessel::fuzz {

namespace {

int64_t oversized = 0;

std::optional<Tensor> RunC(const ir::Module& module, const ir::Function& entry,
                           const std::vector<Tensor>& args, int random_steps, uint64_t seed,
                           const cpu::CompilerConfig& config, size_t max_source_bytes,
                           std::string* error) {
  ScheduledLoops scheduled = ScheduleLoops(module, entry, args, random_steps, seed, error);
  if (!scheduled.module) return scheduled.interpreted;
  const loops::Function* f = scheduled.module->Entry();
  cpu::CModuleOptions options;
  options.header_name = "fuzz.h";
  cpu::CSource source = cpu::RenderModuleC(*scheduled.module, options);
  std::string whole = source.header + "\n" + source.c;
  whole.erase(whole.find("#include \"fuzz.h\""), 17);
  if (whole.size() > max_source_bytes) {
    // Random schedules can unroll bounds expressions into megabytes of C, which the C compiler
    // takes minutes over: such a program runs in the loop-IR interpreter, and is counted.
    ++oversized;
    std::optional<Tensor> result = loops::RunModule(*scheduled.module, args, error);
    return result;
  }
  if (const char* dump = std::getenv("TESSEL_FUZZ_C_DUMP")) {
    // For debugging a mismatch: the last program's scheduled loop IR and its C.
    std::ofstream(std::string(dump) + ".loops") << loops::PrintModule(*scheduled.module);
    std::ofstream(std::string(dump) + ".c") << whole;
  }
  std::optional<cpu::CompiledFile> compiled = cpu::CompileC(whole, config, error);
  auto explain = [&] {
    *error += "\nthe schedules applied:\n" + scheduled.applied + "\nthe loop IR:\n" +
              loops::PrintModule(*scheduled.module);
  };
  if (!compiled) return explain(), std::nullopt;
  std::unique_ptr<cpu::CompiledEntry> model = cpu::CompiledEntry::Load(compiled->library_path, source.entry, error);
  if (!model) return explain(), std::nullopt;
  model->SetThreads(2);
  std::optional<std::vector<Tensor>> outputs = model->Run(*f, args, error);
  if (!outputs) return explain(), std::nullopt;
  return std::move(outputs->front());
}

}  // namespace

int64_t OversizedCPrograms() { return oversized; }

Configuration CConfiguration(int random_steps, uint64_t seed, const std::string& cflags,
                             size_t max_source_bytes) {
  Configuration c;
  c.name = random_steps > 0 ? "-O2 C, " + std::to_string(random_steps) + " random steps"
                            : "-O2 C, default schedule";
  for (const std::string& name : opt::PipelineForLevel(2)) c.passes.push_back(*opt::FindPass(name));
  c.bit_exact = false;
  cpu::CompilerConfig config = cpu::CompilerFromEnvironment("", cflags.empty() ? "-O2 -march=native -fopenmp" : cflags);
  c.run = [random_steps, seed, config, max_source_bytes](const ir::Module& module, const ir::Function& entry,
                                       const std::vector<Tensor>& args, std::string* error) {
    return RunC(module, entry, args, random_steps, seed, config, max_source_bytes, error);
  };
  return c;
}

}  // namespace tessel::fuzz
