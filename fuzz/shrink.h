// Shrinking a failing program to a small one that still fails (delta debugging on the program
// model, after Zeller's ddmin and C-Reduce): drop a result term, a statement, a helper, a
// parameter or a flag; replace a statement by a simpler one of the same type; unwrap a branch;
// run a loop once. An edit is kept when the program still fails the same way; the compiler is
// the judge of whether the edited program is well formed, since an ill-formed one does not fail
// "the same way". Repeats until no edit is kept.
#pragma once

#include <functional>

#include "fuzz/program.h"

namespace tessel::fuzz {

/// True when `program` still shows the failure being shrunk.
using StillFails = std::function<bool(const Program& program)>;

/// The smallest program reached from `program` by kept edits; `tries` counts the predicate calls.
Program Shrink(Program program, const StillFails& still_fails, int* tries = nullptr);

}  // namespace tessel::fuzz
