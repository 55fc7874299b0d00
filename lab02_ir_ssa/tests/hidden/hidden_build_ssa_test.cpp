// lab02 hidden tests for task t4 (SSA construction): SsaBuilder on CFGs the
// public tests do not show. A trivial phi whose first operand is itself, a loop
// with three back edges, a block that loops to itself, a cascade of trivial
// phis through three nested loop headers, and a read that reaches an unsealed
// header through a chain of blocks with one predecessor each.
// The instructor's copy only: a student release leaves this folder out.
#include <gtest/gtest.h>

#include <vector>

#include "lab02_ir_ssa/tests/lab02_test_util.h"
#include "stages/ir/build_ssa.h"

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
using testing::FunctionBuilder;
using testing::I32;

Tensor BoolArg(bool value) { return Tensor::Scalar(DType::kBool, value ? 1 : 0); }

// var x = 0; var s = 0; while c { s = s + 1; } return x + s;
// with the blocks created in the order entry, latch, header, pre, exit (as a
// pass that adds a preheader might leave them). The header's predecessors are
// then [latch, pre], so the phi of x, which the loop never changes, reads
// [%x, latch], [%x0, pre]: trivial although its first operand is itself.
TEST(HiddenBuildSsaTest, TrivialPhiWhoseFirstOperandIsItself) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  ssa.WriteVariable("s", entry, f.Const(entry, "s0", 0));
  Value* one = f.Const(entry, "one", 1);
  Block* latch = f.AddBlock("latch");
  Block* header = f.AddBlock("header");
  Block* pre = f.AddBlock("pre");
  Block* exit = f.AddBlock("exit");
  f.Br(entry, pre);
  ssa.SealBlock(pre);
  f.Br(pre, header);  // the header waits for its back edge
  f.CondBr(header, f.arg(0), latch, exit);
  ssa.SealBlock(latch);
  ssa.SealBlock(exit);
  ssa.WriteVariable("s", latch,
                    f.Binary(latch, Op::kAdd, "s1", ssa.ReadVariable("s", I32(), latch), one));
  f.Br(latch, header);
  ssa.SealBlock(header);
  f.Ret(exit, f.Binary(exit, Op::kAdd, "r", ssa.ReadVariable("x", I32(), exit),
                       ssa.ReadVariable("s", I32(), exit)));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 0 : i32
  %s0 = constant 0 : i32
  %one = constant 1 : i32
  br pre
latch:
  %s1 = add %s, %one : i32
  br header
header:
  %s = phi [%s1, latch], [%s0, pre] : i32
  cond_br %c, latch, exit
pre:
  br header
exit:
  %r = add %x0, %s : i32
  ret %r
}
)");
  ExpectReturns(f, {BoolArg(false)}, 0);
}

// var i = 0; var x = 0; let n = 10;
// while i < n {
//   i = i + 1;
//   if i < 4 { continue; }
//   x = x + i;
//   if i < 7 { continue; }
//   x = x + 100;
// }
// return x;
// The header has four predecessors: the entry and three back edges. x changes
// on two of them, i on all three, n on none.
TEST(HiddenBuildSsaTest, LoopWithThreeBackEdges) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("i", entry, f.Const(entry, "i0", 0));
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  ssa.WriteVariable("n", entry, f.Const(entry, "n0", 10));
  Value* one = f.Const(entry, "one", 1);
  Value* four = f.Const(entry, "four", 4);
  Value* seven = f.Const(entry, "seven", 7);
  Value* hundred = f.Const(entry, "hundred", 100);
  Block* header = f.AddBlock("header");
  Block* body = f.AddBlock("body");
  Block* more = f.AddBlock("more");
  Block* latch = f.AddBlock("latch");
  Block* exit = f.AddBlock("exit");
  f.Br(entry, header);
  f.CondBr(header,
           f.Binary(header, Op::kLt, "go", ssa.ReadVariable("i", I32(), header),
                    ssa.ReadVariable("n", I32(), header)),
           body, exit);
  ssa.SealBlock(body);
  ssa.SealBlock(exit);
  Value* i1 = f.Binary(body, Op::kAdd, "i1", ssa.ReadVariable("i", I32(), body), one);
  ssa.WriteVariable("i", body, i1);
  f.CondBr(body, f.Binary(body, Op::kLt, "small", i1, four), header, more);
  ssa.SealBlock(more);
  Value* x1 = f.Binary(more, Op::kAdd, "x1", ssa.ReadVariable("x", I32(), more),
                       ssa.ReadVariable("i", I32(), more));
  ssa.WriteVariable("x", more, x1);
  f.CondBr(more, f.Binary(more, Op::kLt, "medium", i1, seven), header, latch);
  ssa.SealBlock(latch);
  ssa.WriteVariable("x", latch,
                    f.Binary(latch, Op::kAdd, "x2", ssa.ReadVariable("x", I32(), latch), hundred));
  f.Br(latch, header);
  ssa.SealBlock(header);
  f.Ret(exit, ssa.ReadVariable("x", I32(), exit));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %i0 = constant 0 : i32
  %x0 = constant 0 : i32
  %n0 = constant 10 : i32
  %one = constant 1 : i32
  %four = constant 4 : i32
  %seven = constant 7 : i32
  %hundred = constant 100 : i32
  br header
header:
  %i = phi [%i0, entry], [%i1, body], [%i1, more], [%i1, latch] : i32
  %x = phi [%x0, entry], [%x, body], [%x1, more], [%x2, latch] : i32
  %go = lt %i, %n0 : bool
  cond_br %go, body, exit
body:
  %i1 = add %i, %one : i32
  %small = lt %i1, %four : bool
  cond_br %small, header, more
more:
  %x1 = add %x, %i1 : i32
  %medium = lt %i1, %seven : bool
  cond_br %medium, header, latch
latch:
  %x2 = add %x1, %hundred : i32
  br header
exit:
  ret %x
}
)");
  // i = 4, 5, 6: x = 4, 9, 15; i = 7, 8, 9, 10: x = 122, 230, 339, 449.
  ExpectReturns(f, {}, 449);
}

// var x = 1; var y = 5; loop { x = x * 2 + y; } while x < 100; return x + y;
// `spin` is its own predecessor. It reads x and y before its back edge exists;
// x gets a phi with an operand from spin itself, y's phi is trivial.
TEST(HiddenBuildSsaTest, BlockThatLoopsToItself) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 1));
  ssa.WriteVariable("y", entry, f.Const(entry, "y0", 5));
  Value* two = f.Const(entry, "two", 2);
  Value* hundred = f.Const(entry, "hundred", 100);
  Block* spin = f.AddBlock("spin");
  Block* exit = f.AddBlock("exit");
  f.Br(entry, spin);
  Value* x1 = f.Binary(spin, Op::kMul, "x1", ssa.ReadVariable("x", I32(), spin), two);
  Value* x2 = f.Binary(spin, Op::kAdd, "x2", x1, ssa.ReadVariable("y", I32(), spin));
  ssa.WriteVariable("x", spin, x2);
  f.CondBr(spin, f.Binary(spin, Op::kLt, "again", x2, hundred), spin, exit);
  ssa.SealBlock(spin);
  ssa.SealBlock(exit);
  f.Ret(exit, f.Binary(exit, Op::kAdd, "r", ssa.ReadVariable("x", I32(), exit),
                       ssa.ReadVariable("y", I32(), exit)));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %x0 = constant 1 : i32
  %y0 = constant 5 : i32
  %two = constant 2 : i32
  %hundred = constant 100 : i32
  br spin
spin:
  %x = phi [%x0, entry], [%x2, spin] : i32
  %x1 = mul %x, %two : i32
  %x2 = add %x1, %y0 : i32
  %again = lt %x2, %hundred : bool
  cond_br %again, spin, exit
exit:
  %r = add %x2, %y0 : i32
  ret %r
}
)");
  ExpectReturns(f, {}, 192);  // x = 7, 19, 43, 91, 187
}

// Three nested loops, every header sealed only at the end, outermost first:
//   var x = 7; var s = 0;
//   while c { while c { while c { s = s + x; } } }   (x read in every header too)
//   return x + s;
// x is never assigned in a loop, yet each header gets an incomplete phi for it.
// Sealing h1 and then h2 leaves phi(x0, P2) and phi(P1, P3), both merging two
// values; sealing h3 makes P3 = phi(P2, P3) trivial, which makes P2 trivial,
// which makes P1 trivial: no phi of x survives. s keeps one phi per header.
TEST(HiddenBuildSsaTest, CascadeThroughThreeNestedLoopHeaders) {
  FunctionBuilder f(I32(), {{"c", Bool()}});
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 7));
  ssa.WriteVariable("s", entry, f.Const(entry, "s0", 0));
  std::vector<Block*> headers = {f.AddBlock("h1"), f.AddBlock("h2"), f.AddBlock("h3")};
  Block* body = f.AddBlock("body");
  Block* l2 = f.AddBlock("l2");  // after the inner loop: back to h2
  Block* l1 = f.AddBlock("l1");  // after the middle loop: back to h1
  Block* exit = f.AddBlock("exit");
  f.Br(entry, headers[0]);
  // Each header reads x (as a loop test would), then branches into the next level.
  std::vector<Block*> inside = {headers[1], headers[2], body};
  std::vector<Block*> after = {exit, l1, l2};
  for (int k = 0; k < 3; ++k) {
    f.Binary(headers[k], Op::kLt, "t" + std::to_string(k + 1),
             ssa.ReadVariable("x", I32(), headers[k]), ssa.ReadVariable("x", I32(), headers[k]));
    f.CondBr(headers[k], f.arg(0), inside[k], after[k]);
  }
  for (Block* block : {body, l2, l1, exit}) ssa.SealBlock(block);
  ssa.WriteVariable("s", body,
                    f.Binary(body, Op::kAdd, "s1", ssa.ReadVariable("s", I32(), body),
                             ssa.ReadVariable("x", I32(), body)));
  f.Br(body, headers[2]);
  f.Br(l2, headers[1]);
  f.Br(l1, headers[0]);
  for (Block* header : headers) ssa.SealBlock(header);
  f.Ret(exit, f.Binary(exit, Op::kAdd, "r", ssa.ReadVariable("x", I32(), exit),
                       ssa.ReadVariable("s", I32(), exit)));
  ExpectIr(f, R"(func @f(%c: bool) -> i32 {
entry:
  %x0 = constant 7 : i32
  %s0 = constant 0 : i32
  br h1
h1:
  %s = phi [%s0, entry], [%s.1, l1] : i32
  %t1 = lt %x0, %x0 : bool
  cond_br %c, h2, exit
h2:
  %s.1 = phi [%s, h1], [%s.2, l2] : i32
  %t2 = lt %x0, %x0 : bool
  cond_br %c, h3, l1
h3:
  %s.2 = phi [%s.1, h2], [%s1, body] : i32
  %t3 = lt %x0, %x0 : bool
  cond_br %c, body, l2
body:
  %s1 = add %s.2, %x0 : i32
  br h3
l2:
  br h2
l1:
  br h1
exit:
  %r = add %x0, %s : i32
  ret %r
}
)");
  ExpectPhiCount(f, 3);
}

// var x = 0; var y = 3; while x < 10 { (a) (b) (c) x = x + y; } return x;
// as header -> a -> b -> c -> header, a, b and c with one predecessor each.
// Reads in c, then in b, while the header is unsealed, go up the chain to the
// header: y gets one incomplete phi there (trivial once the header is sealed),
// and the read in b finds what the read in c recorded on the way.
TEST(HiddenBuildSsaTest, ReadsThroughAChainReachTheUnsealedHeaderOnce) {
  FunctionBuilder f(I32());
  SsaBuilder ssa(f.fn());
  Block* entry = f.AddBlock("entry");
  ssa.SealBlock(entry);
  ssa.WriteVariable("x", entry, f.Const(entry, "x0", 0));
  ssa.WriteVariable("y", entry, f.Const(entry, "y0", 3));
  Value* ten = f.Const(entry, "ten", 10);
  Block* header = f.AddBlock("header");
  Block* a = f.AddBlock("a");
  Block* b = f.AddBlock("b");
  Block* c = f.AddBlock("c");
  Block* exit = f.AddBlock("exit");
  f.Br(entry, header);  // the header waits for its back edge
  f.CondBr(header, f.Binary(header, Op::kLt, "go", ssa.ReadVariable("x", I32(), header), ten), a,
           exit);
  ssa.SealBlock(a);
  ssa.SealBlock(exit);
  f.Br(a, b);
  ssa.SealBlock(b);
  f.Br(b, c);
  ssa.SealBlock(c);
  Value* x1 =
      f.Binary(c, Op::kAdd, "x1", ssa.ReadVariable("x", I32(), c), ssa.ReadVariable("y", I32(), c));
  f.Binary(b, Op::kMul, "again", ssa.ReadVariable("x", I32(), b), ssa.ReadVariable("y", I32(), b));
  ssa.WriteVariable("x", c, x1);
  f.Br(c, header);
  ssa.SealBlock(header);
  f.Ret(exit, ssa.ReadVariable("x", I32(), exit));
  ExpectIr(f, R"(func @f() -> i32 {
entry:
  %x0 = constant 0 : i32
  %y0 = constant 3 : i32
  %ten = constant 10 : i32
  br header
header:
  %x = phi [%x0, entry], [%x1, c] : i32
  %go = lt %x, %ten : bool
  cond_br %go, a, exit
a:
  br b
b:
  %again = mul %x, %y0 : i32
  br c
c:
  %x1 = add %x, %y0 : i32
  br header
exit:
  ret %x
}
)");
  ExpectReturns(f, {}, 12);
}

}  // namespace
}  // namespace tessel
