// Comprehension range inference (lab02, task t3), in the style of Tensor
// Comprehensions (Vasilache et al., 2018): the range of every index of
// `y[i, j] op value where ...;` from the affine subscripts it appears in.
//
// Implemented in lab02_ir_ssa/infer_ranges.cpp (the learner's) or
// solutions/lab02_ir_ssa/infer_ranges.cpp (the reference). The rules are in
// docs/language.md §4.6 and the lab02 handout §4.3.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "stages/frontend/ast.h"
#include "stages/ir/ir.h"
#include "stages/sema/infer_shapes.h"

namespace tessel::sema {

/// One comprehension and what is known around it.
struct RangeProblem {
  const ast::ComprehensionStmt* stmt = nullptr;
  /// The reduction indices (names only on the right), in order of first
  /// appearance; the output indices are stmt->indices.
  std::vector<std::string> reduce;
  /// The shape of tensor `name` read in the body, or null if `name` is not a
  /// tensor visible there.
  std::function<const Shape*(const std::string& name)> tensor_shape;
  /// Compile-time values (constants, shape variables, scalar parameters) for
  /// where bounds and subscript coefficients.
  NameLookup lookup;
};

struct RangeSolution {
  std::vector<ir::IndexVar> out;     // stmt->indices, in order; each starts at 0
  std::vector<ir::IndexVar> reduce;  // problem.reduce, in order
  /// The reasoning, one line per round: each index with its range and the read
  /// that bounded it (the bounding subscripts shown, `_` for the others), e.g.
  ///   "round 0: i in 0..2, j in 0..2 from where"
  ///   "round 1: n in 0..2, c in 0..3 from x[n, c, _, _]; k in 0..4, r in 0..3, s in 0..2 from w[k,
  ///   _, r, s]" "round 2: h in 0..8, v in 0..10 from x[_, _, h + r, v + s]"
  std::vector<std::string> trace;
};

struct RangeError {
  std::string message;  // "cannot infer the range of index 'r'"
  SourceRange range;    // where to point: the statement, or the offending subscript
  /// The reasoning round by round, then a suggestion, printed as notes:
  ///   "round 1: n in 0..1, c in 0..3 from x[n, c, _, _]"
  ///   "round 2: no progress: x[_, _, h + r, _] has two unknown indices (h, r); x[_, _, _, v + s]
  ///   has two unknown indices (v, s)" "give the missing ranges with `where r in 0..?, s in 0..?`"
  std::vector<std::string> notes;
};

/// lab02.t3: infers the range of every index of `problem.stmt`.
///  1. Round 0: the where clause's ranges (bounds evaluated with `lookup`).
///  2. Each round: every subscript of a tensor read that is affine (a sum of
///     integer multiples of indices plus a constant) and has exactly one index
///     whose range is still unknown bounds that index, so that the subscript
///     stays inside its dimension for every value of the known indices; ranges
///     from several subscripts intersect; indices are never negative. Repeat
///     until a round adds nothing.
///  3. Any index still unknown is an error carrying the trace; so is an empty
///     range, and an output index whose range would not start at 0.
bool InferRanges(const RangeProblem& problem, RangeSolution* solution, RangeError* error);

}  // namespace tessel::sema
