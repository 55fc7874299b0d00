// lab01 hidden tests: whole programs the handout never shows. Valid ones
// (task t5) must parse with no diagnostics into the expected structure;
// invalid ones (task t6) must report every error at its line and column,
// several per file. A student release leaves this folder out.
#include <gtest/gtest.h>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::CountStmts;
using testing::ExpectErrors;
using testing::ExpectParses;
using testing::FindFn;
using testing::ItemNames;

// The statement `index` of fn `fn`, printed at indent 0 ("" if absent).
std::string StmtOf(const ast::Module& module, std::string_view fn, size_t index) {
  const ast::FnItem* item = FindFn(module, fn);
  if (item == nullptr || index >= item->body->stmts.size()) return "";
  return ast::PrintStmt(*item->body->stmts[index]);
}

// ---------------------------------------------------------------- valid programs

TEST(HiddenValidProgramTest, LayerNormRows) {
  testing::ExpectModuleAst(
      "// Layer normalization over the last axis, in index notation.\n"
      "const EPS = 1e-5;\n"
      "\n"
      "fn layernorm_rows(x: f32[M, N], g: f32[N], b: f32[N]) -> f32[M, N] {\n"
      "  mean[i] += x[i, j] / N;\n"
      "  d[i, j] = x[i, j] - mean[i];\n"
      "  var_[i] += d[i, j] * d[i, j] / N;   /* biased variance */\n"
      "  y[i, j] = d[i, j] / sqrt(var_[i] + EPS) * g[j] + b[j];\n"
      "  return y;\n"
      "}\n",
      "(module\n"
      "  (const EPS 1e-05)\n"
      "  (fn layernorm_rows ((x f32[M, N]) (g f32[N]) (b f32[N])) f32[M, N]\n"
      "    (block\n"
      "      (compute mean [i] += (/ (index x i j) N))\n"
      "      (compute d [i j] = (- (index x i j) (index mean i)))\n"
      "      (compute var_ [i] += (/ (* (index d i j) (index d i j)) N))\n"
      "      (compute y [i j] = (+ (* (/ (index d i j) (call sqrt (+ (index var_ i) EPS)))"
      " (index g j)) (index b j)))\n"
      "      (return y))))");
}

TEST(HiddenValidProgramTest, CausalAttentionHead) {
  testing::ModuleResult r = ExpectParses(
      "fn attention(q: f32[T, D], k: f32[T, D], v: f32[T, D]) -> f32[T, D] {\n"
      "  s[t, u] += q[t, e] * k[u, e];\n"
      "  masked[t, u] = select(u <= t, s[t, u], -1e9);\n"
      "  m[t] max= masked[t, u];\n"
      "  p[t, u] = exp(masked[t, u] - m[t]);\n"
      "  z[t] += p[t, u];\n"
      "  o[t, e] += p[t, u] / z[t] * v[u, e];\n"
      "  return o;\n"
      "}\n");
  const ast::FnItem* fn = FindFn(*r.module, "attention");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  EXPECT_EQ(CountStmts(*fn->body, ast::StmtKind::kComprehension), 6);
  EXPECT_EQ(StmtOf(*r.module, "attention", 1),
            "(compute masked [t u] = (call select (<= u t) (index s t u) (- 1e+09)))");
  EXPECT_EQ(StmtOf(*r.module, "attention", 2), "(compute m [t] max= (index masked t u))");
}

TEST(HiddenValidProgramTest, ResidualLoopWithClipping) {
  testing::ModuleResult r = ExpectParses(
      "fn clipped_residual(x: f32[B, H], w: f32[L, H, H], lo: f32, steps: i32,\n"
      "                    use_relu: bool,) -> f32[B] {\n"
      "  var h: f32[B, H] = x;\n"
      "  for l in 0..steps {\n"
      "    y[b, o] += h[b, k] * w[l, k, o];\n"
      "    if use_relu && l < steps - 1 {\n"
      "      h = relu(y) + h;\n"
      "    } else if !use_relu {\n"
      "      h = y;\n"
      "    } else {\n"
      "      h = h - y;\n"
      "    }\n"
      "  }\n"
      "  c[b] min= max(h[b, o], lo);\n"
      "  return c;\n"
      "}\n");
  const ast::FnItem* fn = FindFn(*r.module, "clipped_residual");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  EXPECT_EQ(fn->params.size(), 5u);
  EXPECT_EQ(CountStmts(*fn->body, ast::StmtKind::kAssign), 3);
  EXPECT_EQ(CountStmts(*fn->body, ast::StmtKind::kIf), 2);
  EXPECT_EQ(StmtOf(*r.module, "clipped_residual", 0), "(var h f32[B, H] x)");
  EXPECT_EQ(StmtOf(*r.module, "clipped_residual", 2),
            "(compute c [b] min= (call max (index h b o) lo))");
}

TEST(HiddenValidProgramTest, StridedConvolutionWithWhere) {
  testing::ModuleResult r = ExpectParses(
      "/* A strided 2-D convolution. The output ranges cannot be inferred from\n"
      "   2 * p + r alone, so `where` gives them. */\n"
      "fn conv_strided(x: f32[N, C, H, W], w: f32[K, C, 3, 3])\n"
      "    -> f32[N, K, (H - 3) / 2 + 1, (W - 3) / 2 + 1] {\n"
      "  y[n, k, p, q] += x[n, c, 2 * p + r, 2 * q + s] * w[k, c, r, s]   // r, s from w\n"
      "      where p in 0..(H - 3) / 2 + 1, q in 0..(W - 3) / 2 + 1;\n"
      "  return relu(y);\n"
      "}\n");
  const ast::FnItem* fn = FindFn(*r.module, "conv_strided");
  ASSERT_NE(fn, nullptr) << PrintModule(*r.module);
  EXPECT_EQ(ast::PrintType(fn->result), "f32[N, K, (+ (/ (- H 3) 2) 1), (+ (/ (- W 3) 2) 1)]");
  EXPECT_EQ(StmtOf(*r.module, "conv_strided", 0),
            "(compute y [n k p q] += (* (index x n c (+ (* 2 p) r) (+ (* 2 q) s))"
            " (index w k c r s)) (where (p 0 (+ (/ (- H 3) 2) 1)) (q 0 (+ (/ (- W 3) 2) 1))))");
}

TEST(HiddenValidProgramTest, TilesAndKeywordArgumentsNamedMaxAndMin) {
  testing::ModuleResult r = ExpectParses(
      "const TILE = 4;\n"
      "const SCALE = 0.5;\n"
      "\n"
      "fn tile_sum(x: f16[R, C]) -> f16[R / TILE, C / TILE] {\n"
      "  y[i, j] += x[TILE * i + a, TILE * j + b] * SCALE where a in 0..TILE, b in 0..TILE;\n"
      "  return y;\n"
      "}\n"
      "\n"
      "fn quantize(x: f32[N], flag: bool) -> i8[N] {\n"
      "  let scaled = x * 127.0;\n"
      "  q[i] = round(clamp(scaled[i % N], min=-128.0, max=127.0));\n"
      "  if flag == false || !true { return reshape(q, [N]); }\n"
      "  return q;\n"
      "}\n");
  EXPECT_EQ(ItemNames(*r.module),
            (std::vector<std::string>{"TILE", "SCALE", "tile_sum", "quantize"}));
  EXPECT_EQ(StmtOf(*r.module, "quantize", 1),
            "(compute q [i] = (call round (call clamp (index scaled (% i N))"
            " (kw min (- 128.0)) (kw max 127.0))))");
}

TEST(HiddenValidProgramTest, GruOverASequence) {
  testing::ModuleResult r = ExpectParses(
      "fn gru_cell(x: f32[B, I], h: f32[B, H], wz: f32[I + H, H], wr: f32[I + H, H],\n"
      "            wn: f32[I + H, H]) -> f32[B, H] {\n"
      "  let xh = concat(x, h, axis=1);\n"
      "  let z = sigmoid(xh @ wz);\n"
      "  let r = sigmoid(xh @ wr);\n"
      "  let n = tanh(concat(x, r * h, axis=1) @ wn);\n"
      "  return (1.0 - z) * n + z * h;\n"
      "}\n"
      "\n"
      "fn gru(xs: f32[T, B, I], h0: f32[B, H], wz: f32[I + H, H], wr: f32[I + H, H],\n"
      "       wn: f32[I + H, H]) -> f32[B, H] {\n"
      "  var h = h0;\n"
      "  for t in 0..T {\n"
      "    h = gru_cell(xs[t], h, wz, wr, wn);\n"
      "  }\n"
      "  m[j] += h[b, j] / B;          // the batch mean of the final state\n"
      "  centered[b, j] = h[b, j] - m[j];\n"
      "  return centered;\n"
      "}\n");
  EXPECT_EQ(ItemNames(*r.module), (std::vector<std::string>{"gru_cell", "gru"}));
  EXPECT_EQ(StmtOf(*r.module, "gru_cell", 4), "(return (+ (* (- 1.0 z) n) (* z h)))");
  EXPECT_EQ(StmtOf(*r.module, "gru", 2), "(compute m [j] += (/ (index h b j) B))");
}

// ---------------------------------------------------------------- invalid programs

TEST(HiddenInvalidProgramTest, MlpWithMissingPunctuation) {
  ExpectErrors(
      "fn linear(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {\n"
      "  y[n, o] += x[n, i] * w[i, o]\n"
      "  return y + b;\n"
      "}\n"
      "\n"
      "fn mlp(x: f32[B, 784], w0: f32[784, H], b0: f32[H]) -> f32[B, H] {\n"
      "  let h = relu(linear(x, w0, b0);\n"
      "  let z = h * * 2.0;\n"
      "  return z;\n"
      "}\n",
      {{2, 31, "found keyword 'return'"},
       {7, 33, "found ';'"},
       {8, 15, "expected expression, found '*'"}});
}

TEST(HiddenInvalidProgramTest, ModuleLevelMistakes) {
  testing::ModuleResult r = ExpectErrors(
      "const N = 4;\n"
      "let bad = 1;\n"
      "const M = N * 2;\n"
      "fn ok(x: f32[N]) -> f32[N] {\n"
      "  return x;\n"
      "}\n"
      "}\n"
      "fn also_ok() -> f32 { return 1.0 }\n"
      "const K = ;\n",
      {{2, 1, "expected 'fn' or 'const', found keyword 'let'"},
       {7, 1, "expected 'fn' or 'const', found '}'"},
       {8, 34, "expected ';', found '}'"},
       {9, 11, "expected expression, found ';'"}});
  std::vector<std::string> names = ItemNames(*r.module);
  for (const char* name : {"N", "M", "ok"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end())
        << "item " << name << " is missing after recovery: " << PrintModule(*r.module);
  }
}

TEST(HiddenInvalidProgramTest, BrokenComprehensions) {
  ExpectErrors(
      "fn pool(x: f32[N, C, H, W]) -> f32[N, C, H / 2, W / 2] {\n"
      "  y[n, c, h, v] max= x[n, c, 2 * h + i, 2 * v + j] where i in 0..2, j 0..2;\n"
      "  z[n, c, h + 1] = y[n, c, h];\n"
      "  s[n] += z[n, c, h, v]\n"
      "  return s;\n"
      "}\n",
      {{2, 71, "expected keyword 'in', found integer literal '0'"},
       {3, 13, "found '+'"},
       {4, 24, "found keyword 'return'"}});
}

TEST(HiddenInvalidProgramTest, ErrorsInsideLoopsAndBranches) {
  ExpectErrors(
      "fn rnn(x: f32[T, B, I], h0: f32[B, H], wx: f32[I, H], wh: f32[H, H]) -> f32[B, H] {\n"
      "  var h = h0;\n"
      "  for t in 0..T {\n"
      "    h = tanh(x[t] @ wx + h @ wh;\n"
      "    if t == 0 {\n"
      "      h = h +;\n"
      "    } else {\n"
      "      let = h;\n"
      "    }\n"
      "  }\n"
      "  return h\n"
      "}\n",
      {{4, 32, "found ';'"},
       {6, 14, "expected expression, found ';'"},
       {8, 11, "expected identifier, found '='"},
       {11, 11, "expected ';', found '}'"}});
}

TEST(HiddenInvalidProgramTest, BrokenFunctionHeaders) {
  testing::ModuleResult r = ExpectErrors(
      "fn a(x: f32[B,, 4]) -> f32 { return 1.0; }\n"
      "fn b(x: f32) -> { return x; }\n"
      "fn c(x: f32, y) -> f32 { return x; }\n"
      "fn (x: f32) -> f32 { return x; }\n"
      "fn e(x: f32) -> f32 { return x; }\n",
      {{1, 15, "expected expression, found ','"},
       {2, 17, "found '{'"},
       {3, 15, "expected ':', found ')'"},
       {4, 4, "expected identifier, found '('"}});
  EXPECT_NE(FindFn(*r.module, "e"), nullptr) << PrintModule(*r.module);
}

TEST(HiddenInvalidProgramTest, LexicalAndSyntaxErrorsInATransformer) {
  ExpectErrors(
      "const NH = 4;\n"
      "const SCALE = 0.25 $;\n"
      "fn attention(q: f32[T, D], k: f32[T, D]) -> f32[T, T] {\n"
      "  s[t, u] += q[t, e] * k[u, e] * SCALE;\n"
      "  mask[t, u] = select(u > t, -1e, 0.0) where t in 0..T, u in 0..T;\n"
      "  return softmax(s + mask, axis=);\n"
      "}\n"
      "fn block(x: f32[T, D]) -> f32[T, D] {\n"
      "  let a = x + attention(x, x) @ x\n"
      "  let b = layernorm(a, eps=1e-5);\n"
      "  return b | a;\n"
      "}\n",
      {{2, 20, "unexpected character '$'"},
       {5, 31, "exponent has no digits"},
       {6, 33, "expected expression, found ')'"},
       {9, 34, "expected ';', found keyword 'let'"},
       {11, 12, "unexpected character '|'"},
       {11, 14, "expected ';', found identifier 'a'"}});
}

}  // namespace
}  // namespace tessel
