#include "stages/sema/builtins.h"

namespace tessel::sema {

namespace {

using ir::Op;

std::vector<Builtin> MakeBuiltins() {
  const ParamList x{{"x"}, 1};
  const ParamList ab{{"a", "b"}, 2};
  const ParamList reduce{{"x", "axis", "keepdims"}, 1};
  return {
      {"exp", BuiltinKind::kUnary, Op::kExp, x},
      {"log", BuiltinKind::kUnary, Op::kLog, x},
      {"tanh", BuiltinKind::kUnary, Op::kTanh, x},
      {"sqrt", BuiltinKind::kUnary, Op::kSqrt, x},
      {"rsqrt", BuiltinKind::kUnary, Op::kRsqrt, x},
      {"relu", BuiltinKind::kUnary, Op::kRelu, x},
      {"sigmoid", BuiltinKind::kUnary, Op::kSigmoid, x},
      {"abs", BuiltinKind::kUnary, Op::kAbs, x},
      {"erf", BuiltinKind::kUnary, Op::kErf, x},
      {"sin", BuiltinKind::kUnary, Op::kSin, x},
      {"cos", BuiltinKind::kUnary, Op::kCos, x},
      {"floor", BuiltinKind::kUnary, Op::kFloor, x},
      {"ceil", BuiltinKind::kUnary, Op::kCeil, x},
      {"round", BuiltinKind::kUnary, Op::kRound, x},
      {"sign", BuiltinKind::kUnary, Op::kSign, x},
      {"maximum", BuiltinKind::kBinary, Op::kMaximum, ab},
      {"minimum", BuiltinKind::kBinary, Op::kMinimum, ab},
      {"pow", BuiltinKind::kBinary, Op::kPow, ab},
      {"floor_div", BuiltinKind::kBinary, Op::kFloorDiv, ab},
      {"floor_mod", BuiltinKind::kBinary, Op::kFloorMod, ab},
      {"select", BuiltinKind::kSelect, Op::kSelect, {{"cond", "a", "b"}, 3}},
      {"sum", BuiltinKind::kReduce, Op::kReduceSum, reduce},
      {"prod", BuiltinKind::kReduce, Op::kReduceProd, reduce},
      {"max", BuiltinKind::kReduce, Op::kReduceMax, reduce},
      {"min", BuiltinKind::kReduce, Op::kReduceMin, reduce},
      {"mean", BuiltinKind::kReduce, Op::kReduceMean, reduce},
      {"argmax", BuiltinKind::kReduce, Op::kArgMax, reduce},
      {"argmin", BuiltinKind::kReduce, Op::kArgMin, reduce},
      {"reshape", BuiltinKind::kReshape, Op::kReshape, {{"x", "shape"}, 2}},
      {"transpose", BuiltinKind::kTranspose, Op::kTranspose, {{"x", "perm"}, 1}},
      {"broadcast", BuiltinKind::kBroadcast, Op::kBroadcast, {{"x", "shape"}, 2}},
      {"concat", BuiltinKind::kConcat, Op::kConcat, {{"tensors", "axis"}, 1}},
      {"slice", BuiltinKind::kSlice, Op::kSlice, {{"x", "axis", "start", "end", "step"}, 2}},
      {"pad", BuiltinKind::kPad, Op::kPad, {{"x", "widths", "low", "high", "value"}, 1}},
      {"update_slice", BuiltinKind::kUpdateSlice, Op::kUpdateSlice, {{"x", "update", "start"}, 3}},
      {"cast", BuiltinKind::kCast, Op::kCast, x},
  };
}

}  // namespace

const std::vector<Builtin>& AllBuiltins() {
  static const std::vector<Builtin> builtins = MakeBuiltins();
  return builtins;
}

const Builtin* FindBuiltin(std::string_view name) {
  for (const Builtin& builtin : AllBuiltins()) {
    if (builtin.name == name) return &builtin;
  }
  return nullptr;
}

}  // namespace tessel::sema
