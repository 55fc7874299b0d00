// Unit tests of scoring: proportional credit, statuses, hidden tests.
#include "tools/course/scoring.h"

#include <gtest/gtest.h>

#include "tools/course/grade_report.h"
#include "tools/course/test_support.h"

namespace tessel::course {
namespace {

using testing::Result;
using S = TestStatus;

class ScoringTest : public ::testing::Test {
 protected:
  Manifest manifest_ = testing::FakeManifest();
};

TEST_F(ScoringTest, FullMarksWhenEverythingPasses) {
  LabGrade grade =
      ScoreLab(manifest_, {Result("LexTest.A", S::kPassed), Result("ParseTest.A", S::kPassed),
                           Result("CheckTest.A", S::kPassed)});
  EXPECT_DOUBLE_EQ(grade.score, 40);
  EXPECT_DOUBLE_EQ(grade.max_score, 40);
  EXPECT_TRUE(grade.Complete());
  EXPECT_EQ(grade.Next(), nullptr);
  for (const TaskGrade& task : grade.tasks) EXPECT_EQ(task.status, TaskStatus::kDone);
}

TEST_F(ScoringTest, GivesProportionalCredit) {
  LabGrade grade =
      ScoreLab(manifest_, {Result("LexTest.A", S::kPassed), Result("LexTest.B", S::kFailed),
                           Result("LexTest.C", S::kCrashed), Result("LexTest.D", S::kPassed)});
  EXPECT_DOUBLE_EQ(grade.tasks[0].score, 5);
  EXPECT_EQ(grade.tasks[0].passed, 2);
  EXPECT_EQ(grade.tasks[0].counted, 4);
  EXPECT_EQ(grade.tasks[0].status, TaskStatus::kPartial);
  EXPECT_EQ(grade.tasks[0].Failures().size(), 2u);
  EXPECT_FALSE(grade.Complete());
}

TEST_F(ScoringTest, SkeletonIsNotStartedAndBlocksItsChildren) {
  LabGrade grade = ScoreLab(manifest_, {Result("LexTest.A", S::kNotImplemented),
                                        Result("ParseTest.A", S::kNotImplemented),
                                        Result("CheckTest.A", S::kNotImplemented)});
  EXPECT_EQ(grade.tasks[0].status, TaskStatus::kNotStarted);
  EXPECT_EQ(grade.tasks[1].status, TaskStatus::kBlocked);
  EXPECT_EQ(grade.tasks[1].blocked_by, "lab07.t1");
  EXPECT_EQ(grade.tasks[2].blocked_by, "lab07.t2");
  EXPECT_DOUBLE_EQ(grade.score, 0);
  EXPECT_EQ(grade.Next()->task->id, "lab07.t1");
}

TEST_F(ScoringTest, NotStartedWhenTheParentIsDone) {
  LabGrade grade = ScoreLab(
      manifest_, {Result("LexTest.A", S::kPassed), Result("ParseTest.A", S::kNotImplemented),
                  Result("ParseTest.B", S::kNotImplemented)});
  EXPECT_EQ(grade.tasks[1].status, TaskStatus::kNotStarted);
  EXPECT_EQ(grade.Next()->task->id, "lab07.t2");
}

TEST_F(ScoringTest, AnyOtherFailureMeansPartialNotNotStarted) {
  LabGrade grade = ScoreLab(
      manifest_, {Result("LexTest.A", S::kNotImplemented), Result("LexTest.B", S::kTimedOut)});
  EXPECT_EQ(grade.tasks[0].status, TaskStatus::kPartial);
}

TEST_F(ScoringTest, CountsHiddenTestsApart) {
  LabGrade grade =
      ScoreLab(manifest_,
               {Result("ParseTest.A", S::kPassed), Result("HiddenParseTest.A", S::kPassed),
                Result("HiddenParseTest.B", S::kFailed), Result("HiddenParseTest.C", S::kFailed)});
  const TaskGrade& parse = grade.tasks[1];
  EXPECT_EQ(parse.hidden_counted, 3);
  EXPECT_EQ(parse.hidden_passed, 1);
  EXPECT_FALSE(parse.hidden_absent);
  EXPECT_DOUBLE_EQ(parse.score, 10);
}

TEST_F(ScoringTest, NotesHiddenTestsAbsentFromAStudentBuild) {
  LabGrade grade = ScoreLab(manifest_, {Result("ParseTest.A", S::kPassed)});
  EXPECT_TRUE(grade.tasks[1].hidden_absent);
  EXPECT_DOUBLE_EQ(grade.tasks[1].score, 20);
}

TEST_F(ScoringTest, SkippedTestsDoNotCount) {
  LabGrade grade = ScoreLab(
      manifest_, {Result("CheckTest.A", S::kPassed), Result("CheckTest.Gpu", S::kSkipped)});
  EXPECT_EQ(grade.tasks[2].skipped, 1);
  EXPECT_EQ(grade.tasks[2].counted, 1);
  EXPECT_DOUBLE_EQ(grade.tasks[2].score, 10);
}

TEST_F(ScoringTest, GradesOneTaskAlone) {
  LabGrade grade = ScoreLab(manifest_, {Result("ParseTest.A", S::kFailed)}, "lab07.t2");
  ASSERT_EQ(grade.tasks.size(), 1u);
  EXPECT_DOUBLE_EQ(grade.max_score, 20);
  EXPECT_EQ(grade.tasks[0].status, TaskStatus::kPartial);  // its parent's tests did not run
}

TEST_F(ScoringTest, OneTaskAloneIsBlockedExactlyWhenTheFullTableSaysSo) {
  std::vector<TestResult> results = {Result("LexTest.A", S::kFailed),
                                     Result("ParseTest.A", S::kFailed)};
  LabGrade alone = ScoreLab(manifest_, results, "lab07.t2");
  LabGrade full = ScoreLab(manifest_, results);
  ASSERT_EQ(alone.tasks.size(), 1u);
  EXPECT_EQ(alone.tasks[0].status, TaskStatus::kBlocked);
  EXPECT_EQ(alone.tasks[0].blocked_by, "lab07.t1");
  EXPECT_EQ(full.Find("lab07.t2")->status, alone.tasks[0].status);
  EXPECT_DOUBLE_EQ(alone.score, full.Find("lab07.t2")->score);
}

TEST_F(ScoringTest, AFailureAnEarlierTaskCausesShowsThatTasksHint) {
  const Task& parsing = manifest_.tasks[1];
  std::vector<std::string> stopped =
      DescribeFailure(Result("ParseTest.A", S::kNotImplemented), manifest_, parsing, "b", false);
  EXPECT_EQ(stopped.front(),
            "cause: this test stopped in lab07.t1 Lexing, a TODO: finish that first");
  EXPECT_EQ(stopped[stopped.size() - 3], "hint : lex it");
  EXPECT_EQ(stopped[stopped.size() - 2], "see  : lab07_fake/README.md §2.1");
  std::vector<std::string> blocked = DescribeFailure(Result("ParseTest.A", S::kFailed), manifest_,
                                                     parsing, "b", false, "lab07.t1");
  EXPECT_EQ(blocked.front(),
            "cause: it builds on lab07.t1 Lexing, not done yet: finish that first");
  std::vector<std::string> own =
      DescribeFailure(Result("ParseTest.A", S::kFailed), manifest_, parsing, "b", false);
  EXPECT_EQ(own[own.size() - 3], "hint : parse it");
}

TEST_F(ScoringTest, ListsTestsNoTaskOwns) {
  LabGrade grade = ScoreLab(manifest_, {Result("StrayTest.A", S::kPassed)});
  EXPECT_EQ(grade.unowned_tests, std::vector<std::string>{"StrayTest.A"});
  EXPECT_EQ(grade.tasks[0].status, TaskStatus::kNoTests);
}

}  // namespace
}  // namespace tessel::course
