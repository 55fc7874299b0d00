// Semantic analysis of names (lab02, task t1): the functions of
// stages/sema/check_names.h.
//
// Pipeline: runs on the parsed module (lab01) before anything else of stage 2.
// CheckNames walks every function once with a stack of scopes and reports the
// name errors of docs/language.md §4.3 and §4.6-§4.7, using the scopes of
// stages/sema/scopes.h. Calls bind their arguments with BindArguments
// (bind_arguments.cpp), which the type checker calls again when it specializes
// calls. The constants are evaluated in evaluate_constants.cpp. Nothing here looks at
// types or shapes: that is task t2.
//
// Two choices the header leaves open:
//  - A call to a name the prelude defines several times is accepted if any
//    definition binds its arguments; if none does, the error is the one
//    BindArguments gives for the definition with the most parameters (the
//    first such), whose parameter list is the most complete.
//  - The prelude defines names several times on purpose. To check the prelude
//    itself, pass it as both `module` and `prelude`: then duplicate function
//    names are not reported, and calls pick among its definitions as above.
#include "stages/sema/check_names.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/common/not_implemented.h"
#include "stages/sema/evaluate_constants.h"
#include "stages/sema/expr_walk.h"
#include "stages/sema/scopes.h"

namespace tessel::sema {

namespace {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

// ------------------------------------------------------------ AST helpers

// Every definition of function `name` in `module`, in source order.
std::vector<const ast::FnItem*> FindFunctions(const ast::Module& module, const std::string& name) {
  std::vector<const ast::FnItem*> found;
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind == ast::ItemKind::kFn && item->name == name)
      found.push_back(&item->As<ast::FnItem>());
  }
  return found;
}

// ------------------------------------------------------------ the checker

// Checks the functions of one module: a walk over each body with a stack of
// scopes, then the return paths.
class NameChecker {
 public:
  NameChecker(const SourceFile& file, const ast::Module& module, const ast::Module& prelude,
              DiagnosticEngine& diags);

  // "redefinition of function 'f'" for every function defined twice.
  void CheckFunctionsAreUnique();
  void CheckFunction(const ast::FnItem& fn);

 private:
  void Error(SourceRange range, std::string message) {
    diags_.Error(file_, range, std::move(message));
  }
  bool IsNew(const std::string& name, SourceRange range);
  void Declare(const std::string& name, SourceRange range, SymbolKind kind) {
    if (IsNew(name, range)) scopes_.Insert(name, {kind, range});
  }

  // Signatures and types.
  void DeclareSignature(const ast::FnItem& fn);
  bool IsShapeName(const std::string& name) const;
  void CheckShapeNames(const ast::Expr& dim);

  // Statements; CheckBlock gives the block a scope of its own.
  void CheckBlock(const ast::Block& block);
  void CheckStmt(const ast::Stmt& stmt);
  void CheckBinding(const ast::BindingStmt& binding);
  void CheckAssign(const ast::AssignStmt& assign);
  void CheckComprehension(const ast::ComprehensionStmt& stmt);
  void CheckFor(const ast::ForStmt& loop);
  bool CheckReturnPaths(const ast::Block& block);

  // Expressions.
  void CheckExpr(const ast::Expr& expr);
  void CheckCall(const ast::CallExpr& call);

  const SourceFile& file_;
  const ast::Module& module_;
  const ast::Module& prelude_;
  DiagnosticEngine& diags_;
  Scopes scopes_;
  std::set<std::string> scalar_params_;  // of the function being checked
};

NameChecker::NameChecker(const SourceFile& file, const ast::Module& module,
                         const ast::Module& prelude, DiagnosticEngine& diags)
    : file_(file), module_(module), prelude_(prelude), diags_(diags) {
  // Constants are visible everywhere, in any order. EvaluateConstants reports
  // a constant defined twice; here the first definition counts.
  scopes_.Push();
  scopes_.Insert("inf", {SymbolKind::kConstant, SourceRange{}});  // predefined.h
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind == ast::ItemKind::kConst && !scopes_.Lookup(item->name)) {
      scopes_.Insert(item->name, {SymbolKind::kConstant, item->name_range});
    }
  }
}

void NameChecker::CheckFunctionsAreUnique() {
  if (&module_ == &prelude_) return;  // the prelude defines names several times on purpose
  std::map<std::string, const ast::Item*> first;
  for (const ast::ItemPtr& item : module_.items) {
    if (item->kind != ast::ItemKind::kFn) continue;
    auto [it, inserted] = first.emplace(item->name, item.get());
    if (inserted) continue;
    Error(item->name_range, "redefinition of function " + Quote(item->name));
    diags_.Note(file_, it->second->name_range.begin, "previous definition is here");
  }
}

void NameChecker::CheckFunction(const ast::FnItem& fn) {
  scopes_.Push();
  DeclareSignature(fn);
  CheckBlock(*fn.body);
  scopes_.Pop();
  if (diags_.ShouldStop()) return;
  if (!CheckReturnPaths(*fn.body)) {
    Error(fn.name_range, "function " + Quote(fn.name) + " does not return a value on every path");
  }
}

// True when `name` may be declared here. Tessel has no shadowing: a name that
// is already visible, in this scope or any enclosing one, is a redefinition.
bool NameChecker::IsNew(const std::string& name, SourceRange range) {
  // BEGIN SOLUTION lab02.t1: report a visible name as a redefinition, with a note; else true
  const Symbol* previous = scopes_.Lookup(name);
  if (previous == nullptr) return true;
  Error(range, "redefinition of " + Quote(name));
  diags_.Note(file_, previous->range.begin, "previous definition is here");
  return false;
  // END SOLUTION
}

// ------------------------------------------------------------ signatures

// Whether `name` may appear in a type: a constant, a shape variable or a
// scalar parameter of the function being checked (declared before or after).
bool NameChecker::IsShapeName(const std::string& name) const {
  if (scalar_params_.count(name) > 0) return true;
  const Symbol* symbol = scopes_.Lookup(name);
  return symbol != nullptr &&
         (symbol->kind == SymbolKind::kConstant || symbol->kind == SymbolKind::kShapeVariable);
}

// Reports every name in the dimension `dim` that may not appear in a type.
void NameChecker::CheckShapeNames(const ast::Expr& dim) {
  ForEachName(dim, false, [&](const ast::NameExpr& name, bool) {
    if (!IsShapeName(name.name))
      Error(name.range, "undefined name " + Quote(name.name) + " in type");
  });
}

// Declares the parameters and shape variables of `fn` in the current scope
// and checks the names in its types.
void NameChecker::DeclareSignature(const ast::FnItem& fn) {
  scalar_params_.clear();
  for (const ast::Param& param : fn.params) {
    if (param.type.dims.empty()) scalar_params_.insert(param.name);
  }
  // Each parameter, then each new bare-name dimension of its type (a shape variable); then the
  // names of arithmetic dimensions and of the result type.
  // BEGIN SOLUTION lab02.t1: declare parameters and shape variables; check the names in types
  for (const ast::Param& param : fn.params) {
    Declare(param.name, param.name_range, SymbolKind::kParameter);
    for (const ast::ExprPtr& dim : param.type.dims) {
      if (dim->kind != ast::ExprKind::kName) continue;
      const ast::NameExpr& name = dim->As<ast::NameExpr>();
      // A constant, a scalar parameter or a shape variable met before: a use.
      if (!IsShapeName(name.name)) Declare(name.name, name.range, SymbolKind::kShapeVariable);
    }
  }
  // `H - R + 1` binds nothing, so its names may come from any parameter.
  for (const ast::Param& param : fn.params) {
    for (const ast::ExprPtr& dim : param.type.dims) {
      if (dim->kind != ast::ExprKind::kName) CheckShapeNames(*dim);
    }
  }
  for (const ast::ExprPtr& dim : fn.result.dims) CheckShapeNames(*dim);
  // END SOLUTION
}

// ------------------------------------------------------------ statements

void NameChecker::CheckBlock(const ast::Block& block) {
  scopes_.Push();
  for (const ast::StmtPtr& stmt : block.stmts) {
    if (diags_.ShouldStop()) break;
    CheckStmt(*stmt);
  }
  scopes_.Pop();
}

void NameChecker::CheckStmt(const ast::Stmt& stmt) {
  switch (stmt.kind) {
    case ast::StmtKind::kLet:
    case ast::StmtKind::kVar:
      CheckBinding(stmt.As<ast::BindingStmt>());
      return;
    case ast::StmtKind::kAssign:
      CheckAssign(stmt.As<ast::AssignStmt>());
      return;
    case ast::StmtKind::kComprehension:
      CheckComprehension(stmt.As<ast::ComprehensionStmt>());
      return;
    case ast::StmtKind::kIf: {
      const ast::IfStmt& branch = stmt.As<ast::IfStmt>();
      CheckExpr(*branch.cond);
      CheckBlock(*branch.then_block);
      if (branch.else_block) CheckBlock(*branch.else_block);
      if (branch.else_if) CheckStmt(*branch.else_if);
      return;
    }
    case ast::StmtKind::kFor:
      CheckFor(stmt.As<ast::ForStmt>());
      return;
    case ast::StmtKind::kReturn:
      if (stmt.As<ast::ReturnStmt>().value) CheckExpr(*stmt.As<ast::ReturnStmt>().value);
      return;
  }
}

// `let x: T = e;` and `var x = e;`: the name is visible from the next statement
// on, so `let x = x;` uses an undefined x.
void NameChecker::CheckBinding(const ast::BindingStmt& binding) {
  if (binding.type) {
    for (const ast::ExprPtr& dim : binding.type->dims) CheckShapeNames(*dim);
  }
  CheckExpr(*binding.init);
  Declare(binding.name, binding.name_range,
          binding.kind == ast::StmtKind::kVar ? SymbolKind::kVar : SymbolKind::kLet);
}

void NameChecker::CheckAssign(const ast::AssignStmt& assign) {
  CheckExpr(*assign.value);
  // BEGIN SOLUTION lab02.t1: only a visible var may be assigned; else say what the name is
  const Symbol* symbol = scopes_.Lookup(assign.name);
  if (symbol == nullptr) {
    Error(assign.name_range, "undefined name " + Quote(assign.name));
  } else if (symbol->kind != SymbolKind::kVar) {
    Error(assign.name_range, "cannot assign to " + Quote(assign.name) + ": it is " +
                                 DescribeSymbol(symbol->kind) + ", not a var");
  }
  // END SOLUTION
}

// `y[i, j] op value where ...;`: the indices live in a scope of the statement's
// own; the target becomes visible after it.
void NameChecker::CheckComprehension(const ast::ComprehensionStmt& stmt) {
  const bool target_is_new = IsNew(stmt.target, stmt.target_range);
  scopes_.Push();
  // Output indices are new names; a name in a right-hand subscript or a where clause that is not
  // visible is a reduction index ('=' allows none); a where clause names only indices.
  // BEGIN SOLUTION lab02.t1: classify the indices: output, reduction (none for '='), where
  for (size_t k = 0; k < stmt.indices.size(); ++k) {
    Declare(stmt.indices[k], stmt.index_ranges[k], SymbolKind::kIndex);
  }
  std::vector<const ast::NameExpr*> in_subscripts;
  ForEachName(*stmt.value, false, [&](const ast::NameExpr& name, bool in_subscript) {
    if (in_subscript) in_subscripts.push_back(&name);
  });
  auto add_reduction_index = [&](const std::string& name, SourceRange range) {
    if (scopes_.Lookup(name)) return;  // visible: an output index, a tensor, a loop variable...
    scopes_.Insert(name, {SymbolKind::kIndex, range});
    if (stmt.op == ast::ReduceOp::kAssign) {
      Error(range, "index " + Quote(name) +
                       " appears only on the right of '=': use a reduction such as '+='");
    }
  };
  for (const ast::NameExpr* name : in_subscripts) add_reduction_index(name->name, name->range);
  for (const ast::IndexRange& where : stmt.where)
    add_reduction_index(where.index, where.index_range);
  for (const ast::IndexRange& where : stmt.where) {
    if (scopes_.Lookup(where.index)->kind != SymbolKind::kIndex) {
      Error(where.index_range, "where clause names " + Quote(where.index) +
                                   ", which is not an index of this comprehension");
    }
  }
  // END SOLUTION
  CheckExpr(*stmt.value);
  scopes_.Pop();
  // The bounds of a where range are values from outside the statement.
  for (const ast::IndexRange& where : stmt.where) {
    CheckExpr(*where.lo);
    CheckExpr(*where.hi);
  }
  if (target_is_new) {
    scopes_.Insert(stmt.target, {SymbolKind::kComprehensionTarget, stmt.target_range});
  }
}

// `for i in lo..hi { body }`: the bounds are checked outside, the loop
// variable is visible in the body only.
void NameChecker::CheckFor(const ast::ForStmt& loop) {
  CheckExpr(*loop.lo);
  CheckExpr(*loop.hi);
  scopes_.Push();
  Declare(loop.var, loop.var_range, SymbolKind::kLoopVariable);
  CheckBlock(*loop.body);
  scopes_.Pop();
}

// Reports the first statement that no path reaches in `block` and in each
// block nested in it; true when every path through `block` ends in a return.
bool NameChecker::CheckReturnPaths(const ast::Block& block) {
  // A block returns if one of its statements does: a return, or an if-chain that ends in else
  // with every arm returning. A for body may not run. The statement after one that returns is
  // unreachable, reported once per block.
  // BEGIN SOLUTION lab02.t1: report unreachable statements; does every path return?
  bool returns = false;
  bool reported = false;
  for (size_t k = 0; k < block.stmts.size(); ++k) {
    const ast::Stmt& stmt = *block.stmts[k];
    if (returns && !reported) {
      Error(stmt.range, block.stmts[k - 1]->kind == ast::StmtKind::kReturn
                            ? "unreachable statement after 'return'"
                            : "unreachable statement: every branch of the 'if' above returns");
      reported = true;
    }
    if (stmt.kind == ast::StmtKind::kReturn) returns = true;
    if (stmt.kind == ast::StmtKind::kFor)
      CheckReturnPaths(*stmt.As<ast::ForStmt>().body);  // may not run
    if (stmt.kind != ast::StmtKind::kIf) continue;
    bool every_arm = true;
    for (const ast::IfStmt* arm = &stmt.As<ast::IfStmt>(); arm != nullptr;) {
      every_arm = CheckReturnPaths(*arm->then_block) && every_arm;
      if (arm->else_block) every_arm = CheckReturnPaths(*arm->else_block) && every_arm;
      if (!arm->else_block && !arm->else_if) every_arm = false;  // falls through when all fail
      arm = arm->else_if ? &arm->else_if->As<ast::IfStmt>() : nullptr;
    }
    returns = returns || every_arm;
  }
  return returns;
  // END SOLUTION
}

// ------------------------------------------------------------ expressions

void NameChecker::CheckExpr(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
      return;
    case ast::ExprKind::kName: {
      const ast::NameExpr& name = expr.As<ast::NameExpr>();
      if (!scopes_.Lookup(name.name)) Error(name.range, "undefined name " + Quote(name.name));
      return;
    }
    case ast::ExprKind::kUnary:
      CheckExpr(*expr.As<ast::UnaryExpr>().operand);
      return;
    case ast::ExprKind::kBinary:
      CheckExpr(*expr.As<ast::BinaryExpr>().lhs);
      CheckExpr(*expr.As<ast::BinaryExpr>().rhs);
      return;
    case ast::ExprKind::kIndex:
      CheckExpr(*expr.As<ast::IndexExpr>().base);
      for (const ast::ExprPtr& index : expr.As<ast::IndexExpr>().indices) CheckExpr(*index);
      return;
    case ast::ExprKind::kCall:
      CheckCall(expr.As<ast::CallExpr>());
      return;
    case ast::ExprKind::kList:
      for (const ast::ExprPtr& element : expr.As<ast::ListExpr>().elements) CheckExpr(*element);
      return;
  }
}

// Checks the arguments, then finds the callee: the module's functions hide
// the prelude's, which hide the primitives.
void NameChecker::CheckCall(const ast::CallExpr& call) {
  for (const ast::Argument& arg : call.args) CheckExpr(*arg.value);
  // With several definitions (the prelude), any that binds will do; otherwise report the error
  // of the one with the most parameters.
  // BEGIN SOLUTION lab02.t1: find the callee (module, prelude, builtins) and bind the arguments
  BoundArguments bound;
  SemaError error;
  std::vector<const ast::FnItem*> definitions = FindFunctions(module_, call.callee);
  if (definitions.empty()) definitions = FindFunctions(prelude_, call.callee);
  if (!definitions.empty()) {
    const ast::FnItem* longest = definitions.front();
    for (const ast::FnItem* fn : definitions) {
      if (BindArguments(call, ParamsOf(*fn), &bound, &error)) return;
      if (fn->params.size() > longest->params.size()) longest = fn;
    }
    // None binds: explain with the most complete parameter list.
    BindArguments(call, ParamsOf(*longest), &bound, &error);
    Error(error.range, error.message);
  } else if (const Builtin* builtin = FindBuiltin(call.callee)) {
    if (!BindArguments(call, builtin->params, &bound, &error)) Error(error.range, error.message);
  } else {
    Error(call.callee_range, "unknown function " + Quote(call.callee));
  }
  // END SOLUTION
}

}  // namespace

// ------------------------------------------------------------ the API

bool CheckNames(const SourceFile& file, const ast::Module& module, const ast::Module& prelude,
                DiagnosticEngine& diags) {
  const int errors_before = diags.error_count();
  NameChecker checker(file, module, prelude, diags);
  checker.CheckFunctionsAreUnique();
  for (const ast::ItemPtr& item : module.items) {
    if (diags.ShouldStop()) break;
    if (item->kind == ast::ItemKind::kFn) checker.CheckFunction(item->As<ast::FnItem>());
  }
  return diags.error_count() == errors_before;
}

}  // namespace tessel::sema
