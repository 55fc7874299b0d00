// The .tsl path of `tessel run`:
//   1) parse the program and the prelude (lab01), read the run directives,
//   2) merge the flags over the directives (--entry, --shape, --arg) and read
//      the types of --input files, so their shapes can bind shape variables (a
//      0-d file gives a scalar parameter, like --arg),
//   3) compile to verified IR (stages/sema/compile.h: lab02),
//   4) print it (--emit ir, --dot) or run the entry (run_ir.h).
#include "stages/driver/run_tsl.h"

#include <iostream>

#include "stages/common/diagnostics.h"
#include "stages/driver/directives.h"
#include "stages/driver/optimize.h"
#include "stages/driver/run_ir.h"
#include "stages/driver/run_loops.h"
#include "stages/frontend/parser.h"
#include "stages/runtime/npy.h"
#include "stages/sema/compile.h"

namespace tessel {

namespace {

// The value of a 0-d tensor as a compile-time scalar: a bool, an integer or a float.
sema::ConstValue ScalarOf(const Tensor& scalar) {
  double value = scalar.Get(0);
  if (scalar.dtype() == DType::kBool) return sema::ConstValue::Bool(value != 0);
  if (!IsFloat(scalar.dtype())) return sema::ConstValue::Int(static_cast<int64_t>(value));
  return sema::ConstValue::Float(value);
}

// The request: directives first, flags over them, .npy types for --input (a 0-d .npy is the
// value of a scalar parameter, specialized like an --arg).
bool BuildRequest(const RunDirectives& directives, const RunOptions& options,
                  const InputTensors& inputs, sema::EntryRequest* request, std::string* error) {
  request->entry = options.entry.empty() ? directives.entry : options.entry;
  request->default_shapes = directives.shapes;
  request->default_args = directives.args;
  for (const std::string& flag : options.shapes) {
    if (!ParseShapeFlag(flag, &request->shapes, error)) {
      *error = "--shape " + *error;
      return false;
    }
  }
  for (const std::string& flag : options.args) {
    if (!ParseArgFlag(flag, &request->args, error)) {
      *error = "--arg " + *error;
      return false;
    }
  }
  for (const auto& [name, input] : inputs) {
    if (input.value.rank() == 0) {  // a 0-d .npy gives a scalar parameter, as --arg would
      if (request->args.count(name)) {
        *error = "--input " + name + " and --arg " + name + " both give the scalar '" + name + "'";
        return false;
      }
      request->args[name] = ScalarOf(input.value);
      request->scalar_inputs.insert(name);
      continue;
    }
    request->input_types[name] = ir::Type{input.value.dtype(), input.value.shape()};
  }
  return true;
}

// The function `name` of `module`, or its last function when `name` is empty (the rule
// of --entry, docs/language.md §7); null when there is none.
const ast::FnItem* FindFunction(const ast::Module& module, const std::string& name) {
  const ast::FnItem* last = nullptr;
  for (const ast::ItemPtr& item : module.items) {
    if (item->kind != ast::ItemKind::kFn) continue;
    if (item->name == name) return &item->As<ast::FnItem>();
    last = &item->As<ast::FnItem>();
  }
  return name.empty() ? last : nullptr;
}

}  // namespace

std::unique_ptr<ir::Module> CompileTslFile(const SourceFile& file, const RunOptions& options,
                                           const InputTensors& inputs, DiagnosticEngine& diags,
                                           std::string* flag_error) {
  std::unique_ptr<ast::Module> module = ast::ParseModule(file, diags);
  RunDirectives directives = ReadDirectives(file, diags);
  if (diags.has_errors()) return nullptr;
  const SourceFile& prelude_file = sema::PreludeFile();
  std::unique_ptr<ast::Module> prelude = ast::ParseModule(prelude_file, diags);
  if (diags.has_errors()) {
    diags.Error("the prelude does not parse with the lab01 parser compiled in");
    return nullptr;
  }
  sema::EntryRequest request;
  if (!BuildRequest(directives, options, inputs, &request, flag_error)) return nullptr;
  // The directives were written for their own entry: there, a name they give that the
  // entry lacks is a mistake, not a default that does not apply.
  if (options.entry.empty() || options.entry == directives.entry) {
    if (const ast::FnItem* entry = FindFunction(*module, request.entry)) {
      CheckDirectiveNames(file, directives, *entry, diags);
      if (diags.has_errors()) return nullptr;
    }
  }
  return sema::CompileModule({&file, module.get()}, {&prelude_file, prelude.get()}, request, diags);
}

int RunTslFile(const SourceFile& file, const RunOptions& options, const InputTensors& inputs) {
  DiagnosticEngine diags;
  std::string flag_error;
  std::unique_ptr<ir::Module> module = CompileTslFile(file, options, inputs, diags, &flag_error);
  diags.Print(std::cerr);
  if (!flag_error.empty()) return ReportUserError(flag_error);
  if (!module) return 1;
  const ir::Function& entry = *module->functions().front();
  if (int code = OptimizeModule(*module, entry.name(), options)) return code;
  if (options.emit == "ir" || options.emit == "opt") return EmitIr(*module, entry, options);
  InputTensors tensors;  // the 0-d inputs were scalar parameters, now constants in the IR
  for (const auto& [name, input] : inputs) {
    if (input.value.rank() > 0) tensors.emplace(name, input);
  }
  if (WantsLoops(options)) {
    return RunLoops(*module, entry, options, tensors, inputs.size() - tensors.size());
  }
  return ExecuteIr(*module, entry, options, tensors, inputs.size() - tensors.size());
}

}  // namespace tessel
