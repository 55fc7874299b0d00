// tessel-grade: the course commands of `tessel` (grade, labs, instructor)
// without any lab code, so that it builds even when a learner's code does not.
// Autograders (Gradescope's run_autograder, the GitHub Classroom workflow)
// run it. `tessel-grade lab01 ...` is short for `tessel-grade grade lab01 ...`.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "tools/course/commands.h"

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  static char grade[] = "grade";
  if (argc > 1 && std::string(argv[1]).rfind("lab", 0) == 0) args.insert(args.begin() + 1, grade);
  CLI::App app{"tessel-grade: grade Tessel labs (the course commands of tessel, no lab code)"};
  app.require_subcommand(1);
  tessel::course::CourseCommands commands;
  tessel::course::AddCourseCommands(app, commands);
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return tessel::course::RunCourseCommand(commands).value_or(0);
}
