// Option combinations and --input files for `tessel run` (run_inputs.h).
#include "stages/driver/run_inputs.h"

#include <vector>

#include "stages/runtime/npy.h"

namespace tessel {

namespace {

// Options that choose or specialize the entry of a .tsl program.
std::vector<std::string> EntryOptionsGiven(const RunOptions& options) {
  std::vector<std::string> given;
  if (!options.entry.empty()) given.push_back("--entry");
  if (!options.shapes.empty()) given.push_back("--shape");
  if (!options.args.empty()) given.push_back("--arg");
  if (!options.inputs.empty()) given.push_back("--input");
  return given;
}

}  // namespace

std::optional<std::string> CheckRunOptions(const RunOptions& options, bool is_ir) {
  const std::string& emit = options.emit;
  bool prints_ir = emit == "ir" || emit == "opt";
  if (!options.dot.empty() && !prints_ir) {
    return "--dot goes with --emit ir or --emit opt (it draws the IR instead of printing it)";
  }
  if (options.locations && (!prints_ir || !options.dot.empty())) {
    return "--locations goes with --emit ir or opt (it adds each instruction's source location)";
  }
  if (emit == "ir" && (options.opt_level > 0 || !options.passes.empty())) {
    return "--emit ir prints the IR as lowered; to see it optimized, use --emit opt";
  }
  bool c = emit == "c" || options.target == "c";
  bool loops = emit == "loops" || options.target == "loops" || c;
  std::string stage = !emit.empty() && emit != "ir" && emit != "opt" ? "--emit " + emit : "--target " + options.target;
  if (loops && options.opt_level == 0 && !is_ir) {
    return stage + " lowers the kernel form, which -O0 does not make: use -O1 or higher";
  }
  if (loops && (emit == "ir" || emit == "opt")) {
    return "--emit " + emit + " prints the graph IR; --target " + options.target +
           " runs loop IR: give one";
  }
  if ((options.time || options.threads > 0) && (options.target != "c" || !emit.empty())) {
    return std::string(options.time ? "--time" : "--threads") +
           " is for compiled code: use it with --target c (and without --emit)";
  }
  if ((!options.cc.empty() || !options.cflags.empty()) && !c) {
    return "--cc and --cflags compile C: use them with --target c";
  }
  if ((options.cost || options.cost_target != "grading") && !options.file.ends_with(".loops") &&
      options.target != "loops") {
    return "--cost counts what loop IR does: use it with --target loops (or a .loops file)";
  }
  if (options.cost && !emit.empty()) {
    return "--cost counts what a run does; it does not go with --emit " + emit;
  }
  if (!options.schedule.empty() && !loops && !options.file.ends_with(".loops")) {
    return "--schedule transforms loop IR: use it with --target loops or c, or --emit loops or c";
  }
  if (is_ir && (emit == "tokens" || emit == "ast")) {
    return "--emit " + emit + " applies to .tsl sources, not to IR text";
  }
  if (is_ir && !options.shapes.empty()) {
    return "--shape applies to .tsl sources: the types of IR text are concrete";
  }
  if (is_ir && !options.args.empty()) {
    return "--arg applies to .tsl sources: give an IR function's scalars with --input";
  }
  if (!emit.empty() && emit != "c" && !options.output_dir.empty()) {
    return "--output-dir writes what a run computes; it does not go with --emit " + emit +
           " (only --emit c writes there: the exported model)";
  }
  if (emit == "tokens" || emit == "ast") {
    for (const std::string& flag : EntryOptionsGiven(options)) {
      return flag + " needs the type checker: use it with --emit ir or without --emit, not " +
             "with --emit " + emit;
    }
  }
  return std::nullopt;
}

bool ReadInputs(const RunOptions& options, InputTensors* out, std::string* error) {
  for (const std::string& flag : options.inputs) {
    size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size()) {
      *error = "--input '" + flag + "' is not name=file.npy";
      return false;
    }
    std::string name = flag.substr(0, eq);
    if (out->count(name)) {
      *error = "--input " + name + " is given twice";
      return false;
    }
    std::string path = flag.substr(eq + 1);
    std::optional<Tensor> value = ReadNpy(path, error);
    if (!value) {
      *error = "--input " + name + ": " + *error;
      return false;
    }
    out->emplace(name, InputFile{path, std::move(*value)});
  }
  return true;
}

}  // namespace tessel
