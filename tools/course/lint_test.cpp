// Unit tests of the manifest lint's test rules (the marker and handout rules
// run against the real lab01 in CI's course checks).
#include "tools/course/lint.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tools/course/test_support.h"

namespace tessel::course {
namespace {

std::vector<std::string> Lint(const Manifest& manifest, std::vector<std::string> tests) {
  LintInputs in;
  in.manifest = &manifest;
  in.tests = std::move(tests);
  in.source_dir = "/nonexistent";  // no solutions/ and no handout: those rules report or skip
  in.lab_dir = "lab07_fake";
  return LintLab(in);
}

bool Mentions(const std::vector<std::string>& problems, const std::string& fragment) {
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
    return p.find(fragment) != std::string::npos;
  });
}

const std::vector<std::string> kAllTests = {"LexTest.A", "LexTest.B", "ParseTest.A",
                                            "CheckTest.A"};

TEST(LintTest, ATestOfNoTaskIsReported) {
  std::vector<std::string> tests = kAllTests;
  tests.push_back("StrayTest.A");
  EXPECT_TRUE(Mentions(Lint(testing::FakeManifest(), tests), "test StrayTest.A belongs to no task"));
}

TEST(LintTest, ATaskWithoutTestsIsReported) {
  EXPECT_TRUE(Mentions(Lint(testing::FakeManifest(), {"LexTest.A", "ParseTest.A"}),
                       "lab07.t3 has no test in the binary"));
}

TEST(LintTest, AHintForAMissingTestIsReported) {
  Manifest m = testing::FakeManifest();
  m.tasks[0].hints["LexTest.Renamed"] = "stale";
  EXPECT_TRUE(Mentions(Lint(m, kAllTests), "the hint for LexTest.Renamed names no test"));
}

TEST(LintTest, AHintForAnotherTasksTestIsReported) {
  Manifest m = testing::FakeManifest();
  m.tasks[0].hints["ParseTest.A"] = "wrong task";
  EXPECT_TRUE(Mentions(Lint(m, kAllTests), "the hint for ParseTest.A names a test of another"));
}

TEST(LintTest, AHintForAnAbsentHiddenTestIsFine) {
  Manifest m = testing::FakeManifest();
  m.tasks[1].hints["HiddenParseTest.A"] = "only the autograder has it";
  EXPECT_FALSE(Mentions(Lint(m, kAllTests), "HiddenParseTest.A"));
}

}  // namespace
}  // namespace tessel::course
