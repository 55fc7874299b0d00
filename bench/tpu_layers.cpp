// tpu_layers: where the cycles go when lab06's programs run on the simulated TPU.
//
//   build/reference/bin/tpu_layers [--quick]
//
// For a table of layers (fully connected layers at batch 1 to 4096, GEMMs under both
// dataflows, a 600 x 600 weight matrix on 256 x 256 and 512 x 512 arrays, convolutions)
// it maps each layer with lab06's MapGemm/MapConv2d, times the program in the timing
// simulator and prints Markdown tables: cycles, the fraction of the array's peak
// (utilization), the fraction of the layer's own bound (the roofline: the larger of
// MACs / (R*C) and each DMA engine's bytes / bandwidth, taken in the same run), and
// where the cycles went (the Table 3 classes of timing_sim.h). docs/tpu.md §10 shows
// the output and explains it. The numbers are simulated cycles, deterministic on every
// machine; nothing here reads a clock.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "stages/common/not_implemented.h"
#include "stages/driver/tpu_layer.h"
#include "stages/tpu/scalesim_model.h"
#include "stages/tpu/timing_sim.h"

namespace {

using tessel::MappedLayer;
using tessel::TpuLayer;
namespace tpu = tessel::tpu;

TpuLayer Gemm(int64_t m, int64_t n, int64_t k) {
  TpuLayer layer;
  layer.gemm = tpu::GemmProblem{};
  layer.gemm->m = m;
  layer.gemm->n = n;
  layer.gemm->k = k;
  return layer;
}

TpuLayer Conv(int64_t batch, int64_t c, int64_t hw, int64_t k, int64_t rs, int64_t stride,
              int64_t pad) {
  TpuLayer layer;
  tpu::Conv2dProblem p;
  p.batch = batch, p.channels = c, p.height = hw, p.width = hw;
  p.filters = k, p.kernel_h = rs, p.kernel_w = rs, p.stride = stride, p.padding = pad;
  layer.conv = p;
  return layer;
}

// One timed run and the numbers a table row needs.
struct Run {
  tpu::TimingCounters c;
  double utilization = 0;  // MACs / (cycles * R * C)
  double of_bound = 0;     // bound cycles / cycles
  double tops = 0;
  int64_t instructions = 0;
};

double Cycles(double bytes, double bytes_per_cycle) { return bytes / bytes_per_cycle; }

Run Time(const tpu::TpuTarget& target, const TpuLayer& layer, tpu::TimingMode mode) {
  std::string error;
  std::optional<MappedLayer> mapped = tessel::MapLayer(target, layer, &error);
  tpu::TimingOptions options;
  options.mode = mode;
  std::optional<tpu::TimingResult> result;
  if (mapped) result = tpu::SimulateTiming(target, mapped->program, options, &error);
  if (!result) {
    std::cerr << "tpu_layers: " << layer.Describe() << ": " << error << "\n";
    std::exit(1);
  }
  Run run;
  run.c = result->counters;
  run.utilization = tpu::Utilization(run.c, target);
  run.tops = tpu::Tops(run.c, target);
  run.instructions = int64_t(mapped->program.size());
  const double bound =
      std::max({double(run.c.macs) / (double(target.rows) * target.cols),
                Cycles(double(run.c.weight_dma.bytes), target.weight_bytes_per_cycle),
                Cycles(double(run.c.load_dma.bytes), target.load.bytes_per_cycle),
                Cycles(double(run.c.store_dma.bytes), target.store.bytes_per_cycle)});
  run.of_bound = bound / double(run.c.cycles);
  return run;
}

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string Pct(double fraction) { return Format("%.1f", 100 * fraction); }
std::string PctOf(int64_t part, int64_t whole) { return Pct(double(part) / double(whole)); }

// "active / shift / weight stall / dependency stall / non-matrix", as % of cycles.
std::string WhereCyclesWent(const tpu::TimingCounters& c) {
  return PctOf(c.array_active_cycles, c.cycles) + " / " + PctOf(c.weight_shift_cycles, c.cycles) +
         " / " + PctOf(c.weight_stall_cycles, c.cycles) + " / " +
         PctOf(c.dependency_stall_cycles, c.cycles) + " / " + PctOf(c.non_matrix_cycles, c.cycles);
}

void Header(const std::string& title, const std::string& columns) {
  std::cout << "\n### " << title << "\n\n| " << columns << " |\n|";
  for (char ch : columns) {
    if (ch == '|') std::cout << "---|";
  }
  std::cout << "---|\n";
}

tpu::TpuTarget OnArray(const tpu::TpuTarget& base, uint32_t side, tpu::Dataflow dataflow) {
  tpu::TpuTarget target = tpu::WithArrayShape(base, side, side);
  target.dataflow = dataflow;
  return target;
}

// Batch: a fully connected layer whose 2048 x 2048 weights stream from weight memory.
void BatchTable(const std::vector<int64_t>& batches) {
  const tpu::TpuTarget v1 = tpu::TpuTarget::TpuV1();
  const double peak = 2.0 * v1.rows * v1.cols * v1.clock_mhz * 1e6 / 1e12;
  Header("Batch: a 2048x2048 fully connected layer on tpu_v1 (ws, pipelined)",
         "batch | cycles | TOPS | roofline TOPS | of roofline % | active / shift / w-stall / "
         "dep-stall / non-matrix % | over PCIe: cycles | TOPS | of bound %");
  for (int64_t batch : batches) {
    Run r =
        Time(tpu::WithActivationsOnChip(v1), Gemm(batch, 2048, 2048), tpu::TimingMode::kPipelined);
    Run host = Time(v1, Gemm(batch, 2048, 2048), tpu::TimingMode::kPipelined);
    const double roofline = peak * std::min(1.0, double(batch) / 1350.0);
    std::cout << "| " << batch << " | " << r.c.cycles << " | " << Format("%.2f", r.tops) << " | "
              << Format("%.2f", roofline) << " | " << Pct(r.tops / roofline) << " | "
              << WhereCyclesWent(r.c) << " | " << host.c.cycles << " | "
              << Format("%.2f", host.tops) << " | " << Pct(host.of_bound) << " |\n";
  }
}

// Dataflow: the same programs timed as weight-stationary and as output-stationary.
void DataflowTable(const std::vector<std::array<int64_t, 3>>& shapes, uint32_t side) {
  const tpu::TpuTarget base = tpu::TpuTarget::Default16x16();
  Header("Dataflow: GEMMs on a " + std::to_string(side) + "x" + std::to_string(side) +
             " array, ws vs os",
         "M x N x K | ws compatible (= SCALE-Sim) | os compatible (= SCALE-Sim) | ws pipelined | "
         "os pipelined");
  for (const auto& [m, n, k] : shapes) {
    std::cout << "| " << m << "x" << n << "x" << k;
    for (tpu::TimingMode mode : {tpu::TimingMode::kCompatible, tpu::TimingMode::kPipelined}) {
      for (tpu::Dataflow dataflow :
           {tpu::Dataflow::kWeightStationary, tpu::Dataflow::kOutputStationary}) {
        tpu::TpuTarget target = OnArray(base, side, dataflow);
        Run r = Time(target, Gemm(m, n, k), mode);
        std::cout << " | " << r.c.cycles << " (" << Pct(r.utilization) << " %)";
        if (mode == tpu::TimingMode::kCompatible) {
          tpu::ScaleSimReport s = tpu::ScaleSimGemm({m, k, n}, side, side, dataflow);
          if (s.total_cycles != r.c.cycles) std::cout << " SCALE-Sim " << s.total_cycles << "!";
        }
      }
    }
    std::cout << " |\n";
  }
}

// Array size: 600 x 600 weights on tpu_v1 with its 256 x 256 array and with 512 x 512.
void ArrayTable(const std::vector<int64_t>& batches) {
  Header(
      "Array size: a 600x600 weight matrix on tpu_v1, 256x256 vs 512x512 (ws, activations on chip)",
      "array | batch | weight tiles | mapping efficiency % | compatible cycles | "
      "pipelined cycles | utilization % | TOPS | active / shift / w-stall / dep-stall / "
      "non-matrix %");
  for (uint32_t side : {256u, 512u}) {
    tpu::TpuTarget target = tpu::WithActivationsOnChip(
        OnArray(tpu::TpuTarget::TpuV1(), side, tpu::Dataflow::kWeightStationary));
    for (int64_t batch : batches) {
      Run compatible = Time(target, Gemm(batch, 600, 600), tpu::TimingMode::kCompatible);
      Run r = Time(target, Gemm(batch, 600, 600), tpu::TimingMode::kPipelined);
      std::cout << "| " << side << "x" << side << " | " << batch << " | " << r.c.folds << " | "
                << Pct(r.c.mapping_efficiency) << " | " << compatible.c.cycles << " | "
                << r.c.cycles << " | " << Pct(r.utilization) << " | " << Format("%.2f", r.tops)
                << " | " << WhereCyclesWent(r.c) << " |\n";
    }
  }
}

// Convolutions by im2col, on the default machine and on tpu_v1.
void ConvTable(const std::vector<std::pair<std::string, TpuLayer>>& layers) {
  Header("Convolutions (im2col; ws, pipelined)",
         "layer | N C H W K R S /stride pad | machine | array GEMM M x N x K | instructions | "
         "cycles | utilization % | of bound % | active / shift / w-stall / dep-stall / "
         "non-matrix % | SCALE-Sim's conv mapping (compatible)");
  for (const auto& [name, layer] : layers) {
    for (const tpu::TpuTarget& target : {tpu::TpuTarget::Default16x16(), tpu::TpuTarget::TpuV1()}) {
      const tpu::Conv2dProblem& p = *layer.conv;
      Run r = Time(target, layer, tpu::TimingMode::kPipelined);
      const tpu::GemmShape g = layer.ArrayGemm();
      tpu::ScaleSimReport s =
          tpu::ScaleSimGemm(layer.ScaleSimGemmShape(), target.rows, target.cols, target.dataflow);
      std::cout << "| " << name << " | " << p.batch << " " << p.channels << " " << p.height << " "
                << p.width << " " << p.filters << " " << p.kernel_h << " " << p.kernel_w << " /"
                << p.stride << " " << p.padding << " | " << target.name << " | " << g.m << "x"
                << g.n << "x" << g.k << " | " << r.instructions << " | " << r.c.cycles << " | "
                << Pct(r.utilization) << " | " << Pct(r.of_bound) << " | " << WhereCyclesWent(r.c)
                << " | " << s.total_cycles << " (" << Pct(s.utilization) << " %) |\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  if (argc > 2 || (argc == 2 && !quick)) {
    std::cerr << "usage: tpu_layers [--quick]\n";
    return 1;
  }
  try {
    std::cout << "# tpu_layers: lab06's programs on the simulated TPU (simulated cycles)\n";
    BatchTable(quick ? std::vector<int64_t>{1, 200} : std::vector<int64_t>{1, 16, 200, 1350, 4096});
    DataflowTable({{64, 64, 64}, {256, 256, 256}, {1024, 64, 64}, {16, 512, 512}}, 16);
    if (!quick) DataflowTable({{64, 64, 64}, {256, 256, 256}, {1024, 64, 64}, {16, 512, 512}}, 32);
    ArrayTable(quick ? std::vector<int64_t>{200} : std::vector<int64_t>{1, 200, 4096});
    std::vector<std::pair<std::string, TpuLayer>> convs = {
        {"LeNet conv1", Conv(1, 1, 28, 6, 5, 1, 0)}, {"ResNet 3x3", Conv(1, 64, 56, 64, 3, 1, 1)}};
    if (!quick) {
      convs.push_back({"ResNet 3x3, batch 8", Conv(8, 64, 56, 64, 3, 1, 1)});
      convs.push_back({"ResNet 1x1", Conv(1, 256, 56, 64, 1, 1, 0)});
      convs.push_back({"ResNet stem 7x7/2", Conv(1, 3, 224, 64, 7, 2, 3)});
    }
    ConvTable(convs);
  } catch (const tessel::NotImplemented& e) {
    std::cerr << "tpu_layers: lab06's mapping is still a skeleton: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
