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
#include "stages/frontend/ast.h"
#include "stages/sema/const_value.h"

namespace tessel {

struct RunDirectives {
  std::string entry;
  std::map<std::string, int64_t> shapes;
  std::map<std::string, sema::ConstValue> args;
  /// `//! inputs: x=data/x.npy`: a parameter's value from a .npy file, the path relative to
  /// the source file's folder (a trained model's weights and its test data).
  std::map<std::string, std::string> inputs;
  /// Where each name of `shapes` and `args` was given, for errors about it.
  std::map<std::string, SourceLoc> shape_locs, arg_locs;
};

/// Reads the `//! key: value` lines among the comment lines that open `file`.
/// Unknown keys, malformed values, a second `entry:` and a name given twice are
/// reported to `diags` at their column.
RunDirectives ReadDirectives(const SourceFile& file, DiagnosticEngine& diags);

/// When the directives are used for the function they were written for (no
/// --entry, or --entry naming their `entry:`), every name they give must be a
/// shape variable or scalar parameter of `entry`; reports each one that is not,
/// at its column. (With --entry naming another function they are defaults
/// that apply where the names fit.)
void CheckDirectiveNames(const SourceFile& file, const RunDirectives& directives,
                         const ast::FnItem& entry, DiagnosticEngine& diags);

/// Parses "B=8" (an integer) into `shapes`; false with `error` if malformed or if
/// `shapes` already has B.
bool ParseShapeFlag(const std::string& flag, std::map<std::string, int64_t>* shapes,
                    std::string* error);
/// Parses "residual=true", "readout=1" or "eps=0.5" into `args`; false with
/// `error` if malformed or given twice.
bool ParseArgFlag(const std::string& flag, std::map<std::string, sema::ConstValue>* args,
                  std::string* error);

}  // namespace tessel
