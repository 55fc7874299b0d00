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
  // TODO(lab06.t1): chunk rows, then A halves, output halves, acc halves, wb slots
  TESSEL_UNIMPLEMENTED("lab06.t1", "chunk rows, then A halves, output halves, acc halves, wb slots",
                       "lab06_backends/README.md §4.1");
}

std::vector<Fold> ListFolds(const TpuTarget& target, const GemmProblem& p, const Layout& l) {
  // TODO(lab06.t1): chunks of M outermost, then column tiles (N by C), then K tiles (by R)
  TESSEL_UNIMPLEMENTED("lab06.t1",
                       "chunks of M outermost, then column tiles (N by C), then K tiles (by R)",
                       "lab06_backends/README.md §4.1");
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
    // TODO(lab06.t1): loads wb_slots - 1 folds ahead, folds, outputs, barrier
    TESSEL_UNIMPLEMENTED("lab06.t1", "loads wb_slots - 1 folds ahead, folds, outputs, barrier",
                         "lab06_backends/README.md §4.1");
  }

 private:
  int64_t WbAddr(int64_t f) const {
    const int64_t slot = int64_t{target_.rows} * target_.cols + 1;  // + 1: the scratch element
    return (f % layout_.wb_slots) * slot + 1;
  }
  int64_t ElementBytes() const { return tpu::ElementBytes(p_.dtype); }

  // The weight tile of fold f and, on a chunk's first fold, that chunk of A.
  void EmitLoads(int64_t f) {
    // TODO(lab06.t1): wait for the slot, load, say the data is in
    TESSEL_UNIMPLEMENTED("lab06.t1", "wait for the slot, load, say the data is in",
                         "lab06_backends/README.md §4.1");
  }

  void EmitFold(int64_t f) {
    // TODO(lab06.t1): LOADW, then one MATMUL of all the chunk's rows
    TESSEL_UNIMPLEMENTED("lab06.t1", "LOADW, then one MATMUL of all the chunk's rows",
                         "lab06_backends/README.md §4.1");
  }

  void EmitOutput(int64_t f) {
    // TODO(lab06.t1): ACT into output half o % 2 (pop_next from o >= 2), STORE it
    TESSEL_UNIMPLEMENTED("lab06.t1", "ACT into output half o % 2 (pop_next from o >= 2), STORE it",
                         "lab06_backends/README.md §4.1");
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
  // TODO(lab06.t1): all of M if it fits, else the largest double-buffered chunk
  TESSEL_UNIMPLEMENTED("lab06.t1", "all of M if it fits, else the largest double-buffered chunk",
                       "lab06_backends/README.md §4.1");
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
    // TODO(lab06.t1): one LOAD of the k x n tile of B into the weight buffer
    TESSEL_UNIMPLEMENTED("lab06.t1", "one LOAD of the k x n tile of B into the weight buffer",
                         "lab06_backends/README.md §4.1");
  };
  std::vector<Instr> program = {MakeInstr(
      Opcode::kConfig,
      {{Field::kDataflow, int64_t(target.dataflow)}, {Field::kDType, int64_t(problem.dtype)}})};
  AppendGemm(target, problem, load_tile, program);
  program.push_back(MakeInstr(Opcode::kHalt));
  return program;
}

}  // namespace tessel::tpu
