// Element type names and sizes.
#include "stages/common/dtype.h"

namespace tessel {

std::string_view DTypeName(DType dtype) {
  switch (dtype) {
    case DType::kF32: return "f32";
    case DType::kF16: return "f16";
    case DType::kI32: return "i32";
    case DType::kI8: return "i8";
    case DType::kBool: return "bool";
  }
  return "?";
}

std::optional<DType> ParseDType(std::string_view name) {
  for (DType d : {DType::kF32, DType::kF16, DType::kI32, DType::kI8, DType::kBool}) {
    if (DTypeName(d) == name) return d;
  }
  return std::nullopt;
}

size_t DTypeSize(DType dtype) {
  switch (dtype) {
    case DType::kF32: return 4;
    case DType::kF16: return 2;
    case DType::kI32: return 4;
    case DType::kI8: return 1;
    case DType::kBool: return 1;
  }
  return 1;
}

bool IsFloat(DType dtype) { return dtype == DType::kF32 || dtype == DType::kF16; }

}  // namespace tessel
