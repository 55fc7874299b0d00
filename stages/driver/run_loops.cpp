// The loop-IR path of `tessel run` (run_loops.h).
#include "stages/driver/run_loops.h"

#include <iostream>
#include <set>

#include "stages/driver/run_c.h"
#include "stages/driver/run_ir.h"
#include "stages/common/diagnostics.h"
#include "stages/loops/cost_model.h"
#include "stages/loops/interpreter.h"
#include "stages/loops/parser.h"
#include "stages/loops/verifier.h"
#include "stages/loops/lower_module.h"
#include "stages/loops/primitives.h"
#include "stages/loops/printer.h"
#include "stages/loops/schedule.h"

namespace tessel {

namespace {

// The default scheduler's steps (lab04.t5) for every kernel not in `skip`, verified as any
// schedule is. Errors are printed; returns whether they applied.
bool ApplyDefaultSchedule(loops::Module& module, const std::set<std::string>& skip) {
  DiagnosticEngine diags;
  loops::Schedule schedule;
  for (const loops::Function& f : module.functions) {
    if (f.is_kernel && !skip.count(f.name)) schedule.kernels.push_back({f.name, loops::DefaultSchedule(f), {}});
  }
  SourceFile text("<default schedule>", loops::FormatSchedule(schedule));
  if (auto parsed = loops::ParseSchedule(text, diags)) {
    if (loops::ApplySchedule(module, *parsed, text, diags)) return true;
  }
  diags.Print(std::cerr);
  std::cerr << "tessel: note: the default schedule (lab04.t5) did not apply; --schedule none "
               "runs the loops as lowered\n";
  return false;
}

// --schedule FILE, or the default scheduler's steps for every kernel (lab04.t5), or nothing
// with --schedule none. A model's kernels that FILE does not name get the default steps too
// (default_for_the_rest); a .loops file's stay as written, as without --schedule.
// Errors are printed; returns whether the module was scheduled.
bool ScheduleModule(loops::Module& module, const RunOptions& options, bool default_for_the_rest) {
  if (options.schedule == "none") return true;
  DiagnosticEngine diags;
  if (options.schedule.empty()) return ApplyDefaultSchedule(module, {});
  std::string error;
  std::optional<SourceFile> file = ReadSourceFile(options.schedule, &error);
  if (!file) return ReportUserError(error), false;
  std::optional<loops::Schedule> schedule = loops::ParseSchedule(*file, diags);
  bool applied = schedule && loops::ApplySchedule(module, *schedule, *file, diags);
  diags.Print(std::cerr);
  if (!applied) return false;
  // The kernels the file does not name get the default scheduler's steps, as without a file:
  // a hand schedule for the one kernel that matters leaves the others fast, not as lowered.
  std::set<std::string> named;
  for (const loops::KernelSchedule& k : schedule->kernels) named.insert(k.kernel);
  if (!default_for_the_rest || named.count("")) return true;  // "": the module's only kernel
  return ApplyDefaultSchedule(module, named);
}

// Runs `f` of `module` on `args`: with --cost through the cost model, whose table is printed
// after the run's summary; otherwise the plain interpreter. Errors are printed.
std::optional<Tensor> RunOrMeasure(const loops::Module& module, const loops::Function& f,
                                   const std::vector<Tensor>& args, const RunOptions& options,
                                   int* exit_code, std::string* report) {
  std::string error;
  std::optional<std::vector<Tensor>> outputs;
  if (options.cost) {
    std::optional<loops::CpuTarget> target = loops::GradingTarget();
    if (options.cost_target == "host") target = loops::HostTarget(&error);
    if (!target) {
      *exit_code = ReportUserError("--cost-target host: " + error);
      return std::nullopt;
    }
    std::optional<loops::CostReport> cost = loops::MeasureCost(module, f, args, *target, &error);
    if (cost) {
      *report = loops::FormatCostReport(*cost);
      outputs = std::move(cost->outputs);
    }
  } else {
    outputs = loops::RunFunction(module, f, args, &error);
  }
  if (!outputs) {
    *exit_code = ReportUserError("at run time (loop IR): " + error);
    return std::nullopt;
  }
  if (outputs->size() != 1) {
    *exit_code = ReportUserError("@" + f.name + " has " + std::to_string(outputs->size()) +
                                 " outputs; `tessel run` shows functions with one");
    return std::nullopt;
  }
  return std::move(outputs->front());
}

}  // namespace

bool WantsLoops(const RunOptions& options) {
  return options.emit == "loops" || options.target == "loops" || WantsC(options);
}

int RunLoops(const ir::Module& module, const ir::Function& entry, const RunOptions& options,
             const InputTensors& inputs, size_t scalar_inputs) {
  std::string error;
  std::optional<loops::Module> lowered = loops::LowerModule(module, entry, &error);
  if (!lowered) return ReportUserError(error);
  if (!ScheduleModule(*lowered, options, true)) return 1;
  if (WantsC(options) && options.emit != "loops") {
    return RunC(*lowered, *lowered->Entry(), SignatureOf(entry), options, inputs, scalar_inputs,
                KernelNotes(module));
  }
  if (options.emit == "loops") {
    std::cout << loops::PrintModule(*lowered);
    return 0;
  }
  std::string report;
  int code = ExecuteEntry(SignatureOf(entry), options, inputs, scalar_inputs,
                          [&](const std::vector<Tensor>& args, int* exit_code) {
    return RunOrMeasure(*lowered, *lowered->Entry(), args, options, exit_code, &report);
  });
  std::cout << report;
  return code;
}

int RunLoopsFile(const SourceFile& file, const RunOptions& options, const InputTensors& inputs) {
  DiagnosticEngine diags;
  std::optional<loops::Module> module = loops::ParseModule(file, diags);
  diags.Print(std::cerr);
  if (!module) return 1;
  std::vector<std::string> problems = loops::VerifyModule(*module);
  for (const std::string& problem : problems) {
    std::cerr << file.name() << ": error: " << problem << "\n";
  }
  if (!problems.empty()) return 1;
  if (!options.schedule.empty() && !ScheduleModule(*module, options, false)) return 1;
  const loops::Function* entry = nullptr;
  if (!options.entry.empty()) {
    entry = module->FindFunction(options.entry);
    if (!entry) return ReportUserError("no function '" + options.entry + "' to run (--entry)");
  } else {
    entry = module->Entry();
    if (module->functions.empty()) return ReportUserError(file.name() + " defines no function");
    if (!entry) return ReportUserError(file.name() + " has no func and more than one kernel: name one with --entry");
  }
  if (options.emit == "loops") {
    std::cout << loops::PrintModule(*module);
    return 0;
  }
  EntrySignature signature{entry->name, {}};
  for (const loops::BufferPtr& p : entry->inputs) signature.params.emplace_back(p->name, ir::Type{p->dtype, p->shape});
  if (WantsC(options) && options.emit != "loops") {
    return RunC(*module, *entry, signature, options, inputs, 0, {});
  }
  std::string report;
  int code = ExecuteEntry(signature, options, inputs, 0,
                          [&](const std::vector<Tensor>& args, int* exit_code) {
    return RunOrMeasure(*module, *entry, args, options, exit_code, &report);
  });
  std::cout << report;
  return code;
}

}  // namespace tessel
