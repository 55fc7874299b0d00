// The timing simulator: how many cycles a TPU program takes, and where they go.
//
// It runs the three queues (load, execute, store) of a program concurrently, in order
// within each queue, with VTA's dependency tokens between them, and gives every
// instruction a start and an end cycle. The functional simulator (functional_sim.h)
// says what a program computes; this one says when. Two cost models:
//
// * compatible: SCALE-Sim's view (scalesim_model.h). Only the array costs time; a
//   weight fold costs 2R + C + T - 2 (ws) or R + C + T - 2 (os) for the T rows it
//   streams, folds never overlap, DMA, ACT and tokens cost nothing, and the total is
//   reported minus one as SCALE-Sim does. A program that tiles a GEMM fold by fold
//   therefore reproduces ScaleSimGemm exactly.
// * pipelined: the TPU v1 of Jouppi et al. (ISCA 2017): LOADW shifts the next tile into
//   the shadow weights over R cycles while the previous MATMUL streams, a MATMUL
//   streams one row a cycle and its results land R + C - 2 cycles later, ACT handles
//   one accumulator row a cycle, and each DMA engine takes latency + bytes / bandwidth
//   while the other queues run. The counters follow the paper's Table 3.
//
// docs/tpu.md, "Timing", has the formulas and the numbers the tests check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/tpu/isa.h"
#include "stages/tpu/target.h"

namespace tessel::tpu {

enum class TimingMode { kCompatible, kPipelined };

std::string_view TimingModeName(TimingMode mode);  // "compatible", "pipelined"

struct TimingOptions {
  TimingMode mode = TimingMode::kPipelined;
  bool record_timeline = false;  // fill TimingResult::timeline
};

/// Bytes read from and written into one on-chip buffer.
struct BufferTraffic {
  int64_t bytes_read = 0;
  int64_t bytes_written = 0;
};

/// One DMA engine: what it moved and how long it was busy (0 in compatible mode).
struct DmaTraffic {
  int64_t transfers = 0;
  int64_t bytes = 0;
  int64_t busy_cycles = 0;
};

/// Where the cycles went. The five cycle classes partition `cycles`: every cycle is
/// array-active (some MATMUL streams a row in), or the array waits, and the wait is
/// charged to what held the next MATMUL back.
struct TimingCounters {
  int64_t cycles = 0;
  int64_t array_active_cycles = 0;      // a row enters the array
  int64_t weight_shift_cycles = 0;      // waiting while a weight tile shifts in
  int64_t weight_stall_cycles = 0;      // waiting for weights to arrive from DRAM
  int64_t dependency_stall_cycles = 0;  // waiting for a token: input loads, stores
  int64_t non_matrix_cycles = 0;        // ACT, SYNC, fill and drain, the tail
  int64_t instructions = 0;             // executed, HALT included
  int64_t macs = 0;                     // useful multiply-adds: rows x k x n per MATMUL
  int64_t folds = 0;                    // weight folds (ws) or output blocks (os)
  double mapping_efficiency = 0;        // average over folds of used PEs / (R * C)
  BufferTraffic unified, weights, accumulators;
  DmaTraffic load_dma, weight_dma, store_dma;  // DRAM->UB, DRAM->WB, UB->DRAM
};

/// One instruction's place in time. Compatible mode's cycles here are before the
/// final "- 1", so the last end is counters.cycles + 1.
struct TimelineEntry {
  int64_t index = 0;  // in the program
  Queue queue = Queue::kExecute;
  Opcode op = Opcode::kHalt;
  int64_t start = 0;
  int64_t end = 0;
};

struct TimingResult {
  TimingMode mode = TimingMode::kPipelined;
  TimingCounters counters;
  std::vector<TimelineEntry> timeline;  // program order; empty unless recorded
};

/// Times `program` (up to its HALT) on `target`, which must pass ValidateTpuTarget.
/// Returns nullopt with *error set for an invalid instruction, a program without HALT,
/// a MATMUL before any weights, or a token deadlock, naming the instruction:
/// "instruction 4 (loadw wb[0], ...): deadlock: ...".
std::optional<TimingResult> SimulateTiming(const TpuTarget& target,
                                           const std::vector<Instr>& program,
                                           const TimingOptions& options, std::string* error);

/// MACs / (cycles * R * C): the fraction of the array's peak the program reached.
double Utilization(const TimingCounters& counters, const TpuTarget& target);
/// Tera-operations per second (2 per MAC) at the target's clock.
double Tops(const TimingCounters& counters, const TpuTarget& target);

/// The counters as a table, one per line, Table 3 style (percentages of cycles).
std::string FormatTimingCounters(const TimingResult& result, const TpuTarget& target);
/// The timeline, one instruction a line: index, queue, start, end, assembly.
std::string FormatTimeline(const TimingResult& result, const std::vector<Instr>& program);
/// The counters and the timeline as one JSON object (pretty-printed).
std::string TimingToJson(const TimingResult& result, const TpuTarget& target);

}  // namespace tessel::tpu
