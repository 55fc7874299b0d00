// Stage 2 from start to end: names (t1), types and ranges (given walker over
// t2 and t3), lowering (t5, with t4's SSA builder), then the verifier.
#include "stages/sema/compile.h"

#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"
#include "stages/sema/check_names.h"
#include "stages/sema/check_recursion.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/lower.h"
#include "stages/sema/predefined.h"

namespace tessel::sema {

std::unique_ptr<ir::Module> CompileModule(const SourceModule& user, const SourceModule& prelude,
                                          const EntryRequest& request, DiagnosticEngine& diags) {
  if (!CheckNoPredefinedNameIsDeclared(*user.file, *user.module, diags)) return nullptr;
  std::map<std::string, ConstValue> constants = EvaluateConstants(*user.file, *user.module, diags);
  if (!CheckNames(*user.file, *user.module, *prelude.module, diags) || diags.has_errors()) {
    return nullptr;
  }
  if (!CheckNoRecursion(*user.file, *user.module, diags)) return nullptr;
  std::optional<TypedProgram> program = TypeCheck(user, prelude, constants, request, diags);
  if (!program) return nullptr;
  std::unique_ptr<ir::Module> module = LowerProgram(*program, &diags);
  // The lowering's output must verify: a failure here is a bug in the
  // lowering (the learner's, in lab02 t5), reported with the IR that failed.
  std::vector<std::string> errors;
  if (!ir::VerifyModule(*module, &errors)) {
    std::string text = "the IR lowered from " + user.file->name() +
                       " does not verify (a bug in the lowering, lab02 t5):";
    for (const std::string& error : errors) text += "\n  " + error;
    text += "\n" + ir::PrintModule(*module);
    diags.Error(text);
    return nullptr;
  }
  return module;
}

}  // namespace tessel::sema
