// NumPy .npy files: how `tessel run` takes inputs and writes outputs, so that
// results compare directly with NumPy or PyTorch.
//
// Supported: format versions 1.0 to 3.0, C order (fortran_order False), dtypes
// <f4 <f2 <i4 |i1 |b1 (and the same with '=' or '|' byte-order marks where
// they mean little-endian). Anything else is a clear error naming the file.
#pragma once

#include <optional>
#include <string>

#include "stages/runtime/tensor.h"

namespace tessel {

/// Reads `path`; nullopt with *error set ("x.npy: unsupported dtype '<f8'...") on failure.
std::optional<Tensor> ReadNpy(const std::string& path, std::string* error);
/// Writes `tensor` to `path` as a version 1.0 .npy file; false with *error on failure.
bool WriteNpy(const std::string& path, const Tensor& tensor, std::string* error);

/// The same, on bytes in memory (for tests and for files read elsewhere).
std::optional<Tensor> ParseNpy(const std::string& bytes, const std::string& name,
                               std::string* error);
std::string SerializeNpy(const Tensor& tensor);

}  // namespace tessel
