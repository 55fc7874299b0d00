// lab02 task t3 (comprehension range inference): InferRanges on the one
// comprehension of a small Tessel function `f`. Each test gives the shapes of
// the tensors the comprehension reads, its reduction indices and the values of
// the compile-time names, then checks the exact ranges and the trace, or the
// exact error and its notes. The examples are the ones of docs/language.md
// §4.6: matmul, convolution, pooling, blur, the causal mask.
#include "stages/sema/infer_ranges.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"

namespace tessel {
namespace {

using sema::ConstValue;
using sema::RangeError;
using sema::RangeProblem;
using sema::RangeSolution;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using Shapes = std::map<std::string, Shape>;
using Constants = std::map<std::string, int64_t>;
using Lines = std::vector<std::string>;

// What InferRanges gave for one comprehension.
struct Inferred {
  bool ok = false;
  RangeSolution solution;
  RangeError error;
  std::string context;  // the source and the outcome, printed when a check fails
};

// The comprehension statement of function `f` (the test fails if there is none).
const ast::ComprehensionStmt* TheComprehension(const ParsedSource& parsed) {
  for (const ast::StmtPtr& stmt : parsed.Fn("f").body->stmts) {
    if (stmt->kind == ast::StmtKind::kComprehension) return &stmt->As<ast::ComprehensionStmt>();
  }
  ADD_FAILURE() << "no comprehension in f:\n" << NumberedSource(*parsed.file);
  return nullptr;
}

// "n in 0..4, o in 0..5": ranges as one line, for readable comparisons.
std::string RangesText(const std::vector<ir::IndexVar>& vars) {
  std::string text;
  for (const ir::IndexVar& var : vars) {
    text += (text.empty() ? "" : ", ") + var.name + " in " + std::to_string(var.lo) + ".." +
            std::to_string(var.hi);
  }
  return text;
}

std::string LinesText(const Lines& lines) {
  std::string text;
  for (const std::string& line : lines) text += "    " + line + "\n";
  return text;
}

// Runs InferRanges on the comprehension of `f` in `parsed`.
Inferred Infer(const ParsedSource& parsed, const Shapes& shapes, const Lines& reduce,
               const Constants& constants = {}) {
  Inferred result;
  const ast::ComprehensionStmt* stmt = TheComprehension(parsed);
  if (!stmt) return result;
  RangeProblem problem;
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
  result.ok = sema::InferRanges(problem, &result.solution, &result.error);
  result.context = "source:\n" + NumberedSource(*parsed.file);
  if (result.ok) {
    result.context += "inferred: " + RangesText(result.solution.out) + " | reduce " +
                      RangesText(result.solution.reduce) + "\ntrace:\n" +
                      LinesText(result.solution.trace);
  } else {
    result.context +=
        "error: " + result.error.message + "\nnotes:\n" + LinesText(result.error.notes);
  }
  return result;
}

// `f` with one comprehension `statement` and the given parameters.
std::string Fn(const std::string& params, const std::string& statement) {
  return "fn f(" + params + ") -> f32 {\n  " + statement + "\n  return 0.0;\n}\n";
}

// ------------------------------------------------------------ round 1 only

// Matmul: n and o come from one operand each; the reduction index i is bounded
// by both (the same 3), and listed with the first read that gave its bound.
TEST(InferRangesTest, MatmulBoundsTheReductionIndexFromBothOperands) {
  ParsedSource parsed =
      ParseSource(Fn("x: f32[N, I], w: f32[I, O]", "y[n, o] += x[n, i] * w[i, o];"));
  Inferred r = Infer(parsed, {{"x", {4, 3}}, {"w", {3, 5}}}, {"i"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "n in 0..4, o in 0..5");
  EXPECT_EQ(RangesText(r.solution.reduce), "i in 0..3");
  EXPECT_EQ(r.solution.trace,
            (Lines{"round 1: n in 0..4, i in 0..3 from x[n, i]; o in 0..5 from w[_, o]"}));
}

// Transpose: the output indices take their ranges from the swapped dimensions.
TEST(InferRangesTest, TransposeSwapsTheDimensions) {
  ParsedSource parsed = ParseSource(Fn("x: f32[M, N]", "y[j, i] = x[i, j];"));
  Inferred r = Infer(parsed, {{"x", {2, 7}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "j in 0..7, i in 0..2");
  EXPECT_TRUE(r.solution.reduce.empty());
  EXPECT_EQ(r.solution.trace, (Lines{"round 1: i in 0..2, j in 0..7 from x[i, j]"}));
}

// Two reads bound i differently: the ranges intersect, the smaller wins, and
// the trace names the read that gave the winning bound.
TEST(InferRangesTest, TwoReadsIntersectAndTheSmallerWins) {
  ParsedSource parsed = ParseSource(Fn("a: f32[P], b: f32[Q]", "y[i] = a[i] * b[i];"));
  Inferred r = Infer(parsed, {{"a", {5}}, {"b", {3}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..3");
  EXPECT_EQ(r.solution.trace, (Lines{"round 1: i in 0..3 from b[i]"}));
}

// Reads nested in a subscript and in a call argument are reads too: a[i]
// inside exp(...) bounds i, idx[j] inside x's subscript bounds j. x[idx[j], 0]
// itself bounds nothing (idx[j] is not affine; 0 has no index).
TEST(InferRangesTest, ReadsInsideCallsAndSubscriptsBound) {
  ParsedSource parsed = ParseSource(
      Fn("a: f32[P], idx: i32[Q], x: f32[R, S]", "y[i, j] = exp(a[i]) * x[idx[j], 0];"));
  Inferred r = Infer(parsed, {{"a", {6}}, {"idx", {4}}, {"x", {2, 2}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..6, j in 0..4");
}

// x[i * j] is not affine (a product of two indices) and constrains nothing;
// a and b bound i and j, and the 4 of x does not shrink them.
TEST(InferRangesTest, NonAffineSubscriptIsIgnored) {
  ParsedSource parsed =
      ParseSource(Fn("x: f32[K], a: f32[P], b: f32[Q]", "y[i, j] = x[i * j] + a[i] + b[j];"));
  Inferred r = Infer(parsed, {{"x", {4}}, {"a", {3}}, {"b", {5}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..3, j in 0..5");
  EXPECT_EQ(r.solution.trace, (Lines{"round 1: i in 0..3 from a[i]; j in 0..5 from b[j]"}));
}

// k is a value known only at run time (the lookup does not know it), so
// x[i + k] is not affine and its dimension 2 must not bound i; a bounds i.
TEST(InferRangesTest, DynamicNameMakesASubscriptNonAffine) {
  ParsedSource parsed = ParseSource(Fn("x: f32[K], a: f32[P], k: i32", "y[i] = x[i + k] * a[i];"));
  Inferred r = Infer(parsed, {{"x", {2}}, {"a", {6}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..6");
}

// ------------------------------------------------------------ several rounds

// docs/language.md §4.6: round 1 gives n, c from x and k, r, s from w; round 2
// gives h in 0..H - R + 1 and v in 0..W - S + 1 from h + r and v + s.
TEST(InferRangesTest, ConvolutionNeedsTwoRounds) {
  ParsedSource parsed = ParseSource(Fn("x: f32[N, C, H, W], w: f32[K, C, R, S]",
                                       "y[n, k, h, v] += x[n, c, h + r, v + s] * w[k, c, r, s];"));
  Inferred r = Infer(parsed, {{"x", {2, 3, 10, 11}}, {"w", {4, 3, 3, 2}}}, {"c", "r", "s"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "n in 0..2, k in 0..4, h in 0..8, v in 0..10");
  EXPECT_EQ(RangesText(r.solution.reduce), "c in 0..3, r in 0..3, s in 0..2");
  EXPECT_EQ(r.solution.trace, (Lines{"round 1: n in 0..2, c in 0..3 from x[n, c, _, _]; "
                                     "k in 0..4, r in 0..3, s in 0..2 from w[k, _, r, s]",
                                     "round 2: h in 0..8, v in 0..10 from x[_, _, h + r, v + s]"}));
}

// The reduction index k appears only next to i (w[i + k]); once round 1 knows
// i in 0..4 from x, round 2 bounds k so that i + k <= 5 for every i <= 3.
TEST(InferRangesTest, ReductionIndexBoundedOnlyInALaterRound) {
  ParsedSource parsed = ParseSource(Fn("x: f32[N], w: f32[M]", "y[i] += x[i] * w[i + k];"));
  Inferred r = Infer(parsed, {{"x", {4}}, {"w", {6}}}, {"k"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..4");
  EXPECT_EQ(RangesText(r.solution.reduce), "k in 0..3");
  EXPECT_EQ(r.solution.trace,
            (Lines{"round 1: i in 0..4 from x[i]", "round 2: k in 0..3 from w[i + k]"}));
}

// ------------------------------------------------------------ strides and coefficients

// maxpool2x2: 2 * h + i <= 7 with i in 0..2 gives h in 0..4 (H / 2), and
// 2 * v + j <= 5 gives v in 0..3.
TEST(InferRangesTest, StridedPoolingDividesByTheStride) {
  ParsedSource parsed = ParseSource(
      Fn("x: f32[N, C, H, W]",
         "y[n, c, h, v] max= x[n, c, 2 * h + i, 2 * v + j] where i in 0..2, j in 0..2;"));
  Inferred r = Infer(parsed, {{"x", {1, 2, 8, 6}}}, {"i", "j"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "n in 0..1, c in 0..2, h in 0..4, v in 0..3");
  EXPECT_EQ(RangesText(r.solution.reduce), "i in 0..2, j in 0..2");
  EXPECT_EQ(r.solution.trace, (Lines{"round 0: i in 0..2, j in 0..2 from where",
                                     "round 1: n in 0..1, c in 0..2, h in 0..4, v in 0..3 "
                                     "from x[n, c, 2 * h + i, 2 * v + j]"}));
}

// An odd size rounds down: 2 * h + 1 <= 6 gives h <= 2, so 7 rows give 3
// outputs and the last row is dropped (likewise 5 columns give 2).
TEST(InferRangesTest, StridedPoolingOfAnOddSizeRoundsDown) {
  ParsedSource parsed = ParseSource(
      Fn("x: f32[N, C, H, W]",
         "y[n, c, h, v] max= x[n, c, 2 * h + i, 2 * v + j] where i in 0..2, j in 0..2;"));
  Inferred r = Infer(parsed, {{"x", {1, 1, 7, 5}}}, {"i", "j"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "n in 0..1, c in 0..1, h in 0..3, v in 0..2");
}

// The stride is a compile-time name (a specialized scalar parameter): with
// stride 2 and a window of 3, 2 * h + 2 <= 8 gives h in 0..4.
TEST(InferRangesTest, StrideFromACompileTimeName) {
  ParsedSource parsed =
      ParseSource(Fn("x: f32[L], stride: i32", "y[h] max= x[stride * h + i] where i in 0..3;"));
  Inferred r = Infer(parsed, {{"x", {9}}}, {"i"}, {{"stride", 2}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "h in 0..4");
  EXPECT_EQ(r.solution.trace,
            (Lines{"round 0: i in 0..3 from where", "round 1: h in 0..4 from x[stride * h + i]"}));
}

// Reversal: N - 1 - i with N = 5 stays in 0..4 exactly for i in 0..5.
TEST(InferRangesTest, NegativeCoefficientReversesTheBounds) {
  ParsedSource parsed = ParseSource(Fn("x: f32[N]", "y[i] = x[N - 1 - i];"));
  Inferred r = Infer(parsed, {{"x", {5}}}, {}, {{"N", 5}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..5");
}

// M - 2 * i with M = 10 and a dimension of 6: 10 - 2 * i <= 5 needs i >= 2.5,
// so i starts at 3 (a ceiling of a negative division, not a truncation), and
// 10 - 2 * i >= 0 gives i <= 5.
TEST(InferRangesTest, NegativeStrideRoundsTheLowerBoundUp) {
  ParsedSource parsed = ParseSource(Fn("x: f32[K], w: f32[J]", "y[j] += x[M - 2 * i] * w[j];"));
  Inferred r = Infer(parsed, {{"x", {6}}, {"w", {3}}}, {"i"}, {{"M", 10}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "j in 0..3");
  EXPECT_EQ(RangesText(r.solution.reduce), "i in 3..6");
}

// ------------------------------------------------------------ where

// The blur with its window given: round 0 has r and s, round 1 gets the rest.
TEST(InferRangesTest, BlurWithAWhereClauseInfersTheOutputSize) {
  ParsedSource parsed =
      ParseSource(Fn("x: f32[N, C, H, W]",
                     "y[n, c, h, v] += x[n, c, h + r, v + s] / 9.0 where r in 0..3, s in 0..3;"));
  Inferred r = Infer(parsed, {{"x", {1, 2, 6, 7}}}, {"r", "s"});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "n in 0..1, c in 0..2, h in 0..4, v in 0..5");
  EXPECT_EQ(RangesText(r.solution.reduce), "r in 0..3, s in 0..3");
  EXPECT_EQ(r.solution.trace, (Lines{"round 0: r in 0..3, s in 0..3 from where",
                                     "round 1: n in 0..1, c in 0..2, h in 0..4, v in 0..5 "
                                     "from x[n, c, h + r, v + s]"}));
}

// The causal mask reads no tensor: both ranges come from the where clause,
// whose bound T is a compile-time name.
TEST(InferRangesTest, CausalMaskTakesItsRangesFromWhere) {
  ParsedSource parsed = ParseSource(
      Fn("q: f32[T, D]", "mask[t, u] = select(u > t, -1e9, 0.0) where t in 0..T, u in 0..T;"));
  Inferred r = Infer(parsed, {{"q", {5, 8}}}, {}, {{"T", 5}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "t in 0..5, u in 0..5");
  EXPECT_EQ(r.solution.trace, (Lines{"round 0: t in 0..5, u in 0..5 from where"}));
}

// Where bounds are evaluated with + - * / % over literals and constants:
// 2 * W - 1 with W = 3 is 5, so h + r <= 9 gives h in 0..6.
TEST(InferRangesTest, WhereBoundFromAConstantExpression) {
  ParsedSource parsed = ParseSource(Fn("x: f32[L]", "y[h] += x[h + r] where r in 0..2 * W - 1;"));
  Inferred r = Infer(parsed, {{"x", {10}}}, {"r"}, {{"W", 3}});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "h in 0..6");
  EXPECT_EQ(RangesText(r.solution.reduce), "r in 0..5");
}

// A where range may name an output index; it is kept as given even where a
// subscript would allow more.
TEST(InferRangesTest, WhereRangeOfAnOutputIndexIsKept) {
  ParsedSource parsed = ParseSource(Fn("x: f32[L]", "y[i] = x[i] where i in 0..2;"));
  Inferred r = Infer(parsed, {{"x", {5}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(RangesText(r.solution.out), "i in 0..2");
  EXPECT_EQ(r.solution.trace, (Lines{"round 0: i in 0..2 from where"}));
}

// ------------------------------------------------------------ errors

// The blur without where: round 1 knows n and c; then both h + r and v + s
// have two unknown indices. The error names r (the window is what the user
// must give; h follows from it), points at the statement, and its notes give
// the rounds, why round 2 is stuck, and the suggestion.
TEST(InferRangesTest, BlurWithoutWhereCannotInferTheWindow) {
  ParsedSource parsed =
      ParseSource(Fn("x: f32[N, C, H, W]", "y[n, c, h, v] += x[n, c, h + r, v + s] / 9.0;"));
  Inferred r = Infer(parsed, {{"x", {1, 2, 6, 6}}}, {"r", "s"});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message, "cannot infer the range of index 'r'");
  EXPECT_EQ(r.error.range.begin.line, 2u);
  EXPECT_EQ(r.error.range.begin.col, 3u);
  EXPECT_EQ(r.error.notes,
            (Lines{"round 1: n in 0..1, c in 0..2 from x[n, c, _, _]",
                   "round 2: no progress: x[_, _, h + r, _] has two unknown indices (h, r); "
                   "x[_, _, _, v + s] has two unknown indices (v, s)",
                   "give the missing ranges with `where r in 0..?, s in 0..?`"}));
}

// The causal mask without where: no subscript mentions t or u at all.
TEST(InferRangesTest, CausalMaskWithoutWhereCannotInferItsIndices) {
  ParsedSource parsed = ParseSource(Fn("q: f32[T, D]", "mask[t, u] = select(u > t, -1e9, 0.0);"));
  Inferred r = Infer(parsed, {{"q", {5, 8}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message, "cannot infer the range of index 't'");
  EXPECT_EQ(r.error.notes, (Lines{"round 1: no progress: 't', 'u' appear in no affine subscript",
                                  "give the missing ranges with `where t in 0..?, u in 0..?`"}));
}

// x[i - 1] allows i in 1..6, but an output index must start at 0. The error
// points at the output index on the left and the note shows where 1 came from.
TEST(InferRangesTest, OffsetSubscriptMakesAnOutputStartAtOne) {
  ParsedSource parsed = ParseSource(Fn("x: f32[L]", "y[i] = x[i - 1];"));
  Inferred r = Infer(parsed, {{"x", {5}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message, "output index 'i' would start at 1; output indices start at 0");
  EXPECT_EQ(r.error.range.begin.line, 2u);
  EXPECT_EQ(r.error.range.begin.col, 5u);
  EXPECT_EQ(r.error.notes, (Lines{"round 1: i in 1..6 from x[i - 1]"}));
}

// A where range of an output index must start at 0 too.
TEST(InferRangesTest, WhereRangeOfAnOutputIndexMustStartAtZero) {
  ParsedSource parsed = ParseSource(Fn("x: f32[L]", "y[i] = x[i] where i in 1..3;"));
  Inferred r = Infer(parsed, {{"x", {5}}}, {});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message, "output index 'i' would start at 1; output indices start at 0");
}

// A window of 5 on a dimension of 3: no h keeps h + r inside for every r.
TEST(InferRangesTest, WindowLargerThanTheInputIsAnEmptyRange) {
  ParsedSource parsed = ParseSource(Fn("x: f32[L]", "y[h] += x[h + r] where r in 0..5;"));
  Inferred r = Infer(parsed, {{"x", {3}}}, {"r"});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message,
            "index 'h' has an empty range: x[h + r] with r in 0..5 needs dimension 0 to be at "
            "least 5, found 3");
  EXPECT_EQ(r.error.notes, (Lines{"round 0: r in 0..5 from where"}));
}

// Each read alone allows some i (3..5 and 0..2) but not the same ones.
TEST(InferRangesTest, DisjointBoundsAreAnEmptyRange) {
  ParsedSource parsed =
      ParseSource(Fn("x: f32[K], z: f32[K], w: f32[J]", "y[j] += x[i - 3] * z[i] * w[j];"));
  Inferred r = Infer(parsed, {{"x", {2}}, {"z", {2}}, {"w", {4}}}, {"i"});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message,
            "index 'i' has an empty range: x[i - 3] needs i >= 3 but z[i] needs i < 2");
}

// A where bound must be known at compile time; k is a run-time value. The
// error points at the bound.
TEST(InferRangesTest, WhereBoundThatIsNotACompileTimeIntegerIsAnError) {
  ParsedSource parsed = ParseSource(Fn("x: f32[L], k: i32", "y[h] += x[h + r] where r in 0..k;"));
  Inferred r = Infer(parsed, {{"x", {8}}}, {"r"});
  SCOPED_TRACE(r.context);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.message, "where bound 'k' is not a compile-time integer");
  EXPECT_EQ(r.error.range.begin.line, 2u);
  EXPECT_EQ(r.error.range.begin.col, 34u);
}

}  // namespace
}  // namespace tessel
