// lab01 task t6 (syntax errors and recovery): ParseModule on programs with
// syntax errors. ParseErrorTest checks that one error is reported at the
// first unexpected token as "expected X, found Y"; ParseRecoveryTest checks
// that the parser resynchronizes, reports every independent error once,
// respects the nesting and error limits, and never crashes or hangs.
#include <gtest/gtest.h>

#include <random>

#include "lab01_lexer_parser/tests/lab01_test_util.h"

namespace tessel {
namespace {

using testing::ExpectErrors;
using testing::InFunction;

// ---------------------------------------------------------------- one error

TEST(ParseErrorTest, MissingSemicolonBeforeTheNextStatement) {
  ExpectErrors(InFunction("  let x = 1\n  let y = 2;\n  return y;"),
               {{2, 12, "expected ';', found keyword 'let'"}});
}

TEST(ParseErrorTest, MissingSemicolonAtTheEndOfABlock) {
  ExpectErrors(InFunction("  return 1"), {{2, 11, "expected ';', found '}'"}});
}

TEST(ParseErrorTest, MissingExpression) {
  ExpectErrors(InFunction("  let x = ;\n  return x;"), {{2, 11, "expected expression, found ';'"}});
}

TEST(ParseErrorTest, OperatorWithoutRightOperand) {
  ExpectErrors(InFunction("  return a +;"), {{2, 13, "expected expression, found ';'"}});
}

TEST(ParseErrorTest, TwoBinaryOperatorsInARow) {
  ExpectErrors(InFunction("  let y = a + * b;"), {{2, 15, "expected expression, found '*'"}});
}

TEST(ParseErrorTest, MissingNameAfterLet) {
  ExpectErrors(InFunction("  let = 1;"), {{2, 7, "expected identifier, found '='"}});
}

TEST(ParseErrorTest, KeywordIsNotAName) {
  ExpectErrors(InFunction("  var in = 1;"), {{2, 7, "expected identifier, found keyword 'in'"}});
}

TEST(ParseErrorTest, UnclosedParenthesis) {
  ExpectErrors(InFunction("  let y = (a + b;"), {{2, 17, "expected ')', found ';'"}});
}

TEST(ParseErrorTest, MissingArrowBeforeResultType) {
  ExpectErrors("fn f() f32 { return 1.0; }", {{1, 8, "expected '->', found keyword 'f32'"}});
}

TEST(ParseErrorTest, MissingColonInParameter) {
  ExpectErrors("fn f(x f32) -> f32 { return x; }", {{1, 8, "expected ':', found keyword 'f32'"}});
}

TEST(ParseErrorTest, UnknownTypeName) {
  ExpectErrors("fn f(x: f64) -> f32 { return x; }", {{1, 9, "found identifier 'f64'"}});
}

TEST(ParseErrorTest, IfConditionWithoutBraces) {
  ExpectErrors(InFunction("  if c return 1;"), {{2, 8, "expected '{', found keyword 'return'"}});
}

TEST(ParseErrorTest, ElseWithoutBlock) {
  ExpectErrors(InFunction("  if c { } else return 1;"), {{2, 17, "found keyword 'return'"}});
}

TEST(ParseErrorTest, StatementCannotStartWithALiteral) {
  ExpectErrors(InFunction("  42;"), {{2, 3, "found integer literal '42'"}});
}

TEST(ParseErrorTest, ExpressionIsNotAStatement) {
  // `x` may start an assignment or a comprehension; '+' is the first token
  // that cannot continue either.
  ExpectErrors(InFunction("  x + 1;"), {{2, 5, "found '+'"}});
  ExpectErrors(InFunction("  f(x);"), {{2, 4, "found '('"}});
}

TEST(ParseErrorTest, StatementAtModuleLevel) {
  testing::ModuleResult r = ExpectErrors("let x = 1;\nfn g() -> f32 { return 2.0; }",
                                         {{1, 1, "expected 'fn' or 'const', found keyword 'let'"}});
  EXPECT_NE(testing::FindFn(*r.module, "g"), nullptr) << PrintModule(*r.module);
}

TEST(ParseErrorTest, StrayClosingBraceAtModuleLevel) {
  testing::ModuleResult r = ExpectErrors("fn f() -> f32 { return 1.0; }\n}\nconst C = 1;",
                                         {{2, 1, "expected 'fn' or 'const', found '}'"}});
  EXPECT_EQ(testing::ItemNames(*r.module), (std::vector<std::string>{"f", "C"}));
}

TEST(ParseErrorTest, MissingSemicolonAfterConst) {
  testing::ModuleResult r = ExpectErrors("const N = 4\nfn f() -> f32 { return 1.0; }",
                                         {{1, 12, "expected ';', found keyword 'fn'"}});
  EXPECT_NE(testing::FindFn(*r.module, "f"), nullptr) << PrintModule(*r.module);
}

TEST(ParseErrorTest, UnclosedBlockAtEndOfFile) {
  ExpectErrors("fn f() -> f32 {\n  return 1.0;\n", {{2, 14, "found end of file"}});
}

TEST(ParseErrorTest, ComprehensionIndexMustBeAName) {
  ExpectErrors(InFunction("  y[i + 1] = x[i];"), {{2, 7, "found '+'"}});
}

TEST(ParseErrorTest, ComprehensionWithoutReductionOperator) {
  ExpectErrors(InFunction("  y[i] x[i];"), {{2, 8, "found identifier 'x'"}});
}

TEST(ParseErrorTest, WhereRangeWithoutIn) {
  ExpectErrors(InFunction("  y[i] += x[i, k] where k 0..K;"),
               {{2, 27, "expected keyword 'in', found integer literal '0'"}});
}

TEST(ParseErrorTest, WhereRangeWithoutUpperBound) {
  ExpectErrors(InFunction("  y[i] += x[i, k] where k in 0..;"),
               {{2, 33, "expected expression, found ';'"}});
}

TEST(ParseErrorTest, LexicalAndSyntaxErrorsAreBothReported) {
  // The too-large literal is still an integer token: the parser does not
  // report it again.
  ExpectErrors(InFunction("  let x = 99999999999999999999;\n  let y = ;"),
               {{2, 11, "is too large for 64 bits"}, {3, 11, "expected expression, found ';'"}});
}

TEST(ParseErrorTest, SkippedCharacterLeavesTwoAdjacentOperands) {
  ExpectErrors(
      InFunction("  let x = 1 $ 2;"),
      {{2, 13, "unexpected character '$'"}, {2, 15, "expected ';', found integer literal '2'"}});
}

// ---------------------------------------------------------------- recovery

TEST(ParseRecoveryTest, ReportsAnErrorInEveryItem) {
  ExpectErrors(
      "fn a() -> f32 {\n"
      "  let x = ;\n"
      "  return x;\n"
      "}\n"
      "fn b(x: f32) -> f32 {\n"
      "  return x +;\n"
      "}\n"
      "const C = 3\n"
      "fn c() -> f32 { return 1.0; }\n",
      {{2, 11, "expected expression, found ';'"},
       {6, 13, "expected expression, found ';'"},
       {8, 12, "expected ';', found keyword 'fn'"}});
}

TEST(ParseRecoveryTest, SeveralErrorsInOneBlock) {
  ExpectErrors(InFunction("  let a = ;\n  let b = 1 +;\n  c = ;\n  return );"),
               {{2, 11, "expected expression, found ';'"},
                {3, 14, "expected expression, found ';'"},
                {4, 7, "expected expression, found ';'"},
                {5, 10, "expected expression, found ')'"}});
}

TEST(ParseRecoveryTest, ABraceGroupMetWhileSkippingIsSkippedWhole) {
  // The broken for header is skipped together with its body: the error inside the body is
  // not reported, and its '}' does not end the function (handout §4.6).
  ExpectErrors(InFunction("  for k 1..2 { let a = ; }\n  let b = ;\n  return 1.0;"),
               {{2, 9, "expected keyword 'in', found integer literal '1'"},
                {3, 11, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, NestingTooDeepPointsAtTheTokenThatWouldOpenLevel257) {
  // The body is level 1 and the returned expression level 2; the k-th '!' opens level
  // 2 + k, so the 255th opens 257 and the error is at the token the parser was about to read
  // (handout §4.6): column 9 + 255.
  ExpectErrors(InFunction("  return " + std::string(300, '!') + "x;"),
               {{2, 264, "nesting too deep (limit 256)"}});
}

TEST(ParseRecoveryTest, SkipsToTheNextSemicolon) {
  ExpectErrors(
      InFunction("  let x = 1 y = 2;\n  let z = ;"),
      {{2, 13, "expected ';', found identifier 'y'"}, {3, 11, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, ResumesAtAStatementKeyword) {
  ExpectErrors(InFunction("  let x = 1\n  if c { return 1; }\n  var y = x\n  return y +;"),
               {{2, 12, "expected ';', found keyword 'if'"},
                {4, 12, "expected ';', found keyword 'return'"},
                {5, 13, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, ClosingBraceEndsTheBlock) {
  ExpectErrors(
      "fn f() -> f32 {\n  let x = (1 +\n}\nfn g() -> f32 { let y = ; }\n",
      {{3, 1, "expected expression, found '}'"}, {4, 25, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, OneErrorPerBadExpression) {
  // The missing operand is the error; the ')' that is then missing too is
  // part of the same mistake and is not reported again.
  ExpectErrors(
      InFunction("  let x = (a + ;\n  let y = f(1, ;"),
      {{2, 16, "expected expression, found ';'"}, {3, 16, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, ErrorInANestedBlockKeepsTheOuterBlock) {
  ExpectErrors(InFunction("  if c {\n    let y = 2 2;\n  }\n  let w = ;\n  return w;"),
               {{3, 15, "expected ';', found integer literal '2'"},
                {5, 11, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, ErrorInAComprehensionKeepsTheBlock) {
  ExpectErrors(
      InFunction("  y[i, j] += x[i, k] * w[k, j] where;\n  z[i] max= ;\n  return y;"),
      {{2, 37, "expected identifier, found ';'"}, {3, 13, "expected expression, found ';'"}});
}

TEST(ParseRecoveryTest, ModuleLevelGarbageSkipsToTheNextItem) {
  testing::ModuleResult r = ExpectErrors(
      "x y z ;;; }}} )))\n"
      "fn f() -> f32 { return 1.0; }\n"
      "+ - *\n"
      "const C = 2;\n",
      {{1, 1, "expected 'fn' or 'const', found identifier 'x'"},
       {3, 1, "expected 'fn' or 'const', found '+'"}});
  EXPECT_EQ(testing::ItemNames(*r.module), (std::vector<std::string>{"f", "C"}));
}

TEST(ParseRecoveryTest, BrokenFunctionHeaderSkipsToTheNextItem) {
  testing::ModuleResult r =
      ExpectErrors("fn f(x f32) -> f32 {\n  return x;\n}\nfn g() -> f32 { return 2.0; }\n",
                   {{1, 8, "expected ':', found keyword 'f32'"}});
  EXPECT_NE(testing::FindFn(*r.module, "g"), nullptr) << PrintModule(*r.module);
}

TEST(ParseRecoveryTest, ErrorLimitStopsTheParser) {
  // 30 broken functions, then a good one: the parser stops at the 20th error
  // (DiagnosticEngine's limit) and never reaches `last`.
  std::string text;
  for (int i = 0; i < 30; ++i) text += "fn f" + std::to_string(i) + "() -> f32 { return ; }\n";
  testing::ModuleResult r = testing::ParseText(text + "fn last() -> f32 { return 1.0; }\n");
  EXPECT_EQ(r.diags.error_count(), 20) << testing::DiagnosticsText(r.diags);
  EXPECT_TRUE(r.diags.ShouldStop());
  EXPECT_EQ(testing::FindFn(*r.module, "last"), nullptr)
      << "the parser went on after the error limit: " << PrintModule(*r.module);
}

// `deep` returned from one function, then an ordinary error in the next one.
// Expects only "nesting too deep" errors (if any) on line 2, then that error:
// the parser survives the deep expression and goes on with the file.
void ExpectNestingErrorThenRecovery(const std::string& deep,
                                    testing::Where where = testing::Where::current()) {
  testing::ModuleResult r = testing::ParseText(InFunction("  return " + deep + ";") +
                                               "fn g() -> f32 {\n  let y = ;\n}\n");
  std::vector<const Diagnostic*> errors = testing::SortedErrors(r.diags);
  std::string listing;
  for (const Diagnostic* e : errors) listing += testing::ErrorLine(*e) + "\n";
  bool ok = !errors.empty() && testing::Matches(*errors.back(), {5, 11, "expected expression"});
  for (size_t i = 0; ok && i + 1 < errors.size(); ++i) {
    ok = errors[i]->range.begin.line == 2 &&
         errors[i]->message.find("nesting too deep") != std::string::npos;
  }
  if (!ok) {
    testing::Fail(where,
                  "expected only 'nesting too deep' errors on line 2 (if any), then "
                  "5:11 \"expected expression, found ';'\"; actual errors:\n" +
                      listing);
  }
}

TEST(ParseRecoveryTest, HundredThousandParenthesesAreNestingTooDeep) {
  std::string deep = std::string(100000, '(') + "x" + std::string(100000, ')');
  testing::ModuleResult r = testing::ParseText(InFunction("  return " + deep + ";"));
  std::vector<const Diagnostic*> errors = testing::SortedErrors(r.diags);
  ASSERT_FALSE(errors.empty()) << "100000 nested parentheses parsed without an error";
  EXPECT_EQ(errors[0]->range.begin.line, 2u);
  EXPECT_NE(errors[0]->message.find("nesting too deep"), std::string::npos)
      << testing::ErrorLine(*errors[0]);
  ExpectNestingErrorThenRecovery(deep);
}

TEST(ParseRecoveryTest, DeepSubscriptsCallsAndListsDoNotCrash) {
  ExpectNestingErrorThenRecovery(std::string(50000, '[') + "1" + std::string(50000, ']'));
  std::string calls;
  for (int i = 0; i < 50000; ++i) calls += "f(";
  ExpectNestingErrorThenRecovery(calls + "x" + std::string(50000, ')'));
  std::string subscripts;
  for (int i = 0; i < 50000; ++i) subscripts += "a[";
  ExpectNestingErrorThenRecovery(subscripts + "i" + std::string(50000, ']'));
}

TEST(ParseRecoveryTest, DeepUnaryChainsDoNotCrash) {
  ExpectNestingErrorThenRecovery(std::string(100000, '-') + "x");
  ExpectNestingErrorThenRecovery(std::string(100000, '!') + "x");
}

TEST(ParseRecoveryTest, DeeplyNestedBlocksAreNestingTooDeep) {
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "if c { ";
  for (int i = 0; i < 1000; ++i) body += "} ";
  testing::ModuleResult r = testing::ParseText(InFunction(body));
  std::vector<const Diagnostic*> errors = testing::SortedErrors(r.diags);
  ASSERT_FALSE(errors.empty()) << "1000 nested blocks parsed without an error";
  EXPECT_NE(errors[0]->message.find("nesting too deep"), std::string::npos)
      << testing::ErrorLine(*errors[0]);
  EXPECT_LE(r.diags.error_count(), 20);
}

TEST(ParseRecoveryTest, TruncatedAndGarbageProgramsAreErrors) {
  const char* inputs[] = {
      "fn",
      "fn f",
      "fn f(",
      "fn f(x:",
      "fn f() ->",
      "fn f() -> f32",
      "fn f() -> f32 {",
      "fn f() -> f32[ {}",
      "fn f(a: f32,,) -> f32 {}",
      "const",
      "const N",
      "const N =",
      "{{{{",
      "}}}}",
      ")))(((",
      "; ; ;",
      "fn fn fn",
      "fn f() -> f32 { if }",
      "fn f() -> f32 { for }",
      "fn f() -> f32 { for i in 0.. }",
      "fn f() -> f32 { else }",
      "fn f() -> f32 { y[ }",
      "fn f() -> f32 { y[i] }",
      "fn f() -> f32 { y[i] max= where; }",
      "fn f() -> f32 { return f(,,,); }",
      "fn f() -> f32 { let x = [1, 2,; }",
      "fn f() -> f32 { let x: = 1; }",
      "fn f() -> f32 { let x = 1 } }",
  };
  for (const char* input : inputs) {
    testing::ModuleResult r = testing::ParseText(input);
    EXPECT_TRUE(r.diags.has_errors()) << "no error reported for: " << input;
  }
}

TEST(ParseRecoveryTest, RandomTokenSoupNeverCrashes) {
  const char* vocabulary[] = {"fn",   "f",   "(",     ")",  "->",     "f32", "{",   "}",
                              "let",  "x",   "=",     ";",  "[",      "]",   ",",   "if",
                              "else", "for", "in",    "..", "return", "+=",  "max", "where",
                              "1",    "2.5", "const", "@",  "-",      "!",   ":",   "i"};
  std::mt19937 random(20240601);  // fixed seed: the same inputs on every run
  int with_errors = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    size_t length = 1 + random() % 60;
    for (size_t i = 0; i < length; ++i) {
      text += vocabulary[random() % std::size(vocabulary)];
      text += ' ';
    }
    testing::ModuleResult r = testing::ParseText(text);
    with_errors += r.diags.has_errors() ? 1 : 0;
  }
  EXPECT_GT(with_errors, 250);
}

}  // namespace
}  // namespace tessel
