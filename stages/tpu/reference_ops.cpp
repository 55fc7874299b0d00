// The oracle loops of reference_ops.h.
#include "stages/tpu/reference_ops.h"

#include <algorithm>
#include <cstring>
#include <random>

namespace tessel::tpu {

double ElementAt(const std::vector<uint8_t>& bytes, TpuDType dtype, int64_t i) {
  if (dtype == TpuDType::kInt8) return static_cast<int8_t>(bytes[size_t(i)]);
  float value;
  std::memcpy(&value, &bytes[size_t(i) * 4], 4);
  return value;
}

double ApplyOutputTransform(double acc, TpuDType dtype, const OutputTransform& t) {
  if (t.relu) acc = std::max(acc, 0.0);
  if (dtype == TpuDType::kF32) return static_cast<float>(static_cast<float>(acc) * t.scale);
  int64_t p = static_cast<int64_t>(static_cast<int32_t>(static_cast<int64_t>(acc))) * t.mult;
  if (t.shift > 0) {
    uint64_t magnitude = p < 0 ? uint64_t(0) - uint64_t(p) : uint64_t(p);
    int64_t rounded = int64_t((magnitude + (uint64_t{1} << (t.shift - 1))) >> t.shift);
    p = p < 0 ? -rounded : rounded;
  }
  return static_cast<double>(std::clamp<int64_t>(p, -128, 127));
}

std::vector<uint8_t> RandomElements(TpuDType dtype, int64_t count, uint32_t seed, int lo, int hi) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<uint8_t> bytes(size_t(count) * ElementBytes(dtype));
  for (int64_t i = 0; i < count; ++i) {
    if (dtype == TpuDType::kInt8) {
      bytes[size_t(i)] = static_cast<uint8_t>(static_cast<int8_t>(dist(rng)));
    } else {
      float value = static_cast<float>(dist(rng) % 5);  // exact sums: small integers
      std::memcpy(&bytes[size_t(i) * 4], &value, 4);
    }
  }
  return bytes;
}

namespace {

std::vector<double> Elements(const std::vector<uint8_t>& bytes, TpuDType dtype, int64_t count) {
  std::vector<double> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) values[size_t(i)] = ElementAt(bytes, dtype, i);
  return values;
}

}  // namespace

std::vector<double> ReferenceGemm(const GemmProblem& p, const std::vector<uint8_t>& a_bytes,
                                  const std::vector<uint8_t>& b_bytes) {
  const std::vector<double> a = Elements(a_bytes, p.dtype, p.m * p.k);
  const std::vector<double> b = Elements(b_bytes, p.dtype, p.k * p.n);
  std::vector<double> c(size_t(p.m * p.n));
  std::vector<double> row(size_t(p.n));
  for (int64_t i = 0; i < p.m; ++i) {
    // Row i of C, summed over k in order (exact: the operands are small integers).
    std::fill(row.begin(), row.end(), 0.0);
    for (int64_t k = 0; k < p.k; ++k) {
      const double aik = a[size_t(i * p.k + k)];
      for (int64_t j = 0; j < p.n; ++j) row[size_t(j)] += aik * b[size_t(k * p.n + j)];
    }
    for (int64_t j = 0; j < p.n; ++j) {
      c[size_t(i * p.n + j)] = ApplyOutputTransform(row[size_t(j)], p.dtype, p.output);
    }
  }
  return c;
}

std::vector<double> ReferenceConv(const Conv2dProblem& p, const std::vector<uint8_t>& in,
                                  const std::vector<uint8_t>& w) {
  const int64_t P = p.out_h(), Q = p.out_w();
  std::vector<double> out(size_t(p.batch * p.filters * P * Q));
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t k = 0; k < p.filters; ++k) {
      for (int64_t y = 0; y < P * Q; ++y) {
        double sum = 0;
        for (int64_t c = 0; c < p.channels; ++c) {
          for (int64_t r = 0; r < p.kernel_h; ++r) {
            for (int64_t s = 0; s < p.kernel_w; ++s) {
              int64_t h = y / Q * p.stride + r - p.padding, x = y % Q * p.stride + s - p.padding;
              if (h < 0 || h >= p.height || x < 0 || x >= p.width) continue;
              sum +=
                  ElementAt(in, p.dtype, ((n * p.channels + c) * p.height + h) * p.width + x) *
                  ElementAt(w, p.dtype, ((k * p.channels + c) * p.kernel_h + r) * p.kernel_w + s);
            }
          }
        }
        out[size_t((n * p.filters + k) * P * Q + y)] = ApplyOutputTransform(sum, p.dtype, p.output);
      }
    }
  }
  return out;
}

}  // namespace tessel::tpu
