// lab04.t4: producer/consumer primitives. Bounds inference gives the box a loop needs;
// compute_inline, compute_at, cache_read and cache_write move or copy computation with it,
// always computing what the kernel computed before.
#include "lab04_loop_ir/tests/lab04_test_util.h"
#include "stages/loops/cost_model.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::lab04 {
namespace {

// A blur: %t = 2 * %x, then %y[i, j] = %t[i, j] + %t[i, j + 1] + %t[i, j + 2].
const std::string kBlur =
    "kernel @blur(%x: f32[8, 10]) -> (%y: f32[8, 8]) {\n  allocate %t: f32[8, 10]\n"
    "  for i in 0..8 {\n    for j in 0..10 {\n      %t[i, j] = %x[i, j] * 2.0\n    }\n  }\n"
    "  for yi in 0..8 {\n    for yj in 0..8 {\n"
    "      %y[yi, yj] = %t[yi, yj] + %t[yi, yj + 1] + %t[yi, yj + 2]\n    }\n  }\n}\n";

// A reduction producer: %s[i] = sum_k %x[i, k], consumed twice.
const std::string kRowSums =
    "kernel @rows(%x: f32[6, 5]) -> (%y: f32[6]) {\n  allocate %s: f32[6]\n"
    "  for i in 0..6 {\n    %s[i] = 0.0\n    for k in 0..5 {\n      %s[i] = %s[i] + %x[i, k]\n"
    "    }\n  }\n  for o in 0..6 {\n    %y[o] = %s[o] * %s[o]\n  }\n}\n";

std::string Text(const loops::ExprPtr& e) { return loops::PrintExpr(e); }

TEST(InferRegionTest, AStencilNeedsThreeColumnsPerIteration) {
  loops::Module m = ParseLoops(kBlur);
  const loops::Function& f = m.functions[0];
  const loops::Stmt* yj = loops::FindLoop(f.body, "yj");
  loops::Region r = loops::InferRegion(f, *yj, "t", true, false, "test");
  ASSERT_EQ(r.min.size(), 2u);
  EXPECT_EQ(Text(r.min[0]), "yi");
  EXPECT_EQ(Text(r.extent[0]), "1");
  EXPECT_EQ(Text(r.min[1]), "yj");
  EXPECT_EQ(Text(r.extent[1]), "3");
  const loops::Stmt* yi = loops::FindLoop(f.body, "yi");
  loops::Region rows = loops::InferRegion(f, *yi, "t", true, false, "test");
  EXPECT_EQ(Text(rows.min[1]), "0");
  EXPECT_EQ(Text(rows.extent[1]), "10");
}

TEST(InferRegionTest, WritesAndClippingToTheBuffer) {
  loops::Module m = ParseLoops(Matmul(10, 6, 4));
  ASSERT_EQ(loops::ApplyScheduleText(m, "matmul", "split i 4 -> io ii"), "");
  const loops::Function& f = m.functions[0];
  loops::Region r = loops::InferRegion(f, *loops::FindLoop(f.body, "io"), "C", false, true, "test");
  EXPECT_EQ(Text(r.min[0]), "io * 4");
  // The last tile is 2 rows (rows 8 and 9): the box is clipped to the buffer.
  EXPECT_EQ(Text(r.extent[0]), "minimum(io * 4 + 3, 9) - io * 4 + 1");
  EXPECT_EQ(Text(r.extent[1]), "6");
}

TEST(InferRegionTest, RefusesIndicesThatAreNotAffine) {
  std::string gather =
      "kernel @g(%x: f32[16], %i: i32[4]) -> (%y: f32[4]) {\n  for o in 0..4 {\n"
      "    for u in 0..4 {\n      %y[u] = %x[%i[u] * u]\n    }\n  }\n}\n";
  EXPECT_EQ(ScheduleError(gather, "cache_read %x o -> %xc"),
            "cache_read: cannot bound the region of %x it needs: index %i[u] * u is not affine "
            "in the loops inside");
}

// ------------------------------------------------------------ compute_inline

TEST(ComputeInlineTest, TheProducerDisappearsIntoItsReads) {
  loops::Module m = ExpectScheduleKeepsResults(kBlur, "compute_inline %t");
  ExpectChecks(m, R"(
    CHECK-NOT: allocate
    CHECK: %y[yi, yj] = %x[yi, yj] * 2.0 + %x[yi, yj + 1] * 2.0 + %x[yi, yj + 2] * 2.0
  )");
}

TEST(ComputeInlineTest, RefusesReductionsAndParameters) {
  EXPECT_EQ(ScheduleError(kRowSums, "compute_inline %s"),
            "compute_inline: %s is stored to 2 times; only a buffer computed by one store of an "
            "expression inlines");
  EXPECT_EQ(ScheduleError(kBlur, "compute_inline %x"),
            "compute_inline: %x is a parameter of @blur; this primitive works on a buffer the "
            "kernel allocates");
}

TEST(ComputeInlineTest, RefusesWhenWhatTheProducerReadsChangesBeforeTheRead) {
  std::string overwritten =
      "kernel @k(%a: f32[8]) -> (%p: f32[8]) {\n  allocate %s: f32[8]\n  allocate %t: f32[8]\n"
      "  for i in 0..8 {\n    %s[i] = %a[i]\n  }\n  for j in 0..8 {\n    %t[j] = %s[j]\n  }\n"
      "  for k in 0..8 {\n    %s[k] = 2.0\n  }\n  for m in 0..8 {\n    %p[m] = %t[m]\n  }\n}\n";
  EXPECT_EQ(ScheduleError(overwritten, "compute_inline %t"),
            "compute_inline: %s is written after %t is computed and before it is read; the "
            "moved code would see the new value");
  EXPECT_EQ(ScheduleError(overwritten, "compute_at %t m"),
            "compute_at: %s is written after %t is computed and before it is read; the moved "
            "code would see the new value");
}

// ---------------------------------------------------------------- compute_at

TEST(ComputeAtTest, ComputesOneRowPerConsumerRow) {
  loops::Module m = ExpectScheduleKeepsResults(kBlur, "compute_at %t yi");
  ExpectChecks(m, R"(
    CHECK: for yi in 0..8 {
    CHECK-NEXT: for i in 0..1 {
    CHECK-NEXT: for j in 0..10 {
    CHECK-NEXT: %t[i + yi, j] = %x[i + yi, j] * 2.0
    CHECK: for yj in 0..8 {
  )");
}

TEST(ComputeAtTest, ComputesThreeElementsPerConsumerElement) {
  loops::Module m = ExpectScheduleKeepsResults(kBlur, "compute_at %t yj");
  ExpectChecks(m, "CHECK: for yj in 0..8 {\nCHECK-NEXT: for i in 0..1 {\nCHECK-NEXT: for j in 0..3 {");
}

TEST(ComputeAtTest, MovesAWholeReductionWithItsInitialization) {
  loops::Module m = ExpectScheduleKeepsResults(kRowSums, "compute_at %s o");
  ExpectChecks(m, R"(
    CHECK: for o in 0..6 {
    CHECK-NEXT: for i in 0..1 {
    CHECK-NEXT: %s[i + o] = 0.0
    CHECK-NEXT: for k in 0..5 {
  )");
}

TEST(ComputeAtTest, RefusesAConsumerThatRunsFirstOrReadsOutsideTheLoop) {
  std::string first =
      "kernel @k(%x: f32[4]) -> (%y: f32[4]) {\n  allocate %t: f32[4]\n  for a in 0..4 {\n"
      "    %y[a] = %x[a]\n  }\n  for i in 0..4 {\n    %t[i] = %y[i] + 1.0\n  }\n"
      "  for b in 0..4 {\n    %y[b] = %t[b]\n  }\n}\n";
  EXPECT_EQ(ScheduleError(first, "compute_at %t a"), "compute_at: loop a runs before %t is computed");
  std::string twice =
      "kernel @k(%x: f32[4]) -> (%y: f32[4], %z: f32[4]) {\n  allocate %t: f32[4]\n"
      "  for i in 0..4 {\n    %t[i] = %x[i] + 1.0\n  }\n  for a in 0..4 {\n    %y[a] = %t[a]\n  }\n"
      "  for b in 0..4 {\n    %z[b] = %t[b]\n  }\n}\n";
  EXPECT_EQ(ScheduleError(twice, "compute_at %t a"), "compute_at: %t is also read outside loop a");
  EXPECT_EQ(ScheduleError(kBlur, "compute_at %t j"),
            "compute_at: loop j is inside the loops computing %t");
}

// ---------------------------------------------------------------- cache_read

TEST(CacheReadTest, CopiesTheRowALoopReads) {
  loops::Module m = ExpectScheduleKeepsResults(kBlur, "cache_read %t yi -> %row");
  ExpectChecks(m, R"(
    CHECK: for yi in 0..8 {
    CHECK-NEXT: allocate %row: f32[1, 10] local
    CHECK: %row[row.i0, row.i1] = %t[row.i0 + yi, row.i1]
    CHECK: %y[yi, yj] = %row[0, yj] + %row[0, yj + 1] + %row[0, yj + 2]
  )");
}

TEST(CacheReadTest, ALargeCopyIsGlobalAndAllocatedOnce) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(8, 16, 12), "cache_read %B i -> %Bc");
  ExpectChecks(m, "CHECK: kernel @matmul\nCHECK-NEXT: allocate %Bc: f32[12, 16]\nCHECK: for i in 0..8 {");
}

TEST(CacheReadTest, ALargeCopyInAParallelLoopIsPrivateToEachIteration) {
  // Allocated once above the parallel loop, every thread would overwrite the others' copy.
  loops::Module m = ExpectScheduleKeepsResults(Matmul(8, 16, 12), "parallel i\ncache_read %B i -> %Bc");
  ExpectChecks(m, "CHECK: parallel for i in 0..8 {\nCHECK-NEXT: allocate %Bc: f32[12, 16]");
}

TEST(CacheReadTest, RefusesABufferTheLoopWrites) {
  EXPECT_EQ(ScheduleError(Matmul(4, 4, 4), "cache_read %C k -> %Cc"),
            "cache_read: loop k writes %C, so a copy would go stale");
}

// --------------------------------------------------------------- cache_write

TEST(CacheWriteTest, AccumulatesInALocalAndWritesBackOnce) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(6, 5, 7), "cache_write %C j -> %acc");
  ExpectChecks(m, R"(
    CHECK: for j in 0..5 {
    CHECK-NEXT: allocate %acc: f32[1, 1] local
    CHECK-NEXT: %acc[0, 0] = 0.0
    CHECK-NEXT: for k in 0..7 {
    CHECK-NEXT: %acc[0, 0] = %acc[0, 0] + %A[i, k] * %B[k, j]
    CHECK: %C[{{.*}}] = %acc[acc.i0, acc.i1]
  )");
}

TEST(CacheWriteTest, ARowOfAccumulatorsAcrossTheReduction) {
  loops::Module m = ExpectScheduleKeepsResults(
      Matmul(12, 12, 5), "distribute j; reorder k j.1; split i 4 -> io ii; cache_write %C ii -> %row");
  ExpectChecks(m, "CHECK: allocate %row: f32[1, 12] local\nCHECK: %row[0, j] = 0.0\nCHECK: %row[0, j.1] = %row[0, j.1] +");
}

TEST(CacheWriteTest, ABatchOfOneIsABoxTheStoresCover) {
  // A loop of one iteration (a batch of 1) makes the box's extent n + 1 with n in [0, 0]: one
  // element, covered by the store at n, so nothing is copied in before the write-back.
  loops::Module m = ExpectScheduleKeepsResults(
      "kernel @k(%x: f32[1, 4, 6], %w: f32[4, 3]) -> (%o: f32[1, 4, 6]) {\n  for n in 0..1 {\n"
      "    for a in 0..4 {\n      for v in 0..6 {\n        %o[n, a, v] = 0.0\n        for c in 0..3 {\n"
      "          %o[n, a, v] = %o[n, a, v] + %x[n, a, v] * %w[a, c]\n        }\n      }\n    }\n  }\n}\n",
      "cache_write %o a -> %acc");
  ExpectChecks(m, "CHECK: allocate %acc: f32[1, 1, 6] local\nCHECK-NOT: = %o[\nCHECK: %o[{{.*}}] = %acc[");
}

TEST(CacheReadTest, PeelRefusesALoopThatAllocatesACache) {
  // peel (given) copies a loop's body; a cache allocated in it would be allocated twice.
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 4), "cache_read %B i -> %Bc; peel i"),
            "peel: loop i allocates %Bc in its body, which a copy would allocate twice (peel before "
            "cache_read, cache_write or compute_at)");
}

TEST(CacheWriteTest, RefusesStoresUnderAGuard) {
  // 10 rows split by 4: the last tile's stores are guarded, and an unguarded write-back would
  // write rows that do not exist in this tile.
  EXPECT_EQ(ScheduleError(Matmul(10, 12, 5), "split i 4 -> io ii; cache_write %C ii -> %row"),
            "cache_write: %C is stored under a condition inside loop ii (a guarded tail); cache "
            "it at a loop outside the guard");
}

TEST(CacheWriteTest, CopiesInWhatTheLoopReadsBeforeWriting) {
  // The loop over k updates %C without initializing it: the cache starts as a copy.
  loops::Module m = ExpectScheduleKeepsResults(Matmul(4, 6, 3), "distribute j; cache_write %C j.1 -> %acc");
  ExpectChecks(m, "CHECK: %acc[acc.i0, acc.i1] = %C[\nCHECK: %acc[0, 0] = %acc[0, 0] +");
}

TEST(CacheWriteTest, RefusesALoopThatDoesNotWrite) {
  EXPECT_EQ(ScheduleError(Matmul(4, 4, 4), "cache_write %A i -> %Ac"),
            "cache_write: loop i does not write %A");
}

// --------------------------------------------------------- the cost model

int64_t L1Misses(const loops::Module& m) {
  std::string error;
  auto cost = loops::MeasureCost(m, m.functions[0], Inputs(m.functions[0], 0), loops::GradingTarget(), &error);
  EXPECT_TRUE(cost) << error;
  return cost ? cost->total.misses[0] : 0;
}

// The handout's GEMM (§2): strips of 32 columns of %B, i inside them. The rows of a strip are
// 512 bytes apart, so they fall in 8 of the 64 sets of the L1 cache and evict each other:
// tiling alone does not cut the misses. Packing the strip into a contiguous buffer does:
// the reference's schedule below has 7767 L1 misses; within 1.5x of it passes.
TEST(PackedGemmCostTest, PackingTheStripCutsTheMisses) {
  constexpr int64_t kReferenceL1Misses = 7767;
  const std::string tiled =
      "distribute j; reorder k j.1; distribute i; split j.1 32 -> jo ji; reorder jo i.1 k";
  loops::Module without = ExpectScheduleKeepsResults(Matmul(128, 128, 128), tiled);
  loops::Module with = ExpectScheduleKeepsResults(Matmul(128, 128, 128), tiled + "; cache_read %B jo -> %Bp");
  int64_t misses_without = L1Misses(without), misses_with = L1Misses(with);
  EXPECT_LE(misses_with * 2, kReferenceL1Misses * 3) << "packed: " << misses_with;
  EXPECT_GE(misses_without, 10 * misses_with) << "tiled only: " << misses_without << ", packed: " << misses_with;
}

TEST(PackedGemmCostTest, AccumulatingInRegistersRemovesTheOutputsTraffic) {
  loops::Module plain = ExpectScheduleKeepsResults(Matmul(16, 64, 32), "distribute j; reorder k j.1");
  loops::Module cached = ExpectScheduleKeepsResults(Matmul(16, 64, 32),
                                                    "distribute j; reorder k j.1; split j.1 8 -> jo ji; "
                                                    "reorder jo k; cache_write %C jo -> %acc");
  std::string error;
  auto a = loops::MeasureCost(plain, plain.functions[0], Inputs(plain.functions[0], 0), loops::GradingTarget(), &error);
  auto b = loops::MeasureCost(cached, cached.functions[0], Inputs(cached.functions[0], 0), loops::GradingTarget(), &error);
  ASSERT_TRUE(a && b) << error;
  // %C: the initialization's store, then a load and a store per multiply-add; with the
  // accumulators, the initialization, one load in and one store out per element.
  auto c_of = [](const loops::KernelCost& k) {
    for (const loops::BufferCost& buffer : k.buffers) {
      if (buffer.buffer == "C") return buffer.loads + buffer.stores;
    }
    return int64_t{-1};
  };
  EXPECT_EQ(c_of(a->kernels[0]), 16 * 64 + 2 * 16 * 64 * 32);
  EXPECT_EQ(c_of(b->kernels[0]), 3 * 16 * 64);
}

}  // namespace
}  // namespace tessel::lab04
