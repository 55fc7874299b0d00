// The timing simulator: a discrete-event schedule of the three queues.
//
// The queues share no unit (DMA engines belong to one queue each, the array, the weight
// shifter and the activation unit to the execute queue), so an instruction's start is
// the latest of a few events: its queue's previous instruction (its start where the
// units overlap, its end otherwise), the pushes it pops, and the units it needs. The
// scheduler repeatedly takes any queue head whose tokens have been pushed and fixes its
// start and end; when no head can go, the program deadlocks. Steps:
//   1) Analyze: dataflow and dtype in effect, the fold runs of MATMULs, bytes and MACs.
//   2) Schedule: start and end of every instruction, and why it could not start sooner.
//   3) Attribute: every cycle to array-active or to what the array waited for.
#include "stages/tpu/timing_sim.h"

#include <algorithm>
#include <array>
#include <deque>

#include "stages/tpu/timing_internal.h"

namespace tessel::tpu {

namespace {

using timing_internal::Cause;
using timing_internal::InstrInfo;
using timing_internal::Schedule;
using timing_internal::Where;

// The four token channels: load->execute, execute->load, execute->store, store->execute.
int Channel(Queue from, Queue to) {
  if (from == Queue::kLoad) return 0;
  if (from == Queue::kStore) return 3;
  return to == Queue::kLoad ? 1 : 2;
}
Queue Prev(Queue q) { return q == Queue::kStore ? Queue::kExecute : Queue::kLoad; }
Queue Next(Queue q) { return q == Queue::kLoad ? Queue::kExecute : Queue::kStore; }

// Step 2: gives every instruction a start and an end. The state below is what the next
// instruction may have to wait for; pipelined mode uses all of it, compatible mode runs
// each queue one instruction at a time, so only `release_` and the tokens matter there.
class Scheduler {
 public:
  Scheduler(const TpuTarget& t, TimingMode mode, const std::vector<Instr>& program,
            const std::vector<InstrInfo>& info)
      : t_(t), pipelined_(mode == TimingMode::kPipelined), program_(program), info_(info) {
    size_t n = info.size();
    s_.pipelined = pipelined_;
    s_.start.assign(n, 0);
    s_.end.assign(n, 0);
    s_.stream_begin.assign(n, 0);
    s_.cause.assign(n, Cause::kNone);
    s_.pusher.assign(n, -1);
    s_.feeding_loadw.assign(n, -1);
  }

  std::string Run(TimingCounters& c);

  const Schedule& schedule() const { return s_; }

 private:
  bool TryIssue(int i);
  int64_t UnitsFree(int i, Cause* cause) const;
  void Retire(int i);
  std::string Deadlock(const std::array<std::vector<int>, 3>& queues,
                       const std::array<size_t, 3>& head) const;

  const TpuTarget& t_;
  bool pipelined_;
  const std::vector<Instr>& program_;
  const std::vector<InstrInfo>& info_;
  Schedule s_;
  std::array<std::deque<std::pair<int64_t, int>>, 4> channels_;  // (push cycle, pusher)
  std::array<int64_t, 3> release_ = {};  // the next instruction of each queue starts no sooner
  int64_t array_free_ = 0;               // the next MATMUL may stream its first row
  int64_t results_ = 0;                  // every MATMUL so far has written its accumulators
  int64_t exec_done_ = 0;                // every execute instruction so far has finished
  int64_t weights_ready_ = 0;            // the last LOADW's tile sits in the shadow weights
  int64_t shadow_free_ = 0;              // the next LOADW may start shifting
  int last_loadw_ = -1;
  struct ActSpan {  // an ACT reads acc rows [acc, acc + rows) until `end`
    int64_t acc, rows, end;
  };
  std::vector<ActSpan> acts_;
};

// The earliest cycle the execute units let instruction i start, and which bound it.
int64_t Scheduler::UnitsFree(int i, Cause* cause) const {
  const Instr& in = program_[i];
  int64_t ready = 0;
  auto bind = [&](int64_t cycle, Cause why) {
    if (cycle > ready) {
      ready = cycle;
      *cause = why;
    }
  };
  switch (in.op) {
    case Opcode::kMatmul:
      bind(array_free_, Cause::kArray);
      for (const ActSpan& a : acts_) {  // do not overwrite accumulators ACT still reads
        if (a.acc < in.acc + in.rows && in.acc < a.acc + a.rows) bind(a.end, Cause::kResults);
      }
      if (in.swap) bind(weights_ready_, Cause::kWeights);
      break;
    case Opcode::kLoadW:
      bind(shadow_free_, Cause::kShifter);
      break;
    case Opcode::kAct:
      bind(results_, Cause::kResults);
      break;
    case Opcode::kSync:
    case Opcode::kConfig:
    case Opcode::kHalt:
      if (QueueOf(in) == Queue::kExecute) bind(exec_done_, Cause::kQueueOrder);
      break;
    case Opcode::kLoad:
    case Opcode::kStore:
      break;
  }
  return ready;
}

// Starts instruction i if the tokens it pops have been pushed; false if not yet.
bool Scheduler::TryIssue(int i) {
  const Instr& in = program_[i];
  const DepFlags& d = in.deps;
  Queue q = QueueOf(in);
  int pop_prev = d.pop_prev ? Channel(Prev(q), q) : -1;
  int pop_next = d.pop_next ? Channel(Next(q), q) : -1;
  if ((pop_prev >= 0 && channels_[pop_prev].empty()) ||
      (pop_next >= 0 && channels_[pop_next].empty())) {
    return false;
  }
  int qi = static_cast<int>(q);
  int64_t ready = release_[qi];
  s_.cause[i] = ready > 0 ? Cause::kQueueOrder : Cause::kNone;
  for (int ch : {pop_prev, pop_next}) {
    if (ch < 0) continue;
    auto [cycle, who] = channels_[ch].front();
    channels_[ch].pop_front();
    if (cycle > ready) {
      ready = cycle;
      s_.cause[i] = Cause::kToken;
      s_.pusher[i] = who;
    }
  }
  Cause unit_cause = Cause::kNone;
  int64_t units = UnitsFree(i, &unit_cause);
  if (units > ready) {
    ready = units;
    s_.cause[i] = unit_cause;
  }
  s_.start[i] = ready;
  s_.end[i] = ready + timing_internal::InstrDuration(t_, pipelined_, program_[i], info_[i]);
  Retire(i);
  if (d.push_prev) channels_[Channel(q, Prev(q))].push_back({s_.end[i], i});
  if (d.push_next) channels_[Channel(q, Next(q))].push_back({s_.end[i], i});
  // Pipelined, LOADW, MATMUL and ACT use different units and overlap; everything else
  // runs after its predecessor. Compatible runs each queue one instruction at a time.
  bool overlaps =
      pipelined_ && (in.op == Opcode::kLoadW || in.op == Opcode::kMatmul || in.op == Opcode::kAct);
  release_[qi] = overlaps ? s_.start[i] : s_.end[i];
  return true;
}

// Updates the execute units after instruction i got its start and end.
void Scheduler::Retire(int i) {
  const Instr& in = program_[i];
  const InstrInfo& m = info_[i];
  s_.stream_begin[i] = s_.start[i];
  if (QueueOf(in) == Queue::kExecute) exec_done_ = std::max(exec_done_, s_.end[i]);
  switch (in.op) {
    case Opcode::kLoadW:
      weights_ready_ = shadow_free_ = s_.end[i];
      last_loadw_ = i;
      break;
    case Opcode::kMatmul: {
      bool ws = m.dataflow == Dataflow::kWeightStationary;
      if (!pipelined_ && ws && m.run_first) s_.stream_begin[i] += t_.rows;  // the preload
      if (in.swap) {
        s_.feeding_loadw[i] = last_loadw_;
        shadow_free_ = std::max(shadow_free_, s_.start[i]);  // the shadow is free once swapped
      }
      // ws streams the next MATMUL right behind this one; os holds its outputs in the PEs.
      array_free_ = pipelined_ && ws ? s_.start[i] + m.stream : s_.end[i];
      results_ = std::max(results_, s_.end[i]);
      break;
    }
    case Opcode::kAct:
      acts_.push_back({in.acc, in.rows, s_.end[i]});
      break;
    case Opcode::kLoad:
    case Opcode::kStore:
    case Opcode::kSync:
    case Opcode::kConfig:
    case Opcode::kHalt:
      break;
  }
}

// The message for a run where no queue head can start: the earliest such instruction
// and the channel it waits on, then the other queues' blocked heads.
std::string Scheduler::Deadlock(const std::array<std::vector<int>, 3>& queues,
                                const std::array<size_t, 3>& head) const {
  std::vector<int> blocked;
  for (int q = 0; q < 3; ++q) {
    if (head[q] < queues[q].size()) blocked.push_back(queues[q][head[q]]);
  }
  std::sort(blocked.begin(), blocked.end());
  auto waits_on = [&](int i) {
    const Instr& in = program_[i];
    Queue q = QueueOf(in);
    bool prev_missing = in.deps.pop_prev && channels_[Channel(Prev(q), q)].empty();
    return "the " + std::string(QueueName(q)) + " queue waits for a token from the " +
           std::string(QueueName(prev_missing ? Prev(q) : Next(q))) + " queue";
  };
  std::string message = Where(program_, blocked[0]) + "deadlock: " + waits_on(blocked[0]) +
                        " that no remaining instruction pushes";
  for (size_t b = 1; b < blocked.size(); ++b) {
    message += "; and instruction " + std::to_string(blocked[b]) + ": " + waits_on(blocked[b]);
  }
  return message;
}

// Issues queue heads until every instruction has run (or none can), then totals the
// cycles and DMA busy time.
std::string Scheduler::Run(TimingCounters& c) {
  std::array<std::vector<int>, 3> queues;
  for (size_t i = 0; i < info_.size(); ++i) {
    queues[static_cast<int>(QueueOf(program_[i]))].push_back(static_cast<int>(i));
  }
  std::array<size_t, 3> head = {};
  for (size_t done = 0; done < info_.size();) {
    bool progress = false;
    for (int q = 0; q < 3; ++q) {
      while (head[q] < queues[q].size() && TryIssue(queues[q][head[q]])) {
        ++head[q];
        ++done;
        progress = true;
      }
    }
    if (!progress) return Deadlock(queues, head);
  }
  for (size_t i = 0; i < info_.size(); ++i) {
    c.cycles = std::max(c.cycles, s_.end[i]);
    const Instr& in = program_[i];
    if (in.op == Opcode::kLoad || in.op == Opcode::kStore) {
      bool weights = in.op == Opcode::kLoad && in.mem == static_cast<int64_t>(MemSpace::kWeight);
      DmaTraffic& dma = in.op == Opcode::kStore ? c.store_dma : weights ? c.weight_dma : c.load_dma;
      dma.busy_cycles += s_.end[i] - s_.start[i];
    }
  }
  return "";
}

}  // namespace

std::optional<TimingResult> SimulateTiming(const TpuTarget& target,
                                           const std::vector<Instr>& program,
                                           const TimingOptions& options, std::string* error) {
  size_t count = 0;
  for (; count < program.size(); ++count) {
    if (!ValidateInstr(program[count], error)) {
      // No disassembly: an invalid field may have no name to print.
      *error = "instruction " + std::to_string(count) + ": " + *error;
      return std::nullopt;
    }
    if (program[count].op == Opcode::kHalt) break;
  }
  if (count == program.size()) {
    *error = "the program has no halt";
    return std::nullopt;
  }
  ++count;  // the HALT runs too
  TimingResult result;
  result.mode = options.mode;
  TimingCounters& c = result.counters;
  std::vector<InstrInfo> info(count);
  *error = timing_internal::AnalyzeProgram(target, program, count, info, c);
  if (!error->empty()) return std::nullopt;
  Scheduler s(target, options.mode, program, info);
  if (*error = s.Run(c); !error->empty()) return std::nullopt;
  c.instructions = static_cast<int64_t>(count);
  timing_internal::AttributeCycles(program, info, s.schedule(), c);
  if (options.mode == TimingMode::kCompatible && c.cycles > 0) {
    // SCALE-Sim reports the index of the last cycle; take the one cycle from the first
    // class that has it, so the classes still add up to the total.
    c.cycles -= 1;
    int64_t* classes[] = {&c.non_matrix_cycles, &c.weight_shift_cycles, &c.array_active_cycles};
    for (int64_t* cls : classes) {
      if (*cls > 0) {
        --*cls;
        break;
      }
    }
  }
  if (options.record_timeline) {
    for (size_t i = 0; i < count; ++i) {
      result.timeline.push_back({static_cast<int64_t>(i), QueueOf(program[i]), program[i].op,
                                 s.schedule().start[i], s.schedule().end[i]});
    }
  }
  return result;
}

}  // namespace tessel::tpu
