// The pass manager of stage 3: passes by name, the -O pipelines, and what runs around each
// pass (printing before and after, verification, counting).
//
//   tessel run model.tsl -O2 --print-after fuse-ops --stats
//   tessel run model.ir --passes inline,unroll,simplify-cfg --verify-each --emit opt
//
// A pipeline is a list of pass names. Running it verifies the module after every pass when
// asked (always in tests): a pass that leaves IR the verifier rejects is a bug in that pass,
// and the error says so, with the verifier's complaints and the IR it produced.
#pragma once

#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stages/ir/ir.h"
#include "stages/opt/passes.h"

namespace tessel::opt {

using PassFunction = void (*)(ir::Module&, PassContext&);

struct PassInfo {
  std::string_view name;         // "fuse-ops"
  std::string_view task;         // "lab03.t5": where the learner writes it
  std::string_view description;  // one line
  PassFunction run = nullptr;
};

/// Every registered pass, in pipeline order.
const std::vector<PassInfo>& RegisteredPasses();
const PassInfo* FindPass(std::string_view name);

/// The pass names of -O`level` (0..3): 0 is none (the IR as lowered), 1 forms the kernel form
/// (one block, fused kernels, a memory plan), 2 adds constant folding, algebra and GVN, 3 adds
/// layout assignment and a second round of cleanups.
std::vector<std::string> PipelineForLevel(int level);
/// "inline,unroll,simplify-cfg" -> the passes; an unknown name is an error that lists them.
std::optional<std::vector<std::string>> ParsePipeline(std::string_view text, std::string* error);

struct PassManagerOptions {
  std::set<std::string> print_before, print_after;  // pass names, or "all"
  bool verify_each = true;
  std::ostream* print_to = nullptr;  // where --print-before/after go (stderr when null)
};

/// What one pass run did: its counters and the module's op count before and after.
struct PassRecord {
  std::string pass;
  PassStats stats;
  int64_t ops_before = 0, ops_after = 0;
  double milliseconds = 0;
};

/// Runs `pipeline` on `module`. Returns false with *error set when a pass leaves IR the
/// verifier rejects (naming the pass as the bug, with the IR) or a name is unknown; a
/// lab skeleton's NotImplemented propagates. `records` gets one entry per pass run.
bool RunPipeline(ir::Module& module, const std::vector<std::string>& pipeline,
                 PassContext& context, const PassManagerOptions& options,
                 std::vector<PassRecord>* records, std::string* error);
/// RunPipeline on passes given as such (a test's own pass, for one).
bool RunPasses(ir::Module& module, const std::vector<PassInfo>& passes, PassContext& context,
               const PassManagerOptions& options, std::vector<PassRecord>* records,
               std::string* error);

/// The instructions of every function of `module`, terminators included.
int64_t CountOps(const ir::Module& module);

/// The --stats table: one line per pass run with its op counts and counters.
std::string FormatStats(const std::vector<PassRecord>& records);

}  // namespace tessel::opt
