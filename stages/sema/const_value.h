// Compile-time scalars: the values of constants, shape variables, literals and
// specialized scalar parameters while stage 2 checks and specializes a program.
#pragma once

#include <cstdint>
#include <string>

#include "stages/common/dtype.h"

namespace tessel::sema {

/// An integer (kept as int64, typed i32 in programs), a float (kept as double,
/// typed f32 unless it meets another float dtype) or a bool.
struct ConstValue {
  enum class Kind { kInt, kFloat, kBool };
  Kind kind = Kind::kInt;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;

  static ConstValue Int(int64_t v) { return {Kind::kInt, v, 0, false}; }
  static ConstValue Float(double v) { return {Kind::kFloat, 0, v, false}; }
  static ConstValue Bool(bool v) { return {Kind::kBool, 0, 0, v}; }

  bool is_int() const { return kind == Kind::kInt; }
  bool is_float() const { return kind == Kind::kFloat; }
  bool is_bool() const { return kind == Kind::kBool; }
  /// The value as a double (ints convert; bools are 0 or 1).
  double AsDouble() const;
  /// The dtype a program sees: i32, f32 or bool.
  DType dtype() const;
  /// "4", "0.25", "true".
  std::string ToString() const;
  friend bool operator==(const ConstValue&, const ConstValue&) = default;
};

}  // namespace tessel::sema
