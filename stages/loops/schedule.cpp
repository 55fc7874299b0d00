// Printing schedules (schedule.h).
#include "stages/loops/schedule.h"

namespace tessel::loops {

std::string FormatStep(const Step& step) {
  std::string out = step.primitive;
  for (const std::string& operand : step.operands) out += " " + operand;
  if (!step.results.empty()) {
    out += " ->";
    for (const std::string& result : step.results) out += " " + result;
  }
  return out;
}

std::string FormatSchedule(const Schedule& schedule) {
  std::string out;
  for (const KernelSchedule& kernel : schedule.kernels) {
    if (!kernel.kernel.empty()) out += "@" + kernel.kernel + ":\n";
    for (const Step& step : kernel.steps) out += "  " + FormatStep(step) + "\n";
  }
  return out;
}

}  // namespace tessel::loops
