// tessel-fuzz: random programs through every -O level against -O0 (fuzz/README.md).
//
//   tessel-fuzz --count 300                      the CI campaign (seeds 1..300)
//   tessel-fuzz --count 5000 --report fuzz.md    a report of a large campaign
//   tessel-fuzz --print-program 42 > p.tsl       one program, to read or run by hand
//
// A failure is printed with its seed, the configuration and the difference, then shrunk to a
// small program that fails the same way, which is printed as Tessel source.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/differential.h"
#include "fuzz/generate.h"
#include "fuzz/c_leg.h"
#include "fuzz/loops_leg.h"
#include "fuzz/shrink.h"

namespace tessel::fuzz {
namespace {

struct Options {
  int64_t count = 100;
  uint64_t seed = 1;
  std::vector<int> levels = {1, 2, 3};
  std::string passes;  // instead of the levels: one configuration of these passes
  bool loops = false;  // instead of the levels: loop IR, default and random schedules
  int random_steps = 6;
  bool c = false;      // instead of the levels: C (lab06's renderer), default and random schedules
  std::string cflags;  // the C compiler's flags for --c (sanitizers, say)
  int64_t max_c_bytes = 2 << 20;  // --c: larger C runs in the loop-IR interpreter
  GeneratorOptions generator;
  int64_t print_program = -1;
  bool keep_going = false;
  bool shrink = true;
  std::string report;
};

// Constructs counted over a campaign: how many generated sources contain any of the needles.
const std::vector<std::pair<std::string, std::vector<std::string>>> kConstructs = {
    {"for loops", {"for l"}},
    {"branches on flags", {"if flag"}},
    {"branches on run-time values", {"if sum("}},
    {"helper calls", {"= g"}},
    {"pointwise comprehensions", {"] = "}},
    {"reducing comprehensions", {"] += ", "] max= ", "] min= "}},
    {"matmul", {" @ "}},
    {"linear", {"linear("}},
    {"reductions", {"= sum(", "= mean(", "= max(", "= min(", "= prod("}},
    {"arg-reductions", {"argmax(", "argmin("}},
    {"transpose", {"transpose("}},
    {"reshape", {"= reshape("}},
    {"broadcast", {"broadcast("}},
    {"concat", {"= concat(["}},
    {"slice", {"slice("}},
    {"pad", {"pad("}},
    {"subscripts", {"[0];", "[1];", "[2];"}},
    {"integer casts", {": i32"}},
    {"floor_div / floor_mod", {"floor_div(", "floor_mod("}},
    {"select", {"select("}},
    {"prelude activations", {"gelu(", "silu(", "relu6(", "leaky_relu(", "hardswish(", "clamp("}},
    {"identities", {"* 1.0", "+ 0.0", "* 0.0", "transpose(transpose(", "reshape(reshape("}}};

bool Contains(const std::string& source, const std::vector<std::string>& needles) {
  for (const std::string& needle : needles) {
    if (source.find(needle) != std::string::npos) return true;
  }
  return false;
}

struct Campaign {
  std::map<Verdict, int64_t> verdicts;
  std::map<std::string, int64_t> constructs;
  int64_t statements = 0;
  std::vector<std::string> failures;  // the report's sections
};

std::string Describe(const Outcome& outcome) {
  return std::string(VerdictName(outcome.verdict)) + " at " + outcome.configuration;
}

// Shrinks a failing program to one that fails with the same verdict at the same configuration.
Program ShrinkFailure(const Program& program, const Outcome& failure,
                      const std::vector<Configuration>& configurations, int* tries) {
  return Shrink(
      program,
      [&](const Program& candidate) {
        Outcome outcome = CheckProgramIsolated(candidate.Source(), configurations);
        return outcome.verdict == failure.verdict &&
               outcome.configuration == failure.configuration;
      },
      tries);
}

int RunCampaign(const Options& options) {
  std::vector<Configuration> configurations = LevelConfigurations(options.levels);
  if (options.loops) {
    configurations = {LoopsConfiguration(0, 0), LoopsConfiguration(options.random_steps, 0)};
  }
  if (options.c) {
    size_t limit = static_cast<size_t>(options.max_c_bytes);
    configurations = {CConfiguration(0, 0, options.cflags, limit),
                      CConfiguration(options.random_steps, 0, options.cflags, limit)};
  }
  if (!options.passes.empty()) {
    std::string error;
    std::optional<std::vector<std::string>> names = opt::ParsePipeline(options.passes, &error);
    if (!names) {
      std::cerr << "tessel-fuzz: error: " << error << "\n";
      return 2;
    }
    Configuration c;
    c.name = "--passes " + options.passes;
    for (const std::string& name : *names) c.passes.push_back(*opt::FindPass(name));
    configurations = {c};
  }
  std::string names;
  for (const Configuration& c : configurations) names += " " + c.name;
  auto start = std::chrono::steady_clock::now();
  Campaign campaign;
  int64_t failed = 0;
  for (int64_t i = 0; i < options.count; ++i) {
    uint64_t seed = options.seed + static_cast<uint64_t>(i);
    Program program = GenerateProgram(seed, options.generator);
    std::string source = program.Source();
    campaign.statements += program.StatementCount();
    for (const auto& [name, needles] : kConstructs) {
      if (Contains(source, needles)) ++campaign.constructs[name];
    }
    Outcome outcome = CheckProgramIsolated(source, configurations);
    ++campaign.verdicts[outcome.verdict];
    if (!outcome.failed()) continue;
    if (outcome.detail.find("not implemented: lab") != std::string::npos) {
      std::cerr << "tessel-fuzz: stopped: the compiler is still a lab skeleton at "
                << outcome.configuration << " (" << outcome.detail << ")\n"
                << "  tessel-fuzz needs a front end (lab01 and lab02, yours or their solutions) "
                << "and compares the passes you name: --passes inline,unroll,...\n";
      return 2;
    }
    ++failed;
    std::ostringstream report;
    report << "## seed " << seed << ": " << Describe(outcome) << "\n\n```\n" << outcome.detail
           << "\n```\n\n";
    std::cout << "FAIL seed " << seed << ": " << Describe(outcome) << "\n" << outcome.detail << "\n";
    if (options.shrink && outcome.verdict != Verdict::kIllFormed) {
      int tries = 0;
      Program small = ShrinkFailure(program, outcome, configurations, &tries);
      std::cout << "shrunk from " << program.StatementCount() << " to " << small.StatementCount()
                << " statements in " << tries << " tries; save it as bug.tsl and compare "
                << "`tessel run bug.tsl -O0` with `tessel run bug.tsl " << outcome.configuration
                << " --verify-each`:\n"
                << small.Source() << "\n";
      report << "Shrunk (" << small.StatementCount() << " statements):\n\n```tessel\n"
             << small.Source() << "```\n\n";
    } else {
      std::cout << source << "\n";
      report << "```tessel\n" << source << "```\n\n";
    }
    campaign.failures.push_back(report.str());
    if (!options.keep_going) break;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t ran = 0;
  for (const auto& [verdict, n] : campaign.verdicts) ran += n;
  std::ostringstream summary;
  summary << "tessel-fuzz: " << ran << " programs (seeds " << options.seed << ".."
          << options.seed + static_cast<uint64_t>(ran) - 1 << ", " << options.generator.statements
          << " operations each, " << (ran ? campaign.statements / ran : 0)
          << " statements on average)," << names << " against -O0, in " << seconds << " s\n";
  for (Verdict v : {Verdict::kAgree, Verdict::kReferenceFails, Verdict::kIllFormed,
                    Verdict::kPassBroke, Verdict::kRunFails, Verdict::kMismatch}) {
    summary << "  " << VerdictName(v) << ": " << campaign.verdicts[v]
            << (v == Verdict::kReferenceFails ? " (skipped: a run-time error at -O0)" : "") << "\n";
  }
  if (options.c) {
    summary << "  C over " << options.max_c_bytes << " bytes, run by the loop-IR interpreter instead: "
            << OversizedCPrograms() << "\n";
  }
  std::cout << summary.str();
  if (!options.report.empty()) {
    std::ofstream out(options.report);
    out << "# tessel-fuzz report\n\n```\n" << summary.str() << "```\n\n"
        << "| construct | programs with it |\n|---|---|\n";
    for (const auto& [name, needles] : kConstructs) {
      out << "| " << name << " | " << campaign.constructs[name] << " |\n";
    }
    out << "\n";
    for (const std::string& failure : campaign.failures) out << failure;
    if (!out) {
      std::cerr << "tessel-fuzz: error: cannot write '" << options.report << "'\n";
      return 1;
    }
    std::cout << "wrote " << options.report << "\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace tessel::fuzz

int main(int argc, char** argv) {
  using tessel::fuzz::Options;
  Options options;
  CLI::App app{"tessel-fuzz: random well-typed Tessel programs, every -O level against -O0"};
  app.add_option("--count", options.count, "How many programs (default 100)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  app.add_option("--seed", options.seed, "The first program's seed; program i has seed + i");
  app.add_option("--levels", options.levels, "The -O levels compared with -O0 (default 1,2,3)")
      ->delimiter(',')
      ->check(CLI::Range(1, 3));
  app.add_option("--passes", options.passes,
                 "Compare these passes (inline,unroll,...) with -O0 instead of the levels");
  app.add_flag("--loops", options.loops,
               "Compare loop IR (-O2 lowered; the default schedule, then random schedules) with "
               "-O0 instead of the levels");
  app.add_flag("--c", options.c,
               "Compare compiled C (-O2 lowered, the default schedule, then random schedules; "
               "lab06's renderer and the system C compiler) with -O0 instead of the levels");
  app.add_option("--cflags", options.cflags,
                 "With --c: the C compiler's flags (default -O2 -march=native -fopenmp)");
  app.add_option("--max-c-bytes", options.max_c_bytes,
                 "With --c: C larger than this runs in the loop-IR interpreter (default 2 MiB)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--random-steps", options.random_steps,
                 "With --loops or --c: random schedule steps per kernel (default 6)")
      ->check(CLI::Range(1, 50));
  app.add_option("--statements", options.generator.statements,
                 "Operations per program (default 12)")
      ->check(CLI::Range(1, 200));
  app.add_option("--max-elements", options.generator.max_elements,
                 "Elements per tensor at most (default 256)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  app.add_option("--print-program", options.print_program,
                 "Print the program of this seed and exit");
  app.add_flag("--keep-going", options.keep_going, "Go on after a failure");
  app.add_flag("!--no-shrink", options.shrink, "Print a failing program as generated");
  app.add_option("--report", options.report, "Write a Markdown report of the campaign");
  CLI11_PARSE(app, argc, argv);
  if (options.print_program >= 0) {
    std::cout << tessel::fuzz::GenerateProgram(static_cast<uint64_t>(options.print_program),
                                               options.generator)
                     .Source();
    return 0;
  }
  return tessel::fuzz::RunCampaign(options);
}
