// The pass manager (stages/opt/pass_manager.h) around any pass: a pass that leaves IR the
// verifier rejects is named as the bug, with the verifier's complaint and the IR it left;
// unknown pass names list the registered ones; --print-after dumps the IR with MLIR's header;
// the records count ops. The passes here are the test's own, so this runs in every build
// (lab03 skeleton or solution).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/parser.h"
#include "stages/opt/pass_manager.h"

namespace tessel::opt {
namespace {

constexpr const char* kProgram = R"(func @main(%x: f32[4]) -> f32[4] {
entry:
  %y = add %x, %x : f32[4]
  %z = relu %y : f32[4]
  ret %z
}
)";

std::unique_ptr<ir::Module> Parse(const char* text) {
  SourceFile file("test.ir", text);
  DiagnosticEngine diags;
  std::unique_ptr<ir::Module> module = ir::ParseModule(file, diags);
  std::ostringstream printed;
  diags.Print(printed);
  EXPECT_TRUE(module) << printed.str();
  return module;
}

// Removes the entry's `ret`: the block no longer ends in a terminator.
void DropTheReturn(ir::Module& module, PassContext&) {
  ir::Block* entry = module.functions().front()->entry();
  entry->Erase(entry->terminator());
}

void DoNothing(ir::Module&, PassContext&) {}

TEST(PassManagerTest, APassThatBreaksTheVerifierIsNamedAsTheBugWithTheIr) {
  std::unique_ptr<ir::Module> module = Parse(kProgram);
  ASSERT_TRUE(module);
  PassContext context;
  std::string error;
  std::vector<PassInfo> passes = {{"keep", "test.t1", "does nothing", DoNothing},
                                  {"drop-ret", "test.t2", "removes the return", DropTheReturn},
                                  {"never-run", "test.t3", "after the bug", DoNothing}};
  std::vector<PassRecord> records;
  EXPECT_FALSE(RunPasses(*module, passes, context, {}, &records, &error));
  EXPECT_NE(error.find("bug in pass 'drop-ret' (test.t2): it left IR the verifier rejects:\n"
                       "  @main: block 'entry': does not end in a terminator"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("the IR after drop-ret:\nfunc @main(%x: f32[4]) -> f32[4] {"),
            std::string::npos)
      << error;
  ASSERT_EQ(records.size(), 2u) << "the pipeline stops at the broken pass";
  EXPECT_EQ(records[1].ops_before, 3);
  EXPECT_EQ(records[1].ops_after, 2);
}

TEST(PassManagerTest, WithoutVerifyEachTheBrokenIrGoesThrough) {
  std::unique_ptr<ir::Module> module = Parse(kProgram);
  ASSERT_TRUE(module);
  PassContext context;
  std::string error;
  PassManagerOptions options;
  options.verify_each = false;
  EXPECT_TRUE(RunPasses(*module, {{"drop-ret", "test.t2", "", DropTheReturn}}, context, options,
                        nullptr, &error))
      << error;
}

TEST(PassManagerTest, UnknownPassNamesListTheRegisteredPasses) {
  std::string error;
  EXPECT_FALSE(ParsePipeline("inline,frobnicate", &error));
  EXPECT_NE(error.find("--passes: unknown pass 'frobnicate' (the passes: inline, unroll,"),
            std::string::npos)
      << error;
  EXPECT_FALSE(ParsePipeline("inline,,dce", &error));
  EXPECT_NE(error.find("an empty pass name in 'inline,,dce'"), std::string::npos) << error;
  std::optional<std::vector<std::string>> ok = ParsePipeline("inline,dce", &error);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (std::vector<std::string>{"inline", "dce"}));

  std::unique_ptr<ir::Module> module = Parse(kProgram);
  ASSERT_TRUE(module);
  PassContext context;
  EXPECT_FALSE(RunPipeline(*module, {"dce", "nope"}, context, {}, nullptr, &error));
  EXPECT_NE(error.find("unknown pass 'nope'"), std::string::npos) << error;
}

TEST(PassManagerTest, EveryRegisteredPassHasATaskAndADescription) {
  for (const PassInfo& pass : RegisteredPasses()) {
    EXPECT_EQ(FindPass(pass.name), &pass);
    EXPECT_EQ(pass.task.substr(0, 7), "lab03.t") << pass.name;
    EXPECT_FALSE(pass.description.empty()) << pass.name;
    EXPECT_NE(pass.run, nullptr) << pass.name;
  }
  for (int level = 1; level <= 3; ++level) {
    for (const std::string& name : PipelineForLevel(level)) {
      EXPECT_NE(FindPass(name), nullptr) << "-O" << level << " names " << name;
    }
  }
  EXPECT_TRUE(PipelineForLevel(0).empty());
}

TEST(PassManagerTest, PrintBeforeAndAfterDumpTheModuleWithMlirsHeader) {
  std::unique_ptr<ir::Module> module = Parse(kProgram);
  ASSERT_TRUE(module);
  PassContext context;
  std::string error;
  std::ostringstream dumps;
  PassManagerOptions options;
  options.print_before = {"keep"};
  options.print_after = {"all"};
  options.print_to = &dumps;
  ASSERT_TRUE(RunPasses(*module, {{"keep", "test.t1", "", DoNothing}}, context, options, nullptr,
                        &error))
      << error;
  EXPECT_EQ(dumps.str(),
            "// -----// IR Dump Before keep //----- //\n" + std::string(kProgram) +
                "// -----// IR Dump After keep //----- //\n" + std::string(kProgram));
}

}  // namespace
}  // namespace tessel::opt
