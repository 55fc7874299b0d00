// lab01's runner: the only program of the judged grading that is linked with the
// learner's lexer.cpp and parser.cpp. It reads one request on stdin,
//
//   lex|parse_module|parse_expression ERROR_LIMIT "FILE NAME"
//   <the source text, to the end of the input>
//
// calls the learner's function on it, and writes "ok" plus the tokens or tree
// and the diagnostics (lab01_wire.h), "not-implemented MESSAGE" or "threw
// MESSAGE" on the result channel, file descriptor 3. Whatever the learner's code
// prints (stdout, stderr) goes to the judge's log of the call, shown on a crash.
#include <fcntl.h>
#include <unistd.h>

#include <exception>
#include <iostream>
#include <iterator>
#include <string>

#include "stages/common/diagnostics.h"
#include "stages/common/not_implemented.h"
#include "stages/common/source.h"
#include "stages/frontend/lexer.h"
#include "stages/frontend/parser.h"
#include "tools/judge/lab01_wire.h"

namespace tessel::judge {
namespace {

std::string Handle(const std::string& input) {
  size_t newline = input.find('\n');
  if (newline == std::string::npos) return "threw \"the runner's request has no header line\"";
  WireReader header(std::string_view(input).substr(0, newline));
  std::string command = header.Word();
  int limit = static_cast<int>(header.IntIn(0, 1 << 20));
  SourceFile file(header.Str(), input.substr(newline + 1));
  DiagnosticEngine diags(limit);
  WireWriter out;
  try {
    if (command == "lex") {
      std::vector<Token> tokens = Lex(file, diags);
      out.Word("ok");
      WriteTokens(out, file, tokens);
    } else if (command == "parse_module") {
      std::unique_ptr<ast::Module> module = ast::ParseModule(file, diags);
      out.Word("ok");
      WriteModule(out, module.get());
    } else if (command == "parse_expression") {
      ast::ExprPtr expr = ast::ParseExpression(file, diags);
      out.Word("ok");
      WriteExpr(out, expr.get());
    } else {
      out.Word("threw");
      out.Str("the runner has no command " + command);
      return out.text();
    }
    out.Newline();
    WriteDiagnostics(out, diags);
  } catch (const NotImplemented& e) {
    out = WireWriter();
    out.Word("not-implemented");
    out.Str(e.what());
  } catch (const std::exception& e) {
    out = WireWriter();
    out.Word("threw");
    out.Str(e.what());
  } catch (...) {
    out = WireWriter();
    out.Word("threw");
    out.Str("an exception that is not a std::exception");
  }
  return out.text();
}

}  // namespace
}  // namespace tessel::judge

int main() {
  // The judge reads the result on fd 3; stdout and stderr (the learner's prints) go to its log.
  // Run by hand, without fd 3, the result goes to stdout.
  int result_fd = fcntl(3, F_GETFD) == -1 ? 1 : 3;
  std::string input(std::istreambuf_iterator<char>(std::cin), {});
  std::string result;
  try {
    result = tessel::judge::Handle(input) + "\n";
  } catch (const std::exception& e) {  // a malformed request (WireError)
    result = "threw \"the runner could not read its request\"\n";
  }
  for (size_t done = 0; done < result.size();) {
    ssize_t n = write(result_fd, result.data() + done, result.size() - done);
    if (n <= 0) return 1;
    done += static_cast<size_t>(n);
  }
  return 0;
}
