// lab03.t4: layout assignment (README §3.4). The CPU target computes convolutions in NHWC.
#include "lab03_graph_opts/tests/lab03_test_util.h"

namespace tessel::lab03 {
namespace {

constexpr std::string_view kConvRelu = R"(func @main(%x: f32[1, 2, 5, 5], %w: f32[3, 2, 3, 3]) -> f32[1, 3, 3, 3] {
entry:
  %y = comprehension(%x, %w) [n: 0..1, k: 0..3, h: 0..3, v: 0..3] sum [c: 0..2, r: 0..3, s: 0..3] (mul (read %x n c (add h r) (add v s)) (read %w k c r s)) : f32[1, 3, 3, 3]
  %z = relu %y : f32[1, 3, 3, 3]
  ret %z
}
)";

constexpr std::string_view kTwoConvs = R"(func @main(%x: f32[1, 2, 6, 6], %w1: f32[2, 2, 3, 3], %w2: f32[3, 2, 2, 2], %b: f32[1, 2, 1, 1]) -> f32[1, 3, 3, 3] {
entry:
  %y = comprehension(%x, %w1) [n: 0..1, k: 0..2, h: 0..4, v: 0..4] sum [c: 0..2, r: 0..3, s: 0..3] (mul (read %x n c (add h r) (add v s)) (read %w1 k c r s)) : f32[1, 2, 4, 4]
  %yb = add %y, %b : f32[1, 2, 4, 4]
  %a = relu %yb : f32[1, 2, 4, 4]
  %z = comprehension(%a, %w2) [n: 0..1, k: 0..3, h: 0..3, v: 0..3] sum [c: 0..2, r: 0..2, s: 0..2] (mul (read %a n c (add h r) (add v s)) (read %w2 k c r s)) : f32[1, 3, 3, 3]
  ret %z
}
)";

TEST(AssignLayoutsTest, ConvolutionReadsAndWritesNhwc) {
  auto after = RunAndCompare(kConvRelu, {"assign-layouts"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK-DAG: transpose %x {perm = [0, 2, 3, 1]} : f32[1, 5, 5, 2]
CHECK-DAG: transpose %w {perm = [0, 2, 3, 1]} : f32[3, 3, 3, 2]
CHECK: comprehension({{.*}}) [n: 0..1, h: 0..3, v: 0..3, k: 0..3] sum
CHECK-SAME: : f32[1, 3, 3, 3]
)");
}

TEST(AssignLayoutsTest, ConversionMovesBelowTheElementwiseOp) {
  auto after = RunAndCompare(kConvRelu, {"assign-layouts", "dce"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: %[[R:[a-z0-9.]+]] = relu {{.*}} : f32[1, 3, 3, 3]
CHECK-NEXT: %[[B:[a-z0-9.]+]] = transpose %[[R]] {perm = [0, 3, 1, 2]}
CHECK-NEXT: ret %[[B]]
)");
  EXPECT_EQ(Count(*after, ir::Op::kTranspose), 3);
}

TEST(AssignLayoutsTest, InversePairsBetweenConvolutionsCancel) {
  opt::PassContext stats;
  auto after = RunAndCompare(kTwoConvs, {"assign-layouts", "dce"}, &stats);
  ASSERT_TRUE(after);
  // In: x, w1, w2 and the small bias; out: one conversion back. Nothing between the convs.
  EXPECT_EQ(Count(*after, ir::Op::kTranspose), 5) << ir::PrintModule(*after);
  EXPECT_GE(stats.stats.Get("conversions cancelled"), 1);
  EXPECT_EQ(stats.stats.Get("ops converted"), 2);
}

TEST(AssignLayoutsTest, SecondConvolutionReadsTheFirstOnesLayoutDirectly) {
  auto after = RunAndCompare(kTwoConvs, {"assign-layouts", "dce"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: %[[A:[a-z0-9.]+]] = relu {{.*}} : f32[1, 4, 4, 2]
CHECK-NOT: transpose %[[A]]
CHECK: comprehension(%[[A]],
)");
}

TEST(AssignLayoutsTest, FullSizeLogicalOperandStopsTheConversion) {
  // The residual add meets %x in the logical layout: converting %x would cost as much as
  // the conversion it saves, so the conversion stays above the add.
  auto after = RunAndCompare(R"(func @main(%x: f32[1, 2, 5, 5], %w: f32[2, 2, 1, 1]) -> f32[1, 2, 5, 5] {
entry:
  %y = comprehension(%x, %w) [n: 0..1, k: 0..2, h: 0..5, v: 0..5] sum [c: 0..2, r: 0..1, s: 0..1] (mul (read %x n c (add h r) (add v s)) (read %w k c r s)) : f32[1, 2, 5, 5]
  %z = add %y, %x : f32[1, 2, 5, 5]
  ret %z
}
)", {"assign-layouts"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: %[[B:[a-z0-9.]+]] = transpose {{.*}} {perm = [0, 3, 1, 2]} : f32[1, 2, 5, 5]
CHECK-NEXT: add %[[B]], %x
)");
}

TEST(AssignLayoutsTest, LowerRankBiasIsExpandedAndConverted) {
  // y + reshape(b, [K, 1, 1]), as the prelude's conv2d adds its bias: the [2, 1, 1] operand
  // broadcasts like [1, 2, 1, 1], so it is expanded to that and converted (it is small), and the
  // conversion moves below the add.
  auto after = RunAndCompare(R"(func @main(%x: f32[1, 2, 5, 5], %w: f32[2, 2, 1, 1], %b: f32[2, 1, 1]) -> f32[1, 2, 5, 5] {
entry:
  %y = comprehension(%x, %w) [n: 0..1, k: 0..2, h: 0..5, v: 0..5] sum [c: 0..2, r: 0..1, s: 0..1] (mul (read %x n c (add h r) (add v s)) (read %w k c r s)) : f32[1, 2, 5, 5]
  %z = add %y, %b : f32[1, 2, 5, 5]
  %r = relu %z : f32[1, 2, 5, 5]
  ret %r
}
)", {"assign-layouts", "dce"});
  ASSERT_TRUE(after);
  ExpectChecks(*after, R"(
CHECK: %[[E:[a-z0-9.]+]] = reshape %b : f32[1, 2, 1, 1]
CHECK-NEXT: %[[T:[a-z0-9.]+]] = transpose %[[E]] {perm = [0, 2, 3, 1]} : f32[1, 1, 1, 2]
CHECK-NEXT: add %{{[a-z0-9.]+}}, %[[T]] : f32[1, 5, 5, 2]
CHECK: relu {{.*}} : f32[1, 5, 5, 2]
CHECK-NEXT: transpose {{.*}} {perm = [0, 3, 1, 2]} : f32[1, 2, 5, 5]
)");
}

TEST(AssignLayoutsTest, ResnetBlockKeepsNoConversionBetweenItsConvolutions) {
  auto before = Example("resnet_block");
  auto after = Example("resnet_block");
  ASSERT_TRUE(before && after);
  RunPasses(*after, {"inline", "unroll", "simplify-cfg", "fold-constants", "simplify-algebra",
                     "gvn", "dce", "assign-layouts", "simplify-algebra", "dce"});
  ExpectSameResults(*before, *after, EntryOf(*before), 1);
  // conv, bias, relu, pad, conv, bias stay in NHWC; the residual %x, full size and logical,
  // keeps the last conversion above the residual add.
  ExpectChecks(*after, R"(
CHECK: comprehension({{.*}}) [n: 0..2, h: 0..12, v: 0..12, k: 0..8] sum
CHECK-NOT: transpose {{.*}} : f32[2, 8, 12, 12]
CHECK: relu {{.*}} : f32[2, 12, 12, 8]
CHECK: pad {{.*}} : f32[2, 14, 14, 8]
CHECK: comprehension({{.*}}) [n: 0..2, h: 0..12, v: 0..12, k: 0..8] sum
CHECK: transpose {{.*}} {perm = [0, 3, 1, 2]} : f32[2, 8, 12, 12]
CHECK-NEXT: add {{.*}}, %x
)");
  // In: x and two weights; two biases; out: one conversion back.
  EXPECT_EQ(Count(*after, ir::Op::kTranspose), 6) << ir::PrintModule(*after);
}

TEST(AssignLayoutsTest, LayoutComesFromTheTarget) {
  auto module = Parse(kConvRelu);
  ASSERT_TRUE(module);
  opt::PassContext context;
  context.layouts.conv_layout.clear();  // no preference: nothing to do
  RunPasses(*module, {"assign-layouts"}, context);
  EXPECT_EQ(Count(*module, ir::Op::kTranspose), 0);
  // A target that wants NWHC ({0, 3, 2, 1}) gets it.
  context.layouts.conv_layout = {0, 3, 2, 1};
  auto before = Parse(kConvRelu);
  RunPasses(*module, {"assign-layouts", "dce"}, context);
  ExpectChecks(*module, "CHECK: transpose %x {perm = [0, 3, 2, 1]} : f32[1, 5, 5, 2]");
  ExpectSameResults(*before, *module, "main");
}

TEST(AssignLayoutsTest, ElementwiseComprehensionsAndMatmulsAreLeftAlone) {
  auto after = RunAndCompare(R"(func @main(%x: f32[2, 3, 4, 4], %m: f32[4, 4]) -> f32[2, 3, 4, 4] {
entry:
  %y = comprehension(%x) [n: 0..2, c: 0..3, h: 0..4, v: 0..4] assign [] (mul (read %x n c h v) 2.0) : f32[2, 3, 4, 4]
  %z = matmul %y, %m : f32[2, 3, 4, 4]
  ret %z
}
)", {"assign-layouts"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Count(*after, ir::Op::kTranspose), 0);
}

TEST(AssignLayoutsTest, CnnExampleConversionsAfterCleanup) {
  auto before = Example("cnn");
  auto after = Example("cnn");
  ASSERT_TRUE(before && after);
  RunPasses(*after, {"inline", "unroll", "simplify-cfg", "fold-constants", "simplify-algebra",
                     "gvn", "dce", "assign-layouts", "dce"});
  ExpectSameResults(*before, *after, EntryOf(*before), 1);
  // Two convolutions and two poolings in NHWC: the input, the two weights, the two biases
  // (small), the flatten back to NCHW order; the pool/conv pairs in between cancel.
  int transposes = Count(*after, ir::Op::kTranspose);
  EXPECT_LE(transposes, 6) << ir::PrintModule(*after);
  EXPECT_GE(transposes, 3);
}

}  // namespace
}  // namespace tessel::lab03
