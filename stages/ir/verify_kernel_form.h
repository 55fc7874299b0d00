// The verifier's checks of the kernel form (docs/ir.md §14), called by the FunctionVerifier of
// verifier.cpp for every function. Internal to stages/ir.
#pragma once

#include <functional>
#include <string>

#include "stages/ir/ir.h"

namespace tessel::ir {

/// Reports a problem at a block and instruction (either may be null), as the verifier words it.
using KernelFormReport = std::function<void(const Block*, const Instr*, const std::string&)>;

/// A kernel is one block of primitive ops and comprehensions ending in `ret`: no call, phi or
/// branch, and its anchor op among them. Placed results (place(buffer, offset)) need a
/// straight-line function, and two results whose bytes overlap in one buffer must not be live at
/// the same time (a result may take the bytes of a value whose last use is its own definition:
/// in-place reuse).
void CheckKernelForm(const Function& function, const KernelFormReport& report);

}  // namespace tessel::ir
