// Loop IR nodes: the checking factories (loop_ir.h).
#include "stages/loops/loop_ir.h"

#include <cmath>

#include "stages/common/check.h"
#include "stages/ir/kernels.h"
#include "stages/loops/type_rules.h"

namespace tessel::loops {

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kGlobal: return "global";
    case Scope::kLocal: return "local";
    case Scope::kShared: return "shared";
  }
  return "?";
}

std::optional<Scope> ParseScope(std::string_view name) {
  for (Scope s : {Scope::kGlobal, Scope::kLocal, Scope::kShared}) {
    if (ScopeName(s) == name) return s;
  }
  return std::nullopt;
}

int64_t Buffer::SpanElements() const {
  int64_t last = 0;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return 0;
    last += (shape[d] - 1) * strides[d];
  }
  return last + 1;
}

bool IsIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

namespace {

// A failed check in a factory means the caller built an ill-formed node: in a lab04 build that
// is usually the learner's lowering or primitive, which the message says.
std::string Caller() {
  return " (a loop-IR factory refused it: if lab04 code built this node, the mistake is there)";
}

}  // namespace

BufferPtr MakeBuffer(std::string name, DType dtype, Shape shape, Scope scope,
                     std::vector<int64_t> strides) {
  TESSEL_CHECK(IsIdentifier(name), "bad buffer name '" + name + "': letters, digits, '_' and '.', no '%'" + Caller());
  for (int64_t extent : shape) TESSEL_CHECK(extent >= 0, "negative extent of %" + name);
  if (strides.empty()) strides = RowMajorStrides(shape);
  TESSEL_CHECK(strides.size() == shape.size(), "one stride per dimension of %" + name);
  for (int64_t stride : strides) TESSEL_CHECK(stride >= 0, "negative stride of %" + name);
  auto buffer = std::make_shared<Buffer>();
  buffer->name = std::move(name);
  buffer->dtype = dtype;
  buffer->shape = std::move(shape);
  buffer->strides = std::move(strides);
  buffer->scope = scope;
  return buffer;
}

BufferPtr MakeConstantBuffer(std::string name, std::shared_ptr<const Tensor> data) {
  TESSEL_CHECK(data != nullptr, "a constant buffer needs data");
  auto buffer = std::make_shared<Buffer>(*MakeBuffer(std::move(name), data->dtype(), data->shape()));
  buffer->data = std::move(data);
  return buffer;
}

// ------------------------------------------------------------ expressions

ExprPtr Const(DType dtype, double value) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kConst;
  e->dtype = dtype;
  e->value = ir::RoundToDType(dtype, value);
  return e;
}

ExprPtr Int(int64_t value) { return Const(kIndexType, static_cast<double>(value)); }

ExprPtr Var(std::string name, DType dtype) {
  TESSEL_CHECK(IsIdentifier(name), "bad variable name '" + name + "'" + Caller());
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kVar;
  e->dtype = dtype;
  e->name = std::move(name);
  return e;
}

ExprPtr Load(BufferPtr buffer, std::vector<ExprPtr> subscripts) {
  TESSEL_CHECK(buffer != nullptr, "load from a null buffer");
  std::string error = CheckSubscripts(*buffer, subscripts);
  TESSEL_CHECK(error.empty(), error + Caller());
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kLoad;
  e->dtype = buffer->dtype;
  e->buffer = std::move(buffer);
  e->args = std::move(subscripts);
  return e;
}

ExprPtr Apply(Op op, std::vector<ExprPtr> args, DType cast_to) {
  for (const ExprPtr& arg : args) TESSEL_CHECK(arg != nullptr, "null operand");
  std::vector<DType> dtypes;
  for (const ExprPtr& arg : args) dtypes.push_back(arg->dtype);
  std::string error;
  std::optional<DType> dtype = ApplyResultType(op, dtypes, cast_to, &error);
  TESSEL_CHECK(dtype.has_value(), error + Caller());
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kApply;
  e->dtype = *dtype;
  e->op = op;
  e->args = std::move(args);
  return e;
}

ExprPtr Cast(DType dtype, ExprPtr value) { return Apply(Op::kCast, {std::move(value)}, dtype); }
ExprPtr Add(ExprPtr a, ExprPtr b) { return Apply(Op::kAdd, {std::move(a), std::move(b)}); }
ExprPtr Sub(ExprPtr a, ExprPtr b) { return Apply(Op::kSub, {std::move(a), std::move(b)}); }
ExprPtr Mul(ExprPtr a, ExprPtr b) { return Apply(Op::kMul, {std::move(a), std::move(b)}); }
ExprPtr Div(ExprPtr a, ExprPtr b) { return Apply(Op::kDiv, {std::move(a), std::move(b)}); }
ExprPtr Mod(ExprPtr a, ExprPtr b) { return Apply(Op::kMod, {std::move(a), std::move(b)}); }
ExprPtr FloorDiv(ExprPtr a, ExprPtr b) {
  return Apply(Op::kFloorDiv, {std::move(a), std::move(b)});
}
ExprPtr FloorMod(ExprPtr a, ExprPtr b) {
  return Apply(Op::kFloorMod, {std::move(a), std::move(b)});
}
ExprPtr Min(ExprPtr a, ExprPtr b) { return Apply(Op::kMinimum, {std::move(a), std::move(b)}); }
ExprPtr Max(ExprPtr a, ExprPtr b) { return Apply(Op::kMaximum, {std::move(a), std::move(b)}); }
ExprPtr Lt(ExprPtr a, ExprPtr b) { return Apply(Op::kLt, {std::move(a), std::move(b)}); }
ExprPtr And(ExprPtr a, ExprPtr b) { return Apply(Op::kAnd, {std::move(a), std::move(b)}); }
ExprPtr Select(ExprPtr cond, ExprPtr a, ExprPtr b) {
  return Apply(Op::kSelect, {std::move(cond), std::move(a), std::move(b)});
}

bool IsConst(const ExprPtr& e, double value) {
  return e && e->kind == Expr::Kind::kConst && e->value == value;
}

std::optional<int64_t> AsInt(const ExprPtr& e) {
  if (!e || e->kind != Expr::Kind::kConst || IsFloat(e->dtype)) return std::nullopt;
  return static_cast<int64_t>(e->value);
}

bool Equal(const ExprPtr& a, const ExprPtr& b) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind || a->dtype != b->dtype) return false;
  switch (a->kind) {
    case Expr::Kind::kConst:
      return a->value == b->value || (std::isnan(a->value) && std::isnan(b->value));
    case Expr::Kind::kVar: return a->name == b->name;
    case Expr::Kind::kLoad:
      if (a->buffer != b->buffer) return false;
      break;
    case Expr::Kind::kApply:
      if (a->op != b->op) return false;
      break;
  }
  if (a->args.size() != b->args.size()) return false;
  for (size_t i = 0; i < a->args.size(); ++i) {
    if (!Equal(a->args[i], b->args[i])) return false;
  }
  return true;
}

// ------------------------------------------------------------- statements

std::string_view ForKindName(ForKind kind) {
  switch (kind) {
    case ForKind::kSerial: return "serial";
    case ForKind::kParallel: return "parallel";
    case ForKind::kVectorized: return "vectorized";
    case ForKind::kUnrolled: return "unrolled";
    case ForKind::kGpuBlockX: return "gpu.block.x";
    case ForKind::kGpuBlockY: return "gpu.block.y";
    case ForKind::kGpuBlockZ: return "gpu.block.z";
    case ForKind::kGpuThreadX: return "gpu.thread.x";
    case ForKind::kGpuThreadY: return "gpu.thread.y";
    case ForKind::kGpuThreadZ: return "gpu.thread.z";
  }
  return "?";
}

std::optional<ForKind> ParseForKind(std::string_view name) {
  for (int k = 0; k <= static_cast<int>(ForKind::kGpuThreadZ); ++k) {
    if (ForKindName(static_cast<ForKind>(k)) == name) return static_cast<ForKind>(k);
  }
  return std::nullopt;
}

bool NeedsConstantExtent(ForKind kind) {
  return kind == ForKind::kVectorized || kind == ForKind::kUnrolled;
}

namespace {

std::shared_ptr<Stmt> NewStmt(Stmt::Kind kind) {
  auto s = std::make_shared<Stmt>();
  s->kind = kind;
  return s;
}

void CheckIndex(const ExprPtr& e, const char* what) {
  TESSEL_CHECK(e != nullptr && e->dtype == kIndexType, std::string(what) + " must be an i32");
}

}  // namespace

StmtPtr For(std::string var, ExprPtr extent, StmtPtr body, ForKind kind) {
  TESSEL_CHECK(IsIdentifier(var), "bad loop variable '" + var + "'");
  CheckIndex(extent, "a loop extent");
  TESSEL_CHECK(body != nullptr, "a loop needs a body");
  auto s = NewStmt(Stmt::Kind::kFor);
  s->var = std::move(var);
  s->extent = std::move(extent);
  s->body = std::move(body);
  s->for_kind = kind;
  return s;
}

StmtPtr Let(std::string var, ExprPtr value) {
  TESSEL_CHECK(IsIdentifier(var), "bad let variable '" + var + "'");
  TESSEL_CHECK(value != nullptr, "a let needs a value");
  auto s = NewStmt(Stmt::Kind::kLet);
  s->var = std::move(var);
  s->value = std::move(value);
  return s;
}

StmtPtr If(ExprPtr cond, StmtPtr then_body, StmtPtr else_body) {
  TESSEL_CHECK(cond != nullptr && cond->dtype == DType::kBool, "an if needs a bool condition");
  TESSEL_CHECK(then_body != nullptr, "an if needs a body");
  auto s = NewStmt(Stmt::Kind::kIf);
  s->cond = std::move(cond);
  s->body = std::move(then_body);
  s->else_body = std::move(else_body);
  return s;
}

StmtPtr Store(BufferPtr buffer, std::vector<ExprPtr> subscripts, ExprPtr value) {
  TESSEL_CHECK(buffer != nullptr && value != nullptr, "a store needs a buffer and a value");
  std::string error = CheckSubscripts(*buffer, subscripts);
  TESSEL_CHECK(error.empty(), error + Caller());
  TESSEL_CHECK(value->dtype == buffer->dtype, "stored value of dtype " +
                                                  std::string(DTypeName(value->dtype)) +
                                                  " into %" + buffer->name + Caller());
  auto s = NewStmt(Stmt::Kind::kStore);
  s->buffer = std::move(buffer);
  s->args = std::move(subscripts);
  s->value = std::move(value);
  return s;
}

StmtPtr Allocate(BufferPtr buffer) {
  TESSEL_CHECK(buffer != nullptr && buffer->data == nullptr, "allocate needs a buffer");
  auto s = NewStmt(Stmt::Kind::kAllocate);
  s->buffer = std::move(buffer);
  return s;
}

StmtPtr View(BufferPtr buffer, BufferPtr base, int64_t byte_offset) {
  TESSEL_CHECK(buffer != nullptr && base != nullptr, "a view needs a buffer and a base");
  TESSEL_CHECK(byte_offset >= 0, "a view's offset must be >= 0");
  auto s = NewStmt(Stmt::Kind::kView);
  s->buffer = std::move(buffer);
  s->base = std::move(base);
  s->offset = byte_offset;
  return s;
}

StmtPtr Call(std::string callee, std::vector<BufferPtr> args) {
  TESSEL_CHECK(IsIdentifier(callee), "bad callee '" + callee + "'");
  for (const BufferPtr& arg : args) TESSEL_CHECK(arg != nullptr, "null call argument");
  auto s = NewStmt(Stmt::Kind::kCall);
  s->callee = std::move(callee);
  s->call_args = std::move(args);
  return s;
}

StmtPtr Seq(std::vector<StmtPtr> stmts) {
  auto s = NewStmt(Stmt::Kind::kSeq);
  for (StmtPtr& stmt : stmts) {
    TESSEL_CHECK(stmt != nullptr, "null statement in a sequence");
    if (stmt->kind == Stmt::Kind::kSeq) {
      s->stmts.insert(s->stmts.end(), stmt->stmts.begin(), stmt->stmts.end());
    } else {
      s->stmts.push_back(std::move(stmt));
    }
  }
  return s;
}

// ------------------------------------------------------- functions, module

std::vector<BufferPtr> Function::params() const {
  std::vector<BufferPtr> all = inputs;
  all.insert(all.end(), outputs.begin(), outputs.end());
  return all;
}

Function* Module::FindFunction(std::string_view name) {
  for (Function& f : functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const Function* Module::FindFunction(std::string_view name) const {
  return const_cast<Module*>(this)->FindFunction(name);
}

const Function* Module::Entry() const {
  for (const Function& f : functions) {
    if (!f.is_kernel) return &f;
  }
  return functions.size() == 1 ? &functions.front() : nullptr;
}

}  // namespace tessel::loops
