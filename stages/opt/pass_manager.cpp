// The pass table, the -O pipelines and the loop that runs them (pass_manager.h).
//
// Compiled with lab03 (a STAGE_SOURCE): the table points at the learner's pass functions.
#include "stages/opt/pass_manager.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"

namespace tessel::opt {

const std::vector<PassInfo>& RegisteredPasses() {
  static const std::vector<PassInfo> passes = {
      {"inline", "lab03.t1", "replace every call by a copy of its callee", InlineCalls},
      {"unroll", "lab03.t1", "fully unroll loops with compile-time trip counts", UnrollLoops},
      {"simplify-cfg", "lab03.t1", "fold constant branches, merge blocks, drop trivial phis",
       SimplifyCfg},
      {"fold-constants", "lab03.t2", "evaluate ops whose operands are all constants",
       FoldConstants},
      {"simplify-algebra", "lab03.t2", "rewrite by identities exact in IEEE arithmetic",
       SimplifyAlgebra},
      {"dce", "lab03.t3", "remove values nothing live uses (dead phi cycles too)",
       EliminateDeadCode},
      {"gvn", "lab03.t3", "global value numbering: reuse a dominating equal value", NumberValues},
      {"assign-layouts", "lab03.t4", "compute convolutions in the target's layout (NHWC)",
       AssignLayouts},
      {"fuse-ops", "lab03.t5", "group ops into fused kernels (TVM's FuseOps) and outline them",
       FuseOps},
      {"plan-memory", "lab03.t6", "place intermediate tensors in one arena (best fit, in place)",
       PlanMemory},
  };
  return passes;
}

const PassInfo* FindPass(std::string_view name) {
  for (const PassInfo& pass : RegisteredPasses()) {
    if (pass.name == name) return &pass;
  }
  return nullptr;
}

std::vector<std::string> PipelineForLevel(int level) {
  // Each level's passes; the kernel form (fuse-ops, plan-memory) from -O1 on.
  static const std::vector<std::string> kLevels[] = {
      {},
      {"inline", "unroll", "simplify-cfg", "dce", "fuse-ops", "plan-memory"},
      {"inline", "unroll", "fold-constants", "simplify-cfg", "simplify-algebra", "gvn", "dce",
       "fuse-ops", "plan-memory"},
      {"inline", "unroll", "fold-constants", "simplify-cfg", "simplify-algebra", "gvn", "dce",
       "assign-layouts", "fold-constants", "simplify-algebra", "gvn", "dce", "fuse-ops",
       "plan-memory"},
  };
  return kLevels[std::clamp(level, 0, 3)];
}

namespace {

std::string PassNames() {
  std::string names;
  for (const PassInfo& pass : RegisteredPasses()) {
    names += (names.empty() ? "" : ", ") + std::string(pass.name);
  }
  return names;
}

bool Wants(const std::set<std::string>& names, const std::string& pass) {
  return names.count("all") || names.count(pass);
}

void Dump(std::ostream& out, const char* when, const std::string& pass, const ir::Module& m) {
  out << "// -----// IR Dump " << when << " " << pass << " //----- //\n" << ir::PrintModule(m);
}

}  // namespace

std::optional<std::vector<std::string>> ParsePipeline(std::string_view text, std::string* error) {
  std::vector<std::string> pipeline;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string name(text.substr(start, comma - start));
    if (name.empty()) {
      *error = "--passes: an empty pass name in '" + std::string(text) + "'";
      return std::nullopt;
    }
    if (FindPass(name) == nullptr) {
      *error = "--passes: unknown pass '" + name + "' (the passes: " + PassNames() + ")";
      return std::nullopt;
    }
    pipeline.push_back(name);
    start = comma + 1;
  }
  return pipeline;
}

int64_t CountOps(const ir::Module& module) {
  int64_t count = 0;
  for (const auto& function : module.functions()) {
    for (const auto& block : function->blocks()) count += block->instrs().size();
  }
  return count;
}

bool RunPipeline(ir::Module& module, const std::vector<std::string>& pipeline,
                 PassContext& context, const PassManagerOptions& options,
                 std::vector<PassRecord>* records, std::string* error) {
  std::vector<PassInfo> passes;
  for (const std::string& name : pipeline) {
    const PassInfo* pass = FindPass(name);
    if (pass == nullptr) {
      *error = "unknown pass '" + name + "' (the passes: " + PassNames() + ")";
      return false;
    }
    passes.push_back(*pass);
  }
  return RunPasses(module, passes, context, options, records, error);
}

bool RunPasses(ir::Module& module, const std::vector<PassInfo>& passes, PassContext& context,
               const PassManagerOptions& options, std::vector<PassRecord>* records,
               std::string* error) {
  std::ostream& out = options.print_to != nullptr ? *options.print_to : std::cerr;
  for (const PassInfo& pass : passes) {
    std::string name(pass.name);
    if (Wants(options.print_before, name)) Dump(out, "Before", name, module);
    PassRecord record;
    record.pass = name;
    record.ops_before = CountOps(module);
    context.stats = PassStats();
    auto start = std::chrono::steady_clock::now();
    pass.run(module, context);
    record.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count();
    record.ops_after = CountOps(module);
    record.stats = context.stats;
    if (records != nullptr) records->push_back(record);
    if (Wants(options.print_after, name)) Dump(out, "After", name, module);
    if (!options.verify_each) continue;
    std::vector<std::string> problems;
    if (!ir::VerifyModule(module, &problems)) {
      *error = "bug in pass '" + name + "' (" + std::string(pass.task) +
               "): it left IR the verifier rejects:";
      for (const std::string& problem : problems) *error += "\n  " + problem;
      *error += "\nthe IR after " + name + ":\n" + ir::PrintModule(module);
      return false;
    }
  }
  return true;
}

std::string FormatStats(const std::vector<PassRecord>& records) {
  std::ostringstream out;
  char line[160];
  std::snprintf(line, sizeof line, "%-18s %8s %8s %9s  %s\n", "pass", "ops in", "ops out", "ms",
                "counters");
  out << line;
  for (const PassRecord& record : records) {
    std::snprintf(line, sizeof line, "%-18s %8lld %8lld %9.3f  ", record.pass.c_str(),
                  static_cast<long long>(record.ops_before),
                  static_cast<long long>(record.ops_after), record.milliseconds);
    out << line;
    bool first = true;
    for (const auto& [counter, value] : record.stats.counters()) {
      out << (first ? "" : ", ") << counter << ": " << value;
      first = false;
    }
    out << (first ? "-" : "") << "\n";
  }
  return out.str();
}

}  // namespace tessel::opt
