// `tessel run FILE.ir`: the IR path of the driver.
//
//   1) parse the text (located errors), 2) verify every function,
//   3) --emit ir prints the module (or --dot the entry's CFG and dataflow),
//   4) otherwise bind the entry's parameters to --input files or seeded random
//      tensors, run the interpreter, print a summary of the result and, with
//      --output-dir, write the inputs and the output as .npy files.
#include "stages/driver/run_ir.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/driver/optimize.h"
#include "stages/driver/run_loops.h"
#include "stages/ir/dot.h"
#include "stages/ir/interpreter.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"
#include "stages/ir/verifier.h"
#include "stages/runtime/npy.h"
#include "stages/runtime/random.h"
#include "stages/runtime/summary.h"
#include "stages/sema/compile.h"

namespace tessel {

namespace {

// The function --entry names; without --entry, @main if there is one, else the first function
// nothing calls.
const ir::Function* FindEntry(const ir::Module& module, const std::string& entry,
                              std::string* error) {
  if (!entry.empty()) {
    if (const ir::Function* f = module.FindFunction(entry)) return f;
    *error = "no function '" + entry + "' to run (--entry); the module defines:";
    for (const auto& f : module.functions()) *error += " @" + f->name();
    return nullptr;
  }
  if (module.functions().empty()) {
    *error = "the module defines no function to run";
    return nullptr;
  }
  if (const ir::Function* main = module.FindFunction("main")) return main;
  // Else the first function nothing calls: the entry `--emit ir` and `--emit opt` print first,
  // the caller of hand-written helpers wherever it stands.
  std::set<std::string> called;
  for (const auto& f : module.functions()) {
    for (const auto& block : f->blocks()) {
      for (const auto& instr : block->instrs()) {
        if (instr->op() == ir::Op::kCall) called.insert(instr->attrs().callee);
      }
    }
  }
  for (const auto& f : module.functions()) {
    if (!called.count(f->name())) return f.get();
  }
  return module.functions().back().get();
}

// "%w3, %b3 and %w5".
std::string ParameterList(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + ("%" + names[i]);
  }
  return text;
}

// With --no-seed, a parameter without --input is an error. Without it, seeded values stand in,
// which is the point of a quick run; but once some inputs are given, a parameter left out is
// more likely forgotten than meant (a model silently running on random weights), so each one is
// named in a warning.
bool CheckSeeded(const RunOptions& options, const EntrySignature& fn, bool some_given,
                 const std::vector<std::string>& seeded, std::string* error) {
  if (seeded.empty()) return true;
  std::string which = ParameterList(seeded);
  std::string count = std::to_string(seeded.size()) +
                      (seeded.size() == 1 ? " parameter" : " parameters") + " of @" + fn.name;
  if (options.no_seed) {
    *error = "--no-seed: " + count + (seeded.size() == 1 ? " has" : " have") +
             " no --input: " + which + " (give each with --input NAME=FILE.npy)";
    return false;
  }
  if (some_given) {
    std::cerr << "tessel: warning: " << count << (seeded.size() == 1 ? " has" : " have")
              << " no --input and run" << (seeded.size() == 1 ? "s" : "")
              << " on seeded random values (seed " << options.seed << "): " << which
              << " (give each with --input NAME=FILE.npy; --no-seed makes this an error)\n";
  }
  return true;
}

// One value per parameter: its --input tensor, or seeded random.
bool BindArguments(const RunOptions& options, const EntrySignature& fn, const InputTensors& inputs,
                   bool scalars_given, std::vector<Tensor>* args, std::string* error) {
  for (const auto& [name, input] : inputs) {
    bool known = false;
    for (const auto& [arg, type] : fn.params) known = known || arg == name;
    if (!known) {
      *error = "--input " + name + ": @" + fn.name + " has no parameter %" + name;
      return false;
    }
  }
  std::vector<std::string> seeded;
  for (const auto& [name, type] : fn.params) {
    auto it = inputs.find(name);
    if (it == inputs.end()) {
      args->push_back(SeededParameter(type.dtype, type.shape, options.seed, name));
      seeded.push_back(name);
      continue;
    }
    const Tensor& value = it->second.value;
    if (value.dtype() != type.dtype || value.shape() != type.shape) {
      *error = "--input " + name + ": " + it->second.path + " holds " + value.TypeString() +
               " but %" + name + " of @" + fn.name + " is " + ir::FormatType(type);
      return false;
    }
    args->push_back(value);
  }
  return CheckSeeded(options, fn, !inputs.empty() || scalars_given, seeded, error);
}

// The source file a location names: the prelude, or a file read from disk (once); null when it
// cannot be read (IR text may name files that are gone).
const SourceFile* SourceFor(const std::string& name) {
  static std::map<std::string, std::optional<SourceFile>> files;
  if (name == sema::PreludeFile().name()) return &sema::PreludeFile();
  auto [it, inserted] = files.try_emplace(name);
  if (inserted) {
    std::string error;
    it->second = ReadSourceFile(name, &error);
  }
  return it->second ? &*it->second : nullptr;
}

// A runtime error at the source line it comes from, clang-style, then each call it was
// reached through as a note; without locations, the interpreter's one line.
int ReportRuntimeError(const ir::RuntimeError& error) {
  if (error.where.empty()) return ReportUserError(error.message);
  DiagnosticEngine diags;
  for (size_t i = 0; i < error.where.size(); ++i) {
    const ir::Loc& loc = error.where[i];
    const SourceFile* file = SourceFor(loc.file);
    std::string message = i == 0 ? "at run time: " + error.message : "called from here";
    if (file == nullptr) {
      std::cerr << loc.ToString() << ": " << (i == 0 ? "error: " : "note: ") << message << "\n";
      continue;
    }
    SourceLoc at{0, loc.line, loc.col};
    if (i == 0) {
      diags.Error(*file, at, message);
    } else {
      diags.Note(*file, at, message);
    }
  }
  diags.Print(std::cerr);
  return 1;
}

// Writes input_<name>.npy for every parameter and output.npy into options.output_dir.
bool WriteOutputs(const RunOptions& options, const EntrySignature& fn,
                  const std::vector<Tensor>& args, const Tensor& result, std::string* error) {
  std::filesystem::path dir(options.output_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create '" + options.output_dir + "': " + ec.message();
    return false;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = "input_" + fn.params[i].first + ".npy";
    if (!WriteNpy((dir / name).string(), args[i], error)) return false;
  }
  return WriteNpy((dir / "output.npy").string(), result, error);
}

}  // namespace

EntrySignature SignatureOf(const ir::Function& fn) {
  EntrySignature signature{fn.name(), {}};
  for (const auto& arg : fn.args()) signature.params.emplace_back(arg->name(), arg->type());
  return signature;
}

int EmitIr(const ir::Module& module, const ir::Function& entry, const RunOptions& options) {
  if (options.dot.empty()) {
    std::cout << ir::PrintModule(module, {.locations = options.locations});
    return 0;
  }
  bool kernel_form = options.emit == "opt" && options.dot == "all";
  if (options.dot == "kernels" || kernel_form) {
    std::cout << ir::KernelsToDot(module, entry);
    return 0;
  }
  if (options.dot == "all" || options.dot == "cfg") std::cout << ir::CfgToDot(entry);
  if (options.dot == "all" || options.dot == "dataflow") std::cout << ir::DataflowToDot(entry);
  return 0;
}

int ExecuteEntry(const EntrySignature& fn, const RunOptions& options, const InputTensors& inputs,
                 size_t scalar_inputs, const EntryRunner& run) {
  std::string error;
  std::vector<Tensor> args;
  if (!BindArguments(options, fn, inputs, scalar_inputs > 0, &args, &error)) {
    return ReportUserError(error);
  }
  int exit_code = 0;
  std::optional<Tensor> result = run(args, &exit_code);
  if (!result) return exit_code;
  std::cout << "@" << fn.name << " (seed " << options.seed << ")\n";
  for (size_t i = 0; i < args.size(); ++i) {
    std::cout << "input %" << fn.params[i].first << ": " << SummarizeTensor(args[i]) << "\n";
  }
  std::cout << "output: " << SummarizeTensor(*result) << "\n";
  if (!options.output_dir.empty()) {
    if (!WriteOutputs(options, fn, args, *result, &error)) return ReportUserError(error);
    std::cout << "wrote " << args.size() + 1 << " .npy files to " << options.output_dir << "\n";
  }
  return 0;
}

int ExecuteIr(const ir::Module& module, const ir::Function& fn, const RunOptions& options,
              const InputTensors& inputs, size_t scalar_inputs) {
  return ExecuteEntry(SignatureOf(fn), options, inputs, scalar_inputs,
                      [&](const std::vector<Tensor>& args, int* exit_code) -> std::optional<Tensor> {
    ir::RuntimeError runtime_error;
    // A kernel-form entry runs its memory plan: its tensors live at their planned offsets.
    std::optional<Tensor> result =
        ir::Interpret(module, fn, args, &runtime_error, {.execute_memory_plan = true});
    if (!result) *exit_code = ReportRuntimeError(runtime_error);
    return result;
  });
}

int RunIrFile(const SourceFile& file, const RunOptions& options, const InputTensors& inputs) {
  DiagnosticEngine diags;
  ir::TextPositions positions;
  std::unique_ptr<ir::Module> module = ir::ParseModule(file, diags, &positions);
  diags.Print(std::cerr);
  if (!module || diags.has_errors()) return 1;
  // The verifier's complaints, each at the instruction (or block, or function) it concerns.
  std::vector<ir::VerifierProblem> problems = ir::FindVerifierProblems(*module);
  if (!problems.empty()) {
    DiagnosticEngine verifier_diags;
    for (const ir::VerifierProblem& problem : problems) {
      std::optional<SourceRange> at =
          positions.Find(problem.function, problem.block, problem.instr);
      if (at) {
        verifier_diags.Error(file, *at, problem.message);
      } else {
        verifier_diags.Error(file.name() + ": " + problem.message);
      }
    }
    verifier_diags.Print(std::cerr);
    return 1;
  }
  std::string error;
  const ir::Function* entry = FindEntry(*module, options.entry, &error);
  if (!entry) return ReportUserError(error);
  // IR text already in the kernel form (lab04_loop_ir/tests/examples/*.ir) goes to loop IR as
  // it is, unless -O or --passes ask for passes: no lab03 code is needed to lower it.
  bool kernel_form = std::any_of(module->functions().begin(), module->functions().end(),
                                 [](const auto& f) { return f->kernel().has_value(); });
  bool as_is = WantsLoops(options) && kernel_form && options.opt_level < 0 && options.passes.empty();
  if (!as_is) {
    if (int code = OptimizeModule(*module, entry->name(), options)) return code;
  }
  if (options.emit == "ir" || options.emit == "opt") return EmitIr(*module, *entry, options);
  if (WantsLoops(options)) return RunLoops(*module, *entry, options, inputs);
  return ExecuteIr(*module, *entry, options, inputs);
}

}  // namespace tessel
