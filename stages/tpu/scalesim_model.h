// The closed-form SCALE-Sim model of one GEMM on a systolic array.
//
// SCALE-Sim (Samajdar et al., "A Systematic Methodology for Characterizing Scalability of
// DNN Accelerators using SCALE-Sim", ISPASS 2020; scalesim-project/scale-sim-v2) cuts
// C = A[MxK] * B[KxN] into folds, pieces of the problem that fit the R x C array, and runs
// the folds one after another with no overlap. With a memory that never stalls its cycle
// count has a closed form, given here; the timing simulator's compatible mode
// (timing_sim.h) reproduces it for a program that tiles the GEMM fold by fold, and the
// tests check both against numbers computed by hand (docs/tpu.md, "Timing").
#pragma once

#include <cstdint>

#include "stages/tpu/target.h"

namespace tessel::tpu {

/// C[M x N] = A[M x K] * B[K x N]; every side at least 1.
struct GemmShape {
  int64_t m = 1;
  int64_t k = 1;
  int64_t n = 1;
};

/// What SCALE-Sim's compute report says about one GEMM layer.
struct ScaleSimReport {
  int64_t folds = 0;              // row folds x column folds
  int64_t cycles_per_fold = 0;    // the same for every fold (partial folds are padded)
  int64_t total_cycles = 0;       // folds * cycles_per_fold - 1
  int64_t macs = 0;               // M * K * N
  double utilization = 0;         // macs / (total_cycles * R * C), in [0, 1]
  double mapping_efficiency = 0;  // average over folds of used PEs / (R * C)
};

/// The cycles of one fold that streams T rows: weight-stationary preloads R rows of
/// weights, then skew, stream and drain, 2R + C + T - 2; output-stationary has no
/// preload, R + C + T - 2.
int64_t ScaleSimFoldCycles(Dataflow dataflow, int64_t rows, int64_t cols, int64_t t);

/// The closed form for `shape` on a `rows` x `cols` array. Weight-stationary maps K to
/// the array rows and N to its columns and streams T = M rows per fold;
/// output-stationary maps M to rows and N to columns and streams T = K.
ScaleSimReport ScaleSimGemm(const GemmShape& shape, int64_t rows, int64_t cols, Dataflow dataflow);

}  // namespace tessel::tpu
