// Index arithmetic (lab04.t2): the bounds, linear forms and simplification that lowering's
// output needs before it reads well and that every schedule primitive uses to prove itself
// legal (TVM's arith module: ConstIntBound, the canonical simplifier, DetectLinearEquation).
//
//   (io * 32 + ii) / 32   with ii in [0, 31]   ->  io
//   (io * 32 + ii) % 32   with ii in [0, 31]   ->  ii
//   i * 4 + 2 * i - i     ->  i * 5
//   minimum(32, 100 - io * 32)  with io in [0, 2]  ->  32
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

/// An inclusive range of integers; an absent end is unbounded on that side.
struct Interval {
  std::optional<int64_t> lo, hi;
  static Interval Point(int64_t v) { return {v, v}; }
  static Interval Everything() { return {}; }
  bool IsPoint() const { return lo && hi && *lo == *hi; }
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// What is known of each variable: a loop variable i of `for i in 0..E` is in [0, max E - 1].
using VarRanges = std::map<std::string, Interval>;

/// An i32 expression as c1 * v1 + c2 * v2 + ... + constant over its variables.
struct LinearForm {
  std::map<std::string, int64_t> coefficients;  // no zero coefficients
  int64_t constant = 0;
};

// ---------------------------------------------------------------- lab04.t2

/// The values an integer (or bool: 0/1) expression can take, given `ranges`: exact for
/// constants, interval arithmetic through +, -, *, /, %, min, max and select, the dtype's
/// range for what it cannot see through (a load).
Interval BoundsOf(const ExprPtr& e, const VarRanges& ranges);

/// `e` as a linear form, if it is +, -, * by constants and negation of constants and
/// variables; nullopt otherwise (a load, a division, a product of two variables).
std::optional<LinearForm> AsLinear(const ExprPtr& e);

/// An equivalent expression, simpler: constants folded; integer sums in a canonical order
/// (largest coefficient first, constant last); divisions and remainders by constants
/// resolved where `ranges` prove the remainder part in range; min, max, comparisons and
/// selects decided where the bounds decide them; x * 1 -> x, x + 0 -> x (integers; for floats
/// only the identities exact in IEEE arithmetic). Never changes a value.
ExprPtr Simplify(const ExprPtr& e, const VarRanges& ranges = {});

/// Simplify on every expression of `s`, each with the ranges of the loops and lets around it;
/// an `if` whose condition simplifies to a constant is replaced by the branch it takes.
/// Loops are kept, even of extent 1: schedules name them.
StmtPtr Simplify(const StmtPtr& s, VarRanges ranges = {});

/// Whether `cond` (a bool expression) is true for every value of `ranges`, as far as the
/// simplifier can tell (false means "not proven", not "false").
bool ProveTrue(const ExprPtr& cond, const VarRanges& ranges);

}  // namespace tessel::loops
