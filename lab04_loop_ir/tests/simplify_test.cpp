// lab04.t2: the index simplifier. Expressions are built from loop-IR text (one store's value in
// a tiny kernel), simplified with known ranges, and compared as printed text.
#include "lab04_loop_ir/tests/lab04_test_util.h"
#include "stages/loops/arith.h"
#include "stages/loops/mutator.h"

namespace tessel::lab04 {
namespace {

using loops::Interval;
using loops::VarRanges;

// The value of `%y[0] = EXPR` in a kernel with loops i (0..16), j (0..32), k (0..n), an i32
// input %n and an f32 input %x: an expression with those variables in scope.
loops::ExprPtr Expr(const std::string& text) {
  loops::Module m = ParseLoops(
      "kernel @k(%n: i32[], %x: f32[4]) -> (%y: i32[1], %z: f32[1], %b: bool[1]) {\n"
      "  for i in 0..16 {\n    for j in 0..32 {\n      for k in 0..%n[] {\n"
      "        %y[0] = 0\n        %z[0] = 0.0\n        %b[0] = true\n"
      "        " + text + "\n      }\n    }\n  }\n}\n");
  loops::ExprPtr value;
  loops::ForEachStmt(m.functions.empty() ? nullptr : m.functions[0].body, [&](const loops::Stmt& s) {
    if (s.kind == loops::Stmt::Kind::kStore) value = s.value;
  });
  return value;
}

VarRanges Ranges() { return {{"i", {0, 15}}, {"j", {0, 31}}}; }

std::string Simplified(const std::string& store, const VarRanges& ranges = Ranges()) {
  loops::ExprPtr e = Expr(store);
  return e ? loops::PrintExpr(loops::Simplify(e, ranges)) : "?";
}

TEST(SimplifyTest, FoldsConstants) {
  EXPECT_EQ(Simplified("%y[0] = (3 + 4) * 2 - 20 / 3"), "8");
  EXPECT_EQ(Simplified("%z[0] = 1.5 * 2.0 + exp(0.0)"), "4.0");
  EXPECT_EQ(Simplified("%b[0] = 3 < 4 && !(2 == 2)"), "false");
}

TEST(SimplifyTest, DoesNotFoldADivisionByZero) {
  EXPECT_EQ(Simplified("%y[0] = 7 / (2 - 2)"), "7 / 0");
}

TEST(SimplifyTest, SumsBecomeCanonicalLinearForms) {
  EXPECT_EQ(Simplified("%y[0] = i * 4 + 2 * i - i + 3 - j * 2 + 1"), "i * 5 - j * 2 + 4");
  EXPECT_EQ(Simplified("%y[0] = (i + 1) * 3 - 3 - i * 3"), "0");
  EXPECT_EQ(Simplified("%y[0] = 15 - j + 0 * i"), "15 - j");
  EXPECT_EQ(Simplified("%y[0] = j - i"), Simplified("%y[0] = 0 - i + j"));
}

TEST(SimplifyTest, DivisionOfASplitIndexRecoversTheOuterLoop) {
  EXPECT_EQ(Simplified("%y[0] = (i * 32 + j) / 32"), "i");
  EXPECT_EQ(Simplified("%y[0] = (i * 32 + j) % 32"), "j");
  EXPECT_EQ(Simplified("%y[0] = floor_div(i * 64 + j + 32, 32)"), "i * 2 + 1");
  EXPECT_EQ(Simplified("%y[0] = floor_mod(j + i * 64 + 32, 32)"), "j");
}

TEST(SimplifyTest, DivisionNeedsTheRangeToProveTheRemainder) {
  // Without the range of j, j / 32 may be anything.
  EXPECT_EQ(Simplified("%y[0] = (i * 32 + j) / 32", {}), "(i * 32 + j) / 32");
  // j + 1 reaches 32: (i * 32 + j + 1) / 32 is i + (j + 1) / 32, not i.
  EXPECT_EQ(Simplified("%y[0] = (i * 32 + j + 1) / 32"), "i + (j + 1) / 32");
}

TEST(SimplifyTest, TruncatingDivisionOfANegativeRangeIsNotFloor) {
  // i - 16 is in [-16, -1]: C's / rounds toward zero, so (i - 16) / 16 is 0 or -1.
  EXPECT_EQ(Simplified("%y[0] = (i - 16) / 16"), "(i - 16) / 16");
  EXPECT_EQ(Simplified("%y[0] = floor_div(i - 16, 16)"), "-1");
}

TEST(SimplifyTest, NothingRelyingOnAValueWhereI32ArithmeticWraps) {
  // i * 100000000 wraps for i >= 22 (the interpreter computes it in i32, as C does), so
  // dividing it back is not i: the bounds leave the i32 range and nothing is rewritten.
  VarRanges wide = {{"i", {0, 63}}};
  EXPECT_EQ(Simplified("%y[0] = i * 100000000 / 100000000", wide), "i * 100000000 / 100000000");
  EXPECT_EQ(Simplified("%b[0] = i * 100000000 < i * 100000000 + 1", wide),
            "i * 100000000 < i * 100000000 + 1");
}

TEST(SimplifyTest, MinimumAndMaximumDecidedByBounds) {
  EXPECT_EQ(Simplified("%y[0] = minimum(j, 40)"), "j");
  EXPECT_EQ(Simplified("%y[0] = maximum(i, 0)"), "i");
  EXPECT_EQ(Simplified("%y[0] = minimum(32, 100 - i * 32)", {{"i", {0, 2}}}), "32");
  EXPECT_EQ(Simplified("%y[0] = minimum(i, j)"), "minimum(i, j)");
}

TEST(SimplifyTest, ComparisonsDecidedByBounds) {
  EXPECT_EQ(Simplified("%b[0] = i * 32 + j < 512"), "true");
  EXPECT_EQ(Simplified("%b[0] = i * 32 + j < 500"), "i * 32 + j < 500");
  EXPECT_EQ(Simplified("%b[0] = j >= 32 || i < 0"), "false");
  EXPECT_EQ(Simplified("%b[0] = i - i == 0"), "true");
}

TEST(SimplifyTest, SelectOnAKnownCondition) {
  EXPECT_EQ(Simplified("%y[0] = select(j < 32, i, 0)"), "i");
  EXPECT_EQ(Simplified("%y[0] = select(%n[] < 3, j, j)"), "j");
}

TEST(SimplifyTest, FloatIdentitiesOnlyWhenExact) {
  // x + 0.0 is not x when x is -0.0; x * 1.0 is x for every float.
  EXPECT_EQ(Simplified("%z[0] = %x[i] + 0.0"), "%x[i] + 0.0");
  EXPECT_EQ(Simplified("%z[0] = %x[i] * 1.0"), "%x[i]");
  EXPECT_EQ(Simplified("%z[0] = %x[i * 2 - i]"), "%x[i]");
}

TEST(BoundsTest, IntervalsThroughArithmetic) {
  VarRanges r = Ranges();
  EXPECT_EQ(loops::BoundsOf(Expr("%y[0] = i * 32 + j"), r), (Interval{0, 511}));
  EXPECT_EQ(loops::BoundsOf(Expr("%y[0] = 15 - i"), r), (Interval{0, 15}));
  EXPECT_EQ(loops::BoundsOf(Expr("%y[0] = (i * 32 + j) / 8"), r), (Interval{0, 63}));
  EXPECT_EQ(loops::BoundsOf(Expr("%y[0] = j % 8"), r), (Interval{0, 7}));
  EXPECT_EQ(loops::BoundsOf(Expr("%y[0] = minimum(i, 4) - maximum(j, 2)"), r), (Interval{-31, 2}));
}

TEST(BoundsTest, UnknownValuesAreUnboundedOrTheirDtypesRange) {
  VarRanges r = Ranges();
  Interval n = loops::BoundsOf(Expr("%y[0] = %n[]"), r);
  EXPECT_EQ(n.lo, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(n.hi, std::numeric_limits<int32_t>::max());
  // k's loop runs to %n[]: without a range, k is any i32, and k + 1 at most one more.
  Interval k = loops::BoundsOf(Expr("%y[0] = k + 1"), {});
  EXPECT_TRUE(!k.hi.has_value() || *k.hi == int64_t{std::numeric_limits<int32_t>::max()} + 1);
}

TEST(LinearFormTest, AffineIndicesAndTheRest) {
  std::optional<loops::LinearForm> f = loops::AsLinear(Expr("%y[0] = 2 * (i + 3) - j * 4 + i"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->coefficients, (std::map<std::string, int64_t>{{"i", 3}, {"j", -4}}));
  EXPECT_EQ(f->constant, 6);
  EXPECT_TRUE(loops::AsLinear(Expr("%y[0] = i - i + 5"))->coefficients.empty());
  EXPECT_FALSE(loops::AsLinear(Expr("%y[0] = i * j")));
  EXPECT_FALSE(loops::AsLinear(Expr("%y[0] = i / 2")));
  EXPECT_FALSE(loops::AsLinear(Expr("%y[0] = %n[] + i")));
}

TEST(ProveTest, ProvesWhatTheRangesImplyAndNothingElse) {
  EXPECT_TRUE(loops::ProveTrue(Expr("%b[0] = i * 2 + 1 <= 31"), Ranges()));
  EXPECT_FALSE(loops::ProveTrue(Expr("%b[0] = i * 2 + 1 <= 30"), Ranges()));
  EXPECT_FALSE(loops::ProveTrue(Expr("%b[0] = k < 10"), Ranges()));
}

TEST(SimplifyStmtTest, LoopRangesAreUsedAndGuardsThatAlwaysHoldGo) {
  loops::Module m = ParseLoops(
      "kernel @k(%x: f32[64]) -> (%y: f32[64]) {\n  for io in 0..4 {\n    for ii in 0..16 {\n"
      "      if io * 16 + ii < 64 {\n        %y[(io * 16 + ii) / 16 * 16 + (io * 16 + ii) % 16] = "
      "%x[io * 16 + ii]\n      }\n    }\n  }\n}\n");
  ASSERT_FALSE(m.functions.empty());
  m.functions[0].body = loops::Simplify(m.functions[0].body);
  ExpectChecks(m, R"(
    CHECK: for io in 0..4 {
    CHECK-NEXT: for ii in 0..16 {
    CHECK-NEXT: %y[io * 16 + ii] = %x[io * 16 + ii]
  )");
}

TEST(SimplifyStmtTest, GuardsThatMayFailStayAndLoopsOfExtentOneStay) {
  loops::Module m = ParseLoops(
      "kernel @k(%x: f32[60]) -> (%y: f32[64]) {\n  for io in 0..4 {\n    for ii in 0..16 {\n"
      "      %y[io * 16 + ii] = 0.0\n      if io * 16 + ii < 60 {\n        for u in 0..1 {\n"
      "          %y[io * 16 + ii + u] = %x[io * 16 + ii + u * 0]\n        }\n      }\n    }\n  }\n}\n");
  ASSERT_FALSE(m.functions.empty());
  m.functions[0].body = loops::Simplify(m.functions[0].body);
  ExpectChecks(m, R"(
    CHECK: if io * 16 + ii < 60 {
    CHECK-NEXT: for u in 0..1 {
    CHECK-NEXT: %y[io * 16 + ii + u] = %x[io * 16 + ii]
  )");
  std::vector<Tensor> out = RunFirst(m);
  ASSERT_EQ(out.size(), 1u);
}

TEST(SimplifyStmtTest, LetsCarryTheirRangeToLaterStatements) {
  loops::Module m = ParseLoops(
      "kernel @k(%x: f32[8]) -> (%y: f32[8]) {\n  for i in 0..8 {\n    let t = i % 8\n"
      "    if t < 8 {\n      %y[t] = %x[t]\n    }\n  }\n}\n");
  ASSERT_FALSE(m.functions.empty());
  m.functions[0].body = loops::Simplify(m.functions[0].body);
  ExpectChecks(m, "CHECK: let t = i\nCHECK-NOT: if\nCHECK: %y[t] = %x[t]");
}

}  // namespace
}  // namespace tessel::lab04
