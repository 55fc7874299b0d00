// MapLayer and CheckLayer: lab06's mapping, the functional simulator and the oracle.
#include "stages/driver/tpu_layer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "stages/tpu/reference_ops.h"

namespace tessel {

namespace {

uint64_t Align64(uint64_t bytes) { return (bytes + 63) / 64 * 64; }

std::string DTypeSuffix(tpu::TpuDType dtype) { return " " + std::string(tpu::TpuDTypeName(dtype)); }

// Places the operands one after another, each 64-byte aligned; returns the DRAM size.
// Sizes below 1 are left for MapGemm/MapConv2d to reject with their own message.
uint64_t PlaceOperands(TpuLayer& layer) {
  uint64_t next = 0;
  auto place = [&](uint32_t& address, int64_t elements, tpu::TpuDType dtype) {
    address = uint32_t(std::min<uint64_t>(next, UINT32_MAX));
    next = Align64(next + uint64_t(std::max<int64_t>(elements, 0)) * tpu::ElementBytes(dtype));
  };
  if (layer.gemm) {
    tpu::GemmProblem& p = *layer.gemm;
    place(p.a_dram, p.m * p.k, p.dtype);
    place(p.b_dram, p.k * p.n, p.dtype);
    place(p.c_dram, p.m * p.n, p.dtype);
  } else {
    tpu::Conv2dProblem& p = *layer.conv;
    place(p.input_dram, p.batch * p.channels * p.height * p.width, p.dtype);
    place(p.weight_dram, p.filters * p.channels * p.kernel_h * p.kernel_w, p.dtype);
    place(p.output_dram, p.batch * p.filters * p.out_h() * p.out_w(), p.dtype);
  }
  return next;
}

// Programs with more weight folds than this are refused: 540 k folds (2048^3 on 16x16) take
// about 3 s and 600 MB to map and time.
constexpr int64_t kMaxWeightFolds = 2'000'000;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The weight folds MapGemm/MapConv2d emit for `layer` (0 when a size is below 1):
// ceil(K/R) * ceil(N/C) per chunk of M rows, per image for a convolution.
int64_t WeightFolds(const tpu::TpuTarget& target, const TpuLayer& layer) {
  const tpu::GemmShape g = layer.ArrayGemm();
  const tpu::TpuDType dtype = layer.gemm ? layer.gemm->dtype : layer.conv->dtype;
  if (g.m < 1 || g.k < 1 || g.n < 1 || layer.ArrayGemmRuns() < 1) return 0;
  const int64_t chunk = tpu::GemmChunkRows(target, dtype, g.m, g.k);
  if (chunk < 1) return 0;
  const double folds = double(CeilDiv(g.k, target.rows)) * double(CeilDiv(g.n, target.cols)) *
                       double(CeilDiv(g.m, chunk)) * double(layer.ArrayGemmRuns());
  return folds > 9e18 ? INT64_MAX : int64_t(folds);
}

}  // namespace

std::string TpuLayer::Describe() const {
  if (gemm) {
    return "gemm M=" + std::to_string(gemm->m) + " N=" + std::to_string(gemm->n) +
           " K=" + std::to_string(gemm->k) + DTypeSuffix(gemm->dtype);
  }
  const tpu::Conv2dProblem& c = *conv;
  return "conv N=" + std::to_string(c.batch) + " C=" + std::to_string(c.channels) +
         " H=" + std::to_string(c.height) + " W=" + std::to_string(c.width) +
         " K=" + std::to_string(c.filters) + " R=" + std::to_string(c.kernel_h) +
         " S=" + std::to_string(c.kernel_w) + " stride " + std::to_string(c.stride) + " pad " +
         std::to_string(c.padding) + DTypeSuffix(c.dtype);
}

tpu::GemmShape TpuLayer::ArrayGemm() const {
  if (gemm) return {gemm->m, gemm->k, gemm->n};
  return {conv->filters, conv->channels * conv->kernel_h * conv->kernel_w,
          conv->out_h() * conv->out_w()};
}

int64_t TpuLayer::ArrayGemmRuns() const { return gemm ? 1 : conv->batch; }

tpu::GemmShape TpuLayer::ScaleSimGemmShape() const {
  const tpu::GemmShape g = ArrayGemm();
  if (gemm) return g;
  return {g.n * ArrayGemmRuns(), g.k, g.m};
}

int64_t TpuLayer::Macs() const {
  tpu::GemmShape g = ArrayGemm();
  return g.m * g.k * g.n * ArrayGemmRuns();
}

std::optional<MappedLayer> MapLayer(const tpu::TpuTarget& target, TpuLayer layer,
                                    std::string* error) {
  MappedLayer mapped;
  const uint64_t dram_bytes = PlaceOperands(layer);
  const tpu::TpuDType dtype = layer.gemm ? layer.gemm->dtype : layer.conv->dtype;
  const uint64_t tile_bytes = uint64_t{target.rows} * target.cols * tpu::ElementBytes(dtype);
  if (target.weight_buffer_bytes < tile_bytes + tpu::ElementBytes(dtype)) {
    *error = "the weight buffer (" + std::to_string(target.weight_buffer_bytes) +
             " bytes) holds no " + std::to_string(target.rows) + "x" + std::to_string(target.cols) +
             " " + std::string(tpu::TpuDTypeName(dtype)) + " tile (" + std::to_string(tile_bytes) +
             " bytes and a scratch element)" +
             (dtype == tpu::TpuDType::kF32 ? "; f32 takes four bytes an element, use --dtype int8"
                                           : "") +
             " or a smaller --array";
    return std::nullopt;
  }
  const int64_t folds = WeightFolds(target, layer);
  if (folds > kMaxWeightFolds) {
    *error = "the program would run " + std::to_string(folds) + " weight folds, more than the " +
             std::to_string(kMaxWeightFolds) +
             " this simulator takes on (seconds and gigabytes); try a bigger array, such as "
             "--preset tpu_v1, or a smaller problem";
    return std::nullopt;
  }
  try {
    mapped.program =
        layer.gemm ? tpu::MapGemm(target, *layer.gemm) : tpu::MapConv2d(target, *layer.conv);
  } catch (const std::invalid_argument& e) {
    *error = e.what();
    return std::nullopt;
  }
  if (dram_bytes > (uint64_t{1} << 32)) {
    *error = "the operands need " + std::to_string(dram_bytes) +
             " bytes of DRAM, more than the 4 GiB the TPU addresses";
    return std::nullopt;
  }
  mapped.layer = std::move(layer);
  mapped.dram_bytes = size_t(dram_bytes);
  return mapped;
}

LayerCheck CheckLayer(const tpu::TpuTarget& target, const MappedLayer& mapped, uint32_t seed) {
  const TpuLayer& layer = mapped.layer;
  const tpu::TpuDType dtype = layer.gemm ? layer.gemm->dtype : layer.conv->dtype;
  std::vector<uint8_t> dram(mapped.dram_bytes, 0);
  auto place = [&](const std::vector<uint8_t>& bytes, uint32_t at) {
    std::copy(bytes.begin(), bytes.end(), dram.begin() + at);
  };
  std::vector<double> expected;
  uint32_t output_at = 0;
  if (layer.gemm) {
    const tpu::GemmProblem& p = *layer.gemm;
    std::vector<uint8_t> a = tpu::RandomElements(dtype, p.m * p.k, seed);
    std::vector<uint8_t> b = tpu::RandomElements(dtype, p.k * p.n, seed + 1);
    place(a, p.a_dram);
    place(b, p.b_dram);
    expected = tpu::ReferenceGemm(p, a, b);
    output_at = p.c_dram;
  } else {
    const tpu::Conv2dProblem& p = *layer.conv;
    std::vector<uint8_t> in =
        tpu::RandomElements(dtype, p.batch * p.channels * p.height * p.width, seed);
    std::vector<uint8_t> w =
        tpu::RandomElements(dtype, p.filters * p.channels * p.kernel_h * p.kernel_w, seed + 1);
    place(in, p.input_dram);
    place(w, p.weight_dram);
    expected = tpu::ReferenceConv(p, in, w);
    output_at = p.output_dram;
  }

  LayerCheck check;
  tpu::FunctionalSim sim(target);
  if (!sim.Run(mapped.program, dram, &check.message)) return check;
  check.counters = sim.counters();
  const std::vector<uint8_t> output(dram.begin() + output_at, dram.end());
  for (size_t i = 0; i < expected.size(); ++i) {
    const double actual = tpu::ElementAt(output, dtype, int64_t(i));
    if (actual != expected[i]) {
      check.message = "output element " + std::to_string(i) + " is " + std::to_string(actual) +
                      ", the plain loops give " + std::to_string(expected[i]);
      return check;
    }
    if (dtype == tpu::TpuDType::kInt8 && (actual == -128 || actual == 127)) ++check.saturated;
  }
  check.ok = true;
  check.outputs = int64_t(expected.size());
  return check;
}

int32_t DefaultRequantShift(int64_t k) {
  // A product of two uniform int8 values has a standard deviation of about 128^2 / 3, so
  // a sum of k of them about sqrt(k) * 5461; dividing by 2^shift should leave about 32.
  const double spread = std::sqrt(double(std::max<int64_t>(k, 1))) * 5461.0 / 32.0;
  return std::clamp(int32_t(std::lround(std::log2(spread))), 0, 63);
}

}  // namespace tessel
