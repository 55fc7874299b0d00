// Dead code elimination (lab03, task t3): EliminateDeadCode of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results; control flow (blocks and branches are simplify-cfg's business).
// Gives: every remaining instruction is a terminator or (transitively) used by one.
//
// Mark and sweep, not "erase what has no users": two phis that only use each other (a loop
// variable nothing reads after the loop) both have a user, yet neither is needed. Marking
// from the terminators finds exactly the live values; everything unmarked goes, cycles
// included. lab03_graph_opts/README.md §3.3.
#include <unordered_set>

#include "stages/common/not_implemented.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

void EliminateDeadCode(ir::Module& module, PassContext& context) {
  for (const auto& function : module.functions()) {
    // BEGIN SOLUTION lab03.t3: mark from the terminators, then sweep what is unmarked
    std::unordered_set<const ir::Instr*> live;
    std::vector<const ir::Instr*> work;
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        if (ir::IsTerminator(instr->op()) && live.insert(instr.get()).second) {
          work.push_back(instr.get());
        }
      }
    }
    while (!work.empty()) {
      const ir::Instr* instr = work.back();
      work.pop_back();
      for (const ir::Value* operand : instr->operands()) {
        if (operand->kind() != ir::Value::Kind::kInstr) continue;
        const auto* producer = static_cast<const ir::Instr*>(operand);
        if (live.insert(producer).second) work.push_back(producer);
      }
    }
    // Sweep: the dead may use each other, so drop their operands' uses first.
    std::vector<ir::Instr*> dead;
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        if (!live.count(instr.get())) dead.push_back(instr.get());
      }
    }
    for (ir::Instr* instr : dead) {
      while (!instr->operands().empty()) instr->erase_operand(instr->operands().size() - 1);
    }
    for (ir::Instr* instr : dead) instr->parent()->Erase(instr);
    context.stats.Add("ops removed", static_cast<int64_t>(dead.size()));
    // END SOLUTION
  }
}

}  // namespace tessel::opt
