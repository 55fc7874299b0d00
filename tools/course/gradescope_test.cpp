// Unit tests of results.json: valid per Gradescope's autograder spec, hidden
// tests apart, and written even when the build failed.
#include "tools/course/gradescope.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "tools/course/test_support.h"

namespace tessel::course {
namespace {

using nlohmann::json;
using testing::Result;
using S = TestStatus;

// The checks Gradescope applies to results.json, from its published spec.
void ExpectValidResults(const json& r) {
  const std::set<std::string> top = {"score",         "execution_time",     "output",
                                     "output_format", "test_output_format", "test_name_format",
                                     "visibility",    "stdout_visibility",  "extra_data",
                                     "tests",         "leaderboard"};
  const std::set<std::string> visibilities = {"hidden", "after_due_date", "after_published",
                                              "visible"};
  const std::set<std::string> formats = {"text", "html", "simple_format", "md", "ansi"};
  for (const auto& [key, value] : r.items()) EXPECT_TRUE(top.count(key)) << key;
  ASSERT_TRUE(r["score"].is_number());
  EXPECT_TRUE(r["execution_time"].is_number_integer());
  EXPECT_TRUE(formats.count(r["output_format"]));
  EXPECT_TRUE(visibilities.count(r["visibility"]));
  EXPECT_TRUE(visibilities.count(r["stdout_visibility"]));
  double sum = 0;
  for (const json& t : r["tests"]) {
    for (const auto& [key, value] : t.items()) {
      EXPECT_TRUE(
          (std::set<std::string>{"score", "max_score", "status", "name", "name_format", "number",
                                 "output", "output_format", "tags", "visibility", "extra_data"}
               .count(key)))
          << key;
    }
    EXPECT_TRUE(t["name"].is_string());
    EXPECT_TRUE(t["number"].is_string());
    EXPECT_TRUE(t["output"].is_string());
    EXPECT_TRUE(visibilities.count(t["visibility"]));
    EXPECT_TRUE(t["status"] == "passed" || t["status"] == "failed");
    if (t.contains("score")) {
      EXPECT_LE(t["score"].get<double>(), t["max_score"].get<double>() + 1e-9);
      sum += t["score"].get<double>();
    }
  }
  EXPECT_NEAR(sum, r["score"].get<double>(), 1e-3);
}

const json* FindTest(const json& r, const std::string& number) {
  for (const json& t : r["tests"]) {
    if (t["number"] == number) return &t;
  }
  return nullptr;
}

class GradescopeTest : public ::testing::Test {
 protected:
  Manifest manifest_ = testing::FakeManifest();
  LabProvenance provenance_{"lab07", "lab07_fake", false, "abcdef1", {}, {}};
};

TEST_F(GradescopeTest, WritesOneEntryPerTaskAndABuildEntry) {
  LabGrade grade = ScoreLab(
      manifest_, {Result("LexTest.A", S::kPassed), Result("LexTest.B", S::kFailed),
                  Result("ParseTest.A", S::kNotImplemented), Result("CheckTest.A", S::kPassed)});
  json r = GradescopeResults(manifest_, &grade, BuildInfo{}, &provenance_, 12.4);
  ExpectValidResults(r);
  EXPECT_EQ(r["output_format"], "md");
  EXPECT_EQ(r["execution_time"], 12);
  EXPECT_EQ(r["tests"][0]["name"], "Build");
  EXPECT_EQ(r["tests"][0]["status"], "passed");
  EXPECT_NE(r["tests"][0]["output"].get<std::string>().find("abcdef1"), std::string::npos);
  const json* lex = FindTest(r, "7.1");
  ASSERT_NE(lex, nullptr);
  EXPECT_EQ((*lex)["score"], 5);
  EXPECT_EQ((*lex)["max_score"], 10);
  EXPECT_EQ((*lex)["status"], "failed");
  EXPECT_EQ((*lex)["tags"], json::array({"lab07", "lab07.t1"}));
  std::string output = (*lex)["output"];
  EXPECT_NE(output.find("LexTest.B"), std::string::npos) << output;
  EXPECT_NE(output.find("look at B"), std::string::npos) << output;  // the per-test hint
  EXPECT_NE(output.find("Expected equality of these values:"), std::string::npos) << output;
  EXPECT_NE((*FindTest(r, "7.2"))["output"].get<std::string>().find("BLOCKED by lab07.t1"),
            std::string::npos);
}

TEST_F(GradescopeTest, PutsHiddenTestsInTheirOwnEntries) {
  LabGrade grade =
      ScoreLab(manifest_,
               {Result("ParseTest.A", S::kPassed), Result("HiddenParseTest.A", S::kPassed),
                Result("HiddenParseTest.B", S::kFailed), Result("HiddenParseTest.C", S::kFailed)});
  json r = GradescopeResults(manifest_, &grade, BuildInfo{}, &provenance_, 1);
  ExpectValidResults(r);
  const json* visible = FindTest(r, "7.2");
  const json* hidden = FindTest(r, "7.2h");
  ASSERT_NE(visible, nullptr);
  ASSERT_NE(hidden, nullptr);
  EXPECT_EQ((*visible)["visibility"], "visible");
  EXPECT_EQ((*visible)["score"], 5);
  EXPECT_EQ((*visible)["max_score"], 5);
  EXPECT_EQ((*hidden)["visibility"], "after_due_date");
  EXPECT_EQ((*hidden)["score"], 5);
  EXPECT_EQ((*hidden)["max_score"], 15);
  EXPECT_EQ((*hidden)["tags"].back(), "hidden");
  // The summary shows the public part only, so it does not give hidden results away.
  EXPECT_NE(r["output"].get<std::string>().find("Public tests: **5/25**"), std::string::npos)
      << r["output"];
}

TEST_F(GradescopeTest, ScoresZeroWithTheBuildLogWhenTheBuildFailed) {
  std::string log = ::testing::TempDir() + "/build.log";
  std::ofstream(log) << "[1/3] Building fake.cpp\nfake.cpp:3:1: error: expected ';'\nninja: "
                        "build stopped\n";
  BuildInfo build{false, "lab07_tests was not built", BuildLogExcerpt(log), {}};
  json r = GradescopeResults(manifest_, nullptr, build, &provenance_, 0);
  ExpectValidResults(r);
  EXPECT_EQ(r["score"], 0);
  EXPECT_EQ(r["tests"][0]["status"], "failed");
  std::string output = r["tests"][0]["output"];
  EXPECT_NE(output.find("fake.cpp:3:1: error: expected ';'"), std::string::npos) << output;
  EXPECT_EQ(r["tests"].size(), 4u);  // Build + one per task, each 0
  EXPECT_EQ(r["tests"][2]["max_score"], 20);
  std::remove(log.c_str());
}

}  // namespace
}  // namespace tessel::course
