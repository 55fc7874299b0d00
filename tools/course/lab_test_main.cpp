// main() of every lab's graded test binary (labNN_tests).
//
// Besides running the tests, it installs a listener that prints, right after
// a failed test's expected/actual report, which task the test belongs to, the
// task's hint (or the test's own), the handout section and the command that
// reruns just this test. It reads them from the lab's manifest, whose path
// the build passes in TESSEL_LAB_MANIFEST; when the manifest cannot be read
// the tests run as usual and say why the hint is missing.
#include <gtest/gtest.h>

#include <cctype>
#include <iostream>
#include <optional>
#include <string>

#include "tools/course/manifest.h"

#ifndef TESSEL_LAB_MANIFEST
#define TESSEL_LAB_MANIFEST ""
#endif
#ifndef TESSEL_BUILD_DIR
#define TESSEL_BUILD_DIR "build"
#endif

namespace {

using tessel::course::Manifest;
using tessel::course::Task;

// Prints the task, hint, handout section and rerun command after each failed test.
class HintPrinter : public ::testing::EmptyTestEventListener {
 public:
  HintPrinter(std::optional<Manifest> manifest, std::string error)
      : manifest_(std::move(manifest)), error_(std::move(error)) {}

  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (!info.result()->Failed()) return;
    std::string test = std::string(info.test_suite_name()) + "." + info.name();
    PrintTask(test, StoppedIn(*info.result()));
    std::cout << "[  RERUN   ] " << tessel::course::RerunCommand(TESSEL_BUILD_DIR, test) << "\n"
              << std::flush;
  }

 private:
  // The task whose not-implemented error ended the test ("lab01.t3"), or "".
  static std::string StoppedIn(const ::testing::TestResult& result) {
    const std::string marker = "not implemented: ";
    for (int i = 0; i < result.total_part_count(); ++i) {
      std::string message = result.GetTestPartResult(i).message();
      size_t at = message.find(marker);
      if (at == std::string::npos) continue;
      size_t begin = at + marker.size(), end = begin;
      while (end < message.size() &&
             (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '.')) {
        ++end;
      }
      return message.substr(begin, end - begin);
    }
    return "";
  }

  void PrintTask(const std::string& test, const std::string& stopped_in) const {
    if (!manifest_) {
      std::cout << "[  TASK    ] unknown: " << error_ << "\n";
      return;
    }
    const Task* task = manifest_->TaskForTest(test);
    if (!task) {
      std::cout << "[  TASK    ] none: this test belongs to no task of " << TESSEL_LAB_MANIFEST
                << "\n";
      return;
    }
    std::cout << "[  TASK    ] " << task->id << " " << task->title << " ("
              << manifest_->SectionRef(*task) << ")\n";
    // Stopped in an earlier task's TODO: that task is what to work on, with its hint.
    const Task* cause = stopped_in.empty() ? nullptr : manifest_->FindTask(stopped_in);
    if (cause && cause != task && cause->id == stopped_in) {
      std::cout << "[  CAUSE   ] this test stopped in " << cause->id << " " << cause->title
                << ", a TODO: finish it first (" << manifest_->SectionRef(*cause) << ")\n"
                << "[  HINT    ] " << cause->HintFor(test) << "\n";
      return;
    }
    std::cout << "[  HINT    ] " << task->HintFor(test) << "\n";
  }

  std::optional<Manifest> manifest_;
  std::string error_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  Manifest manifest;
  std::string error;
  std::optional<Manifest> loaded;
  if (tessel::course::LoadManifest(TESSEL_LAB_MANIFEST, &manifest, &error)) loaded = manifest;
  ::testing::UnitTest::GetInstance()->listeners().Append(
      new HintPrinter(std::move(loaded), std::move(error)));
  return RUN_ALL_TESTS();
}
