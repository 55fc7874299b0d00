// The `tessel` command line (command_line.cpp): parses argv with CLI11 and
// runs the command it names.
#pragma once

namespace tessel {

/// Parses the command line and runs `run`, `tpu ...` or a course command; returns the exit
/// status (CLI11's for a malformed command line).
int RunCommandLine(int argc, char** argv);

}  // namespace tessel
