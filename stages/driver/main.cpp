// tessel: the command-line driver of the Tessel compiler and course.
//
//   tessel run FILE.tsl [--emit tokens|ast]   compile and run a program
//   tessel tpu run PROG.s                     run and time a program on the simulated TPU
//   tessel grade labNN                        grade a lab (see docs/course.md)
//   tessel labs                               every lab's score and progress
//   tessel instructor classroom|gradescope    autograder files for a course
#include <CLI/CLI.hpp>
#include <iostream>

#include "stages/driver/run_command.h"
#include "stages/driver/tpu_command.h"
#include "tools/course/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Tessel: a from-scratch ML compiler, built as a course"};
  app.require_subcommand(1);
  tessel::RunOptions run_options;
  CLI::App* run = tessel::AddRunCommand(app, run_options);
  tessel::TpuOptions tpu_options;
  CLI::App* tpu = tessel::AddTpuCommand(app, tpu_options);
  tessel::course::CourseCommands course;
  tessel::course::AddCourseCommands(app, course);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (run->parsed()) return tessel::RunCommand(run_options);
  if (tpu->parsed()) return tessel::RunTpuCommand(*tpu, tpu_options);
  return tessel::course::RunCourseCommand(course).value_or(0);
}
