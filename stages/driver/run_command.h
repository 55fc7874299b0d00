// `tessel run FILE.tsl`: drives a program through the compiler's stages.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tessel {

struct RunOptions {
  std::string file;
  std::string emit;  // tokens | ast; empty: run as far as the built stages go
};

/// Adds the `run` subcommand to `app`; `options` receives its flags.
CLI::App* AddRunCommand(CLI::App& app, RunOptions& options);

/// Runs the front end on options.file and prints what --emit asks for.
/// Returns the process exit code: 0 on success, 1 on a user error.
int RunCommand(const RunOptions& options);

}  // namespace tessel
