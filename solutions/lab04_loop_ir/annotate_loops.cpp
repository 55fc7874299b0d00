// Loop primitives that change how iterations run, not which (lab04, task t3): Unroll,
// Vectorize, Parallel and Bind of stages/loops/primitives.h.
//
// They only set a loop's kind, but each kind promises something the back end relies on:
// unrolled and vectorized loops have a constant trip count; parallel and vectorized
// iterations run at the same time, so none may depend on another (a reduction's update of
// one element is such a dependence: its iterations must not race). lab04_loop_ir/README.md §3.3.
#include "stages/common/not_implemented.h"
#include "stages/loops/loop_utils.h"
#include "stages/loops/mutator.h"
#include "stages/loops/printer.h"
#include "stages/loops/primitives.h"

namespace tessel::loops {

namespace {

// BEGIN SOLUTION lab04.t3: the kind, once the loop is known to allow it
const Stmt& SerialLoop(const Function& f, const std::string& primitive, const std::string& var) {
  const Stmt& loop = LoopNamed(f, primitive, var);
  if (loop.for_kind != ForKind::kSerial) {
    throw ScheduleError(primitive + ": loop " + var + " is already " +
                        std::string(ForKindName(loop.for_kind)));
  }
  return loop;
}

void CheckConstantExtent(const Stmt& loop, const std::string& primitive) {
  if (!AsInt(loop.extent)) {
    throw ScheduleError(primitive + ": loop " + loop.var + " has extent " + PrintExpr(loop.extent) +
                        ", not known at compile time");
  }
}

// Iterations of `loop` may run at the same time only if no dependence crosses them.
void CheckCarriesNothing(const Stmt& loop, const std::string& primitive) {
  for (const Dependence& dep : ComputeDependences({&loop})) {
    if (dep.directions[0] == '=') continue;
    if (dep.reduction) {
      throw ScheduleError(primitive + ": loop " + loop.var + " carries the reduction into %" + dep.buffer);
    }
    throw ScheduleError(primitive + ": loop " + loop.var + " carries a dependence on %" + dep.buffer);
  }
}

void CheckNoParallelAround(const Function& f, const Stmt& loop, const std::string& primitive) {
  for (const Stmt* outer : EnclosingLoops(f.body, &loop)) {
    if (outer->for_kind == ForKind::kParallel) {
      throw ScheduleError(primitive + ": loop " + loop.var + " is inside parallel loop " + outer->var);
    }
  }
}

void SetKind(Function& f, const Stmt& loop, ForKind kind) {
  f.body = ReplaceStmt(f.body, &loop, For(loop.var, loop.extent, loop.body, kind));
}
// SKELETON
// // Helpers of your own (the checks the annotations share) go here.
// END SOLUTION

}  // namespace

void Unroll(Function& f, const std::string& loop) {
  // BEGIN SOLUTION lab04.t3: unroll: a constant trip count
  const Stmt& l = SerialLoop(f, "unroll", loop);
  CheckConstantExtent(l, "unroll");
  SetKind(f, l, ForKind::kUnrolled);
  // END SOLUTION
}

void Vectorize(Function& f, const std::string& loop) {
  // BEGIN SOLUTION lab04.t3: vectorize: constant, innermost, independent iterations
  const Stmt& l = SerialLoop(f, "vectorize", loop);
  CheckConstantExtent(l, "vectorize");
  ForEachStmt(l.body, [&](const Stmt& s) {
    if (s.kind == Stmt::Kind::kFor) {
      throw ScheduleError("vectorize: loop " + loop + " contains loop " + s.var +
                          "; vectorize an innermost loop");
    }
    if (s.kind == Stmt::Kind::kAllocate) {
      throw ScheduleError("vectorize: loop " + loop + " allocates %" + s.buffer->name);
    }
  });
  CheckCarriesNothing(l, "vectorize");
  SetKind(f, l, ForKind::kVectorized);
  // END SOLUTION
}

void Parallel(Function& f, const std::string& loop) {
  // BEGIN SOLUTION lab04.t3: parallel: independent iterations, not inside another parallel loop
  const Stmt& l = SerialLoop(f, "parallel", loop);
  CheckNoParallelAround(f, l, "parallel");
  CheckCarriesNothing(l, "parallel");
  SetKind(f, l, ForKind::kParallel);
  // END SOLUTION
}

void Bind(Function& f, const std::string& loop, ForKind kind) {
  // BEGIN SOLUTION lab04.t3: bind: a GPU axis is a parallel loop
  if (kind == ForKind::kSerial || kind == ForKind::kVectorized || kind == ForKind::kUnrolled) {
    throw ScheduleError("bind: " + std::string(ForKindName(kind)) +
                        " is not a parallel kind (gpu.block.x, ..., gpu.thread.z, parallel)");
  }
  const Stmt& l = SerialLoop(f, "bind", loop);
  CheckCarriesNothing(l, "bind");
  SetKind(f, l, kind);
  // END SOLUTION
}

}  // namespace tessel::loops
