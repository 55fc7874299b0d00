// The random program generator (generate.h): values and inputs, elementwise ops and identities,
// broadcasting, contractions and reductions, and finishing a program.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "fuzz/generate.h"
#include "fuzz/generator_internal.h"

namespace tessel::fuzz {
namespace detail {

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
std::string Fill(std::string form, const std::string& x, const std::string& y) {
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
    "-(-X)",   "X + (-0.0)", "0.0 + X", "X * -1.0", "select(X > X, X, X)", "maximum(X, X)",
    "X * 0.0 + 0.0", "1.0 / (X * 0.0)", "(X - X) * -1.0"};
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

Program Generator::Run() {
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

Shape Generator::RandomShape(int rank) {
  Shape shape;
  for (int i = 0; i < rank; ++i) shape.push_back(rng_.Pick(kDims));
  while (Elements(shape) > options_.max_elements) {
    int64_t& d = shape[static_cast<size_t>(rng_.Below(rank))];
    d = std::max<int64_t>(1, d / 2);
  }
  return shape;
}

TensorType Generator::RandomType(int min_rank, int max_rank) {
  static const std::vector<int> kRankWeights = {1, 1, 2, 2, 2, 2, 3, 3, 3, 4};
  int rank = rng_.Pick(kRankWeights);
  rank = std::clamp(rank, min_rank, max_rank);
  return {"f32", RandomShape(rank)};
}

Value Generator::NewParam(const TensorType& type) {
  Value v{Fresh("p"), type};
  program_.entry.params.push_back({v.name, type});
  scope_.push_back(v);
  return v;
}

// An f32 value in scope of rank in [lo, hi], else a new input of such a rank.
Value Generator::Pick(int lo, int hi) {
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
  int top = std::min(hi, options_.max_rank);
  return Use(NewParam(RandomType(std::max(lo, 1), std::max(top, 1))));
}

// A value of exactly `type`: one in scope, or a new input (rank 0 has no input: a literal).
Value Generator::OfType(const TensorType& type) {
  std::vector<Value> fit;
  for (const Value& v : scope_) {
    if (v.type == type) fit.push_back(v);
  }
  if (!fit.empty() && rng_.Chance(0.5)) return Use(rng_.Pick(fit));
  if (type.shape.empty()) return {"0.75", type};
  return Use(NewParam(type));
}

Value Generator::Use(const Value& v) {
  used_.insert(v.name);
  return v;
}

// "let NAME = EXPR;" with alternatives for the shrinker: the operands of the same type.
void Generator::Let(std::vector<Stmt>& out, const std::string& expr, const TensorType& type,
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
void Generator::Comprehension(std::vector<Stmt>& out, const std::string& rest, const TensorType& type,
                   const std::string& indices) {
  Stmt s;
  s.defines = Fresh("c");
  s.text = s.defines + "[" + indices + "]" + rest;
  s.type = type;
  out.push_back(s);
  scope_.push_back({s.defines, type});
}

bool Generator::GrowOne(std::vector<Stmt>& out) {
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

std::string Generator::UnaryForm(int rank) {
  if (rank >= 1 && rank <= 4 && rng_.Chance(0.3)) return rng_.Pick(kUnaryPrelude);
  return rng_.Pick(kUnaryAnyRank);
}

bool Generator::Unary(std::vector<Stmt>& out) {
  Value x = Pick(0, 4);
  Let(out, Fill(UnaryForm(static_cast<int>(x.type.shape.size())), x.name), x.type, {x});
  return true;
}

bool Generator::Identity(std::vector<Stmt>& out) {
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
bool Generator::Partner(const Value& a, Value* b, Shape* result) {
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

bool Generator::Binary(std::vector<Stmt>& out) {
  Value a = Pick(0, 4), b;
  Shape shape;
  if (!Partner(a, &b, &shape)) return false;
  bool swap = rng_.Chance(0.5);
  std::string expr = Fill(rng_.Pick(kBinary), swap ? b.name : a.name, swap ? a.name : b.name);
  Let(out, expr, {"f32", shape}, {a, b});
  return true;
}

bool Generator::Matmul(std::vector<Stmt>& out) {
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
void Generator::ReduceAxes(const Shape& s, std::string* axis_arg, Shape* result, bool keepdims) {
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

bool Generator::Reduce(std::vector<Stmt>& out) {
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

bool Generator::ArgReduce(std::vector<Stmt>& out) {
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

// The result: the values nothing else uses (the sinks of the graph), the last one always.
void Generator::ChooseTerms() {
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
void Generator::ChooseShapeVars() {
  std::set<int64_t> dims;
  for (const Param& p : program_.entry.params) dims.insert(p.type.shape.begin(), p.type.shape.end());
  for (int64_t d : dims) {
    if (d > 1 && rng_.Chance(0.3)) program_.shape_vars["S" + std::to_string(d)] = d;
  }
}

}  // namespace detail

Program GenerateProgram(uint64_t seed, const GeneratorOptions& options) {
  return detail::Generator(seed, options).Run();
}

}  // namespace tessel::fuzz
