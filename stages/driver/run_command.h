// `tessel run FILE`: drives a program through the compiler's stages.
//
// A .tsl file goes through the front end (stage 1; the IR stages join as the
// labs land); a .ir file is IR text (docs/ir.md), verified and run by the
// reference interpreter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

struct RunOptions {
  std::string file;
  std::string emit;                 // tokens | ast | ir | opt | loops | c; empty: run
  std::string target = "interp";    // interp (the SSA interpreter) | loops (the loop-IR one) | c
  std::string schedule;             // loop IR: a schedule file; "none"; empty: the default one
  bool cost = false;                // loop IR: print the cost model's counts per kernel
  std::string cost_target = "grading";  // the cost model's caches: grading | host
  // Stage 6, C (stages/driver/run_c.h).
  int threads = 0;                  // OpenMP threads of compiled code; 0: $OMP_NUM_THREADS or all
  bool time = false;                // time the compiled code (median of repeated runs)
  std::string cc, cflags;           // the C compiler and its flags (else $TESSEL_CC, $TESSEL_CFLAGS)
  std::string entry;                // the function to run
  std::vector<std::string> inputs;  // "name=path.npy", one per parameter given
  std::vector<std::string> shapes;  // "B=8": a shape variable of the entry (.tsl)
  std::vector<std::string> args;    // "residual=true": a scalar parameter of the entry (.tsl)
  std::string output_dir;           // where to write the inputs and the output as .npy
  uint64_t seed = 0;                // for the parameters not given
  bool no_seed = false;             // a parameter without --input is an error
  std::string dot;                  // --dot[=all|cfg|dataflow|kernels]: Graphviz DOT, not text
  bool locations = false;           // with --emit ir: each instruction's loc("file":line:col)
  // Stage 3 (stages/driver/optimize.h).
  int opt_level = -1;                     // -O0..-O3; -1: not given (0, or 2 for --emit opt)
  std::string passes;                     // --passes a,b,c: instead of the -O pipeline
  std::vector<std::string> print_before;  // pass names or "all"
  std::vector<std::string> print_after;
  bool verify_each = false;               // verify after every pass
  bool stats = false;                     // print what each pass did
};

/// Runs options.file and prints what --emit asks for. Returns the process
/// exit code: 0 on success, 1 on a user error, 2 when a stage is still a lab skeleton.
int RunCommand(const RunOptions& options);

/// Prints "tessel: error: MESSAGE" to stderr and returns exit code 1: the one way
/// the driver reports a user error that has no source location (source errors go
/// through the DiagnosticEngine, clang-style).
int ReportUserError(const std::string& message);

class NotImplemented;
/// Says that the lab code compiled into `tessel` is still a skeleton (which task, what
/// to do, how to build from solutions/); returns exit code 2.
int ReportSkeleton(const NotImplemented& e);

}  // namespace tessel
