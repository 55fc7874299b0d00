// lab02 task t6 (dominator tree and dominance frontiers): ComputeDominatorTree
// and ComputeDominanceFrontiers on CFGs given as IR text. Small CFGs have their
// idoms and frontiers written out by hand (the comment above each test draws
// the graph); random CFGs, irreducible ones included, are compared with the
// verifier's plain fixpoint (ComputeDominatorSets) and with the definition of
// the frontier computed from it. These tests use no SSA construction (task t4).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>

#include "lab02_ir_ssa/tests/lab02_test_util.h"

namespace tessel {
namespace {

using ir::Block;
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

// ------------------------------------------------------------ CFGs used by several tests

// entry -> a -> b -> exit
constexpr const char* kStraightLine = R"(entry:
  br a
a:
  br b
b:
  br exit
exit:
  ret %x)";

// entry -> then, else; then -> join; else -> join
constexpr const char* kDiamond = R"(entry:
  cond_br %c, then, else
then:
  br join
else:
  br join
join:
  ret %x)";

// entry -> header; header -> body, exit; body -> header
constexpr const char* kWhileLoop = R"(entry:
  br header
header:
  cond_br %c, body, exit
body:
  br header
exit:
  ret %x)";

// Two loops, one inside the other:
//   entry -> outer; outer -> inner, exit; inner -> inner_body, latch;
//   inner_body -> inner; latch -> outer
constexpr const char* kNestedLoops = R"(entry:
  br outer
outer:
  cond_br %c, inner, exit
inner:
  cond_br %c, inner_body, latch
inner_body:
  br inner
latch:
  br outer
exit:
  ret %x)";

// A loop whose body holds an if/else:
//   header -> body, exit; body -> then, else; then, else -> merge; merge -> header
constexpr const char* kIfInLoop = R"(entry:
  br header
header:
  cond_br %c, body, exit
body:
  cond_br %c, then, else
then:
  br merge
else:
  br merge
merge:
  br header
exit:
  ret %x)";

// Cooper, Harvey and Kennedy (2001), figure 4: a loop {n1, n2} entered at both
// blocks, so neither dominates the other.
//   entry -> n4, n3; n4 -> n1; n3 -> n2; n1 -> n2, exit; n2 -> n1
constexpr const char* kTwoEntryLoop = R"(entry:
  cond_br %c, n4, n3
n4:
  br n1
n3:
  br n2
n1:
  cond_br %c, n2, exit
n2:
  br n1
exit:
  ret %x)";

// Cooper, Harvey and Kennedy (2001), figure 2 (their node 6 is our entry): the
// cycle n1 <-> n2 <-> n3 is entered from n5 and n4. The first pass in reverse
// postorder (entry n4 n5 n1 n2 n3) sets idom(n1) = n5 before it has processed
// n2, its other predecessor; only the second pass corrects it to the entry.
//   entry -> n5, n4; n5 -> n1; n4 -> n2, n3; n1 -> n2; n2 -> n1, n3; n3 -> n2
constexpr const char* kChkFigure2 = R"(entry:
  cond_br %c, n5, n4
n5:
  br n1
n4:
  cond_br %c, n2, n3
n1:
  br n2
n2:
  cond_br %c, n1, n3
n3:
  br n2)";

// ------------------------------------------------------------ comparing with the oracle

// The labels of `blocks`, separated by spaces.
std::string Labels(const std::vector<const Block*>& blocks) {
  std::string out;
  for (const Block* b : blocks) out += (out.empty() ? "" : " ") + b->label();
  return out;
}

// True when `to` can be reached from `from` (every block reaches itself).
bool Reaches(const Block* from, const Block* to) {
  std::set<const Block*> seen = {from};
  std::vector<const Block*> work = {from};
  while (!work.empty()) {
    const Block* b = work.back();
    work.pop_back();
    if (b == to) return true;
    for (const Block* s : b->successors()) {
      if (seen.insert(s).second) work.push_back(s);
    }
  }
  return false;
}

// What is wrong with the tree's reverse postorder, or "": it must hold every
// reachable block once, the entry first, and an edge u -> v may go backwards
// (v at or before u) only when it closes a cycle (v reaches u).
std::string RpoProblems(const Cfg& cfg, const DominatorTree& tree) {
  std::map<const Block*, std::set<const Block*>> dom = ir::ComputeDominatorSets(*cfg.fn);
  std::map<const Block*, size_t> position;
  for (const Block* b : tree.rpo) position.emplace(b, position.size());
  std::string out;
  if (tree.rpo.empty() || tree.rpo.front() != cfg.fn->entry()) out += "the entry is not first\n";
  if (position.size() != tree.rpo.size()) out += "a block is listed twice\n";
  for (const auto& [block, dominators] : dom) {
    if (!position.count(block)) out += block->label() + " is reachable but missing\n";
  }
  for (const Block* b : tree.rpo) {
    if (!dom.count(b)) out += b->label() + " is listed but unreachable\n";
    for (const Block* s : b->successors()) {
      if (position.count(s) && position.at(s) <= position.at(b) && !Reaches(s, b)) {
        out += "edge " + b->label() + " -> " + s->label() + " goes backwards but is no back edge\n";
      }
    }
  }
  return out;
}

// Dominates(a, b) for every pair, Children(a) for every block, and Reachable,
// each compared with the oracle's sets; "" when all agree. Only called once the
// idoms are right, so the queries cannot loop.
std::string QueryProblems(const Cfg& cfg, const DominatorTree& tree) {
  std::map<const Block*, std::set<const Block*>> dom = ir::ComputeDominatorSets(*cfg.fn);
  std::map<const Block*, const Block*> idom = testing::OracleIdoms(*cfg.fn);
  std::string out;
  for (const auto& block : cfg.fn->blocks()) {
    if (tree.Reachable(block.get()) != (dom.count(block.get()) > 0)) {
      out += "Reachable(" + block->label() + ") is wrong\n";
    }
  }
  for (const auto& [a, a_doms] : dom) {
    std::vector<const Block*> children;
    for (const Block* b : tree.rpo) {
      if (tree.Dominates(a, b) != (dom.at(b).count(a) > 0)) {
        out += "Dominates(" + a->label() + ", " + b->label() + ") is wrong\n";
      }
      if (idom.count(b) && idom.at(b) == a) children.push_back(b);
    }
    if (Labels(tree.Children(a)) != Labels(children)) {
      out += "Children(" + a->label() + ") = " + Labels(tree.Children(a)) + ", expected " +
             Labels(children) + "\n";
    }
  }
  return out;
}

// Expects the tree and the frontiers of `cfg` to agree with the oracle; returns false
// (after one failure report) when they do not.
bool MatchesOracle(const Cfg& cfg, Where where) {
  if (cfg.fn == nullptr) return false;
  DominatorTree tree = ComputeDominatorTree(*cfg.fn);
  std::string want = testing::IdomLines(*cfg.fn, testing::OracleIdoms(*cfg.fn));
  std::string got = testing::IdomLines(*cfg.fn, tree.idom);
  std::string rpo = RpoProblems(cfg, tree);
  if (want != got || !rpo.empty()) {
    Fail(where, testing::InputSection(cfg) +
                    Section("immediate dominators (oracle | yours)", SideBySide(want, got)) +
                    Section("reverse postorder", testing::RpoText(tree) + "\n" + rpo));
    return false;
  }
  std::string queries = QueryProblems(cfg, tree);
  std::string df_want = testing::FrontierLines(*cfg.fn, testing::OracleFrontiers(*cfg.fn));
  std::string df_got = testing::FrontierLines(*cfg.fn, ComputeDominanceFrontiers(*cfg.fn, tree));
  if (queries.empty() && df_want == df_got) return true;
  Fail(where, testing::InputSection(cfg) + Section("queries on the tree", queries) +
                  Section("dominance frontiers (definition | yours)", SideBySide(df_want, df_got)));
  return false;
}

// ------------------------------------------------------------ random CFGs

// A random CFG of `blocks` blocks as IR text: each block returns, branches, or
// branches on %c, to any block but the entry (self-loops and unreachable blocks
// included). Fixed seeds make every run build the same graphs.
std::string RandomCfg(std::mt19937& rng, int blocks) {
  auto label = [](uint32_t i) { return i == 0 ? std::string("entry") : "b" + std::to_string(i); };
  auto target = [&] { return label(1 + rng() % (blocks - 1)); };
  std::string text;
  for (int i = 0; i < blocks; ++i) {
    text += label(i) + ":\n";
    uint32_t kind = rng() % 8;  // 1 in 8 return, 3 in 8 branch, half branch two ways
    if (kind == 0 || blocks == 1) {
      text += "  ret %x\n";
    } else if (kind <= 3) {
      text += "  br " + target() + "\n";
    } else {
      text += "  cond_br %c, " + target() + ", " + target() + "\n";
    }
  }
  return text;
}

// Checks `count` random CFGs of 2 to `max_blocks` blocks against the oracle,
// stopping at the first that differs.
void CheckRandomCfgs(uint32_t seed, int count, int max_blocks, Where where = Where::current()) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    Cfg cfg = ParseCfg(RandomCfg(rng, 2 + static_cast<int>(rng() % (max_blocks - 1))), where);
    if (!MatchesOracle(cfg, where)) return;
  }
}

// The reverse postorder of a recursive depth-first search visiting successors
// in terminator order: the order the header of compute_dominators.h specifies.
std::string ReferenceRpo(const ir::Function& fn) {
  std::vector<const Block*> postorder;
  std::set<const Block*> seen;
  std::function<void(const Block*)> visit = [&](const Block* b) {
    seen.insert(b);
    for (const Block* s : b->successors()) {
      if (!seen.count(s)) visit(s);
    }
    postorder.push_back(b);
  };
  visit(fn.entry());
  return Labels({postorder.rbegin(), postorder.rend()});
}

// Lowers the stack limit for the rest of the scope. Linux checks the limit each
// time the main thread's stack grows, so with 2 MiB a search that recurses once
// per block overflows on a chain of 100000 blocks at any optimization level
// (each frame takes well over 20 bytes), while an iterative one needs little.
class SmallStack {
 public:
  SmallStack() {
    getrlimit(RLIMIT_STACK, &saved_);
    rlimit small = saved_;
    small.rlim_cur = std::min<rlim_t>(saved_.rlim_cur, 2 << 20);
    setrlimit(RLIMIT_STACK, &small);
  }
  ~SmallStack() { setrlimit(RLIMIT_STACK, &saved_); }
  SmallStack(const SmallStack&) = delete;
  SmallStack& operator=(const SmallStack&) = delete;

 private:
  rlimit saved_{};
};

// A chain of `n` blocks, entry -> b1 -> ... -> b(n-1), the last one returning or,
// with `loop`, branching back to b1 or returning.
std::string Chain(int n, bool loop) {
  std::string text = "entry:\n  br b1\n";
  for (int i = 1; i < n - 1; ++i) {
    text += "b" + std::to_string(i) + ":\n  br b" + std::to_string(i + 1) + "\n";
  }
  std::string last = "b" + std::to_string(n - 1);
  return text + last + ":\n" + (loop ? "  cond_br %c, b1, exit\nexit:\n" : "") + "  ret %x\n";
}

// ============================================================ ComputeDominatorsTest

TEST(ComputeDominatorsTest, SingleBlockIsTheRootAlone) {
  Cfg cfg = ParseCfg("entry:\n  ret %x");
  ExpectIdoms(cfg, {}, "entry");
}

TEST(ComputeDominatorsTest, StraightLineIsAChain) {
  ExpectIdoms(ParseCfg(kStraightLine), {{"a", "entry"}, {"b", "a"}, {"exit", "b"}},
              "entry a b exit");
}

// The join is dominated by neither arm. The search takes `then` first and
// finishes it (after join) first, so `else` comes before `then` in reverse postorder.
TEST(ComputeDominatorsTest, DiamondJoinIsDominatedByTheEntryOnly) {
  ExpectIdoms(ParseCfg(kDiamond), {{"then", "entry"}, {"else", "entry"}, {"join", "entry"}},
              "entry else then join");
}

// entry -> then, join; then -> join
TEST(ComputeDominatorsTest, IfWithoutElse) {
  ExpectIdoms(ParseCfg(R"(entry:
  cond_br %c, then, join
then:
  br join
join:
  ret %x)"),
              {{"then", "entry"}, {"join", "entry"}}, "entry then join");
}

TEST(ComputeDominatorsTest, LoopHeaderDominatesBodyAndExit) {
  ExpectIdoms(ParseCfg(kWhileLoop), {{"header", "entry"}, {"body", "header"}, {"exit", "header"}},
              "entry header exit body");
}

TEST(ComputeDominatorsTest, NestedLoops) {
  ExpectIdoms(ParseCfg(kNestedLoops), {{"outer", "entry"},
                                       {"inner", "outer"},
                                       {"inner_body", "inner"},
                                       {"latch", "inner"},
                                       {"exit", "outer"}});
}

TEST(ComputeDominatorsTest, IfElseInsideALoop) {
  ExpectIdoms(ParseCfg(kIfInLoop), {{"header", "entry"},
                                    {"body", "header"},
                                    {"then", "body"},
                                    {"else", "body"},
                                    {"merge", "body"},
                                    {"exit", "header"}});
}

// A loop with an early exit: header -> body, exit; body -> latch, exit (break);
// latch -> header. The exit is reached from two places inside the loop.
TEST(ComputeDominatorsTest, LoopWithBreak) {
  ExpectIdoms(ParseCfg(R"(entry:
  br header
header:
  cond_br %c, body, exit
body:
  cond_br %c, latch, exit
latch:
  br header
exit:
  ret %x)"),
              {{"header", "entry"}, {"body", "header"}, {"latch", "body"}, {"exit", "header"}});
}

// A block branching to itself: the self-loop changes nothing.
TEST(ComputeDominatorsTest, SelfLoop) {
  ExpectIdoms(ParseCfg(R"(entry:
  br spin
spin:
  cond_br %c, spin, exit
exit:
  ret %x)"),
              {{"spin", "entry"}, {"exit", "spin"}}, "entry spin exit");
}

TEST(ComputeDominatorsTest, IrreducibleLoopWithTwoEntries) {
  ExpectIdoms(ParseCfg(kTwoEntryLoop),
              {{"n4", "entry"}, {"n3", "entry"}, {"n1", "entry"}, {"n2", "entry"}, {"exit", "n1"}});
}

// Needs a second pass: see kChkFigure2.
TEST(ComputeDominatorsTest, IrreducibleGraphNeedsASecondPass) {
  ExpectIdoms(ParseCfg(kChkFigure2),
              {{"n5", "entry"}, {"n4", "entry"}, {"n1", "entry"}, {"n2", "entry"}, {"n3", "entry"}},
              "entry n4 n5 n1 n2 n3");
}

// Blocks no path from the entry reaches have no idom and are not in the reverse
// postorder; their edges into reachable blocks do not count.
//   entry -> a -> b -> exit, a -> exit; dead -> b; dead2 -> dead2
TEST(ComputeDominatorsTest, UnreachableBlocksAreLeftOut) {
  Cfg cfg = ParseCfg(R"(entry:
  br a
a:
  cond_br %c, b, exit
dead:
  br b
b:
  br exit
dead2:
  br dead2
exit:
  ret %x)");
  ExpectIdoms(cfg, {{"a", "entry"}, {"b", "a"}, {"exit", "a"}}, "entry a b exit");
  DominatorTree tree = ComputeDominatorTree(*cfg.fn);
  EXPECT_FALSE(tree.Reachable(cfg["dead"]));
  EXPECT_FALSE(tree.Reachable(cfg["dead2"]));
  EXPECT_TRUE(tree.Reachable(cfg["b"]));
}

// cond_br with both targets the same block makes one edge, not two.
TEST(ComputeDominatorsTest, BranchWithBothTargetsEqual) {
  ExpectIdoms(ParseCfg(R"(entry:
  cond_br %c, a, a
a:
  cond_br %c, b, b
b:
  ret %x)"),
              {{"a", "entry"}, {"b", "a"}}, "entry a b");
}

// The order of the blocks in the text is not the order of the CFG.
TEST(ComputeDominatorsTest, TextOrderDoesNotMatter) {
  ExpectIdoms(ParseCfg(R"(entry:
  br c
a:
  ret %x
b:
  br a
c:
  cond_br %c, b, a)"),
              {{"c", "entry"}, {"b", "c"}, {"a", "c"}}, "entry c b a");
}

// A loop with two back edges (a `continue` and the normal end) into one header.
//   header -> body, exit; body -> header, more; more -> header
TEST(ComputeDominatorsTest, TwoBackEdgesIntoOneHeader) {
  ExpectIdoms(ParseCfg(R"(entry:
  br header
header:
  cond_br %c, body, exit
body:
  cond_br %c, header, more
more:
  br header
exit:
  ret %x)"),
              {{"header", "entry"}, {"body", "header"}, {"more", "body"}, {"exit", "header"}},
              "entry header exit body more");
}

TEST(ComputeDominatorsTest, ReversePostorderFollowsTerminatorOrder) {
  std::mt19937 rng(7);
  for (int i = 0; i < 100; ++i) {
    Cfg cfg = ParseCfg(RandomCfg(rng, 2 + static_cast<int>(rng() % 12)));
    if (cfg.fn == nullptr) return;
    std::string want = ReferenceRpo(*cfg.fn);
    std::string got = testing::RpoText(ComputeDominatorTree(*cfg.fn));
    if (want == got) continue;
    Fail(Where::current(),
         testing::InputSection(cfg) + Section("reverse postorder", SideBySide(want, got)));
    return;
  }
}

TEST(ComputeDominatorsTest, ReversePostorderEdgesGoForwardExceptBackEdges) {
  std::mt19937 rng(11);
  for (int i = 0; i < 200; ++i) {
    Cfg cfg = ParseCfg(RandomCfg(rng, 2 + static_cast<int>(rng() % 20)));
    if (cfg.fn == nullptr) return;
    std::string problems = RpoProblems(cfg, ComputeDominatorTree(*cfg.fn));
    if (problems.empty()) continue;
    Fail(Where::current(), testing::InputSection(cfg) + Section("reverse postorder", problems));
    return;
  }
}

TEST(ComputeDominatorsTest, DominatesAndChildrenAgreeWithTheOracle) {
  for (const char* text : {kDiamond, kNestedLoops, kIfInLoop, kTwoEntryLoop, kChkFigure2}) {
    Cfg cfg = ParseCfg(text);
    if (cfg.fn == nullptr) return;
    DominatorTree tree = ComputeDominatorTree(*cfg.fn);
    if (testing::IdomLines(*cfg.fn, tree.idom) !=
        testing::IdomLines(*cfg.fn, testing::OracleIdoms(*cfg.fn))) {
      Fail(Where::current(), testing::InputSection(cfg) +
                                 "the idoms are wrong (see the other "
                                 "tests); the queries need them right");
      return;
    }
    std::string problems = QueryProblems(cfg, tree);
    EXPECT_EQ(problems, "") << testing::InputSection(cfg);
  }
}

TEST(ComputeDominatorsTest, MatchesTheOracleOnSmallRandomCfgs) { CheckRandomCfgs(1, 300, 8); }

TEST(ComputeDominatorsTest, MatchesTheOracleOnLargerRandomCfgs) { CheckRandomCfgs(2, 100, 40); }

// A depth-first search that recurses once per block would overflow the call
// stack here; the search must keep its own stack.
TEST(ComputeDominatorsTest, HundredThousandBlockChainDoesNotOverflowTheStack) {
  constexpr int kBlocks = 100000;
  Cfg cfg = ParseCfg(Chain(kBlocks, /*loop=*/false));
  if (cfg.fn == nullptr) return;
  DominatorTree tree;
  {
    SmallStack small_stack;
    tree = ComputeDominatorTree(*cfg.fn);
  }
  ASSERT_EQ(tree.rpo.size(), static_cast<size_t>(kBlocks));
  ASSERT_EQ(tree.idom.size(), static_cast<size_t>(kBlocks - 1));
  for (int i = 1; i < kBlocks; ++i) {
    const Block* block = cfg.fn->blocks()[i].get();
    ASSERT_EQ(tree.rpo[i], block) << "position " << i << " of the reverse postorder";
    ASSERT_EQ(tree.idom.at(block), cfg.fn->blocks()[i - 1].get()) << "idom of " << block->label();
  }
}

// ============================================================ DominanceFrontiersTest

TEST(DominanceFrontiersTest, StraightLineHasEmptyFrontiers) {
  ExpectFrontiers(ParseCfg(kStraightLine), {});
}

TEST(DominanceFrontiersTest, DiamondArmsHaveTheJoin) {
  ExpectFrontiers(ParseCfg(kDiamond), {{"then", {"join"}}, {"else", {"join"}}});
}

TEST(DominanceFrontiersTest, IfWithoutElse) {
  ExpectFrontiers(ParseCfg(R"(entry:
  cond_br %c, then, join
then:
  br join
join:
  ret %x)"),
                  {{"then", {"join"}}});
}

// The header is in its own frontier (it reaches its own predecessor, body, and
// does not strictly dominate itself): a variable assigned in the loop needs a phi there.
TEST(DominanceFrontiersTest, LoopHeaderIsInItsOwnFrontier) {
  ExpectFrontiers(ParseCfg(kWhileLoop), {{"header", {"header"}}, {"body", {"header"}}});
}

TEST(DominanceFrontiersTest, NestedLoops) {
  ExpectFrontiers(ParseCfg(kNestedLoops), {{"outer", {"outer"}},
                                           {"inner", {"outer", "inner"}},
                                           {"inner_body", {"inner"}},
                                           {"latch", {"outer"}}});
}

TEST(DominanceFrontiersTest, IfElseInsideALoop) {
  ExpectFrontiers(ParseCfg(kIfInLoop), {{"header", {"header"}},
                                        {"body", {"header"}},
                                        {"then", {"merge"}},
                                        {"else", {"merge"}},
                                        {"merge", {"header"}}});
}

TEST(DominanceFrontiersTest, SelfLoopBlockIsInItsOwnFrontier) {
  ExpectFrontiers(ParseCfg(R"(entry:
  br spin
spin:
  cond_br %c, spin, exit
exit:
  ret %x)"),
                  {{"spin", {"spin"}}});
}

TEST(DominanceFrontiersTest, LoopWithBreak) {
  ExpectFrontiers(ParseCfg(R"(entry:
  br header
header:
  cond_br %c, body, exit
body:
  cond_br %c, latch, exit
latch:
  br header
exit:
  ret %x)"),
                  {{"header", {"header"}}, {"body", {"header", "exit"}}, {"latch", {"header"}}});
}

TEST(DominanceFrontiersTest, IrreducibleLoopWithTwoEntries) {
  ExpectFrontiers(ParseCfg(kTwoEntryLoop),
                  {{"n4", {"n1"}}, {"n3", {"n2"}}, {"n1", {"n2"}}, {"n2", {"n1"}}});
}

TEST(DominanceFrontiersTest, IrreducibleGraphOfCooperHarveyKennedy) {
  ExpectFrontiers(
      ParseCfg(kChkFigure2),
      {{"n5", {"n1"}}, {"n4", {"n2", "n3"}}, {"n1", {"n2"}}, {"n2", {"n1", "n3"}}, {"n3", {"n2"}}});
}

// An edge from an unreachable block into the join is not a path from the entry:
// `dead` has no frontier, and nothing gains the join through it.
//   entry -> then, join; then -> join; dead -> then
TEST(DominanceFrontiersTest, UnreachablePredecessorsAreIgnored) {
  Cfg cfg = ParseCfg(R"(entry:
  cond_br %c, then, join
dead:
  br then
then:
  br join
join:
  ret %x)");
  ExpectFrontiers(cfg, {{"then", {"join"}}});
  if (cfg.fn == nullptr || HasFailure()) return;
  auto frontiers = ComputeDominanceFrontiers(*cfg.fn, ComputeDominatorTree(*cfg.fn));
  EXPECT_EQ(frontiers.count(cfg["dead"]), 0u) << "an unreachable block has no frontier";
}

// Every reachable block has an entry in the map, an empty set when its frontier is empty.
TEST(DominanceFrontiersTest, EveryReachableBlockHasAnEntry) {
  Cfg cfg = ParseCfg(kDiamond);
  ExpectFrontiers(cfg, {{"then", {"join"}}, {"else", {"join"}}});
  if (cfg.fn == nullptr || HasFailure()) return;
  auto frontiers = ComputeDominanceFrontiers(*cfg.fn, ComputeDominatorTree(*cfg.fn));
  EXPECT_EQ(frontiers.size(), 4u);
  EXPECT_EQ(frontiers.count(cfg["entry"]), 1u);
  EXPECT_EQ(frontiers.count(cfg["join"]), 1u);
}

TEST(DominanceFrontiersTest, BranchWithBothTargetsEqual) {
  ExpectFrontiers(ParseCfg(R"(entry:
  br header
header:
  cond_br %c, header, header)"),
                  {{"header", {"header"}}});
}

TEST(DominanceFrontiersTest, MatchDefinitionOnSmallRandomCfgs) { CheckRandomCfgs(3, 300, 8); }

TEST(DominanceFrontiersTest, MatchDefinitionOnLargerRandomCfgs) { CheckRandomCfgs(4, 100, 40); }

// b1 ... b99999 form one long loop: b1 is in the frontier of every block of it.
TEST(DominanceFrontiersTest, LongLoopOfHundredThousandBlocks) {
  constexpr int kBlocks = 100000;
  Cfg cfg = ParseCfg(Chain(kBlocks, /*loop=*/true));
  if (cfg.fn == nullptr) return;
  SmallStack small_stack;
  DominatorTree tree = ComputeDominatorTree(*cfg.fn);
  const Block* last = cfg.fn->blocks()[kBlocks - 1].get();
  ASSERT_EQ(tree.idom.size(), static_cast<size_t>(kBlocks));
  for (int i = 1; i < kBlocks; ++i) {  // checked first: a wrong tree could make the walk loop
    const Block* block = cfg.fn->blocks()[i].get();
    ASSERT_EQ(tree.idom.at(block), cfg.fn->blocks()[i - 1].get()) << "idom of " << block->label();
  }
  ASSERT_EQ(tree.idom.at(cfg["exit"]), last) << "idom of exit";
  auto frontiers = ComputeDominanceFrontiers(*cfg.fn, tree);
  ASSERT_EQ(frontiers.size(), static_cast<size_t>(kBlocks + 1));
  const Block* b1 = cfg["b1"];
  for (int i = 1; i < kBlocks; ++i) {
    const Block* block = cfg.fn->blocks()[i].get();
    ASSERT_EQ(frontiers.at(block), std::set<const Block*>{b1}) << "DF(" << block->label() << ")";
  }
  EXPECT_TRUE(frontiers.at(cfg.fn->entry()).empty());
  EXPECT_TRUE(frontiers.at(cfg["exit"]).empty());
}

}  // namespace
}  // namespace tessel
