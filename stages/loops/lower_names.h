// Fresh names for the lowering (lab04.t1) and the schedule primitives: a function's loop
// variables, lets and buffers must have distinct names (the verifier checks it).
#pragma once

#include <set>
#include <string>

#include "stages/loops/loop_ir.h"

namespace tessel::loops {

class NameGenerator {
 public:
  NameGenerator() = default;
  /// Knows every name `function` already uses (parameters, loop variables, lets, buffers).
  explicit NameGenerator(const Function& function);

  /// `base` if it is free, else base.1, base.2, ...; the name returned is taken.
  std::string Fresh(const std::string& base);
  /// Marks `name` as taken.
  void Take(const std::string& name) { taken_.insert(name); }
  bool IsTaken(const std::string& name) const { return taken_.count(name) > 0; }

 private:
  std::set<std::string> taken_;
};

}  // namespace tessel::loops
