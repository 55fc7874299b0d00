// The abstract syntax tree of a Tessel module (what lab01's parser builds).
//
// Everything here lives in namespace tessel::ast, apart from the IR's names
// (ir::Module, ir::Block, ...) that stage 2 builds from it.
//
// Three families of nodes, each a small class hierarchy tagged by a kind:
//   Expr  literals, names, operators, subscripts, calls, list literals
//   Stmt  let, var, assignment, comprehension, if, for, return
//   Item  module-level const and fn definitions
// Every node owns its children (unique_ptr) and records the source range it
// was parsed from, so later stages can point diagnostics at it. The printer
// (ast_printer.h) writes the stable S-expression form used by tests and by
// `tessel run --emit ast`; docs/language.md shows it for every construct.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/dtype.h"
#include "stages/common/source.h"

namespace tessel::ast {

// ---------------------------------------------------------------- operators

/// Binary operators, lowest precedence first, as binary_ops.def lists them.
/// All are left-associative.  ||  &&  == !=  < <= > >=  + -  * / % @
enum class BinaryOp {
#define BINARY_OP(name, spelling, token, precedence, op_class, ir_op) name,
#include "stages/frontend/binary_ops.def"
};
/// What an operator does with its operands (binary_ops.def's Class column).
enum class BinaryOpClass {
  kLogic,       // && ||: bool operands, a bool result
  kComparison,  // == != < <= > >=: operands of one dtype (numbers; == != also bools), bool result
  kArithmetic,  // + - * / %: elementwise, broadcasting
  kMatMul,      // @
};
/// Prefix operators: arithmetic negation `-x` and logical not `!x`.
enum class UnaryOp { kNeg, kNot };
/// The operator of a comprehension statement `y[i, j] op expr`.
/// Each starts its accumulator from its identity: += from 0, *= from 1,
/// max= from -inf, min= from +inf; `=` has no reduction index.
enum class ReduceOp { kAssign, kAdd, kMul, kMax, kMin };

std::string_view BinaryOpSpelling(BinaryOp op);  // "+", "@", "&&", ...
int BinaryOpPrecedence(BinaryOp op);             // 1 (||) to 6 (* / % @)
BinaryOpClass BinaryOpClassOf(BinaryOp op);
std::string_view UnaryOpSpelling(UnaryOp op);    // "-", "!"
std::string_view ReduceOpSpelling(ReduceOp op);  // "=", "+=", "max=", ...

// -------------------------------------------------------------- expressions

enum class ExprKind { kInt, kFloat, kBool, kName, kUnary, kBinary, kIndex, kCall, kList };

struct Expr {
  const ExprKind kind;
  SourceRange range;

  virtual ~Expr() = default;
  /// Checked downcast: `expr.As<BinaryExpr>()` aborts if the kind differs.
  template <typename T>
  const T& As() const;
  template <typename T>
  T& As();

 protected:
  Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
};
using ExprPtr = std::unique_ptr<Expr>;

/// 42. Literals are non-negative; `-1` is a unary minus applied to 1.
struct IntLiteral : Expr {
  static constexpr ExprKind kKind = ExprKind::kInt;
  int64_t value;
  IntLiteral(int64_t v, SourceRange r) : Expr(kKind, r), value(v) {}
};

/// 1.5, 2e-3.
struct FloatLiteral : Expr {
  static constexpr ExprKind kKind = ExprKind::kFloat;
  double value;
  FloatLiteral(double v, SourceRange r) : Expr(kKind, r), value(v) {}
};

/// true, false.
struct BoolLiteral : Expr {
  static constexpr ExprKind kKind = ExprKind::kBool;
  bool value;
  BoolLiteral(bool v, SourceRange r) : Expr(kKind, r), value(v) {}
};

/// A use of a name: a variable, parameter, constant, shape variable or index.
struct NameExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kName;
  std::string name;
  NameExpr(std::string n, SourceRange r) : Expr(kKind, r), name(std::move(n)) {}
};

struct UnaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(UnaryOp o, ExprPtr e, SourceRange r);
};

struct BinaryExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryOp op;
  ExprPtr lhs, rhs;
  BinaryExpr(BinaryOp o, ExprPtr l, ExprPtr r, SourceRange range);
};

/// base[i, j]: an element read inside a comprehension, a slice outside one.
/// `x[i][j]` nests: Index(Index(x, i), j).
struct IndexExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kIndex;
  ExprPtr base;
  std::vector<ExprPtr> indices;  // at least one
  IndexExpr(ExprPtr b, std::vector<ExprPtr> idx, SourceRange r);
};

/// One call argument: positional (`keyword` empty) or keyword (`axis=1`).
struct Argument {
  std::string keyword;
  ExprPtr value;
  SourceRange range;
};

/// callee(args): builtins, prelude and user functions are all called by name.
struct CallExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kCall;
  std::string callee;
  SourceRange callee_range;
  std::vector<Argument> args;
  CallExpr(std::string c, SourceRange cr, std::vector<Argument> a, SourceRange r);
};

/// [a, b, c]: a list literal (shapes and axes: reshape(x, [B, 4])).
struct ListExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kList;
  std::vector<ExprPtr> elements;
  ListExpr(std::vector<ExprPtr> e, SourceRange r) : Expr(kKind, r), elements(std::move(e)) {}
};

// -------------------------------------------------------------------- types

/// dtype or dtype[d0, d1, ...]; dims are shape expressions (`H - R + 1`).
/// No dims (f32, f32[]) means a scalar.
struct TypeExpr {
  DType dtype = DType::kF32;
  std::vector<ExprPtr> dims;
  SourceRange range;
};

// --------------------------------------------------------------- statements

enum class StmtKind { kLet, kVar, kAssign, kComprehension, kIf, kFor, kReturn };

struct Stmt {
  const StmtKind kind;
  SourceRange range;

  virtual ~Stmt() = default;
  template <typename T>
  const T& As() const;
  template <typename T>
  T& As();

 protected:
  Stmt(StmtKind k, SourceRange r) : kind(k), range(r) {}
};
using StmtPtr = std::unique_ptr<Stmt>;

/// `{ stmt* }`
struct Block {
  std::vector<StmtPtr> stmts;
  SourceRange range;
};
using BlockPtr = std::unique_ptr<Block>;

/// `let name [: type] = init;` (immutable) and `var name [: type] = init;` (mutable).
struct BindingStmt : Stmt {
  std::string name;
  SourceRange name_range;
  std::optional<TypeExpr> type;
  ExprPtr init;
  BindingStmt(StmtKind k, std::string n, SourceRange nr, std::optional<TypeExpr> t, ExprPtr i,
              SourceRange r);
};

/// `name = value;` rebinds a var.
struct AssignStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kAssign;
  std::string name;
  SourceRange name_range;
  ExprPtr value;
  AssignStmt(std::string n, SourceRange nr, ExprPtr v, SourceRange r);
};

/// One `where` clause: `i in lo..hi`.
struct IndexRange {
  std::string index;
  SourceRange index_range;
  ExprPtr lo, hi;
};

/// `y[i, j] op value [where i in a..b, ...];` defines the fresh tensor y.
/// Indices that appear only in `value` are reduced with `op`.
struct ComprehensionStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kComprehension;
  std::string target;
  SourceRange target_range;
  std::vector<std::string> indices;  // at least one
  std::vector<SourceRange> index_ranges;
  ReduceOp op;
  ExprPtr value;
  std::vector<IndexRange> where;
  ComprehensionStmt(std::string t, SourceRange tr, std::vector<std::string> idx,
                    std::vector<SourceRange> idx_ranges, ReduceOp o, ExprPtr v,
                    std::vector<IndexRange> w, SourceRange r);
};

/// `if cond { ... } [else { ... } | else if ...]`. At most one of
/// `else_block` and `else_if` is set.
struct IfStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kIf;
  ExprPtr cond;
  BlockPtr then_block;
  BlockPtr else_block;
  StmtPtr else_if;  // an IfStmt
  IfStmt(ExprPtr c, BlockPtr t, BlockPtr e, StmtPtr ei, SourceRange r);
};

/// `for var in lo..hi { body }`: var takes lo, lo+1, ..., hi-1.
struct ForStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kFor;
  std::string var;
  SourceRange var_range;
  ExprPtr lo, hi;
  BlockPtr body;
  ForStmt(std::string v, SourceRange vr, ExprPtr l, ExprPtr h, BlockPtr b, SourceRange r);
};

struct ReturnStmt : Stmt {
  static constexpr StmtKind kKind = StmtKind::kReturn;
  ExprPtr value;
  ReturnStmt(ExprPtr v, SourceRange r) : Stmt(kKind, r), value(std::move(v)) {}
};

// -------------------------------------------------------------------- items

enum class ItemKind { kConst, kFn };

struct Item {
  const ItemKind kind;
  std::string name;
  SourceRange name_range;
  SourceRange range;

  virtual ~Item() = default;
  template <typename T>
  const T& As() const;

 protected:
  Item(ItemKind k, std::string n, SourceRange nr, SourceRange r)
      : kind(k), name(std::move(n)), name_range(nr), range(r) {}
};
using ItemPtr = std::unique_ptr<Item>;

/// `const name = value;` at module level.
struct ConstItem : Item {
  static constexpr ItemKind kKind = ItemKind::kConst;
  ExprPtr value;
  ConstItem(std::string n, SourceRange nr, ExprPtr v, SourceRange r);
};

/// `name: type`, or `name: type = default` (a scalar parameter that a call may omit;
/// docs/language.md §4.1).
struct Param {
  std::string name;
  SourceRange name_range;
  TypeExpr type;
  ExprPtr default_value;  // null when the parameter has no default
};

/// `fn name(params) -> result { body }`.
struct FnItem : Item {
  static constexpr ItemKind kKind = ItemKind::kFn;
  std::vector<Param> params;
  TypeExpr result;
  BlockPtr body;
  FnItem(std::string n, SourceRange nr, std::vector<Param> p, TypeExpr res, BlockPtr b,
         SourceRange r);
};

/// A whole source file: its items in order.
struct Module {
  std::vector<ItemPtr> items;
};

// ------------------------------------------------------------ downcasts

[[noreturn]] void BadAstCast(const char* what);

template <typename T>
const T& Expr::As() const {
  if (kind != T::kKind) BadAstCast("expression");
  return static_cast<const T&>(*this);
}
template <typename T>
T& Expr::As() {
  if (kind != T::kKind) BadAstCast("expression");
  return static_cast<T&>(*this);
}
template <typename T>
const T& Stmt::As() const {
  if constexpr (std::is_same_v<T, BindingStmt>) {
    if (kind != StmtKind::kLet && kind != StmtKind::kVar) BadAstCast("statement");
  } else {
    if (kind != T::kKind) BadAstCast("statement");
  }
  return static_cast<const T&>(*this);
}
template <typename T>
T& Stmt::As() {
  return const_cast<T&>(static_cast<const Stmt*>(this)->As<T>());
}
template <typename T>
const T& Item::As() const {
  if (kind != T::kKind) BadAstCast("item");
  return static_cast<const T&>(*this);
}

/// Joins two ranges: from a's begin to b's end.
inline SourceRange Span(SourceRange a, SourceRange b) { return {a.begin, b.end}; }

}  // namespace tessel::ast
