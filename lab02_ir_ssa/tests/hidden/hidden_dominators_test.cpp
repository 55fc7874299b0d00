// lab02 hidden tests for task t6 (dominator tree and dominance frontiers): CFGs
// the public tests do not show. Irreducible graphs on which a fixed number of
// passes is not enough, an unreachable cycle that branches into the reachable
// part, a loop with several back edges, a break out of two loops, a long ladder
// of diamonds, and dense random graphs compared with the verifier's fixpoint.
// The instructor's copy only: a student release leaves this folder out.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "lab02_ir_ssa/tests/lab02_test_util.h"

namespace tessel {
namespace {

using ir::ComputeDominanceFrontiers;
using ir::ComputeDominatorTree;
using ir::DominatorTree;
using testing::Cfg;
using testing::ExpectFrontiers;
using testing::ExpectIdoms;
using testing::Fail;
using testing::ParseCfg;
using testing::Section;
using testing::SideBySide;
using Where = std::source_location;

// An irreducible graph whose idoms settle only in the third pass over the
// reverse postorder (entry b3 b4 b2 b1): pass 1 sets idom(b4) = b3 and
// idom(b2) = b4 before b2 -> b4 and b1 -> b2 are seen; pass 2 corrects b2,
// pass 3 then corrects b4. Two passes are not enough: iterate until nothing changes.
//   entry -> b3, b1; b1 -> b2; b2 -> b1, b4; b3 -> b4; b4 -> b3, b2
constexpr const char* kThreePasses = R"(entry:
  cond_br %c, b3, b1
b1:
  br b2
b2:
  cond_br %c, b1, b4
b3:
  br b4
b4:
  cond_br %c, b3, b2)";

// Each pass corrects one more block, walking back along the reverse postorder
// (entry b6 b7 b3 b1 b4 b5 b2): b5 in pass 2, b1 in 3, b3 in 4, b7 in 5.
//   entry -> b6, b2; b1 -> b3, b4; b2 -> b5; b3 -> b1, b7; b4 -> b5;
//   b5 -> b2, b1; b6 -> b7; b7 -> b3
constexpr const char* kFivePasses = R"(entry:
  cond_br %c, b6, b2
b1:
  cond_br %c, b3, b4
b2:
  br b5
b3:
  cond_br %c, b1, b7
b4:
  br b5
b5:
  cond_br %c, b2, b1
b6:
  br b7
b7:
  br b3)";

// A loop with three back edges into one header (two `continue`s and the end of
// the body), from blocks at different depths of the tree.
//   header -> body, exit; body -> a, latch; a -> header, b; b -> header, c;
//   c -> latch; latch -> header
constexpr const char* kThreeBackEdges = R"(entry:
  br header
header:
  cond_br %c, body, exit
body:
  cond_br %c, a, latch
a:
  cond_br %c, header, b
b:
  cond_br %c, header, c
c:
  br latch
latch:
  br header
exit:
  ret %x)";

// Two nested loops; `skip` leaves the inner loop straight for the outer
// header (a break out of the inner loop that also ends the outer trip).
//   outer -> inner, exit; inner -> ibody, olatch; ibody -> skip, ilatch;
//   skip -> outer; ilatch -> inner; olatch -> outer
constexpr const char* kBreakOutOfTwoLoops = R"(entry:
  br outer
outer:
  cond_br %c, inner, exit
inner:
  cond_br %c, ibody, olatch
ibody:
  cond_br %c, skip, ilatch
skip:
  br outer
ilatch:
  br inner
olatch:
  br outer
exit:
  ret %x)";

// A cycle dead1 <-> dead2 that no path from the entry reaches, with an edge
// into the reachable join: it must change neither the join's idom nor any frontier.
//   entry -> a, b; a -> join; b -> join; dead1 -> dead2; dead2 -> dead1, join
constexpr const char* kUnreachableCycle = R"(entry:
  cond_br %c, a, b
a:
  br join
dead1:
  br dead2
b:
  br join
dead2:
  cond_br %c, dead1, join
join:
  br exit
exit:
  ret %x)";

// `count` diamonds in a row: head_i -> l_i, r_i -> join_i -> head_{i+1}.
std::string Ladder(int count) {
  std::string text = "entry:\n  br head0\n";
  for (int i = 0; i < count; ++i) {
    std::string n = std::to_string(i), next = "head" + std::to_string(i + 1);
    text += "head" + n + ":\n  cond_br %c, l" + n + ", r" + n + "\n";
    text += "l" + n + ":\n  br join" + n + "\n";
    text += "r" + n + ":\n  br join" + n + "\n";
    text += "join" + n + ":\n  br " + (i + 1 == count ? std::string("exit") : next) + "\n";
  }
  return text + "exit:\n  ret %x\n";
}

// A dense random CFG: most blocks branch two ways to any block but the entry,
// so most graphs have irreducible cycles. Fixed seeds make every run the same.
std::string DenseCfg(std::mt19937& rng, int blocks) {
  auto label = [](uint32_t i) { return i == 0 ? std::string("entry") : "b" + std::to_string(i); };
  auto target = [&] { return label(1 + rng() % (blocks - 1)); };
  std::string text;
  for (int i = 0; i < blocks; ++i) {
    text += label(i) + ":\n";
    uint32_t kind = rng() % 16;  // 1 in 16 return, 3 in 16 branch one way, the rest two ways
    if (kind == 0) {
      text += "  ret %x\n";
    } else if (kind <= 3) {
      text += "  br " + target() + "\n";
    } else {
      text += "  cond_br %c, " + target() + ", " + target() + "\n";
    }
  }
  return text;
}

// Compares the idoms and the frontiers of `count` dense CFGs with the oracle,
// stopping at the first that differs.
void CheckDenseCfgs(uint32_t seed, int count, int max_blocks, bool frontiers,
                    Where where = Where::current()) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    Cfg cfg = ParseCfg(DenseCfg(rng, 2 + static_cast<int>(rng() % (max_blocks - 1))), where);
    if (cfg.fn == nullptr) return;
    DominatorTree tree = ComputeDominatorTree(*cfg.fn);
    std::string want = testing::IdomLines(*cfg.fn, testing::OracleIdoms(*cfg.fn));
    std::string got = testing::IdomLines(*cfg.fn, tree.idom);
    if (want != got) {
      Fail(where, testing::InputSection(cfg) +
                      Section("immediate dominators (oracle | yours)", SideBySide(want, got)));
      return;
    }
    if (!frontiers) continue;
    std::string df_want = testing::FrontierLines(*cfg.fn, testing::OracleFrontiers(*cfg.fn));
    std::string df_got = testing::FrontierLines(*cfg.fn, ComputeDominanceFrontiers(*cfg.fn, tree));
    if (df_want == df_got) continue;
    Fail(where, testing::InputSection(cfg) + Section("dominance frontiers (definition | yours)",
                                                     SideBySide(df_want, df_got)));
    return;
  }
}

// ============================================================ HiddenComputeDominatorsTest

TEST(HiddenComputeDominatorsTest, IrreducibleGraphNeedsAThirdPass) {
  ExpectIdoms(ParseCfg(kThreePasses),
              {{"b1", "entry"}, {"b2", "entry"}, {"b3", "entry"}, {"b4", "entry"}},
              "entry b3 b4 b2 b1");
}

TEST(HiddenComputeDominatorsTest, CorrectionsTravelOneBlockPerPass) {
  ExpectIdoms(ParseCfg(kFivePasses),
              {{"b1", "entry"},
               {"b2", "entry"},
               {"b3", "entry"},
               {"b4", "b1"},
               {"b5", "entry"},
               {"b6", "entry"},
               {"b7", "entry"}},
              "entry b6 b7 b3 b1 b4 b5 b2");
}

TEST(HiddenComputeDominatorsTest, LoopWithThreeBackEdges) {
  ExpectIdoms(ParseCfg(kThreeBackEdges),
              {{"header", "entry"},
               {"body", "header"},
               {"a", "body"},
               {"b", "a"},
               {"c", "b"},
               {"latch", "body"},
               {"exit", "header"}},
              "entry header exit body a b c latch");
}

TEST(HiddenComputeDominatorsTest, UnreachableCycleIntoTheJoinIsIgnored) {
  Cfg cfg = ParseCfg(kUnreachableCycle);
  ExpectIdoms(cfg, {{"a", "entry"}, {"b", "entry"}, {"join", "entry"}, {"exit", "join"}},
              "entry b a join exit");
  if (cfg.fn == nullptr || HasFailure()) return;
  DominatorTree tree = ComputeDominatorTree(*cfg.fn);
  EXPECT_FALSE(tree.Reachable(cfg["dead1"]));
  EXPECT_FALSE(tree.Reachable(cfg["dead2"]));
}

// 30000 diamonds: 120002 blocks, every join dominated by its own head.
TEST(HiddenComputeDominatorsTest, LadderOfThirtyThousandDiamonds) {
  constexpr int kDiamonds = 30000;
  Cfg cfg = ParseCfg(Ladder(kDiamonds));
  if (cfg.fn == nullptr) return;
  DominatorTree tree = ComputeDominatorTree(*cfg.fn);
  ASSERT_EQ(tree.rpo.size(), static_cast<size_t>(4 * kDiamonds + 2));
  for (int i = 0; i < kDiamonds; ++i) {
    const ir::Block* head = cfg.fn->blocks()[1 + 4 * i].get();
    const ir::Block* join = cfg.fn->blocks()[4 + 4 * i].get();
    ASSERT_EQ(tree.idom.at(join), head) << "idom of " << join->label();
    if (i > 0) {
      ASSERT_EQ(tree.idom.at(head), cfg.fn->blocks()[4 * i].get()) << head->label();
    }
  }
}

TEST(HiddenComputeDominatorsTest, MatchesTheOracleOnDenseRandomCfgs) {
  CheckDenseCfgs(21, 400, 24, /*frontiers=*/false);
}

// ============================================================ HiddenDominanceFrontiersTest

TEST(HiddenDominanceFrontiersTest, IrreducibleGraphNeedsAThirdPass) {
  ExpectFrontiers(ParseCfg(kThreePasses),
                  {{"b1", {"b2"}}, {"b2", {"b1", "b4"}}, {"b3", {"b4"}}, {"b4", {"b2", "b3"}}});
}

TEST(HiddenDominanceFrontiersTest, LoopWithThreeBackEdges) {
  ExpectFrontiers(ParseCfg(kThreeBackEdges), {{"header", {"header"}},
                                              {"body", {"header"}},
                                              {"a", {"header", "latch"}},
                                              {"b", {"header", "latch"}},
                                              {"c", {"latch"}},
                                              {"latch", {"header"}}});
}

TEST(HiddenDominanceFrontiersTest, BreakOutOfTwoLoops) {
  ExpectFrontiers(ParseCfg(kBreakOutOfTwoLoops), {{"outer", {"outer"}},
                                                  {"inner", {"outer", "inner"}},
                                                  {"ibody", {"outer", "inner"}},
                                                  {"skip", {"outer"}},
                                                  {"ilatch", {"inner"}},
                                                  {"olatch", {"outer"}}});
}

TEST(HiddenDominanceFrontiersTest, UnreachableCycleIntoTheJoinIsIgnored) {
  Cfg cfg = ParseCfg(kUnreachableCycle);
  ExpectFrontiers(cfg, {{"a", {"join"}}, {"b", {"join"}}});
  if (cfg.fn == nullptr || HasFailure()) return;
  auto frontiers = ComputeDominanceFrontiers(*cfg.fn, ComputeDominatorTree(*cfg.fn));
  EXPECT_EQ(frontiers.count(cfg["dead1"]) + frontiers.count(cfg["dead2"]), 0u)
      << "unreachable blocks have no frontier";
}

TEST(HiddenDominanceFrontiersTest, LadderOfThirtyThousandDiamonds) {
  constexpr int kDiamonds = 30000;
  Cfg cfg = ParseCfg(Ladder(kDiamonds));
  if (cfg.fn == nullptr) return;
  DominatorTree tree = ComputeDominatorTree(*cfg.fn);
  ASSERT_EQ(tree.idom.size(), static_cast<size_t>(4 * kDiamonds + 1));
  auto frontiers = ComputeDominanceFrontiers(*cfg.fn, tree);
  ASSERT_EQ(frontiers.size(), static_cast<size_t>(4 * kDiamonds + 2));
  for (int i = 0; i < kDiamonds; ++i) {
    const ir::Block* join = cfg.fn->blocks()[4 + 4 * i].get();
    for (int arm = 2; arm <= 3; ++arm) {
      const ir::Block* block = cfg.fn->blocks()[arm + 4 * i].get();
      ASSERT_EQ(frontiers.at(block), std::set<const ir::Block*>{join}) << block->label();
    }
    ASSERT_TRUE(frontiers.at(join).empty()) << join->label();
  }
}

TEST(HiddenDominanceFrontiersTest, MatchDefinitionOnDenseRandomCfgs) {
  CheckDenseCfgs(22, 400, 24, /*frontiers=*/true);
}

}  // namespace
}  // namespace tessel
