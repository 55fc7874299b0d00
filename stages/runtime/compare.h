// Comparing tensors with a tolerance: the check every stage's tests use to
// say "the optimized program computes the same thing as the original".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stages/runtime/tensor.h"

namespace tessel {

struct Tolerance {
  double abs = 1e-5;
  double rel = 1e-4;  // |a - b| <= abs + rel * |b| passes, as numpy.allclose
};

struct Comparison {
  bool equal = false;      // same dtype, same shape, every element within tolerance
  std::string mismatch;    // empty when equal; else a one-line reason
  double max_abs_error = 0;
  double max_rel_error = 0;
  int64_t mismatches = 0;                 // elements outside the tolerance
  std::vector<int64_t> first_bad_index;   // multi-index of the first one
  double actual_at_first = 0, expected_at_first = 0;
};

/// Compares `actual` with `expected`. NaN equals NaN; infinities must match exactly.
/// The tolerance applies to f32 and f16; integer and bool elements must be equal.
/// A dtype or shape difference is reported as such, with both types.
Comparison CompareTensors(const Tensor& actual, const Tensor& expected, Tolerance tol = {});

/// A readable report: "max abs error 3.2e-3, max rel error 1.1e-2, 4 of 40 elements differ;
/// first at [1, 3]: actual 0.51 expected 0.5 (tolerance abs 1e-05 rel 0.0001)".
std::string FormatComparison(const Comparison& comparison, Tolerance tol = {});

}  // namespace tessel
