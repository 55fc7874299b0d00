// The C back end against the best libraries on this machine (as the design asks: ratios, never
// absolute claims): every number is a ratio to baselines measured in the same run. Prints
// Markdown (docs/performance.md §2.1).
//
//   c_backend [--quick] [--threads 1,2] [--sizes 512,1024,2048]
//
//   peak     the FMA peak of this CPU: independent vector FMA chains, compiled at run time with
//            -O3 -march=native like every generated kernel
//   sgemm    C = A B, N x N: Tessel with the hand schedule bench/schedules/sgemm.sched and with
//            lab04's default schedule, naive i-k-j loops (-O3 -march=native), OpenBLAS,
//            oneDNN and Eigen (each where installed; which kernel each runs is printed)
//   conv     a ResNet layer, 3x3, 64 -> 64 channels, 56 x 56, batch 1, padding 1: Tessel with
//            bench/schedules/conv_resnet.sched and with its default schedule, against oneDNN
//            (its conversions from and to NCHW included) and im2col + OpenBLAS
//
// OpenBLAS picks its kernel from the CPU it detects; Debian's 0.3.21 does not know some
// current Xeons and falls back to its slow Prescott kernel. The bench prints the core it
// runs, and re-runs itself with OPENBLAS_CORETYPE set when detection fell back on a CPU with
// AVX-512 (SkylakeX) or AVX2 (Haswell): for this program only, never in tests.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "stages/cpu/compiled_entry.h"
#include "stages/cpu/render_module.h"
#include "stages/loops/parser.h"
#include "stages/loops/primitives.h"
#include "stages/loops/schedule.h"

#ifdef TESSEL_HAVE_OPENBLAS
#include <cblas.h>
extern "C" char* openblas_get_corename(void);
extern "C" char* openblas_get_config(void);
extern "C" void openblas_set_num_threads(int);
#endif
#ifdef TESSEL_HAVE_DNNL
#include <dnnl.h>
#include <dnnl.hpp>
#endif
#ifdef TESSEL_HAVE_EIGEN
#include <Eigen/Core>
#endif

namespace {

using namespace tessel;

struct Options {
  std::vector<int> threads = {1, 2};
  std::vector<int> sizes = {512, 1024, 2048};
  bool quick = false;
};

std::string Shell(const std::string& command) {
  std::string out;
  if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, p)) out += buffer;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string CpuName() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

int VectorBytes() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 64;
  if (__builtin_cpu_supports("avx2")) return 32;
  return 16;
}

// Median milliseconds of `run` (warm-up, then at least 5 runs and 0.3 s).
double TimeMs(const std::function<void()>& run, double min_seconds = 0.3) {
  run();
  run();
  std::vector<double> ms;
  double total = 0;
  while (ms.size() < 5 || (total < min_seconds && ms.size() < 1000)) {
    auto start = std::chrono::steady_clock::now();
    run();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ms.push_back(s * 1e3);
    total += s;
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// Median milliseconds of each of `runs`, timed in rounds that run each once in turn, so that
// every contender sees the same moments of a shared machine (another tenant's burst slows all
// of them, not the one that happened to be running): two warm-up rounds, then rounds until
// each has 7 runs and all together took min_seconds per contender. *fastest: each one's best run.
std::vector<double> InterleavedMs(const std::vector<std::function<void()>>& runs, std::vector<double>* fastest,
                                  double min_seconds = 0.5) {
  for (int warm = 0; warm < 2; ++warm) {
    for (const auto& run : runs) run();
  }
  std::vector<std::vector<double>> ms(runs.size());
  double total = 0;
  for (int round = 0; round < 7 || (total < min_seconds * runs.size() && round < 1000); ++round) {
    for (size_t i = 0; i < runs.size(); ++i) {
      auto start = std::chrono::steady_clock::now();
      runs[i]();
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ms[i].push_back(s * 1e3);
      total += s;
    }
  }
  std::vector<double> medians;
  fastest->clear();
  for (std::vector<double>& m : ms) {
    std::sort(m.begin(), m.end());
    medians.push_back(m[m.size() / 2]);
    fastest->push_back(m.front());
  }
  return medians;
}

// A C function compiled at run time with the generated kernels' flags.
template <typename Fn>
Fn CompileFunction(const std::string& source, const std::string& symbol,
                   std::vector<std::unique_ptr<cpu::SharedLibrary>>& keep) {
  std::string error;
  cpu::CompilerConfig config = cpu::CompilerFromEnvironment();
  auto compiled = cpu::CompileC(source, config, &error);
  if (!compiled) {
    std::fprintf(stderr, "c_backend: %s\n", error.c_str());
    std::exit(1);
  }
  keep.push_back(cpu::SharedLibrary::Open(compiled->library_path, &error));
  if (!keep.back()) {
    std::fprintf(stderr, "c_backend: %s\n", error.c_str());
    std::exit(1);
  }
  return reinterpret_cast<Fn>(keep.back()->Symbol(symbol));
}

// GFLOP/s of independent FMA chains: 12 vector accumulators per thread.
double PeakGflops(int threads, std::vector<std::unique_ptr<cpu::SharedLibrary>>& keep) {
  int lanes = VectorBytes() / 4;
  std::string n = std::to_string(lanes), bytes = std::to_string(VectorBytes());
  std::string source =
      "#include <omp.h>\ntypedef float v __attribute__((vector_size(" + bytes + ")));\n"
      "float peak(long iters, int threads) {\n  float total = 0;\n"
      "  #pragma omp parallel num_threads(threads) reduction(+:total)\n  {\n"
      "    v a[12], x, y;\n    for (int l = 0; l < " + n + "; ++l) { x[l] = 0.999f; y[l] = 0.001f; }\n"
      "    for (int i = 0; i < 12; ++i) a[i] = x * (float)i;\n"
      "    for (long it = 0; it < iters; ++it) {\n"
      "      #pragma GCC unroll 12\n      for (int i = 0; i < 12; ++i) a[i] = a[i] * x + y;\n"
      "      __asm__ volatile(\"\" : \"+x\"(x));\n    }\n"
      "    for (int i = 0; i < 12; ++i) for (int l = 0; l < " + n + "; ++l) total += a[i][l];\n  }\n"
      "  return total;\n}\n";
  auto peak = CompileFunction<float (*)(long, int)>(source, "peak", keep);
  long iters = 20'000'000;
  double ms = TimeMs([&] { volatile float r = peak(iters, threads); (void)r; }, 0.2);
  return static_cast<double>(iters) * 12 * lanes * 2 * threads / (ms * 1e-3) / 1e9;
}

std::string GemmLoops(int n) {
  std::string s = std::to_string(n);
  return "kernel @matmul(%A: f32[" + s + ", " + s + "], %B: f32[" + s + ", " + s + "]) -> (%C: f32[" +
         s + ", " + s + "]) {\n  for i in 0.." + s + " {\n    for j in 0.." + s +
         " {\n      %C[i, j] = 0.0\n      for k in 0.." + s +
         " {\n        %C[i, j] = %C[i, j] + %A[i, k] * %B[k, j]\n      }\n    }\n  }\n}\n";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Tessel's SGEMM: the loop IR scheduled (the hand schedule's steps, or the default
// scheduler's), rendered, compiled and loaded.
struct TesselGemm {
  std::unique_ptr<cpu::CompiledEntry> entry;
  loops::Function signature;
  std::unique_ptr<cpu::SharedLibrary> library;  // the same object, for a call without tensors
  void (*packed)(void**) = nullptr;
  void (*set_threads)(int) = nullptr;
};

TesselGemm BuildTesselGemm(int n, const std::string& schedule_steps) {
  std::string error;
  std::optional<loops::Module> module = loops::ParseModuleText(GemmLoops(n), &error);
  if (!module) std::fprintf(stderr, "c_backend: %s\n", error.c_str()), std::exit(1);
  std::string steps = schedule_steps;
  if (steps.empty()) {
    for (const loops::Step& step : loops::DefaultSchedule(module->functions[0])) {
      steps += loops::FormatStep(step) + "\n";
    }
  }
  std::string problem = loops::ApplyScheduleText(*module, "matmul", steps);
  if (!problem.empty()) std::fprintf(stderr, "c_backend: schedule: %s\n", problem.c_str()), std::exit(1);
  cpu::CModuleOptions options;
  options.render.vector_bytes = VectorBytes();
  options.header_name = "sgemm.h";
  cpu::CSource source = cpu::RenderModuleC(*module, options);
  std::string whole = source.header + "\n" + source.c;
  whole.erase(whole.find("#include \"sgemm.h\""), 18);
  auto compiled = cpu::CompileC(whole, cpu::CompilerFromEnvironment(), &error);
  if (!compiled) std::fprintf(stderr, "c_backend: %s\n", error.c_str()), std::exit(1);
  TesselGemm gemm{cpu::CompiledEntry::Load(compiled->library_path, source.entry, &error),
                  module->functions[0], cpu::SharedLibrary::Open(compiled->library_path, &error)};
  if (!gemm.entry || !gemm.library) std::fprintf(stderr, "c_backend: %s\n", error.c_str()), std::exit(1);
  gemm.packed = reinterpret_cast<void (*)(void**)>(gemm.library->Symbol(source.entry + "_packed"));
  gemm.set_threads = reinterpret_cast<void (*)(int)>(gemm.library->Symbol(source.entry + "_set_threads"));
  if (!gemm.packed || !gemm.set_threads) std::fprintf(stderr, "c_backend: no %s_packed in the compiled GEMM\n", source.entry.c_str()), std::exit(1);
  return gemm;
}

// The hand schedule's file: bench/schedules/sgemm.sched, or $TESSEL_SGEMM_SCHEDULE to try a
// variant; as a path to open, or as the table names it.
std::string HandSchedulePath(bool to_open) {
  const char* other = std::getenv("TESSEL_SGEMM_SCHEDULE");
  if (other) return other;
  return (to_open ? std::string(TESSEL_SOURCE_DIR) + "/" : std::string()) + "bench/schedules/sgemm.sched";
}

// The hand schedule's steps (the file's, without its header and comments).
std::string HandSchedule() {
  std::string text = ReadFile(HandSchedulePath(true));
  std::istringstream in(text);
  std::string steps;
  for (std::string line; std::getline(in, line);) {
    size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos || line[first] == '#' || line[first] == '@') continue;
    steps += line.substr(first) + "\n";
  }
  return steps;
}

double MaxRelError(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0, scale = 1e-30;
  for (float x : b) scale = std::max(scale, static_cast<double>(std::fabs(x)));
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]) / scale);
  return worst;
}

void Row(const std::string& name, double ms, double flops, double best_library, double peak,
         const std::string& note = "") {
  double gflops = flops / (ms * 1e-3) / 1e9;
  std::printf("| %s | %.3f | %.1f | %s | %.0f%% |%s\n", name.c_str(), ms, gflops,
              best_library > 0 ? (std::to_string(gflops / best_library).substr(0, 4) + "x").c_str() : "—",
              100 * gflops / peak, note.empty() ? "" : (" " + note + " |").c_str());
}

void Sgemm(const Options& options, const std::vector<double>& peaks,
           std::vector<std::unique_ptr<cpu::SharedLibrary>>& keep) {
  auto naive = CompileFunction<void (*)(int, const float*, const float*, float*)>(
      "void naive(int n, const float *a, const float *b, float *c) {\n"
      "  for (int i = 0; i < n; ++i) {\n    for (int j = 0; j < n; ++j) c[i * n + j] = 0;\n"
      "    for (int k = 0; k < n; ++k)\n      for (int j = 0; j < n; ++j) c[i * n + j] += a[i * n + k] * b[k * n + j];\n"
      "  }\n}\n", "naive", keep);
  std::string hand = HandSchedule();
  for (int n : options.sizes) {
    std::vector<float> a(static_cast<size_t>(n) * n), b(a.size()), c(a.size()), reference(a.size());
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> uniform(-1, 1);
    for (float& x : a) x = uniform(rng);
    for (float& x : b) x = uniform(rng);
    double flops = 2.0 * n * n * n;
    TesselGemm tuned = BuildTesselGemm(n, hand);
    TesselGemm untuned = BuildTesselGemm(n, "");
    Tensor ta(DType::kF32, {n, n}), tb(DType::kF32, {n, n});
    std::memcpy(ta.bytes().data(), a.data(), a.size() * 4);
    std::memcpy(tb.bytes().data(), b.data(), b.size() * 4);
    for (size_t t = 0; t < options.threads.size(); ++t) {
      int threads = options.threads[t];
      omp_set_num_threads(threads);
      std::printf("\n#### SGEMM %d x %d x %d, %d thread%s\n\n", n, n, n, threads, threads == 1 ? "" : "s");
      std::printf("| implementation | ms | GFLOP/s | of the best library | of peak |\n|---|---|---|---|---|\n");
      // The libraries and the hand schedule, timed in interleaved rounds (InterleavedMs).
      std::vector<std::string> names;
      std::vector<std::function<void()>> runs;
#ifdef TESSEL_HAVE_OPENBLAS
      openblas_set_num_threads(threads);
      names.push_back(std::string("OpenBLAS (core ") + openblas_get_corename() + ")");
      runs.push_back([&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a.data(), n, b.data(), n, 0,
                    reference.data(), n);
      });
#endif
#ifdef TESSEL_HAVE_DNNL
      names.push_back("oneDNN " + std::to_string(dnnl_version()->major) + "." +
                      std::to_string(dnnl_version()->minor) + " (sgemm)");
      runs.push_back([&] { dnnl_sgemm('N', 'N', n, n, n, 1, a.data(), n, b.data(), n, 0, c.data(), n); });
#endif
#ifdef TESSEL_HAVE_EIGEN
      Eigen::setNbThreads(threads);
      Eigen::Map<const Eigen::Matrix<float, -1, -1, Eigen::RowMajor>> ea(a.data(), n, n), eb(b.data(), n, n);
      Eigen::Map<Eigen::Matrix<float, -1, -1, Eigen::RowMajor>> ec(c.data(), n, n);
      names.push_back("Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                      std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION));
      runs.push_back([&] { ec.noalias() = ea * eb; });
#endif
      size_t library_count = runs.size();
      tuned.set_threads(threads);
      std::vector<float> tessel_c(a.size());
      void* args[] = {a.data(), b.data(), tessel_c.data()};
      runs.push_back([&] { tuned.packed(args); });
      std::vector<double> fastest;
      std::vector<double> ms = InterleavedMs(runs, &fastest);
      double best = 0, best_fastest = 0;
      for (size_t i = 0; i < library_count; ++i) best = std::max(best, flops / (ms[i] * 1e-3) / 1e9);
      for (size_t i = 0; i < library_count; ++i) best_fastest = std::max(best_fastest, flops / (fastest[i] * 1e-3) / 1e9);
      for (size_t i = 0; i < library_count; ++i) Row(names[i], ms[i], flops, best, peaks[t]);
      char note[160] = "";
      if (library_count > 0) {
        // Medians are what the table shows; the best runs say what each can do when the
        // shared machine is quiet.
        std::snprintf(note, sizeof note, "best runs: %.2fx", flops / (fastest.back() * 1e-3) / 1e9 / best_fastest);
      }
#ifdef TESSEL_HAVE_OPENBLAS
      std::snprintf(note + std::strlen(note), sizeof note - std::strlen(note), "; max rel. error %.1e against OpenBLAS",
                    MaxRelError(tessel_c, reference));
#endif
      Row("Tessel, hand schedule (" + HandSchedulePath(false) + ")", ms.back(),
          flops, best, peaks[t], note);
      std::vector<Tensor> inputs = {ta, tb};
      untuned.entry->SetThreads(threads);
      double untuned_ms = untuned.entry->Time(untuned.signature, inputs, {1, 3, 0.3, 100}).median_ms;
      Row("Tessel, default schedule (lab04.t5)", untuned_ms, flops, best, peaks[t]);
      if (threads == 1) {
        double naive_ms = TimeMs([&] { naive(n, a.data(), b.data(), c.data()); }, 0.1);
        Row("naive i-k-j loops, -O3 -march=native", naive_ms, flops, best, peaks[t]);
      }
      std::printf("| FMA peak (measured) | | %.1f | | 100%% |\n", peaks[t]);
    }
  }
}

// A ResNet layer: 3x3, 64 -> 64, 56 x 56, padding 1, batch 1 (NCHW).
void Convolution(const Options& options, const std::vector<double>& peaks) {
  const int C = 64, K = 64, H = 56, W = 56;
  double flops = 2.0 * K * C * 9 * H * W;
  std::vector<float> x(static_cast<size_t>(C) * H * W), w(static_cast<size_t>(K) * C * 9), y(static_cast<size_t>(K) * H * W);
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> uniform(-1, 1);
  for (float& v : x) v = uniform(rng);
  for (float& v : w) v = uniform(rng);
  for (size_t t = 0; t < options.threads.size(); ++t) {
    int threads = options.threads[t];
    std::printf("\n#### conv2d 3x3, 64 -> 64, 56 x 56, batch 1, %d thread%s\n\n", threads, threads == 1 ? "" : "s");
    std::printf("| implementation | ms | GFLOP/s | of the best library | of peak |\n|---|---|---|---|---|\n");
    // Each contender measures itself (a median over half a second); three rounds of all of them
    // in turn, and each row is the median of its three, so that a burst from another tenant of
    // this shared machine, which lasts seconds, does not land on one contender only.
    struct Contender {
      std::string name;
      bool library;
      std::function<double()> measure;  // ms, or a negative number when it failed
    };
    std::vector<Contender> contenders;
#ifdef TESSEL_HAVE_OPENBLAS
    openblas_set_num_threads(threads);
    std::vector<float> columns(static_cast<size_t>(C) * 9 * H * W);
    contenders.push_back({"im2col + OpenBLAS sgemm", true, [&] {
      return TimeMs([&] {
        for (int c = 0; c < C; ++c)
          for (int r = 0; r < 3; ++r)
            for (int s = 0; s < 3; ++s)
              for (int h = 0; h < H; ++h)
                for (int v = 0; v < W; ++v) {
                  int hh = h + r - 1, vv = v + s - 1;
                  columns[((static_cast<size_t>(c) * 9 + r * 3 + s) * H + h) * W + v] =
                      hh >= 0 && hh < H && vv >= 0 && vv < W ? x[(static_cast<size_t>(c) * H + hh) * W + vv] : 0.0f;
                }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, K, H * W, C * 9, 1, w.data(), C * 9,
                    columns.data(), H * W, 0, y.data(), H * W);
      });
    }});
#endif
#ifdef TESSEL_HAVE_DNNL
    // oneDNN's direct convolution in the layouts it prefers (format_tag::any), with the
    // conversions of the input and the output from and to NCHW in every run; the weights are
    // converted once, as constants would be.
    omp_set_num_threads(threads);
    dnnl::engine cpu(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(cpu);
    auto f32 = dnnl::memory::data_type::f32;
    dnnl::memory::dims image = {1, C, H, W}, filters = {K, C, 3, 3}, out = {1, K, H, W};
    dnnl::memory user_x({image, f32, dnnl::memory::format_tag::nchw}, cpu, x.data());
    dnnl::memory user_w({filters, f32, dnnl::memory::format_tag::oihw}, cpu, w.data());
    dnnl::memory user_y({out, f32, dnnl::memory::format_tag::nchw}, cpu, y.data());
    auto desc = dnnl::convolution_forward::desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
        {image, f32, dnnl::memory::format_tag::any}, {filters, f32, dnnl::memory::format_tag::any},
        {out, f32, dnnl::memory::format_tag::any}, {1, 1}, {1, 1}, {1, 1});
    dnnl::convolution_forward::primitive_desc pd(desc, cpu);
    dnnl::memory xm = pd.src_desc() == user_x.get_desc() ? user_x : dnnl::memory(pd.src_desc(), cpu);
    dnnl::memory wm = pd.weights_desc() == user_w.get_desc() ? user_w : dnnl::memory(pd.weights_desc(), cpu);
    dnnl::memory ym = pd.dst_desc() == user_y.get_desc() ? user_y : dnnl::memory(pd.dst_desc(), cpu);
    if (wm != user_w) dnnl::reorder(user_w, wm).execute(stream, user_w, wm);
    dnnl::convolution_forward conv(pd);
    contenders.push_back({std::string("oneDNN convolution (") + pd.impl_info_str() + "), with its layout conversions",
                          true, [&] {
      return TimeMs([&] {
        if (xm != user_x) dnnl::reorder(user_x, xm).execute(stream, user_x, xm);
        conv.execute(stream, {{DNNL_ARG_SRC, xm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, ym}});
        if (ym != user_y) dnnl::reorder(ym, user_y).execute(stream, ym, user_y);
        stream.wait();
      });
    }});
#endif
    // Tessel: the layer as a .tsl program through the whole compiler, with the hand schedule
    // and with the default one (`tessel run --time`: its own median).
    for (const std::string schedule : {"bench/schedules/conv_resnet.sched", ""}) {
      std::string command = std::string(TESSEL_BUILD_DIR) + "/bin/tessel run " + TESSEL_SOURCE_DIR +
                            "/bench/models/conv_resnet.tsl --target c --time --threads " + std::to_string(threads) +
                            (schedule.empty() ? "" : " --schedule " + std::string(TESSEL_SOURCE_DIR) + "/" + schedule);
      std::string name = schedule.empty() ? "Tessel, default schedule (`tessel run bench/models/conv_resnet.tsl --target c`)"
                                          : "Tessel, hand schedule (" + schedule + ")";
      contenders.push_back({name, false, [command] {
        std::string printed = Shell(command);
        size_t at = printed.find("time: median ");
        return at == std::string::npos ? -1.0 : std::atof(printed.c_str() + at + 13);
      }});
    }
    std::vector<std::vector<double>> rounds(contenders.size());
    for (int round = 0; round < 3; ++round) {
      for (size_t i = 0; i < contenders.size(); ++i) rounds[i].push_back(contenders[i].measure());
    }
    double best = 0;
    std::vector<double> ms;
    for (std::vector<double>& r : rounds) {
      std::sort(r.begin(), r.end());
      ms.push_back(r[1]);
    }
    for (size_t i = 0; i < contenders.size(); ++i) {
      if (contenders[i].library && ms[i] > 0) best = std::max(best, flops / (ms[i] * 1e-3) / 1e9);
    }
    for (size_t i = 0; i < contenders.size(); ++i) {
      if (ms[i] > 0) {
        Row(contenders[i].name, ms[i], flops, best, peaks[t]);
      } else {
        std::printf("| %s | failed | | | |\n", contenders[i].name.c_str());
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto list = [&](std::vector<int>* out) {
      out->clear();
      std::stringstream in(argv[++i]);
      for (std::string item; std::getline(in, item, ',');) out->push_back(std::atoi(item.c_str()));
    };
    if (arg == "--quick") options.quick = true, options.sizes = {256};
    else if (arg == "--threads" && i + 1 < argc) list(&options.threads);
    else if (arg == "--sizes" && i + 1 < argc) list(&options.sizes);
    else return std::fprintf(stderr, "usage: c_backend [--quick] [--threads 1,2] [--sizes 512,1024]\n"), 2;
  }
#ifdef TESSEL_HAVE_OPENBLAS
  // A fallback kernel on a CPU OpenBLAS does not know: run again with the right core type.
  std::string core = openblas_get_corename();
  if (!std::getenv("OPENBLAS_CORETYPE") && (core == "Prescott" || core == "Core2" || core == "Nehalem")) {
    __builtin_cpu_init();
    const char* right = __builtin_cpu_supports("avx512f") ? "SkylakeX" : __builtin_cpu_supports("avx2") ? "Haswell" : nullptr;
    if (right) {
      std::fprintf(stderr, "c_backend: OpenBLAS detected %s on this CPU; running again with OPENBLAS_CORETYPE=%s\n",
                   core.c_str(), right);
      setenv("OPENBLAS_CORETYPE", right, 1);
      execv("/proc/self/exe", argv);
    }
  }
#endif
  std::vector<std::unique_ptr<cpu::SharedLibrary>> keep;
  std::printf("CPU: %s, %d-byte vectors; compiler: %s (%s)\n", CpuName().c_str(), VectorBytes(),
              Shell(cpu::CompilerFromEnvironment().compiler + " --version | head -1").c_str(),
              cpu::CompilerFromEnvironment().flags.c_str());
#ifdef TESSEL_HAVE_OPENBLAS
  std::printf("OpenBLAS: %s\n", openblas_get_config());
#endif
#ifdef TESSEL_HAVE_DNNL
  std::printf("oneDNN: %d.%d.%d (CPU runtime %s)\n", dnnl_version()->major, dnnl_version()->minor,
              dnnl_version()->patch, dnnl_version()->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other");
#endif
  std::vector<double> peaks;
  for (int threads : options.threads) peaks.push_back(PeakGflops(threads, keep));
  std::printf("FMA peak (measured):");
  for (size_t t = 0; t < peaks.size(); ++t) std::printf(" %.1f GFLOP/s on %d thread%s;", peaks[t], options.threads[t], options.threads[t] == 1 ? "" : "s");
  std::printf("\n");
  Sgemm(options, peaks, keep);
  if (!options.quick) Convolution(options, peaks);
  return 0;
}
