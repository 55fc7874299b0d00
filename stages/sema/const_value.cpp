#include "stages/sema/const_value.h"

#include <cstdio>

namespace tessel::sema {

double ConstValue::AsDouble() const {
  switch (kind) {
    case Kind::kInt:
      return static_cast<double>(int_value);
    case Kind::kFloat:
      return float_value;
    case Kind::kBool:
      return bool_value ? 1.0 : 0.0;
  }
  return 0;
}

DType ConstValue::dtype() const {
  switch (kind) {
    case Kind::kInt:
      return DType::kI32;
    case Kind::kFloat:
      return DType::kF32;
    case Kind::kBool:
      return DType::kBool;
  }
  return DType::kI32;
}

std::string ConstValue::ToString() const {
  switch (kind) {
    case Kind::kInt:
      return std::to_string(int_value);
    case Kind::kBool:
      return bool_value ? "true" : "false";
    case Kind::kFloat: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.9g", float_value);
      std::string text = buffer;
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      return text;
    }
  }
  return "";
}

}  // namespace tessel::sema
