// The functional simulator's execute queue: LOADW, MATMUL and ACT.
//
// Weight-stationary semantics (Jouppi et al. 2017, section 2): the array holds an
// R x C weight tile W; each streamed activation row x (k <= R elements) leaves the
// array as one accumulator row x * W of C entries. int8 products are summed in
// int32 with wrap-around (as 32-bit adders do); f32 sums in float, k in order.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "stages/tpu/functional_sim.h"

namespace tessel::tpu {

namespace {

// Integer p / 2^shift rounded to nearest, halves away from zero (gemmlowp's
// RoundingDivideByPOT). |p| <= 2^62, so the magnitude plus half fits in uint64.
int64_t RoundingShift(int64_t p, int shift) {
  if (shift == 0) return p;
  uint64_t magnitude = p < 0 ? uint64_t(0) - uint64_t(p) : uint64_t(p);
  uint64_t rounded = (magnitude + (uint64_t{1} << (shift - 1))) >> shift;
  return p < 0 ? -static_cast<int64_t>(rounded) : static_cast<int64_t>(rounded);
}

uint32_t FloatBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}

float BitsFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::string OutOfRange(const char* name, uint64_t first, uint64_t end, uint64_t size) {
  if (end <= size) return "";
  return std::string(name) + " access [" + std::to_string(first) + ", " + std::to_string(end) +
         ") is out of range: it holds " + std::to_string(size) +
         (std::string(name) == "accumulator" ? " rows" : " elements");
}

}  // namespace

// LOADW: W[r][c] = wb[sram + r*stride + c] for r < rows, c < cols; zero elsewhere.
std::string FunctionalSim::ExecuteLoadW(const Instr& in) {
  if (in.rows > target_.rows || in.cols > target_.cols) {
    return "a " + std::to_string(in.rows) + "x" + std::to_string(in.cols) +
           " weight tile does not fit the " + std::to_string(target_.rows) + "x" +
           std::to_string(target_.cols) + " array";
  }
  uint64_t end = in.sram + (in.rows - 1) * in.stride + in.cols;
  std::string problem =
      OutOfRange("weight buffer", in.sram, end, weights_.size() / ElementBytes(dtype_));
  if (!problem.empty()) return problem;
  shadow_.w.assign(size_t{target_.rows} * target_.cols, 0.0);
  for (uint64_t r = 0; r < uint64_t(in.rows); ++r) {
    for (uint64_t c = 0; c < uint64_t(in.cols); ++c) {
      shadow_.w[r * target_.cols + c] = ReadElement(weights_, in.sram + r * in.stride + c);
    }
  }
  shadow_ = {std::move(shadow_.w), uint32_t(in.rows), uint32_t(in.cols), dtype_, true};
  ++counters_.weight_tiles;
  return "";
}

// MATMUL: for each streamed row i, acc[acc+i][j] (+)= sum_k ub[sram + i*stride + k] * W[k][j].
std::string FunctionalSim::ExecuteMatmul(const Instr& in) {
  if (in.swap) {
    if (!shadow_.valid) return "swap without a loadw since the last swap";
    active_ = std::move(shadow_);
    shadow_ = Tile{};
  }
  if (!active_.valid) return "matmul before any weights were swapped in (use swap)";
  if (active_.dtype != dtype_) return "the active weights were loaded in another dtype";
  uint64_t k = active_.k, cols = target_.cols;
  std::string problem =
      OutOfRange("unified buffer", in.sram, in.sram + (in.rows - 1) * in.stride + k,
                 unified_.size() / ElementBytes(dtype_));
  if (problem.empty())
    problem = OutOfRange("accumulator", in.acc, in.acc + in.rows, target_.accumulator_rows);
  if (!problem.empty()) return problem;
  // Row by row of W, so the inner loop runs along a row. int8 sums are exact in double
  // (|sum| < 2^53 for any k the ISA allows) and wrap to 32 bits when they land; f32 sums
  // are float and add the k products in order, as the array's adder chain does.
  std::vector<double> x(k), int_sum(cols);
  std::vector<float> float_sum(cols);
  for (uint64_t i = 0; i < uint64_t(in.rows); ++i) {
    for (uint64_t r = 0; r < k; ++r) x[r] = ReadElement(unified_, in.sram + i * in.stride + r);
    uint32_t* out = &acc_[(in.acc + i) * cols];
    const double* w = active_.w.data();
    if (dtype_ == TpuDType::kInt8) {
      std::fill(int_sum.begin(), int_sum.end(), 0.0);
      for (uint64_t r = 0; r < k; ++r) {
        for (uint64_t j = 0; j < cols; ++j) int_sum[j] += x[r] * w[r * cols + j];
      }
      for (uint64_t j = 0; j < cols; ++j) {
        out[j] = uint32_t(int64_t(int_sum[j])) + (in.accumulate ? out[j] : 0);  // wrap-around
      }
    } else {
      std::fill(float_sum.begin(), float_sum.end(), 0.0f);
      for (uint64_t r = 0; r < k; ++r) {
        for (uint64_t j = 0; j < cols; ++j) float_sum[j] += float(x[r]) * float(w[r * cols + j]);
      }
      for (uint64_t j = 0; j < cols; ++j) {
        out[j] = FloatBits(float_sum[j] + (in.accumulate ? BitsFloat(out[j]) : 0.0f));
      }
    }
  }
  counters_.macs += in.rows * int64_t(k) * int64_t(cols);
  return "";
}

// ACT: ub[sram + i*stride + j] = requantize(act(acc[acc+i][j])) for i < rows, j < cols.
// int8: round(act(a) * mult / 2^shift) saturated to [-128, 127]; f32: act(a) * scale.
std::string FunctionalSim::ExecuteAct(const Instr& in) {
  if (in.cols > target_.cols) {
    return "cols=" + std::to_string(in.cols) + " is wider than an accumulator row (" +
           std::to_string(target_.cols) + ")";
  }
  uint64_t end = in.sram + (in.rows - 1) * in.stride + in.cols;
  std::string problem =
      OutOfRange("unified buffer", in.sram, end, unified_.size() / ElementBytes(dtype_));
  if (problem.empty())
    problem = OutOfRange("accumulator", in.acc, in.acc + in.rows, target_.accumulator_rows);
  if (!problem.empty()) return problem;
  bool relu = static_cast<Activation>(in.func) == Activation::kRelu;
  for (uint64_t i = 0; i < uint64_t(in.rows); ++i) {
    for (uint64_t j = 0; j < uint64_t(in.cols); ++j) {
      uint32_t bits = acc_[(in.acc + i) * target_.cols + j];
      double value = 0;
      if (dtype_ == TpuDType::kInt8) {
        int64_t a = static_cast<int32_t>(bits);
        if (relu) a = std::max<int64_t>(a, 0);
        value = std::clamp<int64_t>(RoundingShift(a * in.mult, int(in.shift)), -128, 127);
      } else {
        float a = BitsFloat(bits);
        if (relu) a = std::max(a, 0.0f);
        value = a * BitsFloat(uint32_t(in.scale));
      }
      WriteElement(unified_, in.sram + i * in.stride + j, value);
    }
  }
  return "";
}

}  // namespace tessel::tpu
