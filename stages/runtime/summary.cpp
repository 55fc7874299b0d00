// Tensor summaries: type, range, mean and the first values.
#include "stages/runtime/summary.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tessel {

std::string FormatValue(double value, DType dtype) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (!IsFloat(dtype)) return std::to_string(static_cast<int64_t>(value));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<float>(value));
  std::string text(buf, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string SummarizeTensor(const Tensor& tensor, int count) {
  std::string out = tensor.TypeString();
  int64_t n = tensor.size();
  DType dtype = tensor.dtype();
  if (n > 0) {
    double lo = tensor.Get(0), hi = lo, sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      double v = tensor.Get(i);
      lo = std::min(lo, v), hi = std::max(hi, v), sum += v;
    }
    out += "  min " + FormatValue(lo, dtype) + "  max " + FormatValue(hi, dtype) +
           "  mean " + FormatValue(sum / static_cast<double>(n), DType::kF32);
  }
  out += "\n  values:";
  for (int64_t i = 0; i < std::min<int64_t>(n, count); ++i) out += " " + FormatValue(tensor.Get(i), dtype);
  if (n > count) out += " ... (" + std::to_string(n) + " in all)";
  return out;
}

}  // namespace tessel
