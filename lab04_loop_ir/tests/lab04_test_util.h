// Helpers for lab04's graded tests. Inputs are text: kernel-form IR (docs/ir.md §14) for the
// lowering, loop IR (docs/loop-ir.md) for everything else, schedules in their own syntax; so
// lab04 is graded on lab04 alone. Checks:
//   - interpreter equivalence: the SSA interpreter on a kernel against the loop-IR interpreter
//     on its lowering, and the loop IR before against after every schedule, on seeded inputs
//     (numpy.allclose with abs 1e-5, rel 1e-4: loop IR rounds every f32 operation);
//   - FileCheck directives on the printed loop IR (stages/testing/filecheck.h);
//   - the verifier after every step, and exact messages for what a primitive refuses;
//   - cost-model counts (cost_model.h), never time.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/parser.h"
#include "stages/ir/verifier.h"
#include "stages/loops/interpreter.h"
#include "stages/loops/lower.h"
#include "stages/loops/parser.h"
#include "stages/loops/printer.h"
#include "stages/loops/schedule.h"
#include "stages/loops/verifier.h"
#include "stages/runtime/compare.h"
#include "stages/runtime/random.h"
#include "stages/testing/filecheck.h"

namespace tessel::lab04 {

/// Parses and verifies kernel-form IR text; a problem fails the test (and returns null).
inline std::unique_ptr<ir::Module> ParseIr(std::string_view text) {
  SourceFile file("test.ir", std::string(text));
  DiagnosticEngine diags;
  std::unique_ptr<ir::Module> module = ir::ParseModule(file, diags);
  std::ostringstream messages;
  diags.Print(messages);
  if (!module || diags.has_errors()) {
    ADD_FAILURE() << "the test's IR does not parse:\n" << messages.str() << text;
    return nullptr;
  }
  std::vector<std::string> errors;
  if (!ir::VerifyModule(*module, &errors)) {
    ADD_FAILURE() << "the test's IR does not verify: " << errors.front() << "\n" << text;
    return nullptr;
  }
  return module;
}

/// The kernel form of examples/<name>.tsl at -O2, from tests/examples/<name>.ir.
inline std::unique_ptr<ir::Module> Example(const std::string& name) {
  std::string path = std::string(TESSEL_SOURCE_DIR) + "/lab04_loop_ir/tests/examples/" + name + ".ir";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) ADD_FAILURE() << "cannot read " << path;
  return ParseIr(text.str());
}

inline std::vector<std::string> ExampleNames() {
  return {"cnn", "lstm", "mlp", "operators", "ported_convnet", "resnet_block", "rnn",
          "transformer"};
}

/// Parses loop-IR text; a problem fails the test.
inline loops::Module ParseLoops(std::string_view text) {
  std::string error;
  std::optional<loops::Module> module = loops::ParseModuleText(std::string(text), &error, "test.loops");
  if (!module) {
    ADD_FAILURE() << "the test's loop IR does not parse:\n" << error << text;
    return {};
  }
  return std::move(*module);
}

/// Fails the test with the verifier's problems, if any.
inline void ExpectVerifies(const loops::Module& module) {
  std::vector<std::string> problems = loops::VerifyModule(module);
  EXPECT_TRUE(problems.empty()) << problems.front() << "\n" << loops::PrintModule(module);
}

/// The lowering of kernel `kernel` of `module` as a loop-IR module of its own (verified).
inline loops::Module LowerOne(const ir::Module& module, const std::string& kernel) {
  loops::Module out;
  const ir::Function* f = module.FindFunction(kernel);
  if (!f) {
    ADD_FAILURE() << "no kernel @" << kernel;
    return out;
  }
  loops::LoweredKernel lowered = loops::LowerKernel(*f);
  out.constants = lowered.constants;
  out.functions.push_back(std::move(lowered.function));
  ExpectVerifies(out);
  return out;
}

/// Seeded inputs for the parameters of loop-IR function `f` (integers small, from 0).
inline std::vector<Tensor> Inputs(const loops::Function& f, uint64_t seed) {
  std::vector<Tensor> inputs;
  for (const loops::BufferPtr& p : f.inputs) {
    Tensor t = SeededParameter(p->dtype, p->shape, seed, p->name);
    if (p->dtype == DType::kI32 || p->dtype == DType::kI8) {
      for (int64_t i = 0; i < t.size(); ++i) t.Set(i, static_cast<double>((i * 7 + static_cast<int64_t>(seed)) % 3));
    }
    inputs.push_back(std::move(t));
  }
  return inputs;
}

inline void ExpectClose(const Tensor& actual, const Tensor& expected, const std::string& what) {
  Comparison c = CompareTensors(actual, expected);
  EXPECT_TRUE(c.equal) << what << ": " << FormatComparison(c);
}

/// The SSA interpreter on kernel `kernel` and the loop-IR interpreter on its lowering agree
/// on seeded inputs. Returns the lowering.
inline loops::Module ExpectLoweringMatches(const ir::Module& module, const std::string& kernel,
                                           uint64_t seed = 0) {
  loops::Module lowered = LowerOne(module, kernel);
  if (lowered.functions.empty()) return lowered;
  const loops::Function& f = lowered.functions[0];
  std::vector<Tensor> inputs = Inputs(f, seed);
  std::string error;
  std::optional<Tensor> expected = ir::Interpret(module, *module.FindFunction(kernel), inputs, &error);
  EXPECT_TRUE(expected) << "the SSA interpreter on @" << kernel << ": " << error;
  auto actual = loops::RunFunction(lowered, f, inputs, &error);
  EXPECT_TRUE(actual) << "the loop-IR interpreter on the lowering of @" << kernel << ": " << error
                      << "\n" << loops::PrintModule(lowered);
  if (expected && actual) ExpectClose(actual->front(), *expected, "lowering of @" + kernel);
  return lowered;
}

/// FileCheck `checks` against the printed loop IR.
inline void ExpectChecks(const loops::Module& module, std::string_view checks) {
  std::string printed = loops::PrintModule(module);
  testing::FileCheckResult result =
      testing::FileCheck(checks, printed, {.checks_name = "test", .input_name = "loop IR"});
  EXPECT_TRUE(result.ok) << result.report << "\nthe loop IR:\n" << printed;
}

/// The outputs of `module`'s first function on seeded inputs.
inline std::vector<Tensor> RunFirst(const loops::Module& module, uint64_t seed = 0) {
  std::string error;
  const loops::Function& f = module.functions.at(0);
  auto out = loops::RunFunction(module, f, Inputs(f, seed), &error);
  EXPECT_TRUE(out) << error << "\n" << loops::PrintModule(module);
  return out ? *out : std::vector<Tensor>{};
}

/// `schedule` applied to the first function of `text`'s module: it applies, the result
/// verifies and computes what the module computed before. Returns the scheduled module.
inline loops::Module ExpectScheduleKeepsResults(std::string_view text, const std::string& schedule) {
  loops::Module module = ParseLoops(text);
  if (module.functions.empty()) return module;
  std::vector<Tensor> before = RunFirst(module);
  std::string error = loops::ApplyScheduleText(module, module.functions[0].name, schedule);
  EXPECT_EQ(error, "") << "the schedule\n  " << schedule << "\ndid not apply";
  ExpectVerifies(module);
  std::vector<Tensor> after = RunFirst(module);
  for (size_t i = 0; i < before.size() && i < after.size(); ++i) {
    ExpectClose(after[i], before[i], "after the schedule '" + schedule + "'");
  }
  return module;
}

/// The first error a schedule gives on `text`'s first function ("" when it applies). The
/// message is the one a user sees after "file:line:col: error: ".
inline std::string ScheduleError(std::string_view text, const std::string& schedule) {
  loops::Module module = ParseLoops(text);
  if (module.functions.empty()) return "";
  std::string report = loops::ApplyScheduleText(module, module.functions[0].name, schedule);
  size_t at = report.find("error: ");
  if (at == std::string::npos) return report;
  size_t end = report.find('\n', at);
  return report.substr(at + 7, end - at - 7);
}

/// A GEMM C = A * B of the given sizes, as lab04's lowering writes it.
inline std::string Matmul(int64_t m, int64_t n, int64_t k) {
  auto s = [](int64_t v) { return std::to_string(v); };
  return "kernel @matmul(%A: f32[" + s(m) + ", " + s(k) + "], %B: f32[" + s(k) + ", " + s(n) +
         "]) -> (%C: f32[" + s(m) + ", " + s(n) + "]) {\n"
         "  for i in 0.." + s(m) + " {\n    for j in 0.." + s(n) + " {\n      %C[i, j] = 0.0\n"
         "      for k in 0.." + s(k) + " {\n        %C[i, j] = %C[i, j] + %A[i, k] * %B[k, j]\n"
         "      }\n    }\n  }\n}\n";
}

}  // namespace tessel::lab04
