// tessel-skeleton: generates the learner's skeleton files of each lab from the
// marked solution files in solutions/ (see markers.h), and answers questions
// about labs for the course checks (tools/course_checks.sh).
//
//   tessel-skeleton write [LAB...]              regenerate the committed skeletons
//   tessel-skeleton check [LAB...]              fail if a committed skeleton is stale
//   tessel-skeleton prefix LAB TASK --out DIR   solution up to TASK, skeletons after
//   tessel-skeleton markers LAB                 "task file:line" for every block
//   tessel-skeleton tasks LAB                   the lab's task ids in manifest order
//   tessel-skeleton labs [--dirs]               the lab ids (and folders)
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/skeleton/generator.h"

#ifndef TESSEL_SOURCE_DIR
#define TESSEL_SOURCE_DIR "."
#endif

namespace tessel {
namespace {

namespace fs = std::filesystem;

// What the command line asked for; each subcommand fills the fields it uses.
struct Request {
  std::string source_dir = TESSEL_SOURCE_DIR;
  std::vector<std::string> labs;
  std::string lab;
  std::string task;
  std::string out_dir;
  bool dirs = false;
};

CLI::App* AddCommand(CLI::App& app, const std::string& name, const std::string& help,
                     Request& request) {
  CLI::App* command = app.add_subcommand(name, help);
  command->add_option("--source-dir", request.source_dir, "The Tessel source folder")
      ->capture_default_str();
  return command;
}

void AddCommands(CLI::App& app, Request& request) {
  AddCommand(app, "write", "Regenerate the lab folders' skeleton files from solutions/", request)
      ->add_option("labs", request.labs, "Labs (lab01 or lab01_lexer_parser); default: all");
  AddCommand(app, "check", "Fail if a committed skeleton differs from what write gives", request)
      ->add_option("labs", request.labs, "Labs (lab01 or lab01_lexer_parser); default: all");
  CLI::App* prefix =
      AddCommand(app, "prefix", "Write a lab with the solution of tasks up to TASK", request);
  prefix->add_option("lab", request.lab, "The lab")->required();
  prefix->add_option("task", request.task, "The last solved task (lab01.t3 or t3)")->required();
  prefix->add_option("--out", request.out_dir, "Where to write the lab's files")->required();
  AddCommand(app, "markers", "Print 'task file:line' for every solution block", request)
      ->add_option("lab", request.lab, "The lab")
      ->required();
  AddCommand(app, "tasks", "Print the lab's task ids in manifest order", request)
      ->add_option("lab", request.lab, "The lab")
      ->required();
  AddCommand(app, "labs", "Print the id of every lab", request)
      ->add_flag("--dirs", request.dirs, "Print each lab's folder after its id");
}

// Runs the parsed subcommand on the labs it names.
int Dispatch(const std::string& command, const Request& request,
             const std::vector<LabManifest>& labs, const SkeletonContext& context) {
  if (command == "write") return WriteSkeletons(context, labs);
  if (command == "check") return CheckSkeletons(context, labs);
  const LabManifest& lab = labs.front();
  if (command == "prefix") return WritePrefix(context, lab, request.task, request.out_dir);
  if (command == "markers") return PrintMarkers(context, lab);
  for (const course::Task& task : lab.tasks) context.out << task.id << "\n";
  return 0;
}

void PrintLabs(const std::vector<LabManifest>& labs, bool dirs) {
  for (const LabManifest& lab : labs) {
    std::cout << lab.lab << (dirs ? " " + lab.dir : std::string()) << "\n";
  }
}

int Run(const std::string& command, const Request& request) {
  std::error_code ec;
  fs::path source_dir = fs::weakly_canonical(fs::absolute(request.source_dir), ec);
  std::vector<LabManifest> all;
  std::vector<LabManifest> selected;
  std::string error;
  if (!FindLabs(source_dir, &all, &error)) {
    std::cerr << "tessel-skeleton: " << error << "\n";
    return 1;
  }
  if (command == "labs") {
    PrintLabs(all, request.dirs);
    return 0;
  }
  std::vector<std::string> names =
      request.lab.empty() ? request.labs : std::vector<std::string>{request.lab};
  if (!SelectLabs(all, names, &selected, &error)) {
    std::cerr << "tessel-skeleton: " << error << "\n";
    return 1;
  }
  return Dispatch(command, request, selected, SkeletonContext{source_dir, std::cout, std::cerr});
}

}  // namespace
}  // namespace tessel

int main(int argc, char** argv) {
  CLI::App app{"tessel-skeleton: generate and check the labs' skeleton files from solutions/"};
  app.require_subcommand(1);
  tessel::Request request;
  tessel::AddCommands(app, request);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return tessel::Run(app.get_subcommands().front()->get_name(), request);
}
