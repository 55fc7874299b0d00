// The generator's internals, shared by its three files: generate.cpp (values, elementwise ops,
// contractions, reductions, finishing), generate_shapes.cpp (shape ops and comprehensions) and
// generate_control.cpp (integers, masks, loops, branches, helpers). Not a public header: use
// GenerateProgram (generate.h).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz/generate.h"

namespace tessel::fuzz::detail {

// SplitMix64: the same stream on every machine and standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }  // inclusive
  bool Chance(double p) { return static_cast<double>(Next() % 1000000) < p * 1000000.0; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Below(static_cast<int64_t>(items.size())))];
  }

 private:
  uint64_t state_;
};

struct Value {
  std::string name;
  TensorType type;
};

using Shape = std::vector<int64_t>;

std::string Join(const std::vector<std::string>& parts);

std::string ShapeList(const Shape& shape);

int64_t Elements(const Shape& shape);

// NumPy's broadcasting of two shapes; false when they do not broadcast.
bool Broadcast(const Shape& a, const Shape& b, Shape* out);

// Replaces every "X" in `form` by `x` (and "Y" by `y`).
std::string Fill(std::string form, const std::string& x, const std::string& y = "");

// Elementwise forms of one f32 operand X, any rank; the prelude's need rank 1 to 4.
extern const std::vector<std::string> kUnaryAnyRank;

extern const std::vector<std::string> kUnaryPrelude;

// Identities: the exact ones simplify-algebra may apply, and the inexact ones it must not.
extern const std::vector<std::string> kIdentities;

// Two operands that broadcast.
extern const std::vector<std::string> kBinary;

// One i32 operand I (the integer excursion).
extern const std::vector<std::string> kInteger;

extern const std::vector<int64_t> kDims;

class Generator {
 public:
  Generator(uint64_t seed, const GeneratorOptions& options) : rng_(seed), options_(options) {}
  Program Run();

 private:
  // Types and values (generate.cpp).
  bool Fits(const Shape& shape) const { return Elements(shape) <= options_.max_elements; }
  std::string Fresh(const std::string& prefix) { return prefix + std::to_string(counter_++); }
  Shape RandomShape(int rank);
  TensorType RandomType(int min_rank, int max_rank);
  Value NewParam(const TensorType& type);
  // An f32 value in scope of rank in [lo, hi], else a new input of such a rank.
  Value Pick(int lo, int hi);
  // A value of exactly `type`: one in scope, or a new input (rank 0 has no input: a literal).
  Value OfType(const TensorType& type);
  Value Use(const Value& v);
  // "let NAME = EXPR;" with alternatives for the shrinker: the operands of the same type.
  void Let(std::vector<Stmt>& out, const std::string& expr, const TensorType& type,
           const std::vector<Value>& operands);
  // A comprehension statement "NAME[...] op= ...;".
  void Comprehension(std::vector<Stmt>& out, const std::string& rest, const TensorType& type,
                     const std::string& indices);

  // Growing: elementwise, algebra, contractions, reductions (generate.cpp).
  /// One operation of a kind drawn by weight; false when it does not apply here.
  bool GrowOne(std::vector<Stmt>& out);
  std::string UnaryForm(int rank);
  bool Unary(std::vector<Stmt>& out);
  bool Identity(std::vector<Stmt>& out);
  // A partner of `a` for a broadcasting binary op, and the result shape.
  bool Partner(const Value& a, Value* b, Shape* result);
  bool Binary(std::vector<Stmt>& out);
  bool Matmul(std::vector<Stmt>& out);
  // The axes a reduction takes, written for the call, and the result shape.
  void ReduceAxes(const Shape& s, std::string* axis_arg, Shape* result, bool keepdims);
  bool Reduce(std::vector<Stmt>& out);
  bool ArgReduce(std::vector<Stmt>& out);

  // Shapes and comprehensions (generate_shapes.cpp).
  static std::string Index(const char* prefix, size_t i) { return prefix + std::to_string(i); }
  bool ShapeOp(std::vector<Stmt>& out);
  bool Comprehend(std::vector<Stmt>& out);

  // Integers, masks, loops, branches, helpers, repeats, constants (generate_control.cpp).
  // f32 -> i32 -> integer arithmetic -> f32: truncation, floor and C division, modulo signs.
  bool Integer(std::vector<Stmt>& out);
  // A bool mask and a select on it.
  bool Boolean(std::vector<Stmt>& out);
  // An assignment "acc = EXPR;" for a loop or branch body.
  Stmt Assign(const std::string& acc, const std::string& expr);
  // "var accN = x;": the variable a loop or branch assigns.
  std::string VarInit(std::vector<Stmt>& out, const Value& x);
  // var acc = x; for l in 0..T { acc = f(acc, stack[l]); }  -- unrolled by lab03.t1.
  bool Loop(std::vector<Stmt>& out);
  // var acc = x; if COND { acc = f(acc); } else { acc = g(acc); }
  bool Branch(std::vector<Stmt>& out);
  // fn gN(q0: T0, q1: T1) -> T0 { ... }, called once or twice: inlined by lab03.t1.
  bool Helper(std::vector<Stmt>& out);
  // The text of an earlier top-level let again, under a new name: GVN's to find.
  bool Repeat(std::vector<Stmt>& out);
  // Constant subexpressions for the folder: exp(0.5) + 1.0, a broadcast literal.
  bool Constant(std::vector<Stmt>& out);

  // Finishing (generate.cpp).
  // The result: the values nothing else uses (the sinks of the graph), the last one always.
  void ChooseTerms();
  // Some dims of the entry's parameters are written as shape variables (//! shapes).
  void ChooseShapeVars();

  Rng rng_;
  GeneratorOptions options_;
  Program program_;
  std::vector<Value> scope_;
  std::set<std::string> used_;
  int counter_ = 0;
};

}  // namespace tessel::fuzz::detail
