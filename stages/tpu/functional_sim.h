// The functional simulator: what a TPU program computes, without time.
//
// It executes instructions in program order on a unified buffer, a weight buffer,
// the array's active and shadow weight tiles, the accumulators and a DRAM byte
// array. Queues are not run concurrently here; their tokens are only checked for
// consistency: a pop needs a matching push earlier in the program, otherwise the
// real machine could deadlock or read data before it arrives, and the run stops
// with an error naming the instruction. The cycle-level simulator (next) runs the
// same semantics with time; docs/tpu.md, "Functional semantics", is the reference.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stages/tpu/isa.h"
#include "stages/tpu/target.h"

namespace tessel::tpu {

/// What a run did, for tests and for checking the timing simulator against.
struct FunctionalCounters {
  int64_t instructions = 0;        // executed, HALT included
  int64_t dram_bytes_read = 0;     // by LOAD (padding is not read)
  int64_t dram_bytes_written = 0;  // by STORE
  int64_t weight_tiles = 0;        // LOADW count
  int64_t macs = 0;                // rows x k x C per MATMUL
  int64_t tokens_left = 0;         // pushed but never popped, over all four channels
};

class FunctionalSim {
 public:
  /// Allocates zeroed buffers of the target's sizes; the mode starts at
  /// target.dataflow and target.dtype. `target` must pass ValidateTpuTarget.
  explicit FunctionalSim(const TpuTarget& target);

  /// Runs `program` until HALT, reading and writing `dram` in place. Returns false
  /// with *error set on the first problem: "instruction 7 (matmul acc[0], ...):
  /// what", e.g. a buffer address out of range, a pop without a matching push,
  /// a MATMUL before any weights, a program without HALT.
  bool Run(const std::vector<Instr>& program, std::vector<uint8_t>& dram, std::string* error);

  const FunctionalCounters& counters() const { return counters_; }
  TpuDType dtype() const { return dtype_; }
  Dataflow dataflow() const { return dataflow_; }
  /// Accumulator entry (row, col) as raw 32 bits: an int32, or an f32 in f32 mode.
  uint32_t AccBits(uint32_t row, uint32_t col) const {
    return acc_[size_t{row} * target_.cols + col];
  }
  const std::vector<uint8_t>& unified_buffer() const { return unified_; }

 private:
  // Each returns "" on success or the problem, without the instruction prefix.
  std::string Execute(const Instr& instr, std::vector<uint8_t>& dram);
  std::string ExecuteLoad(const Instr& instr, const std::vector<uint8_t>& dram);
  std::string ExecuteStore(const Instr& instr, std::vector<uint8_t>& dram);
  std::string ExecuteLoadW(const Instr& instr);
  std::string ExecuteMatmul(const Instr& instr);
  std::string ExecuteAct(const Instr& instr);
  std::string PopTokens(const Instr& instr);
  void PushTokens(const Instr& instr);

  double ReadElement(const std::vector<uint8_t>& buffer, uint64_t index) const;
  void WriteElement(std::vector<uint8_t>& buffer, uint64_t index, double value);

  TpuTarget target_;
  Dataflow dataflow_;
  TpuDType dtype_;
  std::vector<uint8_t> unified_;
  std::vector<uint8_t> weights_;
  std::vector<uint32_t> acc_;
  // The weight tiles in the array, R x C, as exact doubles of int8 or f32 values.
  // MATMUL uses `active_`; LOADW fills `shadow_`; MATMUL's swap moves it over.
  struct Tile {
    std::vector<double> w;
    uint32_t k = 0, n = 0;  // the rows and columns LOADW filled; the rest are zero
    TpuDType dtype = TpuDType::kInt8;
    bool valid = false;
  };
  Tile active_, shadow_;
  int64_t tokens_[4] = {};  // load->execute, execute->load, execute->store, store->execute
  FunctionalCounters counters_;
};

}  // namespace tessel::tpu
