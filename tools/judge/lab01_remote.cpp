// lab01's judge: the graded tests call Lex, ParseModule and ParseExpression as
// always, but these definitions stand in for the learner's: each sends the
// source text to lab01's runner (remote_call.h) and rebuilds the tokens, tree
// and diagnostics from its answer, with the test's own SourceFile and
// DiagnosticEngine. The tests are unchanged; only the learner's code is
// elsewhere.
#include <string>

#include "stages/frontend/lexer.h"
#include "stages/frontend/parser.h"
#include "tools/judge/lab01_wire.h"
#include "tools/judge/remote_call.h"

namespace tessel {
namespace judge {
namespace {

// Sends one request and returns a reader over the answer kept in `answer`.
WireReader Call(const char* command, const SourceFile& file, const DiagnosticEngine& diags,
                std::string* answer) {
  WireWriter header;
  header.Word(command);
  header.Int(diags.error_limit());
  header.Str(file.name());
  *answer = CallRunner(header.text() + "\n" + std::string(file.text()));
  return WireReader(*answer);
}

// Reads the result with `read`, then the diagnostics; a malformed answer names itself.
template <typename Result, typename Read>
Result Receive(const char* command, const SourceFile& file, DiagnosticEngine& diags, Read read) {
  std::string answer;
  WireReader in = Call(command, file, diags, &answer);
  try {
    Result result = read(in);
    ReplayDiagnostics(in, file, diags);
    if (!in.AtEnd()) throw WireError("more output than a result");
    return result;
  } catch (const WireError& e) {
    throw WireError(std::string("tessel-judge: unreadable runner output: ") + e.what() +
                    " (the runner writes its result on its own stdout; code that writes there "
                    "too, or corrupts memory, makes it unreadable)");
  }
}

}  // namespace
}  // namespace judge

std::vector<Token> Lex(const SourceFile& file, DiagnosticEngine& diags) {
  return judge::Receive<std::vector<Token>>(
      "lex", file, diags, [&](judge::WireReader& in) { return judge::ReadTokens(in, file); });
}

namespace ast {

std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags) {
  return judge::Receive<std::unique_ptr<Module>>("parse_module", file, diags,
                                                 [](judge::WireReader& in) {
                                                   return judge::ReadModule(in);
                                                 });
}

ExprPtr ParseExpression(const SourceFile& file, DiagnosticEngine& diags) {
  return judge::Receive<ExprPtr>("parse_expression", file, diags,
                                 [](judge::WireReader& in) { return judge::ReadExpr(in); });
}

}  // namespace ast
}  // namespace tessel
