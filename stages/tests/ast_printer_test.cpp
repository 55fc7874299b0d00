// Unit tests of stages/frontend/ast_printer: the S-expression form of every
// node kind, built by hand here so the printer is checked without a parser.
// lab01's graded tests and `--emit ast` rely on exactly this format.
#include "stages/frontend/ast_printer.h"

#include <gtest/gtest.h>

namespace tessel {
namespace {

ExprPtr Name(std::string name) {
  return std::make_unique<NameExpr>(std::move(name), SourceRange{});
}
ExprPtr Int(int64_t value) { return std::make_unique<IntLiteral>(value, SourceRange{}); }
ExprPtr Float(double value) { return std::make_unique<FloatLiteral>(value, SourceRange{}); }
ExprPtr Bool(bool value) { return std::make_unique<BoolLiteral>(value, SourceRange{}); }
ExprPtr Unary(UnaryOp op, ExprPtr e) {
  return std::make_unique<UnaryExpr>(op, std::move(e), SourceRange{});
}
ExprPtr Binary(BinaryOp op, ExprPtr l, ExprPtr r) {
  return std::make_unique<BinaryExpr>(op, std::move(l), std::move(r), SourceRange{});
}

template <typename... T>
std::vector<ExprPtr> Exprs(T... exprs) {
  std::vector<ExprPtr> out;
  (out.push_back(std::move(exprs)), ...);
  return out;
}

ExprPtr Index(ExprPtr base, std::vector<ExprPtr> indices) {
  return std::make_unique<IndexExpr>(std::move(base), std::move(indices), SourceRange{});
}

Argument Arg(ExprPtr value, std::string keyword = "") {
  return Argument{std::move(keyword), std::move(value), SourceRange{}};
}

TypeExpr Type(DType dtype, std::vector<ExprPtr> dims = {}) {
  return TypeExpr{dtype, std::move(dims), SourceRange{}};
}

template <typename... T>
BlockPtr MakeBlock(T... stmts) {
  auto block = std::make_unique<Block>();
  (block->stmts.push_back(std::move(stmts)), ...);
  return block;
}

StmtPtr Return(ExprPtr value) {
  return std::make_unique<ReturnStmt>(std::move(value), SourceRange{});
}
StmtPtr Assign(std::string name, ExprPtr value) {
  return std::make_unique<AssignStmt>(std::move(name), SourceRange{}, std::move(value),
                                      SourceRange{});
}

TEST(PrintExprTest, Literals) {
  EXPECT_EQ(PrintExpr(*Int(42)), "42");
  EXPECT_EQ(PrintExpr(*Int(0)), "0");
  EXPECT_EQ(PrintExpr(*Bool(true)), "true");
  EXPECT_EQ(PrintExpr(*Bool(false)), "false");
  EXPECT_EQ(PrintExpr(*Name("x_1")), "x_1");
}

TEST(PrintExprTest, FloatsAlwaysShowTheyAreFloats) {
  EXPECT_EQ(PrintExpr(*Float(1.5)), "1.5");
  EXPECT_EQ(PrintExpr(*Float(2.0)), "2.0");
  EXPECT_EQ(PrintExpr(*Float(1e3)), "1000.0");
  EXPECT_EQ(PrintExpr(*Float(2e-3)), "0.002");
  EXPECT_EQ(PrintExpr(*Float(0.1)), "0.1");
  EXPECT_EQ(PrintExpr(*Float(1e9)), "1e+09");
  EXPECT_EQ(PrintExpr(*Float(1e-7)), "1e-07");
}

TEST(PrintExprTest, UnaryOperators) {
  EXPECT_EQ(PrintExpr(*Unary(UnaryOp::kNeg, Name("x"))), "(- x)");
  EXPECT_EQ(PrintExpr(*Unary(UnaryOp::kNot, Unary(UnaryOp::kNot, Name("b")))), "(! (! b))");
}

TEST(PrintExprTest, EveryBinaryOperator) {
  const std::pair<BinaryOp, const char*> ops[] = {
      {BinaryOp::kOr, "||"}, {BinaryOp::kAnd, "&&"},  {BinaryOp::kEq, "=="}, {BinaryOp::kNe, "!="},
      {BinaryOp::kLt, "<"},  {BinaryOp::kLe, "<="},   {BinaryOp::kGt, ">"},  {BinaryOp::kGe, ">="},
      {BinaryOp::kAdd, "+"}, {BinaryOp::kSub, "-"},   {BinaryOp::kMul, "*"}, {BinaryOp::kDiv, "/"},
      {BinaryOp::kMod, "%"}, {BinaryOp::kMatMul, "@"}};
  for (const auto& [op, spelling] : ops) {
    EXPECT_EQ(PrintExpr(*Binary(op, Name("a"), Name("b"))), std::string("(") + spelling + " a b)");
  }
}

TEST(PrintExprTest, NestedBinaryShowsTheTreeShape) {
  ExprPtr e = Binary(BinaryOp::kAdd, Int(1), Binary(BinaryOp::kMul, Int(2), Int(3)));
  EXPECT_EQ(PrintExpr(*e), "(+ 1 (* 2 3))");
}

TEST(PrintExprTest, IndexListsBaseThenIndices) {
  EXPECT_EQ(PrintExpr(*Index(Name("x"), Exprs(Name("i"), Name("j")))), "(index x i j)");
  ExprPtr nested = Index(Index(Name("x"), Exprs(Name("i"))), Exprs(Name("j")));
  EXPECT_EQ(PrintExpr(*nested), "(index (index x i) j)");
}

TEST(PrintExprTest, CallWithPositionalAndKeywordArguments) {
  std::vector<Argument> args;
  args.push_back(Arg(Name("h")));
  args.push_back(Arg(Int(1), "axis"));
  CallExpr call("softmax", SourceRange{}, std::move(args), SourceRange{});
  EXPECT_EQ(PrintExpr(call), "(call softmax h (kw axis 1))");
  CallExpr empty("zeros", SourceRange{}, {}, SourceRange{});
  EXPECT_EQ(PrintExpr(empty), "(call zeros)");
}

TEST(PrintExprTest, ListLiterals) {
  EXPECT_EQ(PrintExpr(ListExpr(Exprs(Int(1), Name("B")), SourceRange{})), "(list 1 B)");
  EXPECT_EQ(PrintExpr(ListExpr({}, SourceRange{})), "(list)");
}

TEST(PrintTypeTest, ScalarsAndShapes) {
  EXPECT_EQ(PrintType(Type(DType::kF32)), "f32");
  EXPECT_EQ(PrintType(Type(DType::kBool)), "bool");
  TypeExpr shaped = Type(DType::kF16, Exprs(Name("B"), Binary(BinaryOp::kSub, Name("H"), Int(1))));
  EXPECT_EQ(PrintType(shaped), "f16[B, (- H 1)]");
  EXPECT_EQ(PrintType(Type(DType::kI8, Exprs(Int(4)))), "i8[4]");
  EXPECT_EQ(PrintType(Type(DType::kI32)), "i32");
}

TEST(PrintStmtTest, BindingsWithAndWithoutType) {
  BindingStmt let(StmtKind::kLet, "x", {}, std::nullopt, Int(1), {});
  EXPECT_EQ(PrintStmt(let), "(let x 1)");
  BindingStmt typed(StmtKind::kLet, "x", {}, Type(DType::kF32, Exprs(Name("B"))), Name("y"), {});
  EXPECT_EQ(PrintStmt(typed), "(let x f32[B] y)");
  BindingStmt var(StmtKind::kVar, "h", {}, Type(DType::kI32), Int(0), {});
  EXPECT_EQ(PrintStmt(var), "(var h i32 0)");
}

TEST(PrintStmtTest, AssignAndReturn) {
  EXPECT_EQ(PrintStmt(*Assign("h", Binary(BinaryOp::kAdd, Name("h"), Name("z")))),
            "(assign h (+ h z))");
  EXPECT_EQ(PrintStmt(*Return(Name("y"))), "(return y)");
}

TEST(PrintStmtTest, ComprehensionWithoutWhere) {
  ComprehensionStmt c("y", {}, {"n", "o"}, {SourceRange{}, SourceRange{}}, ReduceOp::kAdd,
                      Binary(BinaryOp::kMul, Index(Name("x"), Exprs(Name("n"), Name("i"))),
                             Index(Name("w"), Exprs(Name("i"), Name("o")))),
                      {}, {});
  EXPECT_EQ(PrintStmt(c), "(compute y [n o] += (* (index x n i) (index w i o)))");
}

TEST(PrintStmtTest, ComprehensionWithWhere) {
  std::vector<IndexRange> where;
  where.push_back(IndexRange{"k", {}, Int(0), Int(2)});
  where.push_back(IndexRange{"l", {}, Int(0), Name("K")});
  ComprehensionStmt c("y", {}, {"i"}, {SourceRange{}}, ReduceOp::kMax, Name("e"), std::move(where),
                      {});
  EXPECT_EQ(PrintStmt(c), "(compute y [i] max= e (where (k 0 2) (l 0 K)))");
}

TEST(PrintStmtTest, EveryReduceOperator) {
  const std::pair<ReduceOp, const char*> ops[] = {{ReduceOp::kAssign, "="},
                                                  {ReduceOp::kAdd, "+="},
                                                  {ReduceOp::kMul, "*="},
                                                  {ReduceOp::kMax, "max="},
                                                  {ReduceOp::kMin, "min="}};
  for (const auto& [op, spelling] : ops) {
    ComprehensionStmt c("y", {}, {"i"}, {SourceRange{}}, op, Name("e"), {}, {});
    EXPECT_EQ(PrintStmt(c), std::string("(compute y [i] ") + spelling + " e)");
  }
}

TEST(PrintStmtTest, IfWithElseBlockIndentsItsBlocks) {
  IfStmt s(Name("residual"), MakeBlock(Assign("h", Binary(BinaryOp::kAdd, Name("h"), Name("z")))),
           MakeBlock(Assign("h", Name("z"))), nullptr, {});
  EXPECT_EQ(PrintStmt(s),
            "(if residual\n"
            "  (block\n"
            "    (assign h (+ h z)))\n"
            "  (block\n"
            "    (assign h z)))");
}

TEST(PrintStmtTest, ElseIfNestsAnotherIf) {
  auto inner = std::make_unique<IfStmt>(Name("b"), MakeBlock(Return(Int(2))),
                                        MakeBlock(Return(Int(3))), nullptr, SourceRange{});
  IfStmt s(Name("a"), MakeBlock(Return(Int(1))), nullptr, std::move(inner), {});
  EXPECT_EQ(PrintStmt(s),
            "(if a\n"
            "  (block\n"
            "    (return 1))\n"
            "  (if b\n"
            "    (block\n"
            "      (return 2))\n"
            "    (block\n"
            "      (return 3))))");
}

TEST(PrintStmtTest, ForAndEmptyBlock) {
  ForStmt s("l", {}, Int(0), Name("L"), MakeBlock(), {});
  EXPECT_EQ(PrintStmt(s), "(for l 0 L\n  (block))");
}

TEST(PrintStmtTest, IndentArgumentShiftsNestedLines) {
  ForStmt s("i", {}, Int(0), Int(4), MakeBlock(Return(Name("i"))), {});
  EXPECT_EQ(PrintStmt(s, 4), "(for i 0 4\n      (block\n        (return i)))");
}

TEST(PrintItemTest, ConstAndFn) {
  ConstItem c("N", {}, Int(4), {});
  EXPECT_EQ(PrintItem(c), "(const N 4)");
  std::vector<Param> params;
  params.push_back(Param{"x", {}, Type(DType::kF32, Exprs(Name("B")))});
  params.push_back(Param{"flag", {}, Type(DType::kBool)});
  FnItem fn("f", {}, std::move(params), Type(DType::kF32), MakeBlock(Return(Name("x"))), {});
  EXPECT_EQ(PrintItem(fn),
            "(fn f ((x f32[B]) (flag bool)) f32\n"
            "  (block\n"
            "    (return x)))");
}

TEST(PrintItemTest, FnWithoutParams) {
  FnItem fn("g", {}, {}, Type(DType::kF32), MakeBlock(), {});
  EXPECT_EQ(PrintItem(fn), "(fn g () f32\n  (block))");
}

TEST(PrintModuleTest, ItemsIndentUnderModule) {
  Module module;
  module.items.push_back(std::make_unique<ConstItem>("N", SourceRange{}, Int(4), SourceRange{}));
  std::vector<Param> params;
  params.push_back(Param{"x", {}, Type(DType::kF32, Exprs(Name("N")))});
  module.items.push_back(std::make_unique<FnItem>("id", SourceRange{}, std::move(params),
                                                  Type(DType::kF32, Exprs(Name("N"))),
                                                  MakeBlock(Return(Name("x"))), SourceRange{}));
  EXPECT_EQ(PrintModule(module),
            "(module\n"
            "  (const N 4)\n"
            "  (fn id ((x f32[N])) f32[N]\n"
            "    (block\n"
            "      (return x))))");
  EXPECT_EQ(PrintModule(Module{}), "(module)");
}

TEST(AstDeathTest, DowncastToTheWrongKindAborts) {
  ExprPtr name = Name("x");
  EXPECT_DEATH((void)name->As<IntLiteral>(), "downcast");
}

}  // namespace
}  // namespace tessel
