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
  std::string yaml = ClassroomWorkflow(testing::FakeManifest(), "none");
  EXPECT_TRUE(Has(yaml, "on: [push, repository_dispatch]"));
  EXPECT_TRUE(Has(yaml, "  checks: write\n"));
  EXPECT_TRUE(Has(yaml, "if: github.actor != 'github-classroom[bot]'"));
  EXPECT_TRUE(Has(yaml, "uses: actions/checkout@v4"));
  EXPECT_TRUE(Has(yaml,
                  "apt-get install -y cmake ninja-build g++ libgtest-dev libcli11-dev "
                  "nlohmann-json3-dev"));
  EXPECT_TRUE(Has(yaml, "'-DTESSEL_SOLUTIONS=none'"));
  EXPECT_TRUE(Has(yaml, "cmake --build build --target tessel-grade lab07_tests"));
  EXPECT_TRUE(Has(yaml,
                  "        id: lab07-t2\n"
                  "        uses: classroom-resources/autograding-command-grader@v1\n"));
  EXPECT_TRUE(Has(yaml, "command: build/bin/tessel-grade grade lab07 --task lab07.t2 --strict"));
  EXPECT_TRUE(Has(yaml, "max-score: 20\n"));
  EXPECT_TRUE(Has(yaml, "uses: classroom-resources/autograding-grading-reporter@v1"));
  EXPECT_TRUE(Has(yaml, "LAB07-T3_RESULTS: \"${{steps.lab07-t3.outputs.result}}\""));
  EXPECT_TRUE(Has(yaml, "runners: lab07-t1,lab07-t2,lab07-t3\n"));
  EXPECT_EQ(yaml.find('\t'), std::string::npos);  // YAML forbids tabs in indentation
}

TEST(ClassroomWorkflowTest, QuotesTitlesForYaml) {
  Manifest manifest = testing::FakeManifest();
  manifest.tasks[0].title = "Say \"hi\": twice";
  std::string yaml = ClassroomWorkflow(manifest, "lab01");
  EXPECT_TRUE(Has(yaml, "test-name: \"lab07.t1 Say \\\"hi\\\": twice\""));
  EXPECT_TRUE(Has(yaml, "'-DTESSEL_SOLUTIONS=lab01'"));
}

TEST(GradescopeBundleTest, RunAutograderOverlaysOnlyTheLearnerFiles) {
  LabEntry lab{"lab07", "lab07_fake", "lab07_fake", false, {"fake.cpp"}, "lab07_tests"};
  std::string script = RunAutograderScript(testing::FakeManifest(), lab, "lab01");
  EXPECT_EQ(script.rfind("#!/usr/bin/env bash\n", 0), 0u);
  EXPECT_TRUE(Has(script, "FILES=(fake.cpp)"));
  EXPECT_TRUE(Has(script, "LAB_DIR=lab07_fake"));
  EXPECT_TRUE(Has(script, "SOLUTIONS='lab01'"));
  EXPECT_TRUE(Has(script, "cp -a \"$SRC\" \"$WORK/tessel\""));
  EXPECT_TRUE(Has(script, "--target tessel-grade"));
  EXPECT_TRUE(Has(script, "-- -k 0"));
  EXPECT_TRUE(Has(script, "runuser -u student -- \"$WORK/build/bin/tessel-grade\" grade"));
  EXPECT_TRUE(Has(script, "--gradescope \"$OUT/results.json\" --build-log \"$LOG\""));
  EXPECT_TRUE(Has(script, "write_fallback"));
  EXPECT_TRUE(Has(script, "/autograder/results/results.json"));
}

TEST(GradescopeBundleTest, SetupInstallsPackagesAndAddsStudent) {
  std::string setup = GradescopeSetupScript("none");
  EXPECT_TRUE(Has(setup,
                  "apt-get install -y --no-install-recommends cmake ninja-build g++ "
                  "libgtest-dev libcli11-dev nlohmann-json3-dev"));
  EXPECT_TRUE(Has(setup, "adduser --disabled-password --gecos \"\" student"));
  EXPECT_TRUE(Has(setup, "-DTESSEL_SOLUTIONS=none"));
  EXPECT_TRUE(Has(GradescopeReadme(testing::FakeManifest()), "zip -qr ../lab07-autograder.zip"));
}

}  // namespace
}  // namespace tessel::course
