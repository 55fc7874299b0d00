// The IR interpreter (stage 2): control flow, phis, calls and the dispatch of
// every op to its kernel (kernels_*.cpp, comprehension_eval.cpp).
//
// Execution is the textbook one: start at the entry block; on entering a
// block, evaluate its phis together using the block just left (all incoming
// values are read before any is assigned, so a swap of two phis works); run
// the other instructions in order; follow the terminator. Every executed
// instruction counts as a step, so an endless loop ends with an error, not a
// hang. Values are shared, immutable tensors, so phis and calls do not copy.
#include "stages/ir/interpreter.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <unordered_map>

#include "stages/ir/kernels.h"
#include "stages/ir/printer.h"

namespace tessel::ir {

namespace {

// Runs the kernel of `instr`'s op; control ops have no kernel.
bool RunKernel(const Instr& instr, const Operands& in, Tensor* out, std::string* error) {
  const Op op = instr.op();
  const Attrs& attrs = instr.attrs();
  switch (op) {
    case Op::kNeg: case Op::kNot: case Op::kAbs: case Op::kExp: case Op::kLog: case Op::kSqrt:
    case Op::kRsqrt: case Op::kTanh: case Op::kSigmoid: case Op::kRelu: case Op::kCast:
    case Op::kErf: case Op::kSin: case Op::kCos: case Op::kFloor: case Op::kCeil:
    case Op::kRound: case Op::kSign:
      return UnaryKernel(op, in, out, error);
    case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kMod: case Op::kPow:
    case Op::kFloorDiv: case Op::kFloorMod:
    case Op::kMaximum: case Op::kMinimum: case Op::kEq: case Op::kNe: case Op::kLt:
    case Op::kLe: case Op::kGt: case Op::kGe: case Op::kAnd: case Op::kOr: case Op::kSelect:
      return BroadcastingKernel(op, in, out, error);
    case Op::kMatMul: return MatMulKernel(in, out, error);
    case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax: case Op::kReduceMin:
    case Op::kReduceMean:
      return ReduceKernel(op, attrs, in, out, error);
    case Op::kArgMax: case Op::kArgMin: return ArgReduceKernel(op, attrs, in, out, error);
    case Op::kReshape: return ReshapeKernel(in, out, error);
    case Op::kTranspose: return TransposeKernel(attrs, in, out, error);
    case Op::kBroadcast: return BroadcastKernel(in, out, error);
    case Op::kConcat: return ConcatKernel(attrs, in, out, error);
    case Op::kSlice: return SliceKernel(attrs, in, out, error);
    case Op::kPad: return PadKernel(attrs, in, out, error);
    case Op::kTake: return TakeKernel(in, out, error);
    case Op::kUpdateSlice: return UpdateSliceKernel(in, out, error);
    case Op::kConstant: return ConstantKernel(attrs, out, error);
    case Op::kComprehension: return ComprehensionKernel(instr, in, out, error);
    case Op::kCall: case Op::kPhi: case Op::kBr: case Op::kCondBr: case Op::kRet: break;
  }
  *error = "'" + std::string(OpMnemonic(op)) + "' is control flow, which only Interpret runs";
  return false;
}

// Why `operands` cannot be evaluated by `instr`, or "" when they can.
std::string CheckOperands(const Instr& instr, const Operands& operands) {
  if (operands.size() != instr.operands().size()) {
    return "expected " + std::to_string(instr.operands().size()) + " operand values, got " +
           std::to_string(operands.size());
  }
  for (const Tensor* t : operands) {
    if (t == nullptr) return "an operand value is missing";
  }
  for (int64_t dim : instr.type().shape) {
    if (dim < 0) return "the result type has a negative dimension";
  }
  return "";
}

Type TypeOf(const Tensor& t) { return Type{t.dtype(), t.shape()}; }

}  // namespace

std::optional<Tensor> EvaluateInstr(const Instr& instr, const std::vector<const Tensor*>& operands,
                                    std::string* error) {
  std::string message = CheckOperands(instr, operands);
  if (message.empty()) {
    Tensor out(instr.type().dtype, instr.type().shape);
    if (RunKernel(instr, operands, &out, &message)) return out;
  }
  *error = PrintInstr(instr) + ": " + message;
  return std::nullopt;
}

namespace {

using ValuePtr = std::shared_ptr<const Tensor>;

// What a failing helper returns after setting the error: false where it
// returns bool, null where it returns a block, an instruction or a value.
struct Failed {
  operator bool() const { return false; }
  template <typename T>
  operator T*() const {
    return nullptr;
  }
  operator ValuePtr() const { return nullptr; }
};

// One activation of a function: the values computed so far.
struct Frame {
  const Function& fn;
  int depth;
  std::unordered_map<const Value*, ValuePtr> values;
};

class Interpreter {
 public:
  Interpreter(const Module& module, InterpreterOptions options, RuntimeError* error)
      : module_(module), options_(options), error_(error) {}

  /// Runs `fn` on `args` at call depth `depth`; null after setting the error.
  ValuePtr Call(const Function& fn, const std::vector<ValuePtr>& args, int depth) {
    Frame frame{fn, depth, {}};
    if (!BindArgs(frame, args)) return nullptr;
    if (fn.entry() == nullptr) return Fail(frame, "has no blocks");
    const Block* block = fn.entry();
    const Block* from = nullptr;
    while (true) {
      const Instr* term = RunBlock(frame, *block, from);
      if (term == nullptr) return nullptr;
      if (term->op() == Op::kRet) return Return(frame, *term);
      from = block;
      block = Successor(frame, *term);
      if (block == nullptr) return nullptr;
    }
  }

 private:
  // Checks `args` against the parameters and binds them.
  bool BindArgs(Frame& frame, const std::vector<ValuePtr>& args) {
    const auto& params = frame.fn.args();
    if (args.size() != params.size()) {
      return Fail(frame, "expected " + std::to_string(params.size()) + " arguments, got " +
                             std::to_string(args.size()));
    }
    for (size_t i = 0; i < args.size(); ++i) {
      if (TypeOf(*args[i]) != params[i]->type()) {
        return Fail(frame, "argument " + std::to_string(i) + " (%" + params[i]->name() +
                               ") has type " + FormatType(TypeOf(*args[i])) + ", expected " +
                               FormatType(params[i]->type()));
      }
      frame.values[params[i].get()] = args[i];
    }
    return true;
  }

  // Runs `block`, entered from `from` (null for the entry), up to its
  // terminator, which it returns; null after an error.
  const Instr* RunBlock(Frame& frame, const Block& block, const Block* from) {
    const auto& instrs = block.instrs();
    size_t pc = 0;
    if (!RunPhis(frame, block, from, &pc)) return nullptr;
    for (; pc < instrs.size(); ++pc) {
      const Instr& instr = *instrs[pc];
      if (!CountStep(frame, instr)) return nullptr;
      if (IsTerminator(instr.op())) return &instr;
      if (!Execute(frame, instr)) return nullptr;
    }
    Fail(frame, "block " + block.label() + " ends without a terminator");
    return nullptr;
  }

  // Evaluates the phis at the start of `block` together; *pc is set past them.
  bool RunPhis(Frame& frame, const Block& block, const Block* from, size_t* pc) {
    const auto& instrs = block.instrs();
    std::vector<std::pair<const Instr*, ValuePtr>> incoming;
    for (; *pc < instrs.size() && instrs[*pc]->op() == Op::kPhi; ++*pc) {
      const Instr& phi = *instrs[*pc];
      if (!CountStep(frame, phi)) return false;
      ValuePtr value = IncomingValue(frame, phi, from);
      if (value == nullptr || !CheckResult(frame, phi, *value)) return false;
      incoming.emplace_back(&phi, std::move(value));
    }
    for (auto& [phi, value] : incoming) frame.values[phi] = std::move(value);
    return true;
  }

  ValuePtr IncomingValue(Frame& frame, const Instr& phi, const Block* from) {
    const auto& blocks = phi.blocks();
    for (size_t k = 0; k < blocks.size() && k < phi.operands().size(); ++k) {
      if (blocks[k] == from) return Lookup(frame, phi, phi.operand(k));
    }
    if (from == nullptr) return InstrFail(frame, phi, "a phi in the entry block has no value");
    return InstrFail(frame, phi, "no incoming value from block " + from->label());
  }

  // Executes a non-phi, non-terminator instruction and records its value.
  bool Execute(Frame& frame, const Instr& instr) {
    if (instr.op() == Op::kPhi) {
      return InstrFail(frame, instr, "a phi after the start of its block");
    }
    std::vector<ValuePtr> held;
    for (const Value* operand : instr.operands()) {
      held.push_back(Lookup(frame, instr, operand));
      if (held.back() == nullptr) return false;
    }
    ValuePtr result = instr.op() == Op::kCall ? CallInstr(frame, instr, held)
                                              : Evaluate(frame, instr, held);
    if (result == nullptr || !CheckResult(frame, instr, *result)) return false;
    if (options_.execute_memory_plan && instr.placement()) Store(*instr.placement(), *result);
    frame.values[&instr] = std::move(result);
    return true;
  }

  // The memory plan: a placed result's bytes go to its arena, grown as needed.
  void Store(const Placement& placement, const Tensor& value) {
    std::vector<std::byte>& arena = arenas_[placement.buffer];
    size_t end = static_cast<size_t>(placement.offset) + value.bytes().size();
    if (arena.size() < end) arena.resize(end);
    std::copy(value.bytes().begin(), value.bytes().end(),
              arena.begin() + static_cast<std::ptrdiff_t>(placement.offset));
  }

  // A placed value as its arena holds it now: whatever was written over it since shows.
  ValuePtr Load(const Instr& instr) {
    auto tensor = std::make_shared<Tensor>(instr.type().dtype, instr.type().shape);
    const std::vector<std::byte>& arena = arenas_[instr.placement()->buffer];
    auto begin = arena.begin() + static_cast<std::ptrdiff_t>(instr.placement()->offset);
    std::copy(begin, begin + static_cast<std::ptrdiff_t>(tensor->bytes().size()),
              tensor->bytes().begin());
    return tensor;
  }

  ValuePtr Evaluate(Frame& frame, const Instr& instr, const std::vector<ValuePtr>& held) {
    std::vector<const Tensor*> operands;
    for (const ValuePtr& value : held) operands.push_back(value.get());
    std::string message;
    std::optional<Tensor> result = EvaluateInstr(instr, operands, &message);
    if (!result) {
      Where(instr);
      return Fail(frame, message);
    }
    return std::make_shared<const Tensor>(std::move(*result));
  }

  ValuePtr CallInstr(Frame& frame, const Instr& instr, const std::vector<ValuePtr>& args) {
    const Function* callee = module_.FindFunction(instr.attrs().callee);
    if (callee == nullptr) {
      return InstrFail(frame, instr, "calls @" + instr.attrs().callee + ", which is not defined");
    }
    if (frame.depth + 1 > options_.max_call_depth) {
      return InstrFail(frame, instr, "call depth limit of " +
                                         std::to_string(options_.max_call_depth) + " exceeded");
    }
    ValuePtr result = Call(*callee, args, frame.depth + 1);  // its errors name the callee
    if (result == nullptr) Where(instr);                    // and then this call
    return result;
  }

  const Block* Successor(Frame& frame, const Instr& term) {
    const auto& targets = term.blocks();
    size_t want = term.op() == Op::kCondBr ? 2 : 1;
    if (targets.size() != want) return InstrFail(frame, term, "has the wrong number of targets");
    size_t chosen = 0;
    if (term.op() == Op::kCondBr) {
      ValuePtr cond = Lookup(frame, term, term.operand(0));
      if (cond == nullptr) return nullptr;
      if (cond->size() != 1) return InstrFail(frame, term, "condition is not a scalar");
      chosen = cond->Get(0) != 0 ? 0 : 1;
    }
    const Block* target = targets[chosen];
    if (target == nullptr || target->parent() != &frame.fn) {
      return InstrFail(frame, term, "branches to a block of another function");
    }
    return target;
  }

  ValuePtr Return(Frame& frame, const Instr& ret) {
    ValuePtr value = Lookup(frame, ret, ret.operand(0));
    if (value == nullptr) return nullptr;
    if (TypeOf(*value) != frame.fn.result()) {
      return InstrFail(frame, ret, "returns " + FormatType(TypeOf(*value)) +
                                       ", but the function returns " +
                                       FormatType(frame.fn.result()));
    }
    return value;
  }

  ValuePtr Lookup(Frame& frame, const Instr& user, const Value* value) {
    auto it = frame.values.find(value);
    if (it != frame.values.end() && options_.execute_memory_plan &&
        value->kind() == Value::Kind::kInstr) {
      const Instr& def = *static_cast<const Instr*>(value);
      if (def.placement()) return Load(def);
    }
    if (it != frame.values.end()) return it->second;
    return InstrFail(frame, user, "uses %" + value->name() + " before it is defined");
  }

  bool CheckResult(Frame& frame, const Instr& instr, const Tensor& value) {
    if (TypeOf(value) == instr.type()) return true;
    return InstrFail(frame, instr, "produced " + FormatType(TypeOf(value)) + ", not " +
                                       FormatType(instr.type()));
  }

  bool CountStep(Frame& frame, const Instr& instr) {
    if (++steps_ <= options_.max_steps) return true;
    return InstrFail(frame, instr, "step limit of " + std::to_string(options_.max_steps) +
                                       " instructions reached (an endless loop?)");
  }

  // Sets the error, "@fn: message"; the result reads as false or as a null pointer.
  Failed Fail(const Frame& frame, const std::string& message) {
    error_->message = "@" + frame.fn.name() + ": " + message;
    return Failed{};
  }

  Failed InstrFail(const Frame& frame, const Instr& instr, const std::string& message) {
    Where(instr);
    return Fail(frame, PrintInstr(instr) + ": " + message);
  }

  // Adds `instr`'s source location to the error's trace (innermost first).
  void Where(const Instr& instr) {
    if (instr.loc().known()) error_->where.push_back(instr.loc());
  }

  const Module& module_;
  InterpreterOptions options_;
  RuntimeError* error_;
  int64_t steps_ = 0;  // over all calls
  std::map<int64_t, std::vector<std::byte>> arenas_;  // execute_memory_plan: buffer -> bytes
};

}  // namespace

std::optional<Tensor> Interpret(const Module& module, const Function& function,
                                const std::vector<Tensor>& args, std::string* error,
                                InterpreterOptions options) {
  RuntimeError located;
  std::optional<Tensor> result = Interpret(module, function, args, &located, options);
  if (!result) *error = located.message;
  return result;
}

std::optional<Tensor> Interpret(const Module& module, const Function& function,
                                const std::vector<Tensor>& args, RuntimeError* error,
                                InterpreterOptions options) {
  std::vector<ValuePtr> values;
  for (const Tensor& arg : args) values.push_back(std::make_shared<const Tensor>(arg));
  Interpreter interpreter(module, options, error);
  ValuePtr result = interpreter.Call(function, values, 0);
  if (result == nullptr) return std::nullopt;
  return *result;
}

}  // namespace tessel::ir
