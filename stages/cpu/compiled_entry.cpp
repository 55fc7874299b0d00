// CompiledEntry (compiled_entry.h).
#include "stages/cpu/compiled_entry.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace tessel::cpu {

namespace {

std::vector<void*> Pointers(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs) {
  std::vector<void*> args;
  for (const Tensor& t : inputs) args.push_back(const_cast<std::byte*>(t.bytes().data()));
  for (Tensor& t : outputs) args.push_back(t.bytes().data());
  return args;
}

std::vector<Tensor> Outputs(const loops::Function& f) {
  std::vector<Tensor> outputs;
  for (const loops::BufferPtr& out : f.outputs) outputs.emplace_back(out->dtype, out->shape);
  return outputs;
}

}  // namespace

std::string FormatTiming(const TimingStats& s) {
  char text[160];
  std::snprintf(text, sizeof text, "median %.4g ms (min %.4g, max %.4g; %d runs, %d thread%s)",
                s.median_ms, s.min_ms, s.max_ms, s.runs, s.threads, s.threads == 1 ? "" : "s");
  return text;
}

int DefaultThreads() {
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

std::unique_ptr<CompiledEntry> CompiledEntry::Load(const std::string& library_path,
                                                   const std::string& entry, std::string* error) {
  std::unique_ptr<CompiledEntry> loaded(new CompiledEntry);
  loaded->library_ = SharedLibrary::Open(library_path, error);
  if (!loaded->library_) return nullptr;
  loaded->packed_ = reinterpret_cast<void (*)(void**)>(loaded->library_->Symbol(entry + "_packed"));
  loaded->set_threads_ = reinterpret_cast<void (*)(int)>(loaded->library_->Symbol(entry + "_set_threads"));
  if (!loaded->packed_ || !loaded->set_threads_) {
    *error = library_path + " has no entry point " + entry + "_packed";
    return nullptr;
  }
  loaded->SetThreads(0);
  return loaded;
}

void CompiledEntry::SetThreads(int threads) {
  threads_ = threads > 0 ? threads : DefaultThreads();
  set_threads_(threads_);
}

std::optional<std::vector<Tensor>> CompiledEntry::Run(const loops::Function& f,
                                                      const std::vector<Tensor>& inputs,
                                                      std::string* error) const {
  if (inputs.size() != f.inputs.size()) {
    *error = "@" + f.name + " takes " + std::to_string(f.inputs.size()) + " inputs, not " +
             std::to_string(inputs.size());
    return std::nullopt;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const loops::Buffer& p = *f.inputs[i];
    if (inputs[i].dtype() != p.dtype || inputs[i].shape() != p.shape) {
      *error = "input %" + p.name + " is " + inputs[i].TypeString() + ", @" + f.name + " takes " +
               std::string(DTypeName(p.dtype)) + FormatShape(p.shape);
      return std::nullopt;
    }
  }
  std::vector<Tensor> outputs = Outputs(f);
  std::vector<void*> args = Pointers(inputs, outputs);
  packed_(args.data());
  return outputs;
}

TimingStats CompiledEntry::Time(const loops::Function& f, const std::vector<Tensor>& inputs,
                                const TimeOptions& options) const {
  std::vector<Tensor> outputs = Outputs(f);
  std::vector<void*> args = Pointers(inputs, outputs);
  for (int i = 0; i < options.warmup; ++i) packed_(args.data());
  std::vector<double> ms;
  double total = 0;
  while (static_cast<int>(ms.size()) < options.max_runs &&
         (static_cast<int>(ms.size()) < options.min_runs || total < options.min_seconds)) {
    auto start = std::chrono::steady_clock::now();
    packed_(args.data());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    total += seconds;
    ms.push_back(seconds * 1e3);
  }
  std::sort(ms.begin(), ms.end());
  TimingStats stats;
  stats.runs = static_cast<int>(ms.size());
  stats.threads = threads_;
  stats.min_ms = ms.front();
  stats.max_ms = ms.back();
  stats.median_ms = ms[ms.size() / 2];
  return stats;
}

}  // namespace tessel::cpu
