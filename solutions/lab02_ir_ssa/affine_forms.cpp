// Subscripts as affine forms, and the bounds they put on indices (lab02, task
// t3): the arithmetic of range inference (stages/sema/range_inference.h).
// infer_ranges.cpp runs the rounds that use it.
//
// An affine subscript is sum(c_i * index_i) + c0 (Tensor Comprehensions,
// Vasilache et al. 2018, §3.2; the polyhedral model's affine access functions).
// A subscript with one index u of unknown range bounds u: it must stay inside
// 0..extent - 1 for every value of the other, known, indices.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "stages/common/check.h"
#include "stages/common/not_implemented.h"
#include "stages/sema/range_inference.h"

namespace tessel::sema::ranges {

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

// The affine form of `lhs op rhs` from the forms of its operands, or nullopt
// when the result is not affine: + and - always are; * when one side is a
// constant; / and % only between two constants (rounding toward zero, as
// Tessel's integer division does), never by zero; other operators never.
std::optional<AffineForm> CombineAffine(ast::BinaryOp op, const AffineForm& lhs,
                                        const AffineForm& rhs) {
  // BEGIN SOLUTION lab02.t3: + and - add the forms; * needs a constant side; / and % two constants
  AffineForm result = lhs;
  switch (op) {
    case ast::BinaryOp::kAdd:
      AddScaled(result, rhs, 1);
      return result;
    case ast::BinaryOp::kSub:
      AddScaled(result, rhs, -1);
      return result;
    case ast::BinaryOp::kMul:
      if (lhs.terms.empty()) return Scaled(rhs, lhs.constant);
      if (rhs.terms.empty()) return Scaled(lhs, rhs.constant);
      return std::nullopt;  // i * j: a product of two indices
    case ast::BinaryOp::kDiv:
    case ast::BinaryOp::kMod:
      if (!lhs.terms.empty() || !rhs.terms.empty() || rhs.constant == 0) return std::nullopt;
      result.constant =
          op == ast::BinaryOp::kDiv ? lhs.constant / rhs.constant : lhs.constant % rhs.constant;
      return result;
    case ast::BinaryOp::kOr:
    case ast::BinaryOp::kAnd:
    case ast::BinaryOp::kEq:
    case ast::BinaryOp::kNe:
    case ast::BinaryOp::kLt:
    case ast::BinaryOp::kLe:
    case ast::BinaryOp::kGt:
    case ast::BinaryOp::kGe:
    case ast::BinaryOp::kMatMul:
      return std::nullopt;
  }
  return std::nullopt;
  // END SOLUTION
}

// The affine form of a subscript: integer literals and compile-time names
// (problem.lookup) are constants, an index is 1 * index, unary minus negates.
// Anything else (a float, a dynamic name, a tensor read, a call) is not affine.
std::optional<AffineForm> ToAffine(const ast::Expr& expr, const RangeProblem& problem) {
  // BEGIN SOLUTION lab02.t3: literals, known names: constants; an index: 1 * index; recurse
  switch (expr.kind) {
    case ast::ExprKind::kInt:
      return AffineForm{{}, expr.As<ast::IntLiteral>().value};
    case ast::ExprKind::kName: {
      const std::string& name = expr.As<ast::NameExpr>().name;
      if (IsIndex(problem, name)) return AffineForm{{{name, 1}}, 0};
      std::optional<int64_t> value = LookupInt(problem.lookup, name);
      if (!value) return std::nullopt;  // a value known only at run time
      return AffineForm{{}, *value};
    }
    case ast::ExprKind::kUnary: {
      const auto& unary = expr.As<ast::UnaryExpr>();
      std::optional<AffineForm> operand = ToAffine(*unary.operand, problem);
      if (!operand || unary.op != ast::UnaryOp::kNeg) return std::nullopt;
      return Scaled(*operand, -1);
    }
    case ast::ExprKind::kBinary: {
      const auto& binary = expr.As<ast::BinaryExpr>();
      std::optional<AffineForm> lhs = ToAffine(*binary.lhs, problem);
      std::optional<AffineForm> rhs = ToAffine(*binary.rhs, problem);
      if (!lhs || !rhs) return std::nullopt;
      return CombineAffine(binary.op, *lhs, *rhs);
    }
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kIndex:
    case ast::ExprKind::kCall:
    case ast::ExprKind::kList:
      return std::nullopt;
  }
  return std::nullopt;
  // END SOLUTION
}

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
  // BEGIN SOLUTION lab02.t3: the least and the greatest value the other terms can take
  Span span{form.constant, form.constant};
  for (const auto& [name, coeff] : form.terms) {
    if (name == unknown) continue;
    Range range = inference.known.at(name);
    int64_t at_lo = coeff * range.lo;
    int64_t at_last = coeff * (range.hi - 1);
    span.min += std::min(at_lo, at_last);
    span.max += std::max(at_lo, at_last);
  }
  return span;
  // END SOLUTION
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
  // BEGIN SOLUTION lab02.t3: the values of `unknown` that keep the subscript inside, never < 0
  const AffineForm& form = *subscript.form;
  int64_t c = CoefficientOf(form, unknown);
  TESSEL_CHECK(c != 0, "infer_ranges: the bounded index is not in the subscript");
  Span rest = OtherTermsSpan(form, unknown, inference);
  int64_t least = -rest.min;                       // c * u >= least
  int64_t most = subscript.extent - 1 - rest.max;  // c * u <= most
  int64_t lo = c > 0 ? CeilDiv(least, c) : CeilDiv(most, c);
  int64_t last = c > 0 ? FloorDiv(most, c) : FloorDiv(least, c);
  return {std::max<int64_t>(lo, 0), last + 1};
  // END SOLUTION
}

}  // namespace tessel::sema::ranges
