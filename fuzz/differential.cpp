// Differential testing of the -O levels against -O0 (differential.h).
#include "fuzz/differential.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <sstream>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/driver/run_command.h"
#include "stages/driver/run_tsl.h"
#include "stages/ir/interpreter.h"
#include "stages/runtime/compare.h"
#include "stages/runtime/random.h"

namespace tessel::fuzz {

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAgree: return "agree";
    case Verdict::kIllFormed: return "ill-formed";
    case Verdict::kReferenceFails: return "reference-fails";
    case Verdict::kPassBroke: return "pass-broke";
    case Verdict::kRunFails: return "run-fails";
    case Verdict::kMismatch: return "mismatch";
  }
  return "?";
}

std::vector<Configuration> LevelConfigurations(const std::vector<int>& levels) {
  std::vector<Configuration> configurations;
  for (int level : levels) {
    Configuration c;
    c.name = "-O" + std::to_string(level);
    for (const std::string& name : opt::PipelineForLevel(level)) c.passes.push_back(*opt::FindPass(name));
    configurations.push_back(std::move(c));
  }
  return configurations;
}

namespace {

std::unique_ptr<ir::Module> Compile(const SourceFile& file, std::string* messages) {
  RunOptions options;
  options.file = file.name();
  DiagnosticEngine diags;
  std::string flag_error;
  std::unique_ptr<ir::Module> module;
  try {
    module = CompileTslFile(file, options, {}, diags, &flag_error);
  } catch (const std::exception& e) {  // a lab01 or lab02 skeleton's NotImplemented
    *messages = std::string("the front end threw: ") + e.what();
    return nullptr;
  }
  std::ostringstream printed;
  diags.Print(printed);
  if (!flag_error.empty()) printed << "flag error: " << flag_error << "\n";
  *messages = printed.str();
  if (diags.has_errors() || !flag_error.empty()) return nullptr;
  return module;
}

std::optional<Tensor> InterpretWithPlan(const ir::Module& module, const ir::Function& entry,
                                        const std::vector<Tensor>& args, std::string* error) {
  ir::RuntimeError runtime_error;
  std::optional<Tensor> result =
      ir::Interpret(module, entry, args, &runtime_error, {.execute_memory_plan = true});
  if (!result) *error = runtime_error.message;
  return result;
}

Outcome CheckOne(const SourceFile& file, const Configuration& configuration,
                 const std::vector<Tensor>& args, const Tensor& expected) {
  Outcome outcome;
  outcome.configuration = configuration.name;
  std::string messages;
  std::unique_ptr<ir::Module> module = Compile(file, &messages);
  if (!module) {
    outcome.verdict = Verdict::kIllFormed;
    outcome.detail = messages;
    return outcome;
  }
  const std::string entry_name = module->functions().front()->name();
  opt::PassContext context;
  context.entry = entry_name;
  std::string error;
  try {
    if (!opt::RunPasses(*module, configuration.passes, context, {}, nullptr, &error)) {
      outcome.verdict = Verdict::kPassBroke;
      outcome.detail = error;
      return outcome;
    }
  } catch (const std::exception& e) {  // a lab skeleton's NotImplemented, among others
    outcome.verdict = Verdict::kPassBroke;
    outcome.detail = std::string("a pass threw: ") + e.what();
    return outcome;
  }
  const ir::Function* entry = module->FindFunction(entry_name);
  if (entry == nullptr) {
    outcome.verdict = Verdict::kPassBroke;
    outcome.detail = "the passes removed the entry @" + entry_name;
    return outcome;
  }
  RunFunction run = configuration.run ? configuration.run : InterpretWithPlan;
  std::optional<Tensor> actual = run(*module, *entry, args, &error);
  if (!actual) {
    outcome.verdict = Verdict::kRunFails;
    outcome.detail = error;
    return outcome;
  }
  Comparison comparison = CompareTensors(*actual, expected);
  if (!comparison.equal) {
    outcome.verdict = Verdict::kMismatch;
    outcome.detail = FormatComparison(comparison);
    return outcome;
  }
  if (!configuration.bit_exact || actual->bytes() == expected.bytes()) return outcome;
  // The first element that differs in value or in the sign of a zero; a nan equals any nan.
  auto same = [&](int64_t k) {
    double a = actual->Get(k), e = expected.Get(k);
    return (std::isnan(a) && std::isnan(e)) || (a == e && std::signbit(a) == std::signbit(e));
  };
  int64_t i = 0;
  while (i < actual->size() && same(i)) ++i;
  if (i < actual->size()) {
    outcome.verdict = Verdict::kMismatch;
    std::ostringstream detail;
    detail << "equal within the tolerance but not bit for bit: element " << i << " is "
           << actual->Get(i) << ", -O0 computed " << expected.Get(i)
           << " (the sign of a zero or a rounding: an inexact rewrite)";
    outcome.detail = detail.str();
  }
  return outcome;
}

}  // namespace

Outcome CheckProgram(const std::string& source, const std::vector<Configuration>& configurations,
                     uint64_t seed, const std::function<void(const Configuration&)>& starting) {
  SourceFile file("fuzz.tsl", source);
  Outcome outcome;
  outcome.configuration = "-O0";
  std::string messages;
  std::unique_ptr<ir::Module> reference = Compile(file, &messages);
  if (!reference) {
    outcome.verdict = Verdict::kIllFormed;
    outcome.detail = messages;
    return outcome;
  }
  const ir::Function& entry = *reference->functions().front();
  std::vector<Tensor> args;
  for (const auto& arg : entry.args()) {
    args.push_back(SeededParameter(arg->type().dtype, arg->type().shape, seed, arg->name()));
  }
  std::string error;
  std::optional<Tensor> expected = InterpretWithPlan(*reference, entry, args, &error);
  if (!expected) {
    outcome.verdict = Verdict::kReferenceFails;
    outcome.detail = error;
    return outcome;
  }
  for (const Configuration& configuration : configurations) {
    if (starting) starting(configuration);
    Outcome one = CheckOne(file, configuration, args, *expected);
    if (one.verdict != Verdict::kAgree) return one;
  }
  return Outcome{};
}

namespace {

// Everything `fd` holds until its writer closes it.
std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
  return text;
}

}  // namespace

Outcome CheckProgramIsolated(const std::string& source,
                             const std::vector<Configuration>& configurations, uint64_t seed,
                             unsigned timeout_seconds) {
  // The verdict comes back through a pipe, the child's stderr (what a crash prints) through a
  // temporary file, so that neither can fill up while the parent waits on the other.
  int result_pipe[2];
  std::FILE* errors_file = std::tmpfile();
  if (errors_file == nullptr || pipe(result_pipe) != 0) {
    if (errors_file != nullptr) std::fclose(errors_file);
    return CheckProgram(source, configurations, seed);
  }
  std::fflush(nullptr);
  pid_t child = fork();
  if (child < 0) {
    close(result_pipe[0]);
    close(result_pipe[1]);
    std::fclose(errors_file);
    return CheckProgram(source, configurations, seed);
  }
  if (child == 0) {
    close(result_pipe[0]);
    dup2(fileno(errors_file), STDERR_FILENO);
    alarm(timeout_seconds);
    // "@NAME" as each configuration starts, then "=VERDICT", the configuration, the detail.
    auto send = [&](const std::string& text) {
      for (size_t done = 0; done < text.size();) {
        ssize_t n = write(result_pipe[1], text.data() + done, text.size() - done);
        if (n <= 0) return;
        done += static_cast<size_t>(n);
      }
    };
    Outcome outcome = CheckProgram(source, configurations, seed, [&](const Configuration& c) {
      send("@" + c.name + "\n");
    });
    send("=" + std::to_string(static_cast<int>(outcome.verdict)) + "\n" + outcome.configuration +
         "\n" + outcome.detail);
    _exit(0);
  }
  close(result_pipe[1]);
  std::string message = ReadAll(result_pipe[0]);
  close(result_pipe[0]);
  int status = 0;
  waitpid(child, &status, 0);
  std::rewind(errors_file);
  std::string errors = ReadAll(fileno(errors_file));
  std::fclose(errors_file);
  // The configuration that started last; the verdict after the '=' that ends the messages.
  Outcome outcome;
  std::string running = "-O0";
  size_t at = 0;
  while (at < message.size() && message[at] == '@') {
    size_t end = message.find('\n', at);
    if (end == std::string::npos) break;
    running = message.substr(at + 1, end - at - 1);
    at = end + 1;
  }
  size_t first = at < message.size() && message[at] == '=' ? message.find('\n', at) : std::string::npos;
  size_t second = first == std::string::npos ? first : message.find('\n', first + 1);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || second == std::string::npos) {
    outcome.verdict = Verdict::kPassBroke;
    outcome.configuration = running;
    bool hang = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
    outcome.detail = hang ? "the compiler did not finish in " +
                                std::to_string(timeout_seconds) +
                                " s (a pass that does not terminate?)"
                          : "the compiler crashed (" +
                                (WIFSIGNALED(status)
                                     ? "signal " + std::to_string(WTERMSIG(status))
                                     : "exit " + std::to_string(WEXITSTATUS(status))) +
                                "):\n" + errors;
    return outcome;
  }
  outcome.verdict = static_cast<Verdict>(std::stoi(message.substr(at + 1, first - at - 1)));
  outcome.configuration = message.substr(first + 1, second - first - 1);
  outcome.detail = message.substr(second + 1);
  return outcome;
}

}  // namespace tessel::fuzz
