// Element types, shared by the AST, the IR and the tensor runtime.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tessel {

/// The element types of Tessel. A scalar is a rank-0 tensor of one of these.
enum class DType { kF32, kF16, kI32, kI8, kBool };

/// "f32", "f16", "i32", "i8", "bool".
std::string_view DTypeName(DType dtype);
/// The dtype spelled `name`, if any.
std::optional<DType> ParseDType(std::string_view name);
/// Bytes per element in memory (bool: 1).
size_t DTypeSize(DType dtype);
/// True for f32 and f16.
bool IsFloat(DType dtype);

}  // namespace tessel
