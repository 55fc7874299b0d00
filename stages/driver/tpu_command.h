// `tessel tpu ...`: the simulated TPU from the command line (docs/tpu.md §9).
//
//   tessel tpu run PROG.s             assemble a program, run it, time it
//   tessel tpu gemm M N K             lab06's program for C[MxN] = A[MxK] * B[KxN]
//   tessel tpu conv N C H W K R S     lab06's program for a 2-D convolution
//
// with the common options [--preset default|tpu_v1] [--array RxC] [--dataflow ws|os]
// [--mode compatible|pipelined] [--activations dram|on-chip] [--trace] [--trace-json FILE]
// [--json]. `run` starts
// from zeroed DRAM; `gemm` and `conv` fill it with seeded operands, check the output
// against plain loops and also print the SCALE-Sim closed form.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

struct TpuOptions {
  std::string subcommand;            // run | gemm | conv
  std::string program;               // run: the assembly file
  std::vector<int64_t> sizes;        // gemm: M N K; conv: N C H W K R S
  int64_t stride = 1;                // conv
  int64_t pad = 0;                   // conv
  std::string preset = "default";    // the machine: default | tpu_v1
  std::string array;                 // RxC on the preset, or a preset name; empty: the preset's
  std::string dataflow;              // ws | os; empty: the target's
  std::string mode = "pipelined";    // compatible | pipelined
  std::string activations = "dram";  // dram | on-chip (free load/store DMA)
  std::string dtype = "int8";        // gemm/conv: int8 | f32
  bool relu = false;                 // gemm/conv: relu before requantization
  int32_t shift = -1;                // gemm/conv int8: requantization shift; -1: chosen from K
  uint32_t seed = 1;                 // gemm/conv: operands
  bool no_check = false;             // gemm/conv: skip the functional run and the comparison
  std::string save;                  // gemm/conv: write the program's assembly here
  bool trace = false;                // print the per-instruction timeline
  std::string trace_json;            // write counters + timeline as JSON here
  bool json = false;                 // print JSON instead of tables
};

/// Runs options.subcommand; returns the exit code (1 on a user error, 2 when lab06's mapping
/// is still a skeleton). The flags are defined in command_line.cpp.
int RunTpuCommand(const TpuOptions& options);

}  // namespace tessel
