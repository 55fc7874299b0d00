// One GEMM or convolution layer on the simulated TPU, end to end.
//
// lab06's mapping (MapGemm of stages/tpu/map_gemm.h, MapConv2d of map_conv.h) turns the layer into
// a program; the functional simulator runs it on seeded operands and the output is compared,
// element for element, with the plain loops of stages/tpu/reference_ops.h; the timing simulator
// says how long it takes. `tessel tpu gemm|conv` and the benchmark bench/tpu_layers are built on
// these three steps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/tpu/functional_sim.h"
#include "stages/tpu/isa.h"
#include "stages/tpu/map_conv.h"
#include "stages/tpu/scalesim_model.h"
#include "stages/tpu/target.h"

namespace tessel {

/// A layer: a GEMM or a convolution (exactly one is set). Addresses are filled in by
/// MapLayer, so the ones given here do not matter.
struct TpuLayer {
  std::optional<tpu::GemmProblem> gemm;
  std::optional<tpu::Conv2dProblem> conv;

  /// "gemm M=64 N=64 K=64 int8" or "conv N=1 C=3 H=32 W=32 K=8 R=3 S=3 stride 1 pad 1 int8".
  std::string Describe() const;
  /// Useful multiply-adds: M*N*K, or N*K*P*Q*C*R*S.
  int64_t Macs() const;
  /// The GEMM the array sees (for a convolution, one image's: M = K filters,
  /// K = C*R*S, N = P*Q) and how many times it runs (1, or the batch).
  tpu::GemmShape ArrayGemm() const;
  int64_t ArrayGemmRuns() const;
  /// The GEMM SCALE-Sim runs for the layer: for a convolution it keeps the filters
  /// stationary and streams the output pixels, [N*P*Q x C*R*S] * [C*R*S x K]; a GEMM is
  /// itself.
  tpu::GemmShape ScaleSimGemmShape() const;
};

/// The layer with its operands placed in DRAM (A, B, C or input, weights, output, each
/// 64-byte aligned) and lab06's program for it.
struct MappedLayer {
  TpuLayer layer;
  std::vector<tpu::Instr> program;
  size_t dram_bytes = 0;
};

/// Maps `layer` onto `target`. nullopt with *error set when the mapping rejects it
/// (std::invalid_argument from MapGemm/MapConv2d). A skeleton's NotImplemented is not
/// caught: the caller reports it.
std::optional<MappedLayer> MapLayer(const tpu::TpuTarget& target, TpuLayer layer,
                                    std::string* error);

/// What the functional check found.
struct LayerCheck {
  bool ok = false;
  int64_t outputs = 0;    // elements compared
  int64_t saturated = 0;  // int8 outputs at -128 or 127
  std::string message;    // on failure: the simulator's error or the first mismatch
  tpu::FunctionalCounters counters;
};

/// Runs the program on seeded random operands in the functional simulator and compares
/// every output element with ReferenceGemm / ReferenceConv.
LayerCheck CheckLayer(const tpu::TpuTarget& target, const MappedLayer& mapped, uint32_t seed);

/// A requantization shift that keeps int8 outputs of a reduction over `k` products of
/// full-range random int8 operands mostly unsaturated (output spread of about +-32).
int32_t DefaultRequantShift(int64_t k);

}  // namespace tessel
