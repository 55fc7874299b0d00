// A race checker for TPU programs, used by lab06's graded tests of the tokens (task t4).
//
// The functional simulator runs a program in program order, so it computes the right
// result even when the tokens are missing; the machine does not: its three queues run
// concurrently and only the tokens order them (docs/tpu.md §2). This checker finds the
// pairs of instructions on different queues that touch the same buffer elements (one of
// them writing) and that nothing orders. "Ordered" means the first one ends before the
// second starts under every timing the rules of the timing simulator allow
// (docs/tpu.md §8.2):
//  * the load and the store queue run one instruction at a time;
//  * the execute queue starts its instructions in order; a MATMUL with swap starts after
//    the last LOADW ended, an ACT after every earlier MATMUL's results landed, and an
//    execute SYNC, CONFIG or HALT after every earlier execute instruction ended;
//  * a pop starts after the push it consumes ended (each channel is first in, first out).
// Same-queue pairs need no token (the hardware interlocks them), so only the load queue's
// LOADs, the execute queue's LOADW, MATMUL and ACT, and the store queue's STOREs are
// compared, on the unified buffer, the weight buffer and DRAM. Each access is taken as the
// range from its first to its last element (a strided access covers the gaps too), which
// is exact for the dense blocks lab06's programs use.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "stages/tpu/assembler.h"
#include "stages/tpu/isa.h"

namespace tessel::tpu::lab06 {

namespace race_detail {

enum class Space { kUnified, kWeight, kDram };

struct Access {
  Space space;
  int64_t begin, end;  // [begin, end) in elements (buffers) or bytes (DRAM)
  bool write;
};

// The buffer ranges instruction `in` reads and writes; `k` is the rows of the weight
// tile a MATMUL multiplies with (it reads k elements of each row of A).
inline std::vector<Access> AccessesOf(const Instr& in, int64_t k, int64_t element_bytes) {
  auto span = [](int64_t rows, int64_t stride, int64_t cols) {
    return rows <= 0 || cols <= 0 ? 0 : (rows - 1) * stride + cols;
  };
  switch (in.op) {
    case Opcode::kLoad: {
      Space space = in.mem == int64_t(MemSpace::kWeight) ? Space::kWeight : Space::kUnified;
      int64_t block =
          (in.pad_top + in.rows + in.pad_bottom) * (in.pad_left + in.cols + in.pad_right);
      return {{space, in.sram, in.sram + block, true},
              {Space::kDram, in.dram, in.dram + span(in.rows, in.stride, in.cols * element_bytes),
               false}};
    }
    case Opcode::kStore:
      return {{Space::kUnified, in.sram, in.sram + in.rows * in.cols, false},
              {Space::kDram, in.dram, in.dram + span(in.rows, in.stride, in.cols * element_bytes),
               true}};
    case Opcode::kLoadW:
      return {{Space::kWeight, in.sram, in.sram + span(in.rows, in.stride, in.cols), false}};
    case Opcode::kMatmul:
      return {{Space::kUnified, in.sram, in.sram + span(in.rows, in.stride, k), false}};
    case Opcode::kAct:
      return {{Space::kUnified, in.sram, in.sram + span(in.rows, in.stride, in.cols), true}};
    case Opcode::kSync:
    case Opcode::kConfig:
    case Opcode::kHalt:
      return {};
  }
  return {};
}

inline bool Conflict(const std::vector<Access>& a, const std::vector<Access>& b) {
  for (const Access& x : a) {
    for (const Access& y : b) {
      if (x.space == y.space && (x.write || y.write) && x.begin < y.end && y.begin < x.end) {
        return true;
      }
    }
  }
  return false;
}

// Which events happen before which: node 2i is the start of instruction i, 2i + 1 its
// end; before[v] has bit u set when u happens no later than v on every schedule.
class HappensBefore {
 public:
  explicit HappensBefore(size_t instructions)
      : words_((2 * instructions + 63) / 64), before_(2 * instructions) {
    for (auto& bits : before_) bits.assign(words_, 0);
  }

  // u happens no later than v; u must come before v in node order.
  void Edge(int64_t u, int64_t v) {
    if (u < 0 || u == v) return;
    std::vector<uint64_t>& to = before_[v];
    const std::vector<uint64_t>& from = before_[u];
    for (size_t w = 0; w < words_; ++w) to[w] |= from[w];
    to[u / 64] |= uint64_t{1} << (u % 64);
  }

  bool Ordered(int64_t u, int64_t v) const { return (before_[v][u / 64] >> (u % 64)) & 1; }

 private:
  size_t words_;
  std::vector<std::vector<uint64_t>> before_;
};

inline int64_t Start(size_t i) { return 2 * int64_t(i); }
inline int64_t End(size_t i) { return 2 * int64_t(i) + 1; }

// The edges of the queues, the execute units and the tokens, added in node order.
inline HappensBefore Order(const std::vector<Instr>& program) {
  HappensBefore hb(program.size());
  int64_t last_in_queue[3] = {-1, -1, -1};  // the previous instruction of each queue
  int64_t last_loadw = -1, last_matmul = -1, last_exec_barrier = -1;
  std::vector<int64_t> exec_since_barrier;
  std::vector<int64_t> pushes[4];  // per channel: l->e, e->l, e->s, s->e
  size_t popped[4] = {0, 0, 0, 0};
  auto channel = [](Queue from, Queue to) {
    if (from == Queue::kLoad) return 0;
    if (from == Queue::kStore) return 3;
    return to == Queue::kLoad ? 1 : 2;
  };
  for (size_t i = 0; i < program.size(); ++i) {
    const Instr& in = program[i];
    const Queue q = QueueOf(in);
    const int qi = int(q);
    const int64_t prev = last_in_queue[qi];
    const bool unit = in.op == Opcode::kLoadW || in.op == Opcode::kMatmul || in.op == Opcode::kAct;
    // Queue order: the execute queue starts LOADW, MATMUL and ACT right after the
    // previous instruction started; everything else waits for it to end.
    if (prev >= 0) {
      const Instr& p = program[size_t(prev)];
      bool overlaps = q == Queue::kExecute &&
                      (p.op == Opcode::kLoadW || p.op == Opcode::kMatmul || p.op == Opcode::kAct);
      hb.Edge(overlaps ? Start(size_t(prev)) : End(size_t(prev)), Start(i));
    }
    if (in.op == Opcode::kLoadW) hb.Edge(last_loadw >= 0 ? End(size_t(last_loadw)) : -1, Start(i));
    if (in.op == Opcode::kMatmul && in.swap && last_loadw >= 0) {
      hb.Edge(End(size_t(last_loadw)), Start(i));
    }
    if (in.op == Opcode::kAct && last_matmul >= 0) hb.Edge(End(size_t(last_matmul)), Start(i));
    if (q == Queue::kExecute && !unit) {  // SYNC, CONFIG, HALT wait for everything before
      if (last_exec_barrier >= 0) hb.Edge(End(size_t(last_exec_barrier)), Start(i));
      for (int64_t j : exec_since_barrier) hb.Edge(End(size_t(j)), Start(i));
    }
    // Pops: the oldest push on the channel.
    const Queue prev_q = q == Queue::kStore ? Queue::kExecute : Queue::kLoad;
    const Queue next_q = q == Queue::kLoad ? Queue::kExecute : Queue::kStore;
    if (in.deps.pop_prev) {
      int ch = channel(prev_q, q);
      if (popped[ch] < pushes[ch].size()) hb.Edge(End(size_t(pushes[ch][popped[ch]++])), Start(i));
    }
    if (in.deps.pop_next) {
      int ch = channel(next_q, q);
      if (popped[ch] < pushes[ch].size()) hb.Edge(End(size_t(pushes[ch][popped[ch]++])), Start(i));
    }
    hb.Edge(Start(i), End(i));
    // The array finishes its MATMULs in order.
    if (in.op == Opcode::kMatmul && last_matmul >= 0) hb.Edge(End(size_t(last_matmul)), End(i));
    if (in.deps.push_prev) pushes[channel(q, prev_q)].push_back(int64_t(i));
    if (in.deps.push_next) pushes[channel(q, next_q)].push_back(int64_t(i));
    last_in_queue[qi] = int64_t(i);
    if (in.op == Opcode::kLoadW) last_loadw = int64_t(i);
    if (in.op == Opcode::kMatmul) last_matmul = int64_t(i);
    if (q == Queue::kExecute) {
      if (unit) {
        exec_since_barrier.push_back(int64_t(i));
      } else {
        last_exec_barrier = int64_t(i);
        exec_since_barrier.clear();
      }
    }
  }
  return hb;
}

inline std::string AccessText(const Access& a) {
  const char* names[] = {"ub", "wb", "dram"};
  return std::string(a.write ? "writes " : "reads ") + names[int(a.space)] + "[" +
         std::to_string(a.begin) + ", " + std::to_string(a.end) + ")";
}

}  // namespace race_detail

/// "" when every two instructions of different queues that touch the same buffer or
/// DRAM elements (one writing) are ordered by the queues and the tokens; otherwise the
/// first such pair, what each touches, and which token is missing. `element_bytes` is
/// the program's element size (1 for int8, 4 for f32).
inline std::string CheckNoRaces(const std::vector<Instr>& program, int64_t element_bytes) {
  using namespace race_detail;
  const size_t n = std::find_if(program.begin(), program.end(),
                                [](const Instr& in) { return in.op == Opcode::kHalt; }) -
                   program.begin() + (program.empty() ? 0 : 1);
  const std::vector<Instr> run(program.begin(),
                               program.begin() + int64_t(std::min(n, program.size())));
  HappensBefore hb = Order(run);
  std::vector<std::vector<Access>> accesses(run.size());
  int64_t shadow_k = 0, active_k = 0;
  for (size_t i = 0; i < run.size(); ++i) {
    if (run[i].op == Opcode::kLoadW) shadow_k = run[i].rows;
    if (run[i].op == Opcode::kMatmul && run[i].swap) active_k = shadow_k;
    accesses[i] = AccessesOf(run[i], active_k, element_bytes);
  }
  for (size_t b = 0; b < run.size(); ++b) {
    for (size_t a = 0; a < b; ++a) {
      if (QueueOf(run[a]) == QueueOf(run[b]) || !Conflict(accesses[a], accesses[b])) continue;
      if (hb.Ordered(End(a), Start(b))) continue;
      std::string what_a, what_b;
      for (const Access& x : accesses[a]) {
        for (const Access& y : accesses[b]) {
          if (x.space == y.space && (x.write || y.write) && x.begin < y.end && y.begin < x.end) {
            what_a = AccessText(x);
            what_b = AccessText(y);
          }
        }
      }
      auto name = [&run](size_t i) {
        return "instruction " + std::to_string(i) + " (" + Disassemble(run[i]) + ", " +
               std::string(QueueName(QueueOf(run[i]))) + " queue)";
      };
      return "race: " + name(b) + " " + what_b + " and " + name(a) + " " + what_a +
             ", but no chain of queue order and tokens makes " + std::to_string(b) +
             " wait until " + std::to_string(a) + " has finished";
    }
  }
  return "";
}

}  // namespace tessel::tpu::lab06
