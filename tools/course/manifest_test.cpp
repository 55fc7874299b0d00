// Unit tests of the manifest reader and validator, and of glob matching.
#include "tools/course/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tools/course/test_support.h"

namespace tessel::course {
namespace {

std::string ErrorsFor(const std::string& json) {
  Manifest manifest;
  std::string error;
  EXPECT_FALSE(ParseManifest(json, "lab.json", &manifest, &error));
  return error;
}

TEST(GlobMatchTest, MatchesStarsAndQuestionMarks) {
  EXPECT_TRUE(GlobMatch("LexTest.*", "LexTest.Integers"));
  EXPECT_TRUE(GlobMatch("*Test.A?", "LexTest.AB"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("Suite.Name", "Suite.Name"));
  EXPECT_TRUE(GlobMatch("Param/*.Case/*", "Param/Suite.Case/3"));
  EXPECT_FALSE(GlobMatch("LexTest.*", "ParseTest.Integers"));
  EXPECT_FALSE(GlobMatch("Suite.Name", "Suite.NameToo"));
  EXPECT_FALSE(GlobMatch("A?", "A"));
}

TEST(ManifestTest, ReadsEveryField) {
  Manifest m = testing::FakeManifest();
  EXPECT_EQ(m.lab, "lab07");
  EXPECT_EQ(m.files, std::vector<std::string>{"fake.cpp"});
  ASSERT_EQ(m.tasks.size(), 3u);
  EXPECT_EQ(m.tasks[1].parent, "lab07.t1");
  EXPECT_EQ(m.tasks[1].hidden, std::vector<std::string>{"HiddenParseTest.*"});
  EXPECT_EQ(m.tasks[0].HintFor("LexTest.B"), "look at B");
  EXPECT_EQ(m.tasks[0].HintFor("LexTest.A"), "lex it");
  EXPECT_EQ(m.SectionRef(m.tasks[2]), "lab07_fake/README.md §2.3");
}

TEST(ManifestTest, FindsTasksByIdShortIdAndTest) {
  Manifest m = testing::FakeManifest();
  EXPECT_EQ(m.FindTask("lab07.t2"), &m.tasks[1]);
  EXPECT_EQ(m.FindTask("t3"), &m.tasks[2]);
  EXPECT_EQ(m.FindTask("t9"), nullptr);
  EXPECT_EQ(m.TaskForTest("HiddenParseTest.Big"), &m.tasks[1]);
  EXPECT_TRUE(m.tasks[1].IsHidden("HiddenParseTest.Big"));
  EXPECT_FALSE(m.tasks[1].IsHidden("ParseTest.Small"));
  EXPECT_EQ(m.TaskForTest("OtherTest.X"), nullptr);
}

TEST(ManifestTest, RejectsMalformedJson) {
  EXPECT_NE(ErrorsFor("{\"lab\": ").find("not a JSON object"), std::string::npos);
}

TEST(ManifestTest, ReportsEveryProblemWithItsTask) {
  std::string error = ErrorsFor(R"({"lab": "lab07", "title": "T", "handout": "R.md",
    "files": ["a.cpp"], "total": 10, "tasks": [
      {"id": "lab07.t1", "title": "A", "point": 5, "section": "1", "tests": [], "hint": "h"},
      {"id": "lab07.t1", "title": "B", "points": 5, "section": "2", "parent": "lab07.t9",
       "tests": ["X.*"], "hidden": ["Y.*"], "hint": "h"}]})");
  EXPECT_NE(error.find("task lab07.t1: unknown key \"point\""), std::string::npos) << error;
  EXPECT_NE(error.find("\"points\" must be a non-negative number"), std::string::npos) << error;
  EXPECT_NE(error.find("\"tests\" must not be empty"), std::string::npos) << error;
  EXPECT_NE(error.find("duplicate task id"), std::string::npos) << error;
  EXPECT_NE(error.find("parent \"lab07.t9\" must be a task listed before"), std::string::npos)
      << error;
  EXPECT_NE(error.find("hidden glob \"Y.*\" is not one of its tests"), std::string::npos) << error;
}

TEST(ManifestTest, RejectsTaskIdsOfAnotherLab) {
  std::string error = ErrorsFor(R"({"lab": "lab07", "title": "T", "handout": "R.md",
    "files": ["a.cpp"], "total": 5, "tasks": [
      {"id": "lab01.t1", "title": "A", "points": 5, "section": "1", "tests": ["A.*"],
       "hint": "h"}]})");
  EXPECT_NE(error.find("task ids must start with \"lab07.t\""), std::string::npos) << error;
}

TEST(ManifestTest, ReadsChallengesAndChecksTheirIds) {
  Manifest m;
  std::string error;
  ASSERT_TRUE(ParseManifest(R"({"lab": "lab07", "title": "T", "handout": "R.md",
    "files": ["a.cpp"], "total": 5, "tasks": [
      {"id": "lab07.t1", "title": "A", "points": 5, "section": "1", "tests": ["A.*"],
       "hint": "h"}],
    "challenges": [{"id": "lab07.c1", "title": "Faster", "section": "8.1"}]})",
                            "lab.json", &m, &error))
      << error;
  ASSERT_EQ(m.challenges.size(), 1u);
  EXPECT_EQ(m.challenges[0].title, "Faster");
  EXPECT_EQ(m.challenges[0].section, "8.1");
  error = ErrorsFor(R"({"lab": "lab07", "title": "T", "handout": "R.md",
    "files": ["a.cpp"], "total": 5, "tasks": [
      {"id": "lab07.t1", "title": "A", "points": 5, "section": "1", "tests": ["A.*"],
       "hint": "h"}],
    "challenges": [{"id": "lab07.t2", "title": "X", "section": "8.1", "points": 3}]})");
  EXPECT_NE(error.find("challenge ids must start with \"lab07.c\""), std::string::npos) << error;
  EXPECT_NE(error.find("challenge lab07.t2: unknown key \"points\""), std::string::npos) << error;
}

// Hints of hidden tests live in tests/hidden/hints.json, which student releases leave out.
TEST(ManifestTest, HiddenTestHintsComeFromTheHiddenFolderOnly) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "manifest_hidden_hints";
  fs::remove_all(dir);
  fs::create_directories(dir / "tests" / "hidden");
  const std::string manifest = R"({"lab": "lab07", "title": "T", "handout": "R.md",
    "files": ["a.cpp"], "total": 5, "tasks": [
      {"id": "lab07.t1", "title": "A", "points": 5, "section": "1", "tests": ["A.*", "HiddenA.*"],
       "hidden": ["HiddenA.*"], "hint": "h"HINTS}]})";
  auto write = [&](const fs::path& path, const std::string& text) { std::ofstream(path) << text; };
  write(dir / "lab.json", std::regex_replace(manifest, std::regex("HINTS"), ""));
  write(dir / "tests" / "hidden" / "hints.json", R"({"HiddenA.Edge": "mind the edge"})");
  Manifest m;
  std::string error;
  ASSERT_TRUE(LoadManifest((dir / "lab.json").string(), &m, &error)) << error;
  EXPECT_EQ(m.tasks[0].HintFor("HiddenA.Edge"), "mind the edge");
  fs::remove(dir / "tests" / "hidden" / "hints.json");  // a student release
  ASSERT_TRUE(LoadManifest((dir / "lab.json").string(), &m, &error)) << error;
  EXPECT_EQ(m.tasks[0].HintFor("HiddenA.Edge"), "h");
  write(dir / "lab.json", std::regex_replace(manifest, std::regex("HINTS"),
                                             R"(, "hints": {"HiddenA.Edge": "leaks"})"));
  EXPECT_FALSE(LoadManifest((dir / "lab.json").string(), &m, &error));
  EXPECT_NE(error.find("the hint for hidden test HiddenA.Edge belongs in tests/hidden/hints.json"),
            std::string::npos)
      << error;
  fs::remove_all(dir);
}

TEST(ManifestTest, ReadsTheRealLab01Manifest) {
  Manifest m;
  std::string error;
  ASSERT_TRUE(LoadManifest(TESSEL_SOURCE_DIR "/lab01_lexer_parser/lab.json", &m, &error)) << error;
  double sum = 0;
  for (const Task& task : m.tasks) sum += task.points;
  EXPECT_EQ(sum, m.total);
}

TEST(FormatPointsTest, DropsTrailingZeros) {
  EXPECT_EQ(FormatPoints(15), "15");
  EXPECT_EQ(FormatPoints(7.5), "7.5");
  EXPECT_EQ(FormatPoints(20.0 / 3), "6.67");
}

}  // namespace
}  // namespace tessel::course
