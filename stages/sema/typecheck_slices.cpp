// The type checker's region primitives (typecheck_builtin_call.h): slice with Python's bounds,
// pad with its widths and fill, update_slice with its run-time starts.
#include <algorithm>

#include "stages/ir/type_rules.h"
#include "stages/sema/typecheck_builtin_call.h"

namespace tessel::sema::detail {

// slice(x, axis, start=0, end=size, step=1) along one axis, with Python's meaning: a negative
// start or end counts from the end, and both are clamped to [0, size] (an empty slice is fine).
ExprInfo BuiltinCall::Slice() {
  ExprInfo x = CheckArg(0);
  int64_t axis = checker_.CheckConstInt(*Arg(1), "'axis' of slice");
  if (axis < 0) axis += x.type.rank();
  if (axis < 0 || axis >= x.type.rank()) {
    checker_.Fail(Arg(1)->range, "slice of " + ir::FormatType(x.type) + ": axis " +
                                     std::to_string(axis) + " is out of range");
  }
  const int64_t size = x.type.shape[axis];
  auto bound = [&](size_t param, int64_t fallback, const char* what) {
    if (!Arg(param)) return fallback;
    int64_t value = checker_.CheckConstInt(*Arg(param), std::string("'") + what + "' of slice");
    if (value < 0) value += size;
    return std::clamp<int64_t>(value, 0, size);
  };
  int64_t start = bound(2, 0, "start");
  int64_t end = std::max(start, bound(3, size, "end"));
  int64_t step = Arg(4) ? checker_.CheckConstInt(*Arg(4), "'step' of slice") : 1;
  if (step < 1) {
    checker_.Fail(
        Arg(4)->range,
        "the step of slice must be positive, found " + std::to_string(step) +
            " (as in PyTorch; reverse an axis with a comprehension, y[i] = x[N - 1 - i])");
  }
  info_.attrs.begin.assign(x.type.shape.size(), 0);
  info_.attrs.end = x.type.shape;
  info_.attrs.step.assign(x.type.shape.size(), 1);
  info_.attrs.begin[axis] = start;
  info_.attrs.end[axis] = end;
  info_.attrs.step[axis] = step;
  return Infer({x.type});
}

// The widths of pad's parameter `param` (widths, low or high): one non-negative integer per axis.
std::vector<int64_t> BuiltinCall::PadWidths(size_t param, int64_t rank) {
  static const char* const kNames[] = {"", "widths", "low", "high"};
  std::vector<int64_t> widths = ConstIntList(*Arg(param), "a width of pad");
  if (static_cast<int64_t>(widths.size()) != rank) {
    checker_.Fail(Arg(param)->range, std::string("'") + kNames[param] + "' of pad needs " +
                                         std::to_string(rank) + " widths, one per axis, found " +
                                         std::to_string(widths.size()));
  }
  for (int64_t width : widths) {
    if (width < 0) {
      checker_.Fail(Arg(param)->range, std::string("'") + kNames[param] +
                                           "' of pad has a negative width (" +
                                           std::to_string(width) + "); slice to crop");
    }
  }
  return widths;
}

// pad(x, [w0, w1, ...], value=0): the same width before and after each axis; or
// pad(x, low=[...], high=[...], value=v): its own width on each side (the other side 0 when
// only one is given). `value` is a compile-time scalar, -inf included.
ExprInfo BuiltinCall::Pad() {
  ExprInfo x = CheckArg(0);
  int64_t rank = x.type.rank();
  if (Arg(1) && (Arg(2) || Arg(3))) {
    checker_.Fail(Arg(1)->range, "pad takes either widths or low= and high=, not both");
  }
  if (!Arg(1) && !Arg(2) && !Arg(3)) {
    checker_.Fail(call_.range,
                  "pad needs widths: pad(x, [1, 1]) or pad(x, low=[0, 1], high=[1, 0])");
  }
  std::vector<int64_t> zeros(static_cast<size_t>(rank), 0);
  info_.attrs.low = Arg(1) ? PadWidths(1, rank) : Arg(2) ? PadWidths(2, rank) : zeros;
  info_.attrs.high = Arg(1) ? info_.attrs.low : Arg(3) ? PadWidths(3, rank) : zeros;
  if (Arg(4)) {
    const ExprInfo& value = CheckArg(4);
    if (!value.value || value.type.rank() != 0 || value.value->is_bool()) {
      checker_.Fail(Arg(4)->range, "'value' of pad must be a number known at compile time");
    }
    double fill = value.value->AsDouble();
    std::string why;
    if (!ir::PadValueFits(x.type.dtype, fill, &why)) {
      checker_.Fail(Arg(4)->range, "'value' of pad of " + ir::FormatType(x.type) + ": " + why);
    }
    info_.attrs.pad_value = fill;
  }
  return Infer({x.type});
}

// update_slice(x, u, [i0, i1, ...]): u (x's dtype and rank) written into x at the starts, one
// i32 scalar per axis, which may be computed at run time (a loop variable).
ExprInfo BuiltinCall::UpdateSlice() {
  ExprInfo x = CheckArg(0);
  ExprInfo u = Adapt(CheckArg(1), x.type.dtype);
  if (u.type.rank() != x.type.rank()) {
    checker_.Fail(Arg(1)->range, "update_slice of " + ir::FormatType(x.type) +
                                     " needs an update of rank " + std::to_string(x.type.rank()) +
                                     ", found " + ir::FormatType(u.type) +
                                     " (reshape it, e.g. reshape(h, [1, B, H]) to write one step)");
  }
  std::vector<ir::Type> operands = {x.type, u.type};
  const ast::Expr& starts = *Arg(2);
  std::vector<const ast::Expr*> elements;
  if (starts.kind == ast::ExprKind::kList) {
    for (const ast::ExprPtr& element : starts.As<ast::ListExpr>().elements) {
      elements.push_back(element.get());
    }
  } else {
    elements.push_back(&starts);
  }
  if (static_cast<int64_t>(elements.size()) != x.type.rank()) {
    checker_.Fail(starts.range, "update_slice of " + ir::FormatType(x.type) + " needs " +
                                    std::to_string(x.type.rank()) +
                                    " start indices, one per axis, found " +
                                    std::to_string(elements.size()));
  }
  for (const ast::Expr* element : elements) {
    const ExprInfo& start = checker_.Check(*element);
    if (start.type != Scalar(DType::kI32)) {
      checker_.Fail(element->range, "a start index of update_slice must be an i32 scalar, found " +
                                        ir::FormatType(start.type));
    }
    operands.push_back(start.type);
  }
  ExprInfo result = Infer(operands);
  result.operand_dtype = x.type.dtype;
  return result;
}

}  // namespace tessel::sema::detail
