// Unit tests of the test runner: listing, classification, failure key lines,
// the subprocess time limit and output cap, and a run's deadline and timeout limit.
#include "tools/course/test_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

namespace tessel::course {
namespace {

TEST(ParseTestListTest, ReadsSuitesNamesAndParameters) {
  std::vector<std::string> tests = ParseTestList(
      "Running main() from gtest_main.cc\nLexTest.\n  Integers\n  Floats\n"
      "Sizes/ShapeTest.  # TypeParam = int\n  Fits/0  # GetParam() = 3\n"
      "DISABLED_OldTest.\n  Anything\nParseTest.\n  DISABLED_Slow\n  Works\n");
  EXPECT_EQ(tests, (std::vector<std::string>{"LexTest.Integers", "LexTest.Floats",
                                             "Sizes/ShapeTest.Fits/0", "ParseTest.Works"}));
}

ProcessResult Exited(int code, const std::string& output) {
  ProcessResult p;
  p.exit_code = code;
  p.output = output;
  return p;
}

TEST(ClassifyTestTest, TellsEveryOutcomeApart) {
  EXPECT_EQ(ClassifyTest("A.B", "lab01", Exited(0, "[  PASSED  ] 1 test.\n")).status,
            TestStatus::kPassed);
  EXPECT_EQ(ClassifyTest("A.B", "lab01", Exited(0, "[  PASSED  ] 0 tests.\n")).status,
            TestStatus::kFailed);  // the filter matched nothing
  EXPECT_EQ(ClassifyTest("A.B", "lab01", Exited(0, "[  SKIPPED ] 1 test, listed below:\n")).status,
            TestStatus::kSkipped);
  TestResult todo =
      ClassifyTest("A.B", "lab01",
                   Exited(1,
                          "C++ exception with description \"not implemented: lab01.t3, "
                          "parse it, see README §4.3\" thrown in the test body.\n"));
  EXPECT_EQ(todo.status, TestStatus::kNotImplemented);
  EXPECT_EQ(todo.unimplemented, "lab01.t3");
  // An earlier lab's skeleton that a test needs (a student release has no
  // solutions to fall back on) leaves the test not implemented, naming that task;
  // a later lab's never does.
  TestResult earlier = ClassifyTest("A.B", "lab02", Exited(1, todo.output));
  EXPECT_EQ(earlier.status, TestStatus::kNotImplemented);
  EXPECT_EQ(earlier.unimplemented, "lab01.t3");
  EXPECT_EQ(ClassifyTest("A.B", "lab00", Exited(1, todo.output)).status, TestStatus::kFailed);
  ProcessResult crash = Exited(-1, "");
  crash.signal = SIGSEGV;
  EXPECT_EQ(ClassifyTest("A.B", "lab01", crash).status, TestStatus::kCrashed);
  ProcessResult hang = Exited(-1, "");
  hang.timed_out = true;
  EXPECT_EQ(ClassifyTest("A.B", "lab01", hang).status, TestStatus::kTimedOut);
}

TEST(KeyLinesTest, KeepsTheFailureBlocks) {
  TestResult r;
  r.status = TestStatus::kFailed;
  r.output =
      "[ RUN      ] A.B\nnoise\nx_test.cpp:7: Failure\nExpected equality of these values:\n"
      "  Lex(\"1\")\n    Which is: \"INT\"\n\n[  TASK    ] lab01.t1\n[  FAILED  ] A.B\n";
  EXPECT_EQ(KeyLines(r),
            (std::vector<std::string>{"x_test.cpp:7: Failure", "Expected equality of these values:",
                                      "  Lex(\"1\")", "    Which is: \"INT\""}));
  r.status = TestStatus::kCrashed;
  r.output = "Note: filter\n[ RUN      ] A.B\nabout to recurse\n";
  EXPECT_EQ(KeyLines(r), std::vector<std::string>{"about to recurse"});
}

// A long expected/actual listing (printed one after the other) keeps its differing lines in
// the default view, not only its first twelve lines.
TEST(KeyLinesTest, ALongListingKeepsItsDifferingLines) {
  std::string output = "[ RUN      ] P.Q\nx_test.cpp:9: Failure\nFailed\nAST:\n  expected:\n";
  for (int i = 0; i < 20; ++i) output += "    (line " + std::to_string(i) + ")\n";
  output += "  actual:\n";
  for (int i = 0; i < 20; ++i) {
    output += (i == 17 ? "  ! (line wrong)\n" : "    (line " + std::to_string(i) + ")\n");
  }
  output += "  first difference at line 18\n[  FAILED  ] P.Q\n";
  TestResult r;
  r.status = TestStatus::kFailed;
  r.output = output;
  std::vector<std::string> key = KeyLines(r);
  auto has = [&](const std::string& line) {
    return std::find(key.begin(), key.end(), line) != key.end();
  };
  EXPECT_TRUE(has("  actual:"));
  EXPECT_TRUE(has("  ! (line wrong)"));
  EXPECT_TRUE(has("  first difference at line 18"));
  EXPECT_TRUE(has("  …"));
  EXPECT_LT(key.size(), 30u);
}

TEST(KeyLinesTest, ASanitizerReportShowsItsErrorFramesAndSummary) {
  TestResult r;
  r.status = TestStatus::kFailed;
  r.output =
      "[ RUN      ] S.T\n=================================================================\n"
      "==42==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020\n"
      "READ of size 8 at 0x6020 thread T0\n"
      "    #0 0x1 in tessel::ir::SsaBuilder::TryRemoveTrivialPhi build_ssa.cpp:141\n"
      "    #1 0x2 in tessel::ir::SsaBuilder::ReadVariable build_ssa.cpp:90\n"
      "    #2 0x3 in f a.cpp:1\n    #3 0x4 in g a.cpp:2\n    #4 0x5 in h a.cpp:3\n"
      "SUMMARY: AddressSanitizer: heap-use-after-free build_ssa.cpp:141 in TryRemoveTrivialPhi\n"
      "Shadow bytes around the buggy address:\n  0x0c04: fa fa\nShadow byte legend:\n"
      "  Heap left redzone: fa\n";
  std::vector<std::string> key = KeyLines(r);
  ASSERT_EQ(key.size(), 6u);
  EXPECT_EQ(key[0], "==42==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020");
  EXPECT_EQ(key[1], "    #0 0x1 in tessel::ir::SsaBuilder::TryRemoveTrivialPhi build_ssa.cpp:141");
  EXPECT_EQ(
      key.back(),
      "SUMMARY: AddressSanitizer: heap-use-after-free build_ssa.cpp:141 in TryRemoveTrivialPhi");
}

TEST(RunProcessTest, CapturesOutputAndExitCode) {
  ProcessResult p = RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 10);
  EXPECT_EQ(p.exit_code, 3);
  EXPECT_EQ(p.output, "out\nerr\n");
  EXPECT_FALSE(p.timed_out);
}

TEST(RunProcessTest, KillsAHangAtTheTimeLimit) {
  ProcessResult p = RunProcess({"/bin/sh", "-c", "sleep 30 & wait"}, 0.3);
  EXPECT_TRUE(p.timed_out);
  EXPECT_LT(p.seconds, 5);
}

TEST(RunProcessTest, ReportsTheSignal) {
  ProcessResult p = RunProcess({"/bin/sh", "-c", "kill -SEGV $$"}, 10);
  EXPECT_EQ(p.signal, SIGSEGV);
}

TEST(RunProcessTest, KeepsTheStartAndTheEndOfAHugeOutput) {
  // 3 MiB of x between a first and a last line: a verdict printed last must survive.
  ProcessResult p = RunProcess(
      {"/bin/sh", "-c", "echo first; head -c 3145728 /dev/zero | tr '\\0' x; echo; echo last"},
      10, 1 << 20);
  EXPECT_EQ(p.output.rfind("first\n", 0), 0u);
  EXPECT_EQ(p.output.substr(p.output.size() - 5), "last\n");
  EXPECT_NE(p.output.find("bytes of output left out"), std::string::npos);
  EXPECT_LT(p.output.size(), (1u << 20) + 100);
}

// A stand-in for a test binary: tests named Hang* never end, the others pass.
std::string FakeTestBinary() {
  std::string path = ::testing::TempDir() + "/fake_tests.sh";
  std::ofstream(path) << "#!/bin/sh\ncase \"$GTEST_FILTER\" in *Hang*) sleep 60 ;; esac\n"
                         "echo '[  PASSED  ] 1 test.'\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(RunTestsTest, StopsAGroupAfterRepeatedTimeouts) {
  RunOptions options;
  options.jobs = 1;
  options.timeout = 0.3;
  options.max_timeouts = 2;
  std::vector<TestResult> r = RunTests(FakeTestBinary(), {"A.Hang1", "A.Hang2", "A.Hang3", "A.Ok"},
                                       "lab01", options);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].status, TestStatus::kTimedOut);
  EXPECT_FALSE(r[0].not_run);
  EXPECT_FALSE(r[1].not_run);
  EXPECT_TRUE(r[2].not_run);
  EXPECT_NE(r[2].output.find("2 tests of this lab timed out already"), std::string::npos);
  EXPECT_TRUE(r[3].not_run);  // one group: the passing test is stopped too
}

TEST(RunTestsTest, OnlyTheGroupThatTimesOutIsStopped) {
  RunOptions options;
  options.jobs = 1;
  options.timeout = 0.3;
  options.max_timeouts = 1;
  options.group = [](const std::string& test) { return test.substr(0, test.find('.')); };
  std::vector<TestResult> r =
      RunTests(FakeTestBinary(), {"A.Hang1", "A.Hang2", "B.Ok"}, "lab01", options);
  EXPECT_FALSE(r[0].not_run);
  EXPECT_TRUE(r[1].not_run);
  EXPECT_NE(r[1].output.find("tests of A timed out"), std::string::npos);
  EXPECT_EQ(r[2].status, TestStatus::kPassed);
}

TEST(RunTestsTest, TestsNotStartedByTheDeadlineDoNotRun) {
  RunOptions options;
  options.jobs = 1;
  options.timeout = 30;
  options.deadline = 2;
  std::vector<TestResult> r = RunTests(FakeTestBinary(), {"A.Hang1", "A.Ok"}, "lab01", options);
  EXPECT_EQ(r[0].status, TestStatus::kTimedOut);
  EXPECT_LT(r[0].seconds, 5);  // cut to the time left, not the 30 s limit
  EXPECT_TRUE(r[1].not_run);
  EXPECT_NE(r[1].output.find("deadline of 2 s"), std::string::npos);
}

TEST(RunTestsTest, TheSecondPhaseRunsAfterTheFirstAndTheHookBetween) {
  std::string log = ::testing::TempDir() + "/phases.log";
  std::string binary = ::testing::TempDir() + "/logging_tests.sh";
  std::ofstream(binary) << "#!/bin/sh\necho \"$GTEST_FILTER\" >> " << log
                        << "\necho '[  PASSED  ] 1 test.'\n";
  std::filesystem::permissions(binary, std::filesystem::perms::owner_all);
  std::filesystem::remove(log);
  RunOptions options;
  options.jobs = 2;
  options.second_phase = [](const std::string& test) {
    return test.find("Hidden") != std::string::npos;
  };
  options.between_phases = [&log] { std::ofstream(log, std::ios::app) << "between\n"; };
  std::vector<TestResult> r =
      RunTests(binary, {"A.Hidden1", "A.Visible1", "B.Hidden2", "B.Visible2"}, "lab01", options);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].name, "A.Hidden1");  // results keep the order asked for
  for (const TestResult& result : r) EXPECT_EQ(result.status, TestStatus::kPassed);
  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], "between");
  for (int i : {0, 1}) EXPECT_NE(lines[i].find("Visible"), std::string::npos) << lines[i];
  for (int i : {3, 4}) EXPECT_NE(lines[i].find("Hidden"), std::string::npos) << lines[i];
}

TEST(ClassifyTestTest, AJudgesTimeoutIsATimeout) {
  ProcessResult judge;
  judge.exit_code = 124;
  judge.output = "[ RUN      ] S.T\ntessel-judge: timed out: your code ran past 20 s on this input\n";
  EXPECT_EQ(ClassifyTest("S.T", "lab01", judge).status, TestStatus::kTimedOut);
  judge.output = "[ RUN      ] S.T\n";  // code 124 alone is just a failure
  EXPECT_EQ(ClassifyTest("S.T", "lab01", judge).status, TestStatus::kFailed);
}

TEST(RunProcessTest, ReportsAProgramThatCannotStart) {
  ProcessResult p = RunProcess({"/nonexistent/program"}, 10);
  EXPECT_EQ(p.exit_code, 127);
  EXPECT_NE(p.output.find("cannot start"), std::string::npos);
}

}  // namespace
}  // namespace tessel::course
