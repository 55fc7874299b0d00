// The fuzzer's own tests: the generator is deterministic and its programs are well formed; the
// differential check catches a wrong pass and a crashing one; the shrinker keeps the failure and
// drops the rest.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/differential.h"
#include "fuzz/generate.h"
#include "fuzz/shrink.h"

namespace tessel::fuzz {
namespace {

TEST(GeneratorTest, TheSameSeedGivesTheSameProgram) {
  EXPECT_EQ(GenerateProgram(7).Source(), GenerateProgram(7).Source());
  EXPECT_NE(GenerateProgram(7).Source(), GenerateProgram(8).Source());
}

TEST(GeneratorTest, ProgramsAreWellFormedAndEveryLevelAgrees) {
  std::vector<Configuration> levels = LevelConfigurations({1, 2, 3});
  for (uint64_t seed = 1000; seed < 1040; ++seed) {
    std::string source = GenerateProgram(seed).Source();
    Outcome outcome = CheckProgram(source, levels);
    EXPECT_EQ(outcome.verdict, Verdict::kAgree)
        << "seed " << seed << ": " << VerdictName(outcome.verdict) << " at "
        << outcome.configuration << "\n" << outcome.detail << "\n" << source;
  }
}

TEST(GeneratorTest, StatementsOptionSetsTheSize) {
  GeneratorOptions small;
  small.statements = 2;
  GeneratorOptions large;
  large.statements = 40;
  EXPECT_LT(GenerateProgram(3, small).StatementCount(), GenerateProgram(3, large).StatementCount());
}

// A wrong "optimization": a - b becomes b - a.
void SwapSubtraction(ir::Module& module, opt::PassContext&) {
  for (const auto& function : module.functions()) {
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        if (instr->op() != ir::Op::kSub || instr->operands().size() != 2) continue;
        ir::Value* a = instr->operands()[0];
        ir::Value* b = instr->operands()[1];
        if (ir::FormatType(a->type()) != ir::FormatType(b->type())) continue;
        instr->set_operand(0, b);
        instr->set_operand(1, a);
      }
    }
  }
}

Configuration Broken(opt::PassFunction pass) {
  Configuration c = LevelConfigurations({2})[0];
  c.name = "-O2 with a bug";
  c.passes.insert(c.passes.begin() + 1, opt::PassInfo{"bug", "test", "", pass});
  return c;
}

TEST(DifferentialTest, AWrongPassIsCaughtAndShrunkToAFewStatements) {
  std::vector<Configuration> configurations = {Broken(SwapSubtraction)};
  for (uint64_t seed = 1; seed < 200; ++seed) {
    Program program = GenerateProgram(seed);
    Outcome outcome = CheckProgram(program.Source(), configurations);
    if (outcome.verdict == Verdict::kAgree) continue;
    ASSERT_EQ(outcome.verdict, Verdict::kMismatch) << outcome.detail << program.Source();
    EXPECT_EQ(outcome.configuration, "-O2 with a bug");
    Program small = Shrink(program, [&](const Program& candidate) {
      return CheckProgram(candidate.Source(), configurations).verdict == Verdict::kMismatch;
    });
    EXPECT_LE(small.StatementCount(), 3) << small.Source();
    EXPECT_LT(small.StatementCount(), program.StatementCount());
    EXPECT_NE(small.Source().find('-'), std::string::npos) << small.Source();
    EXPECT_EQ(CheckProgram(small.Source(), configurations).verdict, Verdict::kMismatch);
    return;
  }
  FAIL() << "no program of 200 subtracts two tensors of one type";
}

void Abort(ir::Module&, opt::PassContext&) { std::abort(); }

TEST(DifferentialTest, ACrashIsAVerdictInTheIsolatedCheck) {
  Outcome outcome = CheckProgramIsolated(GenerateProgram(1).Source(), {Broken(Abort)});
  EXPECT_EQ(outcome.verdict, Verdict::kPassBroke);
  EXPECT_EQ(outcome.configuration, "-O2 with a bug");
  EXPECT_NE(outcome.detail.find("the compiler crashed (signal 6)"), std::string::npos)
      << outcome.detail;
}

void Loop(ir::Module&, opt::PassContext&) {
  for (volatile bool forever = true; forever;) {
  }
}

TEST(DifferentialTest, AHangIsAVerdictInTheIsolatedCheck) {
  Outcome outcome = CheckProgramIsolated(GenerateProgram(1).Source(), {Broken(Loop)}, 0, 1);
  EXPECT_EQ(outcome.verdict, Verdict::kPassBroke);
  EXPECT_EQ(outcome.configuration, "-O2 with a bug");
  EXPECT_NE(outcome.detail.find("did not finish in 1 s"), std::string::npos) << outcome.detail;
}

// An inexact "optimization": every f32 constant 0.0 becomes -0.0. Within any tolerance of the
// right answer; only the sign of some zeros changes.
void NegateZeros(ir::Module& module, opt::PassContext&) {
  for (const auto& function : module.functions()) {
    for (const auto& block : function->blocks()) {
      for (const auto& instr : block->instrs()) {
        if (instr->op() != ir::Op::kConstant || !instr->attrs().value) continue;
        const Tensor& value = *instr->attrs().value;
        if (value.dtype() != DType::kF32 || value.size() != 1 || value.Get(0) != 0.0) continue;
        instr->attrs().value = std::make_shared<const Tensor>(Tensor::Scalar(DType::kF32, -0.0));
      }
    }
  }
}

TEST(DifferentialTest, TheSignOfAZeroIsCompared) {
  std::vector<Configuration> configurations = {Broken(NegateZeros)};
  for (uint64_t seed = 1; seed < 300; ++seed) {
    Outcome outcome = CheckProgram(GenerateProgram(seed).Source(), configurations);
    if (outcome.verdict == Verdict::kAgree) continue;
    EXPECT_EQ(outcome.verdict, Verdict::kMismatch) << outcome.detail;
    EXPECT_NE(outcome.detail.find("not bit for bit"), std::string::npos) << outcome.detail;
    return;
  }
  FAIL() << "no program of 300 exposed a negated zero";
}

TEST(DifferentialTest, AnIllFormedProgramIsTheGeneratorsBug) {
  Outcome outcome = CheckProgram("//! entry: f\nfn f(x: f32[2]) -> f32[3] { return x; }\n",
                                 LevelConfigurations({2}));
  EXPECT_EQ(outcome.verdict, Verdict::kIllFormed);
  EXPECT_NE(outcome.detail.find("fuzz.tsl:2:"), std::string::npos) << outcome.detail;
  EXPECT_TRUE(outcome.failed());
}

TEST(ShrinkTest, KeepsWhatTheFailureNeedsAndDropsTheRest) {
  std::vector<Configuration> none;
  auto has_matmul = [&](const Program& candidate) {
    std::string source = candidate.Source();
    return source.find(" @ ") != std::string::npos &&
           CheckProgram(source, none).verdict == Verdict::kAgree;
  };
  Program program;
  for (uint64_t seed = 1; !has_matmul(program); ++seed) {
    ASSERT_LT(seed, 100u) << "no program of 100 has a matmul";
    program = GenerateProgram(seed, {.statements = 30});
  }
  int tries = 0;
  Program small = Shrink(program, has_matmul, &tries);
  EXPECT_TRUE(has_matmul(small));
  EXPECT_LE(small.StatementCount(), 4) << small.Source();
  EXPECT_LT(small.StatementCount(), program.StatementCount());
  EXPECT_EQ(small.terms.size(), 1u);
  EXPECT_GT(tries, 0);
}

}  // namespace
}  // namespace tessel::fuzz
