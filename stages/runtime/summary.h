// One-glance summaries of tensors, for `tessel run`'s output.
#pragma once

#include <string>

#include "stages/runtime/tensor.h"

namespace tessel {

/// "f32[4, 10]  min -1.25  max 3.5  mean 0.0412\n  values: 0.1 0.2 ... (40 in all)",
/// the values being the first `count` elements in row-major order, in the shortest
/// form that reads back exactly.
std::string SummarizeTensor(const Tensor& tensor, int count = 8);

/// The shortest decimal that reads back as `value` in `dtype` ("0.1", "3.0", "-inf", "nan";
/// an f32 or f16 prints as a float, so 0.1f is "0.1", not "0.10000000149011612").
std::string FormatValue(double value, DType dtype = DType::kF32);

}  // namespace tessel
