// The cost model: the LRU cache simulator against miss counts worked out by hand, then
// MeasureCost on small loop-IR kernels (loop orders, local buffers, vectorized loops, a host
// calling kernels) and the report's table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "stages/loops/cache_model.h"
#include "stages/loops/cost_model.h"
#include "stages/loops/interpreter.h"
#include "stages/loops/parser.h"

namespace tessel::loops {
namespace {

constexpr int64_t kLine = 64;
constexpr int64_t kL1Bytes = 32 << 10;

Module MustParse(const std::string& text) {
  std::string error;
  std::optional<Module> module = ParseModuleText(text, &error);
  EXPECT_TRUE(module.has_value()) << error;
  return module ? std::move(*module) : Module{};
}

Tensor Iota(DType dtype, Shape shape) {
  std::vector<double> values(static_cast<size_t>(NumElements(shape)));
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 7);
  return Tensor::FromValues(dtype, std::move(shape), values);
}

// Reads [base, base + bytes) in `step`-byte accesses.
void Walk(CacheSimulator& cache, uint64_t base, int64_t bytes, int64_t step) {
  for (int64_t at = 0; at < bytes; at += step) cache.Access(base + static_cast<uint64_t>(at), step);
}

CostReport MustMeasure(const Module& m, const Function& f, const std::vector<Tensor>& inputs,
                       const CpuTarget& target = GradingTarget()) {
  std::string error;
  std::optional<CostReport> report = MeasureCost(m, f, inputs, target, &error);
  EXPECT_TRUE(report.has_value()) << error;
  return report ? std::move(*report) : CostReport{};
}

const KernelCost& Kernel(const CostReport& report, const std::string& name) {
  for (const KernelCost& k : report.kernels) {
    if (k.kernel == name) return k;
  }
  ADD_FAILURE() << "no kernel @" << name;
  return report.total;
}

const BufferCost& BufferOf(const KernelCost& kernel, const std::string& name) {
  for (const BufferCost& b : kernel.buffers) {
    if (b.buffer == name) return b;
  }
  ADD_FAILURE() << "no buffer %" << name << " in @" << kernel.kernel;
  return kernel.buffers.front();
}

// ------------------------------------------------------------ cache simulator

TEST(CacheModelTest, GradingTargetIsZen3Like) {
  CpuTarget target = GradingTarget();
  EXPECT_EQ(target.name, "grading");
  ASSERT_EQ(target.levels.size(), 2u);
  EXPECT_EQ(target.levels[0].size_bytes, 32 * 1024);
  EXPECT_EQ(target.levels[0].ways, 8);
  EXPECT_EQ(target.levels[1].size_bytes, 512 * 1024);
  EXPECT_EQ(target.levels[1].ways, 8);
  EXPECT_EQ(target.levels[1].line_bytes, 64);
  EXPECT_EQ(target.vector_bytes, 32);
  EXPECT_EQ(VerifyCpuTarget(target), "");
}

TEST(CacheModelTest, SequentialWalkMissesOncePerLine) {
  CacheSimulator cache(GradingTarget());
  Walk(cache, 1 << 20, 16 << 10, 4);  // 4096 f32 loads over 256 lines
  EXPECT_EQ(cache.accesses(0), 4096);
  EXPECT_EQ(cache.misses(0), 256);
  EXPECT_EQ(cache.accesses(1), 256);
  EXPECT_EQ(cache.misses(1), 256);
}

TEST(CacheModelTest, WorkingSetThatFitsMissesOnlyOnFirstTouch) {
  CacheSimulator cache(GradingTarget());
  Walk(cache, 1 << 20, kL1Bytes, 4);
  Walk(cache, 1 << 20, kL1Bytes, 4);
  EXPECT_EQ(cache.accesses(0), 2 * kL1Bytes / 4);
  EXPECT_EQ(cache.misses(0), kL1Bytes / kLine);  // 512: the first walk only
}

TEST(CacheModelTest, WorkingSetTwiceL1MissesInL1EachWalkButInL2Once) {
  // LRU on a walk over twice its capacity evicts each line just before it is needed again.
  CacheSimulator cache(GradingTarget());
  Walk(cache, 1 << 20, 2 * kL1Bytes, kLine);
  Walk(cache, 1 << 20, 2 * kL1Bytes, kLine);
  EXPECT_EQ(cache.misses(0), 2 * 1024);
  EXPECT_EQ(cache.accesses(1), 2 * 1024);
  EXPECT_EQ(cache.misses(1), 1024);
}

TEST(CacheModelTest, NineLinesOfOneSetRoundRobinAllMiss) {
  // L1 has 32 KiB / (8 * 64 B) = 64 sets, so addresses 4096 bytes apart share a set.
  CacheSimulator nine(GradingTarget());
  CacheSimulator eight(GradingTarget());
  for (int round = 0; round < 10; ++round) {
    for (uint64_t k = 0; k < 9; ++k) nine.Access(k * 4096, 4);
    for (uint64_t k = 0; k < 8; ++k) eight.Access(k * 4096, 4);
  }
  EXPECT_EQ(nine.misses(0), 90);
  EXPECT_EQ(nine.misses(1), 9);  // L2 has 1024 sets: no conflict there
  EXPECT_EQ(eight.misses(0), 8);
}

TEST(CacheModelTest, AccessStraddlingTwoLinesTouchesBoth) {
  CacheSimulator cache(GradingTarget());
  int64_t misses[2] = {0, 0};
  EXPECT_EQ(cache.Access(60, 8, misses), 1);  // bytes 60..67: lines 0 and 1, both new
  EXPECT_EQ(cache.accesses(0), 2);
  EXPECT_EQ(cache.misses(0), 2);
  EXPECT_EQ(misses[0], 2);
  EXPECT_EQ(misses[1], 2);
  EXPECT_EQ(cache.Access(64, 4), -1);  // line 1 is now cached
  EXPECT_EQ(cache.Access(128, 4), 1);
}

TEST(CacheModelTest, ReadCpuTargetReadsSysfsLayout) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(testing::TempDir()) / "tessel_cache_model_sysfs";
  fs::remove_all(dir);
  auto write_index = [&](int index, const std::vector<std::string>& values) {
    const char* files[] = {"level", "type", "size", "ways_of_associativity", "coherency_line_size"};
    fs::create_directories(dir / ("index" + std::to_string(index)));
    for (size_t i = 0; i < values.size(); ++i) {
      std::ofstream(dir / ("index" + std::to_string(index)) / files[i]) << values[i] << "\n";
    }
  };
  write_index(0, {"1", "Data", "48K", "12", "64"});
  write_index(1, {"1", "Instruction", "32K", "8", "64"});
  std::string error;
  EXPECT_FALSE(ReadCpuTarget(dir.string(), &error));
  EXPECT_EQ(error, "cannot read the level-2 data cache from " + dir.string());

  write_index(2, {"2", "Unified", "2M", "16", "64"});
  std::optional<CpuTarget> target = ReadCpuTarget(dir.string(), &error);
  ASSERT_TRUE(target) << error;
  EXPECT_EQ(target->name, "host");
  ASSERT_EQ(target->levels.size(), 2u);
  EXPECT_EQ(target->levels[0].size_bytes, 48 << 10);
  EXPECT_EQ(target->levels[0].ways, 12);
  EXPECT_EQ(target->levels[1].name, "L2");
  EXPECT_EQ(target->levels[1].size_bytes, 2 << 20);
  fs::remove_all(dir);
}

TEST(CacheModelTest, HostTargetReadsTwoLevelsOrSaysWhy) {
  std::string error;
  std::optional<CpuTarget> host = HostTarget(&error);
  if (!host) {
    EXPECT_FALSE(error.empty());
    return;
  }
  ASSERT_EQ(host->levels.size(), 2u);
  EXPECT_EQ(VerifyCpuTarget(*host), "");
  CacheSimulator cache(*host);  // whatever this machine is, it can be simulated
  EXPECT_EQ(cache.num_levels(), 2u);
}

TEST(CacheModelTest, VerifyCpuTargetRejectsPartialSets) {
  CpuTarget target = GradingTarget();
  target.levels[1].size_bytes = 1000;
  EXPECT_EQ(VerifyCpuTarget(target), "L2: size 1000 is not a multiple of ways * line bytes (512)");
  target.levels.clear();
  EXPECT_EQ(VerifyCpuTarget(target), "target 'grading' has no cache levels");
}

// ------------------------------------------------------------------ cost model

// C = A B with A f32[m, k] and B f32[k, n], in loop order i, j, k or (`ikj`) i, k, j:
//
//   for i in 0..m {                          for i in 0..m {
//     for j in 0..n {                          for j0 in 0..n { %c[i, j0] = 0.0 }
//       %c[i, j] = 0.0                         for k in 0..k {
//       for k in 0..k { UPDATE }                 for j in 0..n { UPDATE }
//     }                                        }
//   }                                        }
//
// with UPDATE = %c[i, j] = %c[i, j] + %a[i, k] * %b[k, j].
std::string MatmulText(bool ikj, int64_t m, int64_t k, int64_t n) {
  std::string sm = std::to_string(m), sk = std::to_string(k), sn = std::to_string(n);
  std::string text = "kernel @mm(%a: f32[" + sm + ", " + sk + "], %b: f32[" + sk + ", " + sn +
                     "]) -> (%c: f32[" + sm + ", " + sn + "]) {\n  for i in 0.." + sm + " {\n";
  std::string update = "%c[i, j] = %c[i, j] + %a[i, k] * %b[k, j]\n";
  if (ikj) {
    text += "    for j0 in 0.." + sn + " {\n      %c[i, j0] = 0.0\n    }\n" +
            "    for k in 0.." + sk + " {\n      for j in 0.." + sn + " {\n        " + update +
            "      }\n    }\n";
  } else {
    text += "    for j in 0.." + sn + " {\n      %c[i, j] = 0.0\n" +
            "      for k in 0.." + sk + " {\n        " + update + "      }\n    }\n";
  }
  return text + "  }\n}\n";
}

// Runs both loop orders of the m x k x n matmul on `target`, checks that they compute the
// same C with the same counts, and returns the costs of @mm: i, j, k first.
std::pair<KernelCost, KernelCost> MeasureBothOrders(const CpuTarget& target, int64_t m,
                                                    int64_t k, int64_t n) {
  Module ijk = MustParse(MatmulText(false, m, k, n));
  Module ikj = MustParse(MatmulText(true, m, k, n));
  std::vector<Tensor> inputs = {Iota(DType::kF32, {m, k}), Iota(DType::kF32, {k, n})};
  CostReport slow = MustMeasure(ijk, ijk.functions[0], inputs, target);
  CostReport fast = MustMeasure(ikj, ikj.functions[0], inputs, target);
  EXPECT_EQ(slow.outputs.size(), 1u);
  EXPECT_EQ(fast.outputs.size(), 1u);
  if (slow.outputs.size() != 1 || fast.outputs.size() != 1) return {};
  for (int64_t e = 0; e < m * n; ++e) {
    EXPECT_EQ(slow.outputs[0].Get(e), fast.outputs[0].Get(e)) << "element " << e;
  }
  for (const CostReport* r : {&slow, &fast}) {
    const KernelCost& mm = Kernel(*r, "mm");
    EXPECT_EQ(mm.calls, 1);
    EXPECT_EQ(mm.ops, 2 * m * k * n);  // one mul and one add per (i, j, k), no index math
    EXPECT_EQ(mm.float_ops, 2 * m * k * n);
    EXPECT_EQ(mm.vector_ops, 0);
    EXPECT_EQ(mm.loads, 3 * m * k * n);          // c, a, b per (i, j, k)
    EXPECT_EQ(mm.stores, m * k * n + m * n);     // the update and the zeroing
    EXPECT_EQ(BufferOf(mm, "b").loads, m * k * n);
  }
  return {Kernel(slow, "mm"), Kernel(fast, "mm")};
}

TEST(CostModelTest, MatmulLoopOrderIkjMissesLessThanIjk) {
  // 64 x 64 x 64 on an L1 of 8 KiB (16 sets), too small for B (16 KiB). In i, j, k order a
  // column of B is 64 lines 256 bytes apart, 16 of them in each of 4 sets, so LRU evicts
  // every line before its next use: each B load misses. In i, k, j order B is walked row by
  // row, once per i: each of its 256 lines misses once per i.
  CpuTarget small = GradingTarget();
  small.name = "small";
  small.levels[0].size_bytes = 8 << 10;
  auto [ijk, ikj] = MeasureBothOrders(small, 64, 64, 64);
  ASSERT_FALSE(ijk.buffers.empty());
  ASSERT_FALSE(ikj.buffers.empty());
  EXPECT_EQ(BufferOf(ijk, "b").misses[0], 64 * 64 * 64);
  EXPECT_EQ(BufferOf(ikj, "b").misses[0], 64 * 256);
  EXPECT_LT(ikj.misses[0], ijk.misses[0]);
  EXPECT_EQ(ikj.misses[1], 3 * 256);  // L2 holds all 3 matrices: first touches only
  EXPECT_EQ(ijk.misses[1], 3 * 256);
}

TEST(CostModelTest, MatmulOf64FitsTheGradingL1InEitherOrder) {
  // A, B and C are 16 KiB each; only B is reused across i, and its column of 64 lines takes
  // 4 ways in each of 16 sets of the 32 KiB L1: it stays cached, and both orders miss each
  // of the 3 * 256 lines once.
  auto [ijk, ikj] = MeasureBothOrders(GradingTarget(), 64, 64, 64);
  EXPECT_EQ(ijk.misses, (std::vector<int64_t>{768, 768}));
  EXPECT_EQ(ikj.misses, (std::vector<int64_t>{768, 768}));
}

TEST(CostModelTest, MatmulLoopOrderMattersOnTheGradingTargetOnceColumnsConflict) {
  // 8 x 128 x 128: a row of B is 8 lines, so a column of 128 lines falls in 8 sets, 16 per
  // set, and i, j, k misses on every B load; i, k, j misses each of B's 1024 lines once per i.
  auto [ijk, ikj] = MeasureBothOrders(GradingTarget(), 8, 128, 128);
  ASSERT_FALSE(ijk.buffers.empty());
  ASSERT_FALSE(ikj.buffers.empty());
  EXPECT_EQ(BufferOf(ijk, "b").misses[0], 8 * 128 * 128);
  EXPECT_EQ(BufferOf(ikj, "b").misses[0], 8 * 1024);
  EXPECT_EQ(ikj.misses[0], 8 * 1024 + 16 * 4 + 16 * 4);  // B, then A's and C's 4 KiB once
}

TEST(CostModelTest, LocalBuffersAreRegistersNotMemory) {
  Module m = MustParse(
      "kernel @rowsum(%x: f32[4, 16]) -> (%y: f32[4]) {\n"
      "  allocate %acc: f32[1] local\n"
      "  for i in 0..4 {\n"
      "    %acc[0] = 0.0\n"
      "    for r in 0..16 {\n"
      "      %acc[0] = %acc[0] + %x[i, r]\n"
      "    }\n"
      "    %y[i] = %acc[0]\n"
      "  }\n"
      "}\n");
  CostReport report = MustMeasure(m, m.functions[0], {Iota(DType::kF32, {4, 16})});
  const KernelCost& k = Kernel(report, "rowsum");
  EXPECT_EQ(k.loads, 64);   // %x only
  EXPECT_EQ(k.stores, 4);   // %y only
  EXPECT_EQ(k.local_accesses, 4 * (1 + 16 * 2 + 1));
  EXPECT_EQ(k.ops, 64);
  EXPECT_EQ(k.misses, (std::vector<int64_t>{5, 5}));  // 256 bytes of %x and 16 of %y
  ASSERT_EQ(k.buffers.size(), 2u);  // %acc is not listed
  EXPECT_EQ(k.buffers[0].buffer, "x");
  EXPECT_EQ(k.buffers[1].buffer, "y");
}

TEST(CostModelTest, VectorizedLoopOpsCountAsVectorOps) {
  Module m = MustParse(
      "kernel @axpy(%x: f32[4, 8], %y: f32[4, 8]) -> (%z: f32[4, 8], %w: f32[4]) {\n"
      "  for i in 0..4 {\n"
      "    vectorized for j in 0..8 {\n"
      "      %z[i, j] = %x[i, j] * 2.0 + %y[i, j]\n"
      "    }\n"
      "    %w[i] = %x[i, 3 - i] + 1.0\n"
      "  }\n"
      "}\n");
  CostReport report =
      MustMeasure(m, m.functions[0], {Iota(DType::kF32, {4, 8}), Iota(DType::kF32, {4, 8})});
  const KernelCost& k = Kernel(report, "axpy");
  EXPECT_EQ(k.ops, 4 * 8 * 2 + 4 * 2);    // the vector loop's mul and add; a sub and an add
  EXPECT_EQ(k.float_ops, 4 * 8 * 2 + 4);  // 3 - i is index math
  EXPECT_EQ(k.vector_ops, 4 * 8 * 2);
  EXPECT_EQ(k.loads, 4 * 8 * 2 + 4);
  EXPECT_EQ(k.stores, 4 * 8 + 4);
}

const char* kHostProgram =
    "kernel @scale(%a: f32[16]) -> (%b: f32[16]) {\n"
    "  for i in 0..16 {\n    %b[i] = %a[i] * 2.0\n  }\n}\n"
    "\n"
    "kernel @add(%a: f32[16], %b: f32[16]) -> (%c: f32[16]) {\n"
    "  for i in 0..16 {\n    %c[i] = %a[i] + %b[i]\n  }\n}\n"
    "\n"
    "func @main(%x: f32[16]) -> (%y: f32[16]) {\n"
    "  allocate %arena: i8[128]\n"
    "  view %t: f32[16] = %arena[0]\n"
    "  view %u: f32[16] = %arena[64]\n"
    "  for i in 0..16 {\n    %t[i] = %x[i]\n  }\n"
    "  call @scale(%t, %u)\n"
    "  call @scale(%u, %t)\n"
    "  call @add(%t, %u, %y)\n"
    "}\n";

TEST(CostModelTest, HostCallsAreAttributedPerKernel) {
  Module m = MustParse(kHostProgram);
  CostReport report = MustMeasure(m, *m.Entry(), {Iota(DType::kF32, {16})});
  ASSERT_EQ(report.kernels.size(), 3u);  // in the order first called
  EXPECT_EQ(report.kernels[0].kernel, "main");
  EXPECT_EQ(report.kernels[1].kernel, "scale");
  EXPECT_EQ(report.kernels[2].kernel, "add");
  EXPECT_EQ(report.outputs[0].Get(5), 6 * 5);  // t = 4x, u = 2x

  // The host's copy loop; each of %x, %t, %u, %y is one line, missed once: the cache is
  // not flushed between kernels, so @scale and @add find %t and %u cached.
  const KernelCost& main = report.kernels[0];
  EXPECT_EQ(main.calls, 1);
  EXPECT_EQ(main.ops, 0);
  EXPECT_EQ(main.loads, 16);
  EXPECT_EQ(main.stores, 16);
  EXPECT_EQ(main.misses, (std::vector<int64_t>{2, 2}));
  const KernelCost& scale = report.kernels[1];
  EXPECT_EQ(scale.calls, 2);
  EXPECT_EQ(scale.ops, 32);
  EXPECT_EQ(scale.loads, 32);
  EXPECT_EQ(scale.stores, 32);
  EXPECT_EQ(scale.misses, (std::vector<int64_t>{1, 1}));  // %u's first store
  EXPECT_EQ(BufferOf(scale, "a").loads, 32);
  EXPECT_EQ(BufferOf(scale, "b").stores, 32);
  const KernelCost& add = report.kernels[2];
  EXPECT_EQ(add.calls, 1);
  EXPECT_EQ(add.loads, 32);
  EXPECT_EQ(add.stores, 16);
  EXPECT_EQ(add.misses, (std::vector<int64_t>{1, 1}));  // %y

  EXPECT_EQ(report.total.calls, 4);
  EXPECT_EQ(report.total.ops, 48);
  EXPECT_EQ(report.total.loads, 80);
  EXPECT_EQ(report.total.stores, 64);
  EXPECT_EQ(report.total.misses, (std::vector<int64_t>{4, 4}));
}

TEST(CostModelTest, FormatCostReportNamesTargetKernelsAndBuffers) {
  Module m = MustParse(kHostProgram);
  std::string text = FormatCostReport(MustMeasure(m, *m.Entry(), {Iota(DType::kF32, {16})}));
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "cost model: grading target (L1 32 KiB 8-way, L2 512 KiB 8-way, 64 B lines)");
  for (const char* name : {"@main", "@scale", "@add", "total", "%x", "%t", "%b"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << " missing from\n" << text;
  }
  EXPECT_NE(text.find("@scale                   2          32        32        32         1"),
            std::string::npos)
      << text;
  while (std::getline(lines, line)) EXPECT_LT(line.size(), 100u) << line;
}

TEST(CostModelTest, ErrorsOfTheTargetAndTheRunAreReported) {
  Module m = MustParse(kHostProgram);
  CpuTarget bad = GradingTarget();
  bad.levels[0].ways = 0;
  std::string error;
  EXPECT_FALSE(MeasureCost(m, *m.Entry(), {Iota(DType::kF32, {16})}, bad, &error));
  EXPECT_EQ(error, "cannot simulate target 'grading': L1: size, line bytes and ways must be "
                   "positive, found 32768, 64, 0");
  EXPECT_FALSE(MeasureCost(m, *m.Entry(), {}, GradingTarget(), &error));
  EXPECT_EQ(error, "@main takes 1 inputs, given 0");
}

}  // namespace
}  // namespace tessel::loops
