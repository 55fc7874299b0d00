// Comprehension range inference (lab02, task t3): InferRanges of
// stages/sema/infer_ranges.h, called by the type checker for every comprehension.
// Its data and the arithmetic of one subscript (affine_forms.cpp) are in
// stages/sema/range_inference.h.
//
// The method is Tensor Comprehensions' (Vasilache et al., "Tensor
// Comprehensions", 2018, §3.2), on affine subscripts:
//   0) round 0: the ranges the `where` clause gives;
//   1) every subscript of a tensor read is put in affine form
//      sum(c_i * index_i) + c0, or marked non-affine (a product of indices, a
//      dynamic value), which never constrains anything;
//   2) each round, a subscript with exactly one index of unknown range bounds
//      it: 0 <= subscript <= dim - 1 must hold for every value of the known
//      indices (affine_forms.cpp, BoundFromSubscript); the bounds found in one
//      round are intersected and become known together at the end of the round;
//   3) rounds repeat until every index is known, or a round finds nothing: then
//      the error explains which subscripts were stuck and suggests a `where`.
// Every round is recorded as one trace line, which the error notes repeat.
#include "stages/sema/infer_ranges.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/sema/format_expr.h"
#include "stages/sema/range_inference.h"

namespace tessel::sema {

namespace ranges {

std::vector<std::string> Inference::Unknown() const {
  std::vector<std::string> unknown;
  for (const std::string& index : problem->stmt->indices) {
    if (!known.count(index)) unknown.push_back(index);
  }
  for (const std::string& index : problem->reduce) {
    if (!known.count(index)) unknown.push_back(index);
  }
  return unknown;
}

namespace {

// ------------------------------------------------------------ the subscripts

// The indices of `form` whose range is still unknown, in order.
std::vector<std::string> UnknownIn(const AffineForm& form, const Inference& inference) {
  std::vector<std::string> unknown;
  for (const auto& [name, coeff] : form.terms) {
    if (!inference.known.count(name)) unknown.push_back(name);
  }
  return unknown;
}

// Adds every tensor read in `expr` (subscripts and call arguments included)
// to `subscripts`, one entry per dimension. A read whose number of subscripts
// differs from the tensor's rank is left to the type checker to report.
void CollectSubscripts(const ast::Expr& expr, const RangeProblem& problem,
                       std::vector<Subscript>& subscripts) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kName:
      return;
    case ast::ExprKind::kUnary:
      CollectSubscripts(*expr.As<ast::UnaryExpr>().operand, problem, subscripts);
      return;
    case ast::ExprKind::kBinary:
      CollectSubscripts(*expr.As<ast::BinaryExpr>().lhs, problem, subscripts);
      CollectSubscripts(*expr.As<ast::BinaryExpr>().rhs, problem, subscripts);
      return;
    case ast::ExprKind::kIndex: {
      const auto& read = expr.As<ast::IndexExpr>();
      const Shape* shape = nullptr;
      if (read.base->kind == ast::ExprKind::kName) {
        shape = problem.tensor_shape(read.base->As<ast::NameExpr>().name);
      }
      if (shape && shape->size() == read.indices.size()) {
        for (size_t dim = 0; dim < read.indices.size(); ++dim) {
          subscripts.push_back({&read, read.base->As<ast::NameExpr>().name, dim, (*shape)[dim],
                                ToAffine(*read.indices[dim], problem)});
        }
      }
      CollectSubscripts(*read.base, problem, subscripts);
      for (const ast::ExprPtr& subscript : read.indices) {
        CollectSubscripts(*subscript, problem, subscripts);
      }
      return;
    }
    case ast::ExprKind::kCall:
      for (const ast::Argument& arg : expr.As<ast::CallExpr>().args) {
        CollectSubscripts(*arg.value, problem, subscripts);
      }
      return;
    case ast::ExprKind::kList:
      for (const ast::ExprPtr& element : expr.As<ast::ListExpr>().elements) {
        CollectSubscripts(*element, problem, subscripts);
      }
      return;
  }
}

// ------------------------------------------------------------ round 0: where

// The value of a where bound: integer literals, names `lookup` knows, unary
// minus and + - * / % (rounding toward zero).
std::optional<int64_t> EvaluateBound(const ast::Expr& expr, const NameLookup& lookup,
                                     bool* div_by_zero) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
      return expr.As<ast::IntLiteral>().value;
    case ast::ExprKind::kName:
      return LookupInt(lookup, expr.As<ast::NameExpr>().name);
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      std::optional<int64_t> value = EvaluateBound(*unary.operand, lookup, div_by_zero);
      if (!value || unary.op != ast::UnaryOp::kNeg) return std::nullopt;
      return -*value;
    }
    case ast::ExprKind::kBinary: {
      const auto& binary = expr.As<ast::BinaryExpr>();
      std::optional<int64_t> lhs = EvaluateBound(*binary.lhs, lookup, div_by_zero);
      std::optional<int64_t> rhs = EvaluateBound(*binary.rhs, lookup, div_by_zero);
      if (!lhs || !rhs) return std::nullopt;
      if (binary.op == ast::BinaryOp::kAdd) return *lhs + *rhs;
      if (binary.op == ast::BinaryOp::kSub) return *lhs - *rhs;
      if (binary.op == ast::BinaryOp::kMul) return *lhs * *rhs;
      if (binary.op != ast::BinaryOp::kDiv && binary.op != ast::BinaryOp::kMod) return std::nullopt;
      if (*rhs == 0) {
        *div_by_zero = true;
        return std::nullopt;
      }
      return binary.op == ast::BinaryOp::kDiv ? *lhs / *rhs : *lhs % *rhs;
    }
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kCall:
    case ast::ExprKind::kList:
      return std::nullopt;
  }
  return std::nullopt;
}

// One bound of a where range, or an error at it: "where bound 'T + k' is not a
// compile-time integer", "where bound 'N / 0' divides by zero".
std::optional<int64_t> WhereBound(const ast::Expr& bound, const NameLookup& lookup,
                                  RangeError* error) {
  bool div_by_zero = false;
  std::optional<int64_t> value = EvaluateBound(bound, lookup, &div_by_zero);
  if (!value) {
    std::string why = div_by_zero ? "divides by zero" : "is not a compile-time integer";
    *error = {"where bound '" + FormatExpr(bound) + "' " + why, bound.range, {}};
  }
  return value;
}

bool IsOutput(const RangeProblem& problem, const std::string& index) {
  const std::vector<std::string>& out = problem.stmt->indices;
  return std::find(out.begin(), out.end(), index) != out.end();
}

// Round 0: every where range becomes known, checked: bounds are compile-time
// integers, ranges are non-empty and never negative, output ranges start at 0.
bool ApplyWhere(Inference& inference, RangeError* error) {
  const RangeProblem& problem = *inference.problem;
  std::vector<std::string> given;
  for (const ast::IndexRange& where : problem.stmt->where) {
    std::string name = "'" + where.index + "'";
    if (!IsIndex(problem, where.index)) {
      *error = {name + " in the where clause is not an index of this comprehension",
                where.index_range,
                {}};
      return false;
    }
    if (inference.known.count(where.index)) {
      *error = {"index " + name + " has two where ranges", where.index_range, {}};
      return false;
    }
    std::optional<int64_t> lo = WhereBound(*where.lo, problem.lookup, error);
    if (!lo) return false;
    std::optional<int64_t> hi = WhereBound(*where.hi, problem.lookup, error);
    if (!hi) return false;
    Range range{*lo, *hi};
    if (IsOutput(problem, where.index) && range.lo != 0) {
      *error = OutputStartError(where.index, range.lo, where.index_range);
      return false;
    }
    if (range.lo < 0) {
      *error = {"index " + name + " would start at " + std::to_string(range.lo) +
                    "; indices are never negative",
                where.index_range,
                {}};
      return false;
    }
    if (range.hi <= range.lo) {
      *error = {"index " + name + " has an empty range " + RangeText(range), where.index_range, {}};
      return false;
    }
    inference.known[where.index] = range;
    given.push_back(where.index + " in " + RangeText(range));
  }
  if (!given.empty()) inference.trace.push_back("round 0: " + Join(given, ", ") + " from where");
  return true;
}

// ------------------------------------------------------------ rounds

enum class RoundResult { kProgress, kStuck, kError };

// One round: every affine subscript with exactly one unknown index bounds it
// (BoundFromSubscript); the bounds of one index intersect (Bounded records
// which subscript gave each side). An empty range is an error (EmptyFromOne
// for one subscript, EmptyFromTwo when two disagree). At the end of the round
// the ranges found become known and TraceLine records them. kStuck: no
// subscript had exactly one unknown index.
RoundResult RunRound(Inference& inference, int round, RangeError* error) {
  // BEGIN SOLUTION lab02.t3: bound single-unknown subscripts, intersect, make known at the end
  RoundFindings findings;
  for (const Subscript& subscript : inference.subscripts) {
    if (!subscript.form) continue;
    std::vector<std::string> unknown = UnknownIn(*subscript.form, inference);
    if (unknown.size() != 1) continue;
    const std::string& index = unknown[0];
    Range range = BoundFromSubscript(subscript, index, inference);
    if (range.hi <= range.lo) {
      *error = EmptyFromOne(subscript, index, inference);
      return RoundResult::kError;
    }
    auto [it, first] = findings.try_emplace(index, Bounded{range, &subscript, &subscript});
    Bounded& bounded = it->second;
    if (first) continue;
    if (range.lo > bounded.range.lo) {
      bounded.range.lo = range.lo;
      bounded.lo_from = &subscript;
    }
    if (range.hi < bounded.range.hi) {
      bounded.range.hi = range.hi;
      bounded.hi_from = &subscript;
    }
    if (bounded.range.hi <= bounded.range.lo) {
      *error = EmptyFromTwo(*bounded.lo_from, *bounded.hi_from, index, bounded.range, inference);
      return RoundResult::kError;
    }
  }
  if (findings.empty()) return RoundResult::kStuck;
  for (const auto& [index, bounded] : findings) inference.known[index] = bounded.range;
  inference.trace.push_back(TraceLine(round, findings));
  return RoundResult::kProgress;
  // END SOLUTION
}

// Why round `round` found nothing, as one note. Each distinct affine
// subscript with two or more unknown indices, then the unknown indices that
// appear in no affine subscript at all, separated by "; ":
//   "round 2: no progress: x[_, _, h + r, _] has two unknown indices (h, r);
//    x[_, _, _, v + s] has two unknown indices (v, s)"
//   "round 1: no progress: 't', 'u' appear in no affine subscript"
// (CountWord spells the count; "'t' appears" when there is one such index).
std::string NoProgressNote(const Inference& inference, int round) {
  // BEGIN SOLUTION lab02.t3: subscripts with 2+ unknown indices, then indices in no subscript
  std::vector<std::string> reasons;
  std::set<std::string> listed;     // subscript texts already explained
  std::set<std::string> mentioned;  // unknown indices some affine subscript has
  for (const Subscript& subscript : inference.subscripts) {
    if (!subscript.form) continue;
    std::vector<std::string> unknown = UnknownIn(*subscript.form, inference);
    mentioned.insert(unknown.begin(), unknown.end());
    std::string text = SubscriptText(subscript);
    if (unknown.size() < 2 || !listed.insert(text).second) continue;
    reasons.push_back(text + " has " + CountWord(unknown.size()) + " unknown indices (" +
                      Join(unknown, ", ") + ")");
  }
  std::vector<std::string> nowhere;
  for (const std::string& index : inference.Unknown()) {
    if (!mentioned.count(index)) nowhere.push_back("'" + index + "'");
  }
  if (!nowhere.empty()) {
    reasons.push_back(Join(nowhere, ", ") + (nowhere.size() == 1 ? " appears" : " appear") +
                      " in no affine subscript");
  }
  return "round " + std::to_string(round) + ": no progress: " + Join(reasons, "; ");
  // END SOLUTION
}

// The error when round `round` found nothing. It names the first index the
// user should give a where range for: the unknown reduction indices (an
// output index usually follows from them), then the unknown output indices
// that no affine subscript mentions. Its notes are the trace so far,
// NoProgressNote, and a suggestion listing those indices:
//   "give the missing ranges with `where r in 0..?, s in 0..?`"
//   ("give the missing range with `where t in 0..?`" for one index).
// It points at the whole statement.
void ExplainFailure(const Inference& inference, int round, RangeError* error) {
  // BEGIN SOLUTION lab02.t3: pick the indices to suggest; message, trace, note, suggestion
  std::set<std::string> mentioned;
  for (const Subscript& subscript : inference.subscripts) {
    if (subscript.form) {
      for (const auto& [name, coeff] : subscript.form->terms) mentioned.insert(name);
    }
  }
  std::vector<std::string> missing;
  for (const std::string& index : inference.problem->reduce) {
    if (!inference.known.count(index)) missing.push_back(index);
  }
  for (const std::string& index : inference.problem->stmt->indices) {
    if (!inference.known.count(index) && !mentioned.count(index)) missing.push_back(index);
  }
  if (missing.empty()) missing = inference.Unknown();  // output indices stuck among themselves
  std::vector<std::string> wheres;
  for (const std::string& index : missing) wheres.push_back(index + " in 0..?");
  error->message = "cannot infer the range of index '" + missing[0] + "'";
  error->range = inference.problem->stmt->range;
  error->notes = inference.trace;
  error->notes.push_back(NoProgressNote(inference, round));
  error->notes.push_back(std::string("give the missing range") + (missing.size() > 1 ? "s" : "") +
                         " with `where " + Join(wheres, ", ") + "`");
  // END SOLUTION
}

// Step 3: rounds until every index is known (true), or until a round finds
// nothing (ExplainFailure) or an empty range (false, `error` set). Rounds are
// numbered from 1; an index known from the where clause needs no round.
bool InferByRounds(Inference& inference, RangeError* error) {
  // BEGIN SOLUTION lab02.t3: RunRound with round = 1, 2, ... while some index is unknown
  for (int round = 1; !inference.Unknown().empty(); ++round) {
    switch (RunRound(inference, round, error)) {
      case RoundResult::kProgress:
        break;
      case RoundResult::kStuck:
        ExplainFailure(inference, round, error);
        return false;
      case RoundResult::kError:
        return false;
    }
  }
  return true;
  // END SOLUTION
}

}  // namespace

}  // namespace ranges

bool InferRanges(const RangeProblem& problem, RangeSolution* solution, RangeError* error) {
  TESSEL_CHECK(problem.stmt != nullptr, "InferRanges: no statement");
  ranges::Inference inference;
  inference.problem = &problem;
  ranges::CollectSubscripts(*problem.stmt->value, problem, inference.subscripts);
  if (!ranges::ApplyWhere(inference, error) || !ranges::InferByRounds(inference, error))
    return false;

  const ast::ComprehensionStmt& stmt = *problem.stmt;
  solution->out.clear();
  solution->reduce.clear();
  for (size_t k = 0; k < stmt.indices.size(); ++k) {
    ranges::Range range = inference.known.at(stmt.indices[k]);
    if (range.lo != 0) {
      *error = ranges::OutputStartError(stmt.indices[k], range.lo, stmt.index_ranges[k]);
      error->notes = inference.trace;
      return false;
    }
    solution->out.push_back({stmt.indices[k], range.lo, range.hi});
  }
  for (const std::string& index : problem.reduce) {
    ranges::Range range = inference.known.at(index);
    solution->reduce.push_back({index, range.lo, range.hi});
  }
  solution->trace = inference.trace;
  return true;
}

}  // namespace tessel::sema
