// The loop-IR interpreter (interpreter.h).
//
// Each function is first compiled into a mirror tree whose variables are slots and whose
// buffers are indices into the frame, so running does no name lookups; then the tree is
// walked. Memory is bytes with one "written" flag per byte; a view is its base's storage at
// an offset, so the host's arena behaves as the C back end's will.
#include "stages/loops/interpreter.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "stages/common/check.h"
#include "stages/ir/kernels.h"
#include "stages/loops/printer.h"

namespace tessel::loops {

namespace {

struct RunFailure {
  std::string message;
};

struct Storage {
  std::vector<std::byte> bytes;
  std::vector<uint8_t> written;  // one flag per byte
  uint64_t address = 0;          // virtual, for observers
};

struct Binding {
  const Buffer* buffer = nullptr;
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;  // bytes into storage
};

double ReadElement(DType dtype, const std::byte* p) {
  switch (dtype) {
    case DType::kF32: { float v; std::memcpy(&v, p, 4); return v; }
    case DType::kF16: { uint16_t v; std::memcpy(&v, p, 2); return HalfToFloat(v); }
    case DType::kI32: { int32_t v; std::memcpy(&v, p, 4); return v; }
    case DType::kI8: { int8_t v; std::memcpy(&v, p, 1); return v; }
    case DType::kBool: { uint8_t v; std::memcpy(&v, p, 1); return v != 0 ? 1 : 0; }
  }
  return 0;
}

// `value` is already of `dtype` (expressions are rounded to their dtype).
void WriteElement(DType dtype, std::byte* p, double value) {
  switch (dtype) {
    case DType::kF32: { float v = static_cast<float>(value); std::memcpy(p, &v, 4); return; }
    case DType::kF16: { uint16_t v = FloatToHalf(static_cast<float>(value)); std::memcpy(p, &v, 2); return; }
    case DType::kI32: { int32_t v = static_cast<int32_t>(value); std::memcpy(p, &v, 4); return; }
    case DType::kI8: { int8_t v = static_cast<int8_t>(value); std::memcpy(p, &v, 1); return; }
    case DType::kBool: { uint8_t v = value != 0 ? 1 : 0; std::memcpy(p, &v, 1); return; }
  }
}

int64_t ElementBytes(const Buffer& b) { return static_cast<int64_t>(DTypeSize(b.dtype)); }

// ---------------------------------------------------------- compiled form

struct CExpr {
  Expr::Kind kind = Expr::Kind::kConst;
  DType dtype = DType::kF32;
  DType arg_dtype = DType::kF32;  // the dtype ApplyScalar computes in
  Op op = Op::kAdd;
  double value = 0;
  int slot = -1;    // kVar
  int buffer = -1;  // kLoad
  std::vector<CExpr> args;
};

struct CFunction;

struct CStmt {
  Stmt::Kind kind = Stmt::Kind::kSeq;
  const Stmt* source = nullptr;
  int slot = -1;  // kFor, kLet
  CExpr expr;     // kFor: extent; kLet, kStore: value; kIf: condition
  std::vector<CExpr> args;  // kStore: subscripts
  int buffer = -1, base = -1;
  std::vector<CStmt> body, else_body;
  const Function* callee = nullptr;
  std::vector<int> call_args;
};

struct CFunction {
  const Function* source = nullptr;
  std::vector<CStmt> body;
  int num_slots = 0;
  std::vector<const Buffer*> buffers;    // index -> declaration (params first)
  std::vector<std::string> slot_names;
};

class Compiler {
 public:
  explicit Compiler(CFunction* out) : out_(out) {}

  void Run(const Function& f) {
    out_->source = &f;
    scopes_.emplace_back();
    for (const BufferPtr& p : f.params()) DeclareBuffer(p.get());
    Compile(*f.body, &out_->body);
  }

 private:
  int DeclareBuffer(const Buffer* b) {
    int index = static_cast<int>(out_->buffers.size());
    out_->buffers.push_back(b);
    buffer_index_[b] = index;
    return index;
  }
  int BufferIndex(const Buffer* b) {
    auto it = buffer_index_.find(b);
    if (it != buffer_index_.end()) return it->second;
    TESSEL_CHECK(b->data != nullptr, "@" + out_->source->name + " uses %" + b->name +
                                         " out of scope (run the verifier)");
    return DeclareBuffer(b);  // a module constant, bound when the frame is made
  }
  int DeclareVar(const std::string& name) {
    int slot = out_->num_slots++;
    out_->slot_names.push_back(name);
    scopes_.back()[name] = slot;
    return slot;
  }
  int VarSlot(const std::string& name) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return found->second;
    }
    TESSEL_CHECK(false, "@" + out_->source->name + " uses undefined '" + name + "'");
    return -1;
  }

  CExpr Compile(const ExprPtr& e) {
    CExpr c;
    c.kind = e->kind;
    c.dtype = e->dtype;
    c.op = e->op;
    c.value = e->value;
    if (e->kind == Expr::Kind::kVar) c.slot = VarSlot(e->name);
    if (e->kind == Expr::Kind::kLoad) c.buffer = BufferIndex(e->buffer.get());
    for (const ExprPtr& arg : e->args) c.args.push_back(Compile(arg));
    if (e->kind == Expr::Kind::kApply) c.arg_dtype = e->args[e->op == Op::kSelect ? 1 : 0]->dtype;
    return c;
  }

  void Compile(const Stmt& s, std::vector<CStmt>* out) {
    if (s.kind == Stmt::Kind::kSeq) {
      for (const StmtPtr& stmt : s.stmts) Compile(*stmt, out);
      return;
    }
    CStmt c;
    c.kind = s.kind;
    c.source = &s;
    switch (s.kind) {
      case Stmt::Kind::kFor:
        c.expr = Compile(s.extent);
        scopes_.emplace_back();
        c.slot = DeclareVar(s.var);
        Compile(*s.body, &c.body);
        scopes_.pop_back();
        break;
      case Stmt::Kind::kLet:
        c.expr = Compile(s.value);
        c.slot = DeclareVar(s.var);
        break;
      case Stmt::Kind::kIf:
        c.expr = Compile(s.cond);
        CompileScoped(*s.body, &c.body);
        if (s.else_body) CompileScoped(*s.else_body, &c.else_body);
        break;
      case Stmt::Kind::kStore:
        c.buffer = BufferIndex(s.buffer.get());
        for (const ExprPtr& arg : s.args) c.args.push_back(Compile(arg));
        c.expr = Compile(s.value);
        break;
      case Stmt::Kind::kAllocate: c.buffer = DeclareBuffer(s.buffer.get()); break;
      case Stmt::Kind::kView:
        c.base = BufferIndex(s.base.get());
        c.buffer = DeclareBuffer(s.buffer.get());
        break;
      case Stmt::Kind::kCall:
        for (const BufferPtr& arg : s.call_args) c.call_args.push_back(BufferIndex(arg.get()));
        break;
      case Stmt::Kind::kSeq: break;
    }
    out->push_back(std::move(c));
  }

  void CompileScoped(const Stmt& s, std::vector<CStmt>* out) {
    scopes_.emplace_back();
    Compile(s, out);
    scopes_.pop_back();
  }

  CFunction* out_;
  std::vector<std::map<std::string, int>> scopes_;
  std::map<const Buffer*, int> buffer_index_;
};

// ---------------------------------------------------------------- running

class Machine {
 public:
  Machine(const Module& module, const LoopRunOptions& options)
      : module_(module), options_(options) {}

  std::shared_ptr<Storage> NewStorage(int64_t bytes, bool written) {
    if (bytes > options_.max_allocation_bytes) {
      throw RunFailure{"allocation of " + std::to_string(bytes) + " bytes is over the limit of " +
                       std::to_string(options_.max_allocation_bytes)};
    }
    auto s = std::make_shared<Storage>();
    s->bytes.assign(static_cast<size_t>(bytes), std::byte{0});
    s->written.assign(static_cast<size_t>(bytes), written ? 1 : 0);
    s->address = next_address_;
    next_address_ += (static_cast<uint64_t>(bytes) + 4095) / 4096 * 4096 + 4096;
    return s;
  }

  /// Binds `params` and runs `f`; bindings of outputs are what the caller reads back.
  void Call(const Function& f, std::vector<Binding> params) {
    const CFunction& c = Compiled(f);
    Frame frame;
    frame.function = &c;
    frame.slots.assign(static_cast<size_t>(c.num_slots), 0);
    frame.buffers.resize(c.buffers.size());
    for (size_t i = 0; i < params.size(); ++i) frame.buffers[i] = std::move(params[i]);
    for (size_t i = params.size(); i < c.buffers.size(); ++i) {
      if (c.buffers[i]->data) frame.buffers[i] = ConstantBinding(c.buffers[i]);
    }
    if (options_.observer) options_.observer->OnCall(f.name, false);
    for (const CStmt& s : c.body) Exec(s, frame);
    if (options_.observer) options_.observer->OnCall(f.name, true);
  }

  static void Poison(const Binding& b) {
    int64_t bytes = b.buffer->SpanElements() * ElementBytes(*b.buffer);
    std::fill_n(b.storage->written.begin() + b.offset, bytes, 0);
  }

 private:
  struct Frame {
    const CFunction* function = nullptr;
    std::vector<double> slots;
    std::vector<Binding> buffers;
    std::vector<const CStmt*> loops;  // the enclosing loops, outermost first
    int vectorized = 0;
  };

  const CFunction& Compiled(const Function& f) {
    std::unique_ptr<CFunction>& slot = compiled_[&f];
    if (!slot) {
      slot = std::make_unique<CFunction>();
      Compiler(slot.get()).Run(f);
    }
    return *slot;
  }

  Binding ConstantBinding(const Buffer* b) {
    Binding& binding = constants_[b];
    if (!binding.storage) {
      binding.buffer = b;
      binding.storage = NewStorage(b->data->size() * ElementBytes(*b), true);
      std::memcpy(binding.storage->bytes.data(), b->data->bytes().data(), b->data->bytes().size());
    }
    return binding;
  }

  [[noreturn]] void Fail(const Frame& f, const std::string& what) {
    std::string where;
    for (const CStmt* loop : f.loops) {
      where += (where.empty() ? " (" : ", ") + f.function->slot_names[loop->slot] + " = " +
               std::to_string(static_cast<int64_t>(f.slots[loop->slot]));
    }
    throw RunFailure{"@" + f.function->source->name + ": " + what + (where.empty() ? "" : where + ")")};
  }

  void Step(const Frame& f) {
    if (++steps_ > options_.max_steps) {
      Fail(f, "step limit of " + std::to_string(options_.max_steps) + " statements reached");
    }
  }

  // The byte position of element `args` of buffer `index`, bounds-checked.
  int64_t Address(const std::vector<CExpr>& args, int index, Frame& f, const char* access) {
    const Binding& b = f.buffers[static_cast<size_t>(index)];
    int64_t element = 0;
    std::vector<int64_t> subs(args.size());
    bool inside = true;
    for (size_t d = 0; d < args.size(); ++d) {
      subs[d] = static_cast<int64_t>(Eval(args[d], f));
      inside = inside && subs[d] >= 0 && subs[d] < b.buffer->shape[d];
      element += subs[d] * b.buffer->strides[d];
    }
    if (!inside) {
      Fail(f, std::string(access) + " %" + b.buffer->name + FormatShape(subs) + " is outside " +
                  std::string(DTypeName(b.buffer->dtype)) + FormatShape(b.buffer->shape));
    }
    return b.offset + element * ElementBytes(*b.buffer);
  }

  double LoadElement(const CExpr& e, Frame& f) {
    int64_t at = Address(e.args, e.buffer, f, "load");
    const Binding& b = f.buffers[static_cast<size_t>(e.buffer)];
    if (options_.check_uninitialized && !b.storage->written[static_cast<size_t>(at)]) {
      std::vector<int64_t> subs;
      for (const CExpr& arg : e.args) subs.push_back(static_cast<int64_t>(Eval(arg, f)));
      Fail(f, "load %" + b.buffer->name + FormatShape(subs) + " reads memory nothing has written");
    }
    if (options_.observer) {
      options_.observer->OnAccess(*b.buffer, b.storage->address + static_cast<uint64_t>(at),
                                  static_cast<int>(ElementBytes(*b.buffer)), false, f.vectorized > 0);
    }
    return ReadElement(b.buffer->dtype, b.storage->bytes.data() + at);
  }

  double Eval(const CExpr& e, Frame& f) {
    switch (e.kind) {
      case Expr::Kind::kConst: return e.value;
      case Expr::Kind::kVar: return f.slots[static_cast<size_t>(e.slot)];
      case Expr::Kind::kLoad: return LoadElement(e, f);
      case Expr::Kind::kApply: break;
    }
    double args[3] = {0, 0, 0};
    for (size_t k = 0; k < e.args.size(); ++k) args[k] = Eval(e.args[k], f);
    double result = 0;
    std::string message;
    if (!ir::ApplyScalar(e.op, e.arg_dtype, args, &result, &message)) Fail(f, message);
    if (options_.observer) options_.observer->OnOp(e.op, e.arg_dtype, f.vectorized > 0);
    return ir::RoundToDType(e.dtype, result);
  }

  void Exec(const CStmt& s, Frame& f) {
    Step(f);
    switch (s.kind) {
      case Stmt::Kind::kFor: return ExecFor(s, f);
      case Stmt::Kind::kLet: f.slots[static_cast<size_t>(s.slot)] = Eval(s.expr, f); return;
      case Stmt::Kind::kIf:
        for (const CStmt& c : Eval(s.expr, f) != 0 ? s.body : s.else_body) Exec(c, f);
        return;
      case Stmt::Kind::kStore: return ExecStore(s, f);
      case Stmt::Kind::kAllocate: {
        const Buffer* b = f.function->buffers[static_cast<size_t>(s.buffer)];
        f.buffers[static_cast<size_t>(s.buffer)] = {b, NewStorage(b->SpanElements() * ElementBytes(*b), false), 0};
        return;
      }
      case Stmt::Kind::kView: {
        const Binding& base = f.buffers[static_cast<size_t>(s.base)];
        f.buffers[static_cast<size_t>(s.buffer)] = {
            f.function->buffers[static_cast<size_t>(s.buffer)], base.storage,
            base.offset + s.source->offset};
        return;
      }
      case Stmt::Kind::kCall: return ExecCall(s, f);
      case Stmt::Kind::kSeq: return;
    }
  }

  void ExecFor(const CStmt& s, Frame& f) {
    int64_t extent = static_cast<int64_t>(Eval(s.expr, f));
    bool vectorized = s.source->for_kind == ForKind::kVectorized;
    f.loops.push_back(&s);
    f.vectorized += vectorized ? 1 : 0;
    for (int64_t i = 0; i < extent; ++i) {
      f.slots[static_cast<size_t>(s.slot)] = static_cast<double>(i);
      for (const CStmt& c : s.body) Exec(c, f);
    }
    f.vectorized -= vectorized ? 1 : 0;
    f.loops.pop_back();
  }

  void ExecStore(const CStmt& s, Frame& f) {
    double value = Eval(s.expr, f);
    int64_t at = Address(s.args, s.buffer, f, "store");
    const Binding& b = f.buffers[static_cast<size_t>(s.buffer)];
    WriteElement(b.buffer->dtype, b.storage->bytes.data() + at, value);
    std::fill_n(b.storage->written.begin() + at, ElementBytes(*b.buffer), 1);
    if (options_.observer) {
      options_.observer->OnAccess(*b.buffer, b.storage->address + static_cast<uint64_t>(at),
                                  static_cast<int>(ElementBytes(*b.buffer)), true, f.vectorized > 0);
    }
  }

  static bool Overlap(const Binding& a, const Binding& b) {
    if (a.storage != b.storage) return false;
    int64_t a_end = a.offset + a.buffer->SpanElements() * ElementBytes(*a.buffer);
    int64_t b_end = b.offset + b.buffer->SpanElements() * ElementBytes(*b.buffer);
    return a.offset < b_end && b.offset < a_end;
  }

  void ExecCall(const CStmt& s, Frame& f) {
    const Function* callee = module_.FindFunction(s.source->callee);
    if (!callee) Fail(f, "call of undefined kernel @" + s.source->callee);
    std::vector<BufferPtr> params = callee->params();
    std::vector<Binding> bindings;
    for (size_t i = 0; i < s.call_args.size(); ++i) {
      Binding b = f.buffers[static_cast<size_t>(s.call_args[i])];
      b.buffer = params.at(i).get();
      bindings.push_back(std::move(b));
    }
    // An output starts unwritten unless it is an input's memory (in-place reuse).
    size_t first_output = callee->inputs.size();
    for (size_t o = first_output; o < bindings.size(); ++o) {
      bool in_place = false;
      for (size_t i = 0; i < first_output; ++i) in_place = in_place || Overlap(bindings[o], bindings[i]);
      if (!in_place) Poison(bindings[o]);
    }
    Call(*callee, std::move(bindings));
  }

  const Module& module_;
  const LoopRunOptions& options_;
  std::map<const Function*, std::unique_ptr<CFunction>> compiled_;
  std::map<const Buffer*, Binding> constants_;
  uint64_t next_address_ = 1 << 20;
  int64_t steps_ = 0;
};

// Calls `f` on each multi-index of `shape` in row-major order with its row-major position.
template <typename F>
void ForEachIndex(const Shape& shape, F f) {
  int64_t n = NumElements(shape);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t flat = 0; flat < n; ++flat) {
    f(index, flat);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

int64_t ElementOffset(const Buffer& b, const std::vector<int64_t>& index) {
  int64_t offset = 0;
  for (size_t d = 0; d < index.size(); ++d) offset += index[d] * b.strides[d];
  return offset * ElementBytes(b);
}

}  // namespace

std::optional<std::vector<Tensor>> RunFunction(const Module& module, const Function& function,
                                               const std::vector<Tensor>& inputs,
                                               std::string* error,
                                               const LoopRunOptions& options) {
  if (inputs.size() != function.inputs.size()) {
    *error = "@" + function.name + " takes " + std::to_string(function.inputs.size()) +
             " inputs, given " + std::to_string(inputs.size());
    return std::nullopt;
  }
  try {
    Machine machine(module, options);
    std::vector<Binding> params;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Buffer& p = *function.inputs[i];
      if (inputs[i].dtype() != p.dtype || inputs[i].shape() != p.shape) {
        throw RunFailure{"@" + function.name + ": input %" + p.name + " is " + PrintBufferDecl(p) +
                         ", given " + inputs[i].TypeString()};
      }
      Binding b{&p, machine.NewStorage(p.SpanElements() * ElementBytes(p), true), 0};
      ForEachIndex(p.shape, [&](const std::vector<int64_t>& index, int64_t flat) {
        WriteElement(p.dtype, b.storage->bytes.data() + ElementOffset(p, index), inputs[i].Get(flat));
      });
      params.push_back(std::move(b));
    }
    for (const BufferPtr& p : function.outputs) {
      params.push_back({p.get(), machine.NewStorage(p->SpanElements() * ElementBytes(*p), false), 0});
    }
    machine.Call(function, params);
    std::vector<Tensor> outputs;
    for (size_t o = inputs.size(); o < params.size(); ++o) {
      const Binding& b = params[o];
      Tensor out(b.buffer->dtype, b.buffer->shape);
      ForEachIndex(b.buffer->shape, [&](const std::vector<int64_t>& index, int64_t flat) {
        int64_t at = ElementOffset(*b.buffer, index);
        if (options.check_uninitialized && !b.storage->written[static_cast<size_t>(at)]) {
          throw RunFailure{"@" + function.name + ": output %" + b.buffer->name +
                           FormatShape(index) + " was never written"};
        }
        out.Set(flat, ReadElement(b.buffer->dtype, b.storage->bytes.data() + at));
      });
      outputs.push_back(std::move(out));
    }
    return outputs;
  } catch (const RunFailure& failure) {
    *error = failure.message;
    return std::nullopt;
  }
}

std::optional<Tensor> RunModule(const Module& module, const std::vector<Tensor>& inputs,
                                std::string* error, const LoopRunOptions& options) {
  const Function* entry = module.Entry();
  if (!entry) {
    *error = "the module has no host function";
    return std::nullopt;
  }
  if (entry->outputs.size() != 1) {
    *error = "@" + entry->name + " has " + std::to_string(entry->outputs.size()) + " outputs, not 1";
    return std::nullopt;
  }
  std::optional<std::vector<Tensor>> outputs = RunFunction(module, *entry, inputs, error, options);
  if (!outputs) return std::nullopt;
  return std::move(outputs->front());
}

}  // namespace tessel::loops
