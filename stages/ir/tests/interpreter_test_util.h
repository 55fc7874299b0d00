// Helpers for the interpreter's unit tests (stages/ir/tests): build small
// tensors, evaluate one instruction on given operand values, compare results
// with hand-computed values.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stages/ir/interpreter.h"
#include "stages/ir/ir.h"
#include "stages/runtime/tensor.h"

namespace tessel::ir::testing {

inline Tensor Make(DType dtype, Shape shape, const std::vector<double>& values) {
  return Tensor::FromValues(dtype, std::move(shape), values);
}
inline Tensor F32(Shape shape, const std::vector<double>& values) {
  return Make(DType::kF32, std::move(shape), values);
}
inline Tensor I32(Shape shape, const std::vector<double>& values) {
  return Make(DType::kI32, std::move(shape), values);
}
inline Tensor Bool(Shape shape, const std::vector<double>& values) {
  return Make(DType::kBool, std::move(shape), values);
}

inline Type TypeOf(const Tensor& t) { return Type{t.dtype(), t.shape()}; }

/// The outcome of evaluating one instruction: its value or its error.
struct Evaluated {
  std::optional<Tensor> value;
  std::string error;
};

/// Evaluates `op` on `inputs` (operands named by `names`, the result %r) with
/// `attrs` and the declared result type `result`.
inline Evaluated Evaluate(Op op, const std::vector<Tensor>& inputs, const Type& result,
                          Attrs attrs = {},
                          const std::vector<std::string>& names = {"a", "b", "c", "d"}) {
  std::vector<std::unique_ptr<Argument>> params;
  std::vector<Value*> operands;
  std::vector<const Tensor*> values;
  for (size_t i = 0; i < inputs.size(); ++i) {
    params.push_back(std::make_unique<Argument>(TypeOf(inputs[i]), names.at(i),
                                                static_cast<int>(i)));
    operands.push_back(params.back().get());
    values.push_back(&inputs[i]);
  }
  Instr instr(op, operands, result, "r");
  instr.attrs() = std::move(attrs);
  Evaluated out;
  out.value = EvaluateInstr(instr, values, &out.error);
  return out;
}

/// Expects `actual` to have the dtype, shape and values of `expected`, each
/// value within `tolerance` (0: exactly, NaN equal to NaN).
inline void ExpectTensor(const std::optional<Tensor>& actual, const Tensor& expected,
                         double tolerance = 0) {
  ASSERT_TRUE(actual.has_value()) << "no value, expected " << expected.TypeString();
  ASSERT_EQ(actual->TypeString(), expected.TypeString());
  for (int64_t i = 0; i < expected.size(); ++i) {
    double a = actual->Get(i), e = expected.Get(i);
    if (std::isnan(e)) {
      EXPECT_TRUE(std::isnan(a)) << "element " << i << " is " << a << ", expected NaN";
    } else if (tolerance == 0 || std::isinf(e)) {
      EXPECT_EQ(a, e) << "element " << i;
    } else {
      EXPECT_NEAR(a, e, tolerance) << "element " << i;
    }
  }
}

/// Expects the evaluation to succeed with `expected`.
inline void ExpectValue(const Evaluated& evaluated, const Tensor& expected,
                        double tolerance = 0) {
  EXPECT_EQ(evaluated.error, "");
  ExpectTensor(evaluated.value, expected, tolerance);
}

}  // namespace tessel::ir::testing
