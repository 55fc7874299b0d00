// Unit tests of the instructor kit: the Classroom workflow and the
// Gradescope scripts.
#include "tools/course/instructor_kit.h"

#include <gtest/gtest.h>

#include "tools/course/test_support.h"

namespace tessel::course {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ClassroomWorkflowTest, HasOneGraderStepPerTaskAndAReporter) {
  std::string yaml = ClassroomWorkflow(testing::FakeManifest(), "none", "task");
  EXPECT_TRUE(Has(yaml, "on: [push, repository_dispatch]"));
  EXPECT_TRUE(Has(yaml, "  checks: write\n"));
  EXPECT_TRUE(Has(yaml, "if: github.actor != 'github-classroom[bot]'"));
  EXPECT_TRUE(Has(yaml, "uses: actions/checkout@v4"));
  EXPECT_TRUE(Has(yaml,
                  "apt-get install -y cmake ninja-build g++ libgtest-dev libcli11-dev "
                  "nlohmann-json3-dev"));
  EXPECT_TRUE(Has(yaml, "'-DTESSEL_SOLUTIONS=none'"));
  // The grader first, alone: a compile error in the lab cannot stop it from building.
  EXPECT_TRUE(Has(yaml, "cmake --build build --target tessel-grade  #"));
  EXPECT_TRUE(Has(yaml, "cmake --build build --target lab07_tests 2>&1 | tee build/build.log"));
  EXPECT_TRUE(Has(yaml,
                  "        id: lab07-t2\n"
                  "        uses: classroom-resources/autograding-command-grader@v1\n"));
  EXPECT_TRUE(Has(yaml, "command: build/bin/tessel-grade grade lab07 --task lab07.t2 --strict "
                        "--build-log build/build.log"));
  EXPECT_TRUE(Has(yaml, "max-score: 20\n"));
  EXPECT_TRUE(Has(yaml, "uses: classroom-resources/autograding-grading-reporter@v1"));
  EXPECT_TRUE(Has(yaml, "LAB07-T3_RESULTS: \"${{steps.lab07-t3.outputs.result}}\""));
  EXPECT_TRUE(Has(yaml, "runners: lab07-t1,lab07-t2,lab07-t3\n"));
  EXPECT_EQ(yaml.find('\t'), std::string::npos);  // YAML forbids tabs in indentation
}

TEST(ClassroomWorkflowTest, PartialScoringStepsWriteTheirOwnResult) {
  std::string yaml = ClassroomWorkflow(testing::FakeManifest(), "none");
  EXPECT_EQ(yaml.find("autograding-command-grader"), std::string::npos);
  EXPECT_TRUE(Has(yaml, "build/bin/tessel-grade grade lab07 --task lab07.t2 --build-log "
                        "build/build.log --classroom build/lab07-t2.json || true\n"));
  EXPECT_TRUE(Has(yaml, "echo \"result=$(base64 -w0 build/lab07-t2.json)\" >> "
                        "\"$GITHUB_OUTPUT\"\n"));
  EXPECT_TRUE(Has(yaml, "\"max_score\": 20,"));  // the fallback when the grader did not run
  EXPECT_TRUE(Has(yaml, "runners: lab07-t1,lab07-t2,lab07-t3\n"));
}

TEST(ClassroomWorkflowTest, QuotesTitlesForYaml) {
  Manifest manifest = testing::FakeManifest();
  manifest.tasks[0].title = "Say \"hi\": twice";
  std::string yaml = ClassroomWorkflow(manifest, "lab01", "task");
  EXPECT_TRUE(Has(yaml, "test-name: \"lab07.t1 Say \\\"hi\\\": twice\""));
  EXPECT_TRUE(Has(ClassroomWorkflow(manifest, "lab01"), "- name: \"lab07.t1 Say \\\"hi\\\": twice\""));
  EXPECT_TRUE(Has(yaml, "'-DTESSEL_SOLUTIONS=lab01'"));
}

// What the scripts do is checked by running them: tools/grading_attacks.sh runs a real bundle
// on honest, broken and hostile submissions. These tests pin what each lab's scripts are told.
TEST(GradescopeBundleTest, AnInProcessLabBuildsItsTestsAsTheStudent) {
  LabEntry lab{"lab07", "lab07_fake", "lab07_fake", false, {"fake.cpp"}, "lab07_tests", "", ""};
  std::string run = RunAutograderScript(testing::FakeManifest(), lab, "lab01");
  EXPECT_EQ(run.rfind("#!/usr/bin/env bash\n", 0), 0u);
  EXPECT_TRUE(Has(run, "FILES=(fake.cpp)"));
  EXPECT_TRUE(Has(run, "LAB_DIR=lab07_fake\n"));
  EXPECT_TRUE(Has(run, "SOLUTIONS='lab01'"));
  EXPECT_TRUE(Has(run, "JUDGE=   #"));
  EXPECT_TRUE(Has(run, "TARGET=lab07_tests   #"));
  EXPECT_TRUE(Has(run, "TESSEL_GRADE_AS_USER=student"));
  EXPECT_TRUE(Has(run, "--deadline \"$left\""));
  EXPECT_TRUE(Has(run, "write_fallback"));
  EXPECT_EQ(run.find("runuser -u student -- \"$TRUSTED"), std::string::npos);  // grader: root
}

TEST(GradescopeBundleTest, AJudgedLabBuildsOnlyItsRunnerAsTheStudent) {
  LabEntry lab{"lab07", "lab07_fake", "lab07_fake", false, {"fake.cpp"}, "lab07_tests",
               "lab07_judge", "lab07_runner"};
  std::string run = RunAutograderScript(testing::FakeManifest(), lab, "none");
  EXPECT_TRUE(Has(run, "JUDGE=lab07_judge   #"));
  EXPECT_TRUE(Has(run, "TARGET=lab07_runner   #"));
  EXPECT_TRUE(Has(run, "TESSEL_RUNNER_USER=student"));
  std::string setup = GradescopeSetupScript(testing::FakeManifest(), lab, "none");
  EXPECT_TRUE(Has(setup, "set -euo pipefail\n"));
  EXPECT_TRUE(Has(setup, "useradd --create-home"));
  EXPECT_EQ(setup.find("adduser --"), std::string::npos);  // not in ubuntu:24.04
  EXPECT_EQ(setup.find("|| true"), std::string::npos);  // a failed prebuild fails setup
  EXPECT_TRUE(Has(setup, "PACKAGES='cmake ninja-build g++ libgtest-dev libcli11-dev "
                         "nlohmann-json3-dev'"));
  EXPECT_TRUE(Has(GradescopeReadme(testing::FakeManifest(), lab),
                  "zip -qr ../lab07-autograder.zip"));
}

}  // namespace
}  // namespace tessel::course
