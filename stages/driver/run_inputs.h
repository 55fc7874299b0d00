// What `tessel run` reads before it compiles anything: the option combinations
// that do not go together, and the --input files, each read once.
//
// RunCommand calls both first; the .tsl path then takes the inputs' types to
// bind shape variables and both paths bind the entry's parameters to them, so
// a file is never read twice and every flag error leaves through one place.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "stages/driver/run_command.h"
#include "stages/runtime/tensor.h"

namespace tessel {

/// One --input file: where it came from (for messages) and what it holds.
struct InputFile {
  std::string path;
  Tensor value;
};
/// The --input files: parameter name -> its file.
using InputTensors = std::map<std::string, InputFile>;

/// Says what is wrong with a combination of options for a .tsl (`is_ir` false)
/// or .ir file, e.g. "--dot goes with --emit ir"; nullopt when they go together.
std::optional<std::string> CheckRunOptions(const RunOptions& options, bool is_ir);

/// Reads every `name=path.npy` of options.inputs into `out`. Returns false and
/// sets `error` on a malformed flag, a name given twice or an unreadable file.
bool ReadInputs(const RunOptions& options, InputTensors* out, std::string* error);

}  // namespace tessel
