// The closed-form SCALE-Sim model. What it follows in scalesim-project/scale-sim-v2:
//
// * scalesim/compute/systolic_compute_ws.py (create_filter_demand_mat): each fold's filter
//   demand is the R x C weight tile (padded with null requests when K or N does not fill
//   it) followed by `arr_row + arr_col + T - 2` idle lines "for inputs to stream and the
//   partial sums to drain out", with T = ifmap rows = M. So a fold is 2R + C + T - 2 lines
//   (the ifmap and ofmap demand matrices are built to the same length: R prefix, T rows,
//   C - 1 suffix, then skewed by R - 1). Folds loop `for fc in col_fold: for fr in
//   row_fold` with row_fold = ceil(K / R), col_fold = ceil(N / C).
// * scalesim/compute/systolic_compute_os.py: the ifmap demand per fold is T = K rows plus
//   C - 1 drain lines, skewed by R - 1: R + C + T - 2; row_fold = ceil(M / R).
// * Both compute mapping efficiency per fold as row_used * col_used / (R * C) and average it.
// * scalesim/memory/double_buffered_scratchpad_mem.py (service_memory_requests): the
//   demand lines are issued at cycles 0, 1, 2, ... (plus stalls, none with an ideal
//   memory), and `total_cycles = int(ofmap_serviced_cycles[-1][0])` is the cycle *index*
//   of the last line: the number of lines minus one. Hence the "- 1" in the total.
// * scalesim/single_layer_sim.py (calc_report_data): overall_util = num_compute * 100 /
//   (total_cycles * num_mac_unit), with num_compute = output pixels * window = M * N * K.
#include "stages/tpu/scalesim_model.h"

#include "stages/common/check.h"

namespace tessel::tpu {

namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

int64_t ScaleSimFoldCycles(Dataflow dataflow, int64_t rows, int64_t cols, int64_t t) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return 2 * rows + cols + t - 2;
    case Dataflow::kOutputStationary:
      return rows + cols + t - 2;
  }
  return 0;
}

ScaleSimReport ScaleSimGemm(const GemmShape& shape, int64_t rows, int64_t cols, Dataflow dataflow) {
  TESSEL_CHECK(shape.m > 0 && shape.k > 0 && shape.n > 0 && rows > 0 && cols > 0,
               "ScaleSimGemm needs positive sizes");
  // The dimension mapped to the array rows, and the one streamed through it.
  int64_t on_rows = dataflow == Dataflow::kWeightStationary ? shape.k : shape.m;
  int64_t streamed = dataflow == Dataflow::kWeightStationary ? shape.m : shape.k;

  ScaleSimReport r;
  r.folds = CeilDiv(on_rows, rows) * CeilDiv(shape.n, cols);
  r.cycles_per_fold = ScaleSimFoldCycles(dataflow, rows, cols, streamed);
  r.total_cycles = r.folds * r.cycles_per_fold - 1;
  r.macs = shape.m * shape.k * shape.n;
  double pes = static_cast<double>(rows) * static_cast<double>(cols);
  // A 1x1 array with T = 1 (output-stationary) reports 0 cycles; SCALE-Sim would divide
  // by zero there, we report no utilization.
  if (r.total_cycles > 0) {
    r.utilization = static_cast<double>(r.macs) / (static_cast<double>(r.total_cycles) * pes);
  }
  // Summing row_used * col_used over all row folds and column folds gives exactly
  // on_rows * N, because the used rows of the row folds add up to on_rows and the used
  // columns of the column folds to N.
  r.mapping_efficiency =
      static_cast<double>(on_rows * shape.n) / (static_cast<double>(r.folds) * pes);
  return r;
}

}  // namespace tessel::tpu
