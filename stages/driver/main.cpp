// tessel: the command-line driver of the Tessel compiler and course.
//
//   tessel run FILE.tsl [--emit tokens|ast]   compile and run a program
//   tessel tpu run PROG.s                     run and time a program on the simulated TPU
//   tessel grade labNN                        grade a lab (see docs/course.md)
//   tessel labs                               every lab's score and progress
//   tessel instructor classroom|gradescope    autograder files for a course
//   tessel lint-docs                          check what the docs cite against the code
#include <CLI/CLI.hpp>
#include <iostream>

#include "stages/driver/run_command.h"
#include "stages/driver/tpu_command.h"
#include "tools/course/commands.h"

namespace {

// The whole command line: every subcommand with the options it fills.
struct CommandLine {
  CLI::App app{"Tessel: a from-scratch ML compiler, built as a course"};
  tessel::RunOptions run_options;
  tessel::TpuOptions tpu_options;
  tessel::course::CourseCommands course;
  CLI::App* run = nullptr;
  CLI::App* tpu = nullptr;

  CommandLine() {
    app.require_subcommand(1);
    run = tessel::AddRunCommand(app, run_options);
    tpu = tessel::AddTpuCommand(app, tpu_options);
    tessel::course::AddCourseCommands(app, course);
  }
};

// For `tessel lint-docs`: whether `args` (without "tessel") parse as the real command line
// would parse them. Only the parse: nothing runs. A missing positional is not the docs'
// fault (prose shows commands without their file), so only other errors count.
std::optional<std::string> CheckCommand(const std::vector<std::string>& args) {
  CommandLine command_line;
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    command_line.app.parse(reversed);
  } catch (const CLI::RequiredError& e) {
    if (command_line.app.get_subcommands().empty()) return std::string(e.what());
  } catch (const CLI::CallForHelp&) {
  } catch (const CLI::ParseError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine command_line;
  command_line.course.lint_docs.check_command = CheckCommand;
  try {
    command_line.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return command_line.app.exit(e);
  }
  if (command_line.run->parsed()) return tessel::RunCommand(command_line.run_options);
  if (command_line.tpu->parsed()) {
    return tessel::RunTpuCommand(*command_line.tpu, command_line.tpu_options);
  }
  return tessel::course::RunCourseCommand(command_line.course).value_or(0);
}
