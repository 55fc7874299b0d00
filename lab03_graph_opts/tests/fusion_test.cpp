// lab03.t5: operator fusion, TVM's FuseOps (README §3.5).
#include "lab03_graph_opts/tests/lab03_test_util.h"

#include "stages/opt/passes.h"

namespace tessel::lab03 {
namespace {

constexpr std::string_view kDiamond = R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %a = exp %x : f32[4]
  %b = neg %a : f32[4]
  %c = abs %a : f32[4]
  %d = add %b, %c : f32[4]
  %e = relu %d : f32[4]
  ret %e
}
)";

TEST(PostDominatorTest, DiamondJoinsAtItsMerge) {
  auto module = Parse(kDiamond);
  ASSERT_TRUE(module);
  std::vector<int> ipdom = opt::ComputePostDominators(*module->functions().front()->entry());
  EXPECT_EQ(ipdom, (std::vector<int>{3, 3, 3, 4, 5, -1}));
}

TEST(PostDominatorTest, ValueUsedByTheReturnHasTheReturnAsPostDominator) {
  auto module = Parse(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %a = exp %x : f32[4]
  %b = neg %a : f32[4]
  %c = mul %a, %b : f32[4]
  ret %c
}
)");
  ASSERT_TRUE(module);
  std::vector<int> ipdom = opt::ComputePostDominators(*module->functions().front()->entry());
  EXPECT_EQ(ipdom, (std::vector<int>{2, 2, 3, -1}));
}

TEST(PostDominatorTest, DeadValueHasNone) {
  auto module = Parse(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %a = exp %x : f32[4]
  %b = neg %x : f32[4]
  ret %b
}
)");
  ASSERT_TRUE(module);
  std::vector<int> ipdom = opt::ComputePostDominators(*module->functions().front()->entry());
  EXPECT_EQ(ipdom, (std::vector<int>{-1, 2, -1}));
}

ir::OpPattern PatternOfOnly(std::string_view text) {
  auto module = Parse(text);
  if (!module) return ir::OpPattern::kControl;
  return opt::PatternOf(*module->functions().front()->entry()->instrs().front());
}

TEST(PatternTest, ComprehensionsAreClassifiedByTheirReads) {
  EXPECT_EQ(PatternOfOnly(R"(func @main(%x: f32[2, 3]) -> f32[2, 3] {
entry:
  %y = comprehension(%x) [i: 0..2, j: 0..3] assign [] (exp (read %x i j)) : f32[2, 3]
  ret %y
}
)"), ir::OpPattern::kElementwise);
  EXPECT_EQ(PatternOfOnly(R"(func @main(%x: f32[2, 3], %b: f32[3]) -> f32[2, 3] {
entry:
  %y = comprehension(%x, %b) [i: 0..2, j: 0..3] assign [] (add (read %x i j) (read %b j)) : f32[2, 3]
  ret %y
}
)"), ir::OpPattern::kBroadcast);
  EXPECT_EQ(PatternOfOnly(R"(func @main(%x: f32[3, 2]) -> f32[2, 3] {
entry:
  %y = comprehension(%x) [i: 0..2, j: 0..3] assign [] (read %x j i) : f32[2, 3]
  ret %y
}
)"), ir::OpPattern::kInjective);
}

TEST(PatternTest, ReductionsAreOutFusableAndGathersOpaque) {
  EXPECT_EQ(PatternOfOnly(R"(func @main(%x: f32[2, 3], %w: f32[3, 4]) -> f32[2, 4] {
entry:
  %y = comprehension(%x, %w) [i: 0..2, j: 0..4] sum [k: 0..3] (mul (read %x i k) (read %w k j)) : f32[2, 4]
  ret %y
}
)"), ir::OpPattern::kOutFusable);
  EXPECT_EQ(PatternOfOnly(R"(func @main(%x: f32[5], %i: i32[3]) -> f32[3] {
entry:
  %y = comprehension(%x, %i) [j: 0..3] assign [] (read %x (read %i j)) : f32[3]
  ret %y
}
)"), ir::OpPattern::kOpaque);
}

TEST(PatternTest, PrimitiveOpsUseTheirOpsDefPattern) {
  auto module = Parse(R"(func @main(%x: f32[2, 3], %w: f32[3, 3]) -> f32[2, 3] {
entry:
  %a = matmul %x, %w : f32[2, 3]
  %b = reduce_sum %a {axes = [1], keepdims = true} : f32[2, 1]
  %c = transpose %a {perm = [1, 0]} : f32[3, 2]
  %d = sub %a, %b : f32[2, 3]
  ret %d
}
)");
  ASSERT_TRUE(module);
  const auto& instrs = module->functions().front()->entry()->instrs();
  EXPECT_EQ(opt::PatternOf(*instrs[0]), ir::OpPattern::kOutFusable);
  EXPECT_EQ(opt::PatternOf(*instrs[1]), ir::OpPattern::kReduction);
  EXPECT_EQ(opt::PatternOf(*instrs[2]), ir::OpPattern::kInjective);
  EXPECT_EQ(opt::PatternOf(*instrs[3]), ir::OpPattern::kBroadcast);
}

TEST(FuseOpsTest, ElementwiseChainIsOneKernel) {
  auto after = RunAndCompare(kDiamond, {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 1) << ir::PrintModule(*after);
  ExpectChecks(*after, R"(
CHECK-LABEL: func @main
CHECK-NEXT: entry:
CHECK-NEXT: %e = call @[[K:[a-z_0-9]+]](%x) : f32[4]
CHECK-NEXT: ret %e
CHECK: kernel @[[K]](%x: f32[4]) -> f32[4] {pattern = broadcast, anchor = add}
)");
}

TEST(FuseOpsTest, MatmulTakesItsBiasAndActivationAsEpilogue) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 8], %w: f32[8, 16], %b: f32[16]) -> f32[4, 16] {
entry:
  %m = matmul %x, %w : f32[4, 16]
  %a = add %m, %b : f32[4, 16]
  %r = relu %a : f32[4, 16]
  ret %r
}
)", {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 1);
  ExpectChecks(*after, "CHECK: kernel @{{.*}}(%x: f32[4, 8], %w: f32[8, 16], %b: f32[16]) -> f32[4, 16] {pattern = out_fusable, anchor = matmul}");
}

TEST(FuseOpsTest, TwoMatmulsNeverShareAKernel) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 8], %w: f32[8, 8], %v: f32[8, 8]) -> f32[4, 8] {
entry:
  %m = matmul %x, %w : f32[4, 8]
  %r = relu %m : f32[4, 8]
  %n = matmul %r, %v : f32[4, 8]
  %t = tanh %n : f32[4, 8]
  ret %t
}
)", {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 2) << ir::PrintModule(*after);
}

TEST(FuseOpsTest, ElementwiseProducerIsNeverAMatmulPrologue) {
  // relu's only user is the matmul, its post-dominator, but the edge into it is out-fusable:
  // inside the matmul's loop nest relu would run once per output that reads it (TVM's rule).
  // Its own epilogue, the add, still joins the matmul.
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 8], %w: f32[8, 16], %b: f32[16]) -> f32[4, 16] {
entry:
  %r = relu %x : f32[4, 8]
  %m = matmul %r, %w : f32[4, 16]
  %a = add %m, %b : f32[4, 16]
  ret %a
}
)", {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 2) << ir::PrintModule(*after);
  ExpectChecks(*after, R"(CHECK: call @[[RELU:[a-z_0-9]+]](%x)
CHECK-NEXT: call @{{[a-z_0-9]+}}(%{{[a-z0-9]+}}, %w, %b)
CHECK: kernel @[[RELU]](%x: f32[4, 8]) -> f32[4, 8] {pattern = elementwise, anchor = relu}
CHECK: {pattern = out_fusable, anchor = matmul})");
}

TEST(FuseOpsTest, ElementwiseProducerFusesIntoAReduction) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 8]) -> f32[4, 1] {
entry:
  %e = exp %x : f32[4, 8]
  %s = reduce_sum %e {axes = [1], keepdims = true} : f32[4, 1]
  ret %s
}
)", {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 1);
  ExpectChecks(*after, "CHECK: {pattern = reduction, anchor = reduce_sum}");
}

TEST(FuseOpsTest, ValueUsedTwiceOutsideStaysItsOwnKernelRoot) {
  // softmax: exp is used by the sum and by the division. Its post-dominator is the division,
  // but one path to it goes through the sum, a reduction, which may not sit inside a group
  // that an elementwise op joins: so exp stays the root of {sub, exp}, and the reductions
  // keep their own kernels (TVM gives the same four).
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 8]) -> f32[4, 8] {
entry:
  %m = reduce_max %x {axes = [1], keepdims = true} : f32[4, 1]
  %d = sub %x, %m : f32[4, 8]
  %e = exp %d : f32[4, 8]
  %s = reduce_sum %e {axes = [1], keepdims = true} : f32[4, 1]
  %y = div %e, %s : f32[4, 8]
  ret %y
}
)", {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 4) << ir::PrintModule(*after);
}

TEST(FuseOpsTest, InjectiveOpsFuseWithInjectiveConsumers) {
  auto after = RunAndCompare(R"(func @main(%x: f32[4, 6]) -> f32[3, 8] {
entry:
  %t = transpose %x {perm = [1, 0]} : f32[6, 4]
  %r = reshape %t : f32[3, 8]
  %n = neg %r : f32[3, 8]
  ret %n
}
)", {"fuse-ops"});
  ASSERT_TRUE(after);
  EXPECT_EQ(Kernels(*after), 1) << ir::PrintModule(*after);
  ExpectChecks(*after, "CHECK: {pattern = injective, anchor = transpose}");
}

TEST(FuseOpsTest, GroupSizeLimitSplitsLongChains) {
  std::string text = "func @main(%x: f32[4]) -> f32[4] {\nentry:\n  %v0 = exp %x : f32[4]\n";
  for (int i = 1; i < 10; ++i) {
    text.append("  %v").append(std::to_string(i)).append(" = neg %v").append(std::to_string(i - 1))
        .append(" : f32[4]\n");
  }
  text.append("  ret %v9\n}\n");
  auto module = Parse(text);
  ASSERT_TRUE(module);
  opt::PassContext context;
  context.fusion.max_group_size = 4;
  RunPasses(*module, {"fuse-ops"}, context);
  EXPECT_EQ(Kernels(*module), 3) << ir::PrintModule(*module);
}

TEST(FuseOpsTest, EntryBecomesKernelCallsOnly) {
  for (const std::string& name : ExampleNames()) {
    auto before = Example(name);
    auto after = Example(name);
    ASSERT_TRUE(before && after);
    RunPasses(*after, {"inline", "unroll", "simplify-cfg", "dce", "fuse-ops"});
    const ir::Function& entry = *after->FindFunction(EntryOf(*before));
    for (const auto& instr : entry.entry()->instrs()) {
      bool allowed = instr->op() == ir::Op::kCall || instr->op() == ir::Op::kConstant ||
                     instr->op() == ir::Op::kRet;
      EXPECT_TRUE(allowed) << name << ": " << ir::PrintInstr(*instr);
    }
    ExpectSameResults(*before, *after, EntryOf(*before), 1);
  }
}

// Kernels per example at -O2 before memory planning: pinned to the reference solution's, so
// a partition that fuses less (or wrongly more) shows up here.
TEST(FuseOpsTest, ExampleKernelCountsAtO2) {
  const std::map<std::string, int> expected = {
      {"cnn", 10},  {"lstm", 21},         {"mlp", 12},  {"operators", 2},
      {"ported_convnet", 16}, {"resnet_block", 6}, {"rnn", 14}, {"transformer", 24}};
  for (const auto& [name, kernels] : expected) {
    auto module = Example(name);
    ASSERT_TRUE(module);
    std::vector<std::string> o2 = opt::PipelineForLevel(2);
    o2.pop_back();  // plan-memory is task t6
    RunPasses(*module, o2);
    EXPECT_EQ(Kernels(*module), kernels) << name;
  }
}

}  // namespace
}  // namespace tessel::lab03
