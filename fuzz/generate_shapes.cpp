// The random program generator: shape ops (transpose, reshape, broadcast, concat, slice, pad,
// subscripts) and comprehensions (permutations, reductions, contractions, windows, masks,
// reversals).
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz/generator_internal.h"

namespace tessel::fuzz::detail {

bool Generator::ShapeOp(std::vector<Stmt>& out) {
  Value x = Pick(1, 4);
  const Shape& s = x.type.shape;
  int rank = static_cast<int>(s.size());
  switch (rng_.Below(7)) {
    case 0: {  // transpose
      if (rank < 2) return false;
      std::vector<int64_t> perm(static_cast<size_t>(rank));
      for (int i = 0; i < rank; ++i) perm[static_cast<size_t>(i)] = i;
      for (int i = rank - 1; i > 0; --i) std::swap(perm[static_cast<size_t>(i)], perm[static_cast<size_t>(rng_.Below(i + 1))]);
      Shape result;
      for (int64_t p : perm) result.push_back(s[static_cast<size_t>(p)]);
      bool reverse = rng_.Chance(0.3);
      if (reverse) {
        result.assign(s.rbegin(), s.rend());
        Let(out, "transpose(" + x.name + ")", {"f32", result}, {x});
      } else {
        Let(out, "transpose(" + x.name + ", " + ShapeList(perm) + ")", {"f32", result}, {x});
      }
      return true;
    }
    case 1: {  // reshape into a random factorization of the element count
      int64_t n = x.type.elements();
      Shape result;
      int64_t left = n;
      for (int64_t d : {2, 3, 4, 2}) {
        if (static_cast<int>(result.size()) + 1 >= options_.max_rank) break;
        if (left % d == 0 && rng_.Chance(0.5)) {
          result.push_back(d);
          left /= d;
        }
      }
      result.push_back(left);
      std::reverse(result.begin(), result.end());
      Let(out, "reshape(" + x.name + ", " + ShapeList(result) + ")", {"f32", result}, {x});
      return true;
    }
    case 2: {  // broadcast: a new leading axis, axes of size 1 stretched
      if (rank >= options_.max_rank) return false;
      Shape result = s;
      for (int64_t& d : result) {
        if (d == 1) d = rng_.Pick(kDims);
      }
      result.insert(result.begin(), rng_.Between(2, 3));
      if (!Fits(result)) return false;
      Let(out, "broadcast(" + x.name + ", " + ShapeList(result) + ")", {"f32", result}, {x});
      return true;
    }
    case 3: {  // concat along an axis with a value that differs only there
      int axis = static_cast<int>(rng_.Below(rank));
      Shape other = s;
      other[static_cast<size_t>(axis)] = rng_.Chance(0.5) ? s[static_cast<size_t>(axis)] : rng_.Pick(kDims);
      Shape result = s;
      result[static_cast<size_t>(axis)] += other[static_cast<size_t>(axis)];
      if (!Fits(result)) return false;
      Value y = OfType({"f32", other});
      bool negative = rng_.Chance(0.3);
      Let(out,
          "concat([" + x.name + ", " + y.name + "], axis=" +
              std::to_string(negative ? axis - rank : axis) + ")",
          {"f32", result}, {x, y});
      return true;
    }
    case 4: {  // slice with Python's meaning: negative starts, clamped ends, steps
      int axis = static_cast<int>(rng_.Below(rank));
      int64_t n = s[static_cast<size_t>(axis)];
      int64_t start = rng_.Below(n), step = rng_.Between(1, 3);
      int64_t end = rng_.Chance(0.3) ? 1000 : rng_.Between(start + 1, n);
      int64_t stop = std::min(end, n);
      int64_t length = (stop - start + step - 1) / step;
      std::string start_text = std::to_string(rng_.Chance(0.3) ? start - n : start);
      Shape result = s;
      result[static_cast<size_t>(axis)] = length;
      Let(out,
          "slice(" + x.name + ", axis=" + std::to_string(axis) + ", start=" + start_text +
              ", end=" + std::to_string(end) + (step > 1 ? ", step=" + std::to_string(step) : "") +
              ")",
          {"f32", result}, {x});
      return true;
    }
    case 5: {  // pad, the same on both sides or per side, with a fill value
      Shape result = s;
      std::vector<std::string> low, high;
      for (int64_t& d : result) {
        int64_t lo = rng_.Below(2), hi = rng_.Below(2);
        low.push_back(std::to_string(lo));
        high.push_back(std::to_string(hi));
        d += lo + hi;
      }
      if (!Fits(result)) return false;
      std::string value = rng_.Chance(0.3) ? ", value=-1.5" : "";
      Let(out, "pad(" + x.name + ", low=[" + Join(low) + "], high=[" + Join(high) + "]" + value + ")",
          {"f32", result}, {x});
      return true;
    }
    case 6: {  // a subscript of the leading axis
      Shape result(s.begin() + 1, s.end());
      int64_t index = rng_.Below(s[0]);
      Let(out, x.name + "[" + std::to_string(index) + "]", {"f32", result}, {x});
      return true;
    }
  }
  return false;
}

bool Generator::Comprehend(std::vector<Stmt>& out) {
  Value x = Pick(1, 4);
  const Shape& s = x.type.shape;
  size_t rank = s.size();
  switch (rng_.Below(6)) {
    case 0: {  // pointwise, reading x through a permutation of the indices
      std::vector<size_t> perm(rank);
      for (size_t i = 0; i < rank; ++i) perm[i] = i;
      for (size_t i = rank; i > 1; --i) std::swap(perm[i - 1], perm[static_cast<size_t>(rng_.Below(static_cast<int64_t>(i)))]);
      std::vector<std::string> out_idx, read(rank);
      Shape result;
      for (size_t k = 0; k < rank; ++k) {
        out_idx.push_back(Index("a", k));
        read[perm[k]] = Index("a", k);
        result.push_back(s[perm[k]]);
      }
      static const std::vector<std::string> kBodies = {"X * 2.0", "tanh(X)", "X + 1.0",
                                                       "maximum(X, 0.0)", "X * X"};
      std::string body = Fill(rng_.Pick(kBodies), x.name + "[" + Join(read) + "]");
      Comprehension(out, " = " + body + ";", {"f32", result}, Join(out_idx));
      return true;
    }
    case 1: {  // a reduction over one axis
      if (rank < 2) return false;
      size_t axis = static_cast<size_t>(rng_.Below(static_cast<int64_t>(rank)));
      std::vector<std::string> out_idx, read;
      Shape result;
      for (size_t k = 0; k < rank; ++k) {
        if (k == axis) {
          read.push_back("r0");
        } else {
          out_idx.push_back(Index("a", k));
          read.push_back(Index("a", k));
          result.push_back(s[k]);
        }
      }
      static const std::vector<std::string> kOps = {" += ", " max= ", " min= ", " += "};
      static const std::vector<std::string> kBodies = {"X", "X * X", "abs(X)", "X * 0.5"};
      std::string body = Fill(rng_.Pick(kBodies), x.name + "[" + Join(read) + "]");
      Comprehension(out, rng_.Pick(kOps) + body + ";", {"f32", result}, Join(out_idx));
      return true;
    }
    case 2: {  // a contraction: matmul written out
      if (rank != 2) return false;
      int64_t n = rng_.Pick(kDims);
      if (!Fits({s[0], n})) return false;
      Value w = OfType({"f32", {s[1], n}});
      Comprehension(out, " += " + x.name + "[a0, r0] * " + w.name + "[r0, a1];",
                    {"f32", {s[0], n}}, "a0, a1");
      return true;
    }
    case 3: {  // a sliding window along the last axis
      int64_t n = s.back();
      if (n < 2) return false;
      int64_t window = rng_.Between(2, std::min<int64_t>(3, n));
      std::vector<std::string> out_idx, read;
      Shape result = s;
      result.back() = n - window + 1;
      for (size_t k = 0; k < rank; ++k) {
        out_idx.push_back(Index("a", k));
        read.push_back(k + 1 == rank ? Index("a", k) + " + r0" : Index("a", k));
      }
      Comprehension(out,
                    " += " + x.name + "[" + Join(read) + "] * 0.5 where r0 in 0.." +
                        std::to_string(window) + ";",
                    {"f32", result}, Join(out_idx));
      return true;
    }
    case 4: {  // an index mask: the indices as values
      if (rank != 2) return false;
      Comprehension(out, " = select(a0 >= a1, " + x.name + "[a0, a1], -1.0);", x.type,
                    "a0, a1");
      return true;
    }
    case 5: {  // a reversal of the first axis
      std::vector<std::string> out_idx, read;
      for (size_t k = 0; k < rank; ++k) {
        out_idx.push_back(Index("a", k));
        read.push_back(k == 0 ? std::to_string(s[0] - 1) + " - a0" : Index("a", k));
      }
      Comprehension(out, " = " + x.name + "[" + Join(read) + "];", x.type, Join(out_idx));
      return true;
    }
  }
  return false;
}

}  // namespace tessel::fuzz::detail
