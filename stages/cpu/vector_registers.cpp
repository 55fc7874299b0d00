// Scalar replacement of vector accumulators (c_renderer.h, FindVectorRegisters): which small
// buffers a kernel keeps in vector variables instead of an array, and the variable of each
// access. Given code, compiled with lab06 (STAGE_SOURCES); lab06_backends/README.md §9.1.
//
//   allocate %acc: f32[4, 16] local             tsl_f32x8 acc_v0 = {0}, ..., acc_v7 = {0};
//   unrolled for ii in 0..4 {                   acc_v0 = acc_v0 + a * b;  (ii = 0, jv = 0)
//     unrolled for jv in 0..2 {                 acc_v1 = acc_v1 + a * b;  (ii = 0, jv = 1)
//       vectorized for jl in 0..8 {             ...
//         %acc[ii, jv * 8 + jl] = %acc[ii, jv * 8 + jl] + ...
#include <functional>

#include "stages/cpu/c_renderer.h"
#include "stages/loops/mutator.h"

namespace tessel::cpu {

namespace {

// `e` as sum of coefficient * variable plus a constant, if it is one (index arithmetic).
struct Linear {
  std::map<std::string, int64_t> coefficients;
  int64_t constant = 0;
};

std::optional<Linear> AsLinear(const ExprPtr& e) {
  if (std::optional<int64_t> c = loops::AsInt(e)) return Linear{{}, *c};
  if (e->kind == Expr::Kind::kVar) return Linear{{{e->name, 1}}, 0};
  if (e->kind != Expr::Kind::kApply) return std::nullopt;
  auto scaled = [](Linear l, int64_t by) {
    for (auto& [var, c] : l.coefficients) c *= by;
    l.constant *= by;
    return l;
  };
  if (e->op == Op::kNeg) {
    std::optional<Linear> a = AsLinear(e->args[0]);
    return a ? std::optional<Linear>(scaled(*a, -1)) : std::nullopt;
  }
  if (e->op == Op::kAdd || e->op == Op::kSub) {
    std::optional<Linear> a = AsLinear(e->args[0]), b = AsLinear(e->args[1]);
    if (!a || !b) return std::nullopt;
    if (e->op == Op::kSub) b = scaled(*b, -1);
    for (const auto& [var, c] : b->coefficients) a->coefficients[var] += c;
    a->constant += b->constant;
    return a;
  }
  if (e->op == Op::kMul) {
    std::optional<Linear> a = AsLinear(e->args[0]), b = AsLinear(e->args[1]);
    if (!a || !b) return std::nullopt;
    if (a->coefficients.empty()) return scaled(*b, a->constant);
    if (b->coefficients.empty()) return scaled(*a, b->constant);
  }
  return std::nullopt;
}

// The element offset of buffer[subscripts] as a linear form.
std::optional<Linear> OffsetOf(const loops::Buffer& b, const std::vector<ExprPtr>& subscripts) {
  Linear total;
  for (size_t d = 0; d < subscripts.size(); ++d) {
    std::optional<Linear> l = AsLinear(subscripts[d]);
    if (!l) return std::nullopt;
    for (const auto& [var, c] : l->coefficients) total.coefficients[var] += c * b.strides[d];
    total.constant += l->constant * b.strides[d];
  }
  return total;
}

bool Mentions(const ExprPtr& e, const std::string& var) {
  bool found = false;
  loops::ForEachExpr(e, [&](const Expr& x) { found |= x.kind == Expr::Kind::kVar && x.name == var; });
  return found;
}

// Whether an op applied to vectors stays a vector op (t7's VectorValue renders the others, and
// everything they read, lane by lane with scalar loads).
bool HasVectorForm(const Expr& e) {
  if (e.kind != Expr::Kind::kApply) return true;
  DType t = e.args[e.op == Op::kSelect ? 1 : 0]->dtype;
  bool f32 = t == DType::kF32, vector_type = f32 || t == DType::kI32;
  switch (e.op) {
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kNeg: case Op::kMaximum:
    case Op::kMinimum: case Op::kRelu: case Op::kEq: case Op::kNe: case Op::kSelect:
      return vector_type;
    case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: return vector_type;
    case Op::kDiv: case Op::kAbs: case Op::kExp: case Op::kLog: case Op::kSqrt: case Op::kRsqrt:
    case Op::kTanh: case Op::kSigmoid: case Op::kErf: case Op::kSin: case Op::kCos:
    case Op::kFloor: case Op::kCeil: case Op::kRound: case Op::kSign:
      return f32;
    case Op::kAnd: case Op::kOr: case Op::kNot: return true;
    case Op::kCast: return t == DType::kI32 && e.dtype == DType::kF32;
    case Op::kMod: case Op::kFloorDiv: case Op::kFloorMod: case Op::kPow:
    case Op::kMatMul: case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax:
    case Op::kReduceMin: case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
    case Op::kReshape: case Op::kTranspose: case Op::kBroadcast: case Op::kConcat:
    case Op::kSlice: case Op::kPad: case Op::kTake: case Op::kUpdateSlice:
    case Op::kConstant: case Op::kComprehension: case Op::kCall: case Op::kPhi: case Op::kBr:
    case Op::kCondBr: case Op::kRet:
      return false;
  }
  return false;
}

// Whether t7 renders this vectorized loop as vector code (not the plain loop of a body it
// cannot vectorize): only stores of f32 or i32, none of them from every lane to one element.
bool VectorizedAsVectors(const Stmt& loop) {
  std::vector<StmtPtr> body = loop.body->kind == Stmt::Kind::kSeq ? loop.body->stmts
                                                                  : std::vector<StmtPtr>{loop.body};
  for (const StmtPtr& s : body) {
    if (s->kind != Stmt::Kind::kStore) return false;
    if (s->buffer->dtype != DType::kF32 && s->buffer->dtype != DType::kI32) return false;
    bool to_one_element = true;
    for (const ExprPtr& a : s->args) to_one_element &= !Mentions(a, loop.var);
    if (to_one_element) return false;
  }
  return true;
}

}  // namespace

void CRenderer::FindVectorRegisters(const loops::Function& kernel) {
  registers_.clear();
  std::map<std::string, int> lanes_of;  // candidates: the lanes of their accesses (0: none yet)
  std::set<std::string> refused;
  loops::ForEachStmt(kernel.body, [&](const Stmt& s) {
    if (s.kind != Stmt::Kind::kAllocate) return;
    const loops::Buffer& b = *s.buffer;
    bool small = b.SpanElements() <= 16 * 16 && b.row_major();
    // Any scope: only the accesses decide (a 6 x 16 tile of accumulators is a global cache).
    if ((b.dtype == DType::kF32 || b.dtype == DType::kI32) && small) {
      lanes_of[b.name] = 0;
    }
  });
  if (lanes_of.empty()) return;

  // Every access must be a whole vector: in a vectorized loop of exactly one vector, stride 1
  // in its variable, every other variable an unrolled loop's with a coefficient that keeps
  // the vector aligned to its lanes.
  std::set<std::string> unrolled;
  std::string vector_var;
  int vector_lanes = 0;
  auto access = [&](const loops::Buffer& b, const std::vector<ExprPtr>& subscripts) {
    auto it = lanes_of.find(b.name);
    if (it == lanes_of.end()) return;
    std::optional<Linear> offset = OffsetOf(b, subscripts);
    if (vector_var.empty() || vector_lanes == 0 || !offset) {
      refused.insert(b.name);  // a scalar access, or an offset that is not linear
      return;
    }
    bool ok = offset->constant % vector_lanes == 0 && b.SpanElements() % vector_lanes == 0 &&
              (it->second == 0 || it->second == vector_lanes) && offset->coefficients[vector_var] == 1;
    for (const auto& [var, c] : offset->coefficients) {
      if (c != 0 && var != vector_var) ok &= unrolled.count(var) && c % vector_lanes == 0;
    }
    if (!ok) refused.insert(b.name);
    it->second = vector_lanes;
  };
  // A load is a whole vector only where every op above it has a vector form and it is not
  // itself a subscript; anywhere else t7 reads it one lane at a time.
  std::function<void(const ExprPtr&, bool)> loads = [&](const ExprPtr& e, bool lane_by_lane) {
    if (!e) return;
    if (e->kind == Expr::Kind::kLoad) {
      if (lane_by_lane) {
        if (lanes_of.count(e->buffer->name)) refused.insert(e->buffer->name);
      } else {
        access(*e->buffer, e->args);
      }
      for (const ExprPtr& a : e->args) loads(a, true);
      return;
    }
    for (const ExprPtr& a : e->args) loads(a, lane_by_lane || !HasVectorForm(*e));
  };
  std::function<void(const StmtPtr&)> walk = [&](const StmtPtr& s) {
    if (!s) return;
    loads(s->kind == Stmt::Kind::kFor ? s->extent : s->kind == Stmt::Kind::kIf ? s->cond : s->value,
          s->kind != Stmt::Kind::kStore);
    switch (s->kind) {
      case Stmt::Kind::kFor: {
        if (s->for_kind == ForKind::kVectorized) {
          int64_t extent = loops::AsInt(s->extent).value_or(0);
          int lanes = Lanes(DType::kF32, extent);
          std::string saved = vector_var;
          int saved_lanes = vector_lanes;
          vector_var = lanes == extent && VectorizedAsVectors(*s) ? s->var : "";
          vector_lanes = lanes;
          walk(s->body);
          vector_var = saved;
          vector_lanes = saved_lanes;
          return;
        }
        bool unroll = s->for_kind == ForKind::kUnrolled;
        if (unroll) unrolled.insert(s->var);
        walk(s->body);
        if (unroll) unrolled.erase(s->var);
        return;
      }
      case Stmt::Kind::kIf:
        walk(s->body);
        walk(s->else_body);
        return;
      case Stmt::Kind::kStore:
        access(*s->buffer, s->args);
        for (const ExprPtr& a : s->args) loads(a, true);
        return;
      case Stmt::Kind::kSeq:
        for (const StmtPtr& stmt : s->stmts) walk(stmt);
        return;
      case Stmt::Kind::kLet: case Stmt::Kind::kAllocate: case Stmt::Kind::kView:
      case Stmt::Kind::kCall:
        return;
    }
  };
  walk(kernel.body);
  register_names_.clear();
  loops::ForEachStmt(kernel.body, [&](const Stmt& s) {
    if (s.kind != Stmt::Kind::kAllocate) return;
    auto it = lanes_of.find(s.buffer->name);
    if (it == lanes_of.end() || it->second == 0 || refused.count(it->first)) return;
    registers_[it->first] = it->second;
    std::vector<std::string>& vars = register_names_[it->first];
    for (int64_t v = 0; v < s.buffer->SpanElements() / it->second; ++v) {
      vars.push_back(names_.Fresh(Name(s.buffer->name) + "_v" + std::to_string(v)));
    }
  });
}

std::optional<std::string> CRenderer::VectorRegister(const loops::Buffer& buffer,
                                                     const std::vector<ExprPtr>& subscripts,
                                                     const std::string& var, int lanes) {
  auto it = registers_.find(buffer.name);
  if (it == registers_.end() || it->second != lanes) return std::nullopt;
  std::optional<Linear> offset = OffsetOf(buffer, subscripts);
  if (!offset) return std::nullopt;
  for (const auto& [v, c] : offset->coefficients) {
    if (c != 0 && v != var) return std::nullopt;  // not unrolled here: cannot name one variable
  }
  const std::vector<std::string>& vars = register_names_.at(buffer.name);
  size_t v = static_cast<size_t>(offset->constant / lanes);
  return v < vars.size() ? std::optional<std::string>(vars[v]) : std::nullopt;
}

}  // namespace tessel::cpu
