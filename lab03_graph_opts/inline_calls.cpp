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
  // TODO(lab03.t1): split the block at the call, copy the callee in, join its returns
  TESSEL_UNIMPLEMENTED("lab03.t1",
                       "split the block at the call, copy the callee in, join its returns",
                       "lab03_graph_opts/README.md §3.1");
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
