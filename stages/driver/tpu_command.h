// `tessel tpu ...`: the simulated TPU from the command line (docs/tpu.md).
//
//   tessel tpu run PROG.s [--array 16x16|tpu_v1] [--dataflow ws|os]
//                         [--mode compatible|pipelined] [--trace] [--trace-json FILE] [--json]
//
// assembles a program, runs it in the functional simulator (DRAM starts zeroed)
// and in the timing simulator, and prints the counters.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tessel {

struct TpuOptions {
  std::string program;              // run: the assembly file
  std::string array = "default";    // a preset name or RxC
  std::string dataflow;             // ws | os; empty: the target's
  std::string mode = "pipelined";   // compatible | pipelined
  bool trace = false;               // print the per-instruction timeline
  std::string trace_json;           // write counters + timeline as JSON here
  bool json = false;                // print JSON instead of tables
};

/// Adds `tpu` and its subcommands to `app`; returns the `tpu` command.
CLI::App* AddTpuCommand(CLI::App& app, TpuOptions& options);

/// Runs the parsed `tpu` subcommand; returns the exit code (1 on a user error).
int RunTpuCommand(const CLI::App& tpu, const TpuOptions& options);

}  // namespace tessel
