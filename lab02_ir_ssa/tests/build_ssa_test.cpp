// lab02 task t4 (SSA construction): SsaBuilder driven the way the lowering
// drives it. Each test builds a function block by block through the C++ API,
// writes and reads its `var`s through the builder, seals blocks when their
// predecessors are known, then checks that the result verifies, holds the
// phis it must (and no others: minimal SSA where the minimum is known), that
// the right value reaches each read (the printed function), and, for loops,
// what the interpreter computes. The Tessel source each test stands for is in
// its comment. These tests use no dominator code (that is task t6).
#include "stages/ir/build_ssa.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "lab02_ir_ssa/tests/lab02_test_util.h"

namespace tessel {
namespace {

using ir::Block;
using ir::Op;
using ir::SsaBuilder;
using ir::Value;
using testing::Bool;
using testing::ExpectIr;
using testing::ExpectPhiCount;
using testing::ExpectReturns;
using testing::F32;
using testing::FunctionBuilder;
using testing::I32;

Tensor BoolArg(bool value) { return Tensor::Scalar(DType::kBool, value ? 1 : 0); }

// ------------------------------------------------------------ straight line and branches

// var x = 1; x = x + x; return x;
TEST(BuildSsaTest, StraightLineReadsTheLatestWrite) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "one", 1));
  Value* x = ssa.ReadVariable("x", I32(), entry);
  ssa.WriteVariable("x", entry, f.Binary(entry, Op::kAdd, "two", x, x));
  f.Ret(entry, ssa.ReadVariable("x", I32(), entry));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %one = constant 1 : i32
  %two = add %one, %one : i32
  ret %two
}
)");
}

// Blocks with one predecessor each: the value flows down without phis, and the
// write in the middle block hides the one in the entry.
TEST(BuildSsaTest, ChainOfSinglePredecessorsNeedsNoPhi) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  ssa.WriteVariable("y", entry, f.Const(entry, "y0", 10));
  Block* a = f.AddBlock("a");
  f.Br(entry, a);
  ssa.SealBlock(a);
  ssa.WriteVariable("x", a, f.Const(a, "x1", 1));
  Block* b = f.AddBlock("b");
  f.Br(a, b);
  ssa.SealBlock(b);
  Block* c = f.AddBlock("c");
  f.Br(b, c);
  ssa.SealBlock(c);
  Value* sum = f.Binary(c, Op::kAdd, "sum", ssa.ReadVariable("x", I32(), c),
                        ssa.ReadVariable("y", I32(), c));
  f.Ret(c, sum);
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %x0 = constant 0 : i32
  %y0 = constant 10 : i32
  br a
a:
  %x1 = constant 1 : i32
  br b
b:
  br c
c:
  %sum = add %x1, %y0 : i32
  ret %sum
}
)");
  ExpectReturns(f, {}, 11);
}

// The blocks of `if c { A } else { B }` after `entry`, sealed as the lowering
// seals them: each arm once the branch to it exists, the merge after both arms.
struct Diamond {
  Block* entry;
  Block* then;
  Block* otherwise;
  Block* merge;
};

// Builds the diamond; `then_x` and `else_x` (when not null) are the values the
// arms assign to x, as constants named x1 and x2.
Diamond BuildDiamond(FunctionBuilder& f, SsaBuilder& ssa, bool then_assigns, bool else_assigns) {
  Diamond d;
  d.entry = f.AddBlock("entry");
  ssa.SealBlock(d.entry);
  ssa.WriteVariable("x", d.entry, f.Const(d.entry, "x0", 0));
  d.then = f.AddBlock("then");
  d.otherwise = f.AddBlock("else");
  f.CondBr(d.entry, f.arg(0), d.then, d.otherwise);
  ssa.SealBlock(d.then);
  ssa.SealBlock(d.otherwise);
  if (then_assigns) ssa.WriteVariable("x", d.then, f.Const(d.then, "x1", 1));
  if (else_assigns) ssa.WriteVariable("x", d.otherwise, f.Const(d.otherwise, "x2", 2));
  d.merge = f.AddBlock("merge");
  f.Br(d.then, d.merge);
  f.Br(d.otherwise, d.merge);
  ssa.SealBlock(d.merge);
  return d;
}

// var x = 0; if c { x = 1; } else { x = 2; } return x;
TEST(BuildSsaTest, IfElseDiamondPlacesOnePhiAtTheMerge) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Diamond d = BuildDiamond(f, ssa, true, true);
  f.Ret(d.merge, ssa.ReadVariable("x", I32(), d.merge));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, then, else
then:
  %x1 = constant 1 : i32
  br merge
else:
  %x2 = constant 2 : i32
  br merge
merge:
  %x = phi [%x1, then], [%x2, else] : i32
  ret %x
}
)");
  ExpectReturns(f, {BoolArg(true)}, 1);
  ExpectReturns(f, {BoolArg(false)}, 2);
}

// var x = 0; if c { x = 1; } else { } return x;
TEST(BuildSsaTest, VariableAssignedInOneArmOnlyMergesWithTheOlderValue) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Diamond d = BuildDiamond(f, ssa, true, false);
  f.Ret(d.merge, ssa.ReadVariable("x", I32(), d.merge));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, then, else
then:
  %x1 = constant 1 : i32
  br merge
else:
  br merge
merge:
  %x = phi [%x1, then], [%x0, else] : i32
  ret %x
}
)");
  ExpectReturns(f, {BoolArg(true)}, 1);
  ExpectReturns(f, {BoolArg(false)}, 0);
}

// var x = 0; if c { } else { } return x;   -- both arms bring %x0: the phi is trivial.
TEST(BuildSsaTest, SameValueFromBothArmsNeedsNoPhi) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Diamond d = BuildDiamond(f, ssa, false, false);
  f.Ret(d.merge, ssa.ReadVariable("x", I32(), d.merge));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, then, else
then:
  br merge
else:
  br merge
merge:
  ret %x0
}
)");
}

// var x = 0; if c { x = 1; } return x;   -- the merge's predecessors are entry and then.
TEST(BuildSsaTest, IfWithoutElseMergesWithTheEntryValue) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  Block* then = f.AddBlock("then");
  Block* merge = f.AddBlock("merge");
  f.CondBr(entry, f.arg(0), then, merge);
  ssa.SealBlock(then);
  ssa.WriteVariable("x", then, f.Const(then, "x1", 1));
  f.Br(then, merge);
  ssa.SealBlock(merge);
  f.Ret(merge, ssa.ReadVariable("x", I32(), merge));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, then, merge
then:
  %x1 = constant 1 : i32
  br merge
merge:
  %x = phi [%x0, entry], [%x1, then] : i32
  ret %x
}
)");
  ExpectReturns(f, {BoolArg(true)}, 1);
  ExpectReturns(f, {BoolArg(false)}, 0);
}

// var x = 0; var y = x; if c { x = 1; } else { x = 2; } return x + y;
// Only x changes in the arms: one phi; y's read finds %x0 through a trivial phi.
TEST(BuildSsaTest, OnlyTheVariableThatChangesGetsAPhi) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Diamond d = BuildDiamond(f, ssa, true, true);
  ssa.WriteVariable("y", d.entry, ssa.ReadVariable("x", I32(), d.entry));
  Value* sum = f.Binary(d.merge, Op::kAdd, "sum", ssa.ReadVariable("x", I32(), d.merge),
                        ssa.ReadVariable("y", I32(), d.merge));
  f.Ret(d.merge, sum);
  ExpectPhiCount(f, 1);
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, then, else
then:
  %x1 = constant 1 : i32
  br merge
else:
  %x2 = constant 2 : i32
  br merge
merge:
  %x = phi [%x1, then], [%x2, else] : i32
  %sum = add %x, %x0 : i32
  ret %sum
}
)");
}

// Reading a variable twice in the merge gives the phi the first read placed.
TEST(BuildSsaTest, SecondReadInABlockReusesThePhi) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Diamond d = BuildDiamond(f, ssa, true, true);
  Value* first = ssa.ReadVariable("x", I32(), d.merge);
  Value* second = ssa.ReadVariable("x", I32(), d.merge);
  EXPECT_EQ(first, second) << "two reads with no write between must give the same value";
  f.Ret(d.merge, f.Binary(d.merge, Op::kMul, "square", first, second));
  ExpectPhiCount(f, 1);
  ExpectReturns(f, {BoolArg(false)}, 4);
}

// A merge with three predecessors: the phi has one operand per predecessor, in
// the order of Function::Predecessors (block order), each with its block.
//   entry: cond_br c, a, b     a: cond_br c, c_blk, merge     b, c_blk: br merge
TEST(BuildSsaTest, PhiOperandsFollowThePredecessorOrder) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Block* a = f.AddBlock("a");
  Block* b = f.AddBlock("b");
  Block* c = f.AddBlock("c_blk");
  Block* merge = f.AddBlock("merge");
  f.CondBr(entry, f.arg(0), a, b);
  ssa.SealBlock(b);  // sealing order differs from block order on purpose
  ssa.SealBlock(a);
  ssa.WriteVariable("x", b, f.Const(b, "xb", 20));
  f.Br(b, merge);
  ssa.WriteVariable("x", a, f.Const(a, "xa", 10));
  f.CondBr(a, f.arg(0), c, merge);
  ssa.SealBlock(c);
  ssa.WriteVariable("x", c, f.Const(c, "xc", 30));
  f.Br(c, merge);
  ssa.SealBlock(merge);
  f.Ret(merge, ssa.ReadVariable("x", I32(), merge));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  cond_br %c, a, b
a:
  %xa = constant 10 : i32
  cond_br %c, c_blk, merge
b:
  %xb = constant 20 : i32
  br merge
c_blk:
  %xc = constant 30 : i32
  br merge
merge:
  %x = phi [%xa, a], [%xb, b], [%xc, c_blk] : i32
  ret %x
}
)");
  ExpectReturns(f, {BoolArg(true)}, 30);
  ExpectReturns(f, {BoolArg(false)}, 20);
}

// ------------------------------------------------------------ loops

// The blocks of `while cond { body }` after `entry`.
struct Loop {
  Block* header;
  Block* body;
  Block* exit;
};

// var i = 0; var s = 0; while i < n { s = s + i; i = i + 1; } return s;
// With `seal_late`, every block after the entry is sealed only at the very end,
// so every read in the loop places incomplete phis first.
void BuildSumLoop(FunctionBuilder& f, SsaBuilder& ssa, int n, bool seal_late) {
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("i", entry, f.Const(entry, "i0", 0));
  ssa.WriteVariable("s", entry, f.Const(entry, "s0", 0));
  Value* limit = f.Const(entry, "n", n);
  Value* one = f.Const(entry, "one", 1);
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);  // the header is not sealed: the back edge is still missing
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header), limit);
  f.CondBr(l.header, more, l.body, l.exit);
  if (!seal_late) ssa.SealBlock(l.body);
  Value* i = ssa.ReadVariable("i", I32(), l.body);
  ssa.WriteVariable("s", l.body,
                    f.Binary(l.body, Op::kAdd, "s1", ssa.ReadVariable("s", I32(), l.body), i));
  ssa.WriteVariable("i", l.body, f.Binary(l.body, Op::kAdd, "i1", i, one));
  f.Br(l.body, l.header);
  if (!seal_late) ssa.SealBlock(l.header);
  if (!seal_late) ssa.SealBlock(l.exit);
  f.Ret(l.exit, ssa.ReadVariable("s", I32(), l.exit));
  if (!seal_late) return;
  for (Block* block : {l.header, l.body, l.exit}) ssa.SealBlock(block);
}

constexpr const char* kSumLoop = R"(func @f() -> i32 {
entry:
  %i0 = constant 0 : i32
  %s0 = constant 0 : i32
  %n = constant 10 : i32
  %one = constant 1 : i32
  br header
header:
  %i = phi [%i0, entry], [%i1, body] : i32
  %s = phi [%s0, entry], [%s1, body] : i32
  %more = lt %i, %n : bool
  cond_br %more, body, exit
body:
  %s1 = add %s, %i : i32
  %i1 = add %i, %one : i32
  br header
exit:
  ret %s
}
)";

TEST(BuildSsaTest, WhileLoopGetsOneHeaderPhiPerChangedVariable) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  BuildSumLoop(f, ssa, 10, /*seal_late=*/false);
  ExpectIr(f, kSumLoop);
}

TEST(BuildSsaTest, CountingLoopSumsZeroToNine) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  BuildSumLoop(f, ssa, 10, /*seal_late=*/false);
  ExpectReturns(f, {}, 45);
}

// Sealing every block at the end instead of as early as possible places
// incomplete phis in the body and the exit too; they all turn out trivial.
TEST(BuildSsaTest, SealingEveryBlockLateGivesTheSameFunction) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  BuildSumLoop(f, ssa, 10, /*seal_late=*/true);
  ExpectIr(f, kSumLoop);
  ExpectReturns(f, {}, 45);
}

// var i = 0; var n = 4; var s = 0; while i < n { s = s + n; i = i + 1; } return s;
// n is read in the loop but never assigned there: its header phi is trivial.
TEST(BuildSsaTest, VariableNeverAssignedInTheLoopHasNoPhi) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("i", entry, f.Const(entry, "i0", 0));
  ssa.WriteVariable("n", entry, f.Const(entry, "n0", 4));
  ssa.WriteVariable("s", entry, f.Const(entry, "s0", 0));
  Value* one = f.Const(entry, "one", 1);
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header),
                         ssa.ReadVariable("n", I32(), l.header));
  f.CondBr(l.header, more, l.body, l.exit);
  ssa.SealBlock(l.body);
  Value* s1 = f.Binary(l.body, Op::kAdd, "s1", ssa.ReadVariable("s", I32(), l.body),
                       ssa.ReadVariable("n", I32(), l.body));
  ssa.WriteVariable("s", l.body, s1);
  ssa.WriteVariable("i", l.body,
                    f.Binary(l.body, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), l.body), one));
  f.Br(l.body, l.header);
  ssa.SealBlock(l.header);
  ssa.SealBlock(l.exit);
  f.Ret(l.exit, ssa.ReadVariable("s", I32(), l.exit));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %i0 = constant 0 : i32
  %n0 = constant 4 : i32
  %s0 = constant 0 : i32
  %one = constant 1 : i32
  br header
header:
  %i = phi [%i0, entry], [%i1, body] : i32
  %s = phi [%s0, entry], [%s1, body] : i32
  %more = lt %i, %n0 : bool
  cond_br %more, body, exit
body:
  %s1 = add %s, %n0 : i32
  %i1 = add %i, %one : i32
  br header
exit:
  ret %s
}
)");
  ExpectReturns(f, {}, 16);
}

// var f = 1; var i = 1; while i <= 5 { f = f * i; i = i + 1; } return f;
TEST(BuildSsaTest, FactorialLoopComputes120) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Value* one = f.Const(entry, "one", 1);
  Value* five = f.Const(entry, "five", 5);
  ssa.WriteVariable("fact", entry, one);
  ssa.WriteVariable("i", entry, one);
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLe, "more", ssa.ReadVariable("i", I32(), l.header), five);
  f.CondBr(l.header, more, l.body, l.exit);
  ssa.SealBlock(l.body);
  Value* i = ssa.ReadVariable("i", I32(), l.body);
  ssa.WriteVariable(
      "fact", l.body,
      f.Binary(l.body, Op::kMul, "fact1", ssa.ReadVariable("fact", I32(), l.body), i));
  ssa.WriteVariable("i", l.body, f.Binary(l.body, Op::kAdd, "i1", i, one));
  f.Br(l.body, l.header);
  ssa.SealBlock(l.header);
  ssa.SealBlock(l.exit);
  f.Ret(l.exit, ssa.ReadVariable("fact", I32(), l.exit));
  ExpectPhiCount(f, 2);
  ExpectReturns(f, {}, 120);
}

// var acc: f32 = 0.0; var i = 0; while i < 4 { acc = acc + 0.5; i = i + 1; } return acc;
// Each phi has the type of its variable.
TEST(BuildSsaTest, PhisTakeTheTypeOfTheirVariable) {
  FunctionBuilder f(F32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("acc", entry, f.Const(entry, "acc0", 0, DType::kF32));
  ssa.WriteVariable("i", entry, f.Const(entry, "i0", 0));
  Value* half = f.Const(entry, "half", 0.5, DType::kF32);
  Value* one = f.Const(entry, "one", 1);
  Value* four = f.Const(entry, "four", 4);
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header), four);
  f.CondBr(l.header, more, l.body, l.exit);
  ssa.SealBlock(l.body);
  ssa.WriteVariable(
      "acc", l.body,
      f.Binary(l.body, Op::kAdd, "acc1", ssa.ReadVariable("acc", F32(), l.body), half));
  ssa.WriteVariable("i", l.body,
                    f.Binary(l.body, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), l.body), one));
  f.Br(l.body, l.header);
  ssa.SealBlock(l.header);
  ssa.SealBlock(l.exit);
  f.Ret(l.exit, ssa.ReadVariable("acc", F32(), l.exit));
  ExpectIr(f, R"(func @f() -> f32 {
entry:
  %acc0 = constant 0.0 : f32
  %i0 = constant 0 : i32
  %half = constant 0.5 : f32
  %one = constant 1 : i32
  %four = constant 4 : i32
  br header
header:
  %i = phi [%i0, entry], [%i1, body] : i32
  %acc = phi [%acc0, entry], [%acc1, body] : f32
  %more = lt %i, %four : bool
  cond_br %more, body, exit
body:
  %acc1 = add %acc, %half : f32
  %i1 = add %i, %one : i32
  br header
exit:
  ret %acc
}
)");
  ExpectReturns(f, {}, 2.0);
}

// var total = 0; var i = 0;
// while i < 4 { var j = 0; while j < 3 { total = total + i; j = j + 1; } i = i + 1; }
// return total;
// Phis: total and i in the outer header, j and total in the inner one. i is read
// in the inner loop but not assigned there, so the inner header has no phi for it.
TEST(BuildSsaTest, NestedLoopsPlacePhisOnlyForVariablesEachLoopAssigns) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Value* zero = f.Const(entry, "zero", 0);
  Value* one = f.Const(entry, "one", 1);
  Value* three = f.Const(entry, "three", 3);
  Value* four = f.Const(entry, "four", 4);
  ssa.WriteVariable("total", entry, zero);
  ssa.WriteVariable("i", entry, zero);
  Loop outer{f.AddBlock("outer"), f.AddBlock("outer_body"), f.AddBlock("done")};
  f.Br(entry, outer.header);
  Value* more_i =
      f.Binary(outer.header, Op::kLt, "more_i", ssa.ReadVariable("i", I32(), outer.header), four);
  f.CondBr(outer.header, more_i, outer.body, outer.exit);
  ssa.SealBlock(outer.body);
  ssa.WriteVariable("j", outer.body, zero);
  Loop inner{f.AddBlock("inner"), f.AddBlock("inner_body"), f.AddBlock("inner_done")};
  f.Br(outer.body, inner.header);
  Value* more_j =
      f.Binary(inner.header, Op::kLt, "more_j", ssa.ReadVariable("j", I32(), inner.header), three);
  f.CondBr(inner.header, more_j, inner.body, inner.exit);
  ssa.SealBlock(inner.body);
  Value* total =
      f.Binary(inner.body, Op::kAdd, "total1", ssa.ReadVariable("total", I32(), inner.body),
               ssa.ReadVariable("i", I32(), inner.body));
  ssa.WriteVariable("total", inner.body, total);
  ssa.WriteVariable(
      "j", inner.body,
      f.Binary(inner.body, Op::kAdd, "j1", ssa.ReadVariable("j", I32(), inner.body), one));
  f.Br(inner.body, inner.header);
  ssa.SealBlock(inner.header);
  ssa.SealBlock(inner.exit);
  ssa.WriteVariable(
      "i", inner.exit,
      f.Binary(inner.exit, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), inner.exit), one));
  f.Br(inner.exit, outer.header);
  ssa.SealBlock(outer.header);
  ssa.SealBlock(outer.exit);
  f.Ret(outer.exit, ssa.ReadVariable("total", I32(), outer.exit));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %zero = constant 0 : i32
  %one = constant 1 : i32
  %three = constant 3 : i32
  %four = constant 4 : i32
  br outer
outer:
  %i = phi [%zero, entry], [%i1, inner_done] : i32
  %total = phi [%zero, entry], [%total.1, inner_done] : i32
  %more_i = lt %i, %four : bool
  cond_br %more_i, outer_body, done
outer_body:
  br inner
done:
  ret %total
inner:
  %j = phi [%zero, outer_body], [%j1, inner_body] : i32
  %total.1 = phi [%total, outer_body], [%total1, inner_body] : i32
  %more_j = lt %j, %three : bool
  cond_br %more_j, inner_body, inner_done
inner_body:
  %total1 = add %total.1, %i : i32
  %j1 = add %j, %one : i32
  br inner
inner_done:
  %i1 = add %i, %one : i32
  br outer
}
)");
  ExpectReturns(f, {}, 18);  // 3 * (0 + 1 + 2 + 3)
}

// var i = 0; var s = 0;
// while i < 10 { if i < 3 { s = s + 10; } s = s + 1; i = i + 1; } return s;
// A phi for s where the if merges, and phis for s and i in the header.
TEST(BuildSsaTest, LoopWithAnIfAtTheStartOfItsBody) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Value* zero = f.Const(entry, "zero", 0);
  Value* one = f.Const(entry, "one", 1);
  Value* three = f.Const(entry, "three", 3);
  Value* ten = f.Const(entry, "ten", 10);
  ssa.WriteVariable("i", entry, zero);
  ssa.WriteVariable("s", entry, zero);
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header), ten);
  f.CondBr(l.header, more, l.body, l.exit);
  ssa.SealBlock(l.body);
  Value* small = f.Binary(l.body, Op::kLt, "small", ssa.ReadVariable("i", I32(), l.body), three);
  Block* bonus = f.AddBlock("bonus");
  Block* join = f.AddBlock("join");
  f.CondBr(l.body, small, bonus, join);
  ssa.SealBlock(bonus);
  ssa.WriteVariable("s", bonus,
                    f.Binary(bonus, Op::kAdd, "s1", ssa.ReadVariable("s", I32(), bonus), ten));
  f.Br(bonus, join);
  ssa.SealBlock(join);
  ssa.WriteVariable("s", join,
                    f.Binary(join, Op::kAdd, "s2", ssa.ReadVariable("s", I32(), join), one));
  ssa.WriteVariable("i", join,
                    f.Binary(join, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), join), one));
  f.Br(join, l.header);
  ssa.SealBlock(l.header);
  ssa.SealBlock(l.exit);
  f.Ret(l.exit, ssa.ReadVariable("s", I32(), l.exit));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %zero = constant 0 : i32
  %one = constant 1 : i32
  %three = constant 3 : i32
  %ten = constant 10 : i32
  br header
header:
  %i = phi [%zero, entry], [%i1, join] : i32
  %s = phi [%zero, entry], [%s2, join] : i32
  %more = lt %i, %ten : bool
  cond_br %more, body, exit
body:
  %small = lt %i, %three : bool
  cond_br %small, bonus, join
exit:
  ret %s
bonus:
  %s1 = add %s, %ten : i32
  br join
join:
  %s.1 = phi [%s, body], [%s1, bonus] : i32
  %s2 = add %s.1, %one : i32
  %i1 = add %i, %one : i32
  br header
}
)");
  ExpectReturns(f, {}, 40);
}

// var i = 0; var r = -1;
// while i < 10 { if i == 5 { r = i * 2; break; } i = i + 1; } return r;
// r is not assigned on the way around the loop (no header phi for it), but the
// exit merges the loop's normal end with the break.
TEST(BuildSsaTest, BreakOutOfALoopMergesAtTheExit) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Value* zero = f.Const(entry, "zero", 0);
  Value* one = f.Const(entry, "one", 1);
  Value* two = f.Const(entry, "two", 2);
  Value* five = f.Const(entry, "five", 5);
  Value* ten = f.Const(entry, "ten", 10);
  ssa.WriteVariable("i", entry, zero);
  ssa.WriteVariable("r", entry, f.Const(entry, "minus_one", -1));
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header), ten);
  f.CondBr(l.header, more, l.body, l.exit);
  ssa.SealBlock(l.body);
  Value* hit = f.Binary(l.body, Op::kEq, "hit", ssa.ReadVariable("i", I32(), l.body), five);
  Block* found = f.AddBlock("found");
  Block* next = f.AddBlock("next");
  f.CondBr(l.body, hit, found, next);
  ssa.SealBlock(found);
  ssa.WriteVariable("r", found,
                    f.Binary(found, Op::kMul, "r1", ssa.ReadVariable("i", I32(), found), two));
  f.Br(found, l.exit);  // break
  ssa.SealBlock(next);
  ssa.WriteVariable("i", next,
                    f.Binary(next, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), next), one));
  f.Br(next, l.header);
  ssa.SealBlock(l.header);
  ssa.SealBlock(l.exit);
  f.Ret(l.exit, ssa.ReadVariable("r", I32(), l.exit));
  ExpectPhiCount(f, 2);
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %zero = constant 0 : i32
  %one = constant 1 : i32
  %two = constant 2 : i32
  %five = constant 5 : i32
  %ten = constant 10 : i32
  %minus_one = constant -1 : i32
  br header
header:
  %i = phi [%zero, entry], [%i1, next] : i32
  %more = lt %i, %ten : bool
  cond_br %more, body, exit
body:
  %hit = eq %i, %five : bool
  cond_br %hit, found, next
exit:
  %r = phi [%minus_one, header], [%r1, found] : i32
  ret %r
found:
  %r1 = mul %i, %two : i32
  br exit
next:
  %i1 = add %i, %one : i32
  br header
}
)");
  ExpectReturns(f, {}, 10);
}

// var a = 1; var b = 2; var i = 0; while i < 3 { let t = a; a = b; b = t; i = i + 1; }
// return a * 10 + b;
// The loop assigns a and b each other's values with no new instruction: the two
// header phis use each other. After three swaps a = 2 and b = 1.
TEST(BuildSsaTest, SwapInALoopGivesPhisThatUseEachOther) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Value* one = f.Const(entry, "one", 1);
  Value* two = f.Const(entry, "two", 2);
  Value* three = f.Const(entry, "three", 3);
  Value* ten = f.Const(entry, "ten", 10);
  ssa.WriteVariable("a", entry, one);
  ssa.WriteVariable("b", entry, two);
  ssa.WriteVariable("i", entry, f.Const(entry, "zero", 0));
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header), three);
  f.CondBr(l.header, more, l.body, l.exit);
  ssa.SealBlock(l.body);
  Value* t = ssa.ReadVariable("a", I32(), l.body);
  ssa.WriteVariable("a", l.body, ssa.ReadVariable("b", I32(), l.body));
  ssa.WriteVariable("b", l.body, t);
  ssa.WriteVariable("i", l.body,
                    f.Binary(l.body, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), l.body), one));
  f.Br(l.body, l.header);
  ssa.SealBlock(l.header);
  ssa.SealBlock(l.exit);
  Value* tens = f.Binary(l.exit, Op::kMul, "tens", ssa.ReadVariable("a", I32(), l.exit), ten);
  f.Ret(l.exit, f.Binary(l.exit, Op::kAdd, "result", tens, ssa.ReadVariable("b", I32(), l.exit)));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %one = constant 1 : i32
  %two = constant 2 : i32
  %three = constant 3 : i32
  %ten = constant 10 : i32
  %zero = constant 0 : i32
  br header
header:
  %i = phi [%zero, entry], [%i1, body] : i32
  %a = phi [%one, entry], [%b, body] : i32
  %b = phi [%two, entry], [%a, body] : i32
  %more = lt %i, %three : bool
  cond_br %more, body, exit
body:
  %i1 = add %i, %one : i32
  br header
exit:
  %tens = mul %a, %ten : i32
  %result = add %tens, %b : i32
  ret %result
}
)");
  ExpectReturns(f, {}, 21);
}

// ------------------------------------------------------------ trivial phis in cascade

// The CFG of `var x = 0; while c { if c { } else { } y = x + 1; } return x;`, every
// edge in place. x is assigned only in the entry, so no phi may remain.
struct LoopWithDiamond {
  Block* entry;
  Block* header;
  Block* body;
  Block* left;
  Block* right;
  Block* join;
  Block* exit;
};

// Every block and edge but the exit's ret (instructions added later go before
// the terminators).
LoopWithDiamond BuildLoopWithDiamond(FunctionBuilder& f) {
  LoopWithDiamond g{f.AddBlock("entry"), f.AddBlock("header"), f.AddBlock("body"),
                    f.AddBlock("left"),  f.AddBlock("right"),  f.AddBlock("join"),
                    f.AddBlock("exit")};
  f.Br(g.entry, g.header);
  f.CondBr(g.header, f.arg(0), g.body, g.exit);
  f.CondBr(g.body, f.arg(0), g.left, g.right);
  f.Br(g.left, g.join);
  f.Br(g.right, g.join);
  f.Br(g.join, g.header);
  return g;
}

constexpr const char* kLoopWithDiamond = R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  %one = constant 1 : i32
  br header
header:
  cond_br %c, body, exit
body:
  cond_br %c, left, right
left:
  br join
right:
  br join
join:
  %y = add %x0, %one : i32
  br header
exit:
  ret %x0
}
)";

// Nothing is sealed until every read is done. The header's incomplete phi H
// becomes phi(%x0, P), and the join's incomplete phi P becomes phi(H, H): P is
// trivial, and replacing it by H makes H = phi(%x0, H) trivial in turn.
TEST(BuildSsaTest, RemovingATrivialPhiMakesItsUserTrivial) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  LoopWithDiamond g = BuildLoopWithDiamond(f);
  ssa.SealBlock(g.entry);
  ssa.WriteVariable("x", g.entry, f.Const(g.entry, "x0", 0));
  Value* one = f.Const(g.entry, "one", 1);
  ssa.ReadVariable("x", I32(), g.header);  // the loop condition would read x here
  f.Binary(g.join, Op::kAdd, "y", ssa.ReadVariable("x", I32(), g.join), one);
  f.Ret(g.exit, ssa.ReadVariable("x", I32(), g.exit));
  for (Block* block : {g.header, g.body, g.left, g.right, g.join, g.exit}) ssa.SealBlock(block);
  ExpectIr(f, kLoopWithDiamond);
}

// The same CFG with every block sealed before the first read. Reading x in the
// join places P there, whose operands place H = phi(%x0, P) in the header; P
// then is phi(H, H), and removing it makes H trivial: the read must return %x0,
// not H (which no longer exists).
TEST(BuildSsaTest, ReadAfterSealingEverythingSurvivesACascade) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  LoopWithDiamond g = BuildLoopWithDiamond(f);
  for (Block* block : {g.entry, g.header, g.body, g.left, g.right, g.join, g.exit}) {
    ssa.SealBlock(block);
  }
  ssa.WriteVariable("x", g.entry, f.Const(g.entry, "x0", 0));
  Value* one = f.Const(g.entry, "one", 1);
  f.Binary(g.join, Op::kAdd, "y", ssa.ReadVariable("x", I32(), g.join), one);
  ssa.ReadVariable("x", I32(), g.header);
  f.Ret(g.exit, ssa.ReadVariable("x", I32(), g.exit));
  ExpectIr(f, kLoopWithDiamond);
}

// x is assigned only in the entry, and nothing is sealed until every read is done:
//   entry: cond_br c, h, a    h: cond_br c, h, hx    hx: cond_br c, a, b    a: br b    b: ret x
// Sealing a, then b, then h completes A = phi(%x0, P) in a, B = phi(P, A) in b, and
// finally P = phi(%x0, P) in h, which is trivial. P's users are A and B; retrying A
// removes A and, through it, B, so B is gone by the time its own retry comes.
TEST(BuildSsaTest, CascadeRemovesAUserBeforeItsOwnRetry) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  Block* h = f.AddBlock("h");
  Block* hx = f.AddBlock("hx");
  Block* a = f.AddBlock("a");
  Block* b = f.AddBlock("b");
  f.CondBr(entry, f.arg(0), h, a);
  f.CondBr(h, f.arg(0), h, hx);
  f.CondBr(hx, f.arg(0), a, b);
  f.Br(a, b);
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  ssa.ReadVariable("x", I32(), h);
  ssa.ReadVariable("x", I32(), a);
  f.Ret(b, ssa.ReadVariable("x", I32(), b));
  for (Block* block : {hx, a, b, h}) ssa.SealBlock(block);
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, h, a
h:
  cond_br %c, h, hx
hx:
  cond_br %c, a, b
a:
  br b
b:
  ret %x0
}
)");
}

// var x = 0; var i = 0;
// while i < 6 { if i < 2 { x = x + 1; } else { x = x + 10; } i = i + 1; } return x;
// Every block is sealed at the end. Phis: x at the join and x and i in the header.
TEST(BuildSsaTest, IfElseInsideALoopWithLateSealing) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  Value* zero = f.Const(entry, "zero", 0);
  Value* one = f.Const(entry, "one", 1);
  Value* two = f.Const(entry, "two", 2);
  Value* six = f.Const(entry, "six", 6);
  Value* ten = f.Const(entry, "ten", 10);
  ssa.WriteVariable("x", entry, zero);
  ssa.WriteVariable("i", entry, zero);
  Loop l{f.AddBlock("header"), f.AddBlock("body"), f.AddBlock("exit")};
  Block* small = f.AddBlock("small");
  Block* big = f.AddBlock("big");
  Block* join = f.AddBlock("join");
  f.Br(entry, l.header);
  Value* more = f.Binary(l.header, Op::kLt, "more", ssa.ReadVariable("i", I32(), l.header), six);
  f.CondBr(l.header, more, l.body, l.exit);
  Value* early = f.Binary(l.body, Op::kLt, "early", ssa.ReadVariable("i", I32(), l.body), two);
  f.CondBr(l.body, early, small, big);
  ssa.WriteVariable("x", small,
                    f.Binary(small, Op::kAdd, "x1", ssa.ReadVariable("x", I32(), small), one));
  f.Br(small, join);
  ssa.WriteVariable("x", big,
                    f.Binary(big, Op::kAdd, "x2", ssa.ReadVariable("x", I32(), big), ten));
  f.Br(big, join);
  ssa.WriteVariable("i", join,
                    f.Binary(join, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), join), one));
  f.Br(join, l.header);
  f.Ret(l.exit, ssa.ReadVariable("x", I32(), l.exit));
  for (Block* block : {l.header, l.body, l.exit, small, big, join}) ssa.SealBlock(block);
  ExpectPhiCount(f, 3);
  ExpectReturns(f, {}, 42);  // 1 + 1 + 10 * 4
}

// An irreducible loop: the entry jumps into a cycle of two blocks at either one.
//   var x = 0; entry: cond_br c, l1, l2   l1: x = x + 1; br l2   l2: cond_br x < 5, l1, exit
// Each of l1 and l2 is reached from the entry and from the other, so both need a
// phi for x. l1 can be sealed only after l2 (its predecessor) is filled.
TEST(BuildSsaTest, IrreducibleLoopGetsAPhiAtEachEntry) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  Value* one = f.Const(entry, "one", 1);
  Value* five = f.Const(entry, "five", 5);
  Block* l1 = f.AddBlock("l1");
  Block* l2 = f.AddBlock("l2");
  Block* exit = f.AddBlock("exit");
  f.CondBr(entry, f.arg(0), l1, l2);
  ssa.WriteVariable("x", l1, f.Binary(l1, Op::kAdd, "x1", ssa.ReadVariable("x", I32(), l1), one));
  f.Br(l1, l2);
  ssa.SealBlock(l2);
  Value* low = f.Binary(l2, Op::kLt, "low", ssa.ReadVariable("x", I32(), l2), five);
  f.CondBr(l2, low, l1, exit);
  ssa.SealBlock(l1);
  ssa.SealBlock(exit);
  f.Ret(exit, ssa.ReadVariable("x", I32(), exit));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  %one = constant 1 : i32
  %five = constant 5 : i32
  cond_br %c, l1, l2
l1:
  %x = phi [%x0, entry], [%x.1, l2] : i32
  %x1 = add %x, %one : i32
  br l2
l2:
  %x.1 = phi [%x0, entry], [%x1, l1] : i32
  %low = lt %x.1, %five : bool
  cond_br %low, l1, exit
exit:
  ret %x.1
}
)");
  ExpectReturns(f, {BoolArg(true)}, 5);
  ExpectReturns(f, {BoolArg(false)}, 5);
}

// A read in a block whose predecessors are not all known leaves an incomplete
// phi there; SealBlock gives it its operands once the last edge exists.
TEST(BuildSsaTest, ReadBeforeSealingIsCompletedBySealBlock) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  Block* then = f.AddBlock("then");
  Block* merge = f.AddBlock("merge");
  f.CondBr(entry, f.arg(0), then, merge);
  Value* early = ssa.ReadVariable("x", I32(), merge);  // merge's predecessors are not all known
  EXPECT_FALSE(ssa.IsSealed(merge));
  f.Ret(merge, early);
  ssa.SealBlock(then);
  EXPECT_TRUE(ssa.IsSealed(then));
  ssa.WriteVariable("x", then, f.Const(then, "x1", 1));
  f.Br(then, merge);
  ssa.SealBlock(merge);
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  cond_br %c, then, merge
then:
  %x1 = constant 1 : i32
  br merge
merge:
  %x = phi [%x0, entry], [%x1, then] : i32
  ret %x
}
)");
}

// ------------------------------------------------------------ random programs

// Random programs in a tiny structured language over i32 variables v0, v1, v2:
//   v = 7;   v = v + w;   if v < 5 { ... } else { ... }   repeat 3 { ... }
// run directly and lowered through SsaBuilder the way the lowering does it, then
// run by the interpreter: both must give the same result.
struct Stmt {
  enum class Kind { kSet, kAdd, kIf, kRepeat };
  Kind kind = Kind::kSet;
  int dst = 0, a = 0, b = 0;  // variables
  int value = 0;              // kSet: the constant; kIf: the bound; kRepeat: the count
  std::vector<Stmt> then, otherwise;
};

std::vector<Stmt> RandomStmts(std::mt19937& rng, int depth) {
  std::vector<Stmt> stmts(1 + rng() % 4);
  for (Stmt& s : stmts) {
    s.kind = static_cast<Stmt::Kind>(rng() % (depth < 3 ? 4 : 2));
    s.dst = static_cast<int>(rng() % 3);
    s.a = static_cast<int>(rng() % 3);
    s.b = static_cast<int>(rng() % 3);
    s.value = static_cast<int>(rng() % (s.kind == Stmt::Kind::kRepeat ? 4 : 10));
    if (s.kind == Stmt::Kind::kIf || s.kind == Stmt::Kind::kRepeat) {
      s.then = RandomStmts(rng, depth + 1);
    }
    if (s.kind == Stmt::Kind::kIf && rng() % 2 == 0) s.otherwise = RandomStmts(rng, depth + 1);
  }
  return stmts;
}

// Runs the program on `vars`; integers wrap as in the IR.
void Run(const std::vector<Stmt>& stmts, std::vector<uint32_t>& vars) {
  for (const Stmt& s : stmts) {
    switch (s.kind) {
      case Stmt::Kind::kSet:
        vars[s.dst] = static_cast<uint32_t>(s.value);
        break;
      case Stmt::Kind::kAdd:
        vars[s.dst] = vars[s.a] + vars[s.b];
        break;
      case Stmt::Kind::kIf:
        Run(static_cast<int32_t>(vars[s.a]) < s.value ? s.then : s.otherwise, vars);
        break;
      case Stmt::Kind::kRepeat:
        for (int i = 0; i < s.value; ++i) Run(s.then, vars);
        break;
    }
  }
}

// The program as source text, `indent` spaces in.
std::string ProgramText(const std::vector<Stmt>& stmts, int indent = 0) {
  std::string pad(indent, ' '), out;
  auto var = [](int v) { return "v" + std::to_string(v); };
  for (const Stmt& s : stmts) {
    switch (s.kind) {
      case Stmt::Kind::kSet:
        out += pad + var(s.dst) + " = " + std::to_string(s.value) + ";\n";
        break;
      case Stmt::Kind::kAdd:
        out += pad + var(s.dst) + " = " + var(s.a) + " + " + var(s.b) + ";\n";
        break;
      case Stmt::Kind::kIf:
        out += pad + "if " + var(s.a) + " < " + std::to_string(s.value) + " {\n" +
               ProgramText(s.then, indent + 2) + pad + "} else {\n" +
               ProgramText(s.otherwise, indent + 2) + pad + "}\n";
        break;
      case Stmt::Kind::kRepeat:
        out += pad + "repeat " + std::to_string(s.value) + " {\n" +
               ProgramText(s.then, indent + 2) + pad + "}\n";
        break;
    }
  }
  return out;
}

// Lowers programs block by block as lab02's lowering does: each `if` and
// `repeat` makes new blocks, variables go through the SsaBuilder, and each block
// is sealed once its predecessors are known, or, with `seal_late`, at the very end.
class MiniLowering {
 public:
  MiniLowering(FunctionBuilder& f, SsaBuilder& ssa, bool seal_late)
      : f_(f), ssa_(ssa), seal_late_(seal_late) {}

  void LowerFunction(const std::vector<Stmt>& stmts) {
    current_ = f_.AddBlock("entry");
    ssa_.SealBlock(current_);
    for (int v = 0; v < 3; ++v) ssa_.WriteVariable(Var(v), current_, Const(v + 1));
    Lower(stmts);
    Value* sum = f_.Binary(current_, Op::kAdd, "", Read(0), Read(1));
    f_.Ret(current_, f_.Binary(current_, Op::kAdd, "", sum, Read(2)));
    for (Block* block : late_) ssa_.SealBlock(block);
  }

 private:
  static std::string Var(int v) { return "v" + std::to_string(v); }
  Value* Read(int v) { return ssa_.ReadVariable(Var(v), I32(), current_); }
  Value* Const(int value) { return f_.Const(current_, "", value); }
  void Seal(Block* block) {
    if (seal_late_) {
      late_.push_back(block);
    } else {
      ssa_.SealBlock(block);
    }
  }

  void Lower(const std::vector<Stmt>& stmts) {
    for (const Stmt& s : stmts) {
      switch (s.kind) {
        case Stmt::Kind::kSet:
          ssa_.WriteVariable(Var(s.dst), current_, Const(s.value));
          break;
        case Stmt::Kind::kAdd:
          ssa_.WriteVariable(Var(s.dst), current_,
                             f_.Binary(current_, Op::kAdd, "", Read(s.a), Read(s.b)));
          break;
        case Stmt::Kind::kIf:
          LowerIf(s);
          break;
        case Stmt::Kind::kRepeat:
          LowerRepeat(s);
          break;
      }
    }
  }

  void LowerIf(const Stmt& s) {
    Value* cond = f_.Binary(current_, Op::kLt, "", Read(s.a), Const(s.value));
    Block* then = f_.AddBlock("");
    Block* otherwise = f_.AddBlock("");
    Block* merge = f_.AddBlock("");
    f_.CondBr(current_, cond, then, otherwise);
    for (auto [block, body] : {std::pair{then, &s.then}, std::pair{otherwise, &s.otherwise}}) {
      Seal(block);
      current_ = block;
      Lower(*body);
      f_.Br(current_, merge);
    }
    Seal(merge);
    current_ = merge;
  }

  // repeat n { body } with a hidden counter variable, one per nesting level.
  void LowerRepeat(const Stmt& s) {
    std::string counter = "counter" + std::to_string(depth_++);
    ssa_.WriteVariable(counter, current_, Const(0));
    Block* header = f_.AddBlock("");
    Block* body = f_.AddBlock("");
    Block* exit = f_.AddBlock("");
    f_.Br(current_, header);
    current_ = header;
    Value* more =
        f_.Binary(header, Op::kLt, "", ssa_.ReadVariable(counter, I32(), header), Const(s.value));
    f_.CondBr(header, more, body, exit);
    Seal(body);
    current_ = body;
    Lower(s.then);
    Value* next =
        f_.Binary(current_, Op::kAdd, "", ssa_.ReadVariable(counter, I32(), current_), Const(1));
    ssa_.WriteVariable(counter, current_, next);
    f_.Br(current_, header);
    Seal(header);
    Seal(exit);
    current_ = exit;
    --depth_;
  }

  FunctionBuilder& f_;
  SsaBuilder& ssa_;
  bool seal_late_;
  Block* current_ = nullptr;
  std::vector<Block*> late_;
  int depth_ = 0;
};

// Lowers `count` random programs and expects each to compute what its source computes.
void CheckRandomPrograms(uint32_t seed, int count, bool seal_late) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    std::vector<Stmt> program = RandomStmts(rng, 0);
    std::vector<uint32_t> vars = {1, 2, 3};
    Run(program, vars);
    FunctionBuilder f(I32());
    SsaBuilder ssa(f.fn());
    MiniLowering(f, ssa, seal_late).LowerFunction(program);
    SCOPED_TRACE("the program (v0, v1, v2 start as 1, 2, 3; it returns v0 + v1 + v2):\n" +
                 ProgramText(program));
    ExpectReturns(f, {}, static_cast<int32_t>(vars[0] + vars[1] + vars[2]));
    if (::testing::Test::HasFailure()) return;  // one program's report is enough
  }
}

TEST(BuildSsaTest, RandomProgramsComputeWhatTheirSourceComputes) {
  CheckRandomPrograms(1, 300, /*seal_late=*/false);
}

TEST(BuildSsaTest, RandomProgramsWithEveryBlockSealedLate) {
  CheckRandomPrograms(2, 300, /*seal_late=*/true);
}

}  // namespace
}  // namespace tessel
