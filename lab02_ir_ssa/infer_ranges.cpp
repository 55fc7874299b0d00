// Comprehension range inference (lab02, task t3): InferRanges of
// stages/sema/ranges.h, called by the type checker for every comprehension.
//
// The method is Tensor Comprehensions' (Vasilache et al., "Tensor
// Comprehensions", 2018, §3.2), on affine subscripts:
//   0) round 0: the ranges the `where` clause gives;
//   1) every subscript of a tensor read is put in affine form
//      sum(c_i * index_i) + c0, or marked non-affine (a product of indices, a
//      dynamic value), which never constrains anything;
//   2) each round, a subscript with exactly one index of unknown range bounds
//      it: 0 <= subscript <= dim - 1 must hold for every value of the known
//      indices, which gives a lower and an upper bound by floor/ceil division;
//      the bounds found in one round are intersected and become known together
//      at the end of the round;
//   3) rounds repeat until every index is known, or a round finds nothing: then
//      the error explains which subscripts were stuck and suggests a `where`.
// Every round is recorded as one trace line, which the error notes repeat.
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
#include "stages/sema/ranges.h"

namespace tessel::sema {

namespace {

// ------------------------------------------------------------ affine forms

// A subscript as sum(coeff * index) + constant. `terms` lists the indices in
// order of first appearance, each once, none with coefficient 0.
struct AffineForm {
  std::vector<std::pair<std::string, int64_t>> terms;
  int64_t constant = 0;
};

// A half-open range [lo, hi) of index values; empty when hi <= lo.
struct Range {
  int64_t lo = 0;
  int64_t hi = 0;
};

// The smallest and largest value of part of a subscript.
struct Span {
  int64_t min = 0;
  int64_t max = 0;
};

// Whether `name` is an index of the comprehension (an output or reduction index).
bool IsIndex(const RangeProblem& problem, const std::string& name) {
  const std::vector<std::string>& out = problem.stmt->indices;
  return std::find(out.begin(), out.end(), name) != out.end() ||
         std::find(problem.reduce.begin(), problem.reduce.end(), name) != problem.reduce.end();
}

// The compile-time integer value of `name`, if `lookup` knows one.
std::optional<int64_t> LookupInt(const NameLookup& lookup, const std::string& name) {
  if (!lookup) return std::nullopt;
  std::optional<ConstValue> value = lookup(name);
  if (!value || !value->is_int()) return std::nullopt;
  return value->int_value;
}

// into += scale * from, merging the terms of equal indices and dropping those
// whose coefficient becomes 0 (`h - h` is the constant 0).
void AddScaled(AffineForm& into, const AffineForm& from, int64_t scale) {
  for (const auto& [name, coeff] : from.terms) {
    auto same = std::find_if(into.terms.begin(), into.terms.end(),
                             [&](const auto& term) { return term.first == name; });
    if (same == into.terms.end()) {
      into.terms.emplace_back(name, scale * coeff);
    } else {
      same->second += scale * coeff;
    }
  }
  std::erase_if(into.terms, [](const auto& term) { return term.second == 0; });
  into.constant += scale * from.constant;
}

// `form` times a constant.
AffineForm Scaled(const AffineForm& form, int64_t scale) {
  AffineForm result;
  AddScaled(result, form, scale);
  return result;
}

std::optional<AffineForm> ToAffine(const Expr& expr, const RangeProblem& problem);

// The affine form of `lhs op rhs` from the forms of its operands, or nullopt
// when the result is not affine: + and - always are; * when one side is a
// constant; / and % only between two constants (rounding toward zero, as
// Tessel's integer division does), never by zero; other operators never.
std::optional<AffineForm> CombineAffine(BinaryOp op, const AffineForm& lhs, const AffineForm& rhs) {
  // TODO(lab02.t3): + and - add the forms; * needs a constant side; / and % two constants
  TESSEL_UNIMPLEMENTED("lab02.t3",
                       "+ and - add the forms; * needs a constant side; / and % two constants",
                       "lab02_ir_ssa/README.md §4.3");
}

// The affine form of a subscript: integer literals and compile-time names
// (problem.lookup) are constants, an index is 1 * index, unary minus negates.
// Anything else (a float, a dynamic name, a tensor read, a call) is not affine.
std::optional<AffineForm> ToAffine(const Expr& expr, const RangeProblem& problem) {
  // TODO(lab02.t3): literals, known names: constants; an index: 1 * index; recurse
  TESSEL_UNIMPLEMENTED("lab02.t3", "literals, known names: constants; an index: 1 * index; recurse",
                       "lab02_ir_ssa/README.md §4.3");
}

// ------------------------------------------------------------ the problem

// Subscript `dim` of one tensor read `tensor[...]` in the statement's value.
struct Subscript {
  const IndexExpr* read = nullptr;
  std::string tensor;
  size_t dim = 0;
  int64_t extent = 0;              // the size of that dimension
  std::optional<AffineForm> form;  // nullopt: not affine, constrains nothing
};

// What inference knows so far.
struct Inference {
  const RangeProblem* problem = nullptr;
  std::vector<Subscript> subscripts;   // every read in source order, dims in order
  std::map<std::string, Range> known;  // the indices whose range is known
  std::vector<std::string> trace;      // one line per round so far

  // The indices still unknown: the output indices, then the reduction ones.
  std::vector<std::string> Unknown() const {
    std::vector<std::string> unknown;
    for (const std::string& index : problem->stmt->indices) {
      if (!known.count(index)) unknown.push_back(index);
    }
    for (const std::string& index : problem->reduce) {
      if (!known.count(index)) unknown.push_back(index);
    }
    return unknown;
  }
};

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
void CollectSubscripts(const Expr& expr, const RangeProblem& problem,
                       std::vector<Subscript>& subscripts) {
  switch (expr.kind) {
    case ExprKind::kInt:
    case ExprKind::kFloat:
    case ExprKind::kBool:
    case ExprKind::kName:
      return;
    case ExprKind::kUnary:
      CollectSubscripts(*expr.As<UnaryExpr>().operand, problem, subscripts);
      return;
    case ExprKind::kBinary:
      CollectSubscripts(*expr.As<BinaryExpr>().lhs, problem, subscripts);
      CollectSubscripts(*expr.As<BinaryExpr>().rhs, problem, subscripts);
      return;
    case ExprKind::kIndex: {
      const auto& read = expr.As<IndexExpr>();
      const Shape* shape = nullptr;
      if (read.base->kind == ExprKind::kName) {
        shape = problem.tensor_shape(read.base->As<NameExpr>().name);
      }
      if (shape && shape->size() == read.indices.size()) {
        for (size_t dim = 0; dim < read.indices.size(); ++dim) {
          subscripts.push_back({&read, read.base->As<NameExpr>().name, dim, (*shape)[dim],
                                ToAffine(*read.indices[dim], problem)});
        }
      }
      CollectSubscripts(*read.base, problem, subscripts);
      for (const ExprPtr& subscript : read.indices) {
        CollectSubscripts(*subscript, problem, subscripts);
      }
      return;
    }
    case ExprKind::kCall:
      for (const Argument& arg : expr.As<CallExpr>().args) {
        CollectSubscripts(*arg.value, problem, subscripts);
      }
      return;
    case ExprKind::kList:
      for (const ExprPtr& element : expr.As<ListExpr>().elements) {
        CollectSubscripts(*element, problem, subscripts);
      }
      return;
  }
}

// ------------------------------------------------------------ text for traces and errors

std::string RangeText(Range range) {
  return std::to_string(range.lo) + ".." + std::to_string(range.hi);
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

// The read with the subscripts in `shown` printed and the others as `_`:
// "x[_, _, h + r, _]".
std::string ReadText(const IndexExpr& read, const std::set<size_t>& shown) {
  std::vector<std::string> subscripts;
  for (size_t dim = 0; dim < read.indices.size(); ++dim) {
    subscripts.push_back(shown.count(dim) ? FormatExpr(*read.indices[dim]) : "_");
  }
  return FormatExpr(*read.base) + "[" + Join(subscripts, ", ") + "]";
}

std::string SubscriptText(const Subscript& subscript) {
  return ReadText(*subscript.read, {subscript.dim});
}

// "two", "three", ...: how the no-progress note counts unknown indices.
std::string CountWord(size_t count) {
  static const char* const kWords[] = {"zero", "one", "two",   "three", "four",
                                       "five", "six", "seven", "eight", "nine"};
  return count < 10 ? kWords[count] : std::to_string(count);
}

// ------------------------------------------------------------ bounds

// a / b rounded toward negative infinity (C++'s / rounds toward zero), b != 0.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t quotient = a / b;
  bool inexact = a % b != 0;
  return inexact && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

// a / b rounded toward positive infinity, b != 0.
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

// The smallest and largest value of `form` without its `unknown` term, over
// the known ranges of its other indices (the constant included).
Span OtherTermsSpan(const AffineForm& form, const std::string& unknown,
                    const Inference& inference) {
  // TODO(lab02.t3): add the smaller of c * lo, c * (hi - 1) to min, the larger to max
  TESSEL_UNIMPLEMENTED("lab02.t3",
                       "add the smaller of c * lo, c * (hi - 1) to min, the larger to max",
                       "lab02_ir_ssa/README.md §4.3");
}

// The coefficient of `index` in `form` (0 if absent).
int64_t CoefficientOf(const AffineForm& form, const std::string& index) {
  for (const auto& [name, coeff] : form.terms) {
    if (name == index) return coeff;
  }
  return 0;
}

// The values of `unknown` that keep the subscript inside 0..extent - 1 for
// every value of its other (known) indices, never negative; may be empty.
// With c its coefficient and the rest spanning [min, max]:
//   0 <= c * u + min  and  c * u + max <= extent - 1.
Range BoundFromSubscript(const Subscript& subscript, const std::string& unknown,
                         const Inference& inference) {
  // TODO(lab02.t3): -min <= c * u <= extent - 1 - max: ceil/floor-divide by c, never < 0
  TESSEL_UNIMPLEMENTED("lab02.t3",
                       "-min <= c * u <= extent - 1 - max: ceil/floor-divide by c, never < 0",
                       "lab02_ir_ssa/README.md §4.3");
}

// ------------------------------------------------------------ errors

// The known indices of `form` other than `unknown`: " with r in 0..3, s in 0..3".
std::string WithKnown(const AffineForm& form, const std::string& unknown,
                      const Inference& inference) {
  std::vector<std::string> parts;
  for (const auto& [name, coeff] : form.terms) {
    if (name != unknown) parts.push_back(name + " in " + RangeText(inference.known.at(name)));
  }
  return parts.empty() ? "" : " with " + Join(parts, ", ");
}

// The smallest extent for which `subscript` leaves `unknown` a non-empty
// range, or nullopt if none does (the subscript is negative for every value).
std::optional<int64_t> NeededExtent(const Subscript& subscript, const std::string& unknown,
                                    const Inference& inference) {
  int64_t c = CoefficientOf(*subscript.form, unknown);
  Span rest = OtherTermsSpan(*subscript.form, unknown, inference);
  // The best value of u makes the largest subscript value c * u + max smallest
  // while keeping the smallest one c * u + min non-negative.
  int64_t u = c > 0 ? std::max<int64_t>(0, CeilDiv(-rest.min, c)) : FloorDiv(-rest.min, c);
  if (u < 0) return std::nullopt;
  return c * u + rest.max + 1;
}

// One subscript alone leaves `unknown` no value:
//   "index 'h' has an empty range: x[h + r] with r in 0..5 needs dimension 0 to be at
//    least 5, found 3"
RangeError EmptyFromOne(const Subscript& subscript, const std::string& unknown,
                        const Inference& inference) {
  std::string text = SubscriptText(subscript) + WithKnown(*subscript.form, unknown, inference);
  std::optional<int64_t> needed = NeededExtent(subscript, unknown, inference);
  std::string why = needed ? " needs dimension " + std::to_string(subscript.dim) +
                                 " to be at least " + std::to_string(*needed) + ", found " +
                                 std::to_string(subscript.extent)
                           : " is negative for every value of '" + unknown + "'";
  return {"index '" + unknown + "' has an empty range: " + text + why, subscript.read->range,
          inference.trace};
}

// Two subscripts leave `unknown` disjoint ranges:
//   "index 'i' has an empty range: x[i - 3] needs i >= 3 but z[i] needs i < 2"
RangeError EmptyFromTwo(const Subscript& lo_from, const Subscript& hi_from,
                        const std::string& unknown, Range range, const Inference& inference) {
  std::string message = "index '" + unknown + "' has an empty range: " + SubscriptText(lo_from) +
                        " needs " + unknown + " >= " + std::to_string(range.lo) + " but " +
                        SubscriptText(hi_from) + " needs " + unknown + " < " +
                        std::to_string(range.hi);
  return {message, hi_from.read->range, inference.trace};
}

// ------------------------------------------------------------ round 0: where

// The value of a where bound: integer literals, names `lookup` knows, unary
// minus and + - * / % (rounding toward zero).
std::optional<int64_t> EvaluateBound(const Expr& expr, const NameLookup& lookup,
                                     bool* div_by_zero) {
  switch (expr.kind) {
    case ExprKind::kInt:
      return expr.As<IntLiteral>().value;
    case ExprKind::kName:
      return LookupInt(lookup, expr.As<NameExpr>().name);
    case ExprKind::kUnary: {
      const auto& unary = expr.As<UnaryExpr>();
      std::optional<int64_t> value = EvaluateBound(*unary.operand, lookup, div_by_zero);
      if (!value || unary.op != UnaryOp::kNeg) return std::nullopt;
      return -*value;
    }
    case ExprKind::kBinary: {
      const auto& binary = expr.As<BinaryExpr>();
      std::optional<int64_t> lhs = EvaluateBound(*binary.lhs, lookup, div_by_zero);
      std::optional<int64_t> rhs = EvaluateBound(*binary.rhs, lookup, div_by_zero);
      if (!lhs || !rhs) return std::nullopt;
      if (binary.op == BinaryOp::kAdd) return *lhs + *rhs;
      if (binary.op == BinaryOp::kSub) return *lhs - *rhs;
      if (binary.op == BinaryOp::kMul) return *lhs * *rhs;
      if (binary.op != BinaryOp::kDiv && binary.op != BinaryOp::kMod) return std::nullopt;
      if (*rhs == 0) {
        *div_by_zero = true;
        return std::nullopt;
      }
      return binary.op == BinaryOp::kDiv ? *lhs / *rhs : *lhs % *rhs;
    }
    case ExprKind::kFloat:
    case ExprKind::kBool:
    case ExprKind::kIndex:
    case ExprKind::kCall:
    case ExprKind::kList:
      return std::nullopt;
  }
  return std::nullopt;
}

// One bound of a where range, or an error at it: "where bound 'T + k' is not a
// compile-time integer", "where bound 'N / 0' divides by zero".
std::optional<int64_t> WhereBound(const Expr& bound, const NameLookup& lookup, RangeError* error) {
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

// The error for an output index whose range does not start at 0.
RangeError OutputStartError(const std::string& index, int64_t lo, SourceRange range) {
  return {"output index '" + index + "' would start at " + std::to_string(lo) +
              "; output indices start at 0",
          range,
          {}};
}

// Round 0: every where range becomes known, checked: bounds are compile-time
// integers, ranges are non-empty and never negative, output ranges start at 0.
bool ApplyWhere(Inference& inference, RangeError* error) {
  const RangeProblem& problem = *inference.problem;
  std::vector<std::string> given;
  for (const IndexRange& where : problem.stmt->where) {
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

// The range a round found for one index, and the subscripts that gave its
// lower and upper bounds (the first one that gave the tightest of each).
struct Bounded {
  Range range;
  const Subscript* lo_from = nullptr;
  const Subscript* hi_from = nullptr;
};
using RoundFindings = std::map<std::string, Bounded>;

// The trace line of round `round`: each index with the read that gave its
// upper bound, grouped by read in source order, dimensions in order:
//   "round 2: h in 0..8 from x[_, _, h + r, _]; v in 0..8 from x[_, _, _, v + s]"
// (two subscripts of one read share one group: "n in 0..2, c in 0..3 from x[n, c, _, _]").
std::string TraceLine(int round, const RoundFindings& findings) {
  std::vector<std::pair<const Subscript*, std::string>> entries;
  for (const auto& [name, bounded] : findings) entries.emplace_back(bounded.hi_from, name);
  std::sort(entries.begin(), entries.end());  // subscripts are stored in source order
  std::vector<std::string> groups;
  for (size_t begin = 0; begin < entries.size();) {
    const IndexExpr* read = entries[begin].first->read;
    std::vector<std::string> indices;
    std::set<size_t> shown;
    size_t end = begin;
    for (; end < entries.size() && entries[end].first->read == read; ++end) {
      indices.push_back(entries[end].second + " in " +
                        RangeText(findings.at(entries[end].second).range));
      shown.insert(entries[end].first->dim);
    }
    groups.push_back(Join(indices, ", ") + " from " + ReadText(*read, shown));
    begin = end;
  }
  return "round " + std::to_string(round) + ": " + Join(groups, "; ");
}

enum class RoundResult { kProgress, kStuck, kError };

// One round: every affine subscript with exactly one unknown index bounds it
// (BoundFromSubscript); the bounds of one index intersect (Bounded records
// which subscript gave each side). An empty range is an error (EmptyFromOne
// for one subscript, EmptyFromTwo when two disagree). At the end of the round
// the ranges found become known and TraceLine records them. kStuck: no
// subscript had exactly one unknown index.
RoundResult RunRound(Inference& inference, int round, RangeError* error) {
  // TODO(lab02.t3): bound single-unknown subscripts, intersect, make known at the end
  TESSEL_UNIMPLEMENTED("lab02.t3",
                       "bound single-unknown subscripts, intersect, make known at the end",
                       "lab02_ir_ssa/README.md §4.3");
}

// Why round `round` found nothing, as one note. Each distinct affine
// subscript with two or more unknown indices, then the unknown indices that
// appear in no affine subscript at all, separated by "; ":
//   "round 2: no progress: x[_, _, h + r, _] has two unknown indices (h, r);
//    x[_, _, _, v + s] has two unknown indices (v, s)"
//   "round 1: no progress: 't', 'u' appear in no affine subscript"
// (CountWord spells the count; "'t' appears" when there is one such index).
std::string NoProgressNote(const Inference& inference, int round) {
  // TODO(lab02.t3): subscripts with 2+ unknown indices, then indices in no subscript
  TESSEL_UNIMPLEMENTED("lab02.t3",
                       "subscripts with 2+ unknown indices, then indices in no subscript",
                       "lab02_ir_ssa/README.md §4.3");
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
  // TODO(lab02.t3): pick the indices to suggest; message, trace, note, suggestion
  TESSEL_UNIMPLEMENTED("lab02.t3", "pick the indices to suggest; message, trace, note, suggestion",
                       "lab02_ir_ssa/README.md §4.3");
}

// Step 3: rounds until every index is known (true), or until a round finds
// nothing (ExplainFailure) or an empty range (false, `error` set). Rounds are
// numbered from 1; an index known from the where clause needs no round.
bool InferByRounds(Inference& inference, RangeError* error) {
  // TODO(lab02.t3): RunRound with round = 1, 2, ... while some index is unknown
  TESSEL_UNIMPLEMENTED("lab02.t3", "RunRound with round = 1, 2, ... while some index is unknown",
                       "lab02_ir_ssa/README.md §4.3");
}

}  // namespace

bool InferRanges(const RangeProblem& problem, RangeSolution* solution, RangeError* error) {
  TESSEL_CHECK(problem.stmt != nullptr, "InferRanges: no statement");
  Inference inference;
  inference.problem = &problem;
  CollectSubscripts(*problem.stmt->value, problem, inference.subscripts);
  if (!ApplyWhere(inference, error) || !InferByRounds(inference, error)) return false;

  const ComprehensionStmt& stmt = *problem.stmt;
  solution->out.clear();
  solution->reduce.clear();
  for (size_t k = 0; k < stmt.indices.size(); ++k) {
    Range range = inference.known.at(stmt.indices[k]);
    if (range.lo != 0) {
      *error = OutputStartError(stmt.indices[k], range.lo, stmt.index_ranges[k]);
      error->notes = inference.trace;
      return false;
    }
    solution->out.push_back({stmt.indices[k], range.lo, range.hi});
  }
  for (const std::string& index : problem.reduce) {
    Range range = inference.known.at(index);
    solution->reduce.push_back({index, range.lo, range.hi});
  }
  solution->trace = inference.trace;
  return true;
}

}  // namespace tessel::sema
