// The data of comprehension range inference (lab02, task t3), shared by its two
// files and the given message helpers:
//   lab02_ir_ssa/affine_forms.cpp   subscripts as affine forms, and the bounds
//                                   one subscript puts on one index (the arithmetic)
//   lab02_ir_ssa/infer_ranges.cpp   the rounds: where clauses, then one bound per
//                                   subscript with one unknown index, until done
//   stages/sema/range_messages.cpp  the text of traces and errors (given)
// InferRanges (infer_ranges.h) is the entry point; this header is what its parts
// say to each other. Everything here is in namespace tessel::sema::ranges.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/frontend/ast.h"
#include "stages/sema/infer_ranges.h"

namespace tessel::sema::ranges {

// ------------------------------------------------------------ the data

/// A subscript as sum(coeff * index) + constant. `terms` lists the indices in
/// order of first appearance, each once, none with coefficient 0.
struct AffineForm {
  std::vector<std::pair<std::string, int64_t>> terms;
  int64_t constant = 0;
};

/// A half-open range [lo, hi) of index values; empty when hi <= lo.
struct Range {
  int64_t lo = 0;
  int64_t hi = 0;
};

/// The smallest and largest value of part of a subscript.
struct Span {
  int64_t min = 0;
  int64_t max = 0;
};

/// Subscript `dim` of one tensor read `tensor[...]` in the statement's value.
struct Subscript {
  const ast::IndexExpr* read = nullptr;
  std::string tensor;
  size_t dim = 0;
  int64_t extent = 0;              // the size of that dimension
  std::optional<AffineForm> form;  // nullopt: not affine, constrains nothing
};

/// What inference knows so far.
struct Inference {
  const RangeProblem* problem = nullptr;
  std::vector<Subscript> subscripts;   // every read in source order, dims in order
  std::map<std::string, Range> known;  // the indices whose range is known
  std::vector<std::string> trace;      // one line per round so far

  /// The indices still unknown: the output indices, then the reduction ones.
  std::vector<std::string> Unknown() const;
};

/// The range a round found for one index, and the subscripts that gave its
/// lower and upper bounds (the first one that gave the tightest of each).
struct Bounded {
  Range range;
  const Subscript* lo_from = nullptr;
  const Subscript* hi_from = nullptr;
};
using RoundFindings = std::map<std::string, Bounded>;

// ------------------------------------------------------------ affine_forms.cpp (lab02.t3)

/// Whether `name` is an index of the comprehension (an output or reduction index).
bool IsIndex(const RangeProblem& problem, const std::string& name);

/// The compile-time integer value of `name`, if `lookup` knows one.
std::optional<int64_t> LookupInt(const NameLookup& lookup, const std::string& name);

/// into += scale * from, merging the terms of equal indices and dropping those
/// whose coefficient becomes 0 (`h - h` is the constant 0).
void AddScaled(AffineForm& into, const AffineForm& from, int64_t scale);

/// `form` times a constant.
AffineForm Scaled(const AffineForm& form, int64_t scale);

/// The affine form of `lhs op rhs` from the forms of its operands, or nullopt
/// when the result is not affine: + and - always are; * when one side is a
/// constant; / and % only between two constants (rounding toward zero, as
/// Tessel's integer division does), never by zero; other operators never.
std::optional<AffineForm> CombineAffine(ast::BinaryOp op, const AffineForm& lhs,
                                        const AffineForm& rhs);

/// The affine form of a subscript: integer literals and compile-time names
/// (problem.lookup) are constants, an index is 1 * index, unary minus negates.
/// Anything else (a float, a dynamic name, a tensor read, a call) is not affine.
std::optional<AffineForm> ToAffine(const ast::Expr& expr, const RangeProblem& problem);

/// a / b rounded toward negative infinity (C++'s / rounds toward zero), b != 0.
int64_t FloorDiv(int64_t a, int64_t b);

/// a / b rounded toward positive infinity, b != 0.
int64_t CeilDiv(int64_t a, int64_t b);

/// The smallest and largest value of `form` without its `unknown` term, over
/// the known ranges of its other indices (the constant included).
Span OtherTermsSpan(const AffineForm& form, const std::string& unknown, const Inference& inference);

/// The coefficient of `index` in `form` (0 if absent).
int64_t CoefficientOf(const AffineForm& form, const std::string& index);

/// The values of `unknown` that keep the subscript inside 0..extent - 1 for
/// every value of its other (known) indices, never negative; may be empty.
/// With c its coefficient and the rest spanning [min, max]:
///   0 <= c * u + min  and  c * u + max <= extent - 1.
Range BoundFromSubscript(const Subscript& subscript, const std::string& unknown,
                         const Inference& inference);

// ------------------------------------------------------------ range_messages.cpp (given)

/// "0..8".
std::string RangeText(Range range);

/// The parts with `separator` between them.
std::string Join(const std::vector<std::string>& parts, const std::string& separator);

/// The read with the subscripts in `shown` printed and the others as `_`:
/// "x[_, _, h + r, _]".
std::string ReadText(const ast::IndexExpr& read, const std::set<size_t>& shown);

/// The read with only this subscript printed.
std::string SubscriptText(const Subscript& subscript);

/// "two", "three", ...: how the no-progress note counts unknown indices.
std::string CountWord(size_t count);

/// One subscript alone leaves `unknown` no value:
///   "index 'h' has an empty range: x[h + r] with r in 0..5 needs dimension 0 to be at
///    least 5, found 3"
RangeError EmptyFromOne(const Subscript& subscript, const std::string& unknown,
                        const Inference& inference);

/// Two subscripts leave `unknown` disjoint ranges:
///   "index 'i' has an empty range: x[i - 3] needs i >= 3 but z[i] needs i < 2"
RangeError EmptyFromTwo(const Subscript& lo_from, const Subscript& hi_from,
                        const std::string& unknown, Range range, const Inference& inference);

/// The error for an output index whose range does not start at 0.
RangeError OutputStartError(const std::string& index, int64_t lo, SourceRange range);

/// The trace line of round `round`: each index with the read that gave its
/// upper bound, grouped by read in source order, dimensions in order:
///   "round 2: h in 0..8 from x[_, _, h + r, _]; v in 0..8 from x[_, _, _, v + s]"
/// (two subscripts of one read share one group: "n in 0..2, c in 0..3 from x[n, c, _, _]").
std::string TraceLine(int round, const RoundFindings& findings);

}  // namespace tessel::sema::ranges
