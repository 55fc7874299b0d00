// Run directives: the `//!` comment lines at the top of an example that say
// how to run it (docs/language.md §7), and the command-line flags that
// override them (--entry, --shape B=8, --arg residual=true).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/sema/const_value.h"

namespace tessel {

struct RunDirectives {
  std::string entry;
  std::map<std::string, int64_t> shapes;
  std::map<std::string, sema::ConstValue> args;
};

/// Reads the `//! key: value` lines among the comment lines that open `file`.
/// Unknown keys and malformed values are reported to `diags` at their column.
RunDirectives ReadDirectives(const SourceFile& file, DiagnosticEngine& diags);

/// Parses "B=8" (an integer) into `shapes`; false with `error` if malformed.
bool ParseShapeFlag(const std::string& flag, std::map<std::string, int64_t>* shapes,
                    std::string* error);
/// Parses "residual=true", "readout=1" or "eps=0.5" into `args`.
bool ParseArgFlag(const std::string& flag, std::map<std::string, sema::ConstValue>* args,
                  std::string* error);

}  // namespace tessel
