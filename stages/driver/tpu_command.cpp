// `tessel tpu run`: assemble, check functionally, time, print the counters.
#include "stages/driver/tpu_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>

#include "stages/common/diagnostics.h"
#include "stages/tpu/assembler.h"
#include "stages/tpu/functional_sim.h"
#include "stages/tpu/timing_sim.h"

namespace tessel {

namespace {

int Fail(const std::string& message) {
  std::cerr << "tessel: error: " << message << "\n";
  return 1;
}

// The DRAM a program touches: one past the last byte any LOAD or STORE reaches.
size_t DramBytes(const std::vector<tpu::Instr>& program) {
  size_t bytes = 0;
  tpu::TpuDType dtype = tpu::TpuDType::kInt8;
  for (const tpu::Instr& instr : program) {
    if (instr.op == tpu::Opcode::kConfig) dtype = static_cast<tpu::TpuDType>(instr.dtype);
    if (instr.op != tpu::Opcode::kLoad && instr.op != tpu::Opcode::kStore) continue;
    int64_t row_bytes = instr.cols * tpu::ElementBytes(dtype);
    int64_t end = instr.dram + (instr.rows - 1) * instr.stride + row_bytes;
    bytes = std::max(bytes, static_cast<size_t>(std::max<int64_t>(end, 0)));
  }
  return bytes;
}

// The target --array, --dataflow name, or an error.
std::optional<tpu::TpuTarget> TargetFromOptions(const TpuOptions& options, std::string* error) {
  std::optional<tpu::TpuTarget> target = tpu::ParseTpuTarget(options.array, error);
  if (!target) {
    *error = "--array " + *error;
    return std::nullopt;
  }
  if (!options.dataflow.empty()) {
    std::optional<tpu::Dataflow> dataflow = tpu::ParseDataflow(options.dataflow);
    if (!dataflow) {
      *error = "--dataflow '" + options.dataflow + "': expected ws or os";
      return std::nullopt;
    }
    target->dataflow = *dataflow;
  }
  return target;
}

int RunProgram(const TpuOptions& options) {
  std::string error;
  std::optional<tpu::TpuTarget> target = TargetFromOptions(options, &error);
  if (!target) return Fail(error);
  std::optional<SourceFile> file = ReadSourceFile(options.program, &error);
  if (!file) return Fail(error);
  DiagnosticEngine diags;
  std::optional<tpu::AsmProgram> program = tpu::Assemble(*file, diags);
  diags.Print(std::cerr);
  if (!program) return 1;

  // What it computes: errors such as out-of-range addresses or deadlocks.
  std::vector<uint8_t> dram(DramBytes(program->instrs), 0);
  tpu::FunctionalSim functional(*target);
  if (!functional.Run(program->instrs, dram, &error)) return Fail(options.program + ": " + error);

  // When: the timing model.
  tpu::TimingOptions timing;
  timing.mode = options.mode == "compatible" ? tpu::TimingMode::kCompatible
                                              : tpu::TimingMode::kPipelined;
  timing.record_timeline = options.trace || !options.trace_json.empty();
  std::optional<tpu::TimingResult> result =
      tpu::SimulateTiming(*target, program->instrs, timing, &error);
  if (!result) return Fail(options.program + ": " + error);

  if (!options.trace_json.empty()) {
    std::ofstream out(options.trace_json);
    out << tpu::TimingToJson(*result, *target);
    if (!out) return Fail("cannot write '" + options.trace_json + "'");
  }
  if (options.json) {
    std::cout << tpu::TimingToJson(*result, *target);
    return 0;
  }
  std::cout << options.program << ": " << program->instrs.size() << " instructions on "
            << target->rows << "x" << target->cols << " "
            << tpu::DataflowName(target->dataflow) << ", " << tpu::TimingModeName(timing.mode)
            << " timing\n";
  std::cout << tpu::FormatTimingCounters(*result, *target);
  if (options.trace) std::cout << tpu::FormatTimeline(*result, program->instrs);
  return 0;
}

}  // namespace

CLI::App* AddTpuCommand(CLI::App& app, TpuOptions& options) {
  CLI::App* tpu = app.add_subcommand("tpu", "The simulated systolic-array TPU (docs/tpu.md)");
  tpu->require_subcommand(1);
  CLI::App* run = tpu->add_subcommand("run", "Assemble a TPU program, run it and time it");
  run->add_option("program", options.program, "The assembly file (.s)")->required();
  run->add_option("--array", options.array, "A preset (default, tpu_v1) or RxC, e.g. 16x16");
  run->add_option("--dataflow", options.dataflow, "ws (weight-stationary) or os")
      ->check(CLI::IsMember({"ws", "os"}));
  run->add_option("--mode", options.mode, "compatible (SCALE-Sim) or pipelined")
      ->check(CLI::IsMember({"compatible", "pipelined"}));
  run->add_flag("--trace", options.trace, "Print the timeline, one instruction a line");
  run->add_option("--trace-json", options.trace_json, "Write counters and timeline as JSON");
  run->add_flag("--json", options.json, "Print the counters as JSON");
  return tpu;
}

int RunTpuCommand(const CLI::App& tpu, const TpuOptions& options) {
  if (tpu.got_subcommand("run")) return RunProgram(options);
  return Fail("tessel tpu: unknown subcommand");
}

}  // namespace tessel
