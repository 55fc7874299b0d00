// Inlining (lab03, task t1): InlineCalls of stages/opt/passes.h.
//
// Requires: verified IR; no recursion (Tessel has none: a function may call only functions
//           defined before it, and the prelude).
// Preserves: the entry's results; locations (an inlined op keeps its own, inside the callee).
// Gives: an entry without calls; the functions no longer called are removed.
//
// One call at a time: split the caller's block after the call, copy the callee's blocks in
// between (its arguments mapped to the call's operands), turn each `ret v` into a branch to
// the second half, and replace the call by the returned value (a phi when the callee returns
// from several blocks). lab03_graph_opts/README.md §3.1 draws it.
#include <set>
#include <string>

#include "stages/common/not_implemented.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

// The first call in `function` of a function that is not a kernel (a kernel-form entry keeps
// its kernel calls), or null.
ir::Instr* FirstCall(const ir::Module& module, const ir::Function& function) {
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) {
      if (instr->op() != ir::Op::kCall) continue;
      const ir::Function* callee = module.FindFunction(instr->attrs().callee);
      if (callee != nullptr && !callee->kernel()) return instr.get();
    }
  }
  return nullptr;
}

// Replaces `call` by a copy of its callee's body.
void InlineCall(ir::Module& module, ir::Function& caller, ir::Instr* call) {
  // BEGIN SOLUTION lab03.t1: split the block at the call, copy the callee in, join its returns
  const ir::Function* callee = module.FindFunction(call->attrs().callee);
  ir::Block* block = call->parent();
  // 1) The second half of the block: everything after the call.
  ir::Block* after = caller.AddBlockAfter(block, block->label() + "." + callee->name() + ".ret");
  size_t at = PositionOf(*call);
  while (block->instrs().size() > at + 1) {
    after->Append(block->Remove(block->instrs()[at + 1].get()));
  }
  // Phis of the successors now come from `after`, not from `block`.
  for (ir::Block* succ : after->successors()) {
    for (const auto& instr : succ->instrs()) {
      if (instr->op() != ir::Op::kPhi) continue;
      for (ir::Block*& incoming : instr->blocks()) {
        if (incoming == block) incoming = after;
      }
    }
  }
  // 2) Copies of the callee's blocks, placed between the halves.
  CloneMap map;
  for (size_t i = 0; i < callee->args().size(); ++i) {
    map.values[callee->args()[i].get()] = call->operand(i);
  }
  const ir::Block* previous = block;
  for (const auto& callee_block : callee->blocks()) {
    ir::Block* copy = caller.AddBlockAfter(previous, callee->name() + "." + callee_block->label());
    map.blocks[callee_block.get()] = copy;
    previous = copy;
  }
  // 3) Copy the instructions; a phi may use a value defined later, so fix operands after.
  std::vector<std::pair<ir::Value*, ir::Block*>> returns;
  for (const auto& callee_block : callee->blocks()) {
    ir::Block* copy = map.blocks.at(callee_block.get());
    for (const auto& instr : callee_block->instrs()) {
      if (instr->op() == ir::Op::kRet) {
        returns.push_back({instr->operand(0), copy});
        auto br = std::make_unique<ir::Instr>(ir::Op::kBr, std::vector<ir::Value*>{}, ir::Type{});
        br->blocks().push_back(after);
        br->set_loc(instr->loc());
        copy->Append(std::move(br));
        continue;
      }
      map.values[instr.get()] = copy->Append(CloneInstr(*instr, map));
    }
  }
  for (const auto& callee_block : callee->blocks()) {
    for (const auto& instr : map.blocks.at(callee_block.get())->instrs()) {
      for (size_t i = 0; i < instr->operands().size(); ++i) {
        instr->set_operand(i, map.Of(instr->operand(i)));
      }
    }
  }
  // 4) The call's value: the one returned value, or a phi joining them.
  ir::Value* result = nullptr;
  if (returns.size() == 1) {
    result = map.Of(returns[0].first);
  } else {
    auto phi = std::make_unique<ir::Instr>(ir::Op::kPhi, std::vector<ir::Value*>{}, call->type(),
                                           call->name());
    for (auto& [value, from] : returns) {
      phi->add_operand(map.Of(value));
      phi->blocks().push_back(from);
    }
    phi->set_loc(call->loc());
    result = after->Insert(0, std::move(phi));
  }
  caller.ReplaceAllUses(call, result);
  auto br = std::make_unique<ir::Instr>(ir::Op::kBr, std::vector<ir::Value*>{}, ir::Type{});
  br->blocks().push_back(map.blocks.at(callee->entry()));
  br->set_loc(call->loc());
  block->Erase(call);
  block->Append(std::move(br));
  // END SOLUTION
}

// The functions `root` calls, directly or not, and root itself.
std::set<std::string> Reachable(const ir::Module& module, const std::string& root) {
  std::set<std::string> seen{root};
  std::vector<std::string> work{root};
  while (!work.empty()) {
    const ir::Function* function = module.FindFunction(work.back());
    work.pop_back();
    if (function == nullptr) continue;
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        if (instr->op() == ir::Op::kCall && seen.insert(instr->attrs().callee).second) {
          work.push_back(instr->attrs().callee);
        }
      }
    }
  }
  return seen;
}

}  // namespace

void InlineCalls(ir::Module& module, PassContext& context) {
  ir::Function* entry = module.FindFunction(context.entry);
  if (entry == nullptr) return;
  while (ir::Instr* call = FirstCall(module, *entry)) {
    InlineCall(module, *entry, call);
    context.stats.Add("calls inlined");
  }
  // Kernels stay: they are what a kernel-form entry calls.
  std::set<std::string> keep = Reachable(module, context.entry);
  std::vector<std::string> dead;
  for (const auto& function : module.functions()) {
    if (!keep.count(function->name())) dead.push_back(function->name());
  }
  for (const std::string& name : dead) {
    module.RemoveFunction(name);
    context.stats.Add("functions removed");
  }
}

}  // namespace tessel::opt
