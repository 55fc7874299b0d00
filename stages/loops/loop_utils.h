// Finding and replacing loops: what every schedule primitive needs before it can do its
// own work (stage 4 backbone, given to lab04).
#pragma once

#include <string>
#include <vector>

#include "stages/loops/arith.h"
#include "stages/loops/loop_ir.h"
#include "stages/loops/schedule.h"

namespace tessel::loops {

/// The loop whose variable is `var` in `root`, or null.
const Stmt* FindLoop(const StmtPtr& root, const std::string& var);
/// The statement of `root` that is `target` (by identity), as the pointer that owns it.
StmtPtr FindStmt(const StmtPtr& root, const Stmt* target);
/// The loops around `target` in `root`, outermost first (not `target` itself).
std::vector<const Stmt*> EnclosingLoops(const StmtPtr& root, const Stmt* target);
/// What the variables of `loops` range over: [0, extent - 1] as far as the bounds say.
VarRanges RangesOf(const std::vector<const Stmt*>& loops);
/// `root` with `target` (by identity) replaced by `replacement`.
StmtPtr ReplaceStmt(const StmtPtr& root, const Stmt* target, const StmtPtr& replacement);
/// The statements of a body: a sequence's, or the one statement.
std::vector<StmtPtr> Statements(const StmtPtr& body);
/// The one loop a loop's body consists of (perfect nesting), or null.
const Stmt* OnlyLoopInside(const Stmt& loop);
/// Whether `e` or `s` reads variable `var`.
bool UsesVar(const ExprPtr& e, const std::string& var);
bool UsesVar(const StmtPtr& s, const std::string& var);
/// Whether `s` reads or writes buffer `buffer` (by name).
bool UsesBuffer(const StmtPtr& s, const std::string& buffer);
/// Whether `e` (null: no), or any expression of `s` and its sub-statements, loads `buffer`.
bool ReadsBuffer(const ExprPtr& e, const std::string& buffer);
bool ReadsBuffer(const StmtPtr& s, const std::string& buffer);
/// Whether statement `s` itself (its value, subscripts, extent or condition; not its body)
/// loads `buffer`.
bool ReadsBufferDirectly(const Stmt& s, const std::string& buffer);

/// The loop `var` of `f`, or ScheduleError "PRIMITIVE: no loop 'var' in @f (its loops: ...)".
const Stmt& LoopNamed(const Function& f, const std::string& primitive, const std::string& var);
/// ScheduleError "PRIMITIVE: 'name' is already a name in @f" unless `name` is free in `f`.
void CheckFreshName(const Function& f, const std::string& primitive, const std::string& name);
/// The buffer `%name` (or `name`) allocated in `f`'s body, or ScheduleError.
BufferPtr AllocatedBuffer(const Function& f, const std::string& primitive, const std::string& name);
/// The names of `f`'s loops, outermost first, for messages: "i, j, k".
std::string LoopList(const Function& f);

}  // namespace tessel::loops
