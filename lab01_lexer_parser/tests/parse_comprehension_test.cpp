// lab01 task t5 (comprehensions and whole models): index-notation statements
// `y[i, j] op value [where ...];` with every reduction operator (max= and
// min= read in context), then the example models under examples/, which must
// parse with no diagnostics.
#include <gtest/gtest.h>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectModuleAst;
using testing::ExpectParses;
using testing::ExpectStmtAst;

// ---------------------------------------------------------------- comprehensions

TEST(ParseComprehensionTest, SumReduction) {
  ExpectStmtAst("y[n, o] += x[n, i] * w[i, o];",
                "(compute y [n o] += (* (index x n i) (index w i o)))");
}

TEST(ParseComprehensionTest, PlainAssignment) {
  ExpectStmtAst("y[j, i] = x[i, j];", "(compute y [j i] = (index x i j))");
}

TEST(ParseComprehensionTest, ProductReduction) {
  ExpectStmtAst("p[i] *= x[i, j] + 1.0;", "(compute p [i] *= (+ (index x i j) 1.0))");
}

TEST(ParseComprehensionTest, MaxReductionIsContextual) {
  ExpectStmtAst("m[i] max= x[i, j];", "(compute m [i] max= (index x i j))");
}

TEST(ParseComprehensionTest, MinReductionIsContextual) {
  ExpectStmtAst("m[i] min= x[i, j] - b[j];", "(compute m [i] min= (- (index x i j) (index b j)))");
}

TEST(ParseComprehensionTest, MaxAndMinStayNamesOutsideTheOperator) {
  ExpectStmtAst("var max = 0;\nm[i] max= max(x[i, j], min);\nmax = m;",
                "(var max 0)\n"
                "(compute m [i] max= (call max (index x i j) min))\n"
                "(assign max m)");
}

TEST(ParseComprehensionTest, WhereGivesRangesOfReducedIndices) {
  ExpectStmtAst("y[n, c, h, v] max= x[n, c, 2*h + i, 2*v + j] where i in 0..2, j in 0..2;",
                "(compute y [n c h v] max= (index x n c (+ (* 2 h) i) (+ (* 2 v) j))"
                " (where (i 0 2) (j 0 2)))");
}

TEST(ParseComprehensionTest, WhereBoundsAreExpressions) {
  ExpectStmtAst("s[i] += x[i + k] where k in 0..K - 1;",
                "(compute s [i] += (index x (+ i k)) (where (k 0 (- K 1))))");
}

TEST(ParseComprehensionTest, IndexVariablesAreValues) {
  ExpectStmtAst("mask[t, u] = select(u > t, -1e9, 0.0) where t in 0..T, u in 0..T;",
                "(compute mask [t u] = (call select (> u t) (- 1e+09) 0.0)"
                " (where (t 0 T) (u 0 T)))");
}

TEST(ParseComprehensionTest, ComprehensionsInsideControlFlow) {
  ExpectStmtAst("for l in 0..L {\n  if l > 0 { y[i] += x[i, j]; }\n}",
                "(for l 0 L\n"
                "  (block\n"
                "    (if (> l 0)\n"
                "      (block\n"
                "        (compute y [i] += (index x i j))))))");
}

TEST(ParseComprehensionTest, ComprehensionAfterIndexedAssignmentLookalikes) {
  // `y = x[i];` is an assignment, `y[i] = x[i];` a comprehension: the token
  // after the name decides.
  ExpectStmtAst("y = x[i];\ny[i] = x[i];", "(assign y (index x i))\n(compute y [i] = (index x i))");
}

TEST(ParseComprehensionTest, LinearLayerFunction) {
  ExpectModuleAst(
      "fn linear(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {\n"
      "  y[n, o] += x[n, i] * w[i, o];   // i only on the right: reduced\n"
      "  return y + b;\n"
      "}\n",
      "(module\n"
      "  (fn linear ((x f32[B, I]) (w f32[I, O]) (b f32[O])) f32[B, O]\n"
      "    (block\n"
      "      (compute y [n o] += (* (index x n i) (index w i o)))\n"
      "      (return (+ y b)))))");
}

TEST(ParseComprehensionTest, SoftmaxInFourComprehensions) {
  testing::ModuleResult r = ExpectParses(
      "fn row_softmax(x: f32[M, N]) -> f32[M, N] {\n"
      "  m[i] max= x[i, j];\n"
      "  e[i, j] = exp(x[i, j] - m[i]);\n"
      "  s[i] += e[i, j];\n"
      "  y[i, j] = e[i, j] / s[i];\n"
      "  return y;\n"
      "}\n");
  const ast::FnItem* fn = testing::FindFn(*r.module, "row_softmax");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  EXPECT_EQ(testing::CountStmts(*fn->body, ast::StmtKind::kComprehension), 4);
  ASSERT_EQ(fn->body->stmts.size(), 5u);
  const auto& first = fn->body->stmts[0]->As<ast::ComprehensionStmt>();
  EXPECT_EQ(first.op, ast::ReduceOp::kMax);
  EXPECT_EQ(first.indices, (std::vector<std::string>{"i"}));
}

// ---------------------------------------------------------------- examples/

// Each example parses with no diagnostics at all and holds the expected
// functions; `entry` must be among them.
testing::ModuleResult ExpectExample(const std::string& file, const std::vector<std::string>& fns,
                                    testing::Where where = testing::Where::current()) {
  testing::ModuleResult r = ExpectParses(testing::ReadExample(file, where), where);
  for (const std::string& fn : fns) {
    if (testing::FindFn(*r.module, fn) == nullptr) {
      testing::Fail(where, "examples/" + file + " has no fn '" + fn + "'; its items: " +
                               testing::JoinLines(testing::ItemNames(*r.module)));
    }
  }
  return r;
}

int CountInModule(const ast::Module& module, ast::StmtKind kind) {
  int count = 0;
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind == ast::ItemKind::kFn)
      count += testing::CountStmts(*item->As<ast::FnItem>().body, kind);
  }
  return count;
}

TEST(ParseExamplesTest, Mlp) {
  testing::ModuleResult r = ExpectExample("mlp.tsl", {"linear", "mlp"});
  const ast::FnItem* mlp = testing::FindFn(*r.module, "mlp");
  ASSERT_NE(mlp, nullptr);
  EXPECT_EQ(mlp->params.size(), 8u);
  EXPECT_EQ(testing::CountStmts(*mlp->body, ast::StmtKind::kFor), 1);
  EXPECT_EQ(testing::CountStmts(*mlp->body, ast::StmtKind::kIf), 1);
  EXPECT_GE(CountInModule(*r.module, ast::StmtKind::kComprehension), 1);
}

TEST(ParseExamplesTest, Cnn) {
  testing::ModuleResult r = ExpectExample("cnn.tsl", {"lenet"});
  const ast::FnItem* lenet = testing::FindFn(*r.module, "lenet");
  ASSERT_NE(lenet, nullptr);
  EXPECT_EQ(ast::PrintType(lenet->result), "f32[N, 10]");
  EXPECT_GE(CountInModule(*r.module, ast::StmtKind::kComprehension), 1);
}

TEST(ParseExamplesTest, TransformerBlock) {
  testing::ModuleResult r = ExpectExample(
      "transformer.tsl", {"causal_self_attention", "feed_forward", "transformer_block"});
  const ast::FnItem* attention = testing::FindFn(*r.module, "causal_self_attention");
  ASSERT_NE(attention, nullptr);
  EXPECT_GE(testing::CountStmts(*attention->body, ast::StmtKind::kComprehension), 2);
  EXPECT_GE(r.module->items.size(), 4u);  // constants come before the functions
}

TEST(ParseExamplesTest, Rnn) {
  testing::ModuleResult r = ExpectExample("rnn.tsl", {"rnn"});
  const ast::FnItem* rnn = testing::FindFn(*r.module, "rnn");
  ASSERT_NE(rnn, nullptr);
  EXPECT_GE(testing::CountStmts(*rnn->body, ast::StmtKind::kFor), 1);
  EXPECT_GE(testing::CountStmts(*rnn->body, ast::StmtKind::kVar), 2);
  EXPECT_GE(CountInModule(*r.module, ast::StmtKind::kComprehension), 1);
}

TEST(ParseExamplesTest, IndexOperators) {
  testing::ModuleResult r =
      ExpectExample("operators.tsl", {"matmul2d", "transpose2d", "maxpool2x2", "causal_mask"});
  EXPECT_GE(CountInModule(*r.module, ast::StmtKind::kComprehension), 8);
  const ast::FnItem* pool = testing::FindFn(*r.module, "maxpool2x2");
  ASSERT_NE(pool, nullptr);
  ASSERT_FALSE(pool->body->stmts.empty());
  ASSERT_EQ(pool->body->stmts[0]->kind, ast::StmtKind::kComprehension);
  const auto& c = pool->body->stmts[0]->As<ast::ComprehensionStmt>();
  EXPECT_EQ(c.op, ast::ReduceOp::kMax);
  EXPECT_EQ(c.where.size(), 2u);
}

}  // namespace
}  // namespace tessel
