// Runs graded tests one process each: `<lab>_tests` with GTEST_FILTER=Suite.Name.
// A worker pool of plain threads, each blocking on one child at a time, keeps
// `jobs` tests running.
#include "tools/course/test_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

namespace tessel::course {

namespace {

bool Contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

const char* StatusName(TestStatus status) {
  switch (status) {
    case TestStatus::kPassed:
      return "passed";
    case TestStatus::kFailed:
      return "failed";
    case TestStatus::kNotImplemented:
      return "not implemented";
    case TestStatus::kCrashed:
      return "crashed";
    case TestStatus::kTimedOut:
      return "timed out";
    case TestStatus::kSkipped:
      return "skipped";
  }
  return "?";
}

std::vector<std::string> ParseTestList(const std::string& listing) {
  std::vector<std::string> tests;
  std::istringstream in(listing);
  std::string suite;
  for (std::string line; std::getline(in, line);) {
    std::string entry = line.substr(0, line.find("  #"));  // drop "# GetParam() = ..."
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\r')) entry.pop_back();
    if (entry.empty()) continue;
    if (entry[0] != ' ') {
      suite = entry.back() == '.' ? entry : "";  // "Suite." starts a group
      continue;
    }
    std::string name = entry.substr(entry.find_first_not_of(' '));
    if (suite.empty() || suite.rfind("DISABLED_", 0) == 0 || name.rfind("DISABLED_", 0) == 0) {
      continue;
    }
    tests.push_back(suite + name);
  }
  return tests;
}

bool ListTests(const std::string& binary, std::vector<std::string>* tests, std::string* error,
               bool trusted) {
  if (!std::filesystem::exists(binary)) {
    std::string target = std::filesystem::path(binary).filename().string();
    target = target.substr(0, target.find('_'));
    *error = "its tests are not built (" + binary + " is missing): cmake --build --preset " +
             "student --target " + target + " (or the preset you configured)";
    return false;
  }
  ProcessResult listing = RunProcess({binary, "--gtest_list_tests"}, 60, 1 << 20, {}, trusted);
  if (listing.exit_code != 0) {
    *error = "cannot list the tests of " + binary + ":\n" + listing.output;
    return false;
  }
  *tests = ParseTestList(listing.output);
  return true;
}

TestResult ClassifyTest(const std::string& name, const std::string& lab,
                        const ProcessResult& process) {
  TestResult result{name, TestStatus::kFailed, process.output, "", 0, process.seconds};
  static const std::regex kUnimplemented(R"(not implemented: ((lab[0-9]+)\.t[0-9]+))");
  std::smatch match;
  if (process.timed_out || (process.exit_code == 124 && process.signal == 0 &&
                            Contains(process.output, "tessel-judge: timed out"))) {
    result.status = TestStatus::kTimedOut;
  } else if (process.signal != 0) {
    result.status = TestStatus::kCrashed;
    result.signal = process.signal;
  } else if (process.exit_code > 128 && process.exit_code < 128 + 65 &&
             Contains(process.output, "tessel-judge: your code crashed")) {
    result.status = TestStatus::kCrashed;  // a judge reporting its runner's crash
    result.signal = process.exit_code - 128;
  } else if (process.exit_code == 0 && Contains(process.output, "[  SKIPPED ] 1 test")) {
    result.status = TestStatus::kSkipped;
  } else if (process.exit_code == 0 && Contains(process.output, "[  PASSED  ] 1 test")) {
    result.status = TestStatus::kPassed;
  } else if (std::regex_search(process.output, match, kUnimplemented) &&
             match[2].str() <= lab) {  // "lab01" <= "lab02": ids have two digits
    // This lab's skeleton, or an earlier lab's that the test needs: in a student
    // release lab02's source-based tests parse with the learner's own lab01, and
    // stop at its skeleton. The task then reads "NOT STARTED (lab01.t1 still
    // throws ...)", which says what to finish first.
    result.status = TestStatus::kNotImplemented;
    result.unimplemented = match[1].str();
  }
  return result;
}

std::vector<TestResult> RunTests(const std::string& binary, const std::vector<std::string>& tests,
                                 const std::string& lab, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  std::vector<TestResult> results(tests.size());
  std::atomic<size_t> next{0};
  size_t done = 0;
  std::mutex report;  // guards done, timeouts and on_done
  std::map<std::string, int> timeouts;  // per group
  Clock::time_point start = Clock::now();
  auto group_of = [&](size_t i) { return options.group ? options.group(tests[i]) : ""; };
  // Why test i should not start, or "" when it may run.
  auto reason_not_to_run = [&](size_t i) -> std::string {
    std::chrono::duration<double> elapsed = Clock::now() - start;
    if (options.deadline > 0 && elapsed.count() >= options.deadline - 1) {
      return "not run: the grading run reached its deadline of " +
             std::to_string(static_cast<int>(options.deadline)) + " s";
    }
    std::lock_guard<std::mutex> lock(report);
    if (options.max_timeouts > 0 && timeouts[group_of(i)] >= options.max_timeouts) {
      std::string group = group_of(i);
      return "not run: " + std::to_string(options.max_timeouts) + " tests of " +
             (group.empty() ? "this lab" : group) +
             " timed out already, so its other tests were stopped (a loop that does not "
             "advance?)";
    }
    return "";
  };
  // The tests of the first phase, then those of the second (options.second_phase).
  std::vector<size_t> order;
  for (int phase = 0; phase < 2; ++phase) {
    for (size_t i = 0; i < tests.size(); ++i) {
      bool second = options.second_phase && options.second_phase(tests[i]);
      if (second == (phase == 1)) order.push_back(i);
    }
  }
  size_t phase_end = 0;  // one past the last position of the running phase in `order`
  auto worker = [&] {
    for (size_t at = next++; at < phase_end; at = next++) {
      size_t i = order[at];
      std::string reason = reason_not_to_run(i);
      if (!reason.empty()) {
        results[i] = TestResult{tests[i], TestStatus::kTimedOut, reason, "", 0, 0, true};
      } else {
        double timeout = options.timeout;
        if (options.deadline > 0) {
          std::chrono::duration<double> elapsed = Clock::now() - start;
          timeout = std::max(1.0, std::min(timeout, options.deadline - elapsed.count()));
        }
        // The filter goes in the environment: a command line is visible to every user, and
        // a judge's would tell its runner which (hidden) test it is in.
        ProcessResult process = RunProcess({binary, "--gtest_color=no"}, timeout, 1 << 20,
                                           {"GTEST_FILTER=" + tests[i]});
        results[i] = ClassifyTest(tests[i], lab, process);
      }
      std::lock_guard<std::mutex> lock(report);
      if (results[i].status == TestStatus::kTimedOut && !results[i].not_run) {
        ++timeouts[group_of(i)];
      }
      if (options.on_done) options.on_done(results[i], ++done, tests.size());
    }
  };
  size_t first_phase = 0;
  while (first_phase < order.size() &&
         !(options.second_phase && options.second_phase(tests[order[first_phase]]))) {
    ++first_phase;
  }
  int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(tests.size())));
  for (size_t end : {first_phase, order.size()}) {
    if (end == phase_end) continue;
    if (phase_end > 0 && options.between_phases) options.between_phases();
    next = phase_end;  // workers overshoot the end of a phase: start the next one at its start
    phase_end = end;
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  return results;
}

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines that follow each "...: Failure" header, up to gtest's next "[ ... ]" line.
std::vector<std::string> FailureBlocks(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  bool inside = false;
  for (const std::string& line : lines) {
    bool header = line.size() >= 9 && line.compare(line.size() - 9, 9, ": Failure") == 0;
    if (header) {
      inside = true;
      out.push_back(line);
    } else if (inside && (line.rfind("[", 0) == 0)) {
      inside = false;
    } else if (inside && !line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

// Whether a line of a failure report says what differs: a line marked '!' by the
// expected/actual helpers, a title of theirs, or GoogleTest's own words.
bool SaysWhatDiffers(const std::string& line) {
  size_t start = line.find_first_not_of(' ');
  std::string_view text = start == std::string::npos ? "" : std::string_view(line).substr(start);
  for (std::string_view key : {"! ", "expected", "actual", "first difference",
                               "Which is:", "Expected", "Value of:", "Failure", "diagnostics"}) {
    if (text.starts_with(key)) return true;
  }
  return false;
}

// A report longer than `max_lines`: its first lines (what was checked), then every line
// that says what differs with one line around it, the gaps shown as "…". So a long
// expected/actual listing still shows its differing lines, not only its top.
std::vector<std::string> Condense(const std::vector<std::string>& block, size_t max_lines) {
  if (block.size() <= max_lines) return block;
  std::vector<bool> keep(block.size(), false);
  for (size_t i = 0; i < block.size() && i < max_lines / 3; ++i) keep[i] = true;
  for (size_t i = 0; i < block.size(); ++i) {
    if (!SaysWhatDiffers(block[i])) continue;
    for (size_t j = i > 0 ? i - 1 : 0; j <= i + 1 && j < block.size(); ++j) keep[j] = true;
  }
  std::vector<std::string> out;
  const size_t limit = 3 * max_lines;  // never flood the table
  for (size_t i = 0; i < block.size() && out.size() < limit; ++i) {
    if (keep[i]) {
      out.push_back(block[i]);
    } else if (out.empty() || out.back() != "  …") {
      out.push_back("  …");
    }
  }
  return out;
}

}  // namespace

// A sanitizer's report, shortened to what a learner reads: the error line, the first frames
// of the stack (where it happened) and the SUMMARY line (which the legend after it hides).
static std::vector<std::string> SanitizerReport(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  bool inside = false;
  int frames = 0;
  for (const std::string& line : lines) {
    bool error = line.find("ERROR: AddressSanitizer") != std::string::npos ||
                 line.find("ERROR: LeakSanitizer") != std::string::npos ||
                 line.find(": runtime error: ") != std::string::npos;
    if (error && !inside) {
      inside = true;
      out.push_back(line);
    } else if (inside && frames < 4 && line.find_first_not_of(' ') != std::string::npos &&
               line.compare(line.find_first_not_of(' '), 1, "#") == 0) {
      out.push_back(line);
      ++frames;
    } else if (line.starts_with("SUMMARY: ")) {
      out.push_back(line);
      break;
    }
  }
  return out;
}

std::vector<std::string> KeyLines(const TestResult& result, size_t max_lines) {
  std::vector<std::string> lines = Lines(result.output);
  for (std::string& line : lines) {  // a test that prints megabytes on one line shows 500 bytes
    if (line.size() > 500) line = line.substr(0, 500) + " ...";
  }
  if (std::vector<std::string> report = SanitizerReport(lines); !report.empty()) return report;
  std::vector<std::string> key = Condense(FailureBlocks(lines), max_lines);
  if (!key.empty() && result.status != TestStatus::kCrashed &&
      result.status != TestStatus::kTimedOut) {
    return key;
  }
  // No failure block (a crash, a hang, an exit() in the test): what the test printed last.
  std::vector<std::string> printed;
  bool running = false;
  for (const std::string& line : lines) {
    if (line.rfind("[ RUN", 0) == 0)
      running = true;
    else if (running && !line.empty() && line.rfind("[", 0) != 0)
      printed.push_back(line);
  }
  size_t from = printed.size() > max_lines ? printed.size() - max_lines : 0;
  return std::vector<std::string>(printed.begin() + from, printed.end());
}

}  // namespace tessel::course
