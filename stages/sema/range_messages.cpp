// The text of range inference's traces and errors (given code of lab02's
// task t3; stages/sema/range_inference.h). It is compiled with the lab
// (STAGE_SOURCES), as NeededExtent calls the learner's OtherTermsSpan.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "stages/sema/format_expr.h"
#include "stages/sema/range_inference.h"

namespace tessel::sema::ranges {

namespace {

// The known indices of `form` other than `unknown`: " with r in 0..3, s in 0..3".
std::string WithKnown(const AffineForm& form, const std::string& unknown,
                      const Inference& inference) {
  std::vector<std::string> parts;
  for (const auto& [name, coeff] : form.terms) {
    if (name != unknown) parts.push_back(name + " in " + RangeText(inference.known.at(name)));
  }
  return parts.empty() ? "" : " with " + Join(parts, ", ");
}

// The smallest extent for which `subscript` leaves `unknown` a non-empty
// range, or nullopt if none does (the subscript is negative for every value).
std::optional<int64_t> NeededExtent(const Subscript& subscript, const std::string& unknown,
                                    const Inference& inference) {
  int64_t c = CoefficientOf(*subscript.form, unknown);
  Span rest = OtherTermsSpan(*subscript.form, unknown, inference);
  // The best value of u makes the largest subscript value c * u + max smallest
  // while keeping the smallest one c * u + min non-negative.
  int64_t u = c > 0 ? std::max<int64_t>(0, CeilDiv(-rest.min, c)) : FloorDiv(-rest.min, c);
  if (u < 0) return std::nullopt;
  return c * u + rest.max + 1;
}

}  // namespace

std::string RangeText(Range range) {
  return std::to_string(range.lo) + ".." + std::to_string(range.hi);
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

// The read with the subscripts in `shown` printed and the others as `_`:
// "x[_, _, h + r, _]".
std::string ReadText(const ast::IndexExpr& read, const std::set<size_t>& shown) {
  std::vector<std::string> subscripts;
  for (size_t dim = 0; dim < read.indices.size(); ++dim) {
    subscripts.push_back(shown.count(dim) ? FormatExpr(*read.indices[dim]) : "_");
  }
  return FormatExpr(*read.base) + "[" + Join(subscripts, ", ") + "]";
}

std::string SubscriptText(const Subscript& subscript) {
  return ReadText(*subscript.read, {subscript.dim});
}

// "two", "three", ...: how the no-progress note counts unknown indices.
std::string CountWord(size_t count) {
  static const char* const kWords[] = {"zero", "one", "two",   "three", "four",
                                       "five", "six", "seven", "eight", "nine"};
  return count < 10 ? kWords[count] : std::to_string(count);
}

// One subscript alone leaves `unknown` no value:
//   "index 'h' has an empty range: x[h + r] with r in 0..5 needs dimension 0 to be at
//    least 5, found 3"
RangeError EmptyFromOne(const Subscript& subscript, const std::string& unknown,
                        const Inference& inference) {
  std::string text = SubscriptText(subscript) + WithKnown(*subscript.form, unknown, inference);
  std::optional<int64_t> needed = NeededExtent(subscript, unknown, inference);
  std::string why = needed ? " needs dimension " + std::to_string(subscript.dim) +
                                 " to be at least " + std::to_string(*needed) + ", found " +
                                 std::to_string(subscript.extent)
                           : " is negative for every value of '" + unknown + "'";
  return {"index '" + unknown + "' has an empty range: " + text + why, subscript.read->range,
          inference.trace};
}

// Two subscripts leave `unknown` disjoint ranges:
//   "index 'i' has an empty range: x[i - 3] needs i >= 3 but z[i] needs i < 2"
RangeError EmptyFromTwo(const Subscript& lo_from, const Subscript& hi_from,
                        const std::string& unknown, Range range, const Inference& inference) {
  std::string message = "index '" + unknown + "' has an empty range: " + SubscriptText(lo_from) +
                        " needs " + unknown + " >= " + std::to_string(range.lo) + " but " +
                        SubscriptText(hi_from) + " needs " + unknown + " < " +
                        std::to_string(range.hi);
  return {message, hi_from.read->range, inference.trace};
}

// The error for an output index whose range does not start at 0.
RangeError OutputStartError(const std::string& index, int64_t lo, SourceRange range) {
  return {"output index '" + index + "' would start at " + std::to_string(lo) +
              "; output indices start at 0",
          range,
          {}};
}

// The trace line of round `round`: each index with the read that gave its
// upper bound, grouped by read in source order, dimensions in order:
//   "round 2: h in 0..8 from x[_, _, h + r, _]; v in 0..8 from x[_, _, _, v + s]"
// (two subscripts of one read share one group: "n in 0..2, c in 0..3 from x[n, c, _, _]").
std::string TraceLine(int round, const RoundFindings& findings) {
  std::vector<std::pair<const Subscript*, std::string>> entries;
  for (const auto& [name, bounded] : findings) entries.emplace_back(bounded.hi_from, name);
  std::sort(entries.begin(), entries.end());  // subscripts are stored in source order
  std::vector<std::string> groups;
  for (size_t begin = 0; begin < entries.size();) {
    const ast::IndexExpr* read = entries[begin].first->read;
    std::vector<std::string> indices;
    std::set<size_t> shown;
    size_t end = begin;
    for (; end < entries.size() && entries[end].first->read == read; ++end) {
      indices.push_back(entries[end].second + " in " +
                        RangeText(findings.at(entries[end].second).range));
      shown.insert(entries[end].first->dim);
    }
    groups.push_back(Join(indices, ", ") + " from " + ReadText(*read, shown));
    begin = end;
  }
  return "round " + std::to_string(round) + ": " + Join(groups, "; ");
}

}  // namespace tessel::sema::ranges
