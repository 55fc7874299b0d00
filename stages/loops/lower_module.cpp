// Lowering a kernel-form module to loop IR (lower_module.h).
#include "stages/loops/lower_module.h"

#include <algorithm>
#include <map>

#include "stages/ir/printer.h"
#include "stages/loops/lower.h"
#include "stages/loops/verifier.h"

namespace tessel::loops {

namespace {

// A loop nest copying `from` into `to` (same shape): the host's result when the entry
// returns an argument or a constant rather than a kernel's result.
StmtPtr Copy(const BufferPtr& from, const BufferPtr& to, NameGenerator& names) {
  std::vector<ExprPtr> index;
  std::vector<std::string> loops;
  for (size_t d = 0; d < to->shape.size(); ++d) {
    loops.push_back(names.Fresh("i" + std::to_string(d)));
    index.push_back(Var(loops.back()));
  }
  StmtPtr body = Store(to, index, Load(from, index));
  for (size_t d = loops.size(); d-- > 0;) body = For(loops[d], Int(to->shape[d]), body);
  return body;
}

class HostLowering {
 public:
  HostLowering(const ir::Module& module, const ir::Function& entry)
      : module_(module), entry_(entry), value_names_(ir::NameValues(entry)) {}

  std::optional<Module> Run(std::string* error) {
    if (!CheckKernelForm(error)) return std::nullopt;
    Function host;
    host.name = entry_.name();
    host.is_kernel = false;
    for (const auto& arg : entry_.args()) {
      BufferPtr b = MakeBuffer(Name(arg.get()), arg->type().dtype, arg->type().shape);
      names_.Take(b->name);
      buffers_[arg.get()] = b;
      host.inputs.push_back(b);
    }
    const ir::Instr* ret = entry_.entry()->terminator();
    const ir::Value* result = ret->operand(0);
    output_ = MakeBuffer(names_.Fresh("result"), result->type().dtype, result->type().shape);
    host.outputs = {output_};
    std::vector<StmtPtr> body = Arenas();
    for (const auto& instr : entry_.entry()->instrs()) {
      if (instr->op() == ir::Op::kCall && !LowerCall(*instr, result, &body, error)) return std::nullopt;
    }
    if (buffers_.count(result) == 0 || buffers_.at(result) != output_) {
      body.push_back(Copy(BufferOf(result), output_, names_));
    }
    host.body = Seq(std::move(body));
    module_out_.functions.push_back(std::move(host));
    return Verified(error);
  }

 private:
  std::string Name(const ir::Value* v) { return value_names_.at(v).substr(1); }

  bool CheckKernelForm(std::string* error) {
    if (entry_.blocks().size() != 1) {
      *error = "@" + entry_.name() + " is not in the kernel form (it has " +
               std::to_string(entry_.blocks().size()) + " blocks): loop IR lowers one block of "
               "kernel calls, which -O1 and up make, except for an entry that keeps a branch or "
               "loop on a run-time value";
      return false;
    }
    for (const auto& instr : entry_.entry()->instrs()) {
      ir::Op op = instr->op();
      bool kernel_call = op == ir::Op::kCall && module_.FindFunction(instr->attrs().callee) &&
                         module_.FindFunction(instr->attrs().callee)->kernel();
      if (kernel_call || op == ir::Op::kConstant || op == ir::Op::kRet) continue;
      *error = "@" + entry_.name() + " is not in the kernel form: '" + ir::PrintInstr(*instr) +
               "' is not a kernel call (lower with -O1 or higher, or run fuse-ops)";
      return false;
    }
    return true;
  }

  // One `allocate` per arena the memory plan uses, as large as its last placed tensor's end.
  std::vector<StmtPtr> Arenas() {
    std::map<int64_t, int64_t> sizes;
    for (const auto& instr : entry_.entry()->instrs()) {
      if (!instr->placement()) continue;
      int64_t bytes = NumElements(instr->type().shape) * static_cast<int64_t>(DTypeSize(instr->type().dtype));
      int64_t& size = sizes[instr->placement()->buffer];
      size = std::max(size, instr->placement()->offset + bytes);
    }
    std::vector<StmtPtr> stmts;
    for (const auto& [index, size] : sizes) {
      BufferPtr arena = MakeBuffer(names_.Fresh(index == 0 ? "arena" : "arena" + std::to_string(index)),
                                   DType::kI8, {size});
      arenas_[index] = arena;
      stmts.push_back(Allocate(arena));
    }
    return stmts;
  }

  // A kernel-call argument: an argument's buffer, an earlier result's, or a constant's.
  BufferPtr BufferOf(const ir::Value* v) {
    auto it = buffers_.find(v);
    if (it != buffers_.end()) return it->second;
    const auto* instr = static_cast<const ir::Instr*>(v);
    BufferPtr c = MakeConstantBuffer(names_.Fresh(entry_.name() + ".c"), instr->attrs().value);
    module_out_.constants.push_back(c);
    buffers_[v] = c;
    return c;
  }

  bool LowerCall(const ir::Instr& call, const ir::Value* result, std::vector<StmtPtr>* body,
                 std::string* error) {
    const ir::Function& kernel = *module_.FindFunction(call.attrs().callee);
    if (!module_out_.FindFunction(kernel.name())) {
      LoweredKernel lowered = LowerKernel(kernel);
      for (BufferPtr& c : lowered.constants) module_out_.constants.push_back(std::move(c));
      module_out_.functions.push_back(std::move(lowered.function));
    }
    BufferPtr out;
    if (&call == result) {
      out = output_;
    } else if (call.placement()) {
      out = MakeBuffer(names_.Fresh(Name(&call)), call.type().dtype, call.type().shape);
      body->push_back(View(out, arenas_.at(call.placement()->buffer), call.placement()->offset));
    } else {
      out = MakeBuffer(names_.Fresh(Name(&call)), call.type().dtype, call.type().shape);
      body->push_back(Allocate(out));
    }
    buffers_[&call] = out;
    std::vector<BufferPtr> args;
    for (const ir::Value* operand : call.operands()) args.push_back(BufferOf(operand));
    args.push_back(out);
    body->push_back(Call(kernel.name(), std::move(args)));
    (void)error;
    return true;
  }

  // Host first, then the kernels in the order they are first called.
  std::optional<Module> Verified(std::string* error) {
    std::rotate(module_out_.functions.begin(), module_out_.functions.end() - 1,
                module_out_.functions.end());
    std::vector<std::string> problems = VerifyModule(module_out_);
    if (!problems.empty()) {
      *error = "lowering to loop IR (lab04.t1) gave loop IR the verifier refuses: " + problems.front();
      return std::nullopt;
    }
    return std::move(module_out_);
  }

  const ir::Module& module_;
  const ir::Function& entry_;
  std::unordered_map<const ir::Value*, std::string> value_names_;
  NameGenerator names_;
  std::map<const ir::Value*, BufferPtr> buffers_;
  std::map<int64_t, BufferPtr> arenas_;
  BufferPtr output_;
  Module module_out_;
};

}  // namespace

std::optional<Module> LowerModule(const ir::Module& module, const ir::Function& entry,
                                  std::string* error) {
  return HostLowering(module, entry).Run(error);
}

}  // namespace tessel::loops
