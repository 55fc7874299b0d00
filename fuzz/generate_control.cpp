// The random program generator: integer excursions, bool masks, static loops, branches on
// flags and on run-time values, helper functions, repeated expressions and constants.
#include <string>
#include <vector>

#include "fuzz/generator_internal.h"

namespace tessel::fuzz::detail {

// f32 -> i32 -> integer arithmetic -> f32: truncation, floor and C division, modulo signs.
bool Generator::Integer(std::vector<Stmt>& out) {
  Value x = Pick(0, 4);
  std::string i = Fresh("k"), j = Fresh("k");  // not "i": i8 and i32 are keywords
  TensorType int_type{"i32", x.type.shape};
  Stmt to_int, arith;
  to_int.defines = i;
  to_int.type = int_type;
  to_int.text = "let " + i + ": " + int_type.str() + " = cast(" + x.name + " * 8.0);";
  arith.defines = j;
  arith.type = int_type;
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
bool Generator::Boolean(std::vector<Stmt>& out) {
  Value x = Pick(0, 4);
  std::string b = Fresh("b");
  Stmt mask;
  mask.defines = b;
  mask.type = {"bool", x.type.shape};
  mask.text = "let " + b + " = " + x.name + (rng_.Chance(0.5) ? " > 0.0;" : " <= 0.25;");
  out.push_back(mask);
  std::string expr = rng_.Chance(0.5) ? "select(" + b + ", " + x.name + ", " + x.name + " * 0.5)"
                                      : "select(" + b + " && (" + x.name + " < 0.5), " + x.name +
                                            ", -" + x.name + ")";
  Let(out, expr, x.type, {x});
  return true;
}

// An assignment "acc = EXPR;" for a loop or branch body.
Stmt Generator::Assign(const std::string& acc, const std::string& expr) {
  Stmt s;
  s.text = acc + " = " + expr + ";";
  return s;
}

// "var accN = x;": the variable a loop or branch assigns.
std::string Generator::VarInit(std::vector<Stmt>& out, const Value& x) {
  Stmt init;
  init.defines = Fresh("acc");
  init.text = "var " + init.defines + " = " + x.name + ";";
  init.type = x.type;
  out.push_back(init);
  return init.defines;
}

// var acc = x; for l in 0..T { acc = f(acc, stack[l]); }  -- unrolled by lab03.t1.
bool Generator::Loop(std::vector<Stmt>& out) {
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
bool Generator::Branch(std::vector<Stmt>& out) {
  if (!options_.control_flow) return false;
  Value x = Pick(0, 4);
  std::string acc = VarInit(out, x);
  Stmt branch;
  branch.kind = Stmt::Kind::kIf;
  // Rarely decided at run time: such a branch keeps the entry multi-block, so the kernel form
  // (fusion, memory planning) is not reached and most programs should reach it.
  if (options_.runtime_branches && rng_.Chance(0.1)) {
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
bool Generator::Helper(std::vector<Stmt>& out) {
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
bool Generator::Repeat(std::vector<Stmt>& out) {
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
bool Generator::Constant(std::vector<Stmt>& out) {
  Value x = Pick(1, 4);
  std::string expr = rng_.Chance(0.5)
                         ? x.name + " * (exp(0.5) + 1.0)"
                         : x.name + " + broadcast(1.5, " + ShapeList(x.type.shape) + ")";
  Let(out, expr, x.type, {x});
  return true;
}

}  // namespace tessel::fuzz::detail
