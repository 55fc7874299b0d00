// Seeded random tensors (see random.h).
//
// One generator per tensor, seeded from the user's seed and the parameter's
// name, draws one 64-bit word per element in row-major order. Each word is
// turned into a value exactly representable in the dtype, so that storing it
// never rounds (a float rounded up to 1.0 would leave [-1, 1)).
#include "stages/runtime/random.h"

#include <cmath>

namespace tessel {
namespace {

// FNV-1a, 64-bit: a fixed hash of the name, the same on every platform
// (std::hash is not).
uint64_t HashName(const std::string& name) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// A value in [-1, 1) on a grid of 2^bits points: 2^(bits - 1) steps per unit.
double UniformFloat(uint64_t word, int bits) {
  const uint64_t k = word >> (64 - bits);
  return std::ldexp(static_cast<double>(k), 1 - bits) - 1.0;
}

// The value drawn from `word` for `dtype`: floats in [-1, 1) (f32 with 24
// bits, f16 with 11, so both are exact), integers in [-8, 8), bools 0 or 1.
double ValueFromWord(DType dtype, uint64_t word) {
  switch (dtype) {
    case DType::kF32:
      return UniformFloat(word, 24);
    case DType::kF16:
      return UniformFloat(word, 11);
    case DType::kI32:
    case DType::kI8:
      return static_cast<double>(word >> 60) - 8.0;
    case DType::kBool:
      return static_cast<double>(word >> 63);
  }
  return 0;
}

}  // namespace

uint64_t SplitMix64::Next() {
  state_ += 0x9e3779b97f4a7c15ull;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

Tensor RandomTensor(DType dtype, const Shape& shape, uint64_t seed, const std::string& name) {
  SplitMix64 generator(seed ^ HashName(name));
  Tensor tensor(dtype, shape);
  for (int64_t i = 0; i < tensor.size(); ++i) tensor.Set(i, ValueFromWord(dtype, generator.Next()));
  return tensor;
}

double ParameterBound(const Shape& shape) {
  if (shape.size() < 2) return 1.0;
  int64_t fan_in = shape.size() == 2 ? shape[0] : shape[1];
  for (size_t d = 2; shape.size() >= 4 && d < shape.size(); ++d) fan_in *= shape[d];
  return fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 1.0;
}

Tensor SeededParameter(DType dtype, const Shape& shape, uint64_t seed, const std::string& name) {
  Tensor tensor = RandomTensor(dtype, shape, seed, name);
  if (!IsFloat(dtype)) return tensor;
  const double bound = ParameterBound(shape);
  for (int64_t i = 0; i < tensor.size(); ++i) tensor.Set(i, tensor.Get(i) * bound);
  return tensor;
}

}  // namespace tessel
