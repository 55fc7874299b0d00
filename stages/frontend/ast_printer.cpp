// Prints the AST as S-expressions (format documented in ast_printer.h).
#include "stages/frontend/ast_printer.h"

#include <charconv>
#include <string_view>

namespace tessel::ast {

namespace {

std::string FormatFloat(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, end);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";  // 'n': inf, nan
  return text;
}

std::string Newline(int indent) { return "\n" + std::string(indent, ' '); }

std::string PrintArgs(const std::vector<Argument>& args) {
  std::string out;
  for (const Argument& arg : args) {
    out += " ";
    out += arg.keyword.empty() ? PrintExpr(*arg.value)
                               : "(kw " + arg.keyword + " " + PrintExpr(*arg.value) + ")";
  }
  return out;
}

std::string PrintList(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (const ExprPtr& e : exprs) out += " " + PrintExpr(*e);
  return out;
}

std::string PrintComprehension(const ComprehensionStmt& c) {
  std::string out = "(compute " + c.target + " [";
  for (size_t i = 0; i < c.indices.size(); ++i) out += (i ? " " : "") + c.indices[i];
  out += "] " + std::string(ReduceOpSpelling(c.op)) + " " + PrintExpr(*c.value);
  if (!c.where.empty()) {
    out += " (where";
    for (const IndexRange& r : c.where) {
      out += " (" + r.index + " " + PrintExpr(*r.lo) + " " + PrintExpr(*r.hi) + ")";
    }
    out += ")";
  }
  return out + ")";
}

std::string PrintIf(const IfStmt& s, int indent) {
  std::string out =
      "(if " + PrintExpr(*s.cond) + Newline(indent + 2) + PrintBlock(*s.then_block, indent + 2);
  if (s.else_block) out += Newline(indent + 2) + PrintBlock(*s.else_block, indent + 2);
  if (s.else_if) out += Newline(indent + 2) + PrintStmt(*s.else_if, indent + 2);
  return out + ")";
}

}  // namespace

std::string PrintExpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInt:
      return std::to_string(expr.As<IntLiteral>().value);
    case ExprKind::kFloat:
      return FormatFloat(expr.As<FloatLiteral>().value);
    case ExprKind::kBool:
      return expr.As<BoolLiteral>().value ? "true" : "false";
    case ExprKind::kName:
      return expr.As<NameExpr>().name;
    case ExprKind::kUnary: {
      const auto& u = expr.As<UnaryExpr>();
      return "(" + std::string(UnaryOpSpelling(u.op)) + " " + PrintExpr(*u.operand) + ")";
    }
    case ExprKind::kBinary: {
      const auto& b = expr.As<BinaryExpr>();
      return "(" + std::string(BinaryOpSpelling(b.op)) + " " + PrintExpr(*b.lhs) + " " +
             PrintExpr(*b.rhs) + ")";
    }
    case ExprKind::kIndex: {
      const auto& i = expr.As<IndexExpr>();
      return "(index " + PrintExpr(*i.base) + PrintList(i.indices) + ")";
    }
    case ExprKind::kCall: {
      const auto& c = expr.As<CallExpr>();
      return "(call " + c.callee + PrintArgs(c.args) + ")";
    }
    case ExprKind::kList:
      return "(list" + PrintList(expr.As<ListExpr>().elements) + ")";
  }
  return "?";
}

std::string PrintType(const TypeExpr& type) {
  std::string out(DTypeName(type.dtype));
  if (type.dims.empty()) return out;
  out += "[";
  for (size_t i = 0; i < type.dims.size(); ++i) out += (i ? ", " : "") + PrintExpr(*type.dims[i]);
  return out + "]";
}

std::string PrintStmt(const Stmt& stmt, int indent) {
  switch (stmt.kind) {
    case StmtKind::kLet:
    case StmtKind::kVar: {
      const auto& b = stmt.As<BindingStmt>();
      std::string out = (stmt.kind == StmtKind::kLet ? "(let " : "(var ") + b.name + " ";
      if (b.type) out += PrintType(*b.type) + " ";
      return out + PrintExpr(*b.init) + ")";
    }
    case StmtKind::kAssign: {
      const auto& a = stmt.As<AssignStmt>();
      return "(assign " + a.name + " " + PrintExpr(*a.value) + ")";
    }
    case StmtKind::kComprehension:
      return PrintComprehension(stmt.As<ComprehensionStmt>());
    case StmtKind::kIf:
      return PrintIf(stmt.As<IfStmt>(), indent);
    case StmtKind::kFor: {
      const auto& f = stmt.As<ForStmt>();
      return "(for " + f.var + " " + PrintExpr(*f.lo) + " " + PrintExpr(*f.hi) +
             Newline(indent + 2) + PrintBlock(*f.body, indent + 2) + ")";
    }
    case StmtKind::kReturn:
      return "(return " + PrintExpr(*stmt.As<ReturnStmt>().value) + ")";
  }
  return "?";
}

std::string PrintBlock(const Block& block, int indent) {
  std::string out = "(block";
  for (const StmtPtr& s : block.stmts) out += Newline(indent + 2) + PrintStmt(*s, indent + 2);
  return out + ")";
}

std::string PrintItem(const Item& item, int indent) {
  switch (item.kind) {
    case ItemKind::kConst:
      return "(const " + item.name + " " + PrintExpr(*item.As<ConstItem>().value) + ")";
    case ItemKind::kFn: {
      const auto& fn = item.As<FnItem>();
      std::string out = "(fn " + fn.name + " (";
      for (size_t i = 0; i < fn.params.size(); ++i) {
        const Param& param = fn.params[i];
        out += (i ? " (" : "(") + param.name + " " + PrintType(param.type);
        if (param.default_value) out += " = " + PrintExpr(*param.default_value);
        out += ")";
      }
      return out + ") " + PrintType(fn.result) + Newline(indent + 2) +
             PrintBlock(*fn.body, indent + 2) + ")";
    }
  }
  return "?";
}

std::string PrintModule(const Module& module) {
  std::string out = "(module";
  for (const ItemPtr& item : module.items) out += Newline(2) + PrintItem(*item, 2);
  return out + ")";
}

}  // namespace tessel::ast
