// Unit tests of the docs lint: a small repository in a temporary folder, and
// deliberately broken copies of it (a renamed flag, a removed test, a wrong §,
// a missing path, a stale output, a status row that lies).
#include "tools/course/docs_lint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tessel::course {
namespace {

namespace fs = std::filesystem;

class DocsLintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("docs_lint_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    Write("README.md",
          "# Demo\n\nSee `docs/guide.md` §2 and run `tessel run x.tsl --emit ir`.\n\n"
          "| Lab | Files | Headers |\n|---|---|---|\n| lab01 | `a.cpp` | `docs/guide.md` |\n");
    Write("docs/guide.md",
          "# Guide\n\n## 1. Start\n\nRead §2.1 next.\n\n## 2. More\n\n### 2.1 Detail\n\n"
          "The test `ParseExprTest.Precedence` checks it; so do `ParseExprTest.*`.\n");
    Write("docs/course.md",
          "# Course\n\n## 1. Status\n\n| Part | Status | Where |\n|---|---|---|\n"
          "| lab01 Lexer | available | `lab01_demo/README.md` |\n"
          "| lab03 Graph | planned | - |\n"
          "| C back end | planned | `tessel run x.tsl --target c` |\n");
    Write("lab01_demo/lab.json",
          R"({"lab": "lab01", "title": "Demo", "handout": "lab01_demo/README.md",
              "files": ["a.cpp"], "total": 10, "tasks": [
              {"id": "lab01.t1", "title": "One", "points": 10, "section": "4.1",
               "tests": ["ParseExprTest.*"], "hint": "see README §4.1"}]})");
    Write("lab01_demo/README.md", "# Lab 1\n\n## 4. Tasks\n\n### 4.1 One\n\nSee lab01 §4.1.\n");
    Write("solutions/lab01_demo/a.cpp", "// see docs/guide.md §1\n");
    inputs_.source_dir = root_.string();
    inputs_.tests = {"ParseExprTest.Precedence", "ParseExprTest.Unary", "TesselRun.Emits"};
    inputs_.check_command = [](const std::vector<std::string>& args) -> std::optional<std::string> {
      for (size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--emit" && args[i + 1] != "ir" && args[i + 1] != "ast") {
          return "--emit: " + args[i + 1] + " not in {ir, ast}";
        }
        if (args[i] == "--target") return "The following argument was not expected: --target";
      }
      return std::nullopt;
    };
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& path, const std::string& text) {
    fs::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path) << text;
  }
  std::string Problems() {
    std::string all;
    for (const std::string& problem : LintDocs(inputs_)) all += problem + "\n";
    return all;
  }

  fs::path root_;
  DocsLintInputs inputs_;
};

TEST_F(DocsLintTest, AConsistentRepositoryHasNoProblems) { EXPECT_EQ(Problems(), ""); }

TEST_F(DocsLintTest, ReportsAFlagValueTheCommandLineRejects) {
  Write("README.md", "# Demo\n\nRun `tessel run x.tsl --emit tokens|ir`.\n");
  EXPECT_NE(Problems().find("README.md:3: `tessel run x.tsl --emit tokens`: the command line "
                            "rejects it: --emit: tokens not in {ir, ast}"),
            std::string::npos)
      << Problems();
}

TEST_F(DocsLintTest, DoesNotCheckCommandsOnLinesThatSayPlanned) {
  Write("README.md",
        "# Demo\n\n`tessel run x.tsl --emit c` is planned.\n\n| Lab | Files |\n|---|---|\n"
        "| lab01 | `a.cpp` |\n");
  EXPECT_EQ(Problems(), "");
}

TEST_F(DocsLintTest, ReportsATestThatWasRemoved) {
  inputs_.tests.erase("ParseExprTest.Precedence");
  EXPECT_NE(Problems().find("docs/guide.md:11: no test is named ParseExprTest.Precedence"),
            std::string::npos)
      << Problems();
}

TEST_F(DocsLintTest, ReportsASectionThatIsNotAHeading) {
  Write("README.md", "# Demo\n\nSee `docs/guide.md` §3 and lab01 §4.2.\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("README.md:3: docs/guide.md has no §3"), std::string::npos) << problems;
  EXPECT_NE(problems.find("README.md:3: lab01_demo/README.md has no §4.2"), std::string::npos)
      << problems;
}

TEST_F(DocsLintTest, ReportsABareSectionOfTheSameFileAndARangesSecondEnd) {
  Write("docs/guide.md", "# Guide\n\n## 1. Start\n\nRead §2.1 and §1–§4.\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("docs/guide.md:5: docs/guide.md has no §2.1"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("docs/guide.md:5: docs/guide.md has no §4"), std::string::npos)
      << problems;
}

TEST_F(DocsLintTest, ReportsManifestSectionsAndHintReferences) {
  Write("lab01_demo/README.md", "# Lab 1\n\n## 4. Tasks\n\n### 4.2 Other\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("lab01_demo/lab.json: lab01.t1: lab01_demo/README.md has no §4.1"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("lab01_demo/lab.json (lab01.t1): lab01_demo/README.md has no §4.1"),
            std::string::npos)
      << problems;
}

TEST_F(DocsLintTest, TaskSectionHeadingsCarryTheManifestsTitle) {
  Write("lab01_demo/README.md",
        "# Lab 1\n\n## 4. Tasks\n\n### 4.1 One (lab01.t1, 10 points)\n\n"
        "See lab01 §4.1.\n");
  EXPECT_EQ(Problems(), "");
  Write("lab01_demo/README.md", "# Lab 1\n\n## 4. Tasks\n\n### 4.1 One (lab01.t1, 12 points)\n");
  EXPECT_NE(Problems().find("lab01.t1: lab01_demo/README.md §4.1 is titled \"One (lab01.t1, 12 "
                            "points)\", but the task is \"One\""),
            std::string::npos)
      << Problems();
}

TEST_F(DocsLintTest, ReportsSourceCommentsCitingMissingSections) {
  Write("solutions/lab01_demo/a.cpp", "// see docs/guide.md §9 and README §5\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("solutions/lab01_demo/a.cpp:1: docs/guide.md has no §9"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("solutions/lab01_demo/a.cpp:1: lab01_demo/README.md has no §5"),
            std::string::npos)
      << problems;
}

TEST_F(DocsLintTest, ReportsAMissingRepositoryPath) {
  Write("README.md", "# Demo\n\nThe code is in `stages/nowhere.cpp` and [a](docs/gone.md).\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("README.md:3: no file or folder stages/nowhere.cpp"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("README.md:3: no file or folder docs/gone.md"), std::string::npos)
      << problems;
}

TEST_F(DocsLintTest, ComparesAndUpdatesMarkedOutputs) {
  Write("docs/guide.md",
        "# Guide\n\n## 1. Start\n\n## 2. More\n\n<!-- output: tessel hello -->\n```\n"
        "$ tessel hello\nhello, old\n```\n");
  inputs_.run_output = [](const std::string& command) -> std::optional<std::string> {
    return command == "tessel hello" ? std::optional<std::string>("hello, new\n") : std::nullopt;
  };
  EXPECT_NE(Problems().find("docs/guide.md:7: the output of `tessel hello` has changed (first at "
                            "block line 1: now \"hello, new\")"),
            std::string::npos)
      << Problems();
  inputs_.update = true;
  EXPECT_EQ(Problems(), "");
  inputs_.update = false;
  EXPECT_EQ(Problems(), "");  // rewritten: now it agrees
  std::ifstream in(root_ / "docs/guide.md");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("$ tessel hello\nhello, new\n```"), std::string::npos) << text;
}

TEST_F(DocsLintTest, StatusRowsMustMatchTheTreeAndTheCommandLine) {
  Write("docs/course.md",
        "# Course\n\n| Part | Status | Where |\n|---|---|---|\n"
        "| lab01 Lexer | planned | - |\n| lab03 Graph | available | - |\n"
        "| C back end | available | `tessel run x.tsl --target c` |\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("docs/course.md:5: lab01 Lexer is marked planned but its lab folder "
                          "exists"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("docs/course.md:6: lab03 Graph is marked available but its lab folder "
                          "does not exist"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("docs/course.md:7: C back end is marked available but `tessel run "
                          "x.tsl --target c` is rejected"),
            std::string::npos)
      << problems;
}

TEST_F(DocsLintTest, ReportsALabFileMissingFromTheReadmeTable) {
  Write("README.md", "# Demo\n\n| Lab | Files | Headers |\n|---|---|---|\n| lab01 | `b.cpp` | |\n");
  std::string problems = Problems();
  EXPECT_NE(problems.find("README.md: the table of lab files has no row with lab01's a.cpp"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("README.md: the table lists b.cpp, not a file of lab01"),
            std::string::npos)
      << problems;
}

TEST(CommandVariantsTest, ExpandsAlternativesAndPlaceholders) {
  std::vector<std::vector<std::string>> variants =
      CommandVariants(SplitCommand("tpu gemm|conv M N K [--dataflow ws|os] ..."));
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0],
            (std::vector<std::string>{"tpu", "gemm", "1", "1", "1", "--dataflow", "ws"}));
  EXPECT_EQ(variants[1],
            (std::vector<std::string>{"tpu", "conv", "1", "1", "1", "--dataflow", "os"}));
}

TEST(HeadingNumbersTest, ReadsNumberedAndLetteredHeadingsOutsideCode) {
  EXPECT_EQ(HeadingNumbers("# T\n## 1. A\n### 1.2 B\n#### 3.4.1 C\n## A. Hints\n### A.1 x\n"
                           "```\n## 9. not a heading\n```\n## Notes\n"),
            (std::set<std::string>{"1", "1.2", "3.4.1", "A", "A.1"}));
}

}  // namespace
}  // namespace tessel::course
