// The simulated TPU as data: array shape, dataflow, buffer sizes, DMA engines.
//
// Everything that differs between one TPU and another lives in a TpuTarget, so the
// assembler, the simulators and the lab06 mapping read sizes from here instead of
// from constants (STYLE.md, "targets are data"). Two presets: a small 16x16 machine
// for teaching and tests, and the TPU v1 of Jouppi et al., "In-Datacenter
// Performance Analysis of a Tensor Processing Unit", ISCA 2017.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessel::tpu {

/// Which operand stays in the array. Weight-stationary (TPU v1): a weight tile is
/// loaded into the PEs and activations stream through. Output-stationary: each PE
/// keeps one output and both operands stream. The results are the same; only the
/// timing differs (docs/tpu.md, "Timing").
enum class Dataflow { kWeightStationary, kOutputStationary };

/// The element type of the unified buffer and the weight buffer. int8 multiplies
/// into int32 accumulators (the real machine); f32 accumulates in f32 so results
/// can be checked against a plain float GEMM.
enum class TpuDType { kInt8, kF32 };

/// One DMA engine: a transfer of n bytes takes latency + ceil(n / bytes_per_cycle).
struct DmaEngine {
  uint32_t latency_cycles = 0;
  double bytes_per_cycle = 1.0;
};

struct TpuTarget {
  std::string name;    // the preset it came from, e.g. "default" or "tpu_v1"
  uint32_t rows = 16;  // R: array rows = the reduction (K) width of one pass
  uint32_t cols = 16;  // C: array columns = output columns per accumulator row
  Dataflow dataflow = Dataflow::kWeightStationary;
  TpuDType dtype = TpuDType::kInt8;  // the mode at reset; CONFIG may change it
  double clock_mhz = 1000.0;
  uint64_t unified_buffer_bytes = 0;    // activations (inputs and ACT outputs)
  uint64_t weight_buffer_bytes = 0;     // weight tiles staged before LOADW
  uint32_t accumulator_rows = 0;        // each row holds `cols` 32-bit entries
  DmaEngine load;                       // DRAM -> unified buffer
  DmaEngine store;                      // unified buffer -> DRAM
  double weight_bytes_per_cycle = 1.0;  // DRAM -> weight buffer ("weight memory")

  /// A 16x16 weight-stationary int8 machine at 1 GHz, sized like VTA's default
  /// (256 KiB unified buffer, 64 KiB weights, 2048 accumulator rows = 128 KiB).
  static TpuTarget Default16x16();
  /// TPU v1: 256x256 at 700 MHz, 24 MiB unified buffer, 4096 x 256 int32
  /// accumulators (4 MiB), a 256 KiB weight FIFO (four 64 KiB tiles) fed by
  /// 34 GB/s DDR3 (48.6 bytes/cycle) and 14 GB/s PCIe for activations.
  static TpuTarget TpuV1();

  uint64_t accumulator_bytes() const { return uint64_t{accumulator_rows} * cols * 4; }
};

std::string_view DataflowName(Dataflow dataflow);  // "ws", "os"
std::string_view TpuDTypeName(TpuDType dtype);     // "int8", "f32"
std::optional<Dataflow> ParseDataflow(std::string_view name);
std::optional<TpuDType> ParseTpuDType(std::string_view name);
/// Bytes of one unified-buffer or weight-buffer element: 1 for int8, 4 for f32.
uint32_t ElementBytes(TpuDType dtype);

/// `base` with an R x C array. The buffers stay as they are, except the weight buffer,
/// which grows (never shrinks) to hold as many R x C tiles as `base` held of its own:
/// tpu_v1 with a 512 x 512 array keeps its four-tile weight FIFO (1 MiB).
TpuTarget WithArrayShape(const TpuTarget& base, uint32_t rows, uint32_t cols);

/// `target` with free load and store DMA (no latency, unbounded bandwidth): a program's
/// LOADs into the unified buffer and its STOREs cost nothing, as if the layer's input were
/// already on chip and its output stayed there for the next layer. That is how the TPU
/// paper measures a layer (only the weights come from off chip); `--activations on-chip`.
TpuTarget WithActivationsOnChip(TpuTarget target);

/// Parses what `--array` accepts: a preset name ("default", "tpu_v1") or an array
/// shape "RxC" (e.g. "16x16", "32x8"), which is `base` (the default machine unless
/// given) with that array (WithArrayShape). Returns nullopt with *error set
/// ("expected ... found ...") otherwise.
std::optional<TpuTarget> ParseTpuTarget(std::string_view spec, std::string* error,
                                        const TpuTarget& base = TpuTarget::Default16x16());

/// Checks the limits the ISA encoding can address (array up to 4096x4096,
/// accumulator rows up to 65536, buffers up to 4 G elements); a message per problem.
bool ValidateTpuTarget(const TpuTarget& target, std::string* error);

/// One line per property, for `tessel tpu` and for docs.
std::string DescribeTpuTarget(const TpuTarget& target);

}  // namespace tessel::tpu
