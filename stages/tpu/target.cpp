// TpuTarget presets, names and the --array parser.
#include "stages/tpu/target.h"

#include <charconv>
#include <sstream>

namespace tessel::tpu {

namespace {

constexpr uint32_t kMaxArraySide = 4096;         // rows/cols fields are 16 bits; keep sane sizes
constexpr uint64_t kMaxAccumulatorRows = 65536;  // the acc address field is 16 bits
constexpr uint64_t kMaxBufferElements = uint64_t{1} << 32;  // on-chip addresses are 32 bits

// Parses a whole decimal number; nullopt on anything else (sign, junk, overflow).
std::optional<uint32_t> ParseSide(std::string_view text) {
  uint32_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

TpuTarget TpuTarget::Default16x16() {
  TpuTarget t;
  t.name = "default";
  t.rows = 16;
  t.cols = 16;
  t.clock_mhz = 1000.0;
  t.unified_buffer_bytes = 256 * 1024;
  t.weight_buffer_bytes = 64 * 1024;
  t.accumulator_rows = 2048;
  t.load = {100, 16.0};
  t.store = {100, 16.0};
  t.weight_bytes_per_cycle = 16.0;
  return t;
}

TpuTarget TpuTarget::TpuV1() {
  TpuTarget t;
  t.name = "tpu_v1";
  t.rows = 256;
  t.cols = 256;
  t.clock_mhz = 700.0;
  t.unified_buffer_bytes = 24ull * 1024 * 1024;
  t.weight_buffer_bytes = 4ull * 256 * 256;  // the weight FIFO: four 256x256 int8 tiles
  t.accumulator_rows = 4096;                 // 4096 x 256 x 4 B = 4 MiB
  // Activations come over PCIe Gen3 x16 (14 GB/s); the latency is our assumption.
  t.load = {500, 14000.0 / 700.0};
  t.store = {500, 14000.0 / 700.0};
  t.weight_bytes_per_cycle = 34000.0 / 700.0;  // 34 GB/s DDR3 at 700 MHz = 48.6 B/cycle
  return t;
}

std::string_view DataflowName(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kWeightStationary:
      return "ws";
    case Dataflow::kOutputStationary:
      return "os";
  }
  return "ws";
}

std::string_view TpuDTypeName(TpuDType dtype) {
  switch (dtype) {
    case TpuDType::kInt8:
      return "int8";
    case TpuDType::kF32:
      return "f32";
  }
  return "int8";
}

std::optional<Dataflow> ParseDataflow(std::string_view name) {
  if (name == "ws") return Dataflow::kWeightStationary;
  if (name == "os") return Dataflow::kOutputStationary;
  return std::nullopt;
}

std::optional<TpuDType> ParseTpuDType(std::string_view name) {
  if (name == "int8") return TpuDType::kInt8;
  if (name == "f32") return TpuDType::kF32;
  return std::nullopt;
}

uint32_t ElementBytes(TpuDType dtype) {
  switch (dtype) {
    case TpuDType::kInt8:
      return 1;
    case TpuDType::kF32:
      return 4;
  }
  return 1;
}

TpuTarget WithArrayShape(const TpuTarget& base, uint32_t rows, uint32_t cols) {
  TpuTarget t = base;
  t.rows = rows;
  t.cols = cols;
  const uint64_t base_tile = uint64_t{base.rows} * base.cols, tile = uint64_t{rows} * cols;
  if (tile > base_tile) t.weight_buffer_bytes = base.weight_buffer_bytes / base_tile * tile;
  return t;
}

TpuTarget WithActivationsOnChip(TpuTarget target) {
  target.load = {0, 1e12};
  target.store = {0, 1e12};
  return target;
}

std::optional<TpuTarget> ParseTpuTarget(std::string_view spec, std::string* error,
                                        const TpuTarget& base) {
  if (spec == "default") return TpuTarget::Default16x16();
  if (spec == "tpu_v1") return TpuTarget::TpuV1();
  size_t x = spec.find('x');
  std::optional<uint32_t> rows, cols;
  if (x != std::string_view::npos) {
    rows = ParseSide(spec.substr(0, x));
    cols = ParseSide(spec.substr(x + 1));
  }
  if (!rows || !cols) {
    *error = "expected an array shape like 16x16 or a preset (default, tpu_v1), found '" +
             std::string(spec) + "'";
    return std::nullopt;
  }
  if (*rows == 0 || *cols == 0 || *rows > kMaxArraySide || *cols > kMaxArraySide) {
    *error = "array shape " + std::string(spec) + " is out of range: rows and columns must be " +
             "between 1 and " + std::to_string(kMaxArraySide);
    return std::nullopt;
  }
  return WithArrayShape(base, *rows, *cols);
}

bool ValidateTpuTarget(const TpuTarget& t, std::string* error) {
  std::string out;
  auto fail = [&](const std::string& message) { out += (out.empty() ? "" : "\n") + message; };
  if (t.rows == 0 || t.cols == 0 || t.rows > kMaxArraySide || t.cols > kMaxArraySide) {
    fail("array " + std::to_string(t.rows) + "x" + std::to_string(t.cols) +
         " is out of range (1 to " + std::to_string(kMaxArraySide) + " per side)");
  }
  if (t.accumulator_rows == 0 || t.accumulator_rows > kMaxAccumulatorRows) {
    fail("accumulator rows " + std::to_string(t.accumulator_rows) + " out of range (1 to " +
         std::to_string(kMaxAccumulatorRows) + ")");
  }
  if (t.unified_buffer_bytes == 0 || t.unified_buffer_bytes > kMaxBufferElements) {
    fail("unified buffer of " + std::to_string(t.unified_buffer_bytes) + " bytes out of range");
  }
  if (t.weight_buffer_bytes == 0 || t.weight_buffer_bytes > kMaxBufferElements) {
    fail("weight buffer of " + std::to_string(t.weight_buffer_bytes) + " bytes out of range");
  }
  if (!(t.clock_mhz > 0) || !(t.load.bytes_per_cycle > 0) || !(t.store.bytes_per_cycle > 0) ||
      !(t.weight_bytes_per_cycle > 0)) {
    fail("clock and DMA bandwidths must be positive");
  }
  if (!out.empty() && error) *error = out;
  return out.empty();
}

std::string DescribeTpuTarget(const TpuTarget& t) {
  std::ostringstream s;
  s << "target " << t.name << "\n"
    << "  array            " << t.rows << "x" << t.cols << " " << DataflowName(t.dataflow) << ", "
    << TpuDTypeName(t.dtype) << "\n"
    << "  clock            " << t.clock_mhz << " MHz\n"
    << "  unified buffer   " << t.unified_buffer_bytes << " bytes\n"
    << "  weight buffer    " << t.weight_buffer_bytes << " bytes\n"
    << "  accumulators     " << t.accumulator_rows << " rows x " << t.cols << " x 32 bit\n"
    << "  load DMA         " << t.load.latency_cycles << " cycles + " << t.load.bytes_per_cycle
    << " B/cycle\n"
    << "  store DMA        " << t.store.latency_cycles << " cycles + " << t.store.bytes_per_cycle
    << " B/cycle\n"
    << "  weight memory    " << t.weight_bytes_per_cycle << " B/cycle\n";
  return s.str();
}

}  // namespace tessel::tpu
