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

}  // namespace tessel
