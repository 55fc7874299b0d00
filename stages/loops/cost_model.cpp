// The cost model (cost_model.h): an interpreter observer that counts and simulates, and the
// report's table.
//
// Attribution follows the interpreter's calls: OnCall(begin) makes the callee the kernel
// being charged, OnCall(end) gives the charge back to its caller (the host). Calls nest only
// host -> kernel, but a stack handles any depth.
#include "stages/loops/cost_model.h"

#include <cstdio>
#include <unordered_map>

#include "stages/common/check.h"
#include "stages/loops/interpreter.h"

namespace tessel::loops {

namespace {

// Feeds a run's accesses to the cache simulator and counts them, per kernel and buffer.
class CostObserver : public RunObserver {
 public:
  explicit CostObserver(const CpuTarget& target)
      : cache_(target), num_levels_(target.levels.size()) {}

  // A vectorized access is still one element to the cache: the lanes of a vector load are
  // consecutive elements, which hit the line the first lane brought in.
  void OnAccess(const Buffer& buffer, uint64_t address, int bytes, bool is_store,
                bool /*vectorized*/) override {
    if (buffer.scope == Scope::kLocal) {
      ++Current().local_accesses;
      return;
    }
    BufferCost& cost = CostOf(buffer);
    ++(is_store ? cost.stores : cost.loads);
    cache_.Access(address, bytes, cost.misses.data());
  }

  void OnOp(Op /*op*/, DType dtype, bool vectorized) override {
    KernelCost& kernel = Current();
    ++kernel.ops;
    if (dtype == DType::kF32 || dtype == DType::kF16) ++kernel.float_ops;
    if (vectorized) ++kernel.vector_ops;
  }

  void OnCall(const std::string& callee, bool end) override {
    last_buffer_ = nullptr;
    if (end) {
      TESSEL_CHECK(!stack_.empty(), "cost model: @" + callee + " returns but was not called");
      stack_.pop_back();
      return;
    }
    auto [it, inserted] = kernel_index_.try_emplace(callee, kernels_.size());
    if (inserted) {
      kernels_.push_back({});
      kernels_.back().kernel = callee;
      kernels_.back().misses.assign(num_levels_, 0);
      buffer_index_.emplace_back();
    }
    ++kernels_[it->second].calls;
    stack_.push_back(it->second);
  }

  /// The kernels, their loads, stores and misses summed from their buffers.
  std::vector<KernelCost> Finish() {
    for (KernelCost& kernel : kernels_) {
      for (const BufferCost& buffer : kernel.buffers) {
        kernel.loads += buffer.loads;
        kernel.stores += buffer.stores;
        for (size_t n = 0; n < num_levels_; ++n) kernel.misses[n] += buffer.misses[n];
      }
    }
    return std::move(kernels_);
  }

 private:
  KernelCost& Current() {
    TESSEL_CHECK(!stack_.empty(), "cost model: an access outside any function");
    return kernels_[stack_.back()];
  }

  // The current kernel's entry for `buffer`, made on first use; the last one is remembered
  // because consecutive accesses mostly touch one buffer.
  BufferCost& CostOf(const Buffer& buffer) {
    std::vector<BufferCost>& buffers = kernels_[stack_.back()].buffers;
    if (last_buffer_ != &buffer) {
      auto [it, inserted] = buffer_index_[stack_.back()].try_emplace(&buffer, buffers.size());
      if (inserted) buffers.push_back({buffer.name, 0, 0, std::vector<int64_t>(num_levels_, 0)});
      last_buffer_ = &buffer;
      last_index_ = it->second;
    }
    return buffers[last_index_];
  }

  CacheSimulator cache_;
  size_t num_levels_;
  std::vector<KernelCost> kernels_;
  std::unordered_map<std::string, size_t> kernel_index_;
  std::vector<std::unordered_map<const Buffer*, size_t>> buffer_index_;  // per kernel
  std::vector<size_t> stack_;  // the kernels being run, innermost last
  const Buffer* last_buffer_ = nullptr;  // in the current kernel
  size_t last_index_ = 0;
};

KernelCost SumKernels(const std::vector<KernelCost>& kernels, size_t num_levels) {
  KernelCost total;
  total.kernel = "total";
  total.misses.assign(num_levels, 0);
  for (const KernelCost& k : kernels) {
    total.calls += k.calls;
    total.ops += k.ops;
    total.float_ops += k.float_ops;
    total.vector_ops += k.vector_ops;
    total.loads += k.loads;
    total.stores += k.stores;
    total.local_accesses += k.local_accesses;
    for (size_t n = 0; n < num_levels; ++n) total.misses[n] += k.misses[n];
  }
  return total;
}

// ------------------------------------------------------------------ the table

// Column widths; with three cache levels a line is still 97 columns.
constexpr size_t kNameWidth = 20;
constexpr size_t kCallsWidth = 6;
constexpr size_t kOpsWidth = 12;
constexpr size_t kCountWidth = 10;  // loads, stores, misses
constexpr size_t kRateWidth = 9;

std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string PadRight(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string FormatBytes(int64_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " B";
}

// "cost model: grading target (L1 32 KiB 8-way, L2 512 KiB 8-way, 64 B lines)"
std::string FormatHeader(const CpuTarget& target) {
  bool same_lines = true;
  for (const CacheLevel& level : target.levels) {
    same_lines = same_lines && level.line_bytes == target.levels.front().line_bytes;
  }
  std::string levels;
  for (const CacheLevel& level : target.levels) {
    levels += (levels.empty() ? "" : ", ") + level.name + " " + FormatBytes(level.size_bytes) +
              " " + std::to_string(level.ways) + "-way";
    if (!same_lines) levels += " " + std::to_string(level.line_bytes) + " B lines";
  }
  if (same_lines && !target.levels.empty()) {
    levels += ", " + std::to_string(target.levels.front().line_bytes) + " B lines";
  }
  return "cost model: " + target.name + " target (" + levels + ")\n";
}

// The name column: a name too long for it gets a line of its own above the numbers.
std::string NameColumn(const std::string& name, size_t width) {
  if (name.size() < width) return PadRight(name, width);
  return name + "\n" + std::string(width, ' ');
}

std::string FormatMissRate(int64_t misses, int64_t accesses) {
  if (accesses == 0) return PadLeft("-", kRateWidth);
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f%%", 100.0 * static_cast<double>(misses) /
                                                 static_cast<double>(accesses));
  return PadLeft(rate, kRateWidth);
}

std::string FormatCounts(int64_t loads, int64_t stores, const std::vector<int64_t>& misses) {
  std::string line = PadLeft(std::to_string(loads), kCountWidth) +
                     PadLeft(std::to_string(stores), kCountWidth);
  for (int64_t m : misses) line += PadLeft(std::to_string(m), kCountWidth);
  return line;
}

std::string FormatColumnTitles(const CpuTarget& target) {
  std::string line = PadRight("kernel", kNameWidth) + PadLeft("calls", kCallsWidth) +
                     PadLeft("ops", kOpsWidth) + PadLeft("loads", kCountWidth) +
                     PadLeft("stores", kCountWidth);
  for (const CacheLevel& level : target.levels) {
    line += PadLeft(level.name + " misses", kCountWidth);
  }
  std::string first = target.levels.empty() ? "L1" : target.levels.front().name;
  return line + PadLeft(first + " miss", kRateWidth) + "\n";
}

std::string FormatKernelLine(const KernelCost& k, const std::string& name) {
  int64_t first_misses = k.misses.empty() ? 0 : k.misses.front();
  return NameColumn(name, kNameWidth) + PadLeft(std::to_string(k.calls), kCallsWidth) +
         PadLeft(std::to_string(k.ops), kOpsWidth) + FormatCounts(k.loads, k.stores, k.misses) +
         FormatMissRate(first_misses, k.loads + k.stores) + "\n";
}

std::string FormatBuffers(const KernelCost& k) {
  std::string out = "  @" + k.kernel + "\n";
  for (const BufferCost& b : k.buffers) {
    out += NameColumn("    %" + b.buffer, kNameWidth) +
           std::string(kCallsWidth + kOpsWidth, ' ') + FormatCounts(b.loads, b.stores, b.misses) +
           "\n";
  }
  return out;
}

}  // namespace

std::optional<CostReport> MeasureCost(const Module& module, const Function& function,
                                      const std::vector<Tensor>& inputs, const CpuTarget& target,
                                      std::string* error) {
  std::string problem = VerifyCpuTarget(target);
  if (!problem.empty()) {
    *error = "cannot simulate target '" + target.name + "': " + problem;
    return std::nullopt;
  }
  CostObserver observer(target);
  LoopRunOptions options;
  options.observer = &observer;
  std::optional<std::vector<Tensor>> outputs =
      RunFunction(module, function, inputs, error, options);
  if (!outputs) return std::nullopt;
  CostReport report;
  report.target = target;
  report.kernels = observer.Finish();
  report.total = SumKernels(report.kernels, target.levels.size());
  report.outputs = std::move(*outputs);
  return report;
}

std::string FormatCostReport(const CostReport& report) {
  std::string out = FormatHeader(report.target) + FormatColumnTitles(report.target);
  for (const KernelCost& k : report.kernels) out += FormatKernelLine(k, "@" + k.kernel);
  out += FormatKernelLine(report.total, "total");
  out += "per buffer\n";
  for (const KernelCost& k : report.kernels) {
    if (!k.buffers.empty()) out += FormatBuffers(k);
  }
  return out;
}

}  // namespace tessel::loops
