// The random program generator (generate.h).
#include "fuzz/generate.h"

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace tessel::fuzz {
namespace {

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

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i > 0 ? ", " : "") + parts[i];
  return out;
}

std::string ShapeList(const Shape& shape) {
  std::vector<std::string> dims;
  for (int64_t d : shape) dims.push_back(std::to_string(d));
  return "[" + Join(dims) + "]";
}

int64_t Elements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// NumPy's broadcasting of two shapes; false when they do not broadcast.
bool Broadcast(const Shape& a, const Shape& b, Shape* out) {
  size_t rank = std::max(a.size(), b.size());
  out->assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    (*out)[i] = std::max(da, db);
  }
  return true;
}

// Replaces every "X" in `form` by `x` (and "Y" by `y`).
std::string Fill(std::string form, const std::string& x, const std::string& y = "") {
  std::string out;
  for (char c : form) {
    if (c == 'X') {
      out += x;
    } else if (c == 'Y') {
      out += y;
    } else {
      out += c;
    }
  }
  return out;
}

// Elementwise forms of one f32 operand X, any rank; the prelude's need rank 1 to 4.
const std::vector<std::string> kUnaryAnyRank = {
    "tanh(X)",        "sigmoid(X)",         "relu(X)",           "abs(X)",
    "sin(X)",         "cos(X)",             "erf(X)",            "exp(tanh(X))",
    "log(abs(X) + 1.0)", "sqrt(abs(X))",    "rsqrt(abs(X) + 1.0)", "floor(X * 4.0)",
    "ceil(X * 2.0)",  "round(X * 3.0)",     "sign(X)",           "-X",
    "X * 0.5 + 0.25", "2.0 - X"};
const std::vector<std::string> kUnaryPrelude = {
    "gelu(X)",      "gelu(X, approximate=true)", "silu(X)",     "relu6(X * 8.0)",
    "leaky_relu(X)", "leaky_relu(X, negative_slope=0.2)", "hardswish(X * 4.0)",
    "clamp(X, min=-0.5, max=0.5)", "clamp(X, max=0.25)"};
// Identities: the exact ones simplify-algebra may apply, and the inexact ones it must not.
const std::vector<std::string> kIdentities = {
    "X * 1.0", "1.0 * X", "X / 1.0", "X + 0.0", "X - 0.0", "X * 0.0", "X - X",
    "-(-X)",   "X + (-0.0)", "0.0 + X", "X * -1.0", "select(X > X, X, X)", "maximum(X, X)"};
// Two operands that broadcast.
const std::vector<std::string> kBinary = {
    "X + Y", "X - Y", "X * Y", "X / (abs(Y) + 1.0)", "maximum(X, Y)", "minimum(X, Y)",
    "select(X > Y, X, Y)", "select(X < Y, Y * 0.5, X)", "pow(abs(X) + 0.5, Y)",
    "floor_mod(X, abs(Y) + 0.5)", "floor_div(X * 4.0, abs(Y) + 1.0)",
    "select((X > 0.0) && (Y < 0.5), X, -Y)", "select(!(X >= Y) || (Y == 0.0), X, Y)"};
// One i32 operand I (the integer excursion).
const std::vector<std::string> kInteger = {
    "floor_div(X, 3)", "floor_mod(X, 3)", "X / 3",        "X % 3",       "X * 2 - 1",
    "maximum(X, 0)",   "abs(X) + sign(X)", "select(X > 2, X, 0)", "floor_div(X, -2)",
    "X % -3",          "minimum(X, 4) * X"};
const std::vector<int64_t> kDims = {1, 2, 3, 4, 5, 6, 8};

class Generator {
 public:
  Generator(uint64_t seed, const GeneratorOptions& options) : rng_(seed), options_(options) {}

  Program Run() {
    program_.entry.name = "fuzz";
    NewParam(RandomType(1, options_.max_rank));
    if (rng_.Chance(0.5)) NewParam(RandomType(1, options_.max_rank));
    int grown = 0;
    for (int attempts = 0; grown < options_.statements && attempts < 50 * options_.statements;
         ++attempts) {
      if (GrowOne(program_.entry.body)) ++grown;
    }
    ChooseTerms();
    ChooseShapeVars();
    return program_;
  }

 private:
  // ------------------------------------------------------------------ types and values

  Shape RandomShape(int rank) {
    Shape shape;
    for (int i = 0; i < rank; ++i) shape.push_back(rng_.Pick(kDims));
    while (Elements(shape) > options_.max_elements) {
      int64_t& d = shape[static_cast<size_t>(rng_.Below(rank))];
      d = std::max<int64_t>(1, d / 2);
    }
    return shape;
  }

  TensorType RandomType(int min_rank, int max_rank) {
    static const std::vector<int> kRankWeights = {1, 1, 2, 2, 2, 2, 3, 3, 3, 4};
    int rank = rng_.Pick(kRankWeights);
    rank = std::clamp(rank, min_rank, max_rank);
    return {"f32", RandomShape(rank)};
  }

  bool Fits(const Shape& shape) const { return Elements(shape) <= options_.max_elements; }

  std::string Fresh(const std::string& prefix) { return prefix + std::to_string(counter_++); }

  Value NewParam(const TensorType& type) {
    Value v{Fresh("p"), type};
    program_.entry.params.push_back({v.name, type});
    scope_.push_back(v);
    return v;
  }

  // An f32 value in scope of rank in [lo, hi], else a new input of such a rank.
  Value Pick(int lo, int hi) {
    std::vector<Value> fit;
    for (const Value& v : scope_) {
      int rank = static_cast<int>(v.type.shape.size());
      if (rank >= lo && rank <= hi) fit.push_back(v);
    }
    // Prefer recent values: the graph grows deep rather than wide.
    if (!fit.empty() && rng_.Chance(0.9)) {
      size_t n = fit.size();
      size_t i = rng_.Chance(0.6) ? n - 1 - static_cast<size_t>(rng_.Below(std::min<int64_t>(3, n)))
                                  : static_cast<size_t>(rng_.Below(static_cast<int64_t>(n)));
      return Use(fit[i]);
    }
    return Use(NewParam(RandomType(std::max(lo, 1), std::max(hi, 1))));
  }

  // A value of exactly `type`: one in scope, or a new input (rank 0 has no input: a literal).
  Value OfType(const TensorType& type) {
    std::vector<Value> fit;
    for (const Value& v : scope_) {
      if (v.type == type) fit.push_back(v);
    }
    if (!fit.empty() && rng_.Chance(0.5)) return Use(rng_.Pick(fit));
    if (type.shape.empty()) return {"0.75", type};
    return Use(NewParam(type));
  }

  Value Use(const Value& v) {
    used_.insert(v.name);
    return v;
  }

  // "let NAME = EXPR;" with alternatives for the shrinker: the operands of the same type.
  void Let(std::vector<Stmt>& out, const std::string& expr, const TensorType& type,
           const std::vector<Value>& operands) {
    Stmt s;
    s.defines = Fresh("v");
    s.text = "let " + s.defines + " = " + expr + ";";
    for (const Value& operand : operands) {
      if (operand.type == type && operand.name != expr && operand.name[0] != '0') {
        s.simpler.push_back("let " + s.defines + " = " + operand.name + ";");
      }
    }
    s.type = type;
    out.push_back(s);
    scope_.push_back({s.defines, type});
  }

  // A comprehension statement "NAME[...] op= ...;".
  void Comprehension(std::vector<Stmt>& out, const std::string& rest, const TensorType& type,
                     const std::string& indices) {
    Stmt s;
    s.defines = Fresh("c");
    s.text = s.defines + "[" + indices + "]" + rest;
    s.type = type;
    out.push_back(s);
    scope_.push_back({s.defines, type});
  }

  // ------------------------------------------------------------------ growing

  bool GrowOne(std::vector<Stmt>& out) {
    using Grow = bool (Generator::*)(std::vector<Stmt>&);
    static const std::vector<std::pair<int, Grow>> kKinds = {
        {10, &Generator::Unary},    {4, &Generator::Identity},  {10, &Generator::Binary},
        {5, &Generator::Matmul},    {6, &Generator::Reduce},    {2, &Generator::ArgReduce},
        {8, &Generator::ShapeOp},   {8, &Generator::Comprehend}, {3, &Generator::Integer},
        {3, &Generator::Boolean},   {4, &Generator::Loop},      {4, &Generator::Branch},
        {3, &Generator::Helper},    {2, &Generator::Repeat},    {2, &Generator::Constant}};
    int total = 0;
    for (const auto& [weight, grow] : kKinds) total += weight;
    int64_t r = rng_.Below(total);
    for (const auto& [weight, grow] : kKinds) {
      if (r < weight) return (this->*grow)(out);
      r -= weight;
    }
    return false;
  }

  std::string UnaryForm(int rank) {
    if (rank >= 1 && rank <= 4 && rng_.Chance(0.3)) return rng_.Pick(kUnaryPrelude);
    return rng_.Pick(kUnaryAnyRank);
  }

  bool Unary(std::vector<Stmt>& out) {
    Value x = Pick(0, 4);
    Let(out, Fill(UnaryForm(static_cast<int>(x.type.shape.size())), x.name), x.type, {x});
    return true;
  }

  bool Identity(std::vector<Stmt>& out) {
    Value x = Pick(0, 4);
    int rank = static_cast<int>(x.type.shape.size());
    std::vector<std::string> forms = kIdentities;
    if (rank >= 2) {
      forms.push_back("transpose(transpose(X))");
      std::vector<int64_t> perm(static_cast<size_t>(rank));
      for (int i = 0; i < rank; ++i) perm[static_cast<size_t>(i)] = i;
      std::swap(perm[0], perm[1]);
      forms.push_back("transpose(transpose(X, " + ShapeList(perm) + "), " + ShapeList(perm) + ")");
    }
    if (rank >= 1) {
      forms.push_back("reshape(reshape(X, [" + std::to_string(x.type.elements()) + "]), " +
                      ShapeList(x.type.shape) + ")");
    }
    Let(out, Fill(rng_.Pick(forms), x.name), x.type, {x});
    return true;
  }

  // A partner of `a` for a broadcasting binary op, and the result shape.
  bool Partner(const Value& a, Value* b, Shape* result) {
    const Shape& s = a.type.shape;
    Shape t = s;
    switch (rng_.Below(5)) {
      case 0:  // the same shape
        break;
      case 1:  // a suffix: fewer leading axes
        if (s.empty()) return false;
        t.erase(t.begin(), t.begin() + rng_.Between(1, static_cast<int64_t>(s.size())));
        break;
      case 2:  // some axes of size 1
        for (int64_t& d : t) {
          if (rng_.Chance(0.5)) d = 1;
        }
        break;
      case 3:  // stretch a's axes of size 1
        for (int64_t& d : t) {
          if (d == 1 && rng_.Chance(0.7)) d = rng_.Pick(kDims);
        }
        break;
      case 4:  // one more leading axis
        if (static_cast<int>(s.size()) >= options_.max_rank) return false;
        t.insert(t.begin(), rng_.Between(2, 3));
        break;
    }
    if (!Broadcast(s, t, result) || !Fits(*result)) return false;
    *b = OfType({"f32", t});
    return true;
  }

  bool Binary(std::vector<Stmt>& out) {
    Value a = Pick(0, 4), b;
    Shape shape;
    if (!Partner(a, &b, &shape)) return false;
    bool swap = rng_.Chance(0.5);
    std::string expr = Fill(rng_.Pick(kBinary), swap ? b.name : a.name, swap ? a.name : b.name);
    Let(out, expr, {"f32", shape}, {a, b});
    return true;
  }

  bool Matmul(std::vector<Stmt>& out) {
    Value a = Pick(1, 3);
    const Shape& s = a.type.shape;
    int64_t k = s.back(), n = rng_.Pick(kDims);
    if (s.size() == 1) {  // a vector times a matrix: [K] @ [K, N] -> [N]
      Value w = OfType({"f32", {k, n}});
      Let(out, a.name + " @ " + w.name, {"f32", {n}}, {a, w});
      return true;
    }
    Shape result = s;
    result.back() = n;
    if (!Fits(result)) return false;
    if (rng_.Chance(0.3)) {  // the prelude's linear: x @ w + b
      Value w = OfType({"f32", {k, n}}), bias = OfType({"f32", {n}});
      Let(out, "linear(" + a.name + ", " + w.name + ", " + bias.name + ")", {"f32", result},
          {a, w, bias});
      return true;
    }
    Shape w_shape = {k, n};
    if (s.size() == 3 && rng_.Chance(0.5)) w_shape = {s[0], k, n};  // batched
    Value w = OfType({"f32", w_shape});
    Let(out, a.name + " @ " + w.name, {"f32", result}, {a, w});
    return true;
  }

  // The axes a reduction takes, written for the call, and the result shape.
  void ReduceAxes(const Shape& s, std::string* axis_arg, Shape* result, bool keepdims) {
    int rank = static_cast<int>(s.size());
    std::set<int> axes;
    int choice = static_cast<int>(rng_.Below(rank >= 2 ? 3 : 2));
    if (choice == 0) {  // every axis
      for (int i = 0; i < rank; ++i) axes.insert(i);
      axis_arg->clear();
    } else if (choice == 1) {  // one axis, sometimes counted from the end
      int axis = static_cast<int>(rng_.Below(rank));
      axes.insert(axis);
      *axis_arg = ", axis=" + std::to_string(rng_.Chance(0.3) ? axis - rank : axis);
    } else {  // two axes
      int a0 = static_cast<int>(rng_.Below(rank)), a1 = static_cast<int>(rng_.Below(rank));
      if (a0 == a1) a1 = (a0 + 1) % rank;
      axes = {a0, a1};
      *axis_arg = ", axis=[" + std::to_string(std::min(a0, a1)) + ", " +
                  std::to_string(std::max(a0, a1)) + "]";
    }
    result->clear();
    for (int i = 0; i < rank; ++i) {
      if (!axes.count(i)) {
        result->push_back(s[static_cast<size_t>(i)]);
      } else if (keepdims) {
        result->push_back(1);
      }
    }
  }

  bool Reduce(std::vector<Stmt>& out) {
    Value x = Pick(1, 4);
    static const std::vector<std::string> kReductions = {"sum", "mean", "max", "min", "prod"};
    bool keepdims = rng_.Chance(0.4);
    std::string axis_arg;
    Shape result;
    ReduceAxes(x.type.shape, &axis_arg, &result, keepdims);
    std::string op = rng_.Pick(kReductions);
    std::string operand = op == "prod" ? "(" + x.name + " * 0.5 + 1.0)" : x.name;
    Let(out, op + "(" + operand + axis_arg + (keepdims ? ", keepdims=true" : "") + ")",
        {"f32", result}, {x});
    return true;
  }

  bool ArgReduce(std::vector<Stmt>& out) {
    Value x = Pick(1, 4);
    int rank = static_cast<int>(x.type.shape.size());
    int axis = static_cast<int>(rng_.Below(rank));
    bool keepdims = rng_.Chance(0.3);
    Shape result;
    for (int i = 0; i < rank; ++i) {
      if (i != axis) result.push_back(x.type.shape[static_cast<size_t>(i)]);
      if (i == axis && keepdims) result.push_back(1);
    }
    TensorType type{"f32", result};
    Stmt s;
    s.defines = Fresh("v");
    s.text = "let " + s.defines + ": " + type.str() + " = cast(" +
             (rng_.Chance(0.5) ? "argmax(" : "argmin(") + x.name + ", axis=" +
             std::to_string(axis) + (keepdims ? ", keepdims=true" : "") + "));";
    s.type = type;
    out.push_back(s);
    scope_.push_back({s.defines, type});
    return true;
  }

  bool ShapeOp(std::vector<Stmt>& out) {
    Value x = Pick(1, 4);
    const Shape& s = x.type.shape;
    int rank = static_cast<int>(s.size());
    switch (rng_.Below(7)) {
      case 0: {  // transpose
        if (rank < 2) return false;
        std::vector<int64_t> perm(static_cast<size_t>(rank));
        for (int i = 0; i < rank; ++i) perm[static_cast<size_t>(i)] = i;
        for (int i = rank - 1; i > 0; --i) std::swap(perm[static_cast<size_t>(i)], perm[static_cast<size_t>(rng_.Below(i + 1))]);
        Shape result;
        for (int64_t p : perm) result.push_back(s[static_cast<size_t>(p)]);
        bool reverse = rng_.Chance(0.3);
        if (reverse) {
          result.assign(s.rbegin(), s.rend());
          Let(out, "transpose(" + x.name + ")", {"f32", result}, {x});
        } else {
          Let(out, "transpose(" + x.name + ", " + ShapeList(perm) + ")", {"f32", result}, {x});
        }
        return true;
      }
      case 1: {  // reshape into a random factorization of the element count
        int64_t n = x.type.elements();
        Shape result;
        int64_t left = n;
        for (int64_t d : {2, 3, 4, 2}) {
          if (left % d == 0 && rng_.Chance(0.5)) {
            result.push_back(d);
            left /= d;
          }
        }
        result.push_back(left);
        std::reverse(result.begin(), result.end());
        Let(out, "reshape(" + x.name + ", " + ShapeList(result) + ")", {"f32", result}, {x});
        return true;
      }
      case 2: {  // broadcast: a new leading axis, axes of size 1 stretched
        if (rank >= options_.max_rank) return false;
        Shape result = s;
        for (int64_t& d : result) {
          if (d == 1) d = rng_.Pick(kDims);
        }
        result.insert(result.begin(), rng_.Between(2, 3));
        if (!Fits(result)) return false;
        Let(out, "broadcast(" + x.name + ", " + ShapeList(result) + ")", {"f32", result}, {x});
        return true;
      }
      case 3: {  // concat along an axis with a value that differs only there
        int axis = static_cast<int>(rng_.Below(rank));
        Shape other = s;
        other[static_cast<size_t>(axis)] = rng_.Chance(0.5) ? s[static_cast<size_t>(axis)] : rng_.Pick(kDims);
        Shape result = s;
        result[static_cast<size_t>(axis)] += other[static_cast<size_t>(axis)];
        if (!Fits(result)) return false;
        Value y = OfType({"f32", other});
        bool negative = rng_.Chance(0.3);
        Let(out,
            "concat([" + x.name + ", " + y.name + "], axis=" +
                std::to_string(negative ? axis - rank : axis) + ")",
            {"f32", result}, {x, y});
        return true;
      }
      case 4: {  // slice with Python's meaning: negative starts, clamped ends, steps
        int axis = static_cast<int>(rng_.Below(rank));
        int64_t n = s[static_cast<size_t>(axis)];
        int64_t start = rng_.Below(n), step = rng_.Between(1, 3);
        int64_t end = rng_.Chance(0.3) ? 1000 : rng_.Between(start + 1, n);
        int64_t stop = std::min(end, n);
        int64_t length = (stop - start + step - 1) / step;
        std::string start_text = std::to_string(rng_.Chance(0.3) ? start - n : start);
        Shape result = s;
        result[static_cast<size_t>(axis)] = length;
        Let(out,
            "slice(" + x.name + ", axis=" + std::to_string(axis) + ", start=" + start_text +
                ", end=" + std::to_string(end) + (step > 1 ? ", step=" + std::to_string(step) : "") +
                ")",
            {"f32", result}, {x});
        return true;
      }
      case 5: {  // pad, the same on both sides or per side, with a fill value
        Shape result = s;
        std::vector<std::string> low, high;
        for (int64_t& d : result) {
          int64_t lo = rng_.Below(2), hi = rng_.Below(2);
          low.push_back(std::to_string(lo));
          high.push_back(std::to_string(hi));
          d += lo + hi;
        }
        if (!Fits(result)) return false;
        std::string value = rng_.Chance(0.3) ? ", value=-1.5" : "";
        Let(out, "pad(" + x.name + ", low=[" + Join(low) + "], high=[" + Join(high) + "]" + value + ")",
            {"f32", result}, {x});
        return true;
      }
      case 6: {  // a subscript of the leading axis
        Shape result(s.begin() + 1, s.end());
        int64_t index = rng_.Below(s[0]);
        Let(out, x.name + "[" + std::to_string(index) + "]", {"f32", result}, {x});
        return true;
      }
    }
    return false;
  }

  static std::string Index(const char* prefix, size_t i) { return prefix + std::to_string(i); }

  bool Comprehend(std::vector<Stmt>& out) {
    Value x = Pick(1, 4);
    const Shape& s = x.type.shape;
    size_t rank = s.size();
    switch (rng_.Below(6)) {
      case 0: {  // pointwise, reading x through a permutation of the indices
        std::vector<size_t> perm(rank);
        for (size_t i = 0; i < rank; ++i) perm[i] = i;
        for (size_t i = rank; i > 1; --i) std::swap(perm[i - 1], perm[static_cast<size_t>(rng_.Below(static_cast<int64_t>(i)))]);
        std::vector<std::string> out_idx, read(rank);
        Shape result;
        for (size_t k = 0; k < rank; ++k) {
          out_idx.push_back(Index("a", k));
          read[perm[k]] = Index("a", k);
          result.push_back(s[perm[k]]);
        }
        static const std::vector<std::string> kBodies = {"X * 2.0", "tanh(X)", "X + 1.0",
                                                         "maximum(X, 0.0)", "X * X"};
        std::string body = Fill(rng_.Pick(kBodies), x.name + "[" + Join(read) + "]");
        Comprehension(out, " = " + body + ";", {"f32", result}, Join(out_idx));
        return true;
      }
      case 1: {  // a reduction over one axis
        if (rank < 2) return false;
        size_t axis = static_cast<size_t>(rng_.Below(static_cast<int64_t>(rank)));
        std::vector<std::string> out_idx, read;
        Shape result;
        for (size_t k = 0; k < rank; ++k) {
          if (k == axis) {
            read.push_back("r0");
          } else {
            out_idx.push_back(Index("a", k));
            read.push_back(Index("a", k));
            result.push_back(s[k]);
          }
        }
        static const std::vector<std::string> kOps = {" += ", " max= ", " min= ", " += "};
        static const std::vector<std::string> kBodies = {"X", "X * X", "abs(X)", "X * 0.5"};
        std::string body = Fill(rng_.Pick(kBodies), x.name + "[" + Join(read) + "]");
        Comprehension(out, rng_.Pick(kOps) + body + ";", {"f32", result}, Join(out_idx));
        return true;
      }
      case 2: {  // a contraction: matmul written out
        if (rank != 2) return false;
        int64_t n = rng_.Pick(kDims);
        if (!Fits({s[0], n})) return false;
        Value w = OfType({"f32", {s[1], n}});
        Comprehension(out, " += " + x.name + "[a0, r0] * " + w.name + "[r0, a1];",
                      {"f32", {s[0], n}}, "a0, a1");
        return true;
      }
      case 3: {  // a sliding window along the last axis
        int64_t n = s.back();
        if (n < 2) return false;
        int64_t window = rng_.Between(2, std::min<int64_t>(3, n));
        std::vector<std::string> out_idx, read;
        Shape result = s;
        result.back() = n - window + 1;
        for (size_t k = 0; k < rank; ++k) {
          out_idx.push_back(Index("a", k));
          read.push_back(k + 1 == rank ? Index("a", k) + " + r0" : Index("a", k));
        }
        Comprehension(out,
                      " += " + x.name + "[" + Join(read) + "] * 0.5 where r0 in 0.." +
                          std::to_string(window) + ";",
                      {"f32", result}, Join(out_idx));
        return true;
      }
      case 4: {  // an index mask: the indices as values
        if (rank != 2) return false;
        Comprehension(out, " = select(a0 >= a1, " + x.name + "[a0, a1], -1.0);", x.type,
                      "a0, a1");
        return true;
      }
      case 5: {  // a reversal of the first axis
        std::vector<std::string> out_idx, read;
        for (size_t k = 0; k < rank; ++k) {
          out_idx.push_back(Index("a", k));
          read.push_back(k == 0 ? std::to_string(s[0] - 1) + " - a0" : Index("a", k));
        }
        Comprehension(out, " = " + x.name + "[" + Join(read) + "];", x.type, Join(out_idx));
        return true;
      }
    }
    return false;
  }

  // f32 -> i32 -> integer arithmetic -> f32: truncation, floor and C division, modulo signs.
  bool Integer(std::vector<Stmt>& out) {
    Value x = Pick(0, 4);
    std::string i = Fresh("k"), j = Fresh("k");  // not "i": i8 and i32 are keywords
    TensorType int_type{"i32", x.type.shape};
    Stmt to_int, arith;
    to_int.defines = i;
    to_int.text = "let " + i + ": " + int_type.str() + " = cast(" + x.name + " * 8.0);";
    arith.defines = j;
    arith.text = "let " + j + " = " + Fill(rng_.Pick(kInteger), i) + ";";
    out.push_back(to_int);
    out.push_back(arith);
    Stmt back;
    back.defines = Fresh("v");
    back.text = "let " + back.defines + ": " + x.type.str() + " = cast(" + j + ");";
    back.type = x.type;
    out.push_back(back);
    scope_.push_back({back.defines, x.type});
    return true;
  }

  // A bool mask and a select on it.
  bool Boolean(std::vector<Stmt>& out) {
    Value x = Pick(0, 4);
    std::string b = Fresh("b");
    Stmt mask;
    mask.defines = b;
    mask.text = "let " + b + " = " + x.name + (rng_.Chance(0.5) ? " > 0.0;" : " <= 0.25;");
    out.push_back(mask);
    std::string expr = rng_.Chance(0.5) ? "select(" + b + ", " + x.name + ", " + x.name + " * 0.5)"
                                        : "select(" + b + " && (" + x.name + " < 0.5), " + x.name +
                                              ", -" + x.name + ")";
    Let(out, expr, x.type, {x});
    return true;
  }

  // An assignment "acc = EXPR;" for a loop or branch body.
  Stmt Assign(const std::string& acc, const std::string& expr) {
    Stmt s;
    s.text = acc + " = " + expr + ";";
    return s;
  }

  // "var accN = x;": the variable a loop or branch assigns.
  std::string VarInit(std::vector<Stmt>& out, const Value& x) {
    Stmt init;
    init.defines = Fresh("acc");
    init.text = "var " + init.defines + " = " + x.name + ";";
    init.type = x.type;
    out.push_back(init);
    return init.defines;
  }

  // var acc = x; for l in 0..T { acc = f(acc, stack[l]); }  -- unrolled by lab03.t1.
  bool Loop(std::vector<Stmt>& out) {
    if (!options_.control_flow) return false;
    Value x = Pick(1, 3);
    int64_t trip = rng_.Between(1, 4);
    std::string acc = VarInit(out, x), l = Fresh("l");
    Stmt loop;
    loop.kind = Stmt::Kind::kFor;
    loop.trip = trip;
    loop.loop_var = l;
    loop.header = "for " + l + " in 0.." + std::to_string(trip);
    Shape stacked = x.type.shape;
    stacked.insert(stacked.begin(), trip);
    if (Fits(stacked)) {
      Value stack = Use(NewParam({"f32", stacked}));
      loop.body.push_back(Assign(acc, rng_.Chance(0.5)
                                          ? "tanh(" + acc + " * 0.5 + " + stack.name + "[" + l + "])"
                                          : acc + " + " + stack.name + "[" + l + "] * 0.25"));
    }
    loop.body.push_back(Assign(acc, Fill(UnaryForm(static_cast<int>(x.type.shape.size())), acc)));
    if (rng_.Chance(0.4)) {  // a branch on the loop counter: folded once unrolled
      Stmt branch;
      branch.kind = Stmt::Kind::kIf;
      branch.header = "if " + l + " % 2 == 0";
      branch.body.push_back(Assign(acc, acc + " * 2.0"));
      branch.orelse.push_back(Assign(acc, acc + " - 0.5"));
      loop.body.push_back(branch);
    }
    out.push_back(loop);
    scope_.push_back({acc, x.type});
    return true;
  }

  // var acc = x; if COND { acc = f(acc); } else { acc = g(acc); }
  bool Branch(std::vector<Stmt>& out) {
    if (!options_.control_flow) return false;
    Value x = Pick(0, 4);
    std::string acc = VarInit(out, x);
    Stmt branch;
    branch.kind = Stmt::Kind::kIf;
    if (options_.runtime_branches && rng_.Chance(0.3)) {
      Value c = Pick(0, 4);
      branch.header = "if sum(" + c.name + ") > 0.0";  // decided at run time
    } else {
      std::string flag = Fresh("flag");
      program_.args[flag] = rng_.Chance(0.5) ? "true" : "false";
      branch.header = "if " + flag + (rng_.Chance(0.3) ? " && true" : "");
    }
    int rank = static_cast<int>(x.type.shape.size());
    branch.body.push_back(Assign(acc, Fill(UnaryForm(rank), acc)));
    branch.orelse.push_back(Assign(acc, Fill(UnaryForm(rank), acc)));
    out.push_back(branch);
    scope_.push_back({acc, x.type});
    return true;
  }

  // fn gN(q0: T0, q1: T1) -> T0 { ... }, called once or twice: inlined by lab03.t1.
  bool Helper(std::vector<Stmt>& out) {
    if (!options_.helpers) return false;
    Value a = Pick(0, 4);
    Function fn;
    fn.name = Fresh("g");
    fn.params.push_back({"q0", a.type});
    std::vector<Value> args = {a};
    bool two = rng_.Chance(0.6);
    if (two) {
      Value b;
      Shape shape;
      if (!Partner(a, &b, &shape) || shape != a.type.shape || b.name[0] == '0') {
        two = false;
      } else {
        fn.params.push_back({"q1", b.type});
        args.push_back(b);
      }
    }
    std::string last = "q0";
    int lines = static_cast<int>(rng_.Between(1, 3));
    for (int i = 0; i < lines; ++i) {
      std::string t = "t" + std::to_string(i);
      std::string expr = two && rng_.Chance(0.5)
                             ? Fill(rng_.Pick(kBinary), last, "q1")
                             : Fill(UnaryForm(static_cast<int>(a.type.shape.size())), last);
      Stmt s;
      s.defines = t;
      s.text = "let " + t + " = " + expr + ";";
      fn.body.push_back(s);
      last = t;
    }
    fn.result = last;
    fn.result_type = a.type;
    program_.helpers.push_back(fn);
    std::vector<std::string> names;
    for (const Value& v : args) names.push_back(v.name);
    Let(out, fn.name + "(" + Join(names) + ")", a.type, args);
    if (rng_.Chance(0.4)) {  // a second call site
      Value again = OfType(a.type);
      names[0] = again.name;
      Let(out, fn.name + "(" + Join(names) + ")", a.type, {again});
    }
    return true;
  }

  // The text of an earlier top-level let again, under a new name: GVN's to find.
  bool Repeat(std::vector<Stmt>& out) {
    std::vector<const Stmt*> lets;
    for (const Stmt& s : out) {
      if (s.kind == Stmt::Kind::kLine && s.text.rfind("let " + s.defines + " = ", 0) == 0 &&
          s.defines[0] == 'v') {
        lets.push_back(&s);
      }
    }
    if (lets.empty()) return false;
    const Stmt& original = *rng_.Pick(lets);
    const Value* value = nullptr;
    for (const Value& v : scope_) {
      if (v.name == original.defines) value = &v;
    }
    if (value == nullptr) return false;
    std::string expr = original.text.substr(4 + original.defines.size() + 3);
    expr.pop_back();  // ';'
    Value copy = *value;
    Let(out, expr, copy.type, {});
    return true;
  }

  // Constant subexpressions for the folder: exp(0.5) + 1.0, a broadcast literal.
  bool Constant(std::vector<Stmt>& out) {
    Value x = Pick(1, 4);
    std::string expr = rng_.Chance(0.5)
                           ? x.name + " * (exp(0.5) + 1.0)"
                           : x.name + " + broadcast(1.5, " + ShapeList(x.type.shape) + ")";
    Let(out, expr, x.type, {x});
    return true;
  }

  // ------------------------------------------------------------------ finishing

  // The result: the values nothing else uses (the sinks of the graph), the last one always.
  void ChooseTerms() {
    std::vector<Value> sinks;
    for (const Value& v : scope_) {
      bool is_param = false;
      for (const Param& p : program_.entry.params) is_param = is_param || p.name == v.name;
      if (!is_param && !used_.count(v.name)) sinks.push_back(v);
    }
    if (sinks.empty()) {
      Value x = Pick(0, 4);
      Let(program_.entry.body, "tanh(" + x.name + ")", x.type, {x});
      sinks.push_back(scope_.back());
    }
    size_t first = sinks.size() > 8 ? sinks.size() - 8 : 0;
    for (size_t i = first; i < sinks.size(); ++i) {
      program_.terms.push_back({sinks[i].name, sinks[i].type});
    }
  }

  // Some dims of the entry's parameters are written as shape variables (//! shapes).
  void ChooseShapeVars() {
    std::set<int64_t> dims;
    for (const Param& p : program_.entry.params) dims.insert(p.type.shape.begin(), p.type.shape.end());
    for (int64_t d : dims) {
      if (d > 1 && rng_.Chance(0.3)) program_.shape_vars["S" + std::to_string(d)] = d;
    }
  }

  Rng rng_;
  GeneratorOptions options_;
  Program program_;
  std::vector<Value> scope_;
  std::set<std::string> used_;
  int counter_ = 0;
};

}  // namespace

Program GenerateProgram(uint64_t seed, const GeneratorOptions& options) {
  return Generator(seed, options).Run();
}

}  // namespace tessel::fuzz
