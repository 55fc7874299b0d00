#include "stages/driver/optimize.h"

#include <cstdio>
#include <iostream>

#include "stages/opt/pass_manager.h"

namespace tessel {

int OptimizationLevel(const RunOptions& options) {
  if (options.opt_level >= 0) return options.opt_level;
  // Printing the kernel form or loop IR, or running loop IR, needs the kernel form.
  bool needs_kernels = options.emit == "opt" || options.emit == "loops" || options.target == "loops" ||
                        options.emit == "c" || options.target == "c";
  return needs_kernels ? 2 : 0;
}

namespace {

bool KnownPassNames(const std::vector<std::string>& names, const char* flag, std::string* error) {
  for (const std::string& name : names) {
    if (name == "all" || opt::FindPass(name) != nullptr) continue;
    std::string known;
    for (const opt::PassInfo& pass : opt::RegisteredPasses()) {
      known += (known.empty() ? "" : ", ") + std::string(pass.name);
    }
    *error = std::string(flag) + " " + name + ": no such pass (the passes: " + known + ", or all)";
    return false;
  }
  return true;
}

// "kernels: 7, ops: 41 -> 9, arena: 12.5 KiB for 40.0 KiB of intermediates (31%)".
std::string Summary(const ir::Module& module, const std::vector<opt::PassRecord>& records) {
  int64_t kernels = 0, planned = -1, unplanned = 0;
  for (const auto& function : module.functions()) kernels += function->kernel().has_value();
  for (const opt::PassRecord& record : records) {
    if (record.pass != "plan-memory") continue;
    planned = record.stats.Get("bytes planned");
    unplanned = record.stats.Get("bytes unplanned");
  }
  std::string out = "kernels: " + std::to_string(kernels);
  if (!records.empty()) {
    out += ", ops: " + std::to_string(records.front().ops_before) + " -> " +
           std::to_string(records.back().ops_after);
  }
  if (planned >= 0) {
    out += ", arena: " + std::to_string(planned) + " bytes for " + std::to_string(unplanned) +
           " bytes of intermediates";
    if (unplanned > 0) out += " (" + std::to_string(planned * 100 / unplanned) + "%)";
  }
  return out;
}

}  // namespace

int OptimizeModule(ir::Module& module, const std::string& entry, const RunOptions& options) {
  std::string error;
  if (!KnownPassNames(options.print_before, "--print-before", &error) ||
      !KnownPassNames(options.print_after, "--print-after", &error)) {
    return ReportUserError(error);
  }
  std::vector<std::string> pipeline;
  if (!options.passes.empty()) {
    if (options.opt_level >= 0) {
      return ReportUserError("--passes replaces the pipeline of -O" +
                             std::to_string(options.opt_level) + ": give one or the other");
    }
    std::optional<std::vector<std::string>> parsed = opt::ParsePipeline(options.passes, &error);
    if (!parsed) return ReportUserError(error);
    pipeline = *parsed;
  } else {
    pipeline = opt::PipelineForLevel(OptimizationLevel(options));
  }
  opt::PassContext context;
  context.entry = entry;
  opt::PassManagerOptions manager;
  manager.print_before.insert(options.print_before.begin(), options.print_before.end());
  manager.print_after.insert(options.print_after.begin(), options.print_after.end());
  manager.verify_each = options.verify_each;
  std::vector<opt::PassRecord> records;
  if (!opt::RunPipeline(module, pipeline, context, manager, &records, &error)) {
    return ReportUserError(error);
  }
  if (options.stats) {
    std::cout << opt::FormatStats(records) << Summary(module, records) << "\n";
  }
  return 0;
}

int ListPasses() {
  std::cout << "passes (tessel run FILE --passes a,b,c; lab03_graph_opts/README.md):\n";
  for (const opt::PassInfo& pass : opt::RegisteredPasses()) {
    std::string name(pass.name), task(pass.task), description(pass.description);
    char line[200];
    std::snprintf(line, sizeof line, "  %-17s %-9s %s\n", name.c_str(), task.c_str(),
                  description.c_str());
    std::cout << line;
  }
  std::cout << "pipelines:\n";
  for (int level = 0; level <= 3; ++level) {
    std::string names;
    for (const std::string& pass : opt::PipelineForLevel(level)) {
      names += (names.empty() ? "" : ",") + pass;
    }
    std::cout << "  -O" << level << "  " << (names.empty() ? "(none: the IR as lowered)" : names)
              << "\n";
  }
  return 0;
}

}  // namespace tessel
