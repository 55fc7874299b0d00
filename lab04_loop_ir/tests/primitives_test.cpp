// lab04.t3: loop primitives and their legality. Every accepted schedule must leave a verified
// kernel computing what it computed before; every refused one must say why, exactly.
#include <random>

#include "lab04_loop_ir/tests/lab04_test_util.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/primitives.h"

namespace tessel::lab04 {
namespace {

const std::string kAdd2d =
    "kernel @add(%a: f32[12, 10], %b: f32[10]) -> (%c: f32[12, 10]) {\n  for i in 0..12 {\n"
    "    for j in 0..10 {\n      %c[i, j] = %a[i, j] + %b[j]\n    }\n  }\n}\n";

// A 1-d recurrence: each element reads the one before it (a dependence of distance 1 on %s).
const std::string kWavefront =
    "kernel @wave(%x: f32[6, 8]) -> (%s: f32[6, 8]) {\n  for i in 0..6 {\n    for j in 0..8 {\n"
    "      %s[i, j] = %x[i, j]\n    }\n  }\n  for p in 0..5 {\n    for q in 0..7 {\n"
    "      %s[p + 1, q] = %s[p + 1, q] + %s[p, q + 1]\n    }\n  }\n}\n";

// ---------------------------------------------------------------- split

TEST(SplitTest, ADividingFactorNeedsNoGuard) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(16, 12, 8), "split i 4 -> io ii");
  ExpectChecks(m, R"(
    CHECK: for io in 0..4 {
    CHECK-NEXT: for ii in 0..4 {
    CHECK-NEXT: for j in 0..12 {
    CHECK-NEXT: %C[io * 4 + ii, j] = 0.0
    CHECK-NOT: if
  )");
}

TEST(SplitTest, ANonDividingFactorGuardsTheTail) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(10, 12, 8), "split i 4 -> io ii");
  ExpectChecks(m, "CHECK: for io in 0..3 {\nCHECK-NEXT: for ii in 0..4 {\nCHECK-NEXT: if io * 4 + ii < 10 {");
}

TEST(SplitTest, SplittingTwiceAndTheReductionLoop) {
  ExpectScheduleKeepsResults(Matmul(16, 12, 9), "split k 4 -> ko ki; split ki 2 -> kio kii; split j 5 -> jo ji");
}

TEST(SplitTest, RefusesTakenNamesAndUnknownLoops) {
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "split i 4 -> j ii"), "split: 'j' is already a name in @matmul");
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "split z 4 -> zo zi"),
            "split: no loop 'z' in @matmul (its loops: i, j, k)");
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "split i 4 -> a a"), "split: the two new loops need different names");
}

TEST(SplitTest, AnExtentReadFromMemoryIsEvaluatedOnce) {
  // The body overwrites %o[0], which the loop's extent read once, before the loop: the split's
  // guard must compare with that value, not read %o[0] again.
  loops::Module m = ExpectScheduleKeepsResults(
      "kernel @k(%a: i32[8]) -> (%o: i32[8]) {\n  for j in 0..8 {\n    %o[j] = %a[j]\n  }\n"
      "  %o[0] = 8\n  for i in 0..%o[0] {\n    %o[i] = 2\n  }\n}\n",
      "split i 3 -> io ii");
  ExpectChecks(m, "CHECK: let {{.*}} = %o[0]\nCHECK: for io in 0..");
}

// ----------------------------------------------------------------- fuse

TEST(FuseTest, PerfectlyNestedLoopsFuseIntoOne) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "fuse i j -> ij");
  ExpectChecks(m, "CHECK: for ij in 0..120 {\nCHECK-NEXT: %c[ij / 10, ij % 10] = %a[ij / 10, ij % 10] + %b[ij % 10]");
}

TEST(FuseTest, SplitThenFuseRestoresTheIndex) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "split j 5 -> jo ji; fuse jo ji -> j2");
  ExpectChecks(m, "CHECK: for j2 in 0..10 {\nCHECK-NEXT: %c[i, j2] = %a[i, j2] + %b[j2]");
}

TEST(FuseTest, RefusesLoopsThatAreNotPerfectlyNested) {
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "fuse j k -> jk"),
            "fuse: loop k is not the only statement of loop j's body (fuse needs perfectly nested "
            "loops, the outer one first)");
}

// -------------------------------------------------------------- reorder

TEST(ReorderTest, InterchangingSpatialLoopsIsAlwaysLegal) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "reorder j i");
  ExpectChecks(m, "CHECK: for j in 0..10 {\nCHECK-NEXT: for i in 0..12 {");
}

TEST(ReorderTest, ReductionLoopsMoveOutOnceTheInitializationIsDistributed) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(8, 16, 6), "distribute j; reorder k j.1");
  ExpectChecks(m, R"(
    CHECK: for i in 0..8 {
    CHECK-NEXT: for j in 0..16 {
    CHECK-NEXT: %C[i, j] = 0.0
    CHECK: for k in 0..6 {
    CHECK-NEXT: for j.1 in 0..16 {
    CHECK-NEXT: %C[i, j.1] = %C[i, j.1] + %A[i, k] * %B[k, j.1]
  )");
}

TEST(ReorderTest, RefusesLoopsWithStatementsBetweenThem) {
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "reorder k j"),
            "reorder: loop j holds more than the next loop (reorder needs perfectly nested loops; "
            "distribute j first)");
}

TEST(ReorderTest, RefusesToReverseADependence) {
  // %s[p + 1, q] reads %s[p, q + 1]: distance (1, -1). Interchanging p and q would read
  // elements before they are written.
  EXPECT_EQ(ScheduleError(kWavefront, "reorder q p"),
            "reorder: the new order reverses a dependence on %s (p <, q >)");
  ExpectScheduleKeepsResults(kWavefront, "split q 4 -> qo qi");
}

TEST(ReorderTest, TilingIsSplitsAndAReorder) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "tile i j 4 5 -> io jo ii ji");
  ExpectChecks(m, R"(
    CHECK: for io in 0..3 {
    CHECK-NEXT: for jo in 0..2 {
    CHECK-NEXT: for ii in 0..4 {
    CHECK-NEXT: for ji in 0..5 {
  )");
}

// ----------------------------------------------------------------- peel
// peel (given, stages/loops/peel.cpp) uses the learner's Simplify to prove the split's guard.

TEST(PeelTest, ASplitsTailBecomesAShortCopyAfterAGuardFreeLoop) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "split i 5 -> io ii; peel io");
  ExpectChecks(m, R"(
    CHECK: for io in 0..2 {
    CHECK-NEXT: for ii in 0..5 {
    CHECK-NEXT: for j in 0..10 {
    CHECK-NEXT: %c[io * 5 + ii, j] = %a[io * 5 + ii, j] + %b[j]
    CHECK: for ii.tail in 0..2 {
    CHECK-NEXT: for j.tail in 0..10 {
    CHECK-NEXT: %c[ii.tail + 10, j.tail] = %a[ii.tail + 10, j.tail] + %b[j.tail]
  )");
  ExpectChecks(m, "CHECK-NOT: if");
}

TEST(PeelTest, ThePeeledNestIsPerfectSoItReorders) {
  EXPECT_EQ(ScheduleError(kAdd2d, "split i 5 -> io ii; reorder io j ii"),
            "reorder: loop ii holds more than the next loop (reorder needs perfectly nested loops; "
            "distribute ii first)");
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "split i 5 -> io ii; peel io; reorder io j ii; "
                                                       "parallel io; vectorize j.tail");
  ExpectChecks(m, R"(
    CHECK: parallel for io in 0..2 {
    CHECK-NEXT: for j in 0..10 {
    CHECK-NEXT: for ii in 0..5 {
    CHECK: for ii.tail in 0..2 {
    CHECK-NEXT: vectorized for j.tail in 0..10 {
  )");
}

TEST(PeelTest, ARecurrenceKeepsItsOrder) {
  // The last iteration runs after the others, as it did: a carried dependence is kept.
  ExpectScheduleKeepsResults(kWavefront, "peel p; split q 3 -> qo qi; peel qo");
  ExpectScheduleKeepsResults(Matmul(10, 7, 9), "split k 4 -> ko ki; peel ko; split i 3 -> io ii; peel io");
}

TEST(PeelTest, RefusesWhatItCannotCopy) {
  EXPECT_EQ(ScheduleError(kAdd2d, "vectorize j; peel j"),
            "peel: loop j is already vectorized; peel it before marking it");
  EXPECT_EQ(ScheduleError(kAdd2d, "split i 12 -> io ii; peel io"),
            "peel: loop io runs 1 iteration(s); peeling needs at least two");
  EXPECT_EQ(ScheduleError(kAdd2d, "peel z"), "peel: no loop 'z' in @add (its loops: i, j)");
}

// ----------------------------------------------------------- distribute

TEST(DistributeTest, InitializationUpdateAndEpilogueEachGetALoop) {
  std::string gemm_relu =
      "kernel @k(%A: f32[4, 5], %B: f32[5, 6]) -> (%C: f32[4, 6]) {\n  for i in 0..4 {\n"
      "    for j in 0..6 {\n      %C[i, j] = 0.0\n      for k in 0..5 {\n"
      "        %C[i, j] = %C[i, j] + %A[i, k] * %B[k, j]\n      }\n      %C[i, j] = relu(%C[i, j])\n"
      "    }\n  }\n}\n";
  loops::Module m = ExpectScheduleKeepsResults(gemm_relu, "distribute j");
  ExpectChecks(m, "CHECK: for j in 0..6 {\nCHECK: for j.1 in 0..6 {\nCHECK: for j.2 in 0..6 {");
}

TEST(DistributeTest, ForwardDependencesBetweenStatementsAreKept) {
  // Iteration t of the second statement reads what the first wrote at iteration t - 1: after
  // distribution the first loop has written all of %y before the second reads it.
  std::string forward =
      "kernel @k(%x: f32[9]) -> (%y: f32[9], %z: f32[8]) {\n  %y[0] = 0.0\n  for t in 0..8 {\n"
      "    %y[t + 1] = %x[t] * 2.0\n    %z[t] = %y[t] + 1.0\n  }\n}\n";
  loops::Module m = ExpectScheduleKeepsResults(forward, "distribute t");
  ExpectChecks(m, "CHECK: for t in 0..8 {\nCHECK: for t.1 in 0..8 {\nCHECK-NEXT: %z[t.1] = %y[t.1] + 1.0");
}

TEST(DistributeTest, RefusesADependenceFromALaterStatementBackToAnEarlierOne) {
  // Iteration t of the second statement reads %y[t + 1] before the first statement overwrites
  // it at iteration t + 1: distributing would make it read the new value.
  std::string backward =
      "kernel @k(%x: f32[9]) -> (%y: f32[9], %z: f32[8]) {\n  for i in 0..9 {\n    %y[i] = %x[i]\n  }\n"
      "  for t in 0..8 {\n    %y[t] = %y[t] * 2.0\n    %z[t] = %y[t + 1]\n  }\n}\n";
  EXPECT_EQ(ScheduleError(backward, "distribute t"),
            "distribute: a later statement of loop t feeds an earlier one across its iterations (on %y)");
}

// ----------------------------------------------------------- annotations

TEST(ParallelTest, SpatialLoopsRunInParallel) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(8, 8, 8), "parallel i");
  ExpectChecks(m, "CHECK: parallel for i in 0..8 {");
}

TEST(ParallelTest, TheOuterLoopOfASplitRunsInParallel) {
  // i = io * 4 + ii: two iterations of io never touch one row, since ii stays in 0..3. The
  // inner loops' values are one-sided ranges (0..3), not distances (-3..3): with distances,
  // io * 4 + ii = io' * 4 + ii' looks solvable for io' = io + 1.
  loops::Module m = ExpectScheduleKeepsResults(Matmul(8, 8, 8), "split i 4 -> io ii; parallel io");
  ExpectChecks(m, "CHECK: parallel for io in 0..2 {");
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "split k 4 -> ko ki; parallel ko"),
            "parallel: loop ko carries the reduction into %C");
}

TEST(ParallelTest, RefusesTheReductionLoop) {
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "parallel k"),
            "parallel: loop k carries the reduction into %C");
}

TEST(ParallelTest, RefusesALoopCarriedDependence) {
  EXPECT_EQ(ScheduleError(kWavefront, "parallel p"), "parallel: loop p carries a dependence on %s");
  // Within one p, the q iterations touch different rows for writing and reading: q carries
  // nothing (the wavefront's inner loop is parallel).
  ExpectScheduleKeepsResults(kWavefront, "parallel q");
}

TEST(VectorizeTest, TheInnermostContiguousLoop) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "split j 5 -> jo ji; vectorize ji");
  ExpectChecks(m, "CHECK: vectorized for ji in 0..5 {");
}

TEST(VectorizeTest, RefusesUnknownExtentsLoopsInsideAndReductions) {
  std::string dynamic =
      "kernel @k(%n: i32[], %x: f32[16]) -> (%y: f32[16]) {\n  for i in 0..16 {\n    %y[i] = 0.0\n  }\n"
      "  for k in 0..minimum(%n[], 16) {\n    %y[k] = %x[k]\n  }\n}\n";
  EXPECT_EQ(ScheduleError(dynamic, "vectorize k"),
            "vectorize: loop k has extent minimum(%n[], 16), not known at compile time");
  EXPECT_EQ(ScheduleError(kAdd2d, "vectorize i"), "vectorize: loop i contains loop j; vectorize an innermost loop");
  EXPECT_EQ(ScheduleError(Matmul(8, 8, 8), "vectorize k"), "vectorize: loop k carries the reduction into %C");
}

TEST(UnrollTest, ConstantExtentsOnly) {
  loops::Module m = ExpectScheduleKeepsResults(Matmul(4, 4, 4), "unroll k");
  ExpectChecks(m, "CHECK: unrolled for k in 0..4 {");
  EXPECT_EQ(ScheduleError(Matmul(4, 4, 4), "unroll k; unroll k"), "unroll: loop k is already unrolled");
}

TEST(BindTest, GpuAxesAreParallelLoops) {
  loops::Module m = ExpectScheduleKeepsResults(kAdd2d, "bind i gpu.block.x; bind j gpu.thread.x");
  ExpectChecks(m, "CHECK: gpu.block.x for i in 0..12 {\nCHECK-NEXT: gpu.thread.x for j in 0..10 {");
  EXPECT_EQ(ScheduleError(Matmul(4, 4, 4), "bind k gpu.thread.x"),
            "bind: loop k carries the reduction into %C");
}

// ------------------------------------------------------------ dependences

TEST(DependenceTest, MatmulsReductionIsCarriedByKOnly) {
  loops::Module m = ParseLoops(Matmul(4, 4, 4));
  const loops::Stmt* i = loops::FindLoop(m.functions[0].body, "i");
  const loops::Stmt* j = loops::FindLoop(m.functions[0].body, "j");
  std::vector<loops::Dependence> deps = loops::ComputeDependences({i, j});
  ASSERT_FALSE(deps.empty());
  for (const loops::Dependence& d : deps) {
    EXPECT_EQ(d.buffer, "C");
    EXPECT_EQ(d.directions, (std::vector<char>{'=', '='})) << "i and j carry nothing";
  }
  const loops::Stmt* k = loops::FindLoop(m.functions[0].body, "k");
  bool reduction = false;
  for (const loops::Dependence& d : loops::ComputeDependences({k})) {
    reduction = reduction || (d.reduction && d.directions[0] == '*');
  }
  EXPECT_TRUE(reduction) << "the update of %C[i, j] in every k is a reduction carried by k";
}

TEST(DependenceTest, ConstantDistancesGiveDirections) {
  loops::Module m = ParseLoops(kWavefront);
  const loops::Stmt* p = loops::FindLoop(m.functions[0].body, "p");
  const loops::Stmt* q = loops::FindLoop(m.functions[0].body, "q");
  bool found = false;
  for (const loops::Dependence& d : loops::ComputeDependences({p, q})) {
    found = found || d.directions == std::vector<char>{'<', '>'} || d.directions == std::vector<char>{'>', '<'};
  }
  EXPECT_TRUE(found) << "the read of %s[p, q + 1] and the write of %s[p + 1, q]: distance (1, -1)";
}

TEST(DependenceTest, DisjointElementsAreIndependent) {
  std::string even_odd =
      "kernel @k(%x: f32[16]) -> (%y: f32[16]) {\n  for i in 0..8 {\n    %y[i * 2] = %x[i]\n"
      "    %y[i * 2 + 1] = %y[i * 2] + 1.0\n  }\n}\n";
  loops::Module m = ParseLoops(even_odd);
  const loops::Stmt* i = loops::FindLoop(m.functions[0].body, "i");
  for (const loops::Dependence& d : loops::ComputeDependences({i})) {
    EXPECT_EQ(d.directions[0], '=') << "even and odd elements never meet across iterations";
  }
  ExpectScheduleKeepsResults(even_odd, "parallel i");
}

// Random legal schedules on a GEMM with an epilogue: whatever the primitives accept keeps the
// results (and the verifier happy); what they refuse is refused with a message, never a crash.
TEST(RandomScheduleTest, WhateverIsAcceptedKeepsTheResults) {
  std::string gemm =
      "kernel @k(%A: f32[10, 7], %B: f32[7, 9], %b: f32[9]) -> (%C: f32[10, 9]) {\n"
      "  for i in 0..10 {\n    for j in 0..9 {\n      %C[i, j] = 0.0\n      for k in 0..7 {\n"
      "        %C[i, j] = %C[i, j] + %A[i, k] * %B[k, j]\n      }\n"
      "      %C[i, j] = maximum(%C[i, j] + %b[j], 0.0)\n    }\n  }\n}\n";
  std::mt19937 rng(4);
  const char* kinds[] = {"split", "reorder", "fuse", "parallel", "vectorize", "unroll", "distribute", "peel"};
  int accepted = 0;
  for (int trial = 0; trial < 40; ++trial) {
    loops::Module m = ParseLoops(gemm);
    std::vector<Tensor> before = RunFirst(m);
    for (int step = 0; step < 4; ++step) {
      std::vector<std::string> loops_now;
      loops::ForEachStmt(m.functions[0].body, [&](const loops::Stmt& s) {
        if (s.kind == loops::Stmt::Kind::kFor) loops_now.push_back(s.var);
      });
      auto pick = [&]() { return loops_now[rng() % loops_now.size()]; };
      std::string kind = kinds[rng() % 8], text;
      std::string fresh = "t" + std::to_string(trial) + "_" + std::to_string(step);
      if (kind == "split") text = "split " + pick() + " " + std::to_string(2 + rng() % 4) + " -> " + fresh + "o " + fresh + "i";
      if (kind == "reorder") text = "reorder " + pick() + " " + pick();
      if (kind == "fuse") text = "fuse " + pick() + " " + pick() + " -> " + fresh + "f";
      if (kind == "parallel" || kind == "vectorize" || kind == "unroll" || kind == "distribute" || kind == "peel") text = kind + " " + pick();
      std::string error = loops::ApplyScheduleText(m, "k", text);
      if (error.empty()) ++accepted;
      EXPECT_TRUE(error.empty() || error.find("error: ") != std::string::npos) << error;
      EXPECT_EQ(error.find("bug in"), std::string::npos) << error;
    }
    ExpectVerifies(m);
    std::vector<Tensor> after = RunFirst(m);
    ASSERT_EQ(after.size(), 1u);
    ExpectClose(after[0], before[0], "after random schedule " + std::to_string(trial));
  }
  EXPECT_GT(accepted, 40) << "most random steps should apply";
}

}  // namespace
}  // namespace tessel::lab04
