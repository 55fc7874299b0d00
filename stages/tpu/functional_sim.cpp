// The functional simulator: program order, exact int8/int32 and f32 arithmetic.
#include "stages/tpu/functional_sim.h"

#include <algorithm>
#include <cstring>

#include "stages/common/check.h"
#include "stages/tpu/assembler.h"

namespace tessel::tpu {

namespace {

// The four token channels between neighbouring queues, VTA's l2g/g2l/g2s/s2g.
int Channel(Queue from, Queue to) {
  if (from == Queue::kLoad) return 0;                              // load -> execute
  if (from == Queue::kExecute) return to == Queue::kLoad ? 1 : 2;  // execute -> load / store
  return 3;                                                        // store -> execute
}

Queue Prev(Queue q) { return q == Queue::kStore ? Queue::kExecute : Queue::kLoad; }
Queue Next(Queue q) { return q == Queue::kLoad ? Queue::kExecute : Queue::kStore; }

const char* kChannelNames[4] = {"load -> execute", "execute -> load", "execute -> store",
                                "store -> execute"};

// "[first, end) of NAME, which holds N elements" when the range does not fit.
std::string Range(const char* name, uint64_t first, uint64_t end, uint64_t size, const char* unit) {
  if (end <= size) return "";
  return std::string(name) + " access [" + std::to_string(first) + ", " + std::to_string(end) +
         ") is out of range: it holds " + std::to_string(size) + " " + unit;
}

}  // namespace

FunctionalSim::FunctionalSim(const TpuTarget& target)
    : target_(target),
      dataflow_(target.dataflow),
      dtype_(target.dtype),
      unified_(target.unified_buffer_bytes),
      weights_(target.weight_buffer_bytes),
      acc_(size_t{target.accumulator_rows} * target.cols) {
  std::string error;
  TESSEL_CHECK(ValidateTpuTarget(target, &error), "FunctionalSim: invalid target: " + error);
}

bool FunctionalSim::Run(const std::vector<Instr>& program, std::vector<uint8_t>& dram,
                        std::string* error) {
  for (size_t i = 0; i < program.size(); ++i) {
    const Instr& instr = program[i];
    std::string problem;
    if (!ValidateInstr(instr, &problem)) {
      *error = "instruction " + std::to_string(i) + ": " + problem;
      return false;
    }
    problem = PopTokens(instr);
    if (problem.empty()) problem = Execute(instr, dram);
    if (!problem.empty()) {
      *error = "instruction " + std::to_string(i) + " (" + Disassemble(instr) + "): " + problem;
      return false;
    }
    PushTokens(instr);
    ++counters_.instructions;
    if (instr.op == Opcode::kHalt) {
      counters_.tokens_left = tokens_[0] + tokens_[1] + tokens_[2] + tokens_[3];
      return true;
    }
  }
  *error =
      "the program ends without halt after " + std::to_string(program.size()) + " instructions";
  return false;
}

// Pops happen before the instruction runs: it waits for its producers.
std::string FunctionalSim::PopTokens(const Instr& instr) {
  Queue q = QueueOf(instr);
  auto pop = [&](Queue from, const char* flag) -> std::string {
    int c = Channel(from, q);
    if (tokens_[c] > 0) return --tokens_[c], "";
    return std::string("deadlock: ") + flag + " waits for a " + kChannelNames[c] +
           " token that no earlier instruction pushed";
  };
  std::string problem;
  if (instr.deps.pop_prev) problem = pop(Prev(q), "pop_prev");
  if (problem.empty() && instr.deps.pop_next) problem = pop(Next(q), "pop_next");
  return problem;
}

void FunctionalSim::PushTokens(const Instr& instr) {
  Queue q = QueueOf(instr);
  if (instr.deps.push_prev) ++tokens_[Channel(q, Prev(q))];
  if (instr.deps.push_next) ++tokens_[Channel(q, Next(q))];
}

std::string FunctionalSim::Execute(const Instr& instr, std::vector<uint8_t>& dram) {
  switch (instr.op) {
    case Opcode::kLoad:
      return ExecuteLoad(instr, dram);
    case Opcode::kStore:
      return ExecuteStore(instr, dram);
    case Opcode::kLoadW:
      return ExecuteLoadW(instr);
    case Opcode::kMatmul:
      return ExecuteMatmul(instr);
    case Opcode::kAct:
      return ExecuteAct(instr);
    case Opcode::kConfig:
      dataflow_ = static_cast<Dataflow>(instr.dataflow);
      dtype_ = static_cast<TpuDType>(instr.dtype);
      return "";
    case Opcode::kSync:
    case Opcode::kHalt:
      return "";
  }
  return "unknown opcode";
}

double FunctionalSim::ReadElement(const std::vector<uint8_t>& buffer, uint64_t index) const {
  switch (dtype_) {
    case TpuDType::kInt8:
      return static_cast<int8_t>(buffer[index]);
    case TpuDType::kF32: {
      float value;
      std::memcpy(&value, &buffer[index * 4], 4);
      return value;
    }
  }
  return 0;
}

void FunctionalSim::WriteElement(std::vector<uint8_t>& buffer, uint64_t index, double value) {
  switch (dtype_) {
    case TpuDType::kInt8:
      buffer[index] = static_cast<uint8_t>(static_cast<int8_t>(value));
      return;
    case TpuDType::kF32: {
      float f = static_cast<float>(value);
      std::memcpy(&buffer[index * 4], &f, 4);
      return;
    }
  }
}

// LOAD: DRAM rows [dram + r*stride, + cols*elem) into a dense block of
// (top+rows+bottom) x (left+cols+right) elements at sram; the padding is zeros.
std::string FunctionalSim::ExecuteLoad(const Instr& in, const std::vector<uint8_t>& dram) {
  uint64_t elem = ElementBytes(dtype_);
  bool to_ub = static_cast<MemSpace>(in.mem) == MemSpace::kUnified;
  std::vector<uint8_t>& buffer = to_ub ? unified_ : weights_;
  uint64_t width = in.pad_left + in.cols + in.pad_right;
  uint64_t height = in.pad_top + in.rows + in.pad_bottom;
  std::string problem = Range(to_ub ? "unified buffer" : "weight buffer", in.sram,
                              in.sram + height * width, buffer.size() / elem, "elements");
  uint64_t last = in.dram + (in.rows - 1) * in.stride + in.cols * elem;
  if (problem.empty()) problem = Range("dram", in.dram, last, dram.size(), "bytes");
  if (!problem.empty()) return problem;
  std::fill(buffer.begin() + in.sram * elem, buffer.begin() + (in.sram + height * width) * elem, 0);
  for (uint64_t r = 0; r < uint64_t(in.rows); ++r) {
    uint64_t dst = (in.sram + (in.pad_top + r) * width + in.pad_left) * elem;
    std::memcpy(&buffer[dst], &dram[in.dram + r * in.stride], in.cols * elem);
  }
  counters_.dram_bytes_read += in.rows * in.cols * elem;
  return "";
}

// STORE: a dense rows x cols block of the unified buffer to strided DRAM rows.
std::string FunctionalSim::ExecuteStore(const Instr& in, std::vector<uint8_t>& dram) {
  uint64_t elem = ElementBytes(dtype_);
  std::string problem = Range("unified buffer", in.sram, in.sram + in.rows * in.cols,
                              unified_.size() / elem, "elements");
  uint64_t last = in.dram + (in.rows - 1) * in.stride + in.cols * elem;
  if (problem.empty()) problem = Range("dram", in.dram, last, dram.size(), "bytes");
  if (!problem.empty()) return problem;
  for (uint64_t r = 0; r < uint64_t(in.rows); ++r) {
    std::memcpy(&dram[in.dram + r * in.stride], &unified_[(in.sram + r * in.cols) * elem],
                in.cols * elem);
  }
  counters_.dram_bytes_written += in.rows * in.cols * elem;
  return "";
}

}  // namespace tessel::tpu
