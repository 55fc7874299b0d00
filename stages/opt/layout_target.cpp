#include "stages/opt/passes.h"

namespace tessel::opt {

LayoutTarget CpuLayoutTarget() { return {.conv_layout = {0, 2, 3, 1}}; }

}  // namespace tessel::opt
