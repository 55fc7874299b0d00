// lab02 task t1 (semantic analysis of names): CheckNames, BindArguments,
// EvaluateBinary / EvaluateUnary and EvaluateConstants of stages/sema/evaluate_constants.h.
// The programs are Tessel source parsed with the lab01 parser, with the
// prelude visible. Each test lists every diagnostic it expects, in order, as
// "line:col: error: message" (notes too), so an extra or a missing error
// fails it; a failure prints the numbered source and the diagnostics as
// `tessel run` shows them. The examples of examples/ and the prelude itself
// must pass without a single diagnostic.
#include "stages/sema/check_names.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <source_location>
#include <sstream>
#include <string>
#include <vector>

#include "lab02_ir_ssa/tests/source_test_util.h"
#include "stages/sema/evaluate_constants.h"

namespace tessel {
namespace {

using sema::BindArguments;
using sema::BoundArguments;
using sema::CheckNames;
using sema::ConstValue;
using sema::EvaluateBinary;
using sema::EvaluateConstants;
using sema::EvaluateUnary;
using sema::ParamList;
using sema::SemaError;
using testing::DiagnosticsText;
using testing::NumberedSource;
using testing::ParsedSource;
using testing::ParseSource;
using testing::Prelude;
using Where = std::source_location;

// ------------------------------------------------------------ helpers

// "3:10: error: undefined name 'y'": a diagnostic without its source lines.
std::string Summary(const Diagnostic& d) {
  const char* severity = d.severity == Severity::kError     ? "error"
                         : d.severity == Severity::kWarning ? "warning"
                                                            : "note";
  if (d.file == nullptr) return std::string(severity) + ": " + d.message;
  return std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + ": " +
         severity + ": " + d.message;
}

std::vector<std::string> Summaries(const DiagnosticEngine& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.diagnostics()) out.push_back(Summary(d));
  return out;
}

// Runs CheckNames on `source` (prelude visible) and expects exactly the
// diagnostics `expected`, in order; CheckNames must return true iff there are none.
void ExpectNameDiagnostics(const std::string& source, const std::vector<std::string>& expected,
                           Where where = Where::current()) {
  SCOPED_TRACE(::testing::Message() << "called from " << where.file_name() << ":" << where.line());
  ParsedSource parsed = ParseSource(source);
  DiagnosticEngine diags;
  const bool ok = CheckNames(*parsed.file, *parsed.module, *Prelude().module, diags);
  const std::string report =
      "source:\n" + NumberedSource(*parsed.file) + "diagnostics:\n" + DiagnosticsText(diags);
  EXPECT_EQ(Summaries(diags), expected) << report;
  EXPECT_EQ(ok, expected.empty()) << "CheckNames's result\n" << report;
}

void ExpectNoNameErrors(const std::string& source, Where where = Where::current()) {
  ExpectNameDiagnostics(source, {}, where);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ------------------------------------------------------------ CheckNames: whole programs

// The example models use every construct the rules cover (shape
// variables as values, var/for/if, comprehensions with where, prelude calls
// with keywords, a module function hiding the prelude's linear): no errors.
TEST(CheckNamesTest, ExamplesHaveNoNameErrors) {
  for (const char* name :
       {"cnn", "lstm", "mlp", "operators", "resnet_block", "rnn", "transformer"}) {
    SCOPED_TRACE(name);
    std::string path = TESSEL_SOURCE_DIR;  // appended piecewise: GCC 12's -Warray-bounds
    path.append("/examples/").append(name).append(".tsl");  // misfires on a chain of +
    ParsedSource parsed = ParseSource(ReadFile(path), path);
    DiagnosticEngine diags;
    EXPECT_TRUE(CheckNames(*parsed.file, *parsed.module, *Prelude().module, diags))
        << DiagnosticsText(diags);
    EXPECT_EQ(diags.diagnostics().size(), 0u) << DiagnosticsText(diags);
  }
}

// The prelude checked as itself (passed as both the module and the prelude, so
// its several definitions of one name are overloads, not duplicates): its
// calls to itself (softmax(x, axis=-1)) and to primitives all bind.
TEST(CheckNamesTest, PreludeHasNoNameErrors) {
  const ParsedSource& prelude = Prelude();
  DiagnosticEngine diags;
  EXPECT_TRUE(CheckNames(*prelude.file, *prelude.module, *prelude.module, diags))
      << DiagnosticsText(diags);
  EXPECT_EQ(diags.diagnostics().size(), 0u) << DiagnosticsText(diags);
}

// One run reports every independent error, in source order, across functions.
TEST(CheckNamesTest, ReportsSeveralErrorsInOneRun) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N]) -> f32[N] {
  let a = x + b;
  let c = foo(a);
  return a;
}
fn g(x: f32) -> f32 {
  x = 1.0;
  return q;
})",
                        {
                            "2:15: error: undefined name 'b'",
                            "3:11: error: unknown function 'foo'",
                            "7:3: error: cannot assign to 'x': it is a parameter, not a var",
                            "8:10: error: undefined name 'q'",
                        });
}

// ------------------------------------------------------------ CheckNames: scopes

// A let is visible from the next statement on: its own initializer and the
// statements before it cannot use it.
TEST(CheckNamesTest, ANameIsVisibleOnlyAfterItsDefinition) {
  ExpectNameDiagnostics(R"(fn f(x: f32) -> f32 {
  let a = b + x;
  let b = b;
  return a + b;
})",
                        {
                            "2:11: error: undefined name 'b'",
                            "3:11: error: undefined name 'b'",
                        });
}

// Declaring a visible name again is an error at the new name, with a note at
// the old one.
TEST(CheckNamesTest, RedefiningALetIsAnErrorWithANote) {
  ExpectNameDiagnostics(R"(fn f(x: f32) -> f32 {
  let a = x;
  var a = x * 2.0;
  return a;
})",
                        {
                            "3:7: error: redefinition of 'a'",
                            "2:7: note: previous definition is here",
                        });
}

// No shadowing: a local may not reuse a parameter, a constant, a shape
// variable or a local of an enclosing block, and a for variable is a
// declaration too.
TEST(CheckNamesTest, ALocalMayNotReuseAnOuterName) {
  ExpectNameDiagnostics(R"(const K = 4;
fn f(x: f32[N], s: f32) -> f32[N] {
  let K = 1;
  var s = 2.0;
  for N in 0..3 {
    let y = x;
  }
  var h = x;
  if true {
    let h = x;
  }
  return h;
})",
                        {
                            "3:7: error: redefinition of 'K'",
                            "1:7: note: previous definition is here",
                            "4:7: error: redefinition of 's'",
                            "2:17: note: previous definition is here",
                            "5:7: error: redefinition of 'N'",
                            "2:13: note: previous definition is here",
                            "10:9: error: redefinition of 'h'",
                            "8:7: note: previous definition is here",
                        });
}

// A name ends with its block: a let inside an if or a for body, or the for
// variable, is undefined after it, and sibling blocks may reuse a name.
TEST(CheckNamesTest, BlockLocalsEndWithTheirBlock) {
  ExpectNameDiagnostics(R"(fn f(x: f32, c: bool) -> f32 {
  if c {
    let t = x;
  } else {
    let t = x + 1.0;
  }
  for i in 0..4 {
    let u = x;
  }
  return t + u + i;
})",
                        {
                            "10:10: error: undefined name 't'",
                            "10:14: error: undefined name 'u'",
                            "10:18: error: undefined name 'i'",
                        });
}

// ------------------------------------------------------------ CheckNames: assignment

// Only a var may be assigned; a let keeps its value.
TEST(CheckNamesTest, AssigningALetIsAnError) {
  ExpectNameDiagnostics(R"(fn f(x: f32) -> f32 {
  let a = x;
  var b = x;
  a = a + 1.0;
  b = b + a;
  return b;
})",
                        {"4:3: error: cannot assign to 'a': it is a let, not a var"});
}

// The message says what the assigned name is.
TEST(CheckNamesTest, AssigningANonVarSaysWhatTheNameIs) {
  ExpectNameDiagnostics(R"(const K = 4;
fn f(x: f32[N]) -> f32[N] {
  y[i] = x[i];
  for l in 0..3 {
    K = 5;
    N = 2;
    l = 1;
    y = x;
  }
  return y;
})",
                        {
                            "5:5: error: cannot assign to 'K': it is a constant, not a var",
                            "6:5: error: cannot assign to 'N': it is a shape variable, not a var",
                            "7:5: error: cannot assign to 'l': it is a loop variable, not a var",
                            "8:5: error: cannot assign to 'y': it is a comprehension target, "
                            "not a var",
                        });
}

// Assigning a name that is not visible is an undefined name, not a
// declaration; a var declared outside may be assigned in nested blocks.
TEST(CheckNamesTest, AssigningAnUndefinedNameIsAnError) {
  ExpectNameDiagnostics(R"(fn f(x: f32, c: bool) -> f32 {
  var h = x;
  for l in 0..3 {
    if c {
      h = h * 2.0;
    } else {
      z = h;
    }
  }
  return h;
})",
                        {"7:7: error: undefined name 'z'"});
}

// ------------------------------------------------------------ CheckNames: signatures

// Bare-name dimensions declare shape variables, which are i32 values in the
// body; a later mention is a use, and so is a constant.
TEST(CheckNamesTest, ShapeVariablesAreValuesInTheBody) {
  ExpectNoNameErrors(R"(const K = 3;
fn f(x: f32[M, N], w: f32[N, K]) -> f32[M, K] {
  let scale = 1.0 / N;
  y[i, j] += x[i, c] * w[c, j] * scale / (M * K);
  return y;
})");
}

// A scalar parameter named in a dimension is that parameter, not a new shape
// variable (wherever it is declared), and may appear in the result type.
TEST(CheckNamesTest, ScalarParametersInTypesAreNotShapeVariables) {
  ExpectNoNameErrors(R"(fn f(x: f32[n, C], n: i32, k: i32) -> f32[n * k, C] {
  return reshape(broadcast(x, [k, n, C]), [n * k, C]);
})");
}

// Names in the result type and in arithmetic dimensions must be shape
// variables (from any parameter), constants or scalar parameters.
TEST(CheckNamesTest, AnUnknownNameInATypeIsAnError) {
  ExpectNameDiagnostics(R"(fn f(x: f32[H - R + 1], w: f32[R, H], y: f32[Z * 2]) -> f32[H, Q] {
  let t: f32[H, P] = broadcast(x, [H, H - R + 1]);
  return w;
})",
                        {
                            "1:46: error: undefined name 'Z' in type",
                            "1:64: error: undefined name 'Q' in type",
                            "2:17: error: undefined name 'P' in type",
                        });
}

// Parameter names are unique, and a tensor parameter cannot be a dimension:
// that would declare a shape variable of the same name.
TEST(CheckNamesTest, ParametersAndShapeVariablesShareOneNamespace) {
  ExpectNameDiagnostics(R"(fn f(x: f32[4], x: f32[4], y: f32[x]) -> f32[4] {
  return y;
})",
                        {
                            "1:17: error: redefinition of 'x'",
                            "1:6: note: previous definition is here",
                            "1:35: error: redefinition of 'x'",
                            "1:6: note: previous definition is here",
                        });
}

// ------------------------------------------------------------ CheckNames: comprehensions

// The target is a new name, visible (and immutable) after the statement.
TEST(CheckNamesTest, AComprehensionTargetMustBeNew) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N]) -> f32[N] {
  let y = x;
  y[i] = x[i] * 2.0;
  z[i] = y[i] + 1.0;
  return z;
})",
                        {
                            "3:3: error: redefinition of 'y'",
                            "2:7: note: previous definition is here",
                        });
}

// The indices on the left are new names, distinct from each other.
TEST(CheckNamesTest, OutputIndicesMustBeDistinctAndNew) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N, N], n: i32) -> f32[N, N] {
  y[i, i] = x[i, i];
  z[n, j] = x[n, j];
  return z;
})",
                        {
                            "2:8: error: redefinition of 'i'",
                            "2:5: note: previous definition is here",
                            "3:5: error: redefinition of 'n'",
                            "1:20: note: previous definition is here",
                        });
}

// An index only on the right (in a subscript or a where clause) is a
// reduction index: `=` reduces nothing, so it is an error there, once per index.
TEST(CheckNamesTest, AssignWithAReductionIndexIsAnError) {
  ExpectNameDiagnostics(R"(fn f(x: f32[M, N]) -> f32[M] {
  a[i] += x[i, j];
  b[i] = x[i, j] + x[i, j];
  c[i] = x[i, 0] * k where k in 0..3;
  return a + b + c;
})",
                        {
                            "3:15: error: index 'j' appears only on the right of '=': use a "
                            "reduction such as '+='",
                            "4:28: error: index 'k' appears only on the right of '=': use a "
                            "reduction such as '+='",
                        });
}

// A where clause may give the range of an output or a reduction index, but
// not name a visible tensor, parameter or shape variable.
TEST(CheckNamesTest, AWhereClauseMayNameOnlyIndices) {
  ExpectNameDiagnostics(R"(fn f(x: f32[H], q: i32) -> f32[H] {
  y[h] += x[h + r] where h in 0..H - 2, r in 0..3;
  z[h] += x[h] where q in 0..2, H in 0..2;
  return y + z;
})",
                        {
                            "3:22: error: where clause names 'q', which is not an index of this "
                            "comprehension",
                            "3:33: error: where clause names 'H', which is not an index of this "
                            "comprehension",
                        });
}

// Indices are values inside their statement only; a name outside every
// subscript is not an index, so an unknown one is undefined.
TEST(CheckNamesTest, IndicesAreVisibleOnlyInTheirStatement) {
  ExpectNameDiagnostics(R"(fn f(x: f32[T, T]) -> f32[T, T] {
  m[t, u] = select(u > t, -1e9, x[t, u]);
  n[t, u] = m[t, u] * w;
  return n + t;
})",
                        {
                            "3:23: error: undefined name 'w'",
                            "4:14: error: undefined name 't'",
                        });
}

// ------------------------------------------------------------ CheckNames: calls

// A callee that is neither the module's, the prelude's nor a primitive is
// reported at its name; its arguments are still checked.
TEST(CheckNamesTest, CallingAnUnknownFunctionIsAnError) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N]) -> f32[N] {
  return relu(softplus(x + v));
})",
                        {
                            "2:28: error: undefined name 'v'",
                            "2:15: error: unknown function 'softplus'",
                        });
}

// The arguments of a primitive and of a module function must bind to their
// parameters.
TEST(CheckNamesTest, CallArgumentsMustBind) {
  ExpectNameDiagnostics(R"(fn g(a: f32[N], b: f32[N]) -> f32[N] {
  return a + b;
}
fn f(x: f32[N]) -> f32 {
  let s = sum(x, axs=0);
  let t = g(x, x, x);
  let u = g(x);
  let v = g(x, a=x);
  return s;
})",
                        {
                            "5:18: error: 'sum' has no parameter named 'axs'",
                            "6:19: error: too many arguments to 'g': expected at most 2, found 3",
                            "7:11: error: missing argument 'b' in call to 'g'",
                            "8:16: error: parameter 'a' of 'g' is given twice",
                        });
}

// A module function hides the prelude's function of the same name, even when
// only the prelude's would accept the arguments.
TEST(CheckNamesTest, AModuleFunctionHidesThePrelude) {
  ExpectNameDiagnostics(
      R"(fn linear(x: f32[B, I], w: f32[I, O]) -> f32[B, O] {
  return x @ w;
}
fn f(x: f32[B, I], w: f32[I, O], b: f32[O]) -> f32[B, O] {
  return linear(x, w) + linear(x, w, b);
})",
      {"5:38: error: too many arguments to 'linear': expected at most 2, found 3"});
}

// A prelude name defined several times accepts a call that any definition
// binds; otherwise the error comes from the definition with the most
// parameters (conv2d's with a bias, eleven of them, most with defaults).
TEST(CheckNamesTest, PreludeCallsBindToAnyDefinition) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N, C, H, W], w: f32[K, C, R, S], b: f32[K]) -> f32 {
  let a = conv2d(x, w, b);
  let c = conv2d(x, w, b, stride=2);
  let d = softmax(a, axis=1) + softmax(c);
  let e = conv2d(x, stride=2);
  let g = softmax(d, axs=1);
  return sum(d);
})",
                        {
                            "5:11: error: missing argument 'w' in call to 'conv2d'",
                            "6:22: error: 'softmax' has no parameter named 'axs'",
                        });
}

// Functions and variables live apart: a variable may be called `max` and
// max(...) still calls the reduction; a variable is not a function.
TEST(CheckNamesTest, FunctionNamesAndVariableNamesAreSeparate) {
  ExpectNameDiagnostics(R"(fn f(x: f32[N]) -> f32 {
  let max = max(x, axis=0);
  return max + x(1);
})",
                        {"3:16: error: unknown function 'x'"});
}

// A module defines each function once.
TEST(CheckNamesTest, AModuleMayNotDefineAFunctionTwice) {
  ExpectNameDiagnostics(R"(fn f(x: f32) -> f32 {
  return x;
}
fn f(x: f32, y: f32) -> f32 {
  return x + y;
})",
                        {
                            "4:4: error: redefinition of function 'f'",
                            "1:4: note: previous definition is here",
                        });
}

// ------------------------------------------------------------ CheckNames: control flow

// The first statement after a return in a block is unreachable: reported once
// per block, in nested blocks too. So is the first statement after an if chain
// whose every arm returns; one after an if without else, or after a for, is not.
TEST(CheckNamesTest, StatementsAfterAReturnAreUnreachable) {
  ExpectNameDiagnostics(R"(fn f(x: f32, c: bool) -> f32 {
  if c {
    return x;
    let a = x;
  }
  return x * 2.0;
  let b = x;
  return b;
}
fn g(x: f32, c: bool) -> f32 {
  if c { return x; }
  for i in 0..2 { return x; }
  if c { return x; } else if !c { return -x; } else { return 0.0; }
  let d = x;
  return d;
})",
                        {
                            "4:5: error: unreachable statement after 'return'",
                            "7:3: error: unreachable statement after 'return'",
                            "14:3: error: unreachable statement: every branch of the 'if' above "
                            "returns",
                        });
}

// An if without else, or a for body, may be skipped, so a return inside does
// not end every path; an if / else if / else chain whose arms all return does.
TEST(CheckNamesTest, EveryPathMustEndWithAReturn) {
  ExpectNameDiagnostics(R"(fn a(x: f32, c: bool) -> f32 {
  if c {
    return x;
  }
}
fn b(x: f32) -> f32 {
  for i in 0..3 {
    return x;
  }
}
fn c(x: f32, k: i32) -> f32 {
  if k == 0 {
    return x;
  } else if k == 1 {
    return x + 1.0;
  } else {
    return x + 2.0;
  }
}
fn d(x: f32, k: i32) -> f32 {
  if k == 0 {
    return x;
  } else if k == 1 {
    return x + 1.0;
  }
}
fn e(x: f32, k: i32) -> f32 {
  if k == 0 {
    return x;
  } else {
    let y = x;
  }
})",
                        {
                            "1:4: error: function 'a' does not return a value on every path",
                            "6:4: error: function 'b' does not return a value on every path",
                            "20:4: error: function 'd' does not return a value on every path",
                            "27:4: error: function 'e' does not return a value on every path",
                        });
}

// ------------------------------------------------------------ BindArguments

// The call `g(...)` in `return g(...);` of a one-function program.
const ast::CallExpr& ReturnedCall(const ParsedSource& parsed) {
  const ast::Stmt& ret = *parsed.Fn("f").body->stmts.back();
  return ret.As<ast::ReturnStmt>().value->As<ast::CallExpr>();
}

// The argument value of each parameter, in parameter order; null if omitted.
std::vector<const ast::Expr*> ArgValues(const ast::CallExpr& call, std::vector<int> order) {
  std::vector<const ast::Expr*> values;
  for (int k : order) values.push_back(k < 0 ? nullptr : call.args[k].value.get());
  return values;
}

const ParamList kReduceParams{{"x", "axis", "keepdims"}, 1};

// Positional arguments take the parameters in order; an omitted optional
// parameter has a null entry.
TEST(BindArgumentsTest, PositionalArgumentsBindInOrder) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(x, 0); }");
  const ast::CallExpr& call = ReturnedCall(parsed);
  BoundArguments bound;
  SemaError error;
  ASSERT_TRUE(BindArguments(call, kReduceParams, &bound, &error)) << error.message;
  EXPECT_EQ(bound.by_param, ArgValues(call, {0, 1, -1}));
}

// Keyword arguments bind by name, in any order, after the positional ones.
TEST(BindArgumentsTest, KeywordArgumentsBindByName) {
  ParsedSource parsed =
      ParseSource("fn f(x: f32[N]) -> f32 { return g(x, keepdims=true, axis=0); }");
  const ast::CallExpr& call = ReturnedCall(parsed);
  BoundArguments bound;
  SemaError error;
  ASSERT_TRUE(BindArguments(call, kReduceParams, &bound, &error)) << error.message;
  EXPECT_EQ(bound.by_param, ArgValues(call, {0, 2, 1}));
}

// More positional arguments than parameters: the error points at the first
// argument too many and counts all of them.
TEST(BindArgumentsTest, TooManyArgumentsIsAnError) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(x, 0, true, 1); }");
  BoundArguments bound;
  SemaError error;
  EXPECT_FALSE(BindArguments(ReturnedCall(parsed), kReduceParams, &bound, &error));
  EXPECT_EQ(error.message, "too many arguments to 'g': expected at most 3, found 4");
  EXPECT_EQ(error.range.begin.col, 47u);
}

// A keyword that names no parameter is reported at that argument.
TEST(BindArgumentsTest, AnUnknownKeywordIsAnError) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(x, axs=1); }");
  BoundArguments bound;
  SemaError error;
  EXPECT_FALSE(BindArguments(ReturnedCall(parsed), kReduceParams, &bound, &error));
  EXPECT_EQ(error.message, "'g' has no parameter named 'axs'");
  EXPECT_EQ(error.range.begin.col, 38u);
}

// A parameter that gets a positional and a keyword argument is given twice;
// the error points at the second.
TEST(BindArgumentsTest, AParameterGivenTwiceIsAnError) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(x, 1, axis=0); }");
  BoundArguments bound;
  SemaError error;
  EXPECT_FALSE(BindArguments(ReturnedCall(parsed), kReduceParams, &bound, &error));
  EXPECT_EQ(error.message, "parameter 'axis' of 'g' is given twice");
  EXPECT_EQ(error.range.begin.col, 41u);
}

// A required parameter without an argument (here the second of two, given
// the first by keyword) is reported at the call.
TEST(BindArgumentsTest, AMissingRequiredArgumentIsAnError) {
  ParsedSource parsed = ParseSource("fn f(x: f32[N]) -> f32 { return g(b=x); }");
  BoundArguments bound;
  SemaError error;
  EXPECT_FALSE(BindArguments(ReturnedCall(parsed), ParamList{{"a", "b"}, 2}, &bound, &error));
  EXPECT_EQ(error.message, "missing argument 'a' in call to 'g'");
  EXPECT_EQ(error.range.begin.col, 33u);
}

// ------------------------------------------------------------ EvaluateBinary / EvaluateUnary

std::optional<ConstValue> Binary(ast::BinaryOp op, ConstValue a, ConstValue b) {
  std::string error;
  std::optional<ConstValue> result = EvaluateBinary(op, a, b, &error);
  EXPECT_TRUE(result.has_value()) << ast::BinaryOpSpelling(op) << ": " << error;
  return result;
}

std::string BinaryError(ast::BinaryOp op, ConstValue a, ConstValue b) {
  std::string error;
  EXPECT_FALSE(EvaluateBinary(op, a, b, &error).has_value()) << ast::BinaryOpSpelling(op);
  return error;
}

// Integers stay integers, / and % round toward zero as in C, an int meeting a
// float gives a float, comparisons and && || give bools.
TEST(ConstantsTest, EvaluateBinaryFollowsCArithmetic) {
  using C = ConstValue;
  EXPECT_EQ(Binary(ast::BinaryOp::kAdd, C::Int(2), C::Int(3)), C::Int(5));
  EXPECT_EQ(Binary(ast::BinaryOp::kDiv, C::Int(7), C::Int(2)), C::Int(3));
  EXPECT_EQ(Binary(ast::BinaryOp::kDiv, C::Int(-7), C::Int(2)), C::Int(-3));
  EXPECT_EQ(Binary(ast::BinaryOp::kMod, C::Int(-7), C::Int(2)), C::Int(-1));
  EXPECT_EQ(Binary(ast::BinaryOp::kMod, C::Int(7), C::Int(-2)), C::Int(1));
  EXPECT_EQ(Binary(ast::BinaryOp::kMul, C::Int(3), C::Float(0.5)), C::Float(1.5));
  EXPECT_EQ(Binary(ast::BinaryOp::kDiv, C::Float(1.0), C::Int(4)), C::Float(0.25));
  EXPECT_EQ(Binary(ast::BinaryOp::kLt, C::Int(2), C::Float(2.5)), C::Bool(true));
  EXPECT_EQ(Binary(ast::BinaryOp::kGe, C::Int(2), C::Int(3)), C::Bool(false));
  EXPECT_EQ(Binary(ast::BinaryOp::kEq, C::Bool(true), C::Bool(true)), C::Bool(true));
  EXPECT_EQ(Binary(ast::BinaryOp::kAnd, C::Bool(true), C::Bool(false)), C::Bool(false));
  EXPECT_EQ(Binary(ast::BinaryOp::kOr, C::Bool(true), C::Bool(false)), C::Bool(true));
}

// Division by zero (integer or float, / or %), `@`, and operands of the wrong
// kind have no value; the message says why.
TEST(ConstantsTest, EvaluateBinaryRejectsDivisionByZeroAndWrongKinds) {
  using C = ConstValue;
  EXPECT_EQ(BinaryError(ast::BinaryOp::kDiv, C::Int(1), C::Int(0)), "division by zero");
  EXPECT_EQ(BinaryError(ast::BinaryOp::kMod, C::Int(1), C::Int(0)), "division by zero");
  EXPECT_EQ(BinaryError(ast::BinaryOp::kDiv, C::Float(1.5), C::Float(0)), "division by zero");
  EXPECT_EQ(BinaryError(ast::BinaryOp::kAnd, C::Int(1), C::Int(2)),
            "operator '&&' needs bool operands, found 1 and 2");
  EXPECT_EQ(BinaryError(ast::BinaryOp::kAdd, C::Bool(true), C::Int(2)),
            "operator '+' needs numeric operands, found true and 2");
  EXPECT_EQ(BinaryError(ast::BinaryOp::kLt, C::Bool(true), C::Bool(false)),
            "operator '<' needs numeric operands, found true and false");
  EXPECT_EQ(BinaryError(ast::BinaryOp::kMatMul, C::Int(2), C::Int(3)),
            "operator '@' needs tensors, found 2 and 3");
}

// -x negates numbers, !x negates bools; the other way round is an error.
TEST(ConstantsTest, EvaluateUnaryNegatesNumbersAndNotsBools) {
  using C = ConstValue;
  std::string error;
  EXPECT_EQ(EvaluateUnary(ast::UnaryOp::kNeg, C::Int(4), &error), C::Int(-4)) << error;
  EXPECT_EQ(EvaluateUnary(ast::UnaryOp::kNeg, C::Float(0.5), &error), C::Float(-0.5)) << error;
  EXPECT_EQ(EvaluateUnary(ast::UnaryOp::kNot, C::Bool(false), &error), C::Bool(true)) << error;
  EXPECT_FALSE(EvaluateUnary(ast::UnaryOp::kNeg, C::Bool(true), &error).has_value());
  EXPECT_EQ(error, "operator '-' needs a numeric operand, found true");
  EXPECT_FALSE(EvaluateUnary(ast::UnaryOp::kNot, C::Int(1), &error).has_value());
  EXPECT_EQ(error, "operator '!' needs a bool operand, found 1");
  // The one int64 whose negation does not fit.
  EXPECT_FALSE(
      EvaluateUnary(ast::UnaryOp::kNeg, C::Int(std::numeric_limits<int64_t>::min()), &error)
          .has_value());
  EXPECT_EQ(error, "integer overflow in -(-9223372036854775808)");
}

// ------------------------------------------------------------ EvaluateConstants

// The constants of `source`, expecting exactly the diagnostics `expected`.
std::map<std::string, ConstValue> Constants(const std::string& source,
                                            const std::vector<std::string>& expected,
                                            Where where = Where::current()) {
  SCOPED_TRACE(::testing::Message() << "called from " << where.file_name() << ":" << where.line());
  ParsedSource parsed = ParseSource(source);
  DiagnosticEngine diags;
  std::map<std::string, ConstValue> values = EvaluateConstants(*parsed.file, *parsed.module, diags);
  EXPECT_EQ(Summaries(diags), expected) << "source:\n"
                                        << NumberedSource(*parsed.file) << "diagnostics:\n"
                                        << DiagnosticsText(diags);
  return values;
}

// A constant may use literals, operators, parentheses and the constants
// defined above it; functions in between do not matter.
TEST(ConstantsTest, ConstantsMayUseConstantsDefinedAbove) {
  using C = ConstValue;
  const std::map<std::string, ConstValue> values = Constants(R"(const NH = 4;
const DH = 16;
fn f(x: f32) -> f32 { return x; }
const D = NH * DH;
const SCALE = 1.0 / (DH / 4);
const BIG = -D > -100 && !false;
)",
                                                             {});
  const std::map<std::string, ConstValue> expected = {
      {"NH", C::Int(4)},         {"DH", C::Int(16)},     {"D", C::Int(64)},
      {"SCALE", C::Float(0.25)}, {"BIG", C::Bool(true)},
  };
  EXPECT_EQ(values, expected);
}

// A constant defined below is not visible (nor is the constant itself); the
// bad constant is left out, the others are kept.
TEST(ConstantsTest, AConstantDefinedBelowIsUndefined) {
  const std::map<std::string, ConstValue> values = Constants(R"(const A = B + 1;
const B = 2;
const C = C * 2;
)",
                                                             {
                                                                 "1:11: error: undefined name 'B' "
                                                                 "in constant expression",
                                                                 "3:11: error: undefined name 'C' "
                                                                 "in constant expression",
                                                             });
  const std::map<std::string, ConstValue> expected = {{"B", ConstValue::Int(2)}};
  EXPECT_EQ(values, expected);
}

// Calls of anything but elementwise math, subscripts and lists are not constant expressions.
TEST(ConstantsTest, OnlyLiteralsOperatorsConstantsAndMathAreConstant) {
  const std::map<std::string, ConstValue> values = Constants(R"(const K = 2;
const A = 1 + softmax(K);
const B = [K, 2];
)",
                                                             {
                                                                 "2:15: error: only elementwise "
                                                                 "math may be called at compile "
                                                                 "time (exp, log, tanh, sqrt, "
                                                                 "rsqrt, relu, sigmoid, abs, erf, "
                                                                 "sin, cos, floor, ceil, round, "
                                                                 "sign, maximum, minimum, pow, "
                                                                 "floor_div, floor_mod, select), "
                                                                 "found a call to 'softmax' in "
                                                                 "constant expression",
                                                                 "3:11: error: a constant must be "
                                                                 "a literal, an operator or a "
                                                                 "constant, found a list",
                                                             });
  const std::map<std::string, ConstValue> expected = {{"K", ConstValue::Int(2)}};
  EXPECT_EQ(values, expected);
}

// A constant may call elementwise math on constants (with the interpreter's scalar rules) and
// use the predefined `inf`.
TEST(ConstantsTest, MathCallsAndInfAreConstant) {
  using C = ConstValue;
  const std::map<std::string, ConstValue> values = Constants(R"(const DH = 16;
const SCALE = 1.0 / sqrt(DH);
const BIG = maximum(DH, 20);
const LOW = -inf;
const R = round(2.5) + floor_mod(-7, 2);
)",
                                                             {});
  // 1 / sqrt(16) = 0.25; maximum of two ints stays an int; round(2.5) = 2 (ties to even) and
  // floor_mod(-7, 2) = 1 (Python's sign rule), so R = 3.0.
  const std::map<std::string, ConstValue> expected = {
      {"DH", C::Int(16)},   {"SCALE", C::Float(0.25)},
      {"BIG", C::Int(20)},  {"LOW", C::Float(-std::numeric_limits<double>::infinity())},
      {"R", C::Float(3.0)},
  };
  EXPECT_EQ(values, expected);
}

// Division by zero is reported at the division, once: a constant that uses
// the bad one is left out silently.
TEST(ConstantsTest, DivisionByZeroIsReportedOnce) {
  const std::map<std::string, ConstValue> values = Constants(R"(const Z = 0;
const A = 10 / (Z * 3);
const B = A + 1;
const C = !4;
)",
                                                             {
                                                                 "2:11: error: division by zero "
                                                                 "in constant expression",
                                                                 "4:11: error: operator '!' needs "
                                                                 "a bool operand, found 4 in "
                                                                 "constant expression",
                                                             });
  const std::map<std::string, ConstValue> expected = {{"Z", ConstValue::Int(0)}};
  EXPECT_EQ(values, expected);
}

// A constant is defined once; the first definition stays.
TEST(ConstantsTest, RedefiningAConstantIsAnError) {
  const std::map<std::string, ConstValue> values = Constants(R"(const N = 1;
const N = 2;
const M = N + 1;
)",
                                                             {
                                                                 "2:7: error: redefinition of "
                                                                 "constant 'N'",
                                                                 "1:7: note: previous definition "
                                                                 "is here",
                                                             });
  const std::map<std::string, ConstValue> expected = {{"N", ConstValue::Int(1)},
                                                      {"M", ConstValue::Int(2)}};
  EXPECT_EQ(values, expected);
}

}  // namespace
}  // namespace tessel
