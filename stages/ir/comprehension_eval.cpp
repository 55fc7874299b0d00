// Pointwise evaluation of a comprehension instruction (stage 2 interpreter).
//
// For every point of the output index space: start from the identity of the
// reduction, walk the reduction indices over [lo, hi) in row-major order,
// evaluate the body at each point and combine. The body is a tree of
// ScalarExprs: constants, index values, element reads of the operands and
// elementwise ops, each applied with the same scalar rules as the tensor ops
// (ApplyScalar) and rounded through the expression's dtype, so an i32 add
// wraps and a comparison is 0 or 1 exactly as the tensor ops would make them.
#include <cmath>

#include "stages/ir/kernels.h"

namespace tessel::ir {

namespace {

std::string NameOf(const Value* value) { return "%" + value->name(); }

class ComprehensionEvaluator {
 public:
  ComprehensionEvaluator(const Instr& instr, const Comprehension& comp, const Operands& in,
                         std::string* error)
      : instr_(instr), comp_(comp), in_(in), error_(error),
        vars_(comp.out.size() + comp.reduce.size(), 0) {
    for (const Tensor* t : in) strides_.push_back(RowMajorStrides(t->shape()));
  }

  /// Fills `out`, one output point at a time.
  bool Run(Tensor* out) {
    for (IndexCounter it(out->shape()); !it.done(); it.Next()) {
      for (size_t d = 0; d < comp_.out.size(); ++d) vars_[d] = comp_.out[d].lo + it.index()[d];
      double acc = ReduceIdentity(comp_.reduce_kind);
      if (!Reduce(out->dtype(), &acc)) return false;
      out->Set(it.flat(), acc);
    }
    return true;
  }

 private:
  // Combines the body's values over the reduction indices into *acc.
  bool Reduce(DType dtype, double* acc) {
    if (comp_.reduce_kind == ReduceKind::kAssign) return Eval(comp_.body.get(), acc);
    Shape extents;
    for (const IndexVar& v : comp_.reduce) extents.push_back(std::max<int64_t>(v.hi - v.lo, 0));
    size_t first = comp_.out.size();
    for (IndexCounter it(extents); !it.done(); it.Next()) {
      for (size_t d = 0; d < extents.size(); ++d) {
        vars_[first + d] = comp_.reduce[d].lo + it.index()[d];
      }
      double value = 0;
      if (!Eval(comp_.body.get(), &value)) return false;
      *acc = ReduceCombine(comp_.reduce_kind, dtype, *acc, value);
    }
    return true;
  }

  bool Eval(const ScalarExpr* e, double* value) {
    if (e == nullptr) return Fail("has an empty expression");
    switch (e->kind) {
      case ScalarExpr::Kind::kConst:
        *value = RoundToDType(e->dtype, e->value);
        return true;
      case ScalarExpr::Kind::kIndex:
        if (e->index < 0 || e->index >= static_cast<int>(vars_.size())) {
          return Fail("uses index variable #" + std::to_string(e->index) + " of " +
                      std::to_string(vars_.size()));
        }
        *value = static_cast<double>(vars_[e->index]);
        return true;
      case ScalarExpr::Kind::kRead: return Read(*e, value);
      case ScalarExpr::Kind::kApply: return Apply(*e, value);
    }
    return Fail("has an unknown expression kind");
  }

  // The operand element at the evaluated subscripts, bounds-checked.
  bool Read(const ScalarExpr& e, double* value) {
    if (e.index < 0 || e.index >= static_cast<int>(in_.size())) {
      return Fail("reads operand #" + std::to_string(e.index) + " of " +
                  std::to_string(in_.size()));
    }
    const Tensor& t = *in_[e.index];
    if (static_cast<int64_t>(e.args.size()) != t.rank()) {
      return Fail("reads " + OperandName(e.index) + " with " + std::to_string(e.args.size()) +
                  " subscripts, but it is " + t.TypeString());
    }
    int64_t offset = 0;
    bool inside = true;
    for (size_t d = 0; d < e.args.size(); ++d) {
      double sub = 0;
      if (!Eval(e.args[d].get(), &sub)) return false;
      inside = inside && sub >= 0 && sub < static_cast<double>(t.shape()[d]);
      if (inside) offset += static_cast<int64_t>(sub) * strides_[e.index][d];
    }
    if (!inside) return ReadOutside(e, t);
    *value = t.Get(offset);
    if (e.dtype != t.dtype()) *value = RoundToDType(e.dtype, *value);
    return true;
  }

  // The error of a read outside its operand: the subscripts are evaluated
  // again (they are pure) to name the element.
  bool ReadOutside(const ScalarExpr& e, const Tensor& t) {
    std::vector<int64_t> subs;
    for (const ScalarExprPtr& arg : e.args) {
      double sub = 0;
      if (!Eval(arg.get(), &sub)) return false;
      subs.push_back(static_cast<int64_t>(std::floor(sub)));
    }
    return Fail("reads " + OperandName(e.index) + FormatShape(subs) + " outside " +
                t.TypeString());
  }

  bool Apply(const ScalarExpr& e, double* value) {
    int arity = OpArity(e.op);
    if (arity < 1 || arity > 3 || static_cast<int>(e.args.size()) != arity) {
      return Fail("applies '" + std::string(OpMnemonic(e.op)) + "' to " +
                  std::to_string(e.args.size()) + " arguments");
    }
    double args[3] = {0, 0, 0};
    for (int k = 0; k < arity; ++k) {
      if (!Eval(e.args[k].get(), &args[k])) return false;
    }
    DType dtype = e.args[e.op == Op::kSelect ? 1 : 0]->dtype;
    double result = 0;
    if (!ApplyScalar(e.op, dtype, args, &result, &message_)) {
      *error_ = "comprehension " + NameOf(&instr_) + ": " + message_ + " at " + FormatPoint();
      return false;
    }
    *value = RoundToDType(e.dtype, result);
    return true;
  }

  // "n = 1, o = 0, i = 3": the current point, for messages.
  std::string FormatPoint() const {
    std::string out;
    for (size_t d = 0; d < vars_.size(); ++d) {
      size_t out_rank = comp_.out.size();
      const IndexVar& var = d < out_rank ? comp_.out[d] : comp_.reduce[d - out_rank];
      if (d > 0) out += ", ";
      out += var.name + " = " + std::to_string(vars_[d]);
    }
    return out;
  }

  std::string OperandName(int index) const { return NameOf(instr_.operand(index)); }

  bool Fail(const std::string& message) {
    *error_ = "comprehension " + NameOf(&instr_) + " " + message;
    return false;
  }

  const Instr& instr_;
  const Comprehension& comp_;
  const Operands& in_;
  std::string* error_;
  std::vector<int64_t> vars_;                  // out ++ reduce, as ScalarExpr::index counts
  std::vector<std::vector<int64_t>> strides_;  // row-major strides of each operand
  std::string message_;                        // ApplyScalar's error, when it fails
};

// The output's shape is the extents of the out indices; assign has no reduction.
bool CheckShape(const Instr& instr, const Comprehension& comp, const Tensor& out,
                std::string* error) {
  Shape extents;
  for (const IndexVar& v : comp.out) extents.push_back(v.hi - v.lo);
  if (extents != out.shape()) {
    *error = "comprehension " + NameOf(&instr) + " has index space " + FormatShape(extents) +
             " but result " + out.TypeString();
    return false;
  }
  if (comp.reduce_kind == ReduceKind::kAssign && !comp.reduce.empty()) {
    *error = "comprehension " + NameOf(&instr) + " assigns but has reduction indices";
    return false;
  }
  return true;
}

}  // namespace

bool ComprehensionKernel(const Instr& instr, const Operands& in, Tensor* out,
                         std::string* error) {
  const Comprehension* comp = instr.attrs().comprehension.get();
  if (comp == nullptr || comp->body == nullptr) {
    *error = "comprehension " + NameOf(&instr) + " has no body";
    return false;
  }
  if (!CheckShape(instr, *comp, *out, error)) return false;
  ComprehensionEvaluator evaluator(instr, *comp, in, error);
  return evaluator.Run(out);
}

}  // namespace tessel::ir
