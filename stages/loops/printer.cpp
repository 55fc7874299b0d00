// The loop IR's text form (docs/loop-ir.md): statements one a line, blocks in braces,
// expressions infix with C's precedence. Everything printed parses back to the same tree.
#include "stages/loops/printer.h"

#include "stages/ir/printer.h"
#include "stages/loops/syntax.h"

namespace tessel::loops {

namespace {

std::string Indent(int indent) { return std::string(static_cast<size_t>(indent) * 2, ' '); }

std::string FormatInts(const std::vector<int64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(values[i]);
  }
  return out + "]";
}

std::string FormatConst(const Expr& e) {
  switch (e.dtype) {
    case DType::kI32: return std::to_string(static_cast<int64_t>(e.value));
    case DType::kF32: return ir::FormatFloat(e.value, DType::kF32);
    case DType::kBool: return e.value != 0 ? "true" : "false";
    case DType::kF16: return "f16(" + ir::FormatFloat(e.value, DType::kF16) + ")";
    case DType::kI8: return "i8(" + std::to_string(static_cast<int64_t>(e.value)) + ")";
  }
  return "?";
}

std::string Print(const ExprPtr& e, int context_precedence, bool right_operand);

std::string PrintList(const std::vector<ExprPtr>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + Print(args[i], 0, false);
  return out;
}

std::string PrintApply(const Expr& e) {
  if (const InfixOp* infix = FindInfix(e.op)) {
    std::string text;
    if (e.args.size() == 1) {
      // -(3) keeps a negated constant apart from the constant -3.
      const ExprPtr& arg = e.args[0];
      bool literal = arg->kind == Expr::Kind::kConst;
      text = std::string(infix->symbol) +
             (literal ? "(" + Print(arg, 0, false) + ")" : Print(arg, infix->precedence, false));
    } else {
      text = Print(e.args[0], infix->precedence, false) + " " + std::string(infix->symbol) +
             " " + Print(e.args[1], infix->precedence, true);
    }
    return text;
  }
  if (e.op == Op::kCast) {
    return "cast<" + std::string(DTypeName(e.dtype)) + ">(" + PrintList(e.args) + ")";
  }
  return std::string(ir::OpMnemonic(e.op)) + "(" + PrintList(e.args) + ")";
}

// `context_precedence`: the precedence of the operator this expression is an operand of (0
// at the top); `right_operand`: whether it is that operator's right operand, which needs
// parentheses at equal precedence (operators associate to the left).
std::string Print(const ExprPtr& e, int context_precedence, bool right_operand) {
  switch (e->kind) {
    case Expr::Kind::kConst: {
      std::string text = FormatConst(*e);
      bool negative = text[0] == '-';
      return negative && context_precedence > 0 ? "(" + text + ")" : text;
    }
    case Expr::Kind::kVar: return e->name;
    case Expr::Kind::kLoad: return "%" + e->buffer->name + "[" + PrintList(e->args) + "]";
    case Expr::Kind::kApply: {
      std::string text = PrintApply(*e);
      const InfixOp* infix = FindInfix(e->op);
      if (!infix) return text;
      bool parens = infix->precedence < context_precedence ||
                    (infix->precedence == context_precedence && right_operand);
      return parens ? "(" + text + ")" : text;
    }
  }
  return "?";
}

// Elements as bare literals: the declaration says their dtype.
std::string PrintData(const Tensor& data) {
  std::string out = "[";
  for (int64_t i = 0; i < data.size(); ++i) {
    double v = data.Get(i);
    std::string text = IsFloat(data.dtype()) ? ir::FormatFloat(v, data.dtype())
                       : data.dtype() == DType::kBool ? (v != 0 ? "true" : "false")
                                                      : std::to_string(static_cast<int64_t>(v));
    out += (i ? ", " : "") + text;
  }
  return out + "]";
}

void PrintBlock(const StmtPtr& body, int indent, std::string* out);

void PrintOne(const Stmt& s, int indent, std::string* out) {
  std::string pad = Indent(indent);
  switch (s.kind) {
    case Stmt::Kind::kFor: {
      std::string kind = s.for_kind == ForKind::kSerial ? "" : std::string(ForKindName(s.for_kind)) + " ";
      *out += pad + kind + "for " + s.var + " in 0.." + Print(s.extent, 0, false) + " {\n";
      PrintBlock(s.body, indent + 1, out);
      *out += pad + "}\n";
      return;
    }
    case Stmt::Kind::kLet:
      *out += pad + "let " + s.var + " = " + PrintExpr(s.value) + "\n";
      return;
    case Stmt::Kind::kIf:
      *out += pad + "if " + PrintExpr(s.cond) + " {\n";
      PrintBlock(s.body, indent + 1, out);
      if (s.else_body) {
        *out += pad + "} else {\n";
        PrintBlock(s.else_body, indent + 1, out);
      }
      *out += pad + "}\n";
      return;
    case Stmt::Kind::kStore:
      *out += pad + "%" + s.buffer->name + "[" + PrintList(s.args) + "] = " + PrintExpr(s.value) +
              "\n";
      return;
    case Stmt::Kind::kAllocate:
      *out += pad + "allocate " + PrintBufferDecl(*s.buffer) + "\n";
      return;
    case Stmt::Kind::kView:
      *out += pad + "view " + PrintBufferDecl(*s.buffer) + " = %" + s.base->name + "[" +
              std::to_string(s.offset) + "]\n";
      return;
    case Stmt::Kind::kCall: {
      *out += pad + "call @" + s.callee + "(";
      for (size_t i = 0; i < s.call_args.size(); ++i) {
        *out += (i ? ", %" : "%") + s.call_args[i]->name;
      }
      *out += ")\n";
      return;
    }
    case Stmt::Kind::kSeq:
      for (const StmtPtr& stmt : s.stmts) PrintOne(*stmt, indent, out);
      return;
  }
}

void PrintBlock(const StmtPtr& body, int indent, std::string* out) {
  if (body) PrintOne(*body, indent, out);
}

std::string PrintParams(const std::vector<BufferPtr>& params) {
  std::string out;
  for (size_t i = 0; i < params.size(); ++i) out += (i ? ", " : "") + PrintBufferDecl(*params[i]);
  return out;
}

}  // namespace

std::string PrintExpr(const ExprPtr& expr) { return Print(expr, 0, false); }

std::string PrintStmt(const StmtPtr& stmt, int indent) {
  std::string out;
  PrintBlock(stmt, indent, &out);
  return out;
}

std::string PrintBufferDecl(const Buffer& buffer) {
  std::string out = "%" + buffer.name + ": " + std::string(DTypeName(buffer.dtype)) +
                    FormatInts(buffer.shape);
  if (!buffer.row_major()) out += " strides " + FormatInts(buffer.strides);
  if (buffer.scope != Scope::kGlobal) out += " " + std::string(ScopeName(buffer.scope));
  return out;
}

std::string PrintFunction(const Function& function) {
  std::string out = (function.is_kernel ? "kernel @" : "func @") + function.name + "(" +
                    PrintParams(function.inputs) + ") -> (" + PrintParams(function.outputs) +
                    ") {\n";
  PrintBlock(function.body, 1, &out);
  return out + "}\n";
}

std::string PrintModule(const Module& module) {
  std::string out;
  for (const BufferPtr& c : module.constants) {
    out += "const " + PrintBufferDecl(*c) + " = " + PrintData(*c->data) + "\n";
  }
  for (const Function& f : module.functions) {
    if (!out.empty()) out += "\n";
    out += PrintFunction(f);
  }
  return out;
}

}  // namespace tessel::loops
