// lab03.t3: dead code elimination and global value numbering (README §3.3).
#include "lab03_graph_opts/tests/lab03_test_util.h"

namespace tessel::lab03 {
namespace {

TEST(DeadCodeTest, UnusedValuesGo) {
  opt::PassContext stats;
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %a = exp %x : f32[4]
  %b = neg %a : f32[4]
  %c = constant 2.0 : f32
  %d = abs %x : f32[4]
  ret %d
}
)", {"dce"}, &stats);
  ASSERT_TRUE(after);
  EXPECT_EQ(stats.stats.Get("ops removed"), 3);
  ExpectChecks(*after, "CHECK: entry:\nCHECK-NEXT: abs %x\nCHECK-NEXT: ret");
}

TEST(DeadCodeTest, DeadPhiCycleGoes) {
  // %p and %q only use each other: both have users, neither is needed.
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %zero = constant 0 : i32
  %n = constant 3 : i32
  %one = constant 1 : i32
  br loop
loop:
  %i = phi [%zero, entry], [%i.1, loop] : i32
  %p = phi [%x, entry], [%q, loop] : f32[4]
  %q = exp %p : f32[4]
  %i.1 = add %i, %one : i32
  %c = lt %i.1, %n : bool
  cond_br %c, loop, exit
exit:
  ret %x
}
)", {"dce"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 1) << "only the counter's phi is live\n"
                                            << ir::PrintModule(*after);
  EXPECT_EQ(Count(*after, ir::Op::kExp), 0);
}

TEST(DeadCodeTest, ValuesBranchesNeedStay) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %s: f32) -> f32[4] {
entry:
  %z = constant 0.0 : f32
  %c = gt %s, %z : bool
  cond_br %c, yes, no
yes:
  %a = exp %x : f32[4]
  ret %a
no:
  ret %x
}
)", {"dce"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kGt), 1);
  EXPECT_EQ(Count(*after, ir::Op::kExp), 1);
}

TEST(DeadCodeTest, ExamplesKeepTheirResults) {
  for (std::string name : {"transformer", "lstm"}) {
    auto before = Example(name);
    auto after = Example(name);
    ASSERT_TRUE(before && after);
    RunPasses(*after, {"inline", "unroll", "simplify-cfg", "dce"});
    ExpectSameResults(*before, *after, name == "transformer" ? "transformer_block" : name, 1);
  }
}

TEST(GvnTest, RepeatedComputationIsReused) {
  opt::PassContext stats;
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %y: f32[4]) -> f32[4] {
entry:
  %a = mul %x, %y : f32[4]
  %b = mul %x, %y : f32[4]
  %c = add %a, %b : f32[4]
  ret %c
}
)", {"gvn"}, &stats);
  ASSERT_TRUE(after);
  EXPECT_EQ(stats.stats.Get("values reused"), 1);
  ExpectChecks(*after, "CHECK: %[[A:[a-z0-9.]+]] = mul %x, %y\nCHECK-NOT: mul\nCHECK: add %[[A]], %[[A]]");
}

TEST(GvnTest, CommutativeOperandsInEitherOrder) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %y: f32[4]) -> f32[4] {
entry:
  %a = add %x, %y : f32[4]
  %b = add %y, %x : f32[4]
  %c = sub %x, %y : f32[4]
  %d = sub %y, %x : f32[4]
  %e = mul %a, %b : f32[4]
  %f = mul %c, %d : f32[4]
  %g = add %e, %f : f32[4]
  ret %g
}
)", {"gvn"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kAdd), 2) << "add is commutative";
  EXPECT_EQ(Count(*after, ir::Op::kSub), 2) << "sub is not";
}

TEST(GvnTest, AttributesArePartOfTheKey) {
  auto after = RunAndCompare(R"(func @main(%x: f32[3, 4]) -> f32[3, 4] {
entry:
  %a = reduce_sum %x {axes = [0], keepdims = true} : f32[1, 4]
  %b = reduce_sum %x {axes = [0], keepdims = true} : f32[1, 4]
  %c = reduce_max %x {axes = [0], keepdims = true} : f32[1, 4]
  %d = reduce_sum %x {axes = [1], keepdims = true} : f32[3, 1]
  %e = add %a, %b : f32[1, 4]
  %f = add %e, %c : f32[1, 4]
  %g = add %x, %f : f32[3, 4]
  %h = add %g, %d : f32[3, 4]
  ret %h
}
)", {"gvn"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kReduceSum), 2);
  EXPECT_EQ(Count(*after, ir::Op::kReduceMax), 1);
}

TEST(GvnTest, EqualConstantsAreOneValue) {
  auto after = RunAndCompare(R"(func @main(%x: f32[2]) -> f32[2] {
entry:
  %a = constant [1.0, 2.0] : f32[2]
  %b = constant [1.0, 2.0] : f32[2]
  %c = constant [2.0, 1.0] : f32[2]
  %d = mul %x, %a : f32[2]
  %e = mul %d, %b : f32[2]
  %f = mul %e, %c : f32[2]
  ret %f
}
)", {"gvn"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kConstant), 2);
}

TEST(GvnTest, ComprehensionBodiesArePartOfTheKey) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 4]) -> f32[4, 4] {
entry:
  %a = comprehension(%x) [i: 0..4, j: 0..4] assign [] (read %x j i) : f32[4, 4]
  %b = comprehension(%x) [p: 0..4, q: 0..4] assign [] (read %x q p) : f32[4, 4]
  %c = comprehension(%x) [i: 0..4, j: 0..4] assign [] (read %x i j) : f32[4, 4]
  %d = add %a, %b : f32[4, 4]
  %e = add %d, %c : f32[4, 4]
  ret %e
}
)", {"gvn"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kComprehension), 2)
      << "%a and %b differ only in their index names; %c reads another element";
}

TEST(GvnTest, OnlyDominatingValuesAreReused) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %c: bool) -> f32[4] {
entry:
  cond_br %c, yes, no
yes:
  %a = exp %x : f32[4]
  br join
no:
  %b = exp %x : f32[4]
  br join
join:
  %j = phi [%a, yes], [%b, no] : f32[4]
  %k = exp %x : f32[4]
  %r = add %j, %k : f32[4]
  ret %r
}
)", {"gvn"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kExp), 3) << "no exp dominates another";
}

TEST(GvnTest, ValueInADominatingBlockIsReused) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %c: bool) -> f32[4] {
entry:
  %a = exp %x : f32[4]
  cond_br %c, yes, no
yes:
  %b = exp %x : f32[4]
  br join
no:
  br join
join:
  %j = phi [%b, yes], [%a, no] : f32[4]
  %k = exp %x : f32[4]
  %r = add %j, %k : f32[4]
  ret %r
}
)", {"gvn"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kExp), 1);
}

TEST(GvnTest, TransformerKeepsEveryContractionAndLosesDuplicates) {
  auto before = Example("transformer");
  auto plain = Example("transformer");
  auto numbered = Example("transformer");
  ASSERT_TRUE(before && plain && numbered);
  RunPasses(*plain, {"inline", "unroll", "simplify-cfg", "dce"});
  opt::PassContext stats = RunPasses(*numbered, {"inline", "unroll", "simplify-cfg", "gvn", "dce"});
  ExpectSameResults(*before, *numbered, "transformer_block", 1);
  // The q, k and v projections read the same input with different weights: none may merge.
  EXPECT_EQ(Count(*numbered, ir::Op::kMatMul), Count(*plain, ir::Op::kMatMul));
  EXPECT_EQ(Count(*numbered, ir::Op::kComprehension), Count(*plain, ir::Op::kComprehension));
  // The inlined prelude repeats its constants (the two layer norms' epsilons, ...).
  EXPECT_GT(stats.stats.Get("values reused"), 0);
  EXPECT_LT(Count(*numbered, ir::Op::kConstant), Count(*plain, ir::Op::kConstant));
}

}  // namespace
}  // namespace tessel::lab03
