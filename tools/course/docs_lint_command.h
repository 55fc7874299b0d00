// `tessel lint-docs [--update]`: runs the docs lint (docs_lint.h) on the
// repository this build was configured from, with the build's tests and its
// own command line. CI runs it (course checks, step lint) and so does CTest.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tessel::course {

struct DocsLintOptions {
  bool update = false;  // regenerate the marked example outputs instead of reporting them
  /// Parses a command line the way `tessel` would (set by tessel's main; tessel-grade,
  /// which lacks the compiler's commands, leaves it empty and skips that check).
  std::function<std::optional<std::string>(const std::vector<std::string>&)> check_command;
};

/// Prints every problem; returns 0 when there is none, 1 otherwise, 2 when the build
/// cannot be read.
int DocsLintCommand(const DocsLintOptions& options);

}  // namespace tessel::course
