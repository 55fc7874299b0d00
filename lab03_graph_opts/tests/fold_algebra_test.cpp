// lab03.t2: constant folding and algebraic simplification (README §3.2).
#include "lab03_graph_opts/tests/lab03_test_util.h"

namespace tessel::lab03 {
namespace {

std::string Unary(std::string_view body, std::string_view type = "f32[4]") {
  return "func @main(%x: " + std::string(type) + ") -> " + std::string(type) +
         " {\nentry:\n" + std::string(body) + "}\n";
}

TEST(FoldConstantsTest, ArithmeticOnConstantsFolds) {
  auto after = RunAndCompare(Unary(R"(  %a = constant [1.0, 2.0, 3.0, 4.0] : f32[4]
  %b = constant 2.0 : f32
  %c = mul %a, %b : f32[4]
  %d = add %x, %c : f32[4]
  ret %d
)"), {"fold-constants"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kMul), 0);
  ExpectChecks(*after, "CHECK: constant [2.0, 4.0, 6.0, 8.0] : f32[4]\nCHECK: add %x");
}

TEST(FoldConstantsTest, ChainsFoldInOneRun) {
  opt::PassContext stats;
  auto after = RunAndCompare(Unary(R"(  %a = constant 3.0 : f32
  %b = exp %a : f32
  %c = neg %b : f32
  %d = sqrt %b : f32
  %e = add %c, %d : f32
  %f = add %x, %e : f32[4]
  ret %f
)"), {"fold-constants"}, &stats);
  ASSERT_TRUE(after);
  EXPECT_EQ(stats.stats.Get("constants folded"), 4);
  EXPECT_EQ(Count(*after, ir::Op::kAdd), 1);
}

TEST(FoldConstantsTest, StructuralOpsFold) {
  auto after = RunAndCompare(Unary(R"(  %a = constant [[1.0, 2.0], [3.0, 4.0]] : f32[2, 2]
  %t = transpose %a {perm = [1, 0]} : f32[2, 2]
  %r = reshape %t : f32[4]
  %y = mul %x, %r : f32[4]
  ret %y
)"), {"fold-constants"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: constant [1.0, 3.0, 2.0, 4.0] : f32[4]");
}

TEST(FoldConstantsTest, ComprehensionOverConstantsFolds) {
  auto after = RunAndCompare(R"(func @main(%x: f32[3, 3]) -> f32[3, 3] {
entry:
  %m = comprehension() [i: 0..3, j: 0..3] assign [] (select (le j i) 1.0 0.0) : f32[3, 3]
  %y = mul %x, %m : f32[3, 3]
  ret %y
}
)", {"fold-constants"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kComprehension), 0) << ir::PrintModule(*after);
}

TEST(FoldConstantsTest, LargeResultsAreNotMaterialized) {
  opt::PassContext stats;
  auto after = RunAndCompare(R"(func @main(%x: f32[64, 64]) -> f32[64, 64] {
entry:
  %z = constant 1.5 : f32
  %b = broadcast %z : f32[64, 64]
  %y = mul %x, %b : f32[64, 64]
  ret %y
}
)", {"fold-constants"}, &stats);
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kBroadcast), 1) << "4096 elements is above the limit";
  EXPECT_EQ(stats.stats.Get("too large to fold"), 1);
}

TEST(FoldConstantsTest, RuntimeErrorsAreLeftForRunTime) {
  auto module = Parse(R"(func @main(%x: i32[2]) -> i32[2] {
entry:
  %a = constant 7 : i32
  %z = constant 0 : i32
  %q = div %a, %z : i32
  %y = add %x, %q : i32[2]
  ret %y
}
)");
  ASSERT_TRUE(module);
  RunPasses(*module, {"fold-constants"});
  EXPECT_EQ(Count(*module, ir::Op::kDiv), 1) << "7 / 0 must still fail, at run time";
}

TEST(FoldConstantsTest, FoldedValuesMatchTheInterpreterBitForBit) {
  // 0.1 + 0.2 in f32 (round after each op), tanh, and an f16 product: folding must round as
  // the interpreter does when the program runs.
  auto after = RunAndCompare(Unary(R"(  %a = constant 0.1 : f32
  %b = constant 0.2 : f32
  %c = add %a, %b : f32
  %d = tanh %c : f32
  %e = constant 3.3 : f16
  %f = mul %e, %e : f16
  %g = cast %f : f32
  %h = add %d, %g : f32
  %y = add %x, %h : f32[4]
  ret %y
)"), {"fold-constants"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kTanh), 0);
}

TEST(FoldConstantsTest, ExampleLoopCountersFoldAfterUnrolling) {
  auto before = Example("mlp");
  auto after = Example("mlp");
  ASSERT_TRUE(before && after);
  RunPasses(*after, {"inline", "unroll", "simplify-cfg", "fold-constants"});
  // take %wh, %l with %l a constant: the index folds, the weight (a parameter) does not.
  for (const auto& instr : after->functions().front()->entry()->instrs()) {
    if (instr->op() != ir::Op::kTake) continue;
    EXPECT_EQ(instr->operand(1)->kind(), ir::Value::Kind::kInstr);
    EXPECT_EQ(static_cast<const ir::Instr*>(instr->operand(1))->op(), ir::Op::kConstant);
  }
  ExpectSameResults(*before, *after, "mlp", 1);
}

TEST(SimplifyAlgebraTest, MultiplyByOneAndDivideByOne) {
  auto after = RunAndCompare(Unary(R"(  %one = constant 1.0 : f32
  %a = mul %x, %one : f32[4]
  %b = mul %one, %a : f32[4]
  %c = div %b, %one : f32[4]
  ret %c
)"), {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: ret %x");
}

TEST(SimplifyAlgebraTest, AddingPositiveZeroIsNotAnIdentity) {
  // For x = -0.0, x + 0.0 is +0.0: replacing x + 0 by x would keep the -0.0.
  auto after = RunAndCompare(Unary(R"(  %z = constant 0.0 : f32
  %a = add %x, %z : f32[4]
  ret %a
)"), {"simplify-algebra"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kAdd), 1);
}

TEST(SimplifyAlgebraTest, AddingNegativeZeroIsAnIdentity) {
  auto after = RunAndCompare(Unary(R"(  %z = constant -0.0 : f32
  %a = add %x, %z : f32[4]
  %b = constant 0.0 : f32
  %c = sub %a, %b : f32[4]
  ret %c
)"), {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: ret %x");
}

TEST(SimplifyAlgebraTest, IntegerAddOfZeroIsAnIdentity) {
  auto after = RunAndCompare(Unary(R"(  %z = constant 0 : i32
  %a = add %x, %z : i32[4]
  ret %a
)", "i32[4]"), {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: ret %x");
}

TEST(SimplifyAlgebraTest, MultiplyByZeroStays) {
  auto after = RunAndCompare(Unary(R"(  %z = constant 0.0 : f32
  %a = mul %x, %z : f32[4]
  %b = sub %x, %x : f32[4]
  %c = add %a, %b : f32[4]
  ret %c
)"), {"simplify-algebra"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kMul), 1) << "inf * 0 is nan, -1 * 0 is -0";
  EXPECT_EQ(Count(*after, ir::Op::kSub), 1) << "inf - inf is nan";
}

TEST(SimplifyAlgebraTest, IdentityThatWouldChangeTheShapeStays) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4]) -> f32[3, 4] {
entry:
  %one = constant 1.0 : f32[3, 1]
  %a = mul %x, %one : f32[3, 4]
  ret %a
}
)", {"simplify-algebra"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kMul), 1);
}

TEST(SimplifyAlgebraTest, DoubleNegationAndNestedUnaries) {
  auto after = RunAndCompare(Unary(R"(  %a = neg %x : f32[4]
  %b = neg %a : f32[4]
  %c = relu %b : f32[4]
  %d = relu %c : f32[4]
  %e = neg %d : f32[4]
  %f = abs %e : f32[4]
  %g = abs %f : f32[4]
  ret %g
)"), {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: %[[R:[a-z0-9.]+]] = relu %x
CHECK: %[[A:[a-z0-9.]+]] = abs %[[R]]
CHECK: ret %[[A]]
)");
}

TEST(SimplifyAlgebraTest, TransposeOfTransposeComposesOrCancels) {
  auto after = RunAndCompare(R"(func @main(%x: f32[2, 3, 4]) -> f32[2, 3, 4] {
entry:
  %a = transpose %x {perm = [1, 2, 0]} : f32[3, 4, 2]
  %b = transpose %a {perm = [2, 0, 1]} : f32[2, 3, 4]
  %c = transpose %b {perm = [0, 2, 1]} : f32[2, 4, 3]
  %d = transpose %c {perm = [1, 0, 2]} : f32[4, 2, 3]
  %e = transpose %d {perm = [1, 2, 0]} : f32[2, 3, 4]
  ret %e
}
)", {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: ret %x");
}

TEST(SimplifyAlgebraTest, ReshapeOfReshapeIsOneReshape) {
  auto after = RunAndCompare(R"(func @main(%x: f32[2, 6]) -> f32[3, 4] {
entry:
  %a = reshape %x : f32[12]
  %b = reshape %a : f32[4, 3]
  %c = reshape %b : f32[3, 4]
  ret %c
}
)", {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: %[[R:[a-z0-9.]+]] = reshape %x : f32[3, 4]
CHECK-NEXT: ret %[[R]]
)");
}

TEST(SimplifyAlgebraTest, NoOpMovementsDisappear) {
  auto after = RunAndCompare(R"(func @main(%x: f32[2, 3]) -> f32[2, 3] {
entry:
  %a = reshape %x : f32[2, 3]
  %b = broadcast %a : f32[2, 3]
  %c = cast %b : f32[2, 3]
  %d = transpose %c {perm = [0, 1]} : f32[2, 3]
  %e = slice %d {begin = [0, 0], end = [2, 3], step = [1, 1]} : f32[2, 3]
  %f = pad %e {low = [0, 0], high = [0, 0], value = 0.0} : f32[2, 3]
  ret %f
}
)", {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: ret %x");
}

TEST(SimplifyAlgebraTest, SelectWithEqualArmsOrConstantCondition) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4], %y: f32[4], %c: bool[4]) -> f32[4] {
entry:
  %a = select %c, %x, %x : f32[4]
  %t = constant true : bool
  %b = select %t, %a, %y : f32[4]
  ret %b
}
)", {"simplify-algebra"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, "CHECK: ret %x");
}

TEST(SimplifyAlgebraTest, StatsNameTheRulesThatFired) {
  opt::PassContext stats;
  auto after = RunAndCompare(Unary(R"(  %one = constant 1.0 : f32
  %a = mul %x, %one : f32[4]
  %b = neg %a : f32[4]
  %c = neg %b : f32[4]
  ret %c
)"), {"simplify-algebra"}, &stats);
  ASSERT_TRUE(after);
  int64_t fired = 0;
  for (const auto& [rule, count] : stats.stats.counters()) fired += count;
  EXPECT_EQ(fired, 2) << "x * 1 and neg(neg x)";
}

}  // namespace
}  // namespace tessel::lab03
