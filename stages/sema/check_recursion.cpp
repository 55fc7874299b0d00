// Cycles in the user's call graph (check_recursion.h): a depth-first search
// over the functions, with the path of calls that led to each one, so that a
// call back into the path is reported with the whole cycle.
#include "stages/sema/check_recursion.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tessel::sema {

namespace {

// The calls of one function: callee name and where it is called, in source order.
struct Call {
  std::string callee;
  SourceRange range;
};

void CallsIn(const ast::Expr& expr, std::vector<Call>& calls);

void CallsIn(const ast::Block& block, std::vector<Call>& calls);

void CallsIn(const ast::Stmt& stmt, std::vector<Call>& calls) {
  switch (stmt.kind) {
    case ast::StmtKind::kLet:
    case ast::StmtKind::kVar:
      CallsIn(*stmt.As<ast::BindingStmt>().init, calls);
      return;
    case ast::StmtKind::kAssign:
      CallsIn(*stmt.As<ast::AssignStmt>().value, calls);
      return;
    case ast::StmtKind::kComprehension:
      CallsIn(*stmt.As<ast::ComprehensionStmt>().value, calls);
      return;
    case ast::StmtKind::kIf: {
      const auto& branch = stmt.As<ast::IfStmt>();
      CallsIn(*branch.cond, calls);
      CallsIn(*branch.then_block, calls);
      if (branch.else_block) CallsIn(*branch.else_block, calls);
      if (branch.else_if) CallsIn(*branch.else_if, calls);
      return;
    }
    case ast::StmtKind::kFor: {
      const auto& loop = stmt.As<ast::ForStmt>();
      CallsIn(*loop.lo, calls);
      CallsIn(*loop.hi, calls);
      CallsIn(*loop.body, calls);
      return;
    }
    case ast::StmtKind::kReturn:
      CallsIn(*stmt.As<ast::ReturnStmt>().value, calls);
      return;
  }
}

void CallsIn(const ast::Block& block, std::vector<Call>& calls) {
  for (const ast::StmtPtr& stmt : block.stmts) CallsIn(*stmt, calls);
}

void CallsIn(const ast::Expr& expr, std::vector<Call>& calls) {
  switch (expr.kind) {
    case ast::ExprKind::kInt:
    case ast::ExprKind::kFloat:
    case ast::ExprKind::kBool:
    case ast::ExprKind::kName:
      return;
    case ast::ExprKind::kUnary:
      CallsIn(*expr.As<ast::UnaryExpr>().operand, calls);
      return;
    case ast::ExprKind::kBinary:
      CallsIn(*expr.As<ast::BinaryExpr>().lhs, calls);
      CallsIn(*expr.As<ast::BinaryExpr>().rhs, calls);
      return;
    case ast::ExprKind::kIndex:
      CallsIn(*expr.As<ast::IndexExpr>().base, calls);
      for (const ast::ExprPtr& index : expr.As<ast::IndexExpr>().indices) CallsIn(*index, calls);
      return;
    case ast::ExprKind::kCall: {
      const auto& call = expr.As<ast::CallExpr>();
      calls.push_back({call.callee, call.callee_range});
      for (const ast::Argument& arg : call.args) CallsIn(*arg.value, calls);
      return;
    }
    case ast::ExprKind::kList:
      for (const ast::ExprPtr& element : expr.As<ast::ListExpr>().elements) {
        CallsIn(*element, calls);
      }
      return;
  }
}

class CycleFinder {
 public:
  CycleFinder(const SourceFile& file, const ast::Module& module, DiagnosticEngine& diags)
      : file_(file), diags_(diags) {
    for (const ast::ItemPtr& item : module.items) {
      if (item->kind != ast::ItemKind::kFn) continue;
      const auto& fn = item->As<ast::FnItem>();
      functions_.emplace(fn.name, &fn);
      CallsIn(*fn.body, calls_[fn.name]);
    }
  }

  bool Run() {
    for (const auto& [name, fn] : functions_) Visit(name);
    return !found_;
  }

 private:
  // Depth-first: `path` holds the functions being visited and the call that led to each.
  void Visit(const std::string& name) {
    if (done_.count(name)) return;
    path_.push_back(name);
    for (const Call& call : calls_[name]) {
      if (!functions_.count(call.callee)) continue;  // the prelude or a primitive
      auto on_path = std::find(path_.begin(), path_.end(), call.callee);
      if (on_path != path_.end()) {
        Report(static_cast<size_t>(on_path - path_.begin()), call);
        continue;
      }
      via_.push_back(call);
      Visit(call.callee);
      via_.pop_back();
    }
    path_.pop_back();
    done_.insert(name);
  }

  // The cycle path_[start..] -> call.callee, closed by `call`.
  void Report(size_t start, const Call& closing) {
    found_ = true;
    const ast::FnItem& first = *functions_.at(path_[start]);
    std::string cycle;
    for (size_t i = start; i < path_.size(); ++i) cycle += path_[i] + " -> ";
    cycle += closing.callee;
    diags_.Error(file_, first.name_range,
                 "'" + first.name + "' is recursive (" + cycle +
                     "): Tessel functions cannot call themselves, directly or through others");
    for (size_t i = start; i + 1 < path_.size(); ++i) {
      diags_.Note(file_, via_[i].range.begin,
                  "'" + path_[i] + "' calls '" + path_[i + 1] + "' here");
    }
    diags_.Note(
        file_, closing.range.begin,
        "'" + path_.back() + "' calls '" + closing.callee + "' here, which closes the cycle");
  }

  const SourceFile& file_;
  DiagnosticEngine& diags_;
  std::map<std::string, const ast::FnItem*> functions_;
  std::map<std::string, std::vector<Call>> calls_;
  std::vector<std::string> path_;
  std::vector<Call> via_;  // via_[i]: the call from path_[i] to path_[i + 1]
  std::set<std::string> done_;
  bool found_ = false;
};

}  // namespace

bool CheckNoRecursion(const SourceFile& file, const ast::Module& module, DiagnosticEngine& diags) {
  return CycleFinder(file, module, diags).Run();
}

}  // namespace tessel::sema
