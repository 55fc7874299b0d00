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
  // BEGIN SOLUTION lab02.t1: bind positional arguments in order, then keywords by name
  const std::string callee = Quote(call.callee);
  std::vector<const ast::Expr*> by_param(params.names.size(), nullptr);
  size_t next_positional = 0;
  for (const ast::Argument& arg : call.args) {
    size_t slot = next_positional;
    if (arg.keyword.empty()) {
      if (slot == params.names.size()) {
        *error = {"too many arguments to " + callee + ": expected at most " +
                      std::to_string(params.names.size()) + ", found " +
                      std::to_string(call.args.size()),
                  arg.range};
        return false;
      }
      ++next_positional;
    } else {
      auto it = std::find(params.names.begin(), params.names.end(), arg.keyword);
      if (it == params.names.end()) {
        *error = {callee + " has no parameter named " + Quote(arg.keyword), arg.range};
        return false;
      }
      slot = static_cast<size_t>(it - params.names.begin());
    }
    if (by_param[slot] != nullptr) {
      *error = {"parameter " + Quote(params.names[slot]) + " of " + callee + " is given twice",
                arg.range};
      return false;
    }
    by_param[slot] = arg.value.get();
  }
  for (size_t k = 0; k < params.required; ++k) {
    if (by_param[k] == nullptr) {
      *error = {"missing argument " + Quote(params.names[k]) + " in call to " + callee, call.range};
      return false;
    }
  }
  out->by_param = std::move(by_param);
  return true;
  // END SOLUTION
}

}  // namespace tessel::sema
