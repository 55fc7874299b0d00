// Binding a call's arguments to the callee's parameters (lab02, task t1):
// BindArguments of stages/sema/bind_arguments.h. The name checker
// (check_names.cpp) calls it for every call it sees; the type checker calls it
// again for every specialized call, so both report the same words.
#include "stages/sema/bind_arguments.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "stages/common/not_implemented.h"

namespace tessel::sema {

namespace {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

}  // namespace

bool BindArguments(const ast::CallExpr& call, const ParamList& params, BoundArguments* out,
                   SemaError* error) {
  // TODO(lab02.t1): bind positional arguments in order, then keywords by name
  TESSEL_UNIMPLEMENTED("lab02.t1", "bind positional arguments in order, then keywords by name",
                       "lab02_ir_ssa/README.md §4.1");
}

}  // namespace tessel::sema
