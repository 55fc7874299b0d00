// Walking and rewriting loop IR (Halide's IRVisitor and IRMutator).
//
// A Visitor walks every node in order, children after their parent's visit hook decides to
// recurse. A Mutator returns a rewritten tree, rebuilding a node only when one of its
// children changed, so an untouched subtree is shared, not copied, and `Mutate(x) == x`
// (pointer equality) says that nothing changed. Override the hook of the node kinds a pass
// cares about and call the base hook to recurse.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

class Visitor {
 public:
  virtual ~Visitor() = default;
  void Visit(const ExprPtr& e);  // null: nothing
  void Visit(const StmtPtr& s);

 protected:
  // Each hook's default visits the node's children.
  virtual void VisitConst(const Expr&) {}
  virtual void VisitVar(const Expr&) {}
  virtual void VisitLoad(const Expr& e);
  virtual void VisitApply(const Expr& e);
  virtual void VisitFor(const Stmt& s);
  virtual void VisitLet(const Stmt& s);
  virtual void VisitIf(const Stmt& s);
  virtual void VisitStore(const Stmt& s);
  virtual void VisitAllocate(const Stmt&) {}
  virtual void VisitView(const Stmt&) {}
  virtual void VisitCall(const Stmt&) {}
  virtual void VisitSeq(const Stmt& s);
};

class Mutator {
 public:
  virtual ~Mutator() = default;
  ExprPtr Mutate(const ExprPtr& e);  // null stays null
  StmtPtr Mutate(const StmtPtr& s);

 protected:
  /// Every buffer a node names passes through here (loads, stores, allocations, views,
  /// calls): override it to replace one buffer by another everywhere.
  virtual BufferPtr MutateBuffer(const BufferPtr& buffer) { return buffer; }

  virtual ExprPtr VisitConst(const ExprPtr& e) { return e; }
  virtual ExprPtr VisitVar(const ExprPtr& e) { return e; }
  virtual ExprPtr VisitLoad(const ExprPtr& e);
  virtual ExprPtr VisitApply(const ExprPtr& e);
  virtual StmtPtr VisitFor(const StmtPtr& s);
  virtual StmtPtr VisitLet(const StmtPtr& s);
  virtual StmtPtr VisitIf(const StmtPtr& s);
  virtual StmtPtr VisitStore(const StmtPtr& s);
  virtual StmtPtr VisitAllocate(const StmtPtr& s);
  virtual StmtPtr VisitView(const StmtPtr& s);
  virtual StmtPtr VisitCall(const StmtPtr& s);
  virtual StmtPtr VisitSeq(const StmtPtr& s);

  /// Mutates each of `exprs`; sets *changed when any of them changed.
  std::vector<ExprPtr> MutateAll(const std::vector<ExprPtr>& exprs, bool* changed);
};

/// `e` with every variable named in `values` replaced by its expression.
ExprPtr Substitute(const ExprPtr& e, const std::map<std::string, ExprPtr>& values);
StmtPtr Substitute(const StmtPtr& s, const std::map<std::string, ExprPtr>& values);

/// Calls `f` on every statement of `s`, parents before children.
void ForEachStmt(const StmtPtr& s, const std::function<void(const Stmt&)>& f);
/// Calls `f` on every expression node of `s` (and of its sub-statements), parents first.
void ForEachExpr(const StmtPtr& s, const std::function<void(const Expr&)>& f);
void ForEachExpr(const ExprPtr& e, const std::function<void(const Expr&)>& f);

}  // namespace tessel::loops
