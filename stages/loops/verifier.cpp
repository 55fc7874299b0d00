// The loop IR's verifier (verifier.h): one walk per function with a stack of scopes.
#include "stages/loops/verifier.h"

#include <map>
#include <set>

#include "stages/loops/printer.h"

namespace tessel::loops {

namespace {

class FunctionVerifier {
 public:
  FunctionVerifier(const Module& module, const Function& function)
      : module_(module), function_(function) {}

  std::vector<std::string> Run() {
    scopes_.emplace_back();
    for (const BufferPtr& c : module_.constants) constants_.insert(c.get());
    for (const BufferPtr& p : function_.inputs) DefineParam(p, false);
    for (const BufferPtr& p : function_.outputs) DefineParam(p, true);
    if (!function_.body) {
      Problem("has no body");
    } else {
      CheckStmt(*function_.body);
    }
    return std::move(problems_);
  }

 private:
  void Problem(const std::string& message) {
    problems_.push_back("@" + function_.name + ": " + message);
  }

  void DefineName(const std::string& name) {
    if (!names_.insert(name).second) Problem("'" + name + "' is defined twice");
  }

  void DefineParam(const BufferPtr& p, bool output) {
    if (p->scope != Scope::kGlobal) Problem("parameter %" + p->name + " is not global");
    DefineBuffer(p);
    if (output) writable_.insert(p.get());
  }

  void DefineBuffer(const BufferPtr& b) {
    DefineName("%" + b->name);
    scopes_.back().buffers.insert(b.get());
  }

  bool InScope(const Buffer* b) const {
    if (constants_.count(b)) return true;
    for (const NameScope& s : scopes_) {
      if (s.buffers.count(b)) return true;
    }
    return false;
  }

  void UseBuffer(const BufferPtr& b, const std::string& where) {
    if (!InScope(b.get())) Problem(where + " uses %" + b->name + ", which is not in scope");
  }

  void CheckExpr(const ExprPtr& e, const std::string& where) {
    switch (e->kind) {
      case Expr::Kind::kConst: return;
      case Expr::Kind::kVar: return CheckVar(*e, where);
      case Expr::Kind::kLoad: UseBuffer(e->buffer, where); break;
      case Expr::Kind::kApply: break;
    }
    for (const ExprPtr& arg : e->args) CheckExpr(arg, where);
  }

  void CheckVar(const Expr& e, const std::string& where) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->vars.find(e.name);
      if (found == it->vars.end()) continue;
      if (found->second != e.dtype) {
        Problem(where + " uses '" + e.name + "' as " + std::string(DTypeName(e.dtype)) +
                ", but it is " + std::string(DTypeName(found->second)));
      }
      return;
    }
    Problem(where + " uses undefined variable '" + e.name + "'");
  }

  void CheckStmt(const Stmt& s) {
    switch (s.kind) {
      case Stmt::Kind::kFor: return CheckFor(s);
      case Stmt::Kind::kLet:
        CheckExpr(s.value, "let " + s.var);
        DefineName(s.var);
        scopes_.back().vars[s.var] = s.value->dtype;
        return;
      case Stmt::Kind::kIf:
        CheckExpr(s.cond, "if " + PrintExpr(s.cond));
        CheckScoped(*s.body);
        if (s.else_body) CheckScoped(*s.else_body);
        return;
      case Stmt::Kind::kStore: return CheckStore(s);
      case Stmt::Kind::kAllocate:
        if (!function_.is_kernel && s.buffer->scope != Scope::kGlobal) {
          Problem("the host allocates %" + s.buffer->name + " in " +
                  std::string(ScopeName(s.buffer->scope)) + " memory");
        }
        DefineBuffer(s.buffer);
        writable_.insert(s.buffer.get());
        return;
      case Stmt::Kind::kView: return CheckView(s);
      case Stmt::Kind::kCall: return CheckCall(s);
      case Stmt::Kind::kSeq:
        for (const StmtPtr& stmt : s.stmts) CheckStmt(*stmt);
        return;
    }
  }

  void CheckScoped(const Stmt& s) {
    scopes_.emplace_back();
    CheckStmt(s);
    scopes_.pop_back();
  }

  void CheckFor(const Stmt& s) {
    std::string where = "loop " + s.var;
    CheckExpr(s.extent, where);
    if (NeedsConstantExtent(s.for_kind) && !AsInt(s.extent)) {
      Problem(std::string(ForKindName(s.for_kind)) + " loop " + s.var + " has extent " +
              PrintExpr(s.extent) + ", not a constant");
    }
    scopes_.emplace_back();
    DefineName(s.var);
    scopes_.back().vars[s.var] = kIndexType;
    CheckScoped(*s.body);
    scopes_.pop_back();
  }

  void CheckStore(const Stmt& s) {
    std::string where = "store to %" + s.buffer->name;
    UseBuffer(s.buffer, where);
    if (function_.is_kernel && !writable_.count(s.buffer.get())) {
      Problem(where + ": a kernel stores only to its outputs and its own allocations");
    }
    for (const ExprPtr& arg : s.args) CheckExpr(arg, where);
    CheckExpr(s.value, where);
  }

  void CheckView(const Stmt& s) {
    if (function_.is_kernel) Problem("a kernel cannot view %" + s.base->name + " (only the host does)");
    UseBuffer(s.base, "view %" + s.buffer->name);
    if (s.buffer->scope != Scope::kGlobal) Problem("view %" + s.buffer->name + " is not global");
    int64_t bytes = s.buffer->SpanElements() * static_cast<int64_t>(DTypeSize(s.buffer->dtype));
    int64_t base = s.base->SpanElements() * static_cast<int64_t>(DTypeSize(s.base->dtype));
    if (s.offset + bytes > base) {
      Problem("view %" + s.buffer->name + " ends at byte " + std::to_string(s.offset + bytes) +
              ", after the end of %" + s.base->name + " (" + std::to_string(base) + ")");
    }
    DefineBuffer(s.buffer);
    writable_.insert(s.buffer.get());
  }

  void CheckCall(const Stmt& s) {
    std::string where = "call @" + s.callee;
    if (function_.is_kernel) Problem(where + ": a kernel cannot call");
    for (const BufferPtr& arg : s.call_args) UseBuffer(arg, where);
    const Function* callee = module_.FindFunction(s.callee);
    if (!callee || !callee->is_kernel) return Problem(where + ": no kernel @" + s.callee);
    std::vector<BufferPtr> params = callee->params();
    if (params.size() != s.call_args.size()) {
      return Problem(where + " passes " + std::to_string(s.call_args.size()) + " buffers for " +
                     std::to_string(params.size()) + " parameters");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const Buffer &p = *params[i], &a = *s.call_args[i];
      if (p.dtype != a.dtype || p.shape != a.shape || p.strides != a.strides) {
        Problem(where + " passes %" + a.name + " (" + PrintBufferDecl(a) + ") for %" + p.name +
                " (" + PrintBufferDecl(p) + ")");
      }
    }
  }

  struct NameScope {
    std::map<std::string, DType> vars;
    std::set<const Buffer*> buffers;
  };

  const Module& module_;
  const Function& function_;
  std::vector<NameScope> scopes_;
  std::set<const Buffer*> constants_, writable_;
  std::set<std::string> names_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> VerifyFunction(const Module& module, const Function& function) {
  return FunctionVerifier(module, function).Run();
}

std::vector<std::string> VerifyModule(const Module& module) {
  std::vector<std::string> problems;
  std::set<std::string> names;
  int hosts = 0;
  for (const Function& f : module.functions) {
    if (!names.insert(f.name).second) problems.push_back("@" + f.name + " is defined twice");
    hosts += f.is_kernel ? 0 : 1;
    for (std::string& p : VerifyFunction(module, f)) problems.push_back(std::move(p));
  }
  if (hosts > 1) problems.push_back("the module has " + std::to_string(hosts) + " host functions");
  return problems;
}

}  // namespace tessel::loops
