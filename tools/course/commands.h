// The course's subcommands, shared by `tessel` and the standalone
// `tessel-grade` (which has no lab code, so it builds even when a learner's
// code does not compile):
//   grade LAB [--task ID] [--strict] [--json FILE] [--gradescope FILE] [--build-log FILE]
//             [--check full|skeleton|prefix:TASK] [--lint] [-v] [-j N] [--timeout S]
//   labs [-j N]
//   instructor classroom LAB [--out FILE] [--solutions LIST]
//   instructor gradescope LAB --out DIR
//   lint-docs [--update]
#pragma once

#include <optional>

#include "tools/course/docs_lint_command.h"
#include "tools/course/grade_command.h"
#include "tools/course/instructor_kit.h"
#include "tools/course/labs_progress.h"

namespace CLI {
class App;
}

namespace tessel::course {

/// The parsed flags of every course command, and which command was given.
struct CourseCommands {
  GradeOptions grade;
  LabsOptions labs;
  InstructorOptions instructor;
  DocsLintOptions lint_docs;
  CLI::App* grade_app = nullptr;
  CLI::App* labs_app = nullptr;
  CLI::App* classroom_app = nullptr;
  CLI::App* gradescope_app = nullptr;
  CLI::App* lint_docs_app = nullptr;
};

/// Adds `grade`, `labs`, `instructor` and `lint-docs` to `app`; their flags land in `commands`.
void AddCourseCommands(CLI::App& app, CourseCommands& commands);

/// Runs the course command that was parsed and returns its exit status; nullopt when the
/// command line named none of them.
std::optional<int> RunCourseCommand(CourseCommands& commands);

/// The whole of `tessel-grade`: parses argv (`tessel-grade lab01 ...` is short for
/// `tessel-grade grade lab01 ...`) and runs the course command; returns the exit status.
int RunGradeCommandLine(int argc, char** argv);

}  // namespace tessel::course
