// lab03.t6: liveness and memory planning (README §3.6).
#include "lab03_graph_opts/tests/lab03_test_util.h"

#include "stages/opt/passes.h"

namespace tessel::lab03 {
namespace {

// Three kernels in a chain, then one that uses the first again.
constexpr std::string_view kChain = R"(func @main(%x: f32[256]) -> f32[256] {
entry:
  %a = call @k_exp(%x) : f32[256]
  %b = call @k_neg(%a) : f32[256]
  %c = call @k_neg(%b) : f32[256]
  %d = call @k_add(%a, %c) : f32[256]
  ret %d
}

kernel @k_exp(%v: f32[256]) -> f32[256] {pattern = elementwise, anchor = exp} {
entry:
  %r = exp %v : f32[256]
  ret %r
}

kernel @k_neg(%v: f32[256]) -> f32[256] {pattern = elementwise, anchor = neg} {
entry:
  %r = neg %v : f32[256]
  ret %r
}

kernel @k_add(%v: f32[256], %w: f32[256]) -> f32[256] {pattern = broadcast, anchor = add} {
entry:
  %r = add %v, %w : f32[256]
  ret %r
}
)";

TEST(LivenessTest, IntervalsRunFromDefinitionToLastUse) {
  auto module = Parse(kChain);
  ASSERT_TRUE(module);
  std::vector<opt::LiveInterval> live = opt::ComputeLiveness(*module->functions().front()->entry());
  ASSERT_EQ(live.size(), 3u) << "%a, %b, %c; %d is the result";
  EXPECT_EQ(live[0].def, 0);
  EXPECT_EQ(live[0].last_use, 3);
  EXPECT_EQ(live[1].def, 1);
  EXPECT_EQ(live[1].last_use, 2);
  EXPECT_EQ(live[2].def, 2);
  EXPECT_EQ(live[2].last_use, 3);
  EXPECT_EQ(live[0].bytes, 1024);
}

TEST(LivenessTest, ConstantsAndTheResultAreNotPlanned) {
  auto module = Parse(R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %k = constant 2.0 : f32
  %a = call @k_mul(%x, %k) : f32[4]
  ret %a
}

kernel @k_mul(%v: f32[4], %s: f32) -> f32[4] {pattern = broadcast, anchor = mul} {
entry:
  %r = mul %v, %s : f32[4]
  ret %r
}
)");
  ASSERT_TRUE(module);
  EXPECT_TRUE(opt::ComputeLiveness(*module->functions().front()->entry()).empty());
}

TEST(PlanMemoryTest, DeadTensorsBytesAreReused) {
  auto module = Parse(kChain);
  ASSERT_TRUE(module);
  opt::PassContext stats = RunPasses(*module, {"plan-memory"});
  // %a lives throughout; %b and %c: %c may take %b's bytes in place (neg is elementwise).
  EXPECT_EQ(stats.stats.Get("bytes unplanned"), 3 * 1024);
  EXPECT_EQ(stats.stats.Get("bytes planned"), 2 * 1024);
  EXPECT_EQ(stats.stats.Get("in-place"), 1);
}

TEST(PlanMemoryTest, PlanKeepsTheResults) {
  auto before = Parse(kChain);
  auto after = Parse(kChain);
  ASSERT_TRUE(before && after);
  RunPasses(*after, {"plan-memory"});
  for (const auto& instr : after->functions().front()->entry()->instrs()) {
    if (instr->op() == ir::Op::kCall && instr->name() != "d") {
      EXPECT_TRUE(instr->placement().has_value()) << ir::PrintInstr(*instr);
    }
  }
  ExpectSameResults(*before, *after, "main", 3);
}

TEST(PlanMemoryTest, OffsetsAreAligned) {
  auto module = Parse(R"(func @main(%x: f32[3]) -> f32[3] {
entry:
  %a = call @k(%x) : f32[3]
  %b = call @k(%x) : f32[3]
  %c = call @k2(%a, %b) : f32[3]
  ret %c
}

kernel @k(%v: f32[3]) -> f32[3] {pattern = elementwise, anchor = exp} {
entry:
  %r = exp %v : f32[3]
  ret %r
}

kernel @k2(%v: f32[3], %w: f32[3]) -> f32[3] {pattern = broadcast, anchor = add} {
entry:
  %r = add %v, %w : f32[3]
  ret %r
}
)");
  ASSERT_TRUE(module);
  RunPasses(*module, {"plan-memory"});
  for (const auto& instr : module->functions().front()->entry()->instrs()) {
    if (instr->placement()) {
      EXPECT_EQ(instr->placement()->offset % 64, 0);
    }
  }
}

TEST(PlanMemoryTest, NoInPlaceForATranspose) {
  auto module = Parse(R"(func @main(%x: f32[4, 4]) -> f32[4, 4] {
entry:
  %a = call @k_exp(%x) : f32[4, 4]
  %b = call @k_t(%a) : f32[4, 4]
  %c = call @k_exp(%b) : f32[4, 4]
  ret %c
}

kernel @k_exp(%v: f32[4, 4]) -> f32[4, 4] {pattern = elementwise, anchor = exp} {
entry:
  %r = exp %v : f32[4, 4]
  ret %r
}

kernel @k_t(%v: f32[4, 4]) -> f32[4, 4] {pattern = injective, anchor = transpose} {
entry:
  %r = transpose %v {perm = [1, 0]} : f32[4, 4]
  ret %r
}
)");
  ASSERT_TRUE(module);
  opt::PassContext stats = RunPasses(*module, {"plan-memory"});
  EXPECT_EQ(stats.stats.Get("in-place"), 0);
  const auto& instrs = module->functions().front()->entry()->instrs();
  EXPECT_NE(instrs[0]->placement()->offset, instrs[1]->placement()->offset)
      << "a transpose reads elements it has already overwritten";
}

TEST(PlanMemoryTest, BestFitTakesTheSmallestHoleThatFits) {
  // %big (4 KiB) and %small (256 B) die; %mid (256 B) should land in the small one's hole.
  auto module = Parse(R"(func @main(%x: f32[1024], %y: f32[64]) -> f32[64] {
entry:
  %big = call @e1(%x) : f32[1024]
  %small = call @e2(%y) : f32[64]
  %keep = call @e2(%y) : f32[64]
  %s = call @sum(%big) : f32[64]
  %t = call @add(%small, %s) : f32[64]
  %mid = call @e2(%keep) : f32[64]
  %r = call @add(%t, %mid) : f32[64]
  ret %r
}

kernel @e1(%v: f32[1024]) -> f32[1024] {pattern = elementwise, anchor = exp} {
entry:
  %r = exp %v : f32[1024]
  ret %r
}

kernel @e2(%v: f32[64]) -> f32[64] {pattern = elementwise, anchor = exp} {
entry:
  %r = exp %v : f32[64]
  ret %r
}

kernel @sum(%v: f32[1024]) -> f32[64] {pattern = reduction, anchor = reduce_sum} {
entry:
  %r0 = reshape %v : f32[16, 64]
  %r = reduce_sum %r0 {axes = [0]} : f32[64]
  ret %r
}

kernel @add(%v: f32[64], %w: f32[64]) -> f32[64] {pattern = broadcast, anchor = add} {
entry:
  %r = add %v, %w : f32[64]
  ret %r
}
)");
  ASSERT_TRUE(module);
  opt::PassContext stats = RunPasses(*module, {"plan-memory"});
  EXPECT_EQ(stats.stats.Get("bytes planned"), 4096 + 3 * 256) << ir::PrintModule(*module);
}

TEST(PlanMemoryTest, WrongPlanWouldChangeTheResult) {
  // The oracle works: two live tensors forced onto one offset give another answer.
  std::string text(kChain);
  text.replace(text.find("@k_neg(%b)"), 10, "@k_exp(%b)");
  auto before = Parse(text);
  auto after = Parse(text);
  ASSERT_TRUE(before && after);
  for (const auto& instr : after->functions().front()->entry()->instrs()) {
    if (instr->op() == ir::Op::kCall && instr->name() != "d") instr->set_placement({{0, 0}});
  }
  std::string error;
  std::optional<Tensor> a = RunEntry(*before, "main", 1, &error);
  std::optional<Tensor> b = RunEntry(*after, "main", 1, &error);
  ASSERT_TRUE(a && b);
  bool differs = false;
  for (int64_t i = 0; i < a->size(); ++i) differs = differs || a->Get(i) != b->Get(i);
  EXPECT_TRUE(differs);
  // ... and the pass's own plan does not.
  auto planned = Parse(text);
  ASSERT_TRUE(planned);
  RunPasses(*planned, {"plan-memory"});
  ExpectSameResults(*before, *planned, "main", 2);
}

// Peak bytes per example at -O2, pinned to the reference solution's plan.
TEST(PlanMemoryTest, ExamplePeakBytesAtO2) {
  for (const std::string& name : ExampleNames()) {
    auto before = Example(name);
    auto after = Example(name);
    ASSERT_TRUE(before && after);
    opt::PassContext stats = RunPasses(*after, opt::PipelineForLevel(2));
    int64_t planned = stats.stats.Get("bytes planned");
    int64_t unplanned = stats.stats.Get("bytes unplanned");
    EXPECT_GT(planned, 0) << name;
    EXPECT_LE(planned, unplanned + 64 * 64) << name;
    ExpectSameResults(*before, *after, EntryOf(*before), 1);
  }
}

}  // namespace
}  // namespace tessel::lab03
