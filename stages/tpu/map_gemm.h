// Mapping a GEMM onto the simulated TPU (lab06, tasks t1 to t4): MapGemm and the
// pieces MapConv2d (map_conv.h, task t5) shares with it.
//
// These functions are the TPU back end's instruction selection and tiling: they take
// one matrix multiplication or one 2-D convolution whose operands lie in DRAM and
// return a program for the machine of target.h that computes it. The learner writes
// them in lab06_backends/map_gemm.cpp (MapConv2d, of map_conv.h, in map_conv.cpp); the reference is
// in solutions/lab06_backends/. The functional simulator checks what the programs compute and the
// timing simulator how long they take (docs/tpu.md).
//
// The contract every program keeps (lab06_backends/README.md §4 explains why):
//  * it starts with CONFIG (the target's dataflow, the problem's dtype), ends with
//    HALT, and every instruction passes ValidateInstr;
//  * weight-stationary tiling: B's K rows go to the array's rows, its N columns to the
//    array's columns; for each column tile, for each K tile: LOAD the tile into the
//    weight buffer, LOADW it, and one MATMUL (with swap; accumulate after the first K
//    tile) streams every row of the current M chunk; then ACT and STORE the C tile;
//  * M is split into chunks only when it must be (see GemmChunkRows), so a GEMM that
//    fits runs exactly ceil(K/R)*ceil(N/C) weight folds of T = M rows each, which is
//    what SCALE-Sim counts, and reads A and B from DRAM once;
//  * double buffering: the weight buffer has two slots when two R x C tiles (each with
//    one scratch element before it) fit in elements of the dtype, else one; the unified
//    buffer has two output halves (and two A halves when M is split); the loads of the
//    next fold are issued before the current one computes, and dependency tokens say
//    when data is in and when a slot or a half is free again (lab06_backends/README.md §4.4);
//  * every token pushed is popped, and no two instructions of different queues that
//    touch the same buffer elements are left unordered by the queues and the tokens.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "stages/tpu/isa.h"
#include "stages/tpu/target.h"

namespace tessel::tpu {

/// How the accumulator becomes the output: relu (optional), then int8 requantization
/// round(a * mult / 2^shift) saturated to [-128, 127], or an f32 scale (ACT, docs/tpu.md §6).
struct OutputTransform {
  bool relu = false;
  int32_t mult = 1;    // int8 only
  int32_t shift = 0;   // int8 only, 0..63
  float scale = 1.0f;  // f32 only
};

/// C[M x N] = A[M x K] * B[K x N], all row-major and dense in DRAM (byte addresses).
/// Elements are int8 (C requantized to int8) or f32.
struct GemmProblem {
  int64_t m = 1, k = 1, n = 1;
  uint32_t a_dram = 0, b_dram = 0, c_dram = 0;
  TpuDType dtype = TpuDType::kInt8;
  OutputTransform output;
};

/// Returns a program that computes `problem` on `target`. Throws std::invalid_argument
/// for a problem that cannot be mapped (a side below 1, K over 65535, A rows that do not
/// fit the unified buffer even one at a time, DRAM addresses beyond 32 bits).
std::vector<Instr> MapGemm(const TpuTarget& target, const GemmProblem& problem);

/// The rows of A per M chunk: M itself when M*K + 2*M*C elements fit in the unified
/// buffer, M <= the accumulator rows and M <= 65535 (MATMUL's rows field); otherwise the
/// largest m with 2*m*K + 2*m*C <= unified-buffer elements, m <= accumulator rows / 2 and
/// m <= 65535, evened out over the ceil(M / m) chunks. 0 when not even one row fits.
int64_t GemmChunkRows(const TpuTarget& target, TpuDType dtype, int64_t m, int64_t k);

// ----- The pieces MapGemm and MapConv2d share (both in the learner's files).

/// One tile of B: rows [k0, k0 + k) and columns [n0, n0 + n).
struct WeightTile {
  int64_t k0 = 0, k = 0, n0 = 0, n = 0;
};

/// Emits the load-queue instructions that put `tile` of B into the weight buffer as a
/// dense k x n block at element `wb_addr`. Element wb_addr - 1 is scratch the loader
/// may overwrite. MapGemm's is one strided LOAD; MapConv2d's gathers im2col.
using WeightTileLoader = std::function<std::vector<Instr>(const WeightTile& tile, int64_t wb_addr)>;

/// Appends the tiled GEMM of `problem` (no CONFIG, no HALT) to `program`, getting B's
/// tiles from `load_tile` (problem.b_dram is then unused). It ends with a barrier, a
/// `sync queue=execute` that waits for the last STORE and a `sync queue=load` that waits
/// for it, and leaves no token behind, so several bodies may follow one another.
void AppendGemm(const TpuTarget& target, const GemmProblem& problem,
                const WeightTileLoader& load_tile, std::vector<Instr>& program);

}  // namespace tessel::tpu
