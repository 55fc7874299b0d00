// Binding a call's arguments to parameters (lab02, task t1): shared by the
// name checker and the type checker, so both say the same words.
//
// Declared here, in stages/, because the type checker and the tests use it;
// implemented in lab02_ir_ssa/bind_arguments.cpp (the learner's) or the same
// file in solutions/lab02_ir_ssa/ (the reference). The rules are in
// docs/language.md §5.1 and the lab02 handout §4.1.
#pragma once

#include <string>
#include <vector>

#include "stages/common/source.h"
#include "stages/frontend/ast.h"
#include "stages/sema/builtins.h"

namespace tessel::sema {

/// A user error found by a check that reports one problem: what, and where.
struct SemaError {
  std::string message;
  SourceRange range;
};

/// A call's arguments matched to the callee's parameters: one entry per
/// parameter, in parameter order; null where an optional parameter was omitted.
struct BoundArguments {
  std::vector<const ast::Expr*> by_param;
};

/// lab02.t1: binds the arguments of `call` to `params`: positional arguments
/// in order, then keyword arguments by name. On success fills `out` and returns
/// true. Otherwise sets `error` (message and the range of the offending
/// argument, or of the call) and returns false. The errors, in the words the
/// tests expect:
///   "too many arguments to 'f': expected at most 2, found 3"
///      (at the first positional argument without a parameter; "found" counts
///      every argument of the call, keyword arguments included)
///   "'f' has no parameter named 'axs'"
///   "parameter 'axis' of 'f' is given twice"
///   "missing argument 'b' in call to 'f'"
/// (the function name is call.callee).
bool BindArguments(const ast::CallExpr& call, const ParamList& params, BoundArguments* out,
                   SemaError* error);

/// What a call to a user or prelude function binds against: every parameter,
/// required up to the last one without a default (default_arguments.h).
inline ParamList ParamsOf(const ast::FnItem& fn) {
  ParamList params;
  for (const ast::Param& param : fn.params) {
    params.names.push_back(param.name);
    if (!param.default_value) params.required = params.names.size();
  }
  return params;
}

}  // namespace tessel::sema
