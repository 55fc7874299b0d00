// Schedules (stage 4): a list of primitive applications, in one small text syntax shared by
// `tessel run --schedule FILE`, lab04's tests and lab05's tuning logs.
//
//   # the GEMM of the lab04 handout
//   @matmul:
//     tile i j 32 32 -> io jo ii ji
//     split k 4 -> ko ki; reorder io jo ko ii ki ji
//     vectorize ji
//     parallel io
//
// A line `@kernel:` starts the steps of one kernel; each step is a primitive name, its
// operands (loop names, %buffers, integers) and, after `->`, the names it creates; steps end
// at a newline or ';'; '#' and '//' start comments. The primitives themselves are lab04's
// (t3: loops; t4: producers and consumers); ApplySchedule runs them by name.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/loops/loop_ir.h"

namespace tessel::loops {

/// One primitive application: `split i 32 -> io ii`.
struct Step {
  std::string primitive;              // "split"
  std::vector<std::string> operands;  // loop names, "%buffer" names, integers, as written
  std::vector<std::string> results;   // the names after "->"
  SourceLoc loc;                      // of the primitive's name, for messages
};

struct KernelSchedule {
  std::string kernel;  // without '@'; empty: the module's only kernel
  std::vector<Step> steps;
  SourceLoc loc;
};

struct Schedule {
  std::vector<KernelSchedule> kernels;
};

/// Parses schedule text; each step is checked against its primitive's operand list (the
/// table in schedule_parser.cpp) and errors are reported file:line:col with a caret.
std::optional<Schedule> ParseSchedule(const SourceFile& file, DiagnosticEngine& diags);

/// "split i 32 -> io ii".
std::string FormatStep(const Step& step);
/// The whole schedule as text that ParseSchedule reads back.
std::string FormatSchedule(const Schedule& schedule);

/// What a primitive throws when it does not apply: the message names the primitive, the loop
/// or buffer and the reason ("vectorize: loop k has extent n, not known at compile time").
class ScheduleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Runs one step's primitive on `f` (no verification): what ApplySchedule does per step, and
/// what the default scheduler uses to try a step on a copy. Compiled with lab04.
void ApplyPrimitive(Function& f, const Step& step);

/// Applies each kernel's steps in order to `module` (the verifier runs after every step). A
/// step that does not apply is reported at its location and nothing more is applied; returns
/// whether every step applied. Compiled with lab04 (it calls the primitives).
bool ApplySchedule(Module& module, const Schedule& schedule, const SourceFile& file,
                   DiagnosticEngine& diags);

/// For tests and tools: `text` (steps without a header, `;` or newline separated) applied
/// to kernel `kernel` of `module`. Returns the error text, or "" when every step applied.
std::string ApplyScheduleText(Module& module, const std::string& kernel, const std::string& text);

}  // namespace tessel::loops
