// Tolerant tensor comparison and its report (see compare.h).
//
// Floats pass when |actual - expected| <= abs + rel * |expected|, as
// numpy.allclose; NaN matches NaN and an infinity only the same infinity.
// Integer and bool tensors must match exactly: a tolerance on them would
// hide off-by-one results.
#include "stages/runtime/compare.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace tessel {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The errors of one element pair; both are infinite when the pair cannot be
// compared numerically (a NaN against a number, or a differing infinity).
struct ElementError {
  double abs = 0;
  double rel = 0;
  bool within = true;
};

ElementError CompareElements(double actual, double expected, bool exact, Tolerance tol) {
  if (std::isnan(actual) || std::isnan(expected)) {
    if (std::isnan(actual) && std::isnan(expected)) return {};
    return {kInfinity, kInfinity, false};
  }
  if (std::isinf(actual) || std::isinf(expected)) {
    if (actual == expected) return {};
    return {kInfinity, kInfinity, false};
  }
  ElementError error;
  error.abs = std::fabs(actual - expected);
  if (expected != 0) {
    error.rel = error.abs / std::fabs(expected);
  } else {
    error.rel = error.abs == 0 ? 0 : kInfinity;
  }
  error.within = exact ? actual == expected : error.abs <= tol.abs + tol.rel * std::fabs(expected);
  return error;
}

// The multi-index of row-major element `flat` of `shape`.
std::vector<int64_t> Unflatten(int64_t flat, const Shape& shape) {
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

std::string Printf(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

// The shortest decimal that reads back as `value`: integers as integers,
// floats (every f32 and f16 value is one) with the digits float precision
// needs, so 0.51f prints as "0.51" and not "0.50999999".
std::string FormatValue(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::trunc(value) && std::fabs(value) < 1e15) return Printf("%.0f", value);
  const bool is_float = static_cast<double>(static_cast<float>(value)) == value;
  for (int digits = 1; digits < 17; ++digits) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.*g", digits, value);
    const bool exact = is_float ? std::strtof(buffer, nullptr) == static_cast<float>(value)
                                : std::strtod(buffer, nullptr) == value;
    if (exact) return buffer;
  }
  return Printf("%.17g", value);
}

std::string FormatError(double error) { return error == kInfinity ? "inf" : Printf("%.3g", error); }

std::string FormatTolerance(Tolerance tol) {
  return "(tolerance abs " + Printf("%g", tol.abs) + " rel " + Printf("%g", tol.rel) + ")";
}

}  // namespace

Comparison CompareTensors(const Tensor& actual, const Tensor& expected, Tolerance tol) {
  Comparison result;
  const std::string types =
      ": actual " + actual.TypeString() + ", expected " + expected.TypeString();
  if (actual.dtype() != expected.dtype()) {
    result.mismatch = "dtype differs" + types;
    return result;
  }
  if (actual.shape() != expected.shape()) {
    result.mismatch = "shape differs" + types;
    return result;
  }
  const bool exact = !IsFloat(actual.dtype());
  for (int64_t i = 0; i < actual.size(); ++i) {
    const double a = actual.Get(i);
    const double e = expected.Get(i);
    const ElementError error = CompareElements(a, e, exact, tol);
    result.max_abs_error = std::fmax(result.max_abs_error, error.abs);
    result.max_rel_error = std::fmax(result.max_rel_error, error.rel);
    if (error.within) continue;
    if (result.mismatches++ == 0) {
      result.first_bad_index = Unflatten(i, actual.shape());
      result.actual_at_first = a;
      result.expected_at_first = e;
    }
  }
  result.equal = result.mismatches == 0;
  if (!result.equal) {
    result.mismatch = std::to_string(result.mismatches) + " of " + std::to_string(actual.size()) +
                      " elements differ";
  }
  return result;
}

std::string FormatComparison(const Comparison& comparison, Tolerance tol) {
  const std::string errors = "max abs error " + FormatError(comparison.max_abs_error) +
                             ", max rel error " + FormatError(comparison.max_rel_error);
  if (comparison.equal) return "equal: " + errors + " " + FormatTolerance(tol);
  if (comparison.mismatches == 0) return comparison.mismatch;  // dtype or shape differs
  return errors + ", " + comparison.mismatch + "; first at " +
         FormatShape(comparison.first_bad_index) + ": actual " +
         FormatValue(comparison.actual_at_first) + " expected " +
         FormatValue(comparison.expected_at_first) + " " + FormatTolerance(tol);
}

}  // namespace tessel
