// A loop of one iteration around a loop (primitives.h, given): something to hang a copy on
// that should be made once per call, before the loop, such as a GEMM's packed A, which
// cache_read can only place at the start of a loop's body. Halide calls that level the root.
//
//   for jo in 0..64 { ... }      ->     for once in 0..1 { for jo in 0..64 { ... } }
#include "stages/loops/loop_utils.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

void Enclose(Function& f, const std::string& loop, const std::string& outer) {
  const Stmt& l = LoopNamed(f, "enclose", loop);
  CheckFreshName(f, "enclose", outer);
  f.body = ReplaceStmt(f.body, &l, For(outer, Int(1), std::make_shared<const Stmt>(l)));
}

}  // namespace tessel::loops
