// lab02 task t5 (lowering the AST to IR): Tessel programs compiled through the
// whole of stage 2 (CompileModule: names, types, ranges, then LowerProgram and
// the verifier). Each test checks the shape of the IR the lowering built
// (which ops, how many calls, blocks and phis) and runs it with the reference
// interpreter against values computed here by plain loops or by hand.
// A failure prints the numbered source, the diagnostics and the lowered IR.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/printer.h"
#include "stages/runtime/compare.h"
#include "stages/sema/compile.h"

namespace tessel {
namespace {

using ir::Op;
using testing::DiagnosticsText;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using testing::Prelude;

// A compiled program: the module and what it was compiled from, for messages.
struct Compiled {
  ParsedSource source;
  std::unique_ptr<ir::Module> module;
  std::string context;  // numbered source + diagnostics + IR

  const ir::Function& entry() const { return *module->functions().front(); }
  const ir::Function* Find(const std::string& name) const { return module->FindFunction(name); }
};

Compiled Compile(const std::string& text, sema::EntryRequest request = {}) {
  Compiled compiled;
  compiled.source = ParseSource(text);
  DiagnosticEngine diags;
  compiled.module =
      sema::CompileModule(compiled.source.source(), Prelude().source(), request, diags);
  compiled.context = "program:\n" + NumberedSource(*compiled.source.file) + DiagnosticsText(diags);
  if (compiled.module) compiled.context += "lowered IR:\n" + ir::PrintModule(*compiled.module);
  return compiled;
}

int CountOps(const ir::Function& fn, Op op) {
  int count = 0;
  for (const auto& block : fn.blocks()) {
    for (const auto& instr : block->instrs()) count += instr->op() == op ? 1 : 0;
  }
  return count;
}

// Runs the entry on `args` and returns the result (failing the test on a runtime error).
Tensor Execute(const Compiled& compiled, const std::vector<Tensor>& args) {
  std::string error;
  std::optional<Tensor> result = ir::Interpret(*compiled.module, compiled.entry(), args, &error);
  EXPECT_TRUE(result) << "the interpreter failed: " << error << "\n" << compiled.context;
  return result ? *result : Tensor();
}

Tensor Values(Shape shape, std::vector<double> values) {
  return Tensor::FromValues(DType::kF32, std::move(shape), values);
}

// Fills a tensor with f(flat index).
Tensor Filled(Shape shape, const std::function<double(int64_t)>& f) {
  Tensor t(DType::kF32, std::move(shape));
  for (int64_t i = 0; i < t.size(); ++i) t.Set(i, f(i));
  return t;
}

void ExpectClose(const Tensor& actual, const Tensor& expected, const Compiled& compiled) {
  Comparison comparison = CompareTensors(actual, expected);
  EXPECT_TRUE(comparison.equal) << FormatComparison(comparison) << "\n" << compiled.context;
}

#define ASSERT_COMPILES(compiled) \
  ASSERT_TRUE((compiled).module) << "the program should compile:\n" << (compiled).context

// ------------------------------------------------------------ straight-line code

// let binds a value; operators become their IR ops; a float literal is a constant.
TEST(LowerTest, LetsAndOperatorsBecomeOps) {
  Compiled c = Compile(R"(fn f(x: f32[4], y: f32[4]) -> f32[4] {
  let z = x + y;
  return z * 2.0 - x;
})");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kAdd), 1) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kMul), 1) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kSub), 1) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kConstant), 1) << c.context;
  EXPECT_EQ(c.entry().blocks().size(), 1u) << "straight-line code is one block\n" << c.context;
  Tensor x = Values({4}, {1, 2, 3, 4}), y = Values({4}, {10, 20, 30, 40});
  ExpectClose(Execute(c, {x, y}), Values({4}, {21, 42, 63, 84}), c);
}

// A constant expression is folded by the type checker: one constant, no arithmetic.
TEST(LowerTest, CompileTimeArithmeticBecomesOneConstant) {
  Compiled c = Compile(R"(const K = 3;
fn f(x: f32[N]) -> f32[N] {
  return x * (K * N + 1);
})",
                       testing::Request("f", {{"N", 2}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kConstant), 1) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kMul), 1) << c.context;
  ExpectClose(Execute(c, {Values({2}, {1, -1})}), Values({2}, {7, -7}), c);  // 3 * 2 + 1 = 7
}

// An integer shape variable meeting a float tensor becomes an f32 constant.
TEST(LowerTest, IntegerScalarMeetsFloatTensorAsFloatConstant) {
  Compiled c = Compile(R"(fn mean_of(x: f32[N]) -> f32 {
  return sum(x) / N;
})",
                       testing::Request("mean_of", {{"N", 4}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kReduceSum), 1) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kCast), 0) << "N is a compile-time int: emit an f32 constant\n"
                                               << c.context;
  ExpectClose(Execute(c, {Values({4}, {1, 2, 3, 6})}), Tensor::Scalar(DType::kF32, 3), c);
}

// Primitives become their op with the checker's attributes.
TEST(LowerTest, PrimitivesCarryTheirAttributes) {
  Compiled c = Compile(R"(fn f(x: f32[2, 3]) -> f32[3, 1] {
  let m = max(x, axis=1, keepdims=true);
  let t = transpose(x - m);
  return sum(t, axis=-1, keepdims=true);
})");
  ASSERT_COMPILES(c);
  const ir::Instr* reduce_max = nullptr;
  const ir::Instr* reduce_sum = nullptr;
  for (const auto& instr : c.entry().entry()->instrs()) {
    if (instr->op() == Op::kReduceMax) reduce_max = instr.get();
    if (instr->op() == Op::kReduceSum) reduce_sum = instr.get();
  }
  ASSERT_TRUE(reduce_max && reduce_sum) << c.context;
  EXPECT_EQ(reduce_max->attrs().axes, std::vector<int64_t>({1})) << c.context;
  EXPECT_TRUE(reduce_max->attrs().keepdims) << c.context;
  EXPECT_EQ(reduce_sum->attrs().axes, std::vector<int64_t>({1})) << "axis -1 of rank 2 is 1\n"
                                                                 << c.context;
  // x - rowmax: [[1,2,3],[4,6,5]] -> [[-2,-1,0],[-2,0,-1]]; the transpose's rows sum to -4, -1, -1
  Tensor x = Values({2, 3}, {1, 2, 3, 4, 6, 5});
  ExpectClose(Execute(c, {x}), Values({3, 1}, {-4, -1, -1}), c);
}

// Subscripts outside a comprehension slice: one take per subscript.
TEST(LowerTest, ScalarSubscriptsBecomeTakes) {
  Compiled c = Compile(R"(fn f(w: f32[3, 2, 2], l: i32) -> f32[2] {
  return w[l][1] + w[2, 0];
})",
                       testing::Request("f", {}, {{"l", sema::ConstValue::Int(1)}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kTake), 4) << c.context;
  Tensor w = Filled({3, 2, 2}, [](int64_t i) { return static_cast<double>(i); });
  // w[1][1] = {6, 7}; w[2, 0] = {8, 9}
  ExpectClose(Execute(c, {w}), Values({2}, {14, 16}), c);
}

// A declared type with cast converts the dtype.
TEST(LowerTest, CastConvertsToTheDeclaredDtype) {
  Compiled c = Compile(R"(fn f(x: f32[3]) -> i32[3] {
  let y: i32[3] = cast(x);
  return y + 1;
})");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kCast), 1) << c.context;
  Tensor result = Execute(c, {Values({3}, {1.5, -2.5, 7})});
  EXPECT_EQ(result.dtype(), DType::kI32);
  EXPECT_EQ(result.Get(0), 2);
  EXPECT_EQ(result.Get(1), -1);
  EXPECT_EQ(result.Get(2), 8);
}

// ------------------------------------------------------------ calls and instances

// A user function stays a call; one IR function per instance.
TEST(LowerTest, UserFunctionsStayCalls) {
  Compiled c = Compile(R"(fn double(v: f32[N]) -> f32[N] { return v + v; }
fn f(x: f32[4]) -> f32[4] {
  return double(double(x));
})");
  ASSERT_COMPILES(c);
  EXPECT_EQ(c.module->functions().size(), 2u) << "f and one instance of double\n" << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kCall), 2) << c.context;
  ASSERT_TRUE(c.Find("double")) << c.context;
  ExpectClose(Execute(c, {Values({4}, {1, 2, 3, 4})}), Values({4}, {4, 8, 12, 16}), c);
}

// The same function called with two shapes becomes two instances.
TEST(LowerTest, EachShapeGetsItsOwnInstance) {
  Compiled c = Compile(R"(fn first(v: f32[N]) -> f32 { return v[0]; }
fn f(a: f32[2], b: f32[3], c: f32[2]) -> f32 {
  return first(a) + first(b) + first(c);
})");
  ASSERT_COMPILES(c);
  ASSERT_TRUE(c.Find("first") && c.Find("first.2")) << c.context;
  EXPECT_EQ(c.module->functions().size(), 3u) << "a and c share an instance\n" << c.context;
  EXPECT_EQ(c.Find("first")->args()[0]->type().shape, Shape({2})) << c.context;
  EXPECT_EQ(c.Find("first.2")->args()[0]->type().shape, Shape({3})) << c.context;
  Tensor result = Execute(c, {Values({2}, {1, 0}), Values({3}, {10, 0, 0}), Values({2}, {100, 0})});
  ExpectClose(result, Tensor::Scalar(DType::kF32, 111), c);
}

// A scalar argument known at compile time is specialized: it leaves the call.
TEST(LowerTest, SpecializedScalarsLeaveTheSignature) {
  Compiled c = Compile(R"(fn scale(v: f32[N], k: f32) -> f32[N] { return v * k; }
fn f(x: f32[3]) -> f32[3] {
  return scale(x, 2.0) + scale(x, k=3.0);
})");
  ASSERT_COMPILES(c);
  ASSERT_TRUE(c.Find("scale") && c.Find("scale.2")) << "one instance per value of k\n" << c.context;
  EXPECT_EQ(c.Find("scale")->args().size(), 1u) << "k is a constant inside\n" << c.context;
  ExpectClose(Execute(c, {Values({3}, {1, 2, 3})}), Values({3}, {5, 10, 15}), c);
}

// Prelude functions are called like user functions; softmax's axis is specialized.
TEST(LowerTest, PreludeCallsBecomeCalls) {
  Compiled c = Compile(R"(fn f(x: f32[2, 2]) -> f32[2, 2] {
  return softmax(x, axis=1);
})");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kCall), 1) << c.context;
  ASSERT_TRUE(c.Find("softmax")) << c.context;
  // softmax of [0, ln 3] is [1/4, 3/4]; of [5, 5] is [1/2, 1/2]
  Tensor x = Values({2, 2}, {0, std::log(3.0), 5, 5});
  ExpectClose(Execute(c, {x}), Values({2, 2}, {0.25, 0.75, 0.5, 0.5}), c);
}

// ------------------------------------------------------------ comprehensions

// One comprehension op with the inferred ranges; the reduction starts from 0.
TEST(LowerTest, ComprehensionBecomesOneOp) {
  Compiled c = Compile(R"(fn matmul(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  y[i, j] += a[i, k] * b[k, j];
  return y;
})",
                       testing::Request("matmul", {{"M", 2}, {"K", 3}, {"N", 2}}));
  ASSERT_COMPILES(c);
  ASSERT_EQ(CountOps(c.entry(), Op::kComprehension), 1) << c.context;
  const ir::Instr& y = *c.entry().entry()->instrs().front();
  ASSERT_EQ(y.op(), Op::kComprehension) << c.context;
  const ir::Comprehension& comp = *y.attrs().comprehension;
  EXPECT_EQ(comp.reduce_kind, ir::ReduceKind::kSum) << c.context;
  ASSERT_EQ(comp.out.size(), 2u);
  ASSERT_EQ(comp.reduce.size(), 1u);
  EXPECT_EQ(comp.reduce[0].name, "k");
  EXPECT_EQ(comp.reduce[0].hi, 3) << c.context;
  EXPECT_EQ(y.operands().size(), 2u) << "a and b are the operands\n" << c.context;
  Tensor a = Values({2, 3}, {1, 2, 3, 4, 5, 6}), b = Values({3, 2}, {1, 0, 0, 1, 1, 1});
  ExpectClose(Execute(c, {a, b}), Values({2, 2}, {4, 5, 10, 11}), c);
}

// Index variables are values; a where range gives them their extent.
TEST(LowerTest, IndexVariablesAreValues) {
  Compiled c = Compile(R"(fn mask(x: f32[T, T]) -> f32[T, T] {
  m[t, u] = select(u > t, -100.0, 0.0) where t in 0..T, u in 0..T;
  return x + m;
})",
                       testing::Request("mask", {{"T", 3}}));
  ASSERT_COMPILES(c);
  Tensor x = Filled({3, 3}, [](int64_t) { return 1.0; });
  ExpectClose(Execute(c, {x}), Values({3, 3}, {1, -99, -99, 1, 1, -99, 1, 1, 1}), c);
}

// A scalar value from outside the statement is an operand read without subscripts.
TEST(LowerTest, OuterScalarsAreOperandsOfTheComprehension) {
  Compiled c = Compile(R"(fn f(x: f32[4], s: f32[1]) -> f32[4] {
  let k = s[0];
  y[i] = x[i] * k + i;
  return y;
})");
  ASSERT_COMPILES(c);
  Tensor result = Execute(c, {Values({4}, {1, 2, 3, 4}), Values({1}, {10})});
  ExpectClose(result, Values({4}, {10, 21, 32, 43}), c);  // x[i] * 10 + i
}

// The convolution of examples/operators.tsl: ranges from two rounds of inference.
TEST(LowerTest, ConvolutionRunsOnInferredRanges) {
  Compiled c = Compile(R"(fn conv(x: f32[H, W], w: f32[R, S]) -> f32[H - R + 1, W - S + 1] {
  y[h, v] += x[h + r, v + s] * w[r, s];
  return y;
})",
                       testing::Request("conv", {{"H", 4}, {"W", 4}, {"R", 2}, {"S", 2}}));
  ASSERT_COMPILES(c);
  Tensor x = Filled({4, 4}, [](int64_t i) { return static_cast<double>(i); });
  Tensor w = Values({2, 2}, {1, 0, 0, -1});  // x[h][v] - x[h+1][v+1] = -5 everywhere
  ExpectClose(Execute(c, {x, w}), Filled({3, 3}, [](int64_t) { return -5.0; }), c);
}

// ------------------------------------------------------------ control flow

// if/else assigning a var: two arms, a join, one phi.
TEST(LowerTest, IfElseJoinsWithOnePhi) {
  Compiled c = Compile(R"(fn f(x: f32[2], flip: bool) -> f32[2] {
  var y = x;
  if flip {
    y = -x;
  } else {
    y = x + 1.0;
  }
  return y;
})",
                       testing::Request("f", {}, {{"flip", sema::ConstValue::Bool(true)}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(c.entry().blocks().size(), 4u) << "entry, then, else, join\n" << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 1) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kCondBr), 1) << c.context;
  ExpectClose(Execute(c, {Values({2}, {1, -2})}), Values({2}, {-1, 2}), c);
}

// An if without else branches straight to the join; the untouched var needs no phi.
TEST(LowerTest, IfWithoutElsePlacesOnlyNeededPhis) {
  Compiled c = Compile(R"(fn f(x: f32[2], c: bool) -> f32[2] {
  var a = x;
  var b = x;
  if c {
    a = a * 3.0;
  }
  return a + b;
})",
                       testing::Request("f", {}, {{"c", sema::ConstValue::Bool(false)}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(c.entry().blocks().size(), 3u) << "entry, then, join\n" << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 1) << "only a changes\n" << c.context;
  ExpectClose(Execute(c, {Values({2}, {1, 2})}), Values({2}, {2, 4}), c);
}

// else if chains nest: each link is an if in the else block.
TEST(LowerTest, ElseIfChainsPickOneArm) {
  const std::string source = R"(fn f(x: f32[1], mode: i32) -> f32[1] {
  var y = x;
  if mode == 0 {
    y = x + 1.0;
  } else if mode == 1 {
    y = x + 10.0;
  } else {
    y = x + 100.0;
  }
  return y;
})";
  for (int mode : {0, 1, 2}) {
    Compiled c =
        Compile(source, testing::Request("f", {}, {{"mode", sema::ConstValue::Int(mode)}}));
    ASSERT_COMPILES(c);
    EXPECT_EQ(CountOps(c.entry(), Op::kCondBr), 2) << c.context;
    double expected = mode == 0 ? 1 : mode == 1 ? 10 : 100;
    ExpectClose(Execute(c, {Values({1}, {0})}), Values({1}, {expected}), c);
  }
}

// Returning from both arms: no join block, and no code after the if.
TEST(LowerTest, ReturnsInBothArmsNeedNoJoin) {
  Compiled c = Compile(R"(fn f(x: f32[2], c: bool) -> f32[2] {
  if c {
    return x;
  } else {
    return -x;
  }
})",
                       testing::Request("f", {}, {{"c", sema::ConstValue::Bool(false)}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(c.entry().blocks().size(), 3u) << "entry and two arms that return\n" << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kRet), 2) << c.context;
  ExpectClose(Execute(c, {Values({2}, {1, 2})}), Values({2}, {-1, -2}), c);
}

// A for loop: header with the test, body, back edge; the counter and the var get phis.
TEST(LowerTest, ForLoopsCarryVarsThroughPhis) {
  Compiled c = Compile(R"(fn f(x: f32[2]) -> f32[2] {
  var acc = x;
  for i in 0..4 {
    acc = acc + x * i;
  }
  return acc;
})");
  ASSERT_COMPILES(c);
  EXPECT_EQ(c.entry().blocks().size(), 4u) << "entry, loop header, body, exit\n" << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 2) << "the counter i and acc\n" << c.context;
  // acc = x * (1 + 0 + 1 + 2 + 3) = 7x
  ExpectClose(Execute(c, {Values({2}, {1, -2})}), Values({2}, {7, -14}), c);
}

// A loop whose body reads but never writes a var needs no phi for it.
TEST(LowerTest, LoopInvariantVarsNeedNoPhi) {
  Compiled c = Compile(R"(fn f(x: f32[2]) -> f32[2] {
  var base = x * 2.0;
  var acc = x;
  for i in 0..3 {
    acc = acc + base;
  }
  return acc;
})");
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kPhi), 2) << "i and acc; base is loop-invariant\n" << c.context;
  ExpectClose(Execute(c, {Values({2}, {1, 2})}), Values({2}, {7, 14}), c);
}

// Nested loops with an if inside, the shape of examples/mlp.tsl's layer loop.
TEST(LowerTest, NestedLoopsWithABranchRun) {
  Compiled c =
      Compile(R"(fn f(w: f32[L, 2, 2], x: f32[1, 2], residual: bool) -> f32[1, 2] {
  var h = x;
  for l in 0..L {
    let z = relu(h @ w[l]);
    if residual {
      h = h + z;
    } else {
      h = z;
    }
  }
  return h;
})",
              testing::Request("f", {{"L", 2}}, {{"residual", sema::ConstValue::Bool(true)}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(CountOps(c.entry(), Op::kMatMul), 1) << c.context;
  // w[0] = identity, w[1] = [[0, 1], [1, 0]]: h = [1, -1]; + relu([1, -1]) = [2, -1];
  // h @ w[1] = [-1, 2], + relu([-1, 2]) = [2, 1]
  Tensor w = Values({2, 2, 2}, {1, 0, 0, 1, 0, 1, 1, 0});
  ExpectClose(Execute(c, {w, Values({1, 2}, {1, -1})}), Values({1, 2}, {2, 1}), c);
}

// The examples compile to IR that verifies, with the calls they make.
TEST(LowerTest, ExampleMlpLowersAndVerifies) {
  std::string error;
  std::optional<SourceFile> file =
      ReadSourceFile(std::string(TESSEL_SOURCE_DIR) + "/examples/mlp.tsl", &error);
  ASSERT_TRUE(file) << error;
  Compiled c = Compile(std::string(file->text()),
                       testing::Request("mlp", {{"B", 2}, {"H", 8}, {"L", 2}},
                                        {{"residual", sema::ConstValue::Bool(true)}}));
  ASSERT_COMPILES(c);
  EXPECT_EQ(c.entry().name(), "mlp");
  EXPECT_TRUE(c.Find("linear") && c.Find("softmax")) << c.context;
  EXPECT_EQ(CountOps(c.entry(), Op::kCall), 2) << "linear and softmax\n" << c.context;
}

}  // namespace
}  // namespace tessel
