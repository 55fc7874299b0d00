// Seeded random tensors: the inputs `tessel run` generates for parameters the
// user did not give. The same seed gives the same values on every machine.
#pragma once

#include <cstdint>
#include <string>

#include "stages/runtime/tensor.h"

namespace tessel {

/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014; Vigna's reference code):
/// a tiny 64-bit generator whose output is the same on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  /// The next 64 random bits.
  uint64_t Next();

 private:
  uint64_t state_;
};

/// A tensor of `dtype` and `shape` filled deterministically from `seed` and
/// `name` (so two parameters with the same seed differ): floats uniform in
/// [-1, 1), integers uniform in [-8, 8), bools fair coin flips. Uses its own
/// generator (SplitMix64), not std:: distributions, whose output varies
/// between standard libraries.
Tensor RandomTensor(DType dtype, const Shape& shape, uint64_t seed, const std::string& name);

/// How far the seeded values of a parameter of `shape` reach (docs/language.md §7): 1 for
/// scalars and vectors; for a tensor of rank 2 or more 1 / sqrt(fan_in), the scale of PyTorch's
/// default initialization, where fan_in counts the inputs each output sums over:
///   [in, out]                   d0          (Tessel multiplies x @ w)
///   [n, in, out]                d1          (a stack of such matrices, one per layer)
///   [out, in, kh, kw, ...]      d1 * d2 ... (a convolution filter, PyTorch's layout)
double ParameterBound(const Shape& shape);

/// The value `tessel run` gives a parameter the user did not: RandomTensor with floats scaled
/// into [-bound, bound) by ParameterBound (integers and bools as RandomTensor draws them).
Tensor SeededParameter(DType dtype, const Shape& shape, uint64_t seed, const std::string& name);

}  // namespace tessel
