// A random Tessel program as the fuzzer holds it: functions of statements, each statement with
// the simpler forms the shrinker may try, printed to Tessel source (docs/language.md) on demand.
//
// The model is deliberately shallow -- a statement is mostly its text -- because the compiler
// itself is the judge of well-formedness: the shrinker proposes edits (drop a statement, take a
// simpler form, unwrap a loop) and keeps those after which the program still compiles and
// still fails. Only what an edit needs is structured: nesting (for, if), what a statement
// defines, and the terms of the entry's result.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tessel::fuzz {

/// A tensor type as Tessel writes it: "f32[2, 3]", or "f32" for a scalar.
struct TensorType {
  std::string dtype = "f32";
  std::vector<int64_t> shape;

  int64_t elements() const;
  std::string str() const;
  bool operator==(const TensorType&) const = default;
};

struct Stmt {
  enum class Kind { kLine, kFor, kIf };
  Kind kind = Kind::kLine;
  std::string text;                  // kLine: the statement, e.g. "let v3 = tanh(v1);"
  std::string defines;               // the name it defines, if any ("v3")
  TensorType type;                   // and its type
  std::vector<std::string> simpler;  // kLine: equivalent-typed alternatives, simplest first
  std::string header;                // kFor: "for l0 in 0..3"; kIf: "if flag0"
  int64_t trip = 0;                  // kFor: the trip count in the header
  std::string loop_var;              // kFor: "l0"
  std::vector<Stmt> body, orelse;    // kFor: body; kIf: then (body) and else (orelse)
};

struct Param {
  std::string name;
  TensorType type;
};

struct Function {
  std::string name;
  std::vector<Param> params;
  std::vector<Stmt> body;
  std::string result;  // a helper: the returned name; the entry: see Program::terms
  TensorType result_type;
};

/// The entry returns its terms flattened and joined into one f32 vector, so that the values the
/// program computes on purpose (its last sinks) are compared, not only the last one.
struct Program {
  std::map<std::string, int64_t> shape_vars;  // "//! shapes: S4=4": dims written as variables
  std::map<std::string, std::string> args;    // "//! args: flag0=true": compile-time scalars
  std::vector<Function> helpers;
  Function entry;
  std::vector<std::pair<std::string, TensorType>> terms;

  /// The program as Tessel source, directives first.
  std::string Source() const;
  /// Statements at every depth, for statistics and for the shrinker's counts.
  int64_t StatementCount() const;
};

}  // namespace tessel::fuzz
