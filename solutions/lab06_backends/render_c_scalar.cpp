// Loop IR to C, one scalar at a time (lab06, task t6): CRenderer::Scalar, Offset, Statement
// and Loop of stages/cpu/c_renderer.h.
//
// The C must compute exactly what the loop-IR interpreter computes. C's float arithmetic
// already rounds every op to float; what needs care is everything where C and the loop IR
// differ: i32 overflow (undefined in C, wrapping in the IR), division by zero (a trap),
// floor_div and floor_mod (C has only truncating / and %), NaN in maximum, minimum and relu,
// and the narrow types i8 and f16 that C computes in int and float. The prelude
// (stages/cpu/c_prelude.cpp) has a helper for each; lab06_backends/README.md §9.2.
#include <set>
#include <string>

#include "stages/common/not_implemented.h"
#include "stages/cpu/c_renderer.h"
#include "stages/loops/mutator.h"

namespace tessel::cpu {

namespace {

// BEGIN SOLUTION lab06.t6: C operators, helpers and parentheses
// C's precedence of the ops that render as infix operators (0: the others).
int InfixPrecedence(Op op) {
  if (op == Op::kMul || op == Op::kDiv || op == Op::kMod) return 13;
  if (op == Op::kAdd || op == Op::kSub) return 12;
  if (op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe) return 10;
  if (op == Op::kEq || op == Op::kNe) return 9;
  if (op == Op::kAnd) return 5;
  if (op == Op::kOr) return 4;
  return 0;
}

// How tightly a rendered expression binds: an atom (no space outside brackets: a name, a
// load, a call, a cast, a parenthesized select) binds tightest.
int Precedence(const Expr& e, const std::string& text) {
  int depth = 0;
  for (char c : text) {
    depth += (c == '(' || c == '[') - (c == ')' || c == ']');
    if (c == ' ' && depth == 0) return InfixPrecedence(e.op);
  }
  return 100;
}

// `text` (the rendering of `e`) as an operand of an operator of precedence `outer`:
// parenthesized when it binds less tightly, or as tightly on the right (a - (b - c)).
std::string Operand(const Expr& e, const std::string& text, int outer, bool right) {
  int inner = Precedence(e, text);
  return inner < outer || (inner == outer && right) ? "(" + text + ")" : text;
}

// The narrow types round after each op: C computes i8 in int and _Float16 possibly in float.
std::string Narrow(DType dtype, const std::string& text) {
  if (dtype == DType::kI8 || dtype == DType::kF16) return "(" + CRenderer::CType(dtype) + ")(" + text + ")";
  return text;
}

// An integer helper computes in 64 bits: cast its result back to the dtype.
std::string IntHelper(DType dtype, const std::string& helper, const std::string& a,
                      const std::string& b = "") {
  return "(" + CRenderer::CType(dtype) + ")" + helper + "(" + a + (b.empty() ? "" : ", " + b) + ")";
}

// A float function of the prelude. f16 uses its double form where the prelude has one, so that
// the result rounds once, from double to half, as the interpreter's does.
std::string FloatHelper(DType dtype, const std::string& name, const std::string& a,
                        const std::string& b = "") {
  static const std::set<std::string> in_double = {"exp", "log", "sqrt", "rsqrt", "tanh", "sigmoid",
                                                  "erf", "sin", "cos", "pow"};
  bool f16 = dtype == DType::kF16;
  std::string suffix = f16 && in_double.count(name) ? "_f64(" : "_f32(";
  std::string call = "tsl_" + name + suffix + a + (b.empty() ? "" : ", " + b) + ")";
  return f16 ? "(_Float16)" + call : call;
}
// SKELETON
// // Helpers of your own (how to parenthesize an operand, say) go here.
// END SOLUTION

}  // namespace

std::string CRenderer::Scalar(const ExprPtr& e, bool index) {
  // BEGIN SOLUTION lab06.t6: constants, variables, loads, and every op with the IR's meaning
  switch (e->kind) {
    case Expr::Kind::kConst: return Literal(e->dtype, e->value);
    case Expr::Kind::kVar: return Name(e->name);
    case Expr::Kind::kLoad: return Name(e->buffer->name) + "[" + Offset(e->buffer, e->args) + "]";
    case Expr::Kind::kApply: break;
  }
  // Operand dtype (a comparison's result is bool, its operands are not; select's condition is).
  const DType t = e->args[e->op == Op::kSelect ? 1 : 0]->dtype;
  const bool fp = IsFloat(t);
  std::vector<std::string> a;
  for (const ExprPtr& arg : e->args) a.push_back(Scalar(arg, index));
  auto infix = [&](const char* op) {
    int outer = InfixPrecedence(e->op);
    return Operand(*e->args[0], a[0], outer, false) + " " + op + " " +
           Operand(*e->args[1], a[1], outer, true);
  };
  // A prefix operator's operand: parenthesized unless an atom, and when it starts with a
  // minus, so that -(-x) does not become the decrement --x.
  auto prefix = [&](const char* op) {
    std::string operand = Operand(*e->args[0], a[0], 100, false);
    return op + (operand[0] == '-' ? "(" + operand + ")" : operand);
  };
  // i32 arithmetic in an index is plain C (indices never overflow); in a value it wraps.
  auto arith = [&](const char* op, const char* wrap) {
    if (t == DType::kI32 && !index) return "tsl_wrap_" + std::string(wrap) + "_i32(" + a[0] + ", " + a[1] + ")";
    return Narrow(t, infix(op));
  };
  auto constant_divisor = [&] {
    std::optional<int64_t> d = loops::AsInt(e->args[1]);
    return d && *d != 0 && *d != -1;
  };
  switch (e->op) {
    case Op::kAdd: return arith("+", "add");
    case Op::kSub: return arith("-", "sub");
    case Op::kMul: return arith("*", "mul");
    case Op::kNeg:
      if (t == DType::kI32 && !index) return "tsl_wrap_neg_i32(" + a[0] + ")";
      return Narrow(t, prefix("-"));
    case Op::kDiv:
      if (fp || constant_divisor()) return Narrow(t, infix("/"));
      return IntHelper(t, "tsl_div_int", a[0], a[1]);
    case Op::kMod:
      if (fp) return FloatHelper(t, "fmod", a[0], a[1]);
      if (constant_divisor()) return Narrow(t, infix("%"));
      return IntHelper(t, "tsl_mod_int", a[0], a[1]);
    case Op::kFloorDiv:
      return fp ? FloatHelper(t, "floordiv", a[0], a[1]) : IntHelper(t, "tsl_floordiv_int", a[0], a[1]);
    case Op::kFloorMod:
      return fp ? FloatHelper(t, "floormod", a[0], a[1]) : IntHelper(t, "tsl_floormod_int", a[0], a[1]);
    case Op::kPow:
      return fp ? FloatHelper(t, "pow", a[0], a[1]) : IntHelper(t, "tsl_pow_int", a[0], a[1]);
    case Op::kMaximum:
      return fp ? FloatHelper(t, "max", a[0], a[1]) : IntHelper(t, "tsl_max_int", a[0], a[1]);
    case Op::kMinimum:
      return fp ? FloatHelper(t, "min", a[0], a[1]) : IntHelper(t, "tsl_min_int", a[0], a[1]);
    case Op::kAbs: return fp ? FloatHelper(t, "abs", a[0]) : IntHelper(t, "tsl_abs_int", a[0]);
    case Op::kRelu:
      return fp ? FloatHelper(t, "relu", a[0]) : IntHelper(t, "tsl_max_int", a[0], "0");
    case Op::kSign:
      return fp ? FloatHelper(t, "sign", a[0]) : "(" + CType(t) + ")((" + a[0] + " > 0) - (" + a[0] + " < 0))";
    case Op::kExp: return FloatHelper(t, "exp", a[0]);
    case Op::kLog: return FloatHelper(t, "log", a[0]);
    case Op::kSqrt: return FloatHelper(t, "sqrt", a[0]);
    case Op::kRsqrt: return FloatHelper(t, "rsqrt", a[0]);
    case Op::kTanh: return FloatHelper(t, "tanh", a[0]);
    case Op::kSigmoid: return FloatHelper(t, "sigmoid", a[0]);
    case Op::kErf: return FloatHelper(t, "erf", a[0]);
    case Op::kSin: return FloatHelper(t, "sin", a[0]);
    case Op::kCos: return FloatHelper(t, "cos", a[0]);
    case Op::kFloor: return FloatHelper(t, "floor", a[0]);
    case Op::kCeil: return FloatHelper(t, "ceil", a[0]);
    case Op::kRound: return FloatHelper(t, "round", a[0]);
    case Op::kEq: return infix("==");
    case Op::kNe: return infix("!=");
    case Op::kLt: return infix("<");
    case Op::kLe: return infix("<=");
    case Op::kGt: return infix(">");
    case Op::kGe: return infix(">=");
    case Op::kAnd: return infix("&&");
    case Op::kOr: return infix("||");
    case Op::kNot: return prefix("!");
    case Op::kSelect: return "(" + a[0] + " ? " + a[1] + " : " + a[2] + ")";
    case Op::kCast: {
      DType from = e->args[0]->dtype, to = e->dtype;
      if (to == DType::kBool) return "(" + a[0] + " != 0)";
      if (IsFloat(from) && !IsFloat(to)) return IntHelper(to, "tsl_float_to_int", a[0]);
      return "(" + CType(to) + ")" + Operand(*e->args[0], a[0], 100, false);
    }
    case Op::kMatMul: case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax:
    case Op::kReduceMin: case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
    case Op::kReshape: case Op::kTranspose: case Op::kBroadcast: case Op::kConcat:
    case Op::kSlice: case Op::kPad: case Op::kTake: case Op::kUpdateSlice:
    case Op::kConstant: case Op::kComprehension: case Op::kCall: case Op::kPhi: case Op::kBr:
    case Op::kCondBr: case Op::kRet: break;
  }
  throw std::logic_error("the C renderer has no scalar form of " + std::string(ir::OpMnemonic(e->op)));
  // END SOLUTION
}

std::string CRenderer::Offset(const BufferPtr& buffer, const std::vector<ExprPtr>& subscripts) {
  // BEGIN SOLUTION lab06.t6: the flat element offset, sum of subscript * stride
  std::string text;
  for (size_t d = 0; d < subscripts.size(); ++d) {
    int64_t stride = buffer->strides[d];
    if (stride == 0 || loops::IsConst(subscripts[d], 0)) continue;
    std::string term = Scalar(subscripts[d], true);
    if (stride != 1) term = Operand(*subscripts[d], term, 13, false) + " * " + std::to_string(stride);
    text += (text.empty() ? "" : " + ") + term;
  }
  return text.empty() ? "0" : text;
  // END SOLUTION
}

void CRenderer::Statement(const StmtPtr& s) {
  // BEGIN SOLUTION lab06.t6: each statement kind; loops go to Loop or VectorLoop
  switch (s->kind) {
    case Stmt::Kind::kFor:
      if (s->for_kind == ForKind::kVectorized) return VectorLoop(*s);
      return Loop(*s);
    // A let or a condition may compute on values from memory: value context, so that i32
    // arithmetic wraps. Subscripts and extents stay plain C (an index in bounds cannot overflow).
    case Stmt::Kind::kLet:
      return Line("const " + CType(s->value->dtype) + " " + Name(s->var) + " = " +
                  Scalar(s->value, false) + ";");
    case Stmt::Kind::kIf:
      Open("if (" + Scalar(s->cond, false) + ") {");
      Statement(s->body);
      if (s->else_body) {
        Reopen("} else {");
        Statement(s->else_body);
      }
      return Close();
    case Stmt::Kind::kStore:
      return Line(Name(s->buffer->name) + "[" + Offset(s->buffer, s->args) + "] = " +
                  Scalar(s->value, false) + ";");
    case Stmt::Kind::kAllocate: return Allocate(*s->buffer);
    case Stmt::Kind::kView: {
      std::string type = CType(s->buffer->dtype);
      return Line(type + " *" + Name(s->buffer->name) + " = (" + type + " *)((char *)" +
                  Name(s->base->name) + " + " + std::to_string(s->offset) + ");");
    }
    case Stmt::Kind::kCall: {
      std::string args;
      for (const BufferPtr& b : s->call_args) args += (args.empty() ? "" : ", ") + Name(b->name);
      return Line(Name("@" + s->callee) + "(" + args + ");");
    }
    case Stmt::Kind::kSeq:
      for (const StmtPtr& stmt : s->stmts) Statement(stmt);
      return;
  }
  // END SOLUTION
}

void CRenderer::Loop(const Stmt& loop) {
  // BEGIN SOLUTION lab06.t6: serial, parallel (OpenMP, outermost only) and unrolled loops
  const std::string var = Name(loop.var);
  if (loop.for_kind == ForKind::kUnrolled) {
    // One copy of the body per iteration with the variable a constant: every index into a
    // small local array becomes a constant, so the C compiler keeps the array in registers.
    int64_t extent = loops::AsInt(loop.extent).value_or(0);
    Line("/* unrolled: " + var + " = 0.." + std::to_string(extent - 1) + " */");
    bool declares = false;
    loops::ForEachStmt(loop.body, [&](const Stmt& s) {
      declares |= s.kind == Stmt::Kind::kLet || s.kind == Stmt::Kind::kAllocate;
    });
    for (int64_t i = 0; i < extent; ++i) {
      StmtPtr copy = loops::Substitute(loop.body, {{loop.var, loops::Int(i)}});
      if (declares) Open("{");
      Statement(copy);
      if (declares) Close();
    }
    return;
  }
  // The extent is evaluated once, before the first iteration.
  std::string extent = Scalar(loop.extent, true);
  if (loop.extent->kind == Expr::Kind::kApply || loop.extent->kind == Expr::Kind::kLoad) {
    std::string end = names_.Fresh(loop.var + "_end");
    Line("const int32_t " + end + " = " + extent + ";");
    extent = end;
  }
  bool parallel = loop.for_kind == ForKind::kParallel && options_.openmp;
  if (parallel && parallel_depth_ == 0) {
    Line(ParallelPragma(loop));
  } else if (loop.for_kind != ForKind::kSerial) {
    Line("/* " + std::string(loops::ForKindName(loop.for_kind)) + " loop, run serially here */");
    parallel = false;
  }
  parallel_depth_ += parallel;
  Open("for (int32_t " + var + " = 0; " + var + " < " + extent + "; ++" + var + ") {");
  Statement(loop.body);
  Close();
  parallel_depth_ -= parallel;
  // END SOLUTION
}

}  // namespace tessel::cpu
