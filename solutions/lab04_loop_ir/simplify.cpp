// The index simplifier (lab04, task t2): Simplify and ProveTrue of stages/loops/arith.h.
//
// Bottom-up: simplify the operands, fold constants, then rewrite the node. Integer sums and
// products by constants are put into a canonical linear form (TVM's canonical simplifier), so
// that equal indices print equally and i + 1 - i is 1; a division or remainder by a constant
// splits the form into a multiple of the divisor and a remainder, and when the bounds put the
// remainder in [0, divisor) the division is exact: (io * 32 + ii) / 32 is io.
// lab04_loop_ir/README.md §3.2.
#include <algorithm>
#include <cmath>

#include "stages/common/not_implemented.h"
#include "stages/ir/kernels.h"
#include "stages/loops/arith.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t2: canonical sums, division by constants, decisions by bounds
// A linear combination of atoms: variables and any subexpression that is not a sum (a load,
// a division), each keyed by its text so that equal atoms merge.
struct Terms {
  std::map<std::string, std::pair<ExprPtr, int64_t>> atoms;
  int64_t constant = 0;
};

void Collect(const ExprPtr& e, int64_t scale, Terms* t) {
  if (e->kind == Expr::Kind::kConst) {
    t->constant += scale * static_cast<int64_t>(e->value);
    return;
  }
  if (e->kind == Expr::Kind::kApply) {
    std::optional<int64_t> c0 = AsInt(e->args[0]);
    std::optional<int64_t> c1 = e->args.size() > 1 ? AsInt(e->args[1]) : std::nullopt;
    if (e->op == Op::kAdd) return Collect(e->args[0], scale, t), Collect(e->args[1], scale, t);
    if (e->op == Op::kSub) return Collect(e->args[0], scale, t), Collect(e->args[1], -scale, t);
    if (e->op == Op::kNeg) return Collect(e->args[0], -scale, t);
    if (e->op == Op::kMul && c1) return Collect(e->args[0], scale * *c1, t);
    if (e->op == Op::kMul && c0) return Collect(e->args[1], scale * *c0, t);
  }
  auto& [atom, coefficient] = t->atoms[PrintExpr(e)];
  atom = e;
  coefficient += scale;
}

// The terms as an expression: positive terms first, largest coefficient first, the constant
// last, so that it reads a - b * 2 + 3 (or 15 - j when every term is negative).
ExprPtr Rebuild(const Terms& t) {
  std::vector<std::pair<ExprPtr, int64_t>> terms;
  for (const auto& [key, term] : t.atoms) {
    if (term.second != 0) terms.push_back(term);
  }
  std::stable_sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) {
    if ((a.second > 0) != (b.second > 0)) return a.second > 0;
    return std::llabs(a.second) > std::llabs(b.second);
  });
  ExprPtr sum;
  bool constant_first = !terms.empty() && terms[0].second < 0 && t.constant > 0;
  if (constant_first || terms.empty()) sum = Int(t.constant);
  for (const auto& [atom, c] : terms) {
    ExprPtr term = std::llabs(c) == 1 ? atom : Mul(atom, Int(std::llabs(c)));
    if (!sum) {
      sum = c > 0 ? term : Apply(Op::kNeg, {term});
    } else {
      sum = c > 0 ? Add(sum, term) : Sub(sum, term);
    }
  }
  if (constant_first || terms.empty()) return sum;
  if (t.constant > 0) return Add(sum, Int(t.constant));
  if (t.constant < 0) return Sub(sum, Int(-t.constant));
  return sum;
}

// (x / c) * c * m + (x % c) * m -> x * m: a split index put back together (C's / and % and
// the floor pair both satisfy (x / c) * c + x % c == x).
bool MergeDivMod(Terms* t) {
  for (const auto& [mod_key, mod_term] : t->atoms) {
    const ExprPtr& mod = mod_term.first;
    if (mod->kind != Expr::Kind::kApply || (mod->op != Op::kMod && mod->op != Op::kFloorMod)) continue;
    std::optional<int64_t> c = AsInt(mod->args[1]);
    if (!c || *c == 0 || mod_term.second == 0) continue;
    Op div_op = mod->op == Op::kMod ? Op::kDiv : Op::kFloorDiv;
    for (const auto& [div_key, div_term] : t->atoms) {
      const ExprPtr& div = div_term.first;
      bool pairs = div->kind == Expr::Kind::kApply && div->op == div_op &&
                   Equal(div->args[0], mod->args[0]) && Equal(div->args[1], mod->args[1]);
      if (!pairs || div_term.second != mod_term.second * *c) continue;
      int64_t m = mod_term.second;
      ExprPtr x = mod->args[0];
      std::string d = div_key, r = mod_key;
      t->atoms.erase(d);
      t->atoms.erase(r);
      Collect(x, m, t);
      return true;
    }
  }
  return false;
}

Terms TermsOf(const ExprPtr& e) {
  Terms t;
  Collect(e, 1, &t);
  while (MergeDivMod(&t)) {
  }
  return t;
}

ExprPtr FoldConstants(const Expr& e) {
  double args[3] = {0, 0, 0};
  for (size_t k = 0; k < e.args.size(); ++k) {
    if (e.args[k]->kind != Expr::Kind::kConst) return nullptr;
    args[k] = e.args[k]->value;
  }
  double result = 0;
  std::string error;
  DType dtype = e.args[e.op == Op::kSelect ? 1 : 0]->dtype;
  if (!ir::ApplyScalar(e.op, dtype, args, &result, &error)) return nullptr;  // 1 / 0 stays
  return Const(e.dtype, result);
}

bool Within(const Interval& i, int64_t lo, int64_t hi) {
  return i.lo && i.hi && *i.lo >= lo && *i.hi <= hi;
}

// a / c, a % c (truncating or flooring) for a constant c > 0.
ExprPtr DivMod(Op op, const ExprPtr& a, int64_t c, const VarRanges& ranges) {
  bool is_div = op == Op::kDiv || op == Op::kFloorDiv;
  bool floor = op == Op::kFloorDiv || op == Op::kFloorMod;
  if (c == 1) return is_div ? a : Int(0);
  Terms t = TermsOf(a), quotient, remainder;
  for (const auto& [key, term] : t.atoms) {
    (term.second % c == 0 ? quotient : remainder).atoms[key] = term;
  }
  for (auto& [key, term] : quotient.atoms) term.second /= c;
  quotient.constant = t.constant / c - (t.constant % c < 0 ? 1 : 0);
  remainder.constant = t.constant - quotient.constant * c;
  ExprPtr r = Rebuild(remainder);
  Interval r_range = BoundsOf(r, ranges);
  Interval a_range = BoundsOf(a, ranges);
  // The split is exact in i32 only where the dividend cannot wrap: its bounds must be known.
  if (!a_range.lo || !a_range.hi) return Apply(op, {a, Int(c)});
  bool nonnegative = floor || *a_range.lo >= 0;
  if (nonnegative && Within(r_range, 0, c - 1)) return is_div ? Rebuild(quotient) : r;
  if (nonnegative && r_range.lo && *r_range.lo >= 0 && !quotient.atoms.empty()) {
    // (c * q + r) / c = q + r / c, and the remainder is r's.
    ExprPtr rest = Apply(op, {r, Int(c)});
    return is_div ? Add(Rebuild(quotient), rest) : rest;
  }
  return Apply(op, {a, Int(c)});
}

// A comparison of integers decided by the bounds of their difference, if they decide it.
ExprPtr Compare(Op op, const ExprPtr& a, const ExprPtr& b, const VarRanges& ranges) {
  // Decided only where neither side can wrap (their bounds known, within i32).
  for (const ExprPtr& side : {a, b}) {
    Interval bound = BoundsOf(side, ranges);
    if (!bound.lo || !bound.hi) return nullptr;
  }
  Interval d = BoundsOf(Rebuild(TermsOf(Sub(a, b))), ranges);
  auto known = [](bool value) { return Const(DType::kBool, value ? 1 : 0); };
  bool neg = d.hi && *d.hi < 0, nonneg = d.lo && *d.lo >= 0;
  bool pos = d.lo && *d.lo > 0, nonpos = d.hi && *d.hi <= 0;
  if (op == Op::kLt && (neg || nonneg)) return known(neg);
  if (op == Op::kLe && (nonpos || pos)) return known(nonpos);
  if (op == Op::kGt && (pos || nonpos)) return known(pos);
  if (op == Op::kGe && (nonneg || neg)) return known(nonneg);
  bool zero = d.IsPoint() && *d.lo == 0;
  if ((op == Op::kEq || op == Op::kNe) && (zero || pos || neg)) return known(zero == (op == Op::kEq));
  return nullptr;
}

ExprPtr SimplifyApply(const ExprPtr& e, const VarRanges& ranges) {
  if (ExprPtr folded = FoldConstants(*e)) return folded;
  const ExprPtr& a = e->args[0];
  const ExprPtr& b = e->args.size() > 1 ? e->args[1] : a;
  Op op = e->op;
  bool ints = a->dtype == kIndexType;
  if (ints && (op == Op::kAdd || op == Op::kSub || op == Op::kNeg || op == Op::kMul)) {
    return Rebuild(TermsOf(e));
  }
  std::optional<int64_t> divisor = AsInt(b);
  bool div_or_mod = op == Op::kDiv || op == Op::kMod || op == Op::kFloorDiv || op == Op::kFloorMod;
  if (ints && div_or_mod && divisor && *divisor > 0) return DivMod(op, a, *divisor, ranges);
  if (ints && (op == Op::kMinimum || op == Op::kMaximum)) {
    if (Equal(a, b)) return a;
    Interval ba = BoundsOf(a, ranges), bb = BoundsOf(b, ranges);
    bool known = ba.lo && ba.hi && bb.lo && bb.hi;  // else a side may wrap
    Interval d = known ? BoundsOf(Rebuild(TermsOf(Sub(a, b))), ranges) : Interval::Everything();
    if (d.hi && *d.hi <= 0) return op == Op::kMinimum ? a : b;  // a <= b
    if (d.lo && *d.lo >= 0) return op == Op::kMinimum ? b : a;  // a >= b
  }
  bool comparison = op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe ||
                    op == Op::kEq || op == Op::kNe;
  if (ints && comparison) {
    if (ExprPtr decided = Compare(op, a, b, ranges)) return decided;
  }
  if (op == Op::kAnd || op == Op::kOr) {
    bool absorbing = op == Op::kOr;  // true absorbs or, false absorbs and
    for (int k = 0; k < 2; ++k) {
      const ExprPtr& x = e->args[static_cast<size_t>(k)];
      if (x->kind != Expr::Kind::kConst) continue;
      if ((x->value != 0) == absorbing) return x;
      return e->args[static_cast<size_t>(1 - k)];
    }
  }
  if (op == Op::kSelect) {
    if (a->kind == Expr::Kind::kConst) return a->value != 0 ? e->args[1] : e->args[2];
    if (Equal(e->args[1], e->args[2])) return e->args[1];
  }
  if (op == Op::kCast && a->dtype == e->dtype) return a;
  // Floats: only identities exact in IEEE arithmetic (x * 1 keeps -0 and nan; x + 0 does not).
  if (!ints && op == Op::kMul && IsConst(b, 1)) return a;
  if (!ints && op == Op::kMul && IsConst(a, 1)) return b;
  return e;
}

class ExprSimplifier : public Mutator {
 public:
  explicit ExprSimplifier(const VarRanges& ranges) : ranges_(ranges) {}

 protected:
  ExprPtr VisitApply(const ExprPtr& e) override {
    return SimplifyApply(Mutator::VisitApply(e), ranges_);
  }

 private:
  const VarRanges& ranges_;
};

class StmtSimplifier : public Mutator {
 public:
  explicit StmtSimplifier(VarRanges ranges) : ranges_(std::move(ranges)) {}

 protected:
  ExprPtr Simple(const ExprPtr& e) { return Simplify(e, ranges_); }

  StmtPtr VisitFor(const StmtPtr& s) override {
    ExprPtr extent = Simple(s->extent);
    Interval bound = BoundsOf(extent, ranges_);
    VarRanges saved = ranges_;
    ranges_[s->var] = {0, bound.hi ? std::optional<int64_t>(std::max<int64_t>(*bound.hi - 1, 0)) : std::nullopt};
    StmtPtr body = Mutate(s->body);
    ranges_ = std::move(saved);
    if (extent == s->extent && body == s->body) return s;
    return For(s->var, extent, body, s->for_kind);
  }

  StmtPtr VisitLet(const StmtPtr& s) override {
    ExprPtr value = Simple(s->value);
    if (value->dtype == kIndexType) ranges_[s->var] = BoundsOf(value, ranges_);
    return value == s->value ? s : Let(s->var, value);
  }

  StmtPtr VisitIf(const StmtPtr& s) override {
    ExprPtr cond = Simple(s->cond);
    if (cond->kind == Expr::Kind::kConst) {
      const StmtPtr& taken = cond->value != 0 ? s->body : s->else_body;
      return taken ? Mutate(taken) : Seq({});
    }
    VarRanges saved = ranges_;
    StmtPtr body = Mutate(s->body);
    ranges_ = saved;
    StmtPtr else_body = Mutate(s->else_body);
    ranges_ = std::move(saved);
    if (cond == s->cond && body == s->body && else_body == s->else_body) return s;
    return If(cond, body, else_body);
  }

  StmtPtr VisitStore(const StmtPtr& s) override {
    bool changed = false;
    std::vector<ExprPtr> args;
    for (const ExprPtr& arg : s->args) {
      args.push_back(Simple(arg));
      changed = changed || args.back() != arg;
    }
    ExprPtr value = Simple(s->value);
    if (!changed && value == s->value) return s;
    return Store(s->buffer, std::move(args), value);
  }

 private:
  VarRanges ranges_;
};
// SKELETON
// // Helpers of your own (a canonical form for sums, division by constants) go here.
// END SOLUTION

}  // namespace

ExprPtr Simplify(const ExprPtr& e, const VarRanges& ranges) {
  // BEGIN SOLUTION lab04.t2: simplify an expression bottom-up
  return ExprSimplifier(ranges).Mutate(e);
  // END SOLUTION
}

StmtPtr Simplify(const StmtPtr& s, VarRanges ranges) {
  // BEGIN SOLUTION lab04.t2: simplify every expression with the ranges of its loops
  return StmtSimplifier(std::move(ranges)).Mutate(s);
  // END SOLUTION
}

bool ProveTrue(const ExprPtr& cond, const VarRanges& ranges) {
  // BEGIN SOLUTION lab04.t2: a condition proven by simplification
  ExprPtr simple = Simplify(cond, ranges);
  return simple->kind == Expr::Kind::kConst && simple->value != 0;
  // END SOLUTION
}

}  // namespace tessel::loops
