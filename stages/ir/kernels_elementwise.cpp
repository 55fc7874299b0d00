// The interpreter's scalar semantics and its elementwise kernels (stage 2).
//
// ApplyScalar is the one definition of what every elementwise op computes on
// one element; the tensor kernels below and comprehension bodies
// (comprehension_eval.cpp) both call it. Floats compute in double and are
// rounded when stored (Tensor::Set); integer arithmetic is done on 64-bit
// unsigned bits and wrapped to the dtype, exactly as C's fixed-width types do.
#include <cmath>
#include <cstdint>
#include <limits>

#include "stages/ir/kernels.h"

namespace tessel::ir {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// An integer operand as two's complement bits. Integer operands always hold
// integral values in range; the guard only keeps a bad value from being UB.
uint64_t Bits(double value) {
  if (!(value > -9.2e18 && value < 9.2e18)) return 0;
  return static_cast<uint64_t>(static_cast<int64_t>(value));
}

int64_t Int(double value) { return static_cast<int64_t>(Bits(value)); }

// The low bits of `bits` read as a value of `dtype` (C++20 defines the wrap).
double WrapTo(DType dtype, uint64_t bits) {
  switch (dtype) {
    case DType::kI32: return static_cast<int32_t>(static_cast<uint32_t>(bits));
    case DType::kI8: return static_cast<int8_t>(static_cast<uint8_t>(bits));
    case DType::kBool: return bits != 0 ? 1 : 0;
    case DType::kF32:
    case DType::kF16: return static_cast<double>(static_cast<int64_t>(bits));
  }
  return 0;
}

bool DivideByZero(std::string* error) {
  *error = "integer division by zero";
  return false;
}

bool Divide(DType dtype, double a, double b, double* result, std::string* error) {
  if (IsFloat(dtype)) {
    *result = a / b;
    return true;
  }
  if (Int(b) == 0) return DivideByZero(error);
  *result = WrapTo(dtype, static_cast<uint64_t>(Int(a) / Int(b)));  // truncates toward zero
  return true;
}

bool Modulo(DType dtype, double a, double b, double* result, std::string* error) {
  if (IsFloat(dtype)) {
    *result = std::fmod(a, b);
    return true;
  }
  if (Int(b) == 0) return DivideByZero(error);
  *result = WrapTo(dtype, static_cast<uint64_t>(Int(a) % Int(b)));  // sign of the dividend
  return true;
}

// Python's float // and %, exactly (CPython's float_divmod): the remainder from fmod, moved to
// the divisor's sign; the quotient from the exact a - mod, so that -1 // inf is -1 (not the
// -0 of floor(-1 / inf)) and a zero remainder takes the divisor's sign.
void FloatDivMod(double a, double b, double* div, double* mod) {
  if (b == 0) {  // as NumPy: the quotient is a / 0 (inf, or nan for 0 / 0), the remainder nan
    *div = a / b;
    *mod = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  *mod = std::fmod(a, b);
  *div = (a - *mod) / b;
  if (*mod != 0) {
    if ((b < 0) != (*mod < 0)) {
      *mod += b;
      *div -= 1.0;
    }
  } else {
    *mod = std::copysign(0.0, b);
  }
  if (*div != 0) {
    double floored = std::floor(*div);
    *div = *div - floored > 0.5 ? floored + 1.0 : floored;
  } else {
    *div = std::copysign(0.0, a / b);
  }
}

// Division rounding toward -infinity (Python's //): floats as Python computes them; integers
// correct the truncated quotient when the signs differ and there is a remainder.
bool FloorDivide(DType dtype, double a, double b, double* result, std::string* error) {
  if (IsFloat(dtype)) {
    double mod = 0;
    FloatDivMod(a, b, result, &mod);
    return true;
  }
  if (Int(b) == 0) return DivideByZero(error);
  int64_t q = Int(a) / Int(b);
  if (Int(a) % Int(b) != 0 && ((Int(a) < 0) != (Int(b) < 0))) --q;
  *result = WrapTo(dtype, static_cast<uint64_t>(q));
  return true;
}

// The remainder with the sign of the divisor (Python's %, ONNX Mod with fmod=0):
// a - b * floor(a / b), so that floor_div and floor_mod put a back together.
bool FloorModulo(DType dtype, double a, double b, double* result, std::string* error) {
  if (IsFloat(dtype)) {
    double div = 0;
    FloatDivMod(a, b, &div, result);
    return true;
  }
  if (Int(b) == 0) return DivideByZero(error);
  int64_t r = Int(a) % Int(b);
  if (r != 0 && ((r < 0) != (Int(b) < 0))) r += Int(b);
  *result = WrapTo(dtype, static_cast<uint64_t>(r));
  return true;
}

// Integer pow: repeated squaring, wrapping. A negative exponent means 1 / a^-e
// truncated toward zero, so only a = 1 and a = -1 give a non-zero result.
bool Power(DType dtype, double a, double b, double* result, std::string* error) {
  if (IsFloat(dtype)) {
    *result = std::pow(a, b);
    return true;
  }
  int64_t base = Int(a), exponent = Int(b);
  if (exponent < 0) {
    if (base == 0) return DivideByZero(error);
    *result = base == 1 ? 1 : base == -1 ? (exponent % 2 == 0 ? 1 : -1) : 0;
    return true;
  }
  uint64_t acc = 1, square = Bits(a);
  for (; exponent > 0; exponent >>= 1, square *= square) {
    if (exponent & 1) acc *= square;
  }
  *result = WrapTo(dtype, acc);
  return true;
}

// maximum and minimum propagate NaN, as NumPy's do.
double Maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  return a > b ? a : b;
}

double Minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  return a < b ? a : b;
}

double Relu(double x) { return std::isnan(x) ? x : (x > 0 ? x : 0); }

}  // namespace

bool ApplyScalar(Op op, DType dtype, const double* x, double* r, std::string* error) {
  const bool fp = IsFloat(dtype);
  switch (op) {
    case Op::kNeg: *r = -x[0]; return true;
    case Op::kNot: *r = x[0] == 0 ? 1 : 0; return true;
    case Op::kAbs: *r = std::fabs(x[0]); return true;
    case Op::kExp: *r = std::exp(x[0]); return true;
    case Op::kLog: *r = std::log(x[0]); return true;
    case Op::kSqrt: *r = std::sqrt(x[0]); return true;
    case Op::kRsqrt: *r = 1 / std::sqrt(x[0]); return true;
    case Op::kTanh: *r = std::tanh(x[0]); return true;
    case Op::kSigmoid: *r = 1 / (1 + std::exp(-x[0])); return true;
    case Op::kRelu: *r = Relu(x[0]); return true;
    case Op::kErf: *r = std::erf(x[0]); return true;
    case Op::kSin: *r = std::sin(x[0]); return true;
    case Op::kCos: *r = std::cos(x[0]); return true;
    case Op::kFloor: *r = std::floor(x[0]); return true;
    case Op::kCeil: *r = std::ceil(x[0]); return true;
    case Op::kRound: *r = std::nearbyint(x[0]); return true;  // ties to even in the default mode
    case Op::kSign: *r = std::isnan(x[0]) ? x[0] : (x[0] > 0) - (x[0] < 0); return true;
    case Op::kCast: *r = x[0]; return true;  // the store into the result dtype converts
    case Op::kAdd: *r = fp ? x[0] + x[1] : WrapTo(dtype, Bits(x[0]) + Bits(x[1])); return true;
    case Op::kSub: *r = fp ? x[0] - x[1] : WrapTo(dtype, Bits(x[0]) - Bits(x[1])); return true;
    case Op::kMul: *r = fp ? x[0] * x[1] : WrapTo(dtype, Bits(x[0]) * Bits(x[1])); return true;
    case Op::kDiv: return Divide(dtype, x[0], x[1], r, error);
    case Op::kMod: return Modulo(dtype, x[0], x[1], r, error);
    case Op::kFloorDiv: return FloorDivide(dtype, x[0], x[1], r, error);
    case Op::kFloorMod: return FloorModulo(dtype, x[0], x[1], r, error);
    case Op::kPow: return Power(dtype, x[0], x[1], r, error);
    case Op::kMaximum: *r = Maximum(x[0], x[1]); return true;
    case Op::kMinimum: *r = Minimum(x[0], x[1]); return true;
    case Op::kEq: *r = x[0] == x[1] ? 1 : 0; return true;
    case Op::kNe: *r = x[0] != x[1] ? 1 : 0; return true;
    case Op::kLt: *r = x[0] < x[1] ? 1 : 0; return true;
    case Op::kLe: *r = x[0] <= x[1] ? 1 : 0; return true;
    case Op::kGt: *r = x[0] > x[1] ? 1 : 0; return true;
    case Op::kGe: *r = x[0] >= x[1] ? 1 : 0; return true;
    case Op::kAnd: *r = x[0] != 0 && x[1] != 0 ? 1 : 0; return true;
    case Op::kOr: *r = x[0] != 0 || x[1] != 0 ? 1 : 0; return true;
    case Op::kSelect: *r = x[0] != 0 ? x[1] : x[2]; return true;
    case Op::kMatMul: case Op::kReduceSum: case Op::kReduceProd: case Op::kReduceMax:
    case Op::kReduceMin: case Op::kReduceMean: case Op::kArgMax: case Op::kArgMin:
    case Op::kReshape: case Op::kTranspose: case Op::kBroadcast: case Op::kConcat:
    case Op::kSlice: case Op::kPad: case Op::kTake: case Op::kUpdateSlice:
    case Op::kConstant: case Op::kComprehension: case Op::kCall: case Op::kPhi: case Op::kBr:
    case Op::kCondBr: case Op::kRet: break;
  }
  *error = "'" + std::string(OpMnemonic(op)) + "' is not an elementwise op";
  return false;
}

double RoundToDType(DType dtype, double value) {
  // Fast paths for the common cases, computed as Tensor::Set computes them: an
  // f32 is a float conversion, and an i32 that is already an i32 stays as it is.
  if (dtype == DType::kF32) return static_cast<float>(value);
  if (dtype == DType::kI32 && value >= -2147483648.0 && value <= 2147483647.0 &&
      value == std::trunc(value)) {
    return value;
  }
  // Otherwise one scalar per dtype, so the rounding is exactly Tensor::Set's.
  thread_local Tensor scratch[] = {Tensor(DType::kF32, {}), Tensor(DType::kF16, {}),
                                   Tensor(DType::kI32, {}), Tensor(DType::kI8, {}),
                                   Tensor(DType::kBool, {})};
  Tensor& slot = scratch[static_cast<int>(dtype)];
  slot.Set(0, value);
  return slot.Get(0);
}

std::optional<std::vector<int64_t>> BroadcastStrides(const Shape& in, const Shape& out) {
  if (in.size() > out.size()) return std::nullopt;
  std::vector<int64_t> strides(out.size(), 0);
  std::vector<int64_t> own = RowMajorStrides(in);
  size_t shift = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) {
    if (in[d] == out[d + shift]) {
      strides[d + shift] = own[d];
    } else if (in[d] != 1) {
      return std::nullopt;
    }
  }
  return strides;
}

int64_t Offset(const std::vector<int64_t>& index, const std::vector<int64_t>& strides) {
  int64_t offset = 0;
  for (size_t d = 0; d < index.size(); ++d) offset += index[d] * strides[d];
  return offset;
}

bool UnaryKernel(Op op, const Operands& in, Tensor* out, std::string* error) {
  const Tensor& x = *in[0];
  if (x.shape() != out->shape()) {
    *error = "operand " + x.TypeString() + " does not have the result " +
             out->TypeString();
    return false;
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    double arg = x.Get(i), result = 0;
    if (!ApplyScalar(op, x.dtype(), &arg, &result, error)) return false;
    out->Set(i, result);
  }
  return true;
}

bool BroadcastingKernel(Op op, const Operands& in, Tensor* out, std::string* error) {
  std::vector<std::vector<int64_t>> strides;
  for (const Tensor* operand : in) {
    auto s = BroadcastStrides(operand->shape(), out->shape());
    if (!s) {
      *error = "operand " + operand->TypeString() + " does not broadcast to the result " +
               out->TypeString();
      return false;
    }
    strides.push_back(std::move(*s));
  }
  DType dtype = in[op == Op::kSelect ? 1 : 0]->dtype();
  double args[3] = {0, 0, 0};
  for (IndexCounter it(out->shape()); !it.done(); it.Next()) {
    for (size_t k = 0; k < in.size(); ++k) args[k] = in[k]->Get(Offset(it.index(), strides[k]));
    double result = 0;
    if (!ApplyScalar(op, dtype, args, &result, error)) {
      if (!it.index().empty()) *error += " at " + FormatShape(it.index());
      return false;
    }
    out->Set(it.flat(), result);
  }
  return true;
}

}  // namespace tessel::ir
