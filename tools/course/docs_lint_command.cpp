// `tessel lint-docs`: gathers what the docs lint checks against (the test names of
// this build, a way to run marked commands) and prints its findings.
#include "tools/course/docs_lint_command.h"

#include <cstdlib>
#include <iostream>
#include <regex>
#include <sstream>

#include "tools/course/docs_lint.h"
#include "tools/course/registry.h"
#include "tools/course/subprocess.h"

namespace tessel::course {

namespace {

// Every test CTest knows in `build_dir` (GoogleTest cases and command-line tests alike).
std::set<std::string> ListCtestTests(const std::string& build_dir, std::string* error) {
  ProcessResult listed = RunProcess({"ctest", "--test-dir", build_dir, "-N"}, 120);
  if (listed.exit_code != 0) {
    *error = "ctest -N failed in " + build_dir + ":\n" + listed.output;
    return {};
  }
  static const std::regex kTest(R"(Test\s+#[0-9]+: (\S+))");
  std::set<std::string> tests;
  std::istringstream in(listed.output);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_search(line, match, kTest)) tests.insert(match[1].str());
  }
  return tests;
}

}  // namespace

int DocsLintCommand(const DocsLintOptions& options) {
  Registry registry;
  std::string error;
  if (!LoadRegistry(ExecutableDir(), &registry, &error)) {
    std::cerr << "tessel lint-docs: error: " << error << "\n";
    return 2;
  }
  DocsLintInputs inputs;
  inputs.source_dir = registry.source_dir;
  inputs.check_command = options.check_command;
  inputs.tests = ListCtestTests(registry.build_dir, &error);
  if (inputs.tests.empty()) {
    std::cerr << "tessel lint-docs: error: " << error << "\n";
    return 2;
  }
  // A marked command runs from the repository root with this build's programs first on PATH.
  const std::string path =
      registry.bin_dir + ":" + (std::getenv("PATH") ? std::getenv("PATH") : "");
  // The marked outputs are the reference compiler's: a build of any learner code skips them.
  const bool reference = registry.solutions == "all";
  if (reference)
    inputs.run_output = [&](const std::string& command) -> std::optional<std::string> {
      std::string script = "cd '" + registry.source_dir + "' && PATH='" + path + "' " + command;
      ProcessResult result = RunProcess({"/bin/sh", "-c", script}, 300);
      if (result.timed_out || result.signal != 0) return std::nullopt;
      return result.output;
    };
  inputs.update = options.update;
  std::vector<std::string> problems = LintDocs(inputs);
  for (const std::string& problem : problems) std::cout << problem << "\n";
  if (!reference) {
    std::cout << "note: marked example outputs were not compared (this build is not the "
                 "reference: TESSEL_SOLUTIONS="
              << registry.solutions << ")\n";
  }
  if (!options.check_command) {
    std::cout << "note: commands were not checked (run `tessel lint-docs`, not tessel-grade)\n";
  }
  std::cout << (problems.empty() ? "docs lint: ok"
                                 : "docs lint: " + std::to_string(problems.size()) + " problem(s)")
            << " (README.md, docs/, handouts, manifests, sources of " << registry.source_dir
            << ")\n";
  return problems.empty() ? 0 : 1;
}

}  // namespace tessel::course
