// The plain C++ GEMM and convolution that TPU programs are checked against.
//
// A TPU program's result must equal, element for element, what these loops compute:
// the same operands, the same int32 (wrapping) or f32 accumulation, and the same output
// transform as ACT (docs/tpu.md §6). lab06's graded tests, `tessel tpu gemm|conv` and
// bench/tpu_layers use them as the oracle; they are written for clarity, not speed.
#pragma once

#include <cstdint>
#include <vector>

#include "stages/tpu/map_conv.h"
#include "stages/tpu/target.h"

namespace tessel::tpu {

/// Element i of `bytes` (int8 or f32, as they lie in DRAM) as a double.
double ElementAt(const std::vector<uint8_t>& bytes, TpuDType dtype, int64_t i);

/// ACT's output transform of one accumulator value: relu, then for int8 the wrap to
/// int32 and round(a * mult / 2^shift) saturated to [-128, 127]; for f32 a * scale.
double ApplyOutputTransform(double acc, TpuDType dtype, const OutputTransform& transform);

/// `count` seeded random elements as raw DRAM bytes: int8 values in [lo, hi], or f32
/// values that are small integers (|x| <= 4), so that f32 sums are exact.
std::vector<uint8_t> RandomElements(TpuDType dtype, int64_t count, uint32_t seed, int lo = -128,
                                    int hi = 127);

/// C = transform(A * B) for `problem` (addresses ignored), row-major, as doubles.
std::vector<double> ReferenceGemm(const GemmProblem& problem, const std::vector<uint8_t>& a,
                                  const std::vector<uint8_t>& b);

/// out = transform(conv2d(in, w)), NCHW * KCRS -> NKPQ with zero padding.
std::vector<double> ReferenceConv(const Conv2dProblem& problem, const std::vector<uint8_t>& in,
                                  const std::vector<uint8_t>& w);

}  // namespace tessel::tpu
