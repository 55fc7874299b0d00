// Differential testing: one program, compiled and run under several configurations, each
// compared with the reference configuration (-O0: the IR as lowered, run by the interpreter).
//
// A configuration is a list of passes and a way to run the result. Today that is the -O
// pipelines of stage 3 run by the IR interpreter with the memory plan executed; a later back
// end (the loop-IR interpreter, the C and CUDA code) plugs in as another configuration with its
// own `run`, and the generator, the comparison and the shrinker stay as they are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/opt/pass_manager.h"
#include "stages/runtime/tensor.h"

namespace tessel::fuzz {

/// Runs a compiled module's entry on `args`; nullopt with *error set on a run-time error.
using RunFunction = std::function<std::optional<Tensor>(
    const ir::Module& module, const ir::Function& entry, const std::vector<Tensor>& args,
    std::string* error)>;

struct Configuration {
  std::string name;                   // "-O2"
  std::vector<opt::PassInfo> passes;  // run with --verify-each
  RunFunction run;                    // null: the IR interpreter with the memory plan executed
  /// The output must equal -O0's bit for bit (the sign of a zero, every nan): the graph passes
  /// rewrite only by identities exact in IEEE arithmetic, so anything else is a bug. A back end
  /// that reassociates sums turns this off and is held to numpy.allclose (abs 1e-5, rel 1e-4).
  bool bit_exact = true;
};

/// "-O1", "-O2", ... for the given levels.
std::vector<Configuration> LevelConfigurations(const std::vector<int>& levels);

enum class Verdict {
  kAgree,           // every configuration computed what the reference computed
  kIllFormed,       // the reference does not compile: a bug of the generator (or the front end)
  kReferenceFails,  // the reference stops with a run-time error: the program is skipped
  kPassBroke,       // a pass left IR the verifier rejects (or threw)
  kRunFails,        // a configuration stops with a run-time error the reference does not have
  kMismatch,        // a configuration's output differs from the reference's
};
const char* VerdictName(Verdict verdict);

struct Outcome {
  Verdict verdict = Verdict::kAgree;
  std::string configuration;  // the first one that disagreed
  std::string detail;         // the diagnostics, the error or the comparison
  bool failed() const { return verdict != Verdict::kAgree && verdict != Verdict::kReferenceFails; }
};

/// Compiles `source` (Tessel, with its run directives) once per configuration and compares
/// each run with the -O0 run on seeded inputs (`seed`, as `tessel run --seed`).
/// `starting`, when given, is told each configuration before it is compiled.
Outcome CheckProgram(const std::string& source, const std::vector<Configuration>& configurations,
                     uint64_t seed = 0,
                     const std::function<void(const Configuration&)>& starting = nullptr);

/// CheckProgram in a child process, so that a compiler crash (an internal error, a signal) or a
/// hang (more than kSecondsPerProgram) is a verdict too rather than the end of the campaign:
/// kPassBroke at the configuration that was running, with the child's stderr.
inline constexpr unsigned kSecondsPerProgram = 60;
Outcome CheckProgramIsolated(const std::string& source,
                             const std::vector<Configuration>& configurations, uint64_t seed = 0,
                             unsigned timeout_seconds = kSecondsPerProgram);

}  // namespace tessel::fuzz
