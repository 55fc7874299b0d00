// `tessel tpu run|gemm|conv`: build or assemble a program, check it functionally,
// time it, print the counters.
#include "stages/driver/tpu_command.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "stages/common/diagnostics.h"
#include "stages/common/not_implemented.h"
#include "stages/driver/run_command.h"
#include "stages/driver/tpu_layer.h"
#include "stages/tpu/assembler.h"
#include "stages/tpu/functional_sim.h"
#include "stages/tpu/timing_sim.h"

namespace tessel {

namespace {

// Functional checks above this many multiply-adds are skipped unless asked for: the
// simulator and the plain loops each need about a second per billion.
constexpr int64_t kCheckMacLimit = int64_t{4} << 30;

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

// The machine: --preset, then --array on it, then --dataflow; or an error.
std::optional<tpu::TpuTarget> TargetFromOptions(const TpuOptions& options, std::string* error) {
  std::optional<tpu::TpuTarget> base;
  if (options.preset == "default" || options.preset == "tpu_v1") {
    base = tpu::ParseTpuTarget(options.preset, error);
  } else {
    *error = "--preset: expected default or tpu_v1, found '" + options.preset + "'";
    return std::nullopt;
  }
  std::optional<tpu::TpuTarget> target = base;
  if (!options.array.empty()) target = tpu::ParseTpuTarget(options.array, error, *base);
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
  if (options.activations == "on-chip") *target = tpu::WithActivationsOnChip(*target);
  return target;
}

tpu::TimingMode ModeFromOptions(const TpuOptions& options) {
  return options.mode == "compatible" ? tpu::TimingMode::kCompatible : tpu::TimingMode::kPipelined;
}

std::optional<tpu::TimingResult> Time(const tpu::TpuTarget& target,
                                      const std::vector<tpu::Instr>& program,
                                      const TpuOptions& options, std::string* error) {
  tpu::TimingOptions timing;
  timing.mode = ModeFromOptions(options);
  timing.record_timeline = options.trace || !options.trace_json.empty();
  return tpu::SimulateTiming(target, program, timing, error);
}

// "(1 config, 8 load, ...)": how many of each opcode, in ISA order.
std::string OpcodeCounts(const std::vector<tpu::Instr>& program) {
  std::array<int64_t, tpu::kNumOpcodes> counts{};
  for (const tpu::Instr& instr : program) ++counts[size_t(instr.op)];
  std::string text;
  for (int op = 0; op < tpu::kNumOpcodes; ++op) {
    if (counts[size_t(op)] == 0) continue;
    text += (text.empty() ? "" : ", ") + std::to_string(counts[size_t(op)]) + " " +
            tpu::GetOpInfo(tpu::Opcode(op)).mnemonic;
  }
  return "(" + text + ")";
}

std::string Fixed(double value, int digits = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << value;
  return s.str();
}

// Prints (or writes) what a timing run found: the counters, then the timeline.
int Report(const tpu::TpuTarget& target, const std::vector<tpu::Instr>& program,
           const tpu::TimingResult& result, const TpuOptions& options, nlohmann::json extra) {
  nlohmann::json timing = nlohmann::json::parse(tpu::TimingToJson(result, target));
  if (!options.trace_json.empty()) {
    std::ofstream out(options.trace_json);
    out << timing.dump(2) << "\n";
    if (!out) return ReportUserError("cannot write '" + options.trace_json + "'");
  }
  if (options.json) {
    if (extra.is_null()) {
      std::cout << timing.dump(2) << "\n";
    } else {
      extra["timing"] = timing;
      std::cout << extra.dump(2) << "\n";
    }
    return 0;
  }
  std::cout << tpu::FormatTimingCounters(result, target);
  if (options.trace) std::cout << tpu::FormatTimeline(result, program);
  return 0;
}

int RunProgram(const TpuOptions& options) {
  std::string error;
  std::optional<tpu::TpuTarget> target = TargetFromOptions(options, &error);
  if (!target) return ReportUserError(error);
  std::optional<SourceFile> file = ReadSourceFile(options.program, &error);
  if (!file) return ReportUserError(error);
  DiagnosticEngine diags;
  std::optional<tpu::AsmProgram> program = tpu::Assemble(*file, diags);
  diags.Print(std::cerr);
  if (!program) return 1;

  // What it computes: errors such as out-of-range addresses or deadlocks.
  std::vector<uint8_t> dram(DramBytes(program->instrs), 0);
  tpu::FunctionalSim functional(*target);
  if (!functional.Run(program->instrs, dram, &error))
    return ReportUserError(options.program + ": " + error);

  // When: the timing model.
  std::optional<tpu::TimingResult> result = Time(*target, program->instrs, options, &error);
  if (!result) return ReportUserError(options.program + ": " + error);
  if (!options.json) {
    std::cout << options.program << ": " << program->instrs.size() << " instructions on "
              << target->rows << "x" << target->cols << " " << tpu::DataflowName(target->dataflow)
              << ", " << options.mode << " timing\n";
  }
  return Report(*target, program->instrs, *result, options, nullptr);
}

// The layer `tessel tpu gemm|conv` asked for.
TpuLayer LayerFromOptions(const TpuOptions& options, bool conv) {
  const tpu::TpuDType dtype = *tpu::ParseTpuDType(options.dtype);
  const std::vector<int64_t>& s = options.sizes;
  tpu::OutputTransform output;
  output.relu = options.relu;
  TpuLayer layer;
  if (!conv) {
    layer.gemm = tpu::GemmProblem{};
    layer.gemm->m = s[0], layer.gemm->n = s[1], layer.gemm->k = s[2];
    layer.gemm->dtype = dtype;
  } else {
    tpu::Conv2dProblem p;
    p.batch = s[0], p.channels = s[1], p.height = s[2], p.width = s[3];
    p.filters = s[4], p.kernel_h = s[5], p.kernel_w = s[6];
    p.stride = options.stride;
    p.padding = options.pad;
    p.dtype = dtype;
    layer.conv = p;
  }
  if (dtype == tpu::TpuDType::kInt8) {
    output.shift = options.shift >= 0 ? options.shift : DefaultRequantShift(layer.ArrayGemm().k);
  }
  (layer.gemm ? layer.gemm->output : layer.conv->output) = output;
  return layer;
}

// SCALE-Sim's closed form for the GEMMs the array runs (one per image for a convolution).
tpu::ScaleSimReport ClosedForm(const tpu::TpuTarget& target, const TpuLayer& layer) {
  tpu::ScaleSimReport one =
      tpu::ScaleSimGemm(layer.ArrayGemm(), target.rows, target.cols, target.dataflow);
  const int64_t runs = layer.ArrayGemmRuns();
  tpu::ScaleSimReport all = one;
  all.folds = one.folds * runs;
  all.total_cycles = runs * (one.total_cycles + 1) - 1;
  all.macs = one.macs * runs;
  all.utilization =
      double(all.macs) / (double(all.total_cycles) * double(target.rows) * double(target.cols));
  return all;
}

// Everything `tessel tpu gemm|conv` learns about one layer, for the summary and the JSON.
struct LayerRun {
  tpu::TpuTarget target;
  TpuLayer layer;
  MappedLayer mapped;
  bool conv = false;
  bool checked = false;  // the functional check ran
  LayerCheck check;
  tpu::TimingResult timing;
  tpu::ScaleSimReport closed;         // the closed form of the GEMM the program runs
  tpu::ScaleSimReport scalesim_conv;  // SCALE-Sim's own conv mapping (conv only)

  const char* Mapper() const { return conv ? "MapConv2d" : "MapGemm"; }
  const tpu::OutputTransform& Output() const {
    return layer.gemm ? layer.gemm->output : layer.conv->output;
  }
  bool Int8() const {
    return (layer.gemm ? layer.gemm->dtype : layer.conv->dtype) == tpu::TpuDType::kInt8;
  }
};

bool SaveProgram(const LayerRun& run, const std::string& path) {
  std::ofstream out(path);
  out << "; " << run.layer.Describe() << " on " << run.target.rows << "x" << run.target.cols
      << ", by lab06's mapping (tessel tpu " << (run.conv ? "conv" : "gemm") << ")\n"
      << tpu::DisassembleProgram(run.mapped.program);
  return static_cast<bool>(out);
}

nlohmann::json LayerJson(const LayerRun& run, const TpuOptions& options) {
  const tpu::OutputTransform& out = run.Output();
  nlohmann::json extra = {
      {"layer", run.layer.Describe()},
      {"output", {{"relu", out.relu}, {"shift", out.shift}, {"scale", out.scale}}},
      {"seed", options.seed},
      {"instructions", run.mapped.program.size()},
      {"check",
       {{"ran", run.checked}, {"outputs", run.check.outputs}, {"saturated", run.check.saturated}}},
      {"scalesim",
       {{"cycles", run.closed.total_cycles},
        {"utilization", run.closed.utilization},
        {"folds", run.closed.folds}}},
      {"activations", options.activations}};
  if (run.conv) {
    extra["scalesim_conv_mapping"] = {{"cycles", run.scalesim_conv.total_cycles},
                                      {"utilization", run.scalesim_conv.utilization},
                                      {"folds", run.scalesim_conv.folds}};
  }
  return extra;
}

void PrintCheckLine(const LayerRun& run, const TpuOptions& options) {
  if (!run.checked) {
    std::cout << "check: skipped (" << (options.no_check ? "--no-check" : "over 4 G MACs") << ")\n";
    return;
  }
  std::cout << "check: all " << run.check.outputs << " outputs equal the plain C++ "
            << (run.conv ? "convolution" : "GEMM");
  if (run.Int8()) {
    std::cout << " (" << Fixed(100.0 * run.check.saturated / run.check.outputs, 1)
              << " % saturated)";
  }
  std::cout << "\n";
}

void PrintScaleSimLines(const LayerRun& run) {
  std::cout << "SCALE-Sim closed form";
  if (run.conv) std::cout << " of the array's GEMM (M=K, K=CRS, N=PQ per image)";
  std::cout << ": " << run.closed.total_cycles << " cycles, " << Fixed(100 * run.closed.utilization)
            << " % utilization";
  if (run.timing.mode == tpu::TimingMode::kCompatible) {
    std::cout << (run.closed.total_cycles == run.timing.counters.cycles
                      ? " (the compatible timing agrees)"
                      : " (the compatible timing differs: the program does not run SCALE-Sim's "
                        "folds, docs/tpu.md §8.6)");
  }
  std::cout << "\n";
  if (!run.conv) return;
  std::cout << "SCALE-Sim's own conv mapping (filters stationary, the N*P*Q output pixels "
               "streamed): "
            << run.scalesim_conv.total_cycles << " cycles, "
            << Fixed(100 * run.scalesim_conv.utilization)
            << " % utilization; lab06 keeps the im2col tiles stationary instead "
               "(docs/tpu.md §10.4)\n";
}

void PrintLayerSummary(const LayerRun& run, const TpuOptions& options) {
  const tpu::OutputTransform& out = run.Output();
  std::cout << run.layer.Describe();
  if (run.Int8()) std::cout << ", requantized with shift " << out.shift;
  if (out.relu) std::cout << ", relu";
  std::cout << " (seed " << options.seed << ")";
  if (options.activations == "on-chip") std::cout << ", activations on chip";
  std::cout << "\n";
  std::cout << "program: " << run.mapped.program.size() << " instructions "
            << OpcodeCounts(run.mapped.program) << ", by lab06's " << run.Mapper() << "\n";
  PrintCheckLine(run, options);
  PrintScaleSimLines(run);
}

// A layer that waits on A and C more than on anything else gets a pointer to
// --activations on-chip, the setting of the TPU paper's roofline.
void PrintHostBoundNote(const LayerRun& run, const TpuOptions& options) {
  const tpu::TimingCounters& c = run.timing.counters;
  const int64_t host = c.load_dma.busy_cycles + c.store_dma.busy_cycles;
  const int64_t compute = c.macs / (int64_t{run.target.rows} * run.target.cols);
  const bool host_bound = host > std::max(compute, c.weight_dma.busy_cycles) ||
                          c.dependency_stall_cycles * 10 > c.cycles;
  if (options.activations != "dram" || !host_bound || host == 0) return;
  std::cout << "note: " << Fixed(100.0 * double(c.dependency_stall_cycles) / double(c.cycles), 1)
            << " % of the cycles wait on tokens; the load and store DMA that move A and C are "
            << host << " busy cycles (the array needs " << compute << ", the weights "
            << c.weight_dma.busy_cycles
            << "); --activations on-chip times the layer as the TPU paper does, with its input "
               "and output in the unified buffer\n";
}

int RunLayer(const TpuOptions& options, bool conv) {
  std::string error;
  std::optional<tpu::TpuTarget> target = TargetFromOptions(options, &error);
  if (!target) return ReportUserError(error);
  LayerRun run;
  run.target = *target;
  run.layer = LayerFromOptions(options, conv);
  run.conv = conv;
  std::optional<MappedLayer> mapped = MapLayer(run.target, run.layer, &error);
  if (!mapped) {
    return ReportUserError(run.layer.Describe() + " on " + target->name + " " +
                           std::to_string(target->rows) + "x" + std::to_string(target->cols) +
                           ": " + error);
  }
  run.mapped = std::move(*mapped);
  if (!options.save.empty() && !SaveProgram(run, options.save)) {
    return ReportUserError("cannot write '" + options.save + "'");
  }
  // What it computes, against the plain loops.
  run.checked = !options.no_check && run.layer.Macs() <= kCheckMacLimit;
  if (run.checked) {
    run.check = CheckLayer(run.target, run.mapped, options.seed);
    if (!run.check.ok) {
      return ReportUserError(
          run.layer.Describe() + ": the program's output is wrong: " + run.check.message +
          "\n  (lab06's " + run.Mapper() + " made it; --save FILE writes it as assembly)");
    }
  }
  // When.
  std::optional<tpu::TimingResult> timing = Time(run.target, run.mapped.program, options, &error);
  if (!timing) return ReportUserError(run.layer.Describe() + ": " + error);
  run.timing = std::move(*timing);
  run.closed = ClosedForm(run.target, run.layer);
  run.scalesim_conv = tpu::ScaleSimGemm(run.layer.ScaleSimGemmShape(), target->rows, target->cols,
                                        target->dataflow);
  if (!options.json) {
    PrintLayerSummary(run, options);
    PrintHostBoundNote(run, options);
  }
  return Report(run.target, run.mapped.program, run.timing, options, LayerJson(run, options));
}

// Adds the options every `tpu` subcommand has.
}  // namespace

int RunTpuCommand(const TpuOptions& options) {
  if (options.subcommand == "run") return RunProgram(options);
  try {
    if (options.subcommand == "gemm") return RunLayer(options, false);
    if (options.subcommand == "conv") return RunLayer(options, true);
  } catch (const NotImplemented& e) {
    return ReportSkeleton(e);
  }
  return ReportUserError("tessel tpu: unknown subcommand");
}

}  // namespace tessel
