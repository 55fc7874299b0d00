// Helpers for lab06's C renderer tests (tasks t6, t7). Each test writes a loop-IR module as
// text (docs/loop-ir.md), renders it with the learner's CRenderer (through RenderModuleC),
// compiles it with the system C compiler (-O2 -march=native -fopenmp, cached), runs it
// in-process and compares every output with the loop-IR interpreter's on the same inputs.
// Structural checks read the rendered kernels (the C after the prelude). Vectors are 32
// bytes wide in every test (8 f32 lanes), whatever the machine, so the checks are stable.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "stages/cpu/compiled_entry.h"
#include "stages/cpu/render_module.h"
#include "stages/loops/interpreter.h"
#include "stages/loops/parser.h"
#include "stages/loops/verifier.h"
#include "stages/runtime/compare.h"
#include "stages/runtime/random.h"

namespace tessel::lab06 {

/// Parses and verifies loop-IR text; a problem fails the test.
inline loops::Module ParseLoops(const std::string& text) {
  std::string error;
  std::optional<loops::Module> module = loops::ParseModuleText(text, &error);
  if (!module) {
    ADD_FAILURE() << "the test's loop IR does not parse: " << error << "\n" << text;
    return {};
  }
  std::vector<std::string> problems = loops::VerifyModule(*module);
  if (!problems.empty()) ADD_FAILURE() << "the test's loop IR does not verify: " << problems[0];
  return *module;
}

/// Seeded inputs for `f`'s parameters: floats in [-2, 2), integers in [-5, 5), bools.
inline std::vector<Tensor> SeededInputs(const loops::Function& f, uint64_t seed) {
  std::vector<Tensor> inputs;
  for (const loops::BufferPtr& p : f.inputs) {
    Tensor t = SeededParameter(p->dtype, p->shape, seed, p->name);
    if (p->dtype == DType::kI32 || p->dtype == DType::kI8) {
      for (int64_t i = 0; i < t.size(); ++i) {
        t.Set(i, static_cast<double>((i * 7 + static_cast<int64_t>(seed) * 3) % 10 - 5));
      }
    }
    inputs.push_back(std::move(t));
  }
  return inputs;
}

/// The C of `module` with `entry` (empty: its host function or only function) exported.
inline cpu::CSource Render(const loops::Module& module, const std::string& entry = "") {
  cpu::CModuleOptions options;
  options.render.vector_bytes = 32;
  options.entry = entry;
  options.header_name = "test_model.h";
  return cpu::RenderModuleC(module, options);
}

/// The rendered functions: the C after the prelude (what structural checks read).
inline std::string Kernels(const cpu::CSource& source) {
  size_t end = source.c.find("/* ---- end of the prelude ---- */");
  return end == std::string::npos ? source.c : source.c.substr(end);
}

/// Compiles `source` and runs `f` on `inputs`; nullopt (and a failure) when it does not build.
inline std::optional<std::vector<Tensor>> CompileAndRun(const cpu::CSource& source,
                                                        const loops::Function& f,
                                                        const std::vector<Tensor>& inputs,
                                                        int threads = 2) {
  std::string whole = source.header + "\n" + source.c;
  size_t include = whole.find("#include \"test_model.h\"");
  if (include != std::string::npos) whole.erase(include, 23);
  std::string error;
  cpu::CompilerConfig config = cpu::CompilerFromEnvironment("", "-O2 -march=native -fopenmp -Wall -Werror=implicit-function-declaration -Werror=incompatible-pointer-types -Werror=int-conversion");
  std::optional<cpu::CompiledFile> compiled = cpu::CompileC(whole, config, &error);
  if (!compiled) {
    ADD_FAILURE() << "the rendered C does not compile: " << error << "\n" << Kernels(source);
    return std::nullopt;
  }
  std::unique_ptr<cpu::CompiledEntry> entry = cpu::CompiledEntry::Load(compiled->library_path, source.entry, &error);
  if (!entry) {
    ADD_FAILURE() << error;
    return std::nullopt;
  }
  entry->SetThreads(threads);
  std::optional<std::vector<Tensor>> outputs = entry->Run(f, inputs, &error);
  if (!outputs) ADD_FAILURE() << error;
  return outputs;
}

/// Renders `text`, compiles it, runs it on `inputs` (seeded when empty) and expects every
/// output to equal the interpreter's (allclose; `exact`: bit for bit, NaN equal to NaN).
/// Returns the rendered kernels for structural checks.
inline std::string ExpectCMatches(const std::string& text, std::vector<Tensor> inputs = {},
                                  bool exact = false, uint64_t seed = 1) {
  loops::Module module = ParseLoops(text);
  const loops::Function* f = module.Entry();
  if (!f) {
    ADD_FAILURE() << "the test's module has no entry";
    return "";
  }
  if (inputs.empty()) inputs = SeededInputs(*f, seed);
  std::string error;
  std::optional<std::vector<Tensor>> expected = loops::RunFunction(module, *f, inputs, &error);
  EXPECT_TRUE(expected) << "the interpreter: " << error;
  cpu::CSource source = Render(module);
  std::string kernels = Kernels(source);
  std::optional<std::vector<Tensor>> actual = CompileAndRun(source, *f, inputs);
  if (!expected || !actual) return kernels;
  for (size_t i = 0; i < expected->size(); ++i) {
    const Tensor &want = (*expected)[i], &got = (*actual)[i];
    Tolerance tolerance;
    if (exact) tolerance.abs = tolerance.rel = 0;
    Comparison c = CompareTensors(got, want, tolerance);
    EXPECT_TRUE(c.equal) << "output %" << f->outputs[i]->name << " of the compiled C differs from the interpreter's: "
                         << FormatComparison(c, tolerance) << "\nthe rendered C:\n" << kernels;
  }
  return kernels;
}

/// A tensor of `dtype` and `shape` holding `values` (row-major).
inline Tensor TensorOf(DType dtype, const Shape& shape, const std::vector<double>& values) {
  Tensor t(dtype, shape);
  for (size_t i = 0; i < values.size(); ++i) t.Set(static_cast<int64_t>(i), values[i]);
  return t;
}

}  // namespace tessel::lab06
