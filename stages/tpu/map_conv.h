// Mapping a 2-D convolution onto the simulated TPU (lab06, task t5): im2col tiles
// gathered by strided, zero-padded LOADs and run through the GEMM of map_gemm.h. The
// learner writes it in lab06_backends/map_conv.cpp; the reference is in
// solutions/lab06_backends/. The contract of map_gemm.h holds for its programs too.
#pragma once

#include <cstdint>
#include <vector>

#include "stages/tpu/map_gemm.h"

namespace tessel::tpu {

/// out = conv2d(in, weights): input NCHW [batch, channels, height, width], weights KCRS
/// [filters, channels, kernel_h, kernel_w], output NKPQ [batch, filters, P, Q] with
/// P = (height + 2*padding - kernel_h) / stride + 1 and Q likewise; zero padding.
struct Conv2dProblem {
  int64_t batch = 1, channels = 1, height = 1, width = 1;
  int64_t filters = 1, kernel_h = 1, kernel_w = 1;
  int64_t stride = 1, padding = 0;
  uint32_t input_dram = 0, weight_dram = 0, output_dram = 0;
  TpuDType dtype = TpuDType::kInt8;
  OutputTransform output;

  int64_t out_h() const { return (height + 2 * padding - kernel_h) / stride + 1; }
  int64_t out_w() const { return (width + 2 * padding - kernel_w) / stride + 1; }
};

/// Returns a program that computes `problem` on `target` by im2col: per image,
/// out[K x PQ] = W[K x CRS] * im2col[CRS x PQ], with the im2col tiles gathered from
/// the input by strided LOADs and zero padding. Throws std::invalid_argument like MapGemm.
std::vector<Instr> MapConv2d(const TpuTarget& target, const Conv2dProblem& problem);

}  // namespace tessel::tpu
