// lab02 hidden tests for task t3 (comprehension range inference): subscripts
// the public tests do not show. Negative coefficients on a known index and on
// the unknown one, a product that distributes over a sum, an index twice in one
// subscript, integer division between constants, two subscripts that bound one
// reduction index from different sides, and three rounds in a chain.
// The instructor's copy only: a student release leaves this folder out.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/sema/infer_ranges.h"

namespace tessel {
namespace {

using sema::ConstValue;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using Lines = std::vector<std::string>;

// "n in 0..4, o in 0..5".
std::string RangesText(const std::vector<ir::IndexVar>& vars) {
  std::string text;
  for (const ir::IndexVar& var : vars) {
    text += (text.empty() ? "" : ", ") + var.name + " in " + std::to_string(var.lo) + ".." +
            std::to_string(var.hi);
  }
  return text;
}

// What InferRanges gave for the comprehension of `fn f(params)`.
struct Inferred {
  bool ok = false;
  std::string out, reduce;
  Lines trace;
  std::string error;
  std::string context;
};

Inferred Infer(const std::string& params, const std::string& statement,
               const std::map<std::string, Shape>& shapes, const Lines& reduce,
               const std::map<std::string, int64_t>& constants = {}) {
  Inferred result;
  ParsedSource parsed =
      ParseSource("fn f(" + params + ") -> f32 {\n  " + statement + "\n  return 0.0;\n}\n");
  const ast::ComprehensionStmt* stmt = nullptr;
  for (const ast::StmtPtr& s : parsed.Fn("f").body->stmts) {
    if (s->kind == ast::StmtKind::kComprehension) stmt = &s->As<ast::ComprehensionStmt>();
  }
  if (stmt == nullptr) {
    ADD_FAILURE() << "no comprehension in f:\n" << NumberedSource(*parsed.file);
    return result;
  }
  sema::RangeProblem problem;
  problem.stmt = stmt;
  problem.reduce = reduce;
  problem.tensor_shape = [&shapes](const std::string& name) -> const Shape* {
    auto it = shapes.find(name);
    return it == shapes.end() ? nullptr : &it->second;
  };
  problem.lookup = [&constants](const std::string& name) -> std::optional<ConstValue> {
    auto it = constants.find(name);
    if (it == constants.end()) return std::nullopt;
    return ConstValue::Int(it->second);
  };
  sema::RangeSolution solution;
  sema::RangeError error;
  result.ok = sema::InferRanges(problem, &solution, &error);
  result.out = RangesText(solution.out);
  result.reduce = RangesText(solution.reduce);
  result.trace = solution.trace;
  result.error = error.message;
  result.context = "source:\n" + NumberedSource(*parsed.file) + "inferred: " + result.out +
                   " | reduce " + result.reduce + "\nerror: " + result.error + "\ntrace:\n";
  for (const std::string& line : result.ok ? solution.trace : error.notes) {
    result.context += "    " + line + "\n";
  }
  return result;
}

// o + 4 - r with r in 0..3: the other terms, 4 - r, span 2..4 (the coefficient
// of r is negative, so its largest value comes from r's smallest). The read
// stays inside x: f32[10] for every r exactly when o <= 5.
TEST(HiddenInferRangesTest, NegativeCoefficientOnAKnownIndex) {
  Inferred r = Infer("x: f32[N]", "y[o] += x[o + 4 - r] where r in 0..3;", {{"x", {10}}}, {"r"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.out, "o in 0..6");
  EXPECT_EQ(r.reduce, "r in 0..3");
  EXPECT_EQ(r.trace,
            (Lines{"round 0: r in 0..3 from where", "round 1: o in 0..6 from x[o + 4 - r]"}));
}

// 8 - 3 * j must lie in 0..4: j >= 4/3 and j <= 8/3, so j is 2 and nothing
// else. Rounding 4/3 toward zero would admit j = 1, which reads x[_, 5].
TEST(HiddenInferRangesTest, NegativeCoefficientRoundsBothBoundsInward) {
  Inferred r = Infer("x: f32[M, N]", "y[i] += x[i, 8 - 3 * j];", {{"x", {3, 5}}}, {"j"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.out, "i in 0..3");
  EXPECT_EQ(r.reduce, "j in 2..3");
  EXPECT_EQ(r.trace, (Lines{"round 1: i in 0..3, j in 2..3 from x[i, 8 - 3 * j]"}));
}

// 3 * (i + 1) - 1 is 3 * i + 2: a constant times a sum distributes.
TEST(HiddenInferRangesTest, ProductOfAConstantAndASumIsAffine) {
  Inferred r = Infer("x: f32[N]", "y[i] = x[3 * (i + 1) - 1];", {{"x", {11}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.out, "i in 0..3");
  EXPECT_EQ(r.trace, (Lines{"round 1: i in 0..3 from x[3 * (i + 1) - 1]"}));
}

// i + i + j is 2 * i + j, and h - h is no term at all.
TEST(HiddenInferRangesTest, AnIndexTwiceInOneSubscriptAddsItsCoefficients) {
  Inferred r = Infer("x: f32[N], z: f32[M]", "y[i] += x[i + i + j] * z[h - h + j] where j in 0..2;",
                     {{"x", {7}}, {"z", {4}}}, {"j", "h"});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok) << "h appears in no subscript once h - h cancels";
  EXPECT_EQ(r.error, "cannot infer the range of index 'h'");
  r = Infer("x: f32[N]", "y[i] += x[i + i + j] where j in 0..2;", {{"x", {7}}}, {"j"});
  ASSERT_TRUE(r.ok) << r.context;
  EXPECT_EQ(r.out, "i in 0..3") << r.context;
}

// (K - 7) / 2 with K = 4 is -3 / 2, which Tessel rounds toward zero: -1, so
// r - 1 must lie in 0..4 and r runs over 1..6.
TEST(HiddenInferRangesTest, DivisionBetweenConstantsRoundsTowardZero) {
  Inferred r =
      Infer("x: f32[M, N]", "y[o] += x[o, r + (K - 7) / 2];", {{"x", {2, 5}}}, {"r"}, {{"K", 4}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.out, "o in 0..2");
  EXPECT_EQ(r.reduce, "r in 1..6");
}

// K - r needs r >= 3 in x (K = 6, dimension 4); r - 1 needs r <= 5 in z. The
// range intersects both, and the trace names z, which gave the upper bound.
TEST(HiddenInferRangesTest, TwoSubscriptsBoundAReductionIndexFromEachSide) {
  Inferred r = Infer("x: f32[M, N], z: f32[P]", "y[o] += x[o, K - r] * z[r - 1];",
                     {{"x", {2, 4}}, {"z", {5}}}, {"r"}, {{"K", 6}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.out, "o in 0..2");
  EXPECT_EQ(r.reduce, "r in 3..6");
  EXPECT_EQ(r.trace, (Lines{"round 1: o in 0..2 from x[o, _]; r in 3..6 from z[r - 1]"}));
}

// c is bounded by v alone; then b by w once c is known; then a by x once b is.
TEST(HiddenInferRangesTest, ThreeRoundsInAChain) {
  Inferred r = Infer("x: f32[N], w: f32[M], v: f32[P]", "y[a] += x[a + b] * w[b + c] * v[c];",
                     {{"x", {10}}, {"w", {6}}, {"v", {4}}}, {"b", "c"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.out, "a in 0..8");
  EXPECT_EQ(r.reduce, "b in 0..3, c in 0..4");
  EXPECT_EQ(r.trace, (Lines{"round 1: c in 0..4 from v[c]", "round 2: b in 0..3 from w[b + c]",
                            "round 3: a in 0..8 from x[a + b]"}));
}

}  // namespace
}  // namespace tessel
