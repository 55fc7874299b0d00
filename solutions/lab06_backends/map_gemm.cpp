// Mapping a GEMM onto the systolic array (lab06, tasks t1 to t4): MapGemm, AppendGemm
// and GemmChunkRows of stages/tpu/map_gemm.h.
//
// Pipeline: the TPU back end's instruction selection and tiling; MapConv2d
// (map_conv.cpp) reuses AppendGemm with an im2col loader. The program is
// weight-stationary, as on the TPU v1 (Jouppi et al., ISCA 2017):
//   1) one weight fold (t1): LOAD a k x n tile of B into a weight-buffer slot and the
//      rows of A into the unified buffer, LOADW the tile, stream all the rows of A with
//      one MATMUL (swap), ACT the accumulators into the unified buffer, STORE them;
//   2) for each column tile of B (N by C), for each K tile (K by R), one fold, the
//      later K tiles accumulating (t2); after a column tile's last K tile, ACT + STORE;
//   3) M split into chunks that fit the unified buffer and accumulators, only when it
//      must be (t3); a chunk of A is loaded once and reused by every weight tile;
//   4) software pipelining (t4): the loads of fold f + 1 are issued before fold f
//      computes, into the other weight slot, and VTA-style tokens say when data is in
//      and when a slot or an output half is free again (lab06_backends/README.md §4.4).
#include "stages/tpu/map_gemm.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

#include "stages/common/not_implemented.h"

namespace tessel::tpu {

namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Where one GEMM body keeps its data (lab06_backends/README.md §4.3). Two of each buffer
// part let the next tile's transfer overlap the current tile's compute (double buffering,
// lab06_backends/README.md §4.4).
struct Layout {
  int64_t chunk_rows = 0;  // rows of A per M chunk
  int64_t a_halves = 1;    // 2 when M is split, so the next chunk can load early
  int64_t ub_a[2] = {0, 0}, ub_out[2] = {0, 0}, acc[2] = {0, 0};
  int64_t wb_slots = 1;  // weight-buffer slots of R*C elements (plus one scratch each)
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
  Layout l;
  const int64_t c = target.cols, tile = int64_t{target.rows} * c;
  const int64_t wb = int64_t(target.weight_buffer_bytes / ElementBytes(p.dtype));
  // BEGIN SOLUTION lab06.t3: chunk rows; A halves if M is split; output and accumulator halves
  l.chunk_rows = GemmChunkRows(target, p.dtype, p.m, p.k);
  l.a_halves = l.chunk_rows < p.m ? 2 : 1;
  for (int h = 0; h < 2; ++h) {
    l.ub_a[h] = (h % l.a_halves) * l.chunk_rows * p.k;
    l.ub_out[h] = l.a_halves * l.chunk_rows * p.k + h * l.chunk_rows * c;
    l.acc[h] = 2 * l.chunk_rows <= target.accumulator_rows ? h * l.chunk_rows : 0;
  }
  // SKELETON
  // // Until t3: one chunk of all M rows, A at ub[0], one output region right after it
  // // (both "halves" the same), accumulator row 0.
  // l.chunk_rows = p.m;
  // l.ub_out[0] = l.ub_out[1] = p.m * p.k;
  // END SOLUTION
  // BEGIN SOLUTION lab06.t4: two weight slots when two tiles and their scratch elements fit
  l.wb_slots = wb >= 2 * (tile + 1) ? 2 : 1;
  // SKELETON
  // l.wb_slots = 1;  // until t4: one slot, reused by every fold
  // END SOLUTION
  if (wb < tile + 1) throw std::invalid_argument("gemm: the weight buffer holds no R x C tile");
  return l;
}

// The folds of one M chunk, appended to `folds`: column tiles (N by C) outside, K tiles
// (K by R) inside, so each output accumulates over consecutive folds. `output` counts
// the outputs (chunk, column tile) of the whole body.
void AppendChunkFolds(const TpuTarget& target, const GemmProblem& p, int64_t chunk, int64_t m0,
                      int64_t m, int64_t& output, std::vector<Fold>& folds) {
  // BEGIN SOLUTION lab06.t2: column tiles (N by C), then K tiles (by R); the last ends an output
  const int64_t r = target.rows, c = target.cols;
  for (int64_t n0 = 0; n0 < p.n; n0 += c, ++output) {
    for (int64_t k0 = 0; k0 < p.k; k0 += r) {
      WeightTile tile{k0, std::min(r, p.k - k0), n0, std::min(c, p.n - n0)};
      folds.push_back({chunk, m0, m, tile, output, k0 + r >= p.k});
    }
  }
  // SKELETON
  // if (p.k > target.rows || p.n > target.cols) {
  //   TESSEL_UNIMPLEMENTED("lab06.t2", "B has more than one tile: column tiles, then K tiles",
  //                        "lab06_backends/README.md §4.2");
  // }
  // folds.push_back({chunk, m0, m, WeightTile{0, p.k, 0, p.n}, output++, true});  // one fold (t1)
  // END SOLUTION
}

// The folds of the whole body in program order: M chunks outermost.
std::vector<Fold> ListFolds(const TpuTarget& target, const GemmProblem& p, const Layout& l) {
  std::vector<Fold> folds;
  int64_t output = 0;
  // BEGIN SOLUTION lab06.t3: one chunk of chunk_rows rows of M after the other
  for (int64_t m0 = 0, chunk = 0; m0 < p.m; m0 += l.chunk_rows, ++chunk) {
    AppendChunkFolds(target, p, chunk, m0, std::min(l.chunk_rows, p.m - m0), output, folds);
  }
  // SKELETON
  // AppendChunkFolds(target, p, 0, 0, p.m, output, folds);  // until t3: one chunk of all M rows
  // END SOLUTION
  return folds;
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

  // The software pipeline: every fold's loads, the fold, its output when complete, then
  // the barrier that lets another body follow.
  void Emit() {
    const int64_t count = Count();
    // BEGIN SOLUTION lab06.t4: issue each fold's loads wb_slots - 1 folds ahead of the fold
    int64_t next_load = 0;
    for (int64_t f = 0; f < count; ++f) {
      while (next_load < count && next_load <= f + layout_.wb_slots - 1) EmitLoads(next_load++);
      EmitFold(f);
      if (folds_[f].last_k) EmitOutput(f);
    }
    // SKELETON
    // for (int64_t f = 0; f < count; ++f) {  // until t4: serial, each fold's loads just before it
    //   EmitLoads(f);
    //   EmitFold(f);
    //   if (folds_[f].last_k) EmitOutput(f);
    // }
    // END SOLUTION
    EmitBarrier();
  }

 private:
  int64_t Count() const { return static_cast<int64_t>(folds_.size()); }
  int64_t WbAddr(int64_t f) const {
    const int64_t slot = int64_t{target_.rows} * target_.cols + 1;  // + 1: the scratch element
    return (f % layout_.wb_slots) * slot + 1;
  }
  int64_t ElementBytes() const { return tpu::ElementBytes(p_.dtype); }
  bool FirstOfChunk(int64_t f) const { return f == 0 || folds_[f - 1].chunk != folds_[f].chunk; }

  // The weight tile of fold f and, on a chunk's first fold, that chunk of A.
  void EmitLoads(int64_t f) {
    const Fold& fold = folds_[f];
    std::vector<Instr> group;
    // BEGIN SOLUTION lab06.t1: the tile, on a chunk's first fold its rows of A; data is in
    group = load_tile_(fold.tile, WbAddr(f));
    if (FirstOfChunk(f)) {
      group.push_back(
          MakeInstr(Opcode::kLoad, {{Field::kMem, int64_t(MemSpace::kUnified)},
                                    {Field::kSram, layout_.ub_a[fold.chunk % 2]},
                                    {Field::kDram, p_.a_dram + fold.m0 * p_.k * ElementBytes()},
                                    {Field::kRows, fold.m},
                                    {Field::kCols, p_.k},
                                    {Field::kStride, p_.k * ElementBytes()}}));
    }
    group.back().deps.push_next = true;
    // END SOLUTION
    // BEGIN SOLUTION lab06.t4: fold f - wb_slots used this slot: wait until its MATMUL freed it
    // The pop is on the group's first LOAD, so the A half is free too when a new chunk loads.
    group.front().deps.pop_next = f >= layout_.wb_slots;
    // SKELETON
    // // until t4: no "slot free" token, the serial schedule of t1-t3 does not wait
    // END SOLUTION
    out_.insert(out_.end(), group.begin(), group.end());
  }

  void EmitFold(int64_t f) {
    const Fold& fold = folds_[f];
    Instr loadw, matmul;
    // BEGIN SOLUTION lab06.t1: LOADW the k x n tile once it is in, one MATMUL of the chunk's rows
    loadw = MakeInstr(Opcode::kLoadW, {{Field::kSram, WbAddr(f)},
                                       {Field::kRows, fold.tile.k},
                                       {Field::kCols, fold.tile.n},
                                       {Field::kStride, fold.tile.n}});
    loadw.deps.pop_prev = true;
    matmul =
        MakeInstr(Opcode::kMatmul, {{Field::kAcc, layout_.acc[fold.output % 2]},
                                    {Field::kSram, layout_.ub_a[fold.chunk % 2] + fold.tile.k0},
                                    {Field::kRows, fold.m},
                                    {Field::kStride, p_.k},
                                    {Field::kSwap, 1},
                                    {Field::kAccumulate, fold.tile.k0 > 0}});
    // END SOLUTION
    // BEGIN SOLUTION lab06.t4: free the slot for the LOAD of fold f + wb_slots, if there is one
    matmul.deps.push_prev = f + layout_.wb_slots < Count();
    // SKELETON
    // // until t4: no "slot free" token
    // END SOLUTION
    out_.push_back(loadw);
    out_.push_back(matmul);
  }

  void EmitOutput(int64_t f) {
    const Fold& fold = folds_[f];
    const int64_t o = fold.output, outputs = folds_.back().output + 1, half = o % 2;
    Instr act, store;
    // BEGIN SOLUTION lab06.t1: ACT into half o % 2 (output ready), STORE it; the last STORE pushes
    act = MakeInstr(Opcode::kAct, {{Field::kSram, layout_.ub_out[half]},
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
    act.deps.push_next = true;
    store = MakeInstr(Opcode::kStore,
                      {{Field::kDram, p_.c_dram + (fold.m0 * p_.n + fold.tile.n0) * ElementBytes()},
                       {Field::kSram, layout_.ub_out[half]},
                       {Field::kRows, fold.m},
                       {Field::kCols, fold.tile.n},
                       {Field::kStride, p_.n * ElementBytes()}});
    store.deps.pop_prev = true;
    store.deps.push_prev = o + 1 == outputs;  // the barrier's sync pops it
    // END SOLUTION
    // BEGIN SOLUTION lab06.t4: ACT o waits until STORE o - 2 freed its half; STORE o frees it
    act.deps.pop_next = o >= 2;
    if (o + 2 < outputs) store.deps.push_prev = true;
    // SKELETON
    // // until t4: no "half free" token, the serial schedule of t1-t3 does not wait
    // END SOLUTION
    out_.push_back(act);
    out_.push_back(store);
  }

  // Execute waits for the last STORE, then the load queue waits for execute, so that
  // another body may follow and reuse every buffer.
  void EmitBarrier() {
    // BEGIN SOLUTION lab06.t1: sync queue=execute (pop_next, push_prev), sync queue=load (pop_next)
    Instr sync_execute = MakeInstr(Opcode::kSync, {{Field::kQueue, int64_t(Queue::kExecute)}});
    sync_execute.deps.pop_next = sync_execute.deps.push_prev = true;
    Instr sync_load = MakeInstr(Opcode::kSync, {{Field::kQueue, int64_t(Queue::kLoad)}});
    sync_load.deps.pop_next = true;
    out_.push_back(sync_execute);
    out_.push_back(sync_load);
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
  const int64_t ub = int64_t(target.unified_buffer_bytes / ElementBytes(dtype));
  const int64_t c = target.cols, acc = target.accumulator_rows;
  // All of M when A, two output halves and M accumulator rows fit (MATMUL's rows field is 16 bits).
  if (m * k + 2 * m * c <= ub && m <= acc && m <= 65535) return m;
  // BEGIN SOLUTION lab06.t3: the largest double-buffered chunk, evened out over the chunks
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
