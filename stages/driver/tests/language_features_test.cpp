// Stage 2's newer language features end to end (docs/language.md §1.3, §3.1, §4.1, §5.2):
// parameter defaults, the predefined inf, math in constants, and the ported primitives'
// argument checks. Each program is compiled as `tessel run` compiles it; a good one is run by
// the interpreter and its value checked by hand, a bad one must give the located error quoted.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/driver/run_tsl.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/printer.h"
#include "stages/runtime/compare.h"

namespace tessel {
namespace {

struct Result {
  std::unique_ptr<ir::Module> module;
  std::string messages;
};

Result Compile(const std::string& text) {
  SourceFile file("test.tsl", text);
  RunOptions options;
  options.file = file.name();
  DiagnosticEngine diags;
  std::string flag_error;
  Result result;
  result.module = CompileTslFile(file, options, {}, diags, &flag_error);
  std::ostringstream out;
  diags.Print(out);
  result.messages = out.str() + flag_error;
  return result;
}

// Compiles and runs `text` (its entry takes no tensors) and returns the result.
Tensor Run(const std::string& text) {
  Result r = Compile(text);
  EXPECT_TRUE(r.module) << text << r.messages;
  if (!r.module) return Tensor();
  std::string error;
  std::optional<Tensor> value =
      ir::Interpret(*r.module, *r.module->functions().front(), {}, &error);
  EXPECT_TRUE(value) << error;
  return value ? *value : Tensor();
}

void ExpectValues(const std::string& text, const std::vector<double>& expected) {
  Tensor value = Run(text);
  ASSERT_EQ(value.size(), static_cast<int64_t>(expected.size())) << text;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(value.Get(static_cast<int64_t>(i)), expected[i], 1e-6) << text << " at " << i;
  }
}

// The first error must contain `message`, at `line`:`col`.
void ExpectError(const std::string& text, int line, int col, const std::string& message) {
  Result r = Compile(text);
  EXPECT_FALSE(r.module) << text;
  std::string where = "test.tsl:" + std::to_string(line) + ":" + std::to_string(col) + ": error: ";
  EXPECT_NE(r.messages.find(where + message), std::string::npos)
      << "expected " << where << message << "\ngot:\n"
      << r.messages;
}

// ------------------------------------------------------------ defaults

TEST(DefaultsTest, AnOmittedParameterTakesItsDefault) {
  // scale(2) = 2 * 3 + 10 * 3 = 36; scale(2, k=1) = 2 + 10 = 12; scale(2, 1, 0) = 2.
  ExpectValues(
      "fn scale(x: f32, k: f32 = 3.0, shift: f32 = 10.0 * k) -> f32 { return x * k + shift; }\n"
      "fn main() -> f32[3] {\n"
      "  return concat([reshape(scale(2.0), [1]), reshape(scale(2.0, k=1.0), [1]),\n"
      "                 reshape(scale(2.0, 1.0, 0.0), [1])]);\n"
      "}\n",
      {36, 12, 2});
}

TEST(DefaultsTest, ADefaultMayUseAShapeVariableAndMath) {
  // n = N * 2 = 8 for f32[4]; half = sqrt(n * 2) = 4.
  ExpectValues(
      "fn count(x: f32[N], n: i32 = N * 2, half: f32 = sqrt(n * 2)) -> f32 { return n + half; }\n"
      "fn main() -> f32 { return count(broadcast(1.0, [4])); }\n",
      {12});
}

TEST(DefaultsTest, TheEntrysScalarsMayHaveDefaults) {
  ExpectValues("fn main(k: i32 = 7) -> i32 { return k * 2; }\n", {14});
}

TEST(DefaultsTest, MisplacedDefaultsAreErrors) {
  ExpectError("fn f(x: f32[4] = 1.0) -> f32[4] { return x; }\nfn main() -> f32 { return 1.0; }\n",
              1, 18, "only a scalar parameter may have a default; 'x' is a tensor");
  ExpectError("fn f(a: f32 = 1.0, b: f32) -> f32 { return a; }\nfn main() -> f32 { return 1.0; }\n",
              1, 20, "parameter 'b' of 'f' needs a default: it follows 'a', which has one");
  ExpectError("fn f(a: f32 = q) -> f32 { return a; }\nfn main() -> f32 { return 1.0; }\n", 1, 15,
              "undefined name 'q' in the default of 'a'");
}

TEST(DefaultsTest, ADefaultOfConstantsIsCheckedWhereItIsWritten) {
  // Whether or not anything calls f.
  ExpectError("fn f(a: i32 = 1 / 0) -> i32 { return a; }\nfn main() -> i32 { return 1; }\n", 1, 15,
              "division by zero");
  ExpectError("fn f(k: i32 = 1.5) -> i32 { return k; }\nfn main() -> i32 { return 1; }\n", 1, 15,
              "the default of 'k' is 1.5, not an integer (the parameter is i32)");
  ExpectError("fn main(k: bool = 0) -> i32 { return 1; }\n", 1, 19,
              "the default of 'k' is 0, not a bool (the parameter is bool)");
  ExpectError("fn f(k: i32 = [1, 2]) -> i32 { return k; }\nfn main() -> i32 { return 1; }\n", 1, 15,
              "a default must be a scalar known at compile time, found a list");
  ExpectError(
      "fn f(k: f32 = softmax(1.0)) -> f32 { return k; }\nfn main() -> f32 { return 1.0; }\n", 1, 15,
      "only elementwise math may be called at compile time (");
}

TEST(DefaultsTest, ADefaultOfParametersIsEvaluatedAtEachCall) {
  ExpectError(
      "fn f(a: i32, b: i32 = 10 / a) -> i32 { return b; }\nfn main() -> i32 { return f(0); }\n", 2,
      27, "the default of 'b' of 'f' (10 / a): division by zero");
  // a: f32 = 3 holds 3.0, so b = a / 2 is 1.5 (not the integer 1).
  ExpectValues(
      "fn f(a: f32 = 3, b: f32 = a / 2) -> f32 { return b; }\n"
      "fn main() -> f32[2] { return concat([reshape(f(), [1]), reshape(f(a=5), [1])]); }\n",
      {1.5, 2.5});
}

TEST(DefaultsTest, ComputedPreludeParametersCannotBeGiven) {
  ExpectError("fn main(x: f32[1, 1, 4, 4]) -> f32[1, 1, 2, 2] { return maxpool2d(x, _out_h=2); }\n",
              1, 77, "'_out_h' of 'maxpool2d' is computed from the other arguments; leave it out");
}

TEST(DefaultsTest, APreludeCallThatFitsNoRankSaysWhichRanksExist) {
  // The message lists the arguments the call gives (not gelu's defaulted `approximate`).
  ExpectError("fn main(x: f32[2, 2, 2, 2, 3]) -> f32[2, 2, 2, 2, 3] { return gelu(x); }\n", 1, 63,
              "no definition of 'gelu' in the prelude takes (f32[2, 2, 2, 2, 3]): its definitions "
              "take 'x' of rank 1, 2, 3 or 4; see docs/language.md §5.3");
}

// ------------------------------------------------------------ inf and constants

TEST(ConstantExpressionsTest, InfAndMathCallsAreCompileTimeValues) {
  // SCALE = 1 / sqrt(16) = 0.25; maximum(-inf, SCALE) = 0.25; round(2.5) = 2 (ties to even);
  // minimum(inf, 5) = 5.
  ExpectValues(
      "const SCALE = 1.0 / sqrt(16.0);\nconst LOW = -inf;\n"
      "fn main() -> f32[3] { return concat([reshape(maximum(LOW, SCALE), [1]),\n"
      "  reshape(round(2.5), [1]), reshape(minimum(inf, 5.0), [1])]); }\n",
      {0.25, 2, 5});
}

TEST(ConstantExpressionsTest, InfCannotBeDeclared) {
  ExpectError("fn main() -> f32 {\n  let inf = 1.0;\n  return inf;\n}\n", 2, 7,
              "'inf' is predefined (the float infinity) and cannot be declared as a variable");
  ExpectError("const inf = 2;\nfn main() -> f32 { return 1.0; }\n", 1, 7,
              "'inf' is predefined (the float infinity) and cannot be declared as a constant");
  ExpectError(
      "fn main(x: f32[inf]) -> f32 { return 1.0; }\n", 1, 16,
      "'inf' is predefined (the float infinity) and cannot be declared as a shape variable");
}

TEST(ConstantExpressionsTest, MathBindsKeywordsAndKeepsIntegersSixtyFourBit) {
  // pow(b=3, a=2) = 2^3 = 8; pow(2, 40) / 2^20 = 2^20 = 1048576 (no 32-bit wrap);
  // floor_div(-1.0, inf) = -1 as in Python.
  ExpectValues(
      "const K = pow(b=3, a=2);\nconst BIG = pow(2, 40) / 1048576;\n"
      "const F = floor_div(-1.0, inf);\n"
      "fn main() -> f32[3] { return concat([reshape(K * 1.0, [1]), reshape(BIG * 1.0, [1]),\n"
      "  reshape(F, [1])]); }\n",
      {8, 1048576, -1});
  ExpectError("const K = pow(2, 64);\nfn main() -> f32 { return 1.0; }\n", 1, 11,
              "integer overflow in pow(2, 64) in constant expression");
}

TEST(ConstantExpressionsTest, OnlyMathMayBeCalledInAConstant) {
  ExpectError("const K = softmax(2.0);\nfn main() -> f32 { return 1.0; }\n", 1, 11,
              "only elementwise math may be called at compile time (");
}

// ------------------------------------------------------------ primitives' arguments

TEST(PrimitiveArgumentsTest, SliceTakesPythonsBoundsAndAPositiveStep) {
  // 0..9 from -4 (= 6) to the end by 2: 6, 8; start=-100 clamps to 0, end=3 stops before 3.
  ExpectValues(
      "fn main() -> f32[5] {\n  y[i] = i * 1.0 where i in 0..10;\n"
      "  return concat([slice(y, axis=0, start=-4, step=2), slice(y, 0, start=-100, end=3)]);\n}\n",
      {6, 8, 0, 1, 2});
  ExpectError("fn main(x: f32[4]) -> f32[4] { return slice(x, axis=0, step=0); }\n", 1, 61,
              "the step of slice must be positive, found 0");
}

TEST(PrimitiveArgumentsTest, PadChecksItsWidths) {
  ExpectError("fn main(x: f32[4]) -> f32[6] { return pad(x, [1], low=[1]); }\n", 1, 46,
              "pad takes either widths or low= and high=, not both");
  ExpectError("fn main(x: f32[4, 4]) -> f32[6, 6] { return pad(x, low=[1]); }\n", 1, 56,
              "'low' of pad needs 2 widths, one per axis, found 1");
  ExpectError("fn main(x: f32[4]) -> f32[6] { return pad(x, low=[-1]); }\n", 1, 50,
              "'low' of pad has a negative width (-1)");
  ExpectError("fn main(x: i32[3]) -> i32[5] { return pad(x, [1], value=-inf); }\n", 1, 57,
              "'value' of pad of i32[3]: the fill -inf is not a whole number, so not an integer");
  // low 1, high 2 with value 7: [7, x0, x1, 7, 7].
  ExpectValues(
      "fn main() -> f32[5] { return pad(broadcast(0.5, [2]), low=[1], high=[2], value=7); }\n",
      {7, 0.5, 0.5, 7, 7});
}

TEST(PrimitiveArgumentsTest, UpdateSliceChecksRanksAndStarts) {
  ExpectError(
      "fn main(x: f32[4, 3], h: f32[3]) -> f32[4, 3] { return update_slice(x, h, [0, 0]); }\n", 1,
      72, "update_slice of f32[4, 3] needs an update of rank 2, found f32[3]");
  ExpectError(
      "fn main(x: f32[4, 3], h: f32[1, 3]) -> f32[4, 3] { return update_slice(x, h, [0]); }\n", 1,
      78, "update_slice of f32[4, 3] needs 2 start indices, one per axis, found 1");
  ExpectError(
      "fn main(x: f32[4, 3], h: f32[1, 3]) -> f32[4, 3] { return update_slice(x, h, [0.5, 0]); }\n",
      1, 79, "a start index of update_slice must be an i32 scalar, found f32");
}

TEST(PrimitiveArgumentsTest, ArgmaxNeedsAnAxisBeyondVectors) {
  ExpectError("fn main(x: f32[2, 3]) -> i32[2] { return argmax(x); }\n", 1, 42,
              "argmax of f32[2, 3] needs an axis: argmax(x, axis=1)");
  // argmax of [3, 9, 9, 1] is 1: the first of the ties.
  ExpectValues(
      "fn main() -> i32 {\n  y[i] = select(i == 1 || i == 2, 9.0, 3.0 - i) where i in 0..4;\n"
      "  return argmax(y);\n}\n",
      {1});
}

}  // namespace
}  // namespace tessel
