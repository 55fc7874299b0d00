// Mapping a 2-D convolution onto the systolic array by im2col (lab06, task t5):
// MapConv2d of stages/tpu/map_conv.h.
//
// Pipeline: the TPU back end; it turns each image's convolution into one GEMM and
// hands it to AppendGemm (map_gemm.cpp) with a loader that builds the GEMM's B tiles.
// The GEMM is out[K x PQ] = W[K x CRS] * im2col[CRS x PQ]:
//   * W is the KCRS weight tensor read as it lies in DRAM (K rows of C*R*S), and the
//     output K x PQ is exactly image n's slice of the NKPQ output, so neither needs a
//     transpose (the DMA cannot transpose);
//   * im2col[(c, r, s)][(p, q)] = in[n][c][p*stride + r - pad][q*stride + s - pad], or 0
//     outside the image. It is never built in DRAM: each weight tile gathers its rows
//     straight from the input with strided LOADs (Chellapilla et al. 2006 build im2col
//     in memory; VTA and Gemmini gather it on the fly like this);
//   * a tile that touches the padding is first cleared with LOADs that are almost all
//     zero padding, because a LOAD must read at least one element.
#include "stages/tpu/map_conv.h"

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

#include "stages/common/not_implemented.h"

namespace tessel::tpu {

namespace {

// Floor and ceiling of a / b for b > 0 and any sign of a (C++ / truncates toward zero).
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

void CheckConv(const Conv2dProblem& p) {
  auto fail = [](const std::string& why) { throw std::invalid_argument("conv2d: " + why); };
  if (std::min({p.batch, p.channels, p.height, p.width, p.filters, p.kernel_h, p.kernel_w,
                p.stride}) < 1) {
    fail("every size and the stride must be at least 1");
  }
  if (p.padding < 0) fail("padding must not be negative");
  if (p.out_h() < 1 || p.out_w() < 1) fail("the kernel is larger than the padded input");
  uint64_t e = ElementBytes(p.dtype);
  uint64_t in_end = p.input_dram + uint64_t(p.batch * p.channels * p.height * p.width) * e;
  uint64_t out_end = p.output_dram + uint64_t(p.batch * p.filters * p.out_h() * p.out_w()) * e;
  if (std::max(in_end, out_end) > (uint64_t{1} << 32)) {
    fail("the input or the output ends beyond the 32-bit DRAM address space");
  }
}

// The loads of one convolution's im2col tiles for one image.
class Im2colLoader {
 public:
  Im2colLoader(const Conv2dProblem& p, int64_t image) : p_(p), image_(image) {}

  std::vector<Instr> operator()(const WeightTile& tile, int64_t wb_addr) const {
    std::vector<Instr> loads;
    int64_t covered = 0;  // elements of the tile the data loads write
    for (int64_t row = 0; row < tile.k; ++row) {
      covered += GatherRow(tile.k0 + row, tile.n0, tile.n, wb_addr + row * tile.n, loads);
    }
    if (covered == tile.k * tile.n) return loads;
    std::vector<Instr> program = ZeroFill(wb_addr, tile.k * tile.n);
    program.insert(program.end(), loads.begin(), loads.end());
    return program;
  }

 private:
  // Columns [n0, n0 + n) of im2col row `kk` at wb[addr]: one LOAD per output row p
  // that the range touches and that lies inside the image. Returns the elements written.
  int64_t GatherRow(int64_t kk, int64_t n0, int64_t n, int64_t addr,
                    std::vector<Instr>& loads) const {
    // TODO(lab06.t5): kk -> (c, r, s); per output row p, LOAD its valid q's
    TESSEL_UNIMPLEMENTED("lab06.t5", "kk -> (c, r, s); per output row p, LOAD its valid q's",
                         "lab06_backends/README.md §4.5");
  }

  // Clears wb[addr, addr + length). A LOAD reads at least one element, so each one
  // reads the input's first element into the element before its run and pads the run
  // with zeros; runs go from the end of the range (the highest address) back to its start,
  // so each real element is cleared by the next run, and the last one lands on the scratch
  // element wb[addr - 1].
  std::vector<Instr> ZeroFill(int64_t addr, int64_t length) const {
    // TODO(lab06.t5): runs of <= 255 zeros, from the highest address down
    TESSEL_UNIMPLEMENTED("lab06.t5", "runs of <= 255 zeros, from the highest address down",
                         "lab06_backends/README.md §4.5");
  }

  const Conv2dProblem& p_;
  int64_t image_;
};

}  // namespace

std::vector<Instr> MapConv2d(const TpuTarget& target, const Conv2dProblem& problem) {
  CheckConv(problem);
  std::vector<Instr> program = {MakeInstr(
      Opcode::kConfig,
      {{Field::kDataflow, int64_t(target.dataflow)}, {Field::kDType, int64_t(problem.dtype)}})};
  // TODO(lab06.t5): per image: W[K x CRS] * im2col[CRS x PQ] into its NKPQ slice
  TESSEL_UNIMPLEMENTED("lab06.t5", "per image: W[K x CRS] * im2col[CRS x PQ] into its NKPQ slice",
                       "lab06_backends/README.md §4.5");
  program.push_back(MakeInstr(Opcode::kHalt));
  return program;
}

}  // namespace tessel::tpu
