// Constant folding (lab03, task t2): FoldConstants of stages/opt/passes.h.
//
// Requires: verified IR.
// Preserves: results, bit for bit: a folded value is what the interpreter computes at run
//            time (EvaluateInstr is the interpreter's own kernel), so folding never changes
//            rounding. An op that fails at run time (an integer division by zero) is left to
//            fail there.
// Gives: no op (other than phi, call and the terminators) whose operands are all constants
//        and whose result has at most context.max_folded_elements elements.
//
// Why a limit: folding broadcast(0.0) to f32[1024, 1024] would replace one instruction by
// four megabytes of constant that the program then has to read from memory, where computing
// it is free; the IR text, the kernels and every later pass would carry it too. Small results
// (shapes, scalars, masks) are worth folding because they enable more folding downstream.
// lab03_graph_opts/README.md §3.2.
#include <algorithm>

#include "stages/common/not_implemented.h"
#include "stages/ir/interpreter.h"
#include "stages/opt/passes.h"
#include "stages/opt/rewrite.h"

namespace tessel::opt {

namespace {

// True for ops that compute a value from their operands alone.
bool Foldable(const ir::Instr& instr) {
  return instr.op() != ir::Op::kConstant && instr.op() != ir::Op::kCall &&
         instr.op() != ir::Op::kPhi && !ir::IsTerminator(instr.op());
}

}  // namespace

void FoldConstants(ir::Module& module, PassContext& context) {
  // BEGIN SOLUTION lab03.t2: evaluate each op whose operands are all constants, within the limit
  for (const auto& function : module.functions()) {
    for (const auto& block : function->blocks()) {
      for (size_t i = 0; i < block->instrs().size(); ++i) {
        ir::Instr* instr = block->instrs()[i].get();
        if (!Foldable(*instr)) continue;
        std::vector<const Tensor*> operands;
        for (ir::Value* operand : instr->operands()) operands.push_back(ConstantOf(operand));
        if (std::find(operands.begin(), operands.end(), nullptr) != operands.end()) continue;
        if (NumElements(instr->type().shape) > context.max_folded_elements) {
          context.stats.Add("too large to fold");
          continue;
        }
        std::string error;
        std::optional<Tensor> value = ir::EvaluateInstr(*instr, operands, &error);
        if (!value) continue;  // a run-time error: keep it for run time
        ir::Instr* constant =
            block->Insert(i, MakeConstant(std::move(*value), instr->loc(), instr->name()));
        ReplaceAndErase(instr, constant);
        context.stats.Add("constants folded");
      }
    }
  }
  // END SOLUTION
}

}  // namespace tessel::opt
