// Vectorized loops as vector code (lab06, task t7): CRenderer::VectorLoop and VectorValue of
// stages/cpu/c_renderer.h.
//
// `vectorized for v in 0..E` promises that its iterations may run as the lanes of vector
// instructions (lab04's vectorize checked that). The renderer steps v by the lane count and
// gives every expression one of three forms, by how it depends on v:
//
//   does not mention v            one scalar, broadcast:           tsl_bcast_f32x8(s)
//   a load at stride 1 in v       one vector load (aligned when     tsl_loadu_f32x8(&x[i * 64 + v])
//                                 the code allocated the buffer
//                                 and the offset is a multiple
//                                 of the lanes)
//   anything else                 its lanes one by one (a gather)   (tsl_f32x8){x[2 * v], ...}
//
// and ops of vectors are vector ops. A store at stride 1 is a vector store; a store to one
// element from every lane is a reduction into a vector accumulator; E % lanes iterations run
// as a scalar tail. lab06_backends/README.md §9.3.
#include <string>

#include "stages/common/not_implemented.h"
#include "stages/cpu/c_renderer.h"
#include "stages/loops/mutator.h"

namespace tessel::cpu {

namespace {

// BEGIN SOLUTION lab06.t7: how an index depends on the vector variable
bool Mentions(const ExprPtr& e, const std::string& var) {
  bool found = false;
  loops::ForEachExpr(e, [&](const Expr& x) { found |= x.kind == Expr::Kind::kVar && x.name == var; });
  return found;
}

bool MentionsAny(const std::vector<ExprPtr>& es, const std::string& var) {
  for (const ExprPtr& e : es) {
    if (Mentions(e, var)) return true;
  }
  return false;
}

// How much `e` grows when `var` grows by one, if `e` is affine in `var` with a constant
// coefficient (0 when it does not mention it).
std::optional<int64_t> Stride(const ExprPtr& e, const std::string& var) {
  if (!Mentions(e, var)) return 0;
  if (e->kind == Expr::Kind::kVar) return 1;
  if (e->kind != Expr::Kind::kApply) return std::nullopt;
  if (e->op == Op::kAdd || e->op == Op::kSub) {
    std::optional<int64_t> a = Stride(e->args[0], var), b = Stride(e->args[1], var);
    if (!a || !b) return std::nullopt;
    return e->op == Op::kAdd ? *a + *b : *a - *b;
  }
  if (e->op == Op::kNeg) {
    std::optional<int64_t> a = Stride(e->args[0], var);
    return a ? std::optional<int64_t>(-*a) : std::nullopt;
  }
  if (e->op == Op::kMul) {
    for (int i = 0; i < 2; ++i) {
      std::optional<int64_t> c = loops::AsInt(e->args[i]);
      std::optional<int64_t> s = Stride(e->args[1 - i], var);
      if (c && s) return *c * *s;
    }
  }
  return std::nullopt;
}

// The stride in `var` of the element offset of buffer[subscripts].
std::optional<int64_t> OffsetStride(const loops::Buffer& buffer,
                                    const std::vector<ExprPtr>& subscripts, const std::string& var) {
  int64_t total = 0;
  for (size_t d = 0; d < subscripts.size(); ++d) {
    std::optional<int64_t> s = Stride(subscripts[d], var);
    if (!s) return std::nullopt;
    total += *s * buffer.strides[d];
  }
  return total;
}

// Whether `e` is a multiple of `lanes` at the first lane of every vector (var itself is: it
// steps by `lanes` from 0).
bool MultipleOf(const ExprPtr& e, const std::string& var, int64_t lanes) {
  if (std::optional<int64_t> c = loops::AsInt(e)) return *c % lanes == 0;
  if (e->kind == Expr::Kind::kVar) return e->name == var;
  if (e->kind != Expr::Kind::kApply) return false;
  if (e->op == Op::kAdd || e->op == Op::kSub) {
    return MultipleOf(e->args[0], var, lanes) && MultipleOf(e->args[1], var, lanes);
  }
  if (e->op == Op::kMul) return MultipleOf(e->args[0], var, lanes) || MultipleOf(e->args[1], var, lanes);
  return false;
}

bool OffsetMultipleOf(const loops::Buffer& buffer, const std::vector<ExprPtr>& subscripts,
                      const std::string& var, int64_t lanes) {
  for (size_t d = 0; d < subscripts.size(); ++d) {
    if (buffer.strides[d] % lanes != 0 && !MultipleOf(subscripts[d], var, lanes)) return false;
  }
  return true;
}

// `e` at lane `lane`: var replaced by var + lane.
ExprPtr AtLane(const ExprPtr& e, const std::string& var, int lane) {
  return loops::Substitute(e, {{var, loops::Add(loops::Var(var), loops::Int(lane))}});
}
// SKELETON
// // Helpers of your own (how an index depends on the vector variable, say) go here.
// END SOLUTION

}  // namespace

std::optional<std::string> CRenderer::VectorValue(const ExprPtr& e, const std::string& var,
                                                  int lanes) {
  // BEGIN SOLUTION lab06.t7: broadcast, vector load, vector op, or the lanes one by one
  const std::string n = std::to_string(lanes);
  const bool vector_dtype = e->dtype == DType::kF32 || e->dtype == DType::kI32;
  auto type = [&](DType d) { return std::string(d == DType::kF32 ? "f32x" : "i32x") + n; };
  if (!Mentions(e, var)) {
    if (e->dtype == DType::kBool) {
      return "(" + Scalar(e, false) + " ? tsl_bcast_i32x" + n + "(-1) : tsl_bcast_i32x" + n + "(0))";
    }
    if (!vector_dtype) return std::nullopt;
    return "tsl_bcast_" + type(e->dtype) + "(" + Scalar(e, false) + ")";
  }
  auto gather = [&]() -> std::optional<std::string> {
    if (!vector_dtype) return std::nullopt;
    std::string text = "(tsl_" + type(e->dtype) + "){";
    for (int l = 0; l < lanes; ++l) text += (l ? ", " : "") + Scalar(AtLane(e, var, l), false);
    return text + "}";
  };
  switch (e->kind) {
    case Expr::Kind::kConst: break;  // does not mention var
    case Expr::Kind::kVar: return "tsl_iota_i32x" + n + "(" + Name(var) + ")";
    case Expr::Kind::kLoad: {
      if (auto reg = VectorRegister(*e->buffer, e->args, var, lanes)) return *reg;
      if (!vector_dtype) return std::nullopt;
      std::optional<int64_t> stride = OffsetStride(*e->buffer, e->args, var);
      if (stride != std::optional<int64_t>(1)) return gather();
      bool aligned = aligned_.count(e->buffer->name) && OffsetMultipleOf(*e->buffer, e->args, var, lanes);
      return std::string(aligned ? "tsl_load_" : "tsl_loadu_") + type(e->dtype) + "(&" + Scalar(e, true) + ")";
    }
    case Expr::Kind::kApply: break;
  }
  const DType t = e->args[e->op == Op::kSelect ? 1 : 0]->dtype;
  std::vector<std::string> a;
  for (const ExprPtr& arg : e->args) {
    std::optional<std::string> v = VectorValue(arg, var, lanes);
    if (!v) return gather();
    a.push_back(*v);
  }
  const bool f32 = t == DType::kF32;
  auto infix = [&](const char* op) { return "(" + a[0] + " " + op + " " + a[1] + ")"; };
  auto helper = [&](const std::string& name) {
    std::string text = "tsl_" + name + "_" + type(t) + "(" + a[0];
    for (size_t i = 1; i < a.size(); ++i) text += ", " + a[i];
    return text + ")";
  };
  // i32 lanes wrap as scalar i32 values do (signed overflow is undefined in C).
  auto arith = [&](const char* op, const char* wrap) {
    return f32 ? infix(op) : "tsl_wrap_" + std::string(wrap) + "_i32x" + n + "(" + a[0] + ", " + a[1] + ")";
  };
  // Masks are -1 for true: an ordered comparison of bools would be reversed.
  auto compare = [&](const char* op) { return t == DType::kBool ? gather() : std::optional<std::string>(infix(op)); };
  switch (e->op) {
    case Op::kAdd: return arith("+", "add");
    case Op::kSub: return arith("-", "sub");
    case Op::kMul: return arith("*", "mul");
    case Op::kDiv: return f32 ? std::optional<std::string>(infix("/")) : gather();
    case Op::kNeg: return f32 ? "(-" + a[0] + ")" : "tsl_wrap_neg_i32x" + n + "(" + a[0] + ")";
    case Op::kMaximum: return helper("max");
    case Op::kMinimum: return helper("min");
    case Op::kRelu:
      return f32 ? helper("relu") : "tsl_max_i32x" + n + "(" + a[0] + ", tsl_bcast_i32x" + n + "(0))";
    case Op::kAbs: return f32 ? std::optional<std::string>(helper("abs")) : gather();
    case Op::kExp: return helper("exp");
    case Op::kLog: return helper("log");
    case Op::kSqrt: return helper("sqrt");
    case Op::kRsqrt: return helper("rsqrt");
    case Op::kTanh: return helper("tanh");
    case Op::kSigmoid: return helper("sigmoid");
    case Op::kErf: return helper("erf");
    case Op::kSin: return helper("sin");
    case Op::kCos: return helper("cos");
    case Op::kFloor: return helper("floor");
    case Op::kCeil: return helper("ceil");
    case Op::kRound: return helper("round");
    case Op::kSign: return f32 ? std::optional<std::string>(helper("sign")) : gather();
    case Op::kEq: return infix("==");
    case Op::kNe: return infix("!=");
    case Op::kLt: return compare("<");
    case Op::kLe: return compare("<=");
    case Op::kGt: return compare(">");
    case Op::kGe: return compare(">=");
    case Op::kAnd: return infix("&");
    case Op::kOr: return infix("|");
    case Op::kNot: return "(~" + a[0] + ")";
    case Op::kSelect: return "tsl_select_" + type(e->dtype) + "(" + a[0] + ", " + a[1] + ", " + a[2] + ")";
    case Op::kCast:
      if (t == DType::kI32 && e->dtype == DType::kF32) {
        return "__builtin_convertvector(" + a[0] + ", tsl_f32x" + n + ")";
      }
      return gather();
    case Op::kMod: case Op::kFloorDiv: case Op::kFloorMod: case Op::kPow: return gather();
    case Op::kMatMul: case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax:
    case Op::kReduceMin: case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
    case Op::kReshape: case Op::kTranspose: case Op::kBroadcast: case Op::kConcat:
    case Op::kSlice: case Op::kPad: case Op::kTake: case Op::kUpdateSlice:
    case Op::kConstant: case Op::kComprehension: case Op::kCall: case Op::kPhi: case Op::kBr:
    case Op::kCondBr: case Op::kRet: break;
  }
  return gather();
  // END SOLUTION
}

void CRenderer::VectorLoop(const Stmt& loop) {
  // BEGIN SOLUTION lab06.t7: vector stores, a reduction's accumulator, the scalar tail
  const std::string var = Name(loop.var);
  const int64_t extent = loops::AsInt(loop.extent).value_or(0);
  std::vector<const Stmt*> stores;
  std::string why_not;
  auto collect = [&](const StmtPtr& s, auto&& self) -> void {
    if (s->kind == Stmt::Kind::kSeq) {
      for (const StmtPtr& stmt : s->stmts) self(stmt, self);
    } else if (s->kind == Stmt::Kind::kStore) {
      stores.push_back(s.get());
      if (s->buffer->dtype != DType::kF32 && s->buffer->dtype != DType::kI32) {
        why_not = "it stores " + std::string(DTypeName(s->buffer->dtype));
      }
    } else {
      why_not = "its body is not only stores";
    }
  };
  collect(loop.body, collect);
  const int lanes = Lanes(DType::kF32, extent);
  if (lanes == 0 && why_not.empty()) why_not = "fewer than 4 iterations";

  // One store to one element from every lane: a reduction (sum) into a vector accumulator.
  const Stmt* reduction = nullptr;
  // (One that only reads its own element, n[i] = n[i] + 1.0, is a reduction too: every lane adds.)
  for (const Stmt* s : stores) {
    bool reads_itself = false;
    loops::ForEachExpr(s->value, [&](const Expr& x) {
      reads_itself |= x.kind == Expr::Kind::kLoad && x.buffer == s->buffer;
    });
    if (MentionsAny(s->args, loop.var) || !(Mentions(s->value, loop.var) || reads_itself)) continue;
    const ExprPtr& v = s->value;
    bool sum = stores.size() == 1 && s->buffer->dtype == DType::kF32 && v->kind == Expr::Kind::kApply &&
               v->op == Op::kAdd && v->args[0]->kind == Expr::Kind::kLoad &&
               v->args[0]->buffer == s->buffer && v->args[0]->args.size() == s->args.size();
    for (size_t d = 0; sum && d < s->args.size(); ++d) sum = loops::Equal(v->args[0]->args[d], s->args[d]);
    loops::ForEachExpr(sum ? v->args[1] : v, [&](const Expr& x) {
      sum &= !(x.kind == Expr::Kind::kLoad && x.buffer == s->buffer);
    });
    if (sum) reduction = s;
    else if (why_not.empty()) why_not = "every lane stores to one element of %" + s->buffer->name;
  }
  if (!why_not.empty()) {
    Line("/* not vectorized: " + why_not + " */");
    return Loop(loop);
  }

  const std::string n = std::to_string(lanes);
  const int64_t main_end = extent - extent % lanes;
  Line("/* vectorized: " + var + " = 0.." + std::to_string(extent - 1) + " in vectors of " + n +
       " lanes" + (main_end < extent ? ", a scalar tail from " + std::to_string(main_end) : std::string()) + " */");
  std::string acc, sum;
  if (reduction) {
    Open("{");
    acc = names_.Fresh(reduction->buffer->name + "_acc");
    Line("tsl_f32x" + n + " " + acc + " = tsl_bcast_f32x" + n + "(0.0f);");
  }
  Open("for (int32_t " + var + " = 0; " + var + " < " + std::to_string(main_end) + "; " + var +
       " += " + n + ") {");
  for (const Stmt* s : stores) {
    const std::string target = Scalar(loops::Load(s->buffer, s->args), true);
    if (s == reduction) {
      Line(acc + " += " + VectorValue(s->value->args[1], loop.var, lanes).value() + ";");
    } else if (auto reg = VectorRegister(*s->buffer, s->args, loop.var, lanes)) {
      Line(*reg + " = " + VectorValue(s->value, loop.var, lanes).value() + ";");  // scalar replacement
    } else if (!MentionsAny(s->args, loop.var)) {
      Line(target + " = " + Scalar(s->value, false) + ";");  // the same value from every lane
    } else if (OffsetStride(*s->buffer, s->args, loop.var) == std::optional<int64_t>(1)) {
      bool aligned = aligned_.count(s->buffer->name) && OffsetMultipleOf(*s->buffer, s->args, loop.var, lanes);
      std::string type = (s->buffer->dtype == DType::kF32 ? "f32x" : "i32x") + n;
      Line(std::string(aligned ? "tsl_store_" : "tsl_storeu_") + type + "(&" + target + ", " +
           VectorValue(s->value, loop.var, lanes).value() + ");");
    } else {
      // A scatter: the value as a vector, then each lane to its own element.
      Open("{");
      std::string lanes_var = names_.Fresh("lanes");
      std::string type = (s->buffer->dtype == DType::kF32 ? "tsl_f32x" : "tsl_i32x") + n;
      Line("const " + type + " " + lanes_var + " = " + VectorValue(s->value, loop.var, lanes).value() + ";");
      for (int l = 0; l < lanes; ++l) {
        std::vector<ExprPtr> at;
        for (const ExprPtr& a : s->args) at.push_back(AtLane(a, loop.var, l));
        Line(Scalar(loops::Load(s->buffer, at), true) + " = " + lanes_var + "[" + std::to_string(l) + "];");
      }
      Close();
    }
  }
  Close();
  if (reduction) {
    sum = names_.Fresh(reduction->buffer->name + "_sum");
    const std::string target = Scalar(loops::Load(reduction->buffer, reduction->args), true);
    Line("float " + sum + " = " + target + " + tsl_hsum_f32x" + n + "(" + acc + ");");
  }
  if (main_end < extent) {
    Open("for (int32_t " + var + " = " + std::to_string(main_end) + "; " + var + " < " +
         std::to_string(extent) + "; ++" + var + ") {");
    for (const Stmt* s : stores) {
      if (s == reduction) {
        Line(sum + " = " + sum + " + " + Scalar(s->value->args[1], false) + ";");
      } else {
        Statement(loops::Store(s->buffer, s->args, s->value));
      }
    }
    Close();
  }
  if (reduction) {
    Line(Scalar(loops::Load(reduction->buffer, reduction->args), true) + " = " + sum + ";");
    Close();
  }
  // END SOLUTION
}

}  // namespace tessel::cpu
