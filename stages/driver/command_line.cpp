// The `tessel` command line: every subcommand and the options it fills, in one
// place (CLI11). The commands' logic lives in their own files (run_command.cpp,
// tpu_command.cpp, tools/course/); this file only maps flags to option structs,
// and lets `tessel lint-docs` parse a documented command without running it.
#include "stages/driver/command_line.h"

#include <CLI/CLI.hpp>

#include "stages/driver/filecheck_command.h"
#include "stages/driver/optimize.h"
#include "stages/driver/run_command.h"
#include "stages/driver/tpu_command.h"
#include "tools/course/commands.h"

namespace tessel {

namespace {

CLI::App* AddRunCommand(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Compile and run a Tessel program (.tsl) or IR (.ir)");
  run->add_option("file", options.file, "The program: .tsl source or .ir text")->required();
  run->add_option("--emit", options.emit, "Print this stage's output instead of running")
      ->check(CLI::IsMember({"tokens", "ast", "ir", "opt", "loops", "c"}));
  run->add_option("--target", options.target,
                  "What runs the program: interp (the IR interpreter), loops (lowered to loop "
                  "IR, run by its interpreter) or c (compiled to C and run in-process)")
      ->check(CLI::IsMember({"interp", "loops", "c"}));
  run->add_option("--threads", options.threads,
                  "C: the threads parallel loops use (default: $OMP_NUM_THREADS or every core)")
      ->check(CLI::Range(1, 4096));
  run->add_flag("--time", options.time,
                "C: time the compiled model (warm-up, then repeated runs: median and spread)");
  run->add_option("--cc", options.cc, "C: the C compiler (default: $TESSEL_CC, $CC or cc)");
  run->add_option("--cflags", options.cflags,
                  "C: the compiler's flags (default: $TESSEL_CFLAGS or -O3 -march=native -fopenmp)");
  run->add_option("--schedule", options.schedule,
                  "Loop IR: apply this schedule file (lab04_loop_ir/README.md) instead of the "
                  "default scheduler's; none: the loops as lowered");
  run->add_flag("--cost", options.cost,
                "Loop IR: print the cost model's counts per kernel (ops, loads, stores, cache "
                "misses) after the run");
  run->add_option("--cost-target", options.cost_target,
                  "The caches --cost simulates: grading (fixed: L1 32 KiB, L2 512 KiB) or host")
      ->check(CLI::IsMember({"grading", "host"}));
  run->add_option("--entry", options.entry, "The function to run");
  run->add_option("--shape", options.shapes, "A shape variable of the entry: B=8 (repeatable)");
  run->add_option("--arg", options.args,
                  "A scalar parameter of the entry: residual=true (repeatable)");
  run->add_option("--input", options.inputs, "A parameter's value: name=file.npy (repeatable)");
  run->add_option("--output-dir", options.output_dir, "Write the inputs and the output as .npy");
  run->add_option("--seed", options.seed, "Seed of the random inputs for parameters not given");
  run->add_flag("--no-seed", options.no_seed,
                "Make a parameter without --input an error instead of seeding it");
  run->add_flag("--dot{all}", options.dot,
                "With --emit ir or opt: Graphviz DOT instead of text; --dot=cfg, dataflow or "
                "kernels for one graph (default: cfg and dataflow, or kernels for opt)")
      ->check(CLI::IsMember({"all", "cfg", "dataflow", "kernels"}));
  run->add_option("-O", options.opt_level,
                  "Optimization level 0..3 (-O2): 1 and above give the kernel form")
      ->check(CLI::Range(0, 3));
  run->add_option("--passes", options.passes,
                  "Run these passes instead of -O's pipeline: inline,unroll,... (`tessel passes` lists them)");
  run->add_option("--print-before", options.print_before,
                  "Print the IR before this pass (or all); repeatable");
  run->add_option("--print-after", options.print_after,
                  "Print the IR after this pass (or all); repeatable");
  run->add_flag("--verify-each", options.verify_each, "Verify the IR after every pass");
  run->add_flag("--stats", options.stats, "Print what each pass did (ops, counters, time)");
  run->add_flag("--locations", options.locations,
                "With --emit ir: print each instruction's source location, loc(\"file\":line:col)");
  return run;
}

// The options every `tpu` subcommand takes.
void AddMachineOptions(CLI::App* command, TpuOptions& options) {
  command->add_option("--preset", options.preset, "The machine: default (16x16) or tpu_v1")
      ->check(CLI::IsMember({"default", "tpu_v1"}));
  command->add_option("--array", options.array, "The array RxC on the preset (or a preset)");
  command->add_option("--dataflow", options.dataflow, "ws (weight-stationary) or os")
      ->check(CLI::IsMember({"ws", "os"}));
  command->add_option("--mode", options.mode, "compatible (SCALE-Sim) or pipelined")
      ->check(CLI::IsMember({"compatible", "pipelined"}));
  command
      ->add_option("--activations", options.activations,
                   "dram: LOAD/STORE cross the host link; on-chip: they are free, as when "
                   "a layer's input and output stay in the unified buffer")
      ->check(CLI::IsMember({"dram", "on-chip"}));
  command->add_flag("--trace", options.trace, "Print the timeline, one instruction a line");
  command->add_option("--trace-json", options.trace_json, "Write counters and timeline as JSON");
  command->add_flag("--json", options.json, "Print the counters as JSON");
}

// Adds the options of `gemm` and `conv`.
void AddLayerOptions(CLI::App* command, TpuOptions& options) {
  AddMachineOptions(command, options);
  command->add_option("--dtype", options.dtype, "int8 (requantized) or f32")
      ->check(CLI::IsMember({"int8", "f32"}));
  command->add_flag("--relu", options.relu, "Apply relu before requantization");
  command->add_option("--shift", options.shift, "int8 requantization shift (default: from K)")
      ->check(CLI::Range(0, 63));
  command->add_option("--seed", options.seed, "Seed of the random operands");
  command->add_flag("--no-check", options.no_check, "Skip the functional run and comparison");
  command->add_option("--save", options.save, "Write the program as assembly to this file");
}

CLI::App* AddTpuCommand(CLI::App& app, TpuOptions& options) {
  CLI::App* tpu = app.add_subcommand("tpu", "The simulated systolic-array TPU (docs/tpu.md)");
  tpu->require_subcommand(1);
  CLI::App* run = tpu->add_subcommand("run", "Assemble a TPU program, run it and time it");
  run->add_option("program", options.program, "The assembly file (.s)")->required();
  AddMachineOptions(run, options);

  CLI::App* gemm =
      tpu->add_subcommand("gemm", "Map C[MxN] = A[MxK] * B[KxN] with lab06, check it, time it");
  gemm->add_option("sizes", options.sizes, "M N K")
      ->required()
      ->expected(3)
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  AddLayerOptions(gemm, options);

  CLI::App* conv =
      tpu->add_subcommand("conv", "Map a 2-D convolution (NCHW * KCRS) with lab06, check, time");
  conv->add_option("sizes", options.sizes,
                   "N C H W K R S: batch, channels, height, width, "
                   "filters, kernel height, kernel width")
      ->required()
      ->expected(7)
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  conv->add_option("--stride", options.stride, "Stride (both dimensions)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 16));
  conv->add_option("--pad", options.pad, "Zero padding (all four sides)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 16));
  AddLayerOptions(conv, options);
  return tpu;
}

CLI::App* AddFileCheckCommand(CLI::App& app, FileCheckCommandOptions& options) {
  CLI::App* filecheck = app.add_subcommand(
      "filecheck", "Check a text (standard input) against CHECK directives (FileCheck)");
  filecheck->add_option("checks", options.checks, "The file with the CHECK: lines")->required();
  filecheck->add_option("--input", options.input, "The file to check (default: standard input)");
  filecheck->add_option("--prefix", options.prefix, "The directive prefix (default: CHECK)");
  return filecheck;
}

// The whole command line: every subcommand with the options it fills.
struct CommandLine {
  CLI::App app{"Tessel: a from-scratch ML compiler, built as a course"};
  RunOptions run_options;
  TpuOptions tpu_options;
  FileCheckCommandOptions filecheck_options;
  course::CourseCommands course;
  CLI::App* run = nullptr;
  CLI::App* tpu = nullptr;
  CLI::App* filecheck = nullptr;
  CLI::App* passes = nullptr;

  CommandLine() {
    app.require_subcommand(1);
    run = AddRunCommand(app, run_options);
    tpu = AddTpuCommand(app, tpu_options);
    filecheck = AddFileCheckCommand(app, filecheck_options);
    passes = app.add_subcommand("passes", "List the graph passes (lab03) and the -O pipelines");
    course::AddCourseCommands(app, course);
  }
};

// For `tessel lint-docs`: whether `args` (without "tessel") parse as the real command line
// would parse them. Only the parse: nothing runs. A missing positional is not the docs'
// fault (prose shows commands without their file), so only other errors count.
std::optional<std::string> CheckCommand(const std::vector<std::string>& args) {
  CommandLine command_line;
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    command_line.app.parse(reversed);
  } catch (const CLI::RequiredError& e) {
    if (command_line.app.get_subcommands().empty()) return std::string(e.what());
  } catch (const CLI::CallForHelp&) {
  } catch (const CLI::ParseError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

}  // namespace

int RunCommandLine(int argc, char** argv) {
  CommandLine command_line;
  command_line.course.lint_docs.check_command = CheckCommand;
  try {
    command_line.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return command_line.app.exit(e);
  }
  if (command_line.run->parsed()) return RunCommand(command_line.run_options);
  if (command_line.filecheck->parsed()) return RunFileCheckCommand(command_line.filecheck_options);
  if (command_line.passes->parsed()) return ListPasses();
  if (command_line.tpu->parsed()) {
    for (const CLI::App* sub : command_line.tpu->get_subcommands()) {
      command_line.tpu_options.subcommand = sub->get_name();
    }
    return RunTpuCommand(command_line.tpu_options);
  }
  return course::RunCourseCommand(command_line.course).value_or(0);
}

}  // namespace tessel
