// `tessel run`: read a .tsl file, run the stages that exist so far, print the
// result of the last one asked for; a .ir file goes to run_ir.cpp. User errors
// print clang-style and exit 1; a stage that is still a lab skeleton names the
// task to finish next and exits 2.
#include "stages/driver/run_command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "stages/common/diagnostics.h"
#include "stages/common/not_implemented.h"
#include "stages/driver/directives.h"
#include "stages/driver/run_inputs.h"
#include "stages/driver/run_ir.h"
#include "stages/driver/run_loops.h"
#include "stages/driver/run_tsl.h"
#include "stages/frontend/ast_printer.h"
#include "stages/frontend/lexer.h"
#include "stages/frontend/parser.h"

namespace tessel {

namespace {

int EmitTokens(const SourceFile& file, DiagnosticEngine& diags) {
  std::vector<Token> tokens = Lex(file, diags);
  diags.Print(std::cerr);
  if (diags.has_errors()) return 1;
  std::cout << FormatTokens(tokens);
  return 0;
}

int EmitAst(const SourceFile& file, DiagnosticEngine& diags) {
  std::unique_ptr<ast::Module> module = ast::ParseModule(file, diags);
  diags.Print(std::cerr);
  if (diags.has_errors()) return 1;
  std::cout << ast::PrintModule(*module) << "\n";
  return 0;
}

}  // namespace

int RunCommand(const RunOptions& options) {
  bool is_ir = options.file.ends_with(".ir");
  if (options.file.ends_with(".loops")) {
    bool graph = !options.passes.empty() || options.opt_level >= 0 ||
                 (options.target != "interp" && options.target != "loops" && options.target != "c");
    if ((!options.emit.empty() && options.emit != "loops" && options.emit != "c") || graph) {
      return ReportUserError(
          "a .loops file is loop IR already: it takes --emit loops, not graph options (--emit " +
          (options.emit.empty() ? std::string("opt") : options.emit) + ", -O, --passes, --target)");
    }
  }
  if (std::optional<std::string> problem = CheckRunOptions(options, is_ir))
    return ReportUserError(*problem);
  std::string error;
  std::optional<SourceFile> file = ReadSourceFile(options.file, &error);
  if (!file) return ReportUserError(error);
  InputTensors inputs;
  RunOptions with_files = options;
  if (options.file.ends_with(".tsl")) {
    // `//! inputs:` give the parameters --input does not (paths relative to the source).
    DiagnosticEngine directive_diags;
    RunDirectives directives = ReadDirectives(*file, directive_diags);
    std::filesystem::path folder = std::filesystem::path(options.file).parent_path();
    for (const auto& [name, path] : directives.inputs) {
      bool given = std::any_of(options.inputs.begin(), options.inputs.end(),
                               [&](const std::string& flag) { return flag.rfind(name + "=", 0) == 0; });
      if (!given) with_files.inputs.push_back(name + "=" + (folder / path).string());
    }
  }
  if (!ReadInputs(with_files, &inputs, &error)) return ReportUserError(error);
  DiagnosticEngine diags;
  try {
    // An .ir file meets lab code in the -O passes (lab03), a .tsl file from the lexer on.
    if (is_ir) return RunIrFile(*file, options, inputs);
    if (options.file.ends_with(".loops")) return RunLoopsFile(*file, options, inputs);
    if (options.emit == "tokens") return EmitTokens(*file, diags);
    if (options.emit == "ast") return EmitAst(*file, diags);
    return RunTslFile(*file, options, inputs);
  } catch (const NotImplemented& e) {
    diags.Print(std::cerr);
    return ReportSkeleton(e);
  }
}

int ReportUserError(const std::string& message) {
  std::cerr << "tessel: error: " << message << "\n";
  return 1;
}

int ReportSkeleton(const NotImplemented& e) {
  std::cerr << "tessel: stopped: the " << e.task() << " code you compiled is still a skeleton\n  "
            << e.what() << "\n"
            << "  finish it, or build that lab from solutions/ (-DTESSEL_SOLUTIONS=...)\n";
  return 2;
}

}  // namespace tessel
