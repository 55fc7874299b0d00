// A fold-by-fold GEMM program generator for the timing tests.
//
// It writes C[M x N] = A[M x K] * B[K x N] the way SCALE-Sim runs it: one weight fold
// (ws: a K tile x an N tile of B) or one output block (os: an M tile x an N tile of C)
// after another, column blocks outermost as in SCALE-Sim's `for fc: for fr:` loops.
// Options add what SCALE-Sim leaves out: loading A, streaming each weight tile from DRAM
// through a few weight-buffer slots, and ACT + STORE of each column block, with the
// tokens that order them. lab06 will generate programs like these from the IR.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <vector>

#include "stages/tpu/isa.h"
#include "stages/tpu/scalesim_model.h"
#include "stages/tpu/target.h"

namespace tessel::tpu {

struct FoldProgramOptions {
  bool load_activations = false;  // LOAD A into ub[0] first
  bool stream_weights = false;    // LOAD every weight tile into one of `weight_slots` slots
  int weight_slots = 4;
  bool store_outputs = false;  // ACT + STORE every column block of C
  bool split_rows = false;     // ws: stream a fold as two MATMULs on the same weights
};

namespace timing_test {

inline Instr Make(Opcode op, std::initializer_list<std::pair<Field, int64_t>> fields) {
  Instr in = MakeInstr(op);
  for (auto [field, value] : fields) in.at(field) = value;
  return in;
}

// One weight tile: rows [k0, k0 + k) and columns [n0, n0 + n) of B.
struct Tile {
  int64_t k0, k, n0, n;
};

}  // namespace timing_test

/// DRAM: A at 0 (M x K int8), B at M*K (K x N), C after both (M x N). On chip: A at ub[0]
/// with row stride K, weight slot s at wb[s * R * C], column block j of C at
/// ub[M*K + j*M*C] (dense), its accumulators at acc[j * M].
inline std::vector<Instr> FoldByFoldGemm(const GemmShape& s, const TpuTarget& t, Dataflow df,
                                         const FoldProgramOptions& o = {}) {
  using timing_test::Make;
  using F = Field;
  const int64_t R = t.rows, C = t.cols, b_dram = s.m * s.k, c_dram = b_dram + s.k * s.n;
  const bool ws = df == Dataflow::kWeightStationary;
  std::vector<Instr> p;
  p.push_back(Make(Opcode::kConfig, {{F::kDataflow, ws ? 0 : 1}, {F::kDType, 0}}));
  if (o.load_activations) {
    p.push_back(
        Make(Opcode::kLoad, {{F::kMem, 0}, {F::kRows, s.m}, {F::kCols, s.k}, {F::kStride, s.k}}));
  }
  // The order weight tiles are used in: (MATMUL rows offset, tile) pairs.
  struct Use {
    int64_t m0, m;
    timing_test::Tile tile;
    int64_t block;
  };
  std::vector<Use> uses;
  for (int64_t n0 = 0, j = 0; n0 < s.n; n0 += C, ++j) {
    int64_t n = std::min(C, s.n - n0);
    int64_t m_step = ws ? s.m : R;  // ws streams all of M; os fills R rows of outputs
    for (int64_t m0 = 0; m0 < s.m; m0 += m_step) {
      for (int64_t k0 = 0; k0 < s.k; k0 += R) {
        uses.push_back({m0, std::min(m_step, s.m - m0), {k0, std::min(R, s.k - k0), n0, n}, j});
      }
    }
  }
  const int64_t slots = o.weight_slots, count = static_cast<int64_t>(uses.size());
  auto load_tile = [&](int64_t u) {
    const timing_test::Tile& w = uses[u].tile;
    Instr in = Make(Opcode::kLoad, {{F::kMem, 1},
                                    {F::kSram, (u % slots) * R * C},
                                    {F::kDram, b_dram + w.k0 * s.n + w.n0},
                                    {F::kRows, w.k},
                                    {F::kCols, w.n},
                                    {F::kStride, s.n}});
    in.deps.pop_next = u >= slots;  // the slot's previous tile has been shifted out
    in.deps.push_next = true;
    p.push_back(in);
  };
  if (o.stream_weights) {
    for (int64_t u = 0; u < std::min(slots, count); ++u) load_tile(u);
  }
  for (int64_t u = 0; u < count; ++u) {
    const Use& use = uses[u];
    const timing_test::Tile& w = use.tile;
    Instr loadw = o.stream_weights ? Make(Opcode::kLoadW, {{F::kSram, (u % slots) * R * C},
                                                           {F::kRows, w.k},
                                                           {F::kCols, w.n},
                                                           {F::kStride, w.n}})
                                   : Make(Opcode::kLoadW, {{F::kSram, w.k0 * s.n + w.n0},
                                                           {F::kRows, w.k},
                                                           {F::kCols, w.n},
                                                           {F::kStride, s.n}});
    loadw.deps.pop_prev = o.stream_weights;
    loadw.deps.push_prev = o.stream_weights && u + slots < count;
    p.push_back(loadw);
    // Two MATMULs when splitting: the second keeps the weights (no swap).
    int64_t first = ws && o.split_rows && use.m > 1 ? use.m / 2 : use.m;
    for (int64_t m0 = use.m0; m0 < use.m0 + use.m; m0 += first) {
      int64_t rows = std::min(first, use.m0 + use.m - m0);
      p.push_back(Make(Opcode::kMatmul, {{F::kAcc, use.block * s.m + m0},
                                         {F::kSram, m0 * s.k + w.k0},
                                         {F::kRows, rows},
                                         {F::kStride, s.k},
                                         {F::kSwap, m0 == use.m0},
                                         {F::kAccumulate, w.k0 > 0}}));
    }
    if (o.stream_weights && u + slots < count) load_tile(u + slots);
    bool block_done = u + 1 == count || uses[u + 1].block != use.block;
    if (o.store_outputs && block_done) {
      int64_t out = s.m * s.k + use.block * s.m * C;
      Instr act = Make(Opcode::kAct, {{F::kSram, out},
                                      {F::kAcc, use.block * s.m},
                                      {F::kRows, s.m},
                                      {F::kCols, w.n},
                                      {F::kStride, w.n}});
      act.deps.push_next = true;
      p.push_back(act);
      Instr store = Make(Opcode::kStore, {{F::kDram, c_dram + w.n0},
                                          {F::kSram, out},
                                          {F::kRows, s.m},
                                          {F::kCols, w.n},
                                          {F::kStride, s.n}});
      store.deps.pop_prev = true;
      p.push_back(store);
    }
  }
  p.push_back(MakeInstr(Opcode::kHalt));
  return p;
}

}  // namespace tessel::tpu
