// Stage 2 end to end, as `tessel run` drives it: Tessel source compiled by
// CompileTslFile (parse, directives, names, shapes, ranges, lowering,
// verifier) and run by the reference IR interpreter.
//
//  - ModelReferenceTest: examples/mlp.tsl, cnn.tsl and lstm.tsl on fixed inputs,
//    compared with outputs NumPy computed independently from the math
//    (tools/make_reference_outputs.py wrote stages/driver/tests/reference/).
//  - HandComputedTest: small programs written here, on numbers chosen so that
//    every expected value is worked out by hand in a comment.
//  - ExampleIrRoundTripTest: every example's IR prints, parses back and prints the
//    same text, and every instruction has a source location that round-trips too.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/driver/run_command.h"
#include "stages/driver/run_tsl.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"
#include "stages/runtime/compare.h"
#include "stages/runtime/npy.h"

namespace tessel {
namespace {

std::string SourcePath(const std::string& relative) {
  return std::string(TESSEL_SOURCE_DIR) + "/" + relative;
}

// A compiled program and what it was compiled from, for failure messages.
struct Compiled {
  std::unique_ptr<SourceFile> file;
  std::unique_ptr<ir::Module> module;
  std::string messages;  // diagnostics, flag error and the IR

  const ir::Function& entry() const { return *module->functions().front(); }
};

Compiled Compile(SourceFile file, RunOptions options) {
  Compiled compiled;
  compiled.file = std::make_unique<SourceFile>(std::move(file));
  options.file = compiled.file->name();
  DiagnosticEngine diags;
  std::string flag_error;
  compiled.module = CompileTslFile(*compiled.file, options, {}, diags, &flag_error);
  std::ostringstream messages;
  diags.Print(messages);
  if (!flag_error.empty()) messages << "flag error: " << flag_error << "\n";
  if (compiled.module) messages << "IR:\n" << ir::PrintModule(*compiled.module);
  compiled.messages = messages.str();
  return compiled;
}

Compiled CompileExample(const std::string& relative_path, RunOptions options = {}) {
  std::string error;
  std::optional<SourceFile> file = ReadSourceFile(SourcePath(relative_path), &error);
  if (!file) {
    ADD_FAILURE() << error;
    return {};
  }
  return Compile(std::move(*file), std::move(options));
}

// Runs the entry on `args`; a runtime error fails the test and gives an empty tensor.
Tensor RunEntry(const Compiled& compiled, const std::vector<Tensor>& args) {
  std::string error;
  std::optional<Tensor> result = ir::Interpret(*compiled.module, compiled.entry(), args, &error);
  EXPECT_TRUE(result) << "the interpreter failed: " << error << "\n" << compiled.messages;
  return result ? *result : Tensor();
}

Tensor F32(Shape shape, const std::vector<double>& values) {
  return Tensor::FromValues(DType::kF32, std::move(shape), values);
}

// 0, 1, ..., 15 as an f32[1, 1, 4, 4] image:
//    0  1  2  3
//    4  5  6  7
//    8  9 10 11
//   12 13 14 15
Tensor Ramp4x4() {
  std::vector<double> values;
  for (int i = 0; i < 16; ++i) values.push_back(i);
  return F32({1, 1, 4, 4}, values);
}

void ExpectClose(const Tensor& actual, const Tensor& expected, const Compiled& compiled,
                 Tolerance tol = {}) {
  Comparison comparison = CompareTensors(actual, expected, tol);
  EXPECT_TRUE(comparison.equal) << FormatComparison(comparison, tol) << "\n" << compiled.messages;
}

// Compiles `text` (entry: its first function unless a directive says otherwise), runs it on
// `args` and compares with `expected`.
void ExpectProgramGives(const std::string& text, const std::vector<Tensor>& args,
                        const Tensor& expected) {
  Compiled compiled = Compile(SourceFile("hand.tsl", text), {});
  ASSERT_TRUE(compiled.module) << text << "\n" << compiled.messages;
  ExpectClose(RunEntry(compiled, args), expected, compiled);
}

// ------------------------------------------------------------ the examples against NumPy

struct ModelCase {
  const char* example;    // examples/<example>.tsl
  const char* reference;  // stages/driver/tests/reference/<reference>/
  std::vector<std::string> params;
};

std::string ReferencePath(const ModelCase& model, const std::string& name) {
  return SourcePath("stages/driver/tests/reference/" + std::string(model.reference) + "/" + name +
                    ".npy");
}

Tensor ReadReference(const ModelCase& model, const std::string& name) {
  std::string error;
  std::optional<Tensor> tensor = ReadNpy(ReferencePath(model, name), &error);
  EXPECT_TRUE(tensor) << error;
  return tensor ? *tensor : Tensor();
}

// Compiles the example with every parameter given as an --input file (the shapes come from
// the directives and the files), runs it and compares with NumPy's expected.npy.
void ExpectModelMatchesNumpy(const ModelCase& model) {
  RunOptions options;
  for (const std::string& param : model.params) {
    options.inputs.push_back(param + "=" + ReferencePath(model, param));
  }
  Compiled compiled = CompileExample("examples/" + std::string(model.example) + ".tsl", options);
  ASSERT_TRUE(compiled.module) << compiled.messages;
  const ir::Function& entry = compiled.entry();
  ASSERT_EQ(entry.args().size(), model.params.size()) << compiled.messages;
  std::vector<Tensor> args;
  for (const auto& arg : entry.args()) args.push_back(ReadReference(model, arg->name()));
  Tensor actual = RunEntry(compiled, args);
  Tensor expected = ReadReference(model, "expected");
  // The interpreter rounds every stored intermediate to f32, NumPy computed in f64 from the
  // same f32 inputs: a few f32 ulps of the O(1) values, far below any real mistake.
  Tolerance tol{1e-5, 1e-4};
  Comparison comparison = CompareTensors(actual, expected, tol);
  EXPECT_TRUE(comparison.equal) << model.example << ": " << FormatComparison(comparison, tol)
                                << "\n(max abs error " << comparison.max_abs_error
                                << ", max rel error " << comparison.max_rel_error << ")";
}

// The same models through stage 4, as `tessel run --target loops` runs them: -O2, lowered to
// loop IR, the default schedule, the loop-IR interpreter; against the same NumPy outputs.
void ExpectLoopIrMatchesNumpy(const ModelCase& model) {
  std::filesystem::path out = std::filesystem::temp_directory_path() / "tessel_loops_numpy" / model.example;
  std::filesystem::remove_all(out);
  RunOptions options;
  options.file = SourcePath("examples/" + std::string(model.example) + ".tsl");
  options.target = "loops";
  options.output_dir = out.string();
  options.no_seed = true;
  for (const std::string& param : model.params) {
    options.inputs.push_back(param + "=" + ReferencePath(model, param));
  }
  testing::internal::CaptureStdout();
  int code = RunCommand(options);
  std::string printed = testing::internal::GetCapturedStdout();
  ASSERT_EQ(code, 0) << printed;
  std::string error;
  std::optional<Tensor> actual = ReadNpy((out / "output.npy").string(), &error);
  ASSERT_TRUE(actual) << error;
  Tolerance tol{1e-5, 1e-4};
  Comparison comparison = CompareTensors(*actual, ReadReference(model, "expected"), tol);
  EXPECT_TRUE(comparison.equal) << model.example << " through loop IR: "
                                << FormatComparison(comparison, tol);
}

TEST(ModelReferenceTest, MlpThroughLoopIrMatchesNumpy) {
  ExpectLoopIrMatchesNumpy({"mlp", "mlp", {"x", "w0", "b0", "wh", "bh", "wo", "bo"}});
}

TEST(ModelReferenceTest, LstmThroughLoopIrMatchesNumpy) {
  ExpectLoopIrMatchesNumpy({"lstm", "lstm", {"x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh"}});
}

TEST(ModelReferenceTest, LenetThroughLoopIrMatchesNumpy) {
  ExpectLoopIrMatchesNumpy(
      {"cnn", "lenet", {"img", "w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4", "w5", "b5"}});
}

TEST(ModelReferenceTest, MlpWithResidualMatchesNumpy) {
  // //! shapes: B=4, H=64, L=2 and //! args: residual=true; residual leaves the signature.
  ExpectModelMatchesNumpy({"mlp", "mlp", {"x", "w0", "b0", "wh", "bh", "wo", "bo"}});
}

TEST(ModelReferenceTest, LstmWithUpdateSliceMatchesNumpy) {
  // //! shapes: T=5, B=2, I=8, H=16; every step's h written into out[t] by update_slice.
  ExpectModelMatchesNumpy({"lstm", "lstm", {"x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh"}});
}

TEST(ModelReferenceTest, LenetMatchesNumpy) {
  // //! shapes: N=2
  ExpectModelMatchesNumpy(
      {"cnn", "lenet", {"img", "w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4", "w5", "b5"}});
}

// ------------------------------------------------------------ small programs by hand

TEST(HandComputedTest, LinearOfTwoByTwo) {
  // x = [[1, 2], [-1, 0]], w = [[3, 4], [5, 6]], b = [0.5, -1]
  // row 0: [1*3 + 2*5, 1*4 + 2*6] + b = [13, 16] + b = [13.5, 15]
  // row 1: [-1*3 + 0*5, -1*4 + 0*6] + b = [-3, -4] + b = [-2.5, -5]
  ExpectProgramGives(
      "fn f(x: f32[2, 2], w: f32[2, 2], b: f32[2]) -> f32[2, 2] {\n"
      "  return linear(x, w, b);\n"
      "}\n",
      {F32({2, 2}, {1, 2, -1, 0}), F32({2, 2}, {3, 4, 5, 6}), F32({2}, {0.5, -1})},
      F32({2, 2}, {13.5, 15, -2.5, -5}));
}

TEST(HandComputedTest, SoftmaxOfZeroAndLogThree) {
  // exp(x - max) = [exp(-ln 3), exp(0)] = [1/3, 1]; the sum is 4/3: [1/4, 3/4]
  ExpectProgramGives(
      "fn f(x: f32[2]) -> f32[2] {\n"
      "  return softmax(x);\n"
      "}\n",
      {F32({2}, {0, std::log(3.0)})}, F32({2}, {0.25, 0.75}));
}

TEST(HandComputedTest, SoftmaxAlongAxisZero) {
  // x = [[0, 5], [ln 3, 5]]: column 0 is [0, ln 3] -> [1/4, 3/4]; column 1 is two equal
  // values -> [1/2, 1/2]. (Along axis 1 row 0 would be [e^-5, 1] / (1 + e^-5) instead.)
  ExpectProgramGives(
      "fn f(x: f32[2, 2]) -> f32[2, 2] {\n"
      "  return softmax(x, axis=0);\n"
      "}\n",
      {F32({2, 2}, {0, 5, std::log(3.0), 5})}, F32({2, 2}, {0.25, 0.5, 0.75, 0.5}));
}

TEST(HandComputedTest, Conv2dWithStrideTwoAndPaddingOne) {
  // The ramp (see Ramp4x4) zero-padded by 1 is a 6x6 xp with xp[p][q] = x[p-1][q-1].
  // Kernel [[0, 1, 0], [0, 0, 0], [0, 0, 2]], bias 0.5. The output is
  // (4 + 2*1 - 3) / 2 + 1 = 2 by 2, and
  //   y[h][v] = xp[2h][2v+1] + 2 xp[2h+2][2v+2] + 0.5 = x[2h-1][2v] + 2 x[2h+1][2v+1] + 0.5
  //   y[0][0] = x[-1][0] (padding: 0) + 2 x[1][1] + 0.5 = 0 + 10 + 0.5 = 10.5
  //   y[0][1] = x[-1][2] (padding: 0) + 2 x[1][3] + 0.5 = 0 + 14 + 0.5 = 14.5
  //   y[1][0] = x[1][0] + 2 x[3][1] + 0.5 = 4 + 26 + 0.5 = 30.5
  //   y[1][1] = x[1][2] + 2 x[3][3] + 0.5 = 6 + 30 + 0.5 = 36.5
  // A flipped kernel (true convolution instead of correlation) would give other numbers.
  ExpectProgramGives(
      "fn f(x: f32[1, 1, 4, 4], w: f32[1, 1, 3, 3], b: f32[1]) -> f32[1, 1, 2, 2] {\n"
      "  return conv2d(x, w, b, stride=2, padding=1);\n"
      "}\n",
      {Ramp4x4(), F32({1, 1, 3, 3}, {0, 1, 0, 0, 0, 0, 0, 0, 2}), F32({1}, {0.5})},
      F32({1, 1, 2, 2}, {10.5, 14.5, 30.5, 36.5}));
}

TEST(HandComputedTest, Conv2dWithDefaults) {
  // stride 1, padding 0: a 2x2 output; kernel of ones, bias 0: each window's sum.
  //   y[0][0] = 0+1+2 + 4+5+6 + 8+9+10 = 45;  y[0][1] = 45 + 9 (each of 9 cells + 1) = 54
  //   y[1][0] = 45 + 9*4 = 81 (each cell + 4);  y[1][1] = 45 + 9*5 = 90
  std::vector<double> ones(9, 1.0);
  ExpectProgramGives(
      "fn f(x: f32[1, 1, 4, 4], w: f32[1, 1, 3, 3], b: f32[1]) -> f32[1, 1, 2, 2] {\n"
      "  return conv2d(x, w, b);\n"
      "}\n",
      {Ramp4x4(), F32({1, 1, 3, 3}, ones), F32({1}, {0})}, F32({1, 1, 2, 2}, {45, 54, 81, 90}));
}

TEST(HandComputedTest, MaxPoolOfRamp) {
  // 2x2 windows, stride 2: each window's maximum is its bottom-right cell: 5 7 / 13 15.
  ExpectProgramGives(
      "fn f(x: f32[1, 1, 4, 4]) -> f32[1, 1, 2, 2] {\n"
      "  return maxpool2d(x, size=2);\n"
      "}\n",
      {Ramp4x4()}, F32({1, 1, 2, 2}, {5, 7, 13, 15}));
}

TEST(HandComputedTest, MaxPoolWithStrideOne) {
  // 2x2 windows, stride 1: (4 - 2) / 1 + 1 = 3 by 3, y[h][v] = x[h+1][v+1].
  ExpectProgramGives(
      "fn f(x: f32[1, 1, 4, 4]) -> f32[1, 1, 3, 3] {\n"
      "  return maxpool2d(x, size=2, stride=1);\n"
      "}\n",
      {Ramp4x4()}, F32({1, 1, 3, 3}, {5, 6, 7, 9, 10, 11, 13, 14, 15}));
}

TEST(HandComputedTest, MaxPoolFindsTheMaximumAnywhereInTheWindow) {
  // x = 1 9 | 2 0      windows: {1, 9, 3, 4} -> 9   {2, 0, 8, 5} -> 8
  //     3 4 | 8 5               {7, 6, 2, 2} -> 7   {0, 1, 3, 4} -> 4
  //     ----+----
  //     7 6 | 0 1
  //     2 2 | 3 4
  ExpectProgramGives(
      "fn f(x: f32[1, 1, 4, 4]) -> f32[1, 1, 2, 2] {\n"
      "  return maxpool2d(x, size=2);\n"
      "}\n",
      {F32({1, 1, 4, 4}, {1, 9, 2, 0, 3, 4, 8, 5, 7, 6, 0, 1, 2, 2, 3, 4})},
      F32({1, 1, 2, 2}, {9, 8, 7, 4}));
}

TEST(HandComputedTest, AvgPoolOfRamp) {
  // (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, (8+9+12+13)/4 = 10.5, (10+11+14+15)/4 = 12.5
  ExpectProgramGives(
      "fn f(x: f32[1, 1, 4, 4]) -> f32[1, 1, 2, 2] {\n"
      "  return avgpool2d(x, size=2);\n"
      "}\n",
      {Ramp4x4()}, F32({1, 1, 2, 2}, {2.5, 4.5, 10.5, 12.5}));
}

TEST(HandComputedTest, LayernormOfSmallRows) {
  // Row [1, 3]: mean 2, d = [-1, 1], variance (1 + 1) / 2 = 1, so d / sqrt(1 + 1e-5),
  // times g = [2, 1], plus b = [0, 0.5]: [-2 / s, 1 / s + 0.5] with s = sqrt(1.00001).
  // Row [10, 10]: d = [0, 0], variance 0: 0 / sqrt(1e-5) = 0, so the row is b = [0, 0.5].
  double s = std::sqrt(1.0 + 1e-5);
  ExpectProgramGives(
      "fn f(x: f32[2, 2], g: f32[2], b: f32[2]) -> f32[2, 2] {\n"
      "  return layernorm(x, g, b);\n"
      "}\n",
      {F32({2, 2}, {1, 3, 10, 10}), F32({2}, {2, 1}), F32({2}, {0, 0.5})},
      F32({2, 2}, {-2 / s, 1 / s + 0.5, 0, 0.5}));
}

TEST(HandComputedTest, LoopWithIfOverIntegers) {
  // acc over i = 0..4: even i adds i, odd i subtracts 1:
  //   i=0: 0+0 = 0;  i=1: 0-1 = -1;  i=2: -1+2 = 1;  i=3: 1-1 = 0;  i=4: 0+4 = 4
  Compiled compiled = Compile(SourceFile("hand.tsl",
                                         "fn f() -> i32 {\n"
                                         "  var acc = 0;\n"
                                         "  for i in 0..5 {\n"
                                         "    if i % 2 == 0 {\n"
                                         "      acc = acc + i;\n"
                                         "    } else {\n"
                                         "      acc = acc - 1;\n"
                                         "    }\n"
                                         "  }\n"
                                         "  return acc;\n"
                                         "}\n"),
                              {});
  ASSERT_TRUE(compiled.module) << compiled.messages;
  ExpectClose(RunEntry(compiled, {}), Tensor::Scalar(DType::kI32, 4), compiled);
}

TEST(HandComputedTest, LoopWithIfOverATensor) {
  // y starts as x; i = 0, 1 double it (i < 2), i = 2, 3 add i: y = 4x + 2 + 3 = 4x + 5.
  // x = [0, 1, -1] -> [5, 9, 1]
  ExpectProgramGives(
      "fn f(x: f32[3]) -> f32[3] {\n"
      "  var y = x;\n"
      "  for i in 0..4 {\n"
      "    if i < 2 {\n"
      "      y = y * 2.0;\n"
      "    } else {\n"
      "      y = y + i;\n"
      "    }\n"
      "  }\n"
      "  return y;\n"
      "}\n",
      {F32({3}, {0, 1, -1})}, F32({3}, {5, 9, 1}));
}

TEST(HandComputedTest, DirectivesPickTheEntryAndShapes) {
  // The entry is g, not the first function; N=3 from the directive.
  // g(x) = twice(x) + 1 = 2x + 1: x = [1, 2, 3] -> [3, 5, 7]
  Compiled compiled = Compile(SourceFile("hand.tsl",
                                         "//! entry: g\n"
                                         "//! shapes: N=3\n"
                                         "fn twice(x: f32[N]) -> f32[N] { return 2 * x; }\n"
                                         "fn g(x: f32[N]) -> f32[N] { return twice(x) + 1.0; }\n"),
                              {});
  ASSERT_TRUE(compiled.module) << compiled.messages;
  EXPECT_EQ(compiled.entry().name(), "g") << compiled.messages;
  ExpectClose(RunEntry(compiled, {F32({3}, {1, 2, 3})}), F32({3}, {3, 5, 7}), compiled);
}

// ------------------------------------------------------------ IR text round trip

class ExampleIrRoundTripTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ExampleIrRoundTripTest, PrintParsePrintIsIdentical) {
  Compiled compiled = CompileExample("examples/" + std::string(GetParam()) + ".tsl");
  ASSERT_TRUE(compiled.module) << compiled.messages;
  std::string printed = ir::PrintModule(*compiled.module);

  SourceFile text("printed.ir", printed);
  DiagnosticEngine diags;
  std::unique_ptr<ir::Module> reparsed = ir::ParseModule(text, diags);
  std::ostringstream messages;
  diags.Print(messages);
  ASSERT_TRUE(reparsed && !diags.has_errors()) << messages.str() << "\n" << printed;
  std::vector<std::string> errors;
  EXPECT_TRUE(ir::VerifyModule(*reparsed, &errors))
      << (errors.empty() ? "" : errors.front()) << "\n"
      << printed;
  EXPECT_EQ(ir::PrintModule(*reparsed), printed);
}

// Every instruction the front end makes carries its source location, and the locations
// print and parse back (docs/ir.md §4.2).
TEST_P(ExampleIrRoundTripTest, EveryInstructionHasASourceLocationThatRoundTrips) {
  Compiled compiled = CompileExample("examples/" + std::string(GetParam()) + ".tsl");
  ASSERT_TRUE(compiled.module) << compiled.messages;
  for (const auto& function : compiled.module->functions()) {
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        EXPECT_TRUE(instr->loc().known())
            << "@" << function->name() << ": " << ir::PrintInstr(*instr) << " has no location";
      }
    }
  }
  std::string printed = ir::PrintModule(*compiled.module, {.locations = true});
  SourceFile text("located.ir", printed);
  DiagnosticEngine diags;
  std::unique_ptr<ir::Module> reparsed = ir::ParseModule(text, diags);
  ASSERT_TRUE(reparsed && !diags.has_errors()) << printed;
  EXPECT_EQ(ir::PrintModule(*reparsed, {.locations = true}), printed);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleIrRoundTripTest,
                         ::testing::Values("mlp", "cnn", "transformer", "rnn", "lstm", "operators",
                                           "resnet_block"),
                         [](const ::testing::TestParamInfo<const char*>& example) {
                           return std::string(example.param);
                         });

}  // namespace
}  // namespace tessel
