// lab03.t1: inlining, full unrolling, CFG simplification (README §3.1).
#include "lab03_graph_opts/tests/lab03_test_util.h"

namespace tessel::lab03 {
namespace {

constexpr std::string_view kCallTwice = R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %a = call @double(%x) : f32[4]
  %b = call @double(%a) : f32[4]
  ret %b
}

func @double(%v: f32[4]) -> f32[4] {
entry:
  %d = add %v, %v : f32[4]
  ret %d
}
)";

TEST(InlineCallsTest, ReplacesEveryCallAndRemovesTheCallee) {
  auto after = RunAndCompare(kCallTwice, {"inline"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kCall), 0);
  EXPECT_EQ(after->functions().size(), 1u) << ir::PrintModule(*after);
  EXPECT_EQ(after->FindFunction("double"), nullptr);
}

TEST(InlineCallsTest, CalleeArgumentsBecomeTheCallOperands) {
  auto after = RunAndCompare(kCallTwice, {"inline"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK-LABEL: func @main(%x: f32[4])
CHECK: %[[D1:[a-z0-9.]+]] = add %x, %x
CHECK: add %[[D1]], %[[D1]]
CHECK-NOT: call
)");
}

TEST(InlineCallsTest, NestedCallsAreInlinedTransitively) {
  auto after = RunAndCompare(R"(func @main(%x: f32[2, 3]) -> f32[2, 3] {
entry:
  %y = call @outer(%x) : f32[2, 3]
  ret %y
}

func @outer(%a: f32[2, 3]) -> f32[2, 3] {
entry:
  %b = call @inner(%a) : f32[2, 3]
  %c = mul %b, %a : f32[2, 3]
  ret %c
}

func @inner(%p: f32[2, 3]) -> f32[2, 3] {
entry:
  %q = exp %p : f32[2, 3]
  ret %q
}
)", {"inline"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kCall), 0);
  EXPECT_EQ(after->functions().size(), 1u);
  EXPECT_EQ(Count(*after, ir::Op::kExp), 1);
}

TEST(InlineCallsTest, CalleeWithTwoReturnsJoinsThemInAPhi) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %c: bool) -> f32[4] {
entry:
  %y = call @pick(%x, %c) : f32[4]
  %z = neg %y : f32[4]
  ret %z
}

func @pick(%v: f32[4], %c: bool) -> f32[4] {
entry:
  cond_br %c, yes, no
yes:
  %e = exp %v : f32[4]
  ret %e
no:
  ret %v
}
)", {"inline"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kCall), 0);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 1) << ir::PrintModule(*after);
  EXPECT_EQ(Count(*after, ir::Op::kRet), 1);
}

TEST(InlineCallsTest, InstructionsAfterTheCallKeepTheirSuccessorsPhis) {
  // The call sits in a block that branches to a join with a phi: after the split, the phi's
  // incoming block must be the block that now ends in that branch.
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %c: bool) -> f32[4] {
entry:
  cond_br %c, left, right
left:
  %a = call @sq(%x) : f32[4]
  br join
right:
  %b = neg %x : f32[4]
  br join
join:
  %j = phi [%a, left], [%b, right] : f32[4]
  ret %j
}

func @sq(%v: f32[4]) -> f32[4] {
entry:
  %s = mul %v, %v : f32[4]
  ret %s
}
)", {"inline"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kCall), 0);
}

TEST(InlineCallsTest, EveryExampleHasNoCallsLeft) {
  for (const std::string& name : ExampleNames()) {
    auto module = Example(name);
    ASSERT_TRUE(module);
    RunPasses(*module, {"inline"});
    EXPECT_EQ(Count(*module, ir::Op::kCall), 0) << name;
    EXPECT_EQ(module->functions().size(), 1u) << name;
  }
}

// for i in 0..3 { acc = acc + x * i }, as lab02 lowers it.
constexpr std::string_view kLoop = R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %zero = constant 0 : i32
  %n = constant 3 : i32
  br loop
loop:
  %i = phi [%zero, entry], [%next, body] : i32
  %acc = phi [%x, entry], [%acc.1, body] : f32[4]
  %c = lt %i, %n : bool
  cond_br %c, body, exit
body:
  %f = cast %i : f32
  %t = mul %x, %f : f32[4]
  %acc.1 = add %acc, %t : f32[4]
  %one = constant 1 : i32
  %next = add %i, %one : i32
  br loop
exit:
  ret %acc
}
)";

TEST(UnrollLoopsTest, ConstantTripCountLoopLeavesNoPhi) {
  opt::PassContext stats;
  auto after = RunAndCompare(kLoop, {"unroll"}, &stats);
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 0) << ir::PrintModule(*after);
  EXPECT_EQ(stats.stats.Get("loops unrolled"), 1);
  EXPECT_EQ(stats.stats.Get("iterations"), 3);
}

TEST(UnrollLoopsTest, OneCopyOfTheBodyPerIteration) {
  auto after = RunAndCompare(kLoop, {"unroll"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kMul), 3);
  EXPECT_EQ(Count(*after, ir::Op::kCondBr), 0);
}

TEST(UnrollLoopsTest, ZeroTripLoopKeepsTheInitialValues) {
  std::string text(kLoop);
  text.replace(text.find("constant 3"), 10, "constant 0");
  auto after = RunAndCompare(text, {"unroll"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kMul), 0);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 0);
}

TEST(UnrollLoopsTest, StepAndStartOtherThanZeroAndOne) {
  std::string text(kLoop);
  text.replace(text.find("constant 0 : i32"), 16, "constant 2 : i32");
  text.replace(text.find("constant 3"), 10, "constant 9");
  text.replace(text.find("constant 1 : i32"), 16, "constant 3 : i32");
  opt::PassContext stats;
  auto after = RunAndCompare(text, {"unroll"}, &stats);  // i = 2, 5, 8
  ASSERT_TRUE(after);
  EXPECT_EQ(stats.stats.Get("iterations"), 3);
}

TEST(UnrollLoopsTest, LoopWithARuntimeBoundStays) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %n: i32) -> f32[4] {
entry:
  %zero = constant 0 : i32
  br loop
loop:
  %i = phi [%zero, entry], [%next, body] : i32
  %acc = phi [%x, entry], [%acc.1, body] : f32[4]
  %c = lt %i, %n : bool
  cond_br %c, body, exit
body:
  %acc.1 = add %acc, %x : f32[4]
  %one = constant 1 : i32
  %next = add %i, %one : i32
  br loop
exit:
  ret %acc
}
)", {"unroll"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 2);
}

TEST(UnrollLoopsTest, NestedLoopsUnrollInsideOut) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %zero = constant 0 : i32
  %two = constant 2 : i32
  %one = constant 1 : i32
  br outer
outer:
  %i = phi [%zero, entry], [%i.1, outer_latch] : i32
  %a = phi [%x, entry], [%b.out, outer_latch] : f32[4]
  %ci = lt %i, %two : bool
  cond_br %ci, inner_pre, exit
inner_pre:
  br inner
inner:
  %j = phi [%zero, inner_pre], [%j.1, inner_body] : i32
  %b = phi [%a, inner_pre], [%b.1, inner_body] : f32[4]
  %cj = lt %j, %two : bool
  cond_br %cj, inner_body, outer_latch
inner_body:
  %b.1 = mul %b, %x : f32[4]
  %j.1 = add %j, %one : i32
  br inner
outer_latch:
  %b.out = add %b, %x : f32[4]
  %i.1 = add %i, %one : i32
  br outer
exit:
  ret %a
}
)", {"unroll"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 0) << ir::PrintModule(*after);
  EXPECT_EQ(Count(*after, ir::Op::kMul), 4);
}

TEST(UnrollLoopsTest, IfInsideTheBodyIsCopiedWithItsPhi) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %flag: bool) -> f32[4] {
entry:
  %zero = constant 0 : i32
  %n = constant 2 : i32
  br loop
loop:
  %i = phi [%zero, entry], [%next, join] : i32
  %h = phi [%x, entry], [%h.2, join] : f32[4]
  %c = lt %i, %n : bool
  cond_br %c, body, exit
body:
  %z = tanh %h : f32[4]
  cond_br %flag, then, else
then:
  %s = add %h, %z : f32[4]
  br join
else:
  br join
join:
  %h.2 = phi [%s, then], [%z, else] : f32[4]
  %one = constant 1 : i32
  %next = add %i, %one : i32
  br loop
exit:
  ret %h
}
)", {"unroll"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 2) << ir::PrintModule(*after);
  EXPECT_EQ(Count(*after, ir::Op::kTanh), 2);
}

TEST(SimplifyCfgTest, BranchOnAConstantBecomesOneBlock) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %t = constant true : bool
  cond_br %t, yes, no
yes:
  %a = exp %x : f32[4]
  br join
no:
  %b = neg %x : f32[4]
  br join
join:
  %j = phi [%a, yes], [%b, no] : f32[4]
  ret %j
}
)", {"simplify-cfg"});
  ASSERT_TRUE(after);
  const ir::Function& main = *after->functions().front();
  EXPECT_EQ(main.blocks().size(), 1u) << ir::PrintModule(*after);
  EXPECT_EQ(Count(main, ir::Op::kPhi), 0);
  EXPECT_EQ(Count(main, ir::Op::kNeg), 0);
}

TEST(SimplifyCfgTest, BranchOnAComparisonOfConstantsFolds) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %i = constant 2 : i32
  %one = constant 1 : i32
  %k = add %i, %one : i32
  %z = constant 0 : i32
  %c = eq %k, %z : bool
  cond_br %c, yes, no
yes:
  br join
no:
  %b = neg %x : f32[4]
  br join
join:
  %j = phi [%x, yes], [%b, no] : f32[4]
  ret %j
}
)", {"simplify-cfg"});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->functions().front()->blocks().size(), 1u) << ir::PrintModule(*after);
}

TEST(SimplifyCfgTest, UnreachableBlocksAndTheirPhiOperandsGo) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %c: bool) -> f32[4] {
entry:
  cond_br %c, a, b
a:
  br join
b:
  br join
dead:
  %d = exp %x : f32[4]
  br join
join:
  %j = phi [%x, a], [%x, b], [%d, dead] : f32[4]
  ret %j
}
)", {"simplify-cfg"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kExp), 0);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 0) << "phi [%x, a], [%x, b] is trivial\n"
                                            << ir::PrintModule(*after);
}

TEST(SimplifyCfgTest, ChainOfBlocksMerges) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %a = exp %x : f32[4]
  br one
one:
  %b = neg %a : f32[4]
  br two
two:
  %c = abs %b : f32[4]
  ret %c
}
)", {"simplify-cfg"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: entry:
CHECK-NEXT: exp
CHECK-NEXT: neg
CHECK-NEXT: abs
CHECK-NEXT: ret
CHECK-NOT: one:
)");
}

TEST(SimplifyCfgTest, RealBranchesStay) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %c: bool) -> f32[4] {
entry:
  cond_br %c, yes, no
yes:
  %a = exp %x : f32[4]
  br join
no:
  br join
join:
  %j = phi [%a, yes], [%x, no] : f32[4]
  ret %j
}
)", {"simplify-cfg"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kCondBr), 1);
  EXPECT_EQ(Count(*after, ir::Op::kPhi), 1);
}

TEST(OneBlockTest, EveryExampleBecomesOneBlock) {
  for (const std::string& name : ExampleNames()) {
    auto before = Example(name);
    auto after = Example(name);
    ASSERT_TRUE(before && after);
    RunPasses(*after, Cleanup());
    const ir::Function& entry = *after->functions().front();
    EXPECT_EQ(entry.blocks().size(), 1u) << name << ":\n" << ir::PrintModule(*after);
    EXPECT_EQ(Count(entry, ir::Op::kPhi), 0) << name;
    ExpectSameResults(*before, *after, EntryOf(*before), 1);
  }
}

}  // namespace
}  // namespace tessel::lab03
