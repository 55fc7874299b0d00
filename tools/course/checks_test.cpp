// Unit tests of the course checks (full, skeleton, prefix:TASK) and the
// handout table reader of the lint.
#include "tools/course/checks.h"

#include <gtest/gtest.h>

#include "tools/course/lint.h"
#include "tools/course/test_support.h"

namespace tessel::course {
namespace {

using testing::Result;
using S = TestStatus;

class ChecksTest : public ::testing::Test {
 protected:
  std::vector<std::string> Check(const std::string& check, std::vector<TestResult> results) {
    grade_ = ScoreLab(manifest_, results);
    std::string error;
    EXPECT_TRUE(ValidCheck(check, manifest_, &error)) << error;
    return RunCheck(check, grade_);
  }
  Manifest manifest_ = testing::FakeManifest();
  LabGrade grade_;
};

TEST_F(ChecksTest, FullHoldsOnlyWhenEverythingPasses) {
  EXPECT_TRUE(Check("full", {Result("LexTest.A", S::kPassed), Result("ParseTest.A", S::kPassed),
                             Result("CheckTest.A", S::kPassed)})
                  .empty());
  std::vector<std::string> v =
      Check("full", {Result("LexTest.A", S::kPassed), Result("ParseTest.A", S::kCrashed)});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_NE(v[0].find("ParseTest.A: expected a pass, but it crashed"), std::string::npos) << v[0];
  EXPECT_EQ(v[1], "lab07.t3: no tests ran");
}

TEST_F(ChecksTest, SkeletonWantsOnlyNotImplementedFailures) {
  EXPECT_TRUE(Check("skeleton", {Result("LexTest.A", S::kNotImplemented),
                                 Result("CheckTest.A", S::kNotImplemented)})
                  .empty());
  std::vector<std::string> v =
      Check("skeleton", {Result("LexTest.A", S::kNotImplemented),
                         Result("ParseTest.A", S::kTimedOut), Result("CheckTest.A", S::kPassed)});
  ASSERT_EQ(v.size(), 3u);
  EXPECT_NE(v[0].find("ParseTest.A: expected the not-implemented error"), std::string::npos);
  EXPECT_NE(v[1].find("CheckTest.A"), std::string::npos);
  EXPECT_NE(v[2].find("instead of 0"), std::string::npos);
}

TEST_F(ChecksTest, PrefixSplitsTasksAtTheNamedOne) {
  EXPECT_TRUE(
      Check("prefix:lab07.t2", {Result("LexTest.A", S::kPassed), Result("ParseTest.A", S::kPassed),
                                Result("CheckTest.A", S::kNotImplemented)})
          .empty());
  std::vector<std::string> v =
      Check("prefix:t1", {Result("LexTest.A", S::kPassed), Result("ParseTest.A", S::kPassed)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("ParseTest.A: passed although lab07.t2 is still a skeleton"),
            std::string::npos);
}

TEST_F(ChecksTest, RejectsUnknownChecks) {
  std::string error;
  EXPECT_FALSE(ValidCheck("prefix:lab07.t9", manifest_, &error));
  EXPECT_FALSE(ValidCheck("most", manifest_, &error));
  EXPECT_NE(error.find("use full, skeleton or prefix:TASK"), std::string::npos);
}

TEST(HandoutTaskRowsTest, ReadsRowsStartingWithATaskId) {
  std::vector<std::vector<std::string>> rows = HandoutTaskRows(
      "| Task | Title | Points |\n|---|---|---|\n| lab01.t1 | Tokens and literals | 15 |\n"
      "text | lab01.t2 |\n|`lab01.t2`| **Comments** |15|\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"lab01.t1", "Tokens and literals", "15"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"lab01.t2", "Comments", "15"}));
}

}  // namespace
}  // namespace tessel::course
