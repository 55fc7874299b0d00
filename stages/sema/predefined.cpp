// Predefined names (predefined.h): their values, and the walk over a module's declarations
// that refuses to let one be declared again.
#include "stages/sema/predefined.h"

#include <limits>
#include <string>

namespace tessel::sema {

std::optional<ConstValue> PredefinedValue(std::string_view name) {
  if (name == "inf") return ConstValue::Float(std::numeric_limits<double>::infinity());
  return std::nullopt;
}

namespace {

// Walks the declarations of one module, reporting each that names a predefined value.
class DeclarationWalker {
 public:
  DeclarationWalker(const SourceFile& file, DiagnosticEngine& diags) : file_(file), diags_(diags) {}

  void Item(const ast::Item& item) {
    Declared(item.name, item.name_range, item.kind == ast::ItemKind::kConst ? "a constant" : "");
    if (item.kind != ast::ItemKind::kFn) return;
    const auto& fn = item.As<ast::FnItem>();
    for (const ast::Param& param : fn.params) {
      Declared(param.name, param.name_range, "a parameter");
      for (const ast::ExprPtr& dim : param.type.dims) {  // a bare name declares a shape variable
        if (dim->kind != ast::ExprKind::kName) continue;
        Declared(dim->As<ast::NameExpr>().name, dim->range, "a shape variable");
      }
    }
    Block(*fn.body);
  }

  bool ok() const { return ok_; }

 private:
  void Block(const ast::Block& block) {
    for (const ast::StmtPtr& stmt : block.stmts) Stmt(*stmt);
  }

  void Stmt(const ast::Stmt& stmt) {
    switch (stmt.kind) {
      case ast::StmtKind::kLet:
      case ast::StmtKind::kVar: {
        const auto& binding = stmt.As<ast::BindingStmt>();
        Declared(binding.name, binding.name_range, "a variable");
        return;
      }
      case ast::StmtKind::kComprehension: {
        const auto& comp = stmt.As<ast::ComprehensionStmt>();
        Declared(comp.target, comp.target_range, "a comprehension target");
        for (size_t i = 0; i < comp.indices.size(); ++i) {
          Declared(comp.indices[i], comp.index_ranges[i], "an index");
        }
        return;
      }
      case ast::StmtKind::kIf: {
        const auto& branch = stmt.As<ast::IfStmt>();
        Block(*branch.then_block);
        if (branch.else_block) Block(*branch.else_block);
        if (branch.else_if) Stmt(*branch.else_if);
        return;
      }
      case ast::StmtKind::kFor: {
        const auto& loop = stmt.As<ast::ForStmt>();
        Declared(loop.var, loop.var_range, "a loop variable");
        Block(*loop.body);
        return;
      }
      case ast::StmtKind::kAssign:
      case ast::StmtKind::kReturn:
        return;
    }
  }

  void Declared(const std::string& name, SourceRange range, const std::string& as) {
    if (as.empty() || !PredefinedValue(name)) return;
    diags_.Error(file_, range,
                 "'" + name + "' is predefined (the float infinity) and cannot be declared as " +
                     as + ": choose another name");
    ok_ = false;
  }

  const SourceFile& file_;
  DiagnosticEngine& diags_;
  bool ok_ = true;
};

}  // namespace

bool CheckNoPredefinedNameIsDeclared(const SourceFile& file, const ast::Module& module,
                                     DiagnosticEngine& diags) {
  DeclarationWalker walker(file, diags);
  for (const ast::ItemPtr& item : module.items) walker.Item(*item);
  return walker.ok();
}

}  // namespace tessel::sema
