// Bounds and linear forms of index expressions (lab04, task t2): BoundsOf and AsLinear of
// stages/loops/arith.h.
//
// Interval arithmetic (TVM's ConstIntBound): each node's range from its operands' ranges. It
// is an over-approximation (i - i is [-9, 9] for i in [0, 9]), so the simplifier first puts
// sums into linear form, where i - i is 0, and asks for bounds of what remains.
// lab04_loop_ir/README.md §3.2.
#include <algorithm>
#include <limits>

#include "stages/common/not_implemented.h"
#include "stages/loops/arith.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t2: interval arithmetic and linear forms
using Bound = std::optional<int64_t>;

// A bound beyond the i32 range means the i32 arithmetic may wrap there: it is treated as
// unknown, so that no rewrite relies on a value the program does not compute.
constexpr int64_t kHuge = std::numeric_limits<int32_t>::max();

Bound Checked(Bound v) {
  if (!v || *v > kHuge || *v < -kHuge - 1) return std::nullopt;
  return v;
}

Interval DTypeRange(DType dtype) {
  switch (dtype) {
    case DType::kI32: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    case DType::kI8: return {-128, 127};
    case DType::kBool: return {0, 1};
    case DType::kF32:
    case DType::kF16: return Interval::Everything();
  }
  return Interval::Everything();
}

Interval AddIntervals(const Interval& a, const Interval& b, int sign) {
  Interval r;
  if (a.lo && (sign > 0 ? b.lo : b.hi)) r.lo = Checked(*a.lo + sign * *(sign > 0 ? b.lo : b.hi));
  if (a.hi && (sign > 0 ? b.hi : b.lo)) r.hi = Checked(*a.hi + sign * *(sign > 0 ? b.hi : b.lo));
  return r;
}

Interval MulIntervals(const Interval& a, const Interval& b) {
  if (!a.lo || !a.hi || !b.lo || !b.hi) {
    if (a.IsPoint() && *a.lo == 0) return Interval::Point(0);
    if (b.IsPoint() && *b.lo == 0) return Interval::Point(0);
    return Interval::Everything();
  }
  int64_t products[] = {*a.lo * *b.lo, *a.lo * *b.hi, *a.hi * *b.lo, *a.hi * *b.hi};
  return {Checked(*std::min_element(products, products + 4)),
          Checked(*std::max_element(products, products + 4))};
}

// a / c and a % c for a constant c > 0: truncating or flooring.
Interval DivInterval(const Interval& a, int64_t c, bool floor) {
  auto div = [&](int64_t v) {
    int64_t q = v / c;
    if (floor && v % c != 0 && v < 0) --q;
    return q;
  };
  return {a.lo ? Bound(div(*a.lo)) : std::nullopt, a.hi ? Bound(div(*a.hi)) : std::nullopt};
}

Interval ModInterval(const Interval& a, int64_t c, bool floor) {
  bool nonnegative = a.lo && *a.lo >= 0;
  if ((floor || nonnegative) && a.lo && a.hi && *a.hi - *a.lo < c) {
    int64_t lo = ((*a.lo % c) + c) % c, hi = ((*a.hi % c) + c) % c;
    if (lo <= hi) return {lo, hi};
  }
  if (floor || nonnegative) return {0, c - 1};
  return {-(c - 1), c - 1};
}

Interval Join(const Interval& a, const Interval& b) {
  Interval r;
  if (a.lo && b.lo) r.lo = std::min(*a.lo, *b.lo);
  if (a.hi && b.hi) r.hi = std::max(*a.hi, *b.hi);
  return r;
}

Interval MinMax(const Interval& a, const Interval& b, bool is_min) {
  auto pick = [&](Bound x, Bound y) -> Bound {
    if (x && y) return is_min ? std::min(*x, *y) : std::max(*x, *y);
    if (is_min) return x ? x : y;  // min is at most either bound
    return std::nullopt;
  };
  auto pick_lo = [&](Bound x, Bound y) -> Bound {
    if (x && y) return is_min ? std::min(*x, *y) : std::max(*x, *y);
    if (!is_min) return x ? x : y;  // max is at least either bound
    return std::nullopt;
  };
  return {pick_lo(a.lo, b.lo), pick(a.hi, b.hi)};
}

Interval ApplyBounds(const Expr& e, const VarRanges& ranges) {
  auto arg = [&](size_t k) { return BoundsOf(e.args[k], ranges); };
  int64_t divisor = e.args.size() == 2 ? AsInt(e.args[1]).value_or(0) : 0;  // 0: not constant
  Op op = e.op;
  if (op == Op::kAdd) return AddIntervals(arg(0), arg(1), 1);
  if (op == Op::kSub) return AddIntervals(arg(0), arg(1), -1);
  if (op == Op::kNeg) return AddIntervals(Interval::Point(0), arg(0), -1);
  if (op == Op::kMul) return MulIntervals(arg(0), arg(1));
  bool floor = op == Op::kFloorDiv || op == Op::kFloorMod;
  if ((op == Op::kDiv || op == Op::kFloorDiv) && divisor > 0) {
    return DivInterval(arg(0), divisor, floor);
  }
  if ((op == Op::kMod || op == Op::kFloorMod) && divisor > 0) {
    return ModInterval(arg(0), divisor, floor);
  }
  if (op == Op::kMinimum) return MinMax(arg(0), arg(1), true);
  if (op == Op::kMaximum) return MinMax(arg(0), arg(1), false);
  if (op == Op::kSelect) return Join(arg(1), arg(2));
  return DTypeRange(e.dtype);  // any other op: what its dtype allows
}

bool AddLinear(const ExprPtr& e, int64_t scale, LinearForm* form) {
  if (e->dtype != kIndexType) return false;
  switch (e->kind) {
    case Expr::Kind::kConst: form->constant += scale * static_cast<int64_t>(e->value); return true;
    case Expr::Kind::kVar: form->coefficients[e->name] += scale; return true;
    case Expr::Kind::kLoad: return false;
    case Expr::Kind::kApply: break;
  }
  if (e->op == Op::kAdd) return AddLinear(e->args[0], scale, form) && AddLinear(e->args[1], scale, form);
  if (e->op == Op::kSub) return AddLinear(e->args[0], scale, form) && AddLinear(e->args[1], -scale, form);
  if (e->op == Op::kNeg) return AddLinear(e->args[0], -scale, form);
  if (e->op != Op::kMul) return false;  // not linear
  if (std::optional<int64_t> c = AsInt(e->args[1])) return AddLinear(e->args[0], scale * *c, form);
  if (std::optional<int64_t> c = AsInt(e->args[0])) return AddLinear(e->args[1], scale * *c, form);
  return false;
}
// SKELETON
// // Helpers of your own (interval arithmetic per op) go here.
// END SOLUTION

}  // namespace

Interval BoundsOf(const ExprPtr& e, const VarRanges& ranges) {
  // BEGIN SOLUTION lab04.t2: the range of an integer expression
  switch (e->kind) {
    case Expr::Kind::kConst:
      if (IsFloat(e->dtype)) return Interval::Everything();
      return Interval::Point(static_cast<int64_t>(e->value));
    case Expr::Kind::kVar: {
      auto it = ranges.find(e->name);
      return it != ranges.end() ? it->second : DTypeRange(e->dtype);
    }
    case Expr::Kind::kLoad: return DTypeRange(e->dtype);
    case Expr::Kind::kApply: return e->dtype == DType::kBool ? Interval{0, 1} : ApplyBounds(*e, ranges);
  }
  return Interval::Everything();
  // END SOLUTION
}

std::optional<LinearForm> AsLinear(const ExprPtr& e) {
  // BEGIN SOLUTION lab04.t2: an affine index as coefficients and a constant
  LinearForm form;
  if (!AddLinear(e, 1, &form)) return std::nullopt;
  std::erase_if(form.coefficients, [](const auto& term) { return term.second == 0; });
  return form;
  // END SOLUTION
}

}  // namespace tessel::loops
