// graph_passes: what stage 3 does to every example, and how long it takes.
//
//   build/reference/bin/graph_passes [--repeat N] [--example NAME]
//
// Prints three Markdown tables (docs/performance.md shows them):
//  1. per example at -O2: the ops as lowered (every function), the primitive ops of the one
//     block before fusion, the kernels formed, and the arena the memory plan needs against the
//     sum of every intermediate tensor (deterministic counts, the same on every machine);
//  2. compile time per example: the front end (parse, check, lower) and the -O1, -O2 and -O3
//     pipelines on its output, the median of N runs, each pipeline on a fresh copy; running the
//     model is not included. The goal for the transformer block at -O3 is well under 50 ms;
//     the ratio column says how far under;
//  3. the transformer block at -O3, pass by pass (median ms).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/driver/run_command.h"
#include "stages/driver/run_tsl.h"
#include "stages/opt/pass_manager.h"

namespace {

namespace fs = std::filesystem;
using namespace tessel;

constexpr double kGoalMs = 50.0;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// One example compiled by the front end, or null with the diagnostics printed.
std::unique_ptr<ir::Module> Compile(const SourceFile& file) {
  RunOptions options;
  options.file = file.name();
  DiagnosticEngine diags;
  std::string flag_error;
  std::unique_ptr<ir::Module> module = CompileTslFile(file, options, {}, diags, &flag_error);
  diags.Print(std::cerr);
  if (!flag_error.empty()) std::cerr << flag_error << "\n";
  return diags.has_errors() ? nullptr : std::move(module);
}

struct PipelineRun {
  std::vector<opt::PassRecord> records;
  int64_t kernels = 0;
  double milliseconds = 0;
};

PipelineRun Optimize(const SourceFile& file, int level) {
  std::unique_ptr<ir::Module> module = Compile(file);
  PipelineRun run;
  if (!module) return run;
  opt::PassContext context;
  context.entry = module->functions().front()->name();
  opt::PassManagerOptions options;
  options.verify_each = false;  // as a user's -O run: the verifier is a test's cost
  std::string error;
  auto start = std::chrono::steady_clock::now();
  if (!opt::RunPipeline(*module, opt::PipelineForLevel(level), context, options, &run.records,
                        &error)) {
    std::cerr << error << "\n";
  }
  run.milliseconds = MillisecondsSince(start);
  for (const auto& function : module->functions()) run.kernels += function->kernel().has_value();
  return run;
}

int64_t Counter(const std::vector<opt::PassRecord>& records, const char* pass, const char* name) {
  for (const opt::PassRecord& record : records) {
    if (record.pass == pass) return record.stats.Get(name);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 21;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--example") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::cerr << "usage: graph_passes [--repeat N] [--example NAME]\n";
      return 2;
    }
  }
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(TESSEL_SOURCE_DIR "/examples")) {
    std::string name = entry.path().stem().string();
    if (entry.path().extension() == ".tsl" && (only.empty() || name == only)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::map<std::string, SourceFile> files;
  for (const std::string& name : names) {
    std::string error;
    std::optional<SourceFile> file =
        ReadSourceFile(std::string(TESSEL_SOURCE_DIR) + "/examples/" + name + ".tsl", &error);
    if (!file) {
      std::cerr << error << "\n";
      return 1;
    }
    files.emplace(name, std::move(*file));
  }

  std::printf("### What -O2 does to each example\n\n");
  std::printf("| example | ops as lowered | ops in one block | kernels | arena bytes | "
              "intermediates bytes | arena / intermediates |\n|---|---|---|---|---|---|---|\n");
  for (const std::string& name : names) {
    PipelineRun run = Optimize(files.at(name), 2);
    if (run.records.empty()) return 1;
    int64_t before_fusion = 0;
    for (const opt::PassRecord& record : run.records) {
      if (record.pass == "fuse-ops") before_fusion = record.ops_before;
    }
    int64_t planned = Counter(run.records, "plan-memory", "bytes planned");
    int64_t unplanned = Counter(run.records, "plan-memory", "bytes unplanned");
    std::printf("| %s | %lld | %lld | %lld | %lld | %lld | %.0f%% |\n", name.c_str(),
                static_cast<long long>(run.records.front().ops_before),
                static_cast<long long>(before_fusion), static_cast<long long>(run.kernels),
                static_cast<long long>(planned), static_cast<long long>(unplanned),
                unplanned > 0 ? 100.0 * static_cast<double>(planned) / static_cast<double>(unplanned)
                              : 100.0);
  }

  std::printf("\n### Compile time (median of %d runs, ms; running the model excluded)\n\n", repeat);
  std::printf("| example | front end | -O1 | -O2 | -O3 | %.0f ms goal / -O3 |\n"
              "|---|---|---|---|---|---|\n", kGoalMs);
  std::map<std::string, std::vector<double>> pass_ms;  // the transformer at -O3, per pass
  for (const std::string& name : names) {
    std::vector<double> front;
    std::vector<double> levels[4];
    for (int r = 0; r < repeat; ++r) {
      auto start = std::chrono::steady_clock::now();
      std::unique_ptr<ir::Module> module = Compile(files.at(name));
      front.push_back(MillisecondsSince(start));
      for (int level = 1; level <= 3; ++level) {
        PipelineRun run = Optimize(files.at(name), level);
        levels[level].push_back(run.milliseconds);
        if (level == 3 && name == "transformer") {
          for (size_t i = 0; i < run.records.size(); ++i) {
            std::string key = std::to_string(i + 10) + " " + run.records[i].pass;
            pass_ms[key].push_back(run.records[i].milliseconds);
          }
        }
      }
    }
    double o3 = Median(levels[3]);
    std::printf("| %s | %.3f | %.3f | %.3f | %.3f | %.0fx |\n", name.c_str(), Median(front),
                Median(levels[1]), Median(levels[2]), o3, o3 > 0 ? kGoalMs / o3 : 0.0);
  }
  if (!pass_ms.empty()) {
    std::printf("\n### The transformer block at -O3, pass by pass (median ms)\n\n"
                "| # | pass | ms |\n|---|---|---|\n");
    for (const auto& [key, values] : pass_ms) {
      std::printf("| %d | %s | %.3f |\n", std::atoi(key.c_str()) - 9, key.substr(3).c_str(),
                  Median(values));
    }
  }
  return 0;
}
