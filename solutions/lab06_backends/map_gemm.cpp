// Mapping a GEMM onto the systolic array (lab06, task t1): MapGemm, AppendGemm and
// GemmChunkRows of stages/tpu/mapping.h.
//
// Pipeline: the TPU back end's instruction selection and tiling; MapConv2d
// (map_conv.cpp) reuses AppendGemm with an im2col loader. The program is
// weight-stationary, as on the TPU v1 (Jouppi et al., ISCA 2017):
//   1) split M into chunks that fit the unified buffer and accumulators (usually one);
//   2) for each chunk, for each column tile of B (N by C), for each K tile (K by R):
//      LOAD the k x n weight tile into a weight-buffer slot, LOADW it, and stream all
//      the chunk's rows of A's K slice with one MATMUL (swap; accumulate after the
//      first K tile). A chunk of A is loaded once and reused by every weight tile;
//   3) after the last K tile of a column tile, ACT into one of two output halves of the
//      unified buffer and STORE it;
//   4) software pipelining: the loads of fold f+1 are issued before fold f computes,
//      into the other weight slot, and VTA-style tokens say when data is in and when a
//      slot or a half is free again (README §1.6 draws the token channels).
#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

#include "stages/common/not_implemented.h"
#include "stages/tpu/mapping.h"

namespace tessel::tpu {

namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Where one GEMM body keeps its data. Two of each buffer part let the next tile's
// transfer overlap the current tile's compute (double buffering).
struct Layout {
  int64_t chunk_rows = 0;  // rows of A per M chunk
  int64_t a_halves = 1;    // 2 when M is split, so the next chunk can load early
  int64_t ub_a[2] = {0, 0}, ub_out[2] = {0, 0}, acc[2] = {0, 0};
  int64_t wb_slots = 2;  // weight-buffer slots of R*C elements (plus one scratch each)
};

// One weight fold in program order: the tile of B it multiplies and the chunk of A.
struct Fold {
  int64_t chunk = 0, m0 = 0, m = 0;
  WeightTile tile;
  int64_t output = 0;   // which (chunk, column tile) output it adds into
  bool last_k = false;  // its output is complete after it
};

void CheckGemm(const TpuTarget& target, const GemmProblem& p) {
  auto fail = [](const std::string& why) { throw std::invalid_argument("gemm: " + why); };
  if (p.m < 1 || p.k < 1 || p.n < 1) fail("every side must be at least 1");
  if (p.k > 65535) fail("K=" + std::to_string(p.k) + " is over 65535 (LOAD's cols field)");
  uint64_t e = ElementBytes(p.dtype);
  uint64_t ends[] = {p.a_dram + uint64_t(p.m * p.k) * e, p.b_dram + uint64_t(p.k * p.n) * e,
                     p.c_dram + uint64_t(p.m * p.n) * e};
  for (uint64_t end : ends) {
    if (end > (uint64_t{1} << 32)) fail("an operand ends beyond the 32-bit DRAM address space");
  }
  if (p.output.shift < 0 || p.output.shift > 63) fail("shift must be in [0, 63]");
  if (GemmChunkRows(target, p.dtype, p.m, p.k) == 0) {
    fail("one row of A (K=" + std::to_string(p.k) + ") does not fit the unified buffer");
  }
}

Layout PlanLayout(const TpuTarget& target, const GemmProblem& p) {
  // BEGIN SOLUTION lab06.t1: chunk rows, then A halves, output halves, acc halves, wb slots
  Layout l;
  const int64_t c = target.cols, tile = int64_t{target.rows} * c;
  const int64_t wb = int64_t(target.weight_buffer_bytes / ElementBytes(p.dtype));
  l.chunk_rows = GemmChunkRows(target, p.dtype, p.m, p.k);
  l.a_halves = l.chunk_rows < p.m ? 2 : 1;
  for (int h = 0; h < 2; ++h) {
    l.ub_a[h] = (h % l.a_halves) * l.chunk_rows * p.k;
    l.ub_out[h] = l.a_halves * l.chunk_rows * p.k + h * l.chunk_rows * c;
    l.acc[h] = 2 * l.chunk_rows <= target.accumulator_rows ? h * l.chunk_rows : 0;
  }
  l.wb_slots = wb >= 2 * (tile + 1) ? 2 : 1;
  if (wb < tile + 1) throw std::invalid_argument("gemm: the weight buffer holds no R x C tile");
  return l;
  // END SOLUTION
}

std::vector<Fold> ListFolds(const TpuTarget& target, const GemmProblem& p, const Layout& l) {
  // BEGIN SOLUTION lab06.t1: chunks of M outermost, then column tiles (N by C), then K tiles (by R)
  std::vector<Fold> folds;
  const int64_t r = target.rows, c = target.cols;
  int64_t output = 0;
  for (int64_t m0 = 0, chunk = 0; m0 < p.m; m0 += l.chunk_rows, ++chunk) {
    int64_t m = std::min(l.chunk_rows, p.m - m0);
    for (int64_t n0 = 0; n0 < p.n; n0 += c, ++output) {
      for (int64_t k0 = 0; k0 < p.k; k0 += r) {
        WeightTile tile{k0, std::min(r, p.k - k0), n0, std::min(c, p.n - n0)};
        folds.push_back({chunk, m0, m, tile, output, k0 + r >= p.k});
      }
    }
  }
  return folds;
  // END SOLUTION
}

// Emits one GEMM body; the members say which slot, half and token each fold uses.
class GemmEmitter {
 public:
  GemmEmitter(const TpuTarget& target, const GemmProblem& p, const WeightTileLoader& load_tile,
              std::vector<Instr>& program)
      : target_(target),
        p_(p),
        load_tile_(load_tile),
        out_(program),
        layout_(PlanLayout(target, p)),
        folds_(ListFolds(target, p, layout_)) {}

  void Emit() {
    // BEGIN SOLUTION lab06.t1: loads wb_slots - 1 folds ahead, folds, outputs, barrier
    const int64_t count = static_cast<int64_t>(folds_.size());
    int64_t next_load = 0;
    for (int64_t f = 0; f < count; ++f) {
      while (next_load < count && next_load <= f + layout_.wb_slots - 1) EmitLoads(next_load++);
      EmitFold(f);
      if (folds_[f].last_k) EmitOutput(f);
    }
    // The barrier: execute waits for the last STORE, the load queue for execute.
    Instr sync_execute = MakeInstr(Opcode::kSync, {{Field::kQueue, int64_t(Queue::kExecute)}});
    sync_execute.deps.pop_next = sync_execute.deps.push_prev = true;
    Instr sync_load = MakeInstr(Opcode::kSync, {{Field::kQueue, int64_t(Queue::kLoad)}});
    sync_load.deps.pop_next = true;
    out_.push_back(sync_execute);
    out_.push_back(sync_load);
    // END SOLUTION
  }

 private:
  int64_t WbAddr(int64_t f) const {
    const int64_t slot = int64_t{target_.rows} * target_.cols + 1;  // + 1: the scratch element
    return (f % layout_.wb_slots) * slot + 1;
  }
  int64_t ElementBytes() const { return tpu::ElementBytes(p_.dtype); }

  // The weight tile of fold f and, on a chunk's first fold, that chunk of A.
  void EmitLoads(int64_t f) {
    // BEGIN SOLUTION lab06.t1: wait for the slot, load, say the data is in
    const Fold& fold = folds_[f];
    std::vector<Instr> group = load_tile_(fold.tile, WbAddr(f));
    group.front().deps.pop_next = f >= layout_.wb_slots;  // MATMUL f - slots is done with it
    if (f == 0 || folds_[f - 1].chunk != fold.chunk) {
      // After the pop above, so the chunk that used this A half before has finished.
      group.push_back(
          MakeInstr(Opcode::kLoad, {{Field::kMem, int64_t(MemSpace::kUnified)},
                                    {Field::kSram, layout_.ub_a[fold.chunk % 2]},
                                    {Field::kDram, p_.a_dram + fold.m0 * p_.k * ElementBytes()},
                                    {Field::kRows, fold.m},
                                    {Field::kCols, p_.k},
                                    {Field::kStride, p_.k * ElementBytes()}}));
    }
    group.back().deps.push_next = true;
    out_.insert(out_.end(), group.begin(), group.end());
    // END SOLUTION
  }

  void EmitFold(int64_t f) {
    // BEGIN SOLUTION lab06.t1: LOADW, then one MATMUL of all the chunk's rows
    const Fold& fold = folds_[f];
    Instr loadw = MakeInstr(Opcode::kLoadW, {{Field::kSram, WbAddr(f)},
                                             {Field::kRows, fold.tile.k},
                                             {Field::kCols, fold.tile.n},
                                             {Field::kStride, fold.tile.n}});
    loadw.deps.pop_prev = true;
    Instr matmul =
        MakeInstr(Opcode::kMatmul, {{Field::kAcc, layout_.acc[fold.output % 2]},
                                    {Field::kSram, layout_.ub_a[fold.chunk % 2] + fold.tile.k0},
                                    {Field::kRows, fold.m},
                                    {Field::kStride, p_.k},
                                    {Field::kSwap, 1},
                                    {Field::kAccumulate, fold.tile.k0 > 0}});
    matmul.deps.push_prev = f + layout_.wb_slots < static_cast<int64_t>(folds_.size());
    out_.push_back(loadw);
    out_.push_back(matmul);
    // END SOLUTION
  }

  void EmitOutput(int64_t f) {
    // BEGIN SOLUTION lab06.t1: ACT into output half o % 2 (pop_next from o >= 2), STORE it
    const Fold& fold = folds_[f];
    const int64_t o = fold.output, outputs = folds_.back().output + 1, half = o % 2;
    Instr act = MakeInstr(Opcode::kAct, {{Field::kSram, layout_.ub_out[half]},
                                         {Field::kAcc, layout_.acc[half]},
                                         {Field::kRows, fold.m},
                                         {Field::kCols, fold.tile.n},
                                         {Field::kStride, fold.tile.n},
                                         {Field::kFunc, p_.output.relu ? 1 : 0}});
    if (p_.dtype == TpuDType::kInt8) {
      act.mult = p_.output.mult;
      act.shift = p_.output.shift;
    } else {
      uint32_t bits;
      std::memcpy(&bits, &p_.output.scale, 4);
      act.scale = bits;
    }
    act.deps.pop_next = o >= 2;  // the STORE of output o - 2 has freed this half
    act.deps.push_next = true;
    Instr store =
        MakeInstr(Opcode::kStore,
                  {{Field::kDram, p_.c_dram + (fold.m0 * p_.n + fold.tile.n0) * ElementBytes()},
                   {Field::kSram, layout_.ub_out[half]},
                   {Field::kRows, fold.m},
                   {Field::kCols, fold.tile.n},
                   {Field::kStride, p_.n * ElementBytes()}});
    store.deps.pop_prev = true;
    store.deps.push_prev = o + 2 < outputs || o + 1 == outputs;  // the last one: the barrier
    out_.push_back(act);
    out_.push_back(store);
    // END SOLUTION
  }

  const TpuTarget& target_;
  const GemmProblem& p_;
  const WeightTileLoader& load_tile_;
  std::vector<Instr>& out_;
  Layout layout_;
  std::vector<Fold> folds_;
};

}  // namespace

int64_t GemmChunkRows(const TpuTarget& target, TpuDType dtype, int64_t m, int64_t k) {
  // BEGIN SOLUTION lab06.t1: all of M if it fits, else the largest double-buffered chunk
  const int64_t ub = int64_t(target.unified_buffer_bytes / ElementBytes(dtype));
  const int64_t c = target.cols, acc = target.accumulator_rows;
  if (m * k + 2 * m * c <= ub && m <= acc && m <= 65535) return m;
  int64_t rows = std::min({ub / (2 * k + 2 * c), acc / 2, int64_t{65535}});
  if (rows == 0) return 0;
  return CeilDiv(m, CeilDiv(m, rows));  // the same number of chunks, evened out
  // END SOLUTION
}

void AppendGemm(const TpuTarget& target, const GemmProblem& problem,
                const WeightTileLoader& load_tile, std::vector<Instr>& program) {
  CheckGemm(target, problem);
  GemmEmitter(target, problem, load_tile, program).Emit();
}

std::vector<Instr> MapGemm(const TpuTarget& target, const GemmProblem& problem) {
  const int64_t e = ElementBytes(problem.dtype);
  // B is dense in DRAM, so a tile is one strided LOAD: k rows of n elements, N apart.
  WeightTileLoader load_tile = [&](const WeightTile& tile, int64_t wb_addr) -> std::vector<Instr> {
    // BEGIN SOLUTION lab06.t1: one LOAD of the k x n tile of B into the weight buffer
    return std::vector<Instr>{MakeInstr(
        Opcode::kLoad, {{Field::kMem, int64_t(MemSpace::kWeight)},
                        {Field::kSram, wb_addr},
                        {Field::kDram, problem.b_dram + (tile.k0 * problem.n + tile.n0) * e},
                        {Field::kRows, tile.k},
                        {Field::kCols, tile.n},
                        {Field::kStride, problem.n * e}})};
    // END SOLUTION
  };
  std::vector<Instr> program = {MakeInstr(
      Opcode::kConfig,
      {{Field::kDataflow, int64_t(target.dataflow)}, {Field::kDType, int64_t(problem.dtype)}})};
  AppendGemm(target, problem, load_tile, program);
  program.push_back(MakeInstr(Opcode::kHalt));
  return program;
}

}  // namespace tessel::tpu
