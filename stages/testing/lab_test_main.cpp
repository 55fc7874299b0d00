// main() of every lab's graded test binary (labNN_tests).
//
// Besides running the tests, it installs a listener that prints, right after
// a failed test's expected/actual report, which task the test belongs to, the
// task's hint (or the test's own), the handout section and the command that
// reruns just this test. It reads them from the lab's manifest, whose path
// the build passes in TESSEL_LAB_MANIFEST; when the manifest cannot be read
// the tests run as usual and only the rerun command is printed.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#ifndef TESSEL_LAB_MANIFEST
#define TESSEL_LAB_MANIFEST ""
#endif
#ifndef TESSEL_BUILD_DIR
#define TESSEL_BUILD_DIR "build"
#endif

namespace {

// Shell-style glob: '*' is any run of characters, '?' any one (as in lab.json's "tests").
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++, resume = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// `ctest --test-dir BUILD -R '^Suite\.Name$' --output-on-failure`
std::string RerunCommand(const std::string& test) {
  std::string regex;
  for (char c : test)
    regex += (c == '.' || c == '(' || c == ')' || c == '[' || c == ']') ? std::string("\\") + c
                                                                        : std::string(1, c);
  return std::string("ctest --test-dir ") + TESSEL_BUILD_DIR + " -R '^" + regex +
         "$' --output-on-failure";
}

// Prints the task, hint, handout section and rerun command after each failed test.
class HintPrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit HintPrinter(nlohmann::json manifest) : manifest_(std::move(manifest)) {}

  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (!info.result()->Failed()) return;
    std::string test = std::string(info.test_suite_name()) + "." + info.name();
    PrintTask(test);
    std::cout << "[  RERUN   ] " << RerunCommand(test) << "\n" << std::flush;
  }

 private:
  void PrintTask(const std::string& test) const {
    if (!manifest_.is_object()) {
      std::cout << "[  TASK    ] unknown: cannot read the lab manifest " << TESSEL_LAB_MANIFEST
                << "\n";
      return;
    }
    const nlohmann::json* task = FindTask(test);
    if (!task) {
      std::cout << "[  TASK    ] none: this test belongs to no task of " << TESSEL_LAB_MANIFEST
                << "\n";
      return;
    }
    std::string hint = task->value("hint", "");
    if (task->contains("hints") && (*task)["hints"].contains(test)) {
      hint = (*task)["hints"][test].get<std::string>();
    }
    std::cout << "[  TASK    ] " << task->value("id", "?") << " " << task->value("title", "")
              << " (" << manifest_.value("handout", "README.md") << " §"
              << task->value("section", "?") << ")\n"
              << "[  HINT    ] " << hint << "\n";
  }

  const nlohmann::json* FindTask(const std::string& test) const {
    if (!manifest_.contains("tasks") || !manifest_["tasks"].is_array()) return nullptr;
    for (const nlohmann::json& task : manifest_["tasks"]) {
      if (!task.is_object() || !task.contains("tests") || !task["tests"].is_array()) continue;
      for (const nlohmann::json& glob : task["tests"]) {
        if (glob.is_string() && GlobMatch(glob.get<std::string>(), test)) return &task;
      }
    }
    return nullptr;
  }

  nlohmann::json manifest_;
};

nlohmann::json ReadManifest() {
  std::ifstream in(TESSEL_LAB_MANIFEST);
  if (!in) return nullptr;
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new HintPrinter(ReadManifest()));
  return RUN_ALL_TESTS();
}
