// lab01 task t4 (statements, types and functions): ParseModule on valid
// programs without comprehensions. ParseStmtTest checks each statement form
// inside a function body; ParseItemTest checks const and fn items, parameter
// lists and types.
#include <gtest/gtest.h>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectModuleAst;
using testing::ExpectParses;
using testing::ExpectStmtAst;

// ---------------------------------------------------------------- statements

TEST(ParseStmtTest, Let) { ExpectStmtAst("let x = 1;", "(let x 1)"); }

TEST(ParseStmtTest, LetWithTensorType) {
  ExpectStmtAst("let x: f32[B, 4] = zeros();", "(let x f32[B, 4] (call zeros))");
}

TEST(ParseStmtTest, ScalarTypesWithAndWithoutBrackets) {
  ExpectStmtAst("let s: f32[] = 1.0;\nvar n: i32 = 0;", "(let s f32 1.0)\n(var n i32 0)");
}

TEST(ParseStmtTest, Var) { ExpectStmtAst("var h = relu(x);", "(var h (call relu x))"); }

TEST(ParseStmtTest, AssignRebindsAName) { ExpectStmtAst("h = h + z;", "(assign h (+ h z))"); }

TEST(ParseStmtTest, Return) { ExpectStmtAst("return y + b;", "(return (+ y b))"); }

TEST(ParseStmtTest, StatementsKeepTheirOrder) {
  ExpectStmtAst("let a = 1;\nvar b = a;\nb = b * 2;\nreturn b;",
                "(let a 1)\n(var b a)\n(assign b (* b 2))\n(return b)");
}

TEST(ParseStmtTest, LetWithSlicingAndMatmul) {
  ExpectStmtAst("let z = relu(h @ wh[l] + bh[l]);",
                "(let z (call relu (+ (@ h (index wh l)) (index bh l))))");
}

TEST(ParseStmtTest, IfWithoutElse) {
  ExpectStmtAst("if x < 0 { return 0; }",
                "(if (< x 0)\n"
                "  (block\n"
                "    (return 0)))");
}

TEST(ParseStmtTest, IfElse) {
  ExpectStmtAst("if residual { h = h + z; } else { h = z; }",
                "(if residual\n"
                "  (block\n"
                "    (assign h (+ h z)))\n"
                "  (block\n"
                "    (assign h z)))");
}

TEST(ParseStmtTest, ElseIfChainNests) {
  ExpectStmtAst("if a { return 1; } else if b { return 2; } else { return 3; }",
                "(if a\n"
                "  (block\n"
                "    (return 1))\n"
                "  (if b\n"
                "    (block\n"
                "      (return 2))\n"
                "    (block\n"
                "      (return 3))))");
}

TEST(ParseStmtTest, ForOverARange) {
  ExpectStmtAst("for l in 0..L { h = h + 1; }",
                "(for l 0 L\n"
                "  (block\n"
                "    (assign h (+ h 1))))");
}

TEST(ParseStmtTest, ForBoundsAreExpressions) {
  ExpectStmtAst("for i in a + 1..n * 2 { }", "(for i (+ a 1) (* n 2)\n  (block))");
}

TEST(ParseStmtTest, NestedForAndIf) {
  ExpectStmtAst(
      "for t in 0..T {\n"
      "  if t == 0 { p = h; } else { p = p + h; }\n"
      "}",
      "(for t 0 T\n"
      "  (block\n"
      "    (if (== t 0)\n"
      "      (block\n"
      "        (assign p h))\n"
      "      (block\n"
      "        (assign p (+ p h))))))");
}

TEST(ParseStmtTest, EmptyBlocks) {
  ExpectStmtAst("if c { } else { }", "(if c\n  (block)\n  (block))");
}

TEST(ParseStmtTest, StatementsMaySpanLines) {
  ExpectStmtAst("let y =\n  softmax(x,\n          axis=1);",
                "(let y (call softmax x (kw axis 1)))");
}

// ---------------------------------------------------------------- items

TEST(ParseItemTest, Const) { ExpectModuleAst("const N = 4;", "(module\n  (const N 4))"); }

TEST(ParseItemTest, ConstWithExpression) {
  ExpectModuleAst("const D = 4 * 16;\nconst EPS = 1e-5;",
                  "(module\n  (const D (* 4 16))\n  (const EPS 1e-05))");
}

TEST(ParseItemTest, FnWithoutParameters) {
  ExpectModuleAst("fn one() -> f32 { return 1.0; }",
                  "(module\n"
                  "  (fn one () f32\n"
                  "    (block\n"
                  "      (return 1.0))))");
}

TEST(ParseItemTest, FnWithShapedParametersAndResult) {
  ExpectModuleAst(
      "fn affine(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {\n"
      "  return x @ w + b;\n"
      "}\n",
      "(module\n"
      "  (fn affine ((x f32[B, I]) (w f32[I, O]) (b f32[O])) f32[B, O]\n"
      "    (block\n"
      "      (return (+ (@ x w) b)))))");
}

TEST(ParseItemTest, EveryDtype) {
  ExpectModuleAst("fn f(a: f32, b: f16, c: i32, d: i8, e: bool) -> bool { return e; }",
                  "(module\n"
                  "  (fn f ((a f32) (b f16) (c i32) (d i8) (e bool)) bool\n"
                  "    (block\n"
                  "      (return e))))");
}

TEST(ParseItemTest, DimensionsAreShapeArithmetic) {
  ExpectModuleAst("fn f(x: f32[N, C, H, W]) -> f32[N, H - R + 1, H / 2, 3] { return x; }",
                  "(module\n"
                  "  (fn f ((x f32[N, C, H, W])) f32[N, (+ (- H R) 1), (/ H 2), 3]\n"
                  "    (block\n"
                  "      (return x))))");
}

TEST(ParseItemTest, TrailingCommaAfterLastParameter) {
  ExpectModuleAst("fn f(a: f32,\n     b: f32,\n) -> f32 { return a + b; }",
                  "(module\n"
                  "  (fn f ((a f32) (b f32)) f32\n"
                  "    (block\n"
                  "      (return (+ a b)))))");
}

TEST(ParseItemTest, ParameterDefaultsAreExpressions) {
  ExpectModuleAst(
      "fn pool(x: f32[H], size: i32 = 2, stride: i32 = size, eps: f32 = -1e-5,) "
      "-> f32[H] { return x; }",
      "(module\n"
      "  (fn pool ((x f32[H]) (size i32 = 2) (stride i32 = size) (eps f32 = (- 1e-05)))"
      " f32[H]\n"
      "    (block\n"
      "      (return x))))");
}

TEST(ParseItemTest, EmptyBodyAndScalarBracketResult) {
  ExpectModuleAst("fn f() -> i8[] {}", "(module\n  (fn f () i8\n    (block)))");
}

TEST(ParseItemTest, ItemsKeepTheirOrder) {
  testing::ModuleResult r = ExpectParses(
      "const A = 1;\n"
      "fn first() -> f32 { return A; }\n"
      "const B = 2;\n"
      "fn second(x: f32) -> f32 { return first() + x; }\n");
  EXPECT_EQ(testing::ItemNames(*r.module), (std::vector<std::string>{"A", "first", "B", "second"}));
}

TEST(ParseItemTest, FnRecordsParameterNamesAndTypes) {
  testing::ModuleResult r = ExpectParses("fn g(flag: bool, x: f16[4]) -> f16[4] { return x; }");
  const ast::FnItem* fn = testing::FindFn(*r.module, "g");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  ASSERT_EQ(fn->params.size(), 2u);
  EXPECT_EQ(fn->params[0].name, "flag");
  EXPECT_EQ(fn->params[0].type.dtype, DType::kBool);
  EXPECT_TRUE(fn->params[0].type.dims.empty());
  EXPECT_EQ(fn->params[1].name, "x");
  EXPECT_EQ(fn->params[1].type.dtype, DType::kF16);
  EXPECT_EQ(fn->params[1].type.dims.size(), 1u);
  EXPECT_EQ(fn->name_range.begin.col, 4u);
}

TEST(ParseItemTest, MlpWithControlFlow) {
  testing::ModuleResult r = ExpectParses(
      "fn mlp(x: f32[B, 784], w0: f32[784, H], b0: f32[H], wh: f32[L, H, H], bh: f32[L, H],\n"
      "       wo: f32[H, 10], bo: f32[10], residual: bool) -> f32[B, 10] {\n"
      "  var h = relu(linear(x, w0, b0));\n"
      "  for l in 0..L {\n"
      "    let z = relu(h @ wh[l] + bh[l]);\n"
      "    if residual { h = h + z; } else { h = z; }\n"
      "  }\n"
      "  return softmax(h @ wo + bo, axis=1);\n"
      "}\n");
  const ast::FnItem* fn = testing::FindFn(*r.module, "mlp");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  EXPECT_EQ(fn->params.size(), 8u);
  EXPECT_EQ(ast::PrintType(fn->result), "f32[B, 10]");
  ASSERT_EQ(fn->body->stmts.size(), 3u) << PrintModule(*r.module);
  EXPECT_EQ(fn->body->stmts[1]->kind, ast::StmtKind::kFor);
  EXPECT_EQ(testing::CountStmts(*fn->body, ast::StmtKind::kAssign), 2);
  EXPECT_EQ(ast::PrintStmt(*fn->body->stmts[2]),
            "(return (call softmax (+ (@ h wo) bo) (kw axis 1)))");
}

}  // namespace
}  // namespace tessel
