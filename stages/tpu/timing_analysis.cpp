// The timing simulator's steps before and after scheduling.
//
// Step 1 reads the program once in order, as the functional simulator does, to learn
// what does not depend on time: the dataflow in effect, each MATMUL's weight tile and
// fold run, bytes and MACs; and how long each instruction takes in each mode. Step 3
// charges every cycle of the schedule to a class: the array streaming, or the array
// idle and what it waited for (TPU paper, Table 3).
#include <algorithm>
#include <cmath>
#include <string>

#include "stages/tpu/assembler.h"
#include "stages/tpu/timing_internal.h"

namespace tessel::tpu::timing_internal {

std::string Where(const std::vector<Instr>& program, size_t i) {
  return "instruction " + std::to_string(i) + " (" + Disassemble(program[i]) + "): ";
}

namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// What the walk of step 1 carries from one instruction to the next.
struct Walk {
  const TpuTarget& t;
  std::vector<InstrInfo>& info;
  TimingCounters& c;
  Dataflow dataflow;
  int64_t eb;  // bytes per element in the current dtype
  struct Tile {
    int64_t k = 0, n = 0;
    bool valid = false;
  } shadow, active;
  int open_run = -1;  // the last MATMUL of the fold run still open
  int64_t run_acc = 0, run_rows = 0;
  double used_pes = 0;  // summed over folds

  void CloseRun() {
    if (open_run >= 0) info[open_run].run_last = true;
    open_run = -1;
  }

  void Dma(size_t i, const Instr& in) {
    bool store = in.op == Opcode::kStore;
    bool to_weights = !store && in.mem == static_cast<int64_t>(MemSpace::kWeight);
    info[i].dma_bytes = in.rows * in.cols * eb;  // padding is made on chip, not read
    DmaTraffic& dma = store ? c.store_dma : to_weights ? c.weight_dma : c.load_dma;
    dma.transfers++;
    dma.bytes += info[i].dma_bytes;
    if (store) {
      c.unified.bytes_read += info[i].dma_bytes;
      return;
    }
    int64_t padded =
        (in.rows + in.pad_top + in.pad_bottom) * (in.cols + in.pad_left + in.pad_right);
    (to_weights ? c.weights : c.unified).bytes_written += padded * eb;
  }

  // A fold run is what SCALE-Sim calls a fold: ws, the MATMULs between two swaps (the
  // weights stay); os, MATMULs accumulating into the same output block (the outputs stay
  // in the PEs while chunks of K stream through).
  std::string Matmul(const std::vector<Instr>& program, size_t i) {
    const Instr& in = program[i];
    if (in.swap) {  // the same rules and words as the functional simulator
      if (!shadow.valid) return Where(program, i) + "swap without a loadw since the last swap";
      active = shadow;
      shadow = Tile{};
    }
    if (!active.valid) {
      return Where(program, i) + "matmul before any weights were swapped in (use swap)";
    }
    bool ws = dataflow == Dataflow::kWeightStationary;
    bool continues = open_run >= 0 &&
                     (ws ? !in.swap : in.accumulate && in.acc == run_acc && in.rows == run_rows);
    InstrInfo& m = info[i];
    m.row_blocks = ws ? 1 : CeilDiv(in.rows, t.rows);
    m.stream = ws ? in.rows : m.row_blocks * active.k;
    if (!continues) {
      CloseRun();
      m.run_first = true;
      c.folds += m.row_blocks;
      int64_t n = std::min<int64_t>(active.n, t.cols);
      // os: the used rows of all row blocks add up to `rows`.
      used_pes += static_cast<double>((ws ? std::min<int64_t>(active.k, t.rows) : in.rows) * n);
      run_acc = in.acc;
      run_rows = in.rows;
    }
    open_run = static_cast<int>(i);
    c.macs += in.rows * active.k * active.n;
    c.unified.bytes_read += in.rows * active.k * eb;
    c.accumulators.bytes_written += in.rows * active.n * 4;
    if (in.accumulate) c.accumulators.bytes_read += in.rows * active.n * 4;
    return "";
  }
};

}  // namespace

// Walks the program in order as the functional simulator does, tracking the shadow and
// active weight tiles to know each MATMUL's k x n.
std::string AnalyzeProgram(const TpuTarget& t, const std::vector<Instr>& program, size_t count,
                           std::vector<InstrInfo>& info, TimingCounters& c) {
  Walk w{t, info, c, t.dataflow, ElementBytes(t.dtype), {}, {}};
  for (size_t i = 0; i < count; ++i) {
    const Instr& in = program[i];
    info[i].dataflow = w.dataflow;
    switch (in.op) {
      case Opcode::kLoad:
      case Opcode::kStore:
        w.Dma(i, in);
        break;
      case Opcode::kLoadW:
        w.shadow = {in.rows, in.cols, true};
        c.weights.bytes_read += in.rows * in.cols * w.eb;
        break;
      case Opcode::kMatmul:
        if (std::string problem = w.Matmul(program, i); !problem.empty()) return problem;
        break;
      case Opcode::kAct:
        c.accumulators.bytes_read += in.rows * in.cols * 4;
        c.unified.bytes_written += in.rows * in.cols * w.eb;
        break;
      case Opcode::kConfig:
        w.CloseRun();
        w.dataflow = static_cast<Dataflow>(in.dataflow);
        w.eb = ElementBytes(static_cast<TpuDType>(in.dtype));
        break;
      case Opcode::kSync:
      case Opcode::kHalt:
        break;
    }
  }
  w.CloseRun();
  if (c.folds > 0) {
    c.mapping_efficiency = w.used_pes / (static_cast<double>(c.folds) * t.rows * t.cols);
  }
  return "";
}

// Compatible mode charges only the array, as SCALE-Sim does; pipelined mode charges every
// unit the TPU v1 way (timing_sim.h).
int64_t InstrDuration(const TpuTarget& t, bool pipelined, const Instr& in, const InstrInfo& m) {
  bool ws = m.dataflow == Dataflow::kWeightStationary;
  int64_t fill_drain = t.rows + t.cols - 2;
  auto dma = [&](int64_t latency, double bytes_per_cycle) {
    return latency +
           static_cast<int64_t>(std::ceil(static_cast<double>(m.dma_bytes) / bytes_per_cycle));
  };
  switch (in.op) {
    case Opcode::kLoad:
      if (!pipelined) return 0;
      // The weight memory is its own DRAM port (DDR3 on the TPU v1); the target gives
      // only its bandwidth, so its latency is taken as hidden.
      if (in.mem == static_cast<int64_t>(MemSpace::kWeight)) {
        return dma(0, t.weight_bytes_per_cycle);
      }
      return dma(t.load.latency_cycles, t.load.bytes_per_cycle);
    case Opcode::kStore:
      return pipelined ? dma(t.store.latency_cycles, t.store.bytes_per_cycle) : 0;
    case Opcode::kLoadW:
      // TPU v1: "256 cycles to shift a tile in". os streams weights, nothing to preload.
      return pipelined && ws ? t.rows : 0;
    case Opcode::kMatmul:
      if (!ws) return m.stream + (m.run_last ? m.row_blocks * fill_drain : 0);
      if (pipelined) return m.stream + fill_drain;  // results land after skew and drain
      // SCALE-Sim ws: preload R at the run's start, fill and drain at its end.
      return (m.run_first ? t.rows : 0) + m.stream + (m.run_last ? fill_drain : 0);
    case Opcode::kAct:
      return pipelined ? in.rows : 0;  // one accumulator row a cycle
    case Opcode::kSync:
    case Opcode::kConfig:
    case Opcode::kHalt:
      return 0;
  }
  return 0;
}

// The array's idle stretch before each MATMUL goes to the weight shift that
// overlaps it, the rest to what bound the MATMUL's start (for a swap that waited on its
// LOADW, to what bound the LOADW). After the last MATMUL everything is non-matrix.
void AttributeCycles(const std::vector<Instr>& program, const std::vector<InstrInfo>& info,
                     const Schedule& s, TimingCounters& c) {
  auto wait_class = [&](int i) -> int64_t& {
    if (s.cause[i] == Cause::kWeights && s.feeding_loadw[i] >= 0) i = s.feeding_loadw[i];
    if (s.cause[i] != Cause::kToken) return c.non_matrix_cycles;
    const Instr& pusher = program[s.pusher[i]];
    bool weights =
        pusher.op == Opcode::kLoad && pusher.mem == static_cast<int64_t>(MemSpace::kWeight);
    return weights ? c.weight_stall_cycles : c.dependency_stall_cycles;
  };
  int64_t busy_until = 0;
  for (size_t i = 0; i < info.size(); ++i) {
    if (program[i].op != Opcode::kMatmul) continue;
    int64_t begin = s.stream_begin[i];
    int64_t shift_b = s.start[i], shift_e = begin;  // compatible ws: the preload
    if (int w = s.feeding_loadw[i]; s.pipelined && w >= 0) {
      shift_b = s.start[w];
      shift_e = s.end[w];
    }
    int64_t shift = std::max<int64_t>(0, std::min(begin, shift_e) - std::max(busy_until, shift_b));
    c.weight_shift_cycles += shift;
    wait_class(static_cast<int>(i)) += begin - busy_until - shift;
    c.array_active_cycles += info[i].stream;
    busy_until = begin + info[i].stream;
  }
  c.non_matrix_cycles += c.cycles - busy_until;
}

}  // namespace tessel::tpu::timing_internal
