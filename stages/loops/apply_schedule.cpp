// Applying a schedule (schedule.h): each step by name to its lab04 primitive, the verifier
// after each. Compiled with lab04 (a STAGE_SOURCE): it calls the learner's primitives.
#include <sstream>

#include "stages/loops/primitives.h"
#include "stages/loops/schedule.h"
#include "stages/loops/verifier.h"

namespace tessel::loops {

namespace {

int64_t Count(const std::string& text) { return std::stoll(text); }

std::string Bare(const std::string& name) { return name[0] == '%' ? name.substr(1) : name; }

}  // namespace

void ApplyPrimitive(Function& f, const Step& step) {
  const std::vector<std::string>& o = step.operands;
  const std::vector<std::string>& r = step.results;
  const std::string& p = step.primitive;
  if (p == "split") return Split(f, o[0], Count(o[1]), r[0], r[1]);
  if (p == "tile") {
    Split(f, o[0], Count(o[2]), r[0], r[2]);
    Split(f, o[1], Count(o[3]), r[1], r[3]);
    return Reorder(f, {r[0], r[1], r[2], r[3]});
  }
  if (p == "peel") return Peel(f, o[0]);
  if (p == "split_storage") return SplitStorage(f, Bare(o[0]), Count(o[1]), Count(o[2]));
  if (p == "enclose") return Enclose(f, o[0], r[0]);
  if (p == "reorder_storage") {
    std::vector<int64_t> order;
    for (size_t i = 1; i < o.size(); ++i) order.push_back(Count(o[i]));
    return ReorderStorage(f, Bare(o[0]), order);
  }
  if (p == "fuse") return Fuse(f, o[0], o[1], r[0]);
  if (p == "reorder") return Reorder(f, o);
  if (p == "distribute") return Distribute(f, o[0]);
  if (p == "unroll") return Unroll(f, o[0]);
  if (p == "vectorize") return Vectorize(f, o[0]);
  if (p == "parallel") return Parallel(f, o[0]);
  if (p == "bind") return Bind(f, o[0], *ParseForKind(o[1]));
  if (p == "compute_inline") return ComputeInline(f, Bare(o[0]));
  if (p == "compute_at") return ComputeAt(f, Bare(o[0]), o[1]);
  if (p == "cache_read") return CacheRead(f, Bare(o[0]), o[1], Bare(r[0]));
  if (p == "cache_write") return CacheWrite(f, Bare(o[0]), o[1], Bare(r[0]));
  throw ScheduleError("no primitive '" + p + "'");
}

namespace {

// One step, then the verifier: loop IR it refuses is a bug in the primitive, named as such.
void ApplyStep(Module& module, Function& f, const Step& step) {
  Function before = f;
  ApplyPrimitive(f, step);
  std::vector<std::string> problems = VerifyFunction(module, f);
  if (!problems.empty()) {
    f = before;
    throw ScheduleError("bug in " + step.primitive + " (lab04): it gave loop IR the verifier refuses: " +
                        problems.front());
  }
}

Function* KernelFor(Module& module, const KernelSchedule& schedule, std::string* error) {
  if (!schedule.kernel.empty()) {
    Function* f = module.FindFunction(schedule.kernel);
    if (f && f->is_kernel) return f;
    *error = "no kernel @" + schedule.kernel + " to schedule (the kernels:";
    for (const Function& g : module.functions) {
      if (g.is_kernel) *error += " @" + g.name;
    }
    *error += ")";
    return nullptr;
  }
  Function* only = nullptr;
  int kernels = 0;
  for (Function& g : module.functions) {
    if (g.is_kernel) only = &g, ++kernels;
  }
  if (kernels == 1) return only;
  *error = "these steps name no kernel, and the module has " + std::to_string(kernels) +
           " (start them with a line @kernel:)";
  return nullptr;
}

}  // namespace

bool ApplySchedule(Module& module, const Schedule& schedule, const SourceFile& file,
                   DiagnosticEngine& diags) {
  for (const KernelSchedule& kernel : schedule.kernels) {
    std::string error;
    Function* f = KernelFor(module, kernel, &error);
    if (!f) {
      diags.Error(file, kernel.loc, error);
      return false;
    }
    for (const Step& step : kernel.steps) {
      try {
        ApplyStep(module, *f, step);
      } catch (const ScheduleError& e) {
        diags.Error(file, step.loc, e.what());
        return false;
      }
    }
  }
  return true;
}

std::string ApplyScheduleText(Module& module, const std::string& kernel, const std::string& text) {
  SourceFile file("<schedule>", text);
  DiagnosticEngine diags;
  std::optional<Schedule> schedule = ParseSchedule(file, diags);
  if (schedule) {
    for (KernelSchedule& k : schedule->kernels) {
      if (k.kernel.empty()) k.kernel = kernel;
    }
    ApplySchedule(module, *schedule, file, diags);
  }
  std::ostringstream out;
  diags.Print(out);
  return out.str();
}

}  // namespace tessel::loops
