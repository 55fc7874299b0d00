// Pieces of the timing simulator shared by its two files; not a public API.
//
// timing_sim.cpp schedules the queues (step 2 below); timing_analysis.cpp holds the
// steps before and after it: what each instruction is (step 1) and where the cycles
// went (step 3), plus the cost model (InstrDuration). Only these two files include
// this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stages/tpu/isa.h"
#include "stages/tpu/target.h"
#include "stages/tpu/timing_sim.h"

namespace tessel::tpu::timing_internal {

/// What bound an instruction's start; used to charge the array's idle cycles.
enum class Cause { kNone, kQueueOrder, kToken, kArray, kResults, kWeights, kShifter };

/// Facts about one instruction that do not depend on time.
struct InstrInfo {
  Dataflow dataflow = Dataflow::kWeightStationary;
  int64_t dma_bytes = 0;   // LOAD / STORE: bytes crossing the DRAM interface
  bool run_first = false;  // MATMUL: starts a fold run (ws: swaps; os: a new output block)
  bool run_last = false;   // MATMUL: the next MATMUL starts a new run, or there is none
  int64_t stream = 0;      // MATMUL: cycles of rows entering the array
  int64_t row_blocks = 1;  // MATMUL os: ceil(rows / R) output blocks
};

/// When every instruction ran, and why it did not run sooner.
struct Schedule {
  bool pipelined = false;
  std::vector<int64_t> start, end;
  std::vector<int64_t> stream_begin;  // MATMUL: the first row enters the array
  std::vector<Cause> cause;
  std::vector<int> pusher;         // Cause::kToken: the instruction whose push it waited for
  std::vector<int> feeding_loadw;  // MATMUL with swap: the LOADW whose tile it swaps in
};

/// The prefix of every message about instruction i: "instruction 3 (loadw ...): ".
std::string Where(const std::vector<Instr>& program, size_t i);

/// Step 1. Fills `info` for the first `count` instructions and the counters that do not
/// depend on time (MACs, folds, mapping efficiency, bytes). Returns "" or the problem.
std::string AnalyzeProgram(const TpuTarget& target, const std::vector<Instr>& program, size_t count,
                           std::vector<InstrInfo>& info, TimingCounters& c);

/// How many cycles instruction `in` keeps its unit busy, from its start to its end.
int64_t InstrDuration(const TpuTarget& t, bool pipelined, const Instr& in, const InstrInfo& m);

/// Step 3. Splits c.cycles (before compatible mode's "- 1") into the five cycle classes.
void AttributeCycles(const std::vector<Instr>& program, const std::vector<InstrInfo>& info,
                     const Schedule& s, TimingCounters& c);

}  // namespace tessel::tpu::timing_internal
