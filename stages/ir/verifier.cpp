// The IR verifier (verifier.h). Runs after lowering and, in tests and with
// --verify-each, after every pass. It depends on no lab code: dominance comes
// from the textbook set fixpoint below, which is slow and obviously correct,
// and which lab02's tests use as the oracle for the learner's dominator tree.
//
// Order of the checks, per function:
//   1) structure: one terminator per block, at its end; targets in the function;
//      no predecessor of the entry
//   2) per instruction: operands defined in this function, block lists, phi
//      placement and incoming blocks, types (type_rules.h), ret and call
//   3) dominance of every use by its definition, in blocks reachable from the entry
//   4) the kernel form: a kernel's body, placements that do not overlap while live
//      (verify_kernel_form.cpp)
#include "stages/ir/verifier.h"

#include <algorithm>
#include <iterator>
#include <unordered_map>
#include <utility>

#include "stages/ir/printer.h"
#include "stages/ir/type_rules.h"
#include "stages/ir/verify_kernel_form.h"

namespace tessel::ir {
namespace {

using DomSets = std::map<const Block*, std::set<const Block*>>;

// Names values and blocks in messages as the printer does (printer.h NameValues), so that a
// message points into the printed function: "%h", "%3", "'loop'", "'bb2'" for an unlabelled
// block.
class Namer {
 public:
  explicit Namer(const Function& function) : values_(NameValues(function)) {
    for (size_t i = 0; i < function.blocks().size(); ++i) {
      block_index_[function.blocks()[i].get()] = i;
    }
  }

  std::string Name(const Value* value) const {
    if (!value) return "(null)";
    auto it = values_.find(value);
    if (it != values_.end()) return it->second;
    if (value->kind() == Value::Kind::kInstr) {
      Op op = static_cast<const Instr*>(value)->op();
      if (!HasResult(op)) return "'" + std::string(OpMnemonic(op)) + "'";  // a terminator
    }
    return value->name().empty() ? "%?" : "%" + value->name();
  }

  std::string Label(const Block* block) const {
    if (!block) return "(null)";
    if (!block->label().empty()) return "'" + block->label() + "'";
    auto it = block_index_.find(block);
    return it == block_index_.end() ? "(a foreign block)"
                                    : "'bb" + std::to_string(it->second) + "'";
  }

 private:
  std::unordered_map<const Value*, std::string> values_;
  std::map<const Block*, size_t> block_index_;
};

// The blocks reachable from the entry, in the function's block order. Branches to blocks of
// another function are ignored (the verifier reports them).
std::vector<const Block*> ReachableBlocks(const Function& function) {
  std::set<const Block*> own, seen;
  for (const auto& block : function.blocks()) own.insert(block.get());
  std::vector<const Block*> stack;
  if (function.entry()) stack.push_back(function.entry());
  while (!stack.empty()) {
    const Block* block = stack.back();
    stack.pop_back();
    if (!seen.insert(block).second) continue;
    for (const Block* succ : block->successors()) {
      if (own.count(succ)) stack.push_back(succ);
    }
  }
  std::vector<const Block*> order;
  for (const auto& block : function.blocks()) {
    if (seen.count(block.get())) order.push_back(block.get());
  }
  return order;
}

// Verifies one function; each Check* appends messages through Report.
class FunctionVerifier {
 public:
  FunctionVerifier(const Function& function, const Module* module,
                   std::vector<VerifierProblem>* errors)
      : fn_(function), module_(module), errors_(errors), namer_(function) {
    for (const auto& arg : fn_.args()) defined_.insert(arg.get());
    for (const auto& block : fn_.blocks()) {
      blocks_.insert(block.get());
      for (size_t i = 0; i < block->instrs().size(); ++i) {
        const Instr* instr = block->instrs()[i].get();
        position_[instr] = {block.get(), i};
        if (HasResult(instr->op())) defined_.insert(instr);
      }
    }
  }

  bool Run() {
    if (fn_.blocks().empty()) Report(nullptr, nullptr, "has no blocks");
    for (const auto& block : fn_.blocks()) CheckBlockStructure(*block);
    if (fn_.entry() && !fn_.Predecessors(fn_.entry()).empty()) CheckEntryHasNoPredecessors();
    for (const auto& block : fn_.blocks()) {
      for (size_t i = 0; i < block->instrs().size(); ++i) {
        CheckInstr(*block, *block->instrs()[i], i);
      }
    }
    CheckDominance();
    CheckKernelForm(fn_, [this](const Block* block, const Instr* instr, const std::string& what) {
      Report(block, instr, what);
    });
    return error_count_ == 0;
  }

 private:
  // "@f: block 'loop': %h: message"; block and instr may be null.
  void Report(const Block* block, const Instr* instr, const std::string& message) {
    std::string text = "@" + fn_.name() + ": ";
    if (block) text += "block " + namer_.Label(block) + ": ";
    if (instr && HasResult(instr->op())) text += namer_.Name(instr) + ": ";
    if (instr && !HasResult(instr->op())) text += std::string(OpMnemonic(instr->op())) + ": ";
    if (errors_) errors_->push_back({&fn_, block, instr, text + message});
    ++error_count_;
  }

  void CheckBlockStructure(const Block& block) {
    const auto& instrs = block.instrs();
    if (instrs.empty()) return Report(&block, nullptr, "is empty (it needs a terminator)");
    for (size_t i = 0; i + 1 < instrs.size(); ++i) {
      if (IsTerminator(instrs[i]->op())) {
        Report(&block, instrs[i].get(), "a terminator before the end of the block");
      }
    }
    if (!block.terminator()) Report(&block, nullptr, "does not end in a terminator");
  }

  // The entry runs first and only once: no branch may target it (a loop starts in a block
  // after the entry), so its phis would have no operand and DF(entry) is always empty.
  void CheckEntryHasNoPredecessors() {
    std::string preds;
    for (const Block* pred : fn_.Predecessors(fn_.entry())) {
      preds += (preds.empty() ? "" : ", ") + namer_.Label(pred);
    }
    Report(fn_.entry(), nullptr,
           "the entry block has predecessors (" + preds + "); it may not be a branch target");
  }

  void CheckInstr(const Block& block, const Instr& instr, size_t pos) {
    if (instr.parent() != &block) Report(&block, &instr, "its parent is another block");
    bool operands_ok = CheckOperandsDefined(block, instr);
    CheckBlockList(block, instr);
    if (instr.op() == Op::kPhi) CheckPhi(block, instr, pos);
    if (!operands_ok) return;
    CheckTypes(block, instr);
    if (instr.op() == Op::kRet) CheckRet(block, instr);
    if (instr.op() == Op::kCall) CheckCall(block, instr);
  }

  bool CheckOperandsDefined(const Block& block, const Instr& instr) {
    bool ok = true;
    for (size_t i = 0; i < instr.operands().size(); ++i) {
      const Value* operand = instr.operand(i);
      if (defined_.count(operand)) continue;
      ok = false;
      std::string which = "operand " + std::to_string(i) + " (" + namer_.Name(operand) + ")";
      if (!operand) {
        Report(&block, &instr, "operand " + std::to_string(i) + " is null");
      } else if (position_.count(operand)) {
        Report(&block, &instr, which + " is a terminator, which has no result");
      } else {
        Report(&block, &instr, which + " is not defined in this function");
      }
    }
    return ok;
  }

  // br has one target, cond_br two, a phi one incoming block per operand (CheckPhi), others
  // none; every block named belongs to this function.
  void CheckBlockList(const Block& block, const Instr& instr) {
    size_t expected = instr.op() == Op::kBr ? 1 : instr.op() == Op::kCondBr ? 2 : 0;
    if (instr.op() != Op::kPhi && instr.blocks().size() != expected) {
      Report(&block, &instr,
             "names " + std::to_string(instr.blocks().size()) + " blocks, expected " +
                 std::to_string(expected));
    }
    for (const Block* target : instr.blocks()) {
      if (!target) Report(&block, &instr, "names a null block");
      if (target && !blocks_.count(target)) {
        Report(&block, &instr, "names a block of another function");
      }
    }
  }

  void CheckPhi(const Block& block, const Instr& phi, size_t pos) {
    for (size_t i = 0; i < pos; ++i) {
      if (block.instrs()[i]->op() != Op::kPhi) {
        return Report(&block, &phi, "phi after a non-phi instruction (phis come first)");
      }
    }
    std::vector<Block*> preds = fn_.Predecessors(&block);
    if (phi.operands().size() != preds.size()) {
      return Report(&block, &phi,
                    "phi has " + std::to_string(phi.operands().size()) +
                        " operands but the block has " + std::to_string(preds.size()) +
                        " predecessors");
    }
    if (phi.blocks().size() != phi.operands().size()) {
      return Report(&block, &phi,
                    "phi has " + std::to_string(phi.operands().size()) + " operands but " +
                        std::to_string(phi.blocks().size()) + " incoming blocks");
    }
    CheckPhiBlocks(block, phi, preds);
  }

  // The incoming blocks are exactly the predecessors, each once, in any order.
  void CheckPhiBlocks(const Block& block, const Instr& phi, const std::vector<Block*>& preds) {
    std::set<const Block*> seen;
    for (const Block* incoming : phi.blocks()) {
      if (!seen.insert(incoming).second) {
        Report(&block, &phi, "phi names block " + namer_.Label(incoming) + " twice");
      } else if (std::find(preds.begin(), preds.end(), incoming) == preds.end()) {
        Report(&block, &phi,
               "phi names block " + namer_.Label(incoming) + ", which is not a predecessor");
      }
    }
    for (const Block* pred : preds) {
      if (!seen.count(pred)) {
        Report(&block, &phi, "phi has no operand for predecessor " + namer_.Label(pred));
      }
    }
  }

  void CheckTypes(const Block& block, const Instr& instr) {
    std::vector<Type> types;
    for (const Value* operand : instr.operands()) types.push_back(operand->type());
    std::string error;
    std::optional<Type> result =
        InferResultType(instr.op(), types, instr.attrs(), instr.type(), &error);
    // A terminator's message starts with its mnemonic already ("cond_br f32: ...").
    if (!result) return Report(&block, HasResult(instr.op()) ? &instr : nullptr, error);
    if (HasResult(instr.op()) && *result != instr.type()) {
      Report(&block, &instr,
             std::string(OpMnemonic(instr.op())) + " gives " + FormatType(*result) +
                 " but the declared type is " + FormatType(instr.type()));
    }
  }

  void CheckRet(const Block& block, const Instr& ret) {
    const Type& type = ret.operand(0)->type();
    if (type != fn_.result()) {
      Report(&block, &ret,
             "returns " + FormatType(type) + " but @" + fn_.name() + " returns " +
                 FormatType(fn_.result()));
    }
  }

  void CheckCall(const Block& block, const Instr& call) {
    if (!module_) return;  // VerifyFunction without a module cannot see the callee
    const std::string& name = call.attrs().callee;
    const Function* callee = module_->FindFunction(name);
    if (!callee) return Report(&block, &call, "call of @" + name + ", which is not defined");
    std::string what = "call @" + name + ": ";
    if (call.operands().size() != callee->args().size()) {
      return Report(&block, &call,
                    what + std::to_string(call.operands().size()) + " arguments but @" + name +
                        " takes " + std::to_string(callee->args().size()));
    }
    for (size_t i = 0; i < callee->args().size(); ++i) {
      const Type& arg = call.operand(i)->type();
      const Type& param = callee->args()[i]->type();
      if (arg != param) {
        Report(&block, &call,
               what + "argument " + std::to_string(i) + " is " + FormatType(arg) +
                   " but the parameter is " + FormatType(param));
      }
    }
    if (call.type() != callee->result()) {
      Report(&block, &call,
             what + "declared " + FormatType(call.type()) + " but @" + name + " returns " +
                 FormatType(callee->result()));
    }
  }

  // Uses in unreachable blocks, and phi operands coming from them, are not checked: nothing
  // there ever runs, and passes may leave such blocks for a later cleanup.
  void CheckDominance() {
    DomSets dom = ComputeDominatorSets(fn_);
    for (const auto& block : fn_.blocks()) {
      if (!dom.count(block.get())) continue;
      for (size_t pos = 0; pos < block->instrs().size(); ++pos) {
        const Instr& instr = *block->instrs()[pos];
        for (size_t i = 0; i < instr.operands().size(); ++i) {
          CheckUse(dom, *block, instr, pos, i);
        }
      }
    }
  }

  void CheckUse(const DomSets& dom, const Block& block, const Instr& user, size_t pos, size_t i) {
    auto def = position_.find(user.operand(i));
    // Arguments dominate everything; undefined operands were reported already.
    if (!defined_.count(user.operand(i)) || def == position_.end()) return;
    auto [def_block, def_pos] = def->second;
    std::string used = namer_.Name(user.operand(i));
    if (user.op() == Op::kPhi) {
      if (i >= user.blocks().size() || !dom.count(user.blocks()[i])) return;
      const Block* incoming = user.blocks()[i];
      if (dom.at(incoming).count(def_block)) return;
      return Report(&block, &user,
                    used + " coming from block " + namer_.Label(incoming) +
                        " is defined in block " + namer_.Label(def_block) +
                        ", which does not dominate " + namer_.Label(incoming));
    }
    if (def_block == &block) {
      if (def_pos >= pos) Report(&block, &user, "uses " + used + " before its definition");
    } else if (!dom.at(&block).count(def_block)) {
      Report(&block, &user,
             "uses " + used + ", defined in block " + namer_.Label(def_block) +
                 ", which does not dominate this use");
    }
  }

  const Function& fn_;
  const Module* module_;
  std::vector<VerifierProblem>* errors_;
  Namer namer_;
  int error_count_ = 0;
  std::set<const Value*> defined_;  // arguments and result-producing instructions
  std::set<const Block*> blocks_;
  std::map<const Value*, std::pair<const Block*, size_t>> position_;  // instructions
};

}  // namespace

namespace {

void AppendMessages(const std::vector<VerifierProblem>& problems,
                    std::vector<std::string>* errors) {
  if (!errors) return;
  for (const VerifierProblem& problem : problems) errors->push_back(problem.message);
}

}  // namespace

bool VerifyFunction(const Function& function, const Module* module,
                    std::vector<std::string>* errors) {
  std::vector<VerifierProblem> problems;
  bool ok = FunctionVerifier(function, module, &problems).Run();
  AppendMessages(problems, errors);
  return ok;
}

std::vector<VerifierProblem> FindVerifierProblems(const Module& module) {
  std::vector<VerifierProblem> problems;
  std::set<std::string> names;
  for (const auto& function : module.functions()) {
    if (!names.insert(function->name()).second) {
      problems.push_back({function.get(), nullptr, nullptr,
                          "@" + function->name() + ": defined twice"});
    }
    FunctionVerifier(*function, &module, &problems).Run();
  }
  return problems;
}

bool VerifyModule(const Module& module, std::vector<std::string>* errors) {
  std::vector<VerifierProblem> problems = FindVerifierProblems(module);
  AppendMessages(problems, errors);
  return problems.empty();
}

// 1) the reachable blocks; 2) Dom(entry) = {entry}, every other Dom(b) = all reachable
// blocks; 3) recompute Dom(b) = {b} ∪ ⋂ Dom(p) over reachable predecessors p, in block
// order, until nothing changes. The sets only shrink, so this terminates.
std::map<const Block*, std::set<const Block*>> ComputeDominatorSets(const Function& function) {
  std::vector<const Block*> reachable = ReachableBlocks(function);
  std::set<const Block*> all(reachable.begin(), reachable.end());
  std::map<const Block*, std::vector<const Block*>> preds;
  for (const Block* block : reachable) {
    for (const Block* succ : block->successors()) {
      if (all.count(succ)) preds[succ].push_back(block);
    }
  }
  DomSets dom;
  for (const Block* block : reachable) dom[block] = all;
  if (reachable.empty()) return dom;
  dom[reachable.front()] = {reachable.front()};
  for (bool changed = true; changed;) {
    changed = false;
    for (const Block* block : reachable) {
      if (block == reachable.front()) continue;
      std::set<const Block*> next = all;
      for (const Block* pred : preds[block]) {
        std::set<const Block*> meet;
        std::set_intersection(next.begin(), next.end(), dom[pred].begin(), dom[pred].end(),
                              std::inserter(meet, meet.begin()));
        next = std::move(meet);
      }
      next.insert(block);
      if (next != dom[block]) {
        dom[block] = std::move(next);
        changed = true;
      }
    }
  }
  return dom;
}

}  // namespace tessel::ir
