// Helpers for lab03's graded tests: IR text in, passes run through the pass manager with the
// verifier after each one, and three kinds of checks out:
//   - FileCheck directives on the printed IR (stages/testing/filecheck.h);
//   - interpreter equivalence: the program before and after, on the same seeded inputs, gives
//     the same bits (the kernel form runs with its memory plan executed);
//   - counts: ops of a kind, kernels, conversions, peak bytes.
// The examples come as IR text (tests/examples/*.ir, the examples as lab02 lowers them), so
// lab03 is graded on lab03 alone. A lab03 skeleton's NotImplemented reaches GoogleTest as "not
// implemented: lab03.tK"; one from another lab (lab02's dominator tree, which unroll and gvn
// call) is first explained, since it is not the code under test.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/not_implemented.h"
#include "stages/common/source.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/ir.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"
#include "stages/opt/pass_manager.h"
#include "stages/runtime/random.h"
#include "stages/testing/filecheck.h"

namespace tessel::lab03 {

/// Parses and verifies IR text; a problem fails the test (and returns null).
inline std::unique_ptr<ir::Module> Parse(std::string_view text) {
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

/// The IR of examples/<name>.tsl as lowered (-O0), from tests/examples/<name>.ir.
inline std::unique_ptr<ir::Module> Example(const std::string& name) {
  std::string path = TESSEL_SOURCE_DIR;
  path.append("/lab03_graph_opts/tests/examples/").append(name).append(".ir");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) ADD_FAILURE() << "cannot read " << path;
  return Parse(text.str());
}

/// The names of the examples in tests/examples/.
inline std::vector<std::string> ExampleNames() {
  return {"cnn", "lstm", "mlp", "operators", "ported_convnet", "resnet_block", "rnn",
          "transformer"};
}

/// The entry: the module's first function (lowered source puts the entry first).
inline std::string EntryOf(const ir::Module& module) {
  return module.functions().empty() ? "" : module.functions().front()->name();
}

/// Runs `passes` on `module` with the verifier after each; a verifier error fails the test.
inline opt::PassContext RunPasses(ir::Module& module, const std::vector<std::string>& passes,
                            opt::PassContext context = {}) {
  if (context.entry.empty()) context.entry = EntryOf(module);
  std::string error;
  std::vector<opt::PassRecord> records;
  try {
    if (!opt::RunPipeline(module, passes, context, {}, &records, &error)) ADD_FAILURE() << error;
  } catch (const NotImplemented& e) {
    if (e.task().rfind("lab03", 0) != 0) {
      ADD_FAILURE() << "this test needs " << e.task() << ", which your build compiles from your "
                    << "own folder, where it is still a skeleton (a student release has no "
                    << "solutions/ to take it from): lab03's unroll and gvn walk lab02's dominator "
                    << "tree. Finish " << e.task() << " first (lab03_graph_opts/README.md §2).";
    }
    throw;
  }
  // The stats of every pass, summed, for the tests that count.
  opt::PassContext result = context;
  result.stats = opt::PassStats();
  for (const opt::PassRecord& record : records) {
    for (const auto& [name, value] : record.stats.counters()) result.stats.Add(name, value);
  }
  return result;
}

/// FileCheck `checks` against the printed module; a mismatch fails with LLVM-style context.
inline void ExpectChecks(const ir::Module& module, std::string_view checks) {
  std::string printed = ir::PrintModule(module);
  testing::FileCheckResult result = testing::FileCheck(checks, printed, {.checks_name = "test", .input_name = "IR"});
  EXPECT_TRUE(result.ok) << result.report << "\nthe IR:\n" << printed;
}

/// The entry's result on seeded inputs (seed `seed`), with the memory plan executed.
inline std::optional<Tensor> RunEntry(const ir::Module& module, const std::string& entry,
                                      uint64_t seed, std::string* error) {
  const ir::Function* fn = module.FindFunction(entry);
  if (fn == nullptr) {
    *error = "no function @" + entry;
    return std::nullopt;
  }
  std::vector<Tensor> args;
  for (const auto& arg : fn->args()) {
    args.push_back(SeededParameter(arg->type().dtype, arg->type().shape, seed, arg->name()));
  }
  return ir::Interpret(module, *fn, args, error, {.execute_memory_plan = true});
}

/// The same bits (NaN equal to NaN) from `before` and `after` on seeds 1..seeds.
inline void ExpectSameResults(const ir::Module& before, const ir::Module& after,
                              const std::string& entry, int seeds = 2) {
  for (int seed = 1; seed <= seeds; ++seed) {
    std::string error_before, error_after;
    std::optional<Tensor> a = RunEntry(before, entry, seed, &error_before);
    std::optional<Tensor> b = RunEntry(after, entry, seed, &error_after);
    ASSERT_TRUE(a) << "the program before the passes fails: " << error_before;
    ASSERT_TRUE(b) << "the program after the passes fails: " << error_after << "\n"
                   << ir::PrintModule(after);
    ASSERT_EQ(a->TypeString(), b->TypeString());
    for (int64_t i = 0; i < a->size(); ++i) {
      double x = a->Get(i), y = b->Get(i);
      if (std::isnan(x) && std::isnan(y)) continue;
      ASSERT_EQ(x, y) << "element " << i << " differs (seed " << seed << ") after the passes:\n"
                      << ir::PrintModule(after);
    }
  }
}

/// Runs `passes` on a copy of `text` and checks it computes what the original computes.
inline std::unique_ptr<ir::Module> RunAndCompare(std::string_view text,
                                                 const std::vector<std::string>& passes,
                                                 opt::PassContext* stats = nullptr) {
  std::unique_ptr<ir::Module> before = Parse(text);
  std::unique_ptr<ir::Module> after = Parse(text);
  if (!before || !after) return nullptr;
  opt::PassContext context = RunPasses(*after, passes);
  ExpectSameResults(*before, *after, EntryOf(*before));
  if (stats != nullptr) *stats = context;
  return after;
}

/// Instructions of op `op` in `function` (every block).
inline int Count(const ir::Function& function, ir::Op op) {
  int count = 0;
  for (const auto& block : function.blocks()) {
    for (const auto& instr : block->instrs()) count += instr->op() == op;
  }
  return count;
}

/// Instructions of op `op` in the whole module.
inline int Count(const ir::Module& module, ir::Op op) {
  int count = 0;
  for (const auto& function : module.functions()) count += Count(*function, op);
  return count;
}

/// Kernel functions of the module.
inline int Kernels(const ir::Module& module) {
  int count = 0;
  for (const auto& function : module.functions()) count += function->kernel().has_value();
  return count;
}

/// The passes before task `task` (1..6) in -O3's order: what a test of that task may use.
inline std::vector<std::string> Cleanup() {
  return {"inline", "unroll", "simplify-cfg"};
}

}  // namespace tessel::lab03
