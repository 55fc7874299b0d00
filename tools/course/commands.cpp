// CLI11 wiring of the course commands. Each command's logic lives in its own
// file (grade_command, labs_progress, instructor_kit); this file only maps
// flags to option structs.
#include "tools/course/commands.h"

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace tessel::course {

namespace {

CLI::App* AddGrade(CLI::App& app, GradeOptions& o) {
  CLI::App* grade = app.add_subcommand("grade", "Run a lab's graded tests and score them");
  grade->add_option("lab", o.lab, "The lab, e.g. lab01")->required();
  grade->add_option("--task", o.task, "Grade only this task, e.g. lab01.t3");
  grade->add_flag("--strict", o.strict,
                  "Exit 0 only if every selected test passed (skips count as failures)");
  grade->add_option("--json", o.json_file, "Also write the result as JSON to FILE");
  grade->add_option("--gradescope", o.gradescope_file, "Also write Gradescope's results.json");
  grade->add_option("--classroom", o.classroom_file,
                    "Also write a GitHub Classroom step's result (for the grading reporter)");
  grade->add_option("--build-log", o.build_log, "Build log quoted in results.json on failure");
  grade->add_option("--check", o.check,
                    "Course check instead of a grade: full, skeleton or prefix:TASK");
  grade->add_flag("--lint", o.lint, "Lint the manifest, tests, markers and handout; run nothing");
  grade->add_flag("-v,--verbose", o.verbose, "Show every failure in full");
  grade->add_option("-j,--jobs", o.jobs, "Tests to run at the same time")
      ->check(CLI::Range(1, 256));
  grade->add_option("--timeout", o.timeout, "Seconds each test may run")
      ->check(CLI::Range(1.0, 3600.0));
  grade->add_option("--deadline", o.deadline,
                    "Seconds the whole run may take; tests not started by then are not run")
      ->check(CLI::NonNegativeNumber);
  grade->add_option("--max-timeouts", o.max_timeouts,
                    "Timeouts in one task after which its other tests are not run (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  grade->add_option("--test-binary", o.test_binary,
                    "Run this test binary instead of the build's (an autograder's judge)");
  grade->add_option("--notes", o.notes_file,
                    "A file of lines to show first in results.json (the autograder's checks)");
  grade->add_option("--graded-sources", o.graded_sources,
                    "The copy of the course the learner's files were compiled from (for the "
                    "provenance line)");
  grade->add_option("--list-tests-from", o.list_tests_from,
                    "Take the list of tests from this trusted binary, not the one that runs them");
  grade->add_option("--built", o.built,
                    "The program the learner's build must have made (a judge's runner); "
                    "without it the build failed");
  return grade;
}

CLI::App* AddLabs(CLI::App& app, LabsOptions& o) {
  CLI::App* labs = app.add_subcommand("labs", "Every lab's score and what works end to end");
  labs->add_option("-j,--jobs", o.jobs, "Tests to run at the same time")->check(CLI::Range(1, 256));
  return labs;
}

void AddInstructor(CLI::App& app, CourseCommands& c) {
  CLI::App* kit = app.add_subcommand("instructor", "Autograder files for a course");
  kit->require_subcommand(1);
  InstructorOptions& o = c.instructor;
  c.classroom_app = kit->add_subcommand("classroom", "Write a GitHub Classroom workflow");
  c.classroom_app->add_option("lab", o.lab, "The lab, e.g. lab01")->required();
  c.classroom_app
      ->add_option("--scoring", o.scoring,
                   "partial: a task earns points per test passed, as on Gradescope (default); "
                   "task: all or nothing per task (GitHub's command grader)")
      ->check(CLI::IsMember({"partial", "task"}));
  c.classroom_app->add_option("--out", o.out, "Write to FILE (default: print it)");
  c.classroom_app->add_option("--solutions", o.solutions,
                              "TESSEL_SOLUTIONS in the student repository (default: none)");
  c.gradescope_app = kit->add_subcommand("gradescope", "Write a Gradescope autograder bundle");
  c.gradescope_app->add_option("lab", o.lab, "The lab, e.g. lab01")->required();
  c.gradescope_app->add_option("--out", o.out, "The folder to write")->required();
}

CLI::App* AddLintDocs(CLI::App& app, DocsLintOptions& o) {
  CLI::App* lint = app.add_subcommand(
      "lint-docs", "Check every command, flag, test name, path and § the docs cite");
  lint->add_flag("--update", o.update, "Regenerate the example outputs marked in the docs");
  return lint;
}

}  // namespace

void AddCourseCommands(CLI::App& app, CourseCommands& commands) {
  commands.grade_app = AddGrade(app, commands.grade);
  commands.labs_app = AddLabs(app, commands.labs);
  AddInstructor(app, commands);
  commands.lint_docs_app = AddLintDocs(app, commands.lint_docs);
}

std::optional<int> RunCourseCommand(CourseCommands& c) {
  if (c.grade_app->parsed()) return GradeCommand(c.grade);
  if (c.labs_app->parsed()) return LabsCommand(c.labs);
  if (c.lint_docs_app->parsed()) return DocsLintCommand(c.lint_docs);
  if (c.classroom_app->parsed() || c.gradescope_app->parsed()) {
    c.instructor.kind = c.classroom_app->parsed() ? "classroom" : "gradescope";
    return InstructorCommand(c.instructor);
  }
  return std::nullopt;
}

int RunGradeCommandLine(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  static char grade[] = "grade";
  if (argc > 1 && std::string(argv[1]).rfind("lab", 0) == 0) args.insert(args.begin() + 1, grade);
  CLI::App app{"tessel-grade: grade Tessel labs (the course commands of tessel, no lab code)"};
  app.require_subcommand(1);
  CourseCommands commands;
  AddCourseCommands(app, commands);
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return RunCourseCommand(commands).value_or(0);
}

}  // namespace tessel::course
