// Reports of a timing run: utilization, the counter table, the timeline, JSON.
//
// The table reads like Table 3 of the TPU paper (Jouppi et al., ISCA 2017): the cycle
// classes as percentages of all cycles, then MACs and utilization, then traffic. The
// JSON carries the same numbers for scripts and for plotting a timeline.
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "stages/tpu/assembler.h"
#include "stages/tpu/timing_sim.h"

namespace tessel::tpu {

namespace {

double PeakMacsPerCycle(const TpuTarget& target) {
  return static_cast<double>(target.rows) * static_cast<double>(target.cols);
}

std::string Percent(int64_t part, int64_t whole) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << (whole > 0 ? 100.0 * part / whole : 0.0) << " %";
  return s.str();
}

nlohmann::json TrafficJson(const BufferTraffic& b) {
  return {{"bytes_read", b.bytes_read}, {"bytes_written", b.bytes_written}};
}

nlohmann::json DmaJson(const DmaTraffic& d) {
  return {{"transfers", d.transfers}, {"bytes", d.bytes}, {"busy_cycles", d.busy_cycles}};
}

}  // namespace

std::string_view TimingModeName(TimingMode mode) {
  switch (mode) {
    case TimingMode::kCompatible:
      return "compatible";
    case TimingMode::kPipelined:
      return "pipelined";
  }
  return "pipelined";
}

double Utilization(const TimingCounters& c, const TpuTarget& target) {
  if (c.cycles <= 0) return 0;
  return static_cast<double>(c.macs) / (static_cast<double>(c.cycles) * PeakMacsPerCycle(target));
}

double Tops(const TimingCounters& c, const TpuTarget& target) {
  if (c.cycles <= 0) return 0;
  double seconds = static_cast<double>(c.cycles) / (target.clock_mhz * 1e6);
  return 2.0 * static_cast<double>(c.macs) / seconds / 1e12;
}

std::string FormatTimingCounters(const TimingResult& result, const TpuTarget& target) {
  const TimingCounters& c = result.counters;
  std::ostringstream s;
  auto row = [&](const char* name, int64_t value, const std::string& extra) {
    s << "  " << std::left << std::setw(26) << name << std::right << std::setw(14) << value << "  "
      << extra << "\n";
  };
  s << "timing (" << TimingModeName(result.mode) << ") on " << target.name << ", " << target.rows
    << "x" << target.cols << "\n";
  row("cycles", c.cycles, "");
  row("array active cycles", c.array_active_cycles, Percent(c.array_active_cycles, c.cycles));
  row("weight shift cycles", c.weight_shift_cycles, Percent(c.weight_shift_cycles, c.cycles));
  row("weight stall cycles", c.weight_stall_cycles, Percent(c.weight_stall_cycles, c.cycles));
  row("dependency stall cycles", c.dependency_stall_cycles,
      Percent(c.dependency_stall_cycles, c.cycles));
  row("non-matrix cycles", c.non_matrix_cycles, Percent(c.non_matrix_cycles, c.cycles));
  row("instructions", c.instructions, "");
  row("MACs", c.macs, "");
  row("folds", c.folds, "");
  std::ostringstream ratios;
  ratios << std::fixed << std::setprecision(2) << "  utilization " << 100 * Utilization(c, target)
         << " %, mapping efficiency " << 100 * c.mapping_efficiency << " %, " << Tops(c, target)
         << " TOPS at " << target.clock_mhz << " MHz\n";
  s << ratios.str();
  row("unified buffer read", c.unified.bytes_read, "bytes");
  row("unified buffer written", c.unified.bytes_written, "bytes");
  row("weight buffer read", c.weights.bytes_read, "bytes");
  row("weight buffer written", c.weights.bytes_written, "bytes");
  row("accumulators read", c.accumulators.bytes_read, "bytes");
  row("accumulators written", c.accumulators.bytes_written, "bytes");
  row("load DMA", c.load_dma.bytes,
      "bytes, " + std::to_string(c.load_dma.busy_cycles) + " busy cycles");
  row("weight DMA", c.weight_dma.bytes,
      "bytes, " + std::to_string(c.weight_dma.busy_cycles) + " busy cycles");
  row("store DMA", c.store_dma.bytes,
      "bytes, " + std::to_string(c.store_dma.busy_cycles) + " busy cycles");
  return s.str();
}

std::string FormatTimeline(const TimingResult& result, const std::vector<Instr>& program) {
  std::ostringstream s;
  s << "  index  queue       start        end  instruction\n";
  for (const TimelineEntry& e : result.timeline) {
    s << std::setw(7) << e.index << "  " << std::left << std::setw(8) << QueueName(e.queue)
      << std::right << std::setw(10) << e.start << std::setw(11) << e.end << "  "
      << Disassemble(program[e.index]) << "\n";
  }
  return s.str();
}

std::string TimingToJson(const TimingResult& result, const TpuTarget& target) {
  const TimingCounters& c = result.counters;
  nlohmann::json counters = {
      {"cycles", c.cycles},
      {"array_active_cycles", c.array_active_cycles},
      {"weight_shift_cycles", c.weight_shift_cycles},
      {"weight_stall_cycles", c.weight_stall_cycles},
      {"dependency_stall_cycles", c.dependency_stall_cycles},
      {"non_matrix_cycles", c.non_matrix_cycles},
      {"instructions", c.instructions},
      {"macs", c.macs},
      {"folds", c.folds},
      {"utilization", Utilization(c, target)},
      {"mapping_efficiency", c.mapping_efficiency},
      {"tops", Tops(c, target)},
      {"unified_buffer", TrafficJson(c.unified)},
      {"weight_buffer", TrafficJson(c.weights)},
      {"accumulators", TrafficJson(c.accumulators)},
      {"load_dma", DmaJson(c.load_dma)},
      {"weight_dma", DmaJson(c.weight_dma)},
      {"store_dma", DmaJson(c.store_dma)},
  };
  nlohmann::json timeline = nlohmann::json::array();
  for (const TimelineEntry& e : result.timeline) {
    timeline.push_back({{"index", e.index},
                        {"queue", QueueName(e.queue)},
                        {"op", GetOpInfo(e.op).mnemonic},
                        {"start", e.start},
                        {"end", e.end}});
  }
  nlohmann::json out = {{"mode", TimingModeName(result.mode)},
                        {"target", target.name},
                        {"rows", target.rows},
                        {"cols", target.cols},
                        {"counters", counters},
                        {"timeline", timeline}};
  return out.dump(2);
}

}  // namespace tessel::tpu
