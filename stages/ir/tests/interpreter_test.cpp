// Unit tests of Interpret (stages/ir/interpreter.cpp): control flow, phis,
// calls, and the runtime errors, each naming the function and the instruction.
// Functions are built with the C++ API of ir.h; the IR text of each is in its
// comment. Expected values are hand-computed.
#include <gtest/gtest.h>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/parser.h"
#include "stages/ir/tests/interpreter_test_util.h"
#include "stages/ir/verifier.h"

namespace tessel::ir {
namespace {

using testing::ExpectTensor;
using testing::F32;
using testing::I32;

const Type kI32{DType::kI32, {}};
const Type kBool{DType::kBool, {}};

// ------------------------------------------------------- building functions

Instr* Emit(Block* block, Op op, std::vector<Value*> operands, Type type, std::string name) {
  return block->Append(std::make_unique<Instr>(op, std::move(operands), std::move(type),
                                               std::move(name)));
}

Instr* Constant(Block* block, const Tensor& value, std::string name) {
  Instr* instr = Emit(block, Op::kConstant, {}, testing::TypeOf(value), std::move(name));
  instr->attrs().value = std::make_shared<const Tensor>(value);
  return instr;
}

Instr* IntConstant(Block* block, double value, std::string name) {
  return Constant(block, I32({}, {value}), std::move(name));
}

void Br(Block* block, Block* target) {
  Emit(block, Op::kBr, {}, Type{}, "")->blocks() = {target};
}

void CondBr(Block* block, Value* cond, Block* if_true, Block* if_false) {
  Emit(block, Op::kCondBr, {cond}, Type{}, "")->blocks() = {if_true, if_false};
}

void Ret(Block* block, Value* value) { Emit(block, Op::kRet, {value}, Type{}, ""); }

/// A phi whose incoming values are filled in later with SetIncoming.
Instr* Phi(Block* block, Type type, std::string name) {
  return Emit(block, Op::kPhi, {}, std::move(type), std::move(name));
}

void SetIncoming(Instr* phi, std::vector<std::pair<Value*, Block*>> incoming) {
  for (auto& [value, from] : incoming) {
    phi->add_operand(value);
    phi->blocks().push_back(from);
  }
}

Instr* Call(Block* block, const std::string& callee, std::vector<Value*> args, Type type,
            std::string name) {
  Instr* instr = Emit(block, Op::kCall, std::move(args), std::move(type), std::move(name));
  instr->attrs().callee = callee;
  return instr;
}

/// Runs `fn` and expects success.
Tensor RunOk(const Module& module, const Function& fn, const std::vector<Tensor>& args,
             InterpreterOptions options = {}) {
  std::string error;
  std::optional<Tensor> result = Interpret(module, fn, args, &error, options);
  EXPECT_TRUE(result.has_value()) << error;
  return result.value_or(Tensor());
}

/// Runs `fn` and expects an error, which it returns.
std::string RunError(const Module& module, const Function& fn, const std::vector<Tensor>& args,
                     InterpreterOptions options = {}) {
  std::string error;
  std::optional<Tensor> result = Interpret(module, fn, args, &error, options);
  EXPECT_FALSE(result.has_value());
  return error;
}

// -------------------------------------------------------------- programs

// func @count(%n: i32) -> i32 {
// entry:
//   %zero = constant 0 : i32
//   %one = constant 1 : i32
//   br loop
// loop:
//   %i = phi [%zero, entry], [%i1, body]
//   %s = phi [%zero, entry], [%s1, body]
//   %c = lt %i, %n : bool
//   cond_br %c, body, exit
// body:
//   %s1 = add %s, %i : i32
//   %i1 = add %i, %one : i32
//   br loop
// exit:
//   ret %s
// }
Function* BuildCountingLoop(Module& module) {
  Function* fn = module.AddFunction("count", kI32);
  Argument* n = fn->AddArg(kI32, "n");
  Block *entry = fn->AddBlock("entry"), *loop = fn->AddBlock("loop");
  Block *body = fn->AddBlock("body"), *exit = fn->AddBlock("exit");
  Instr* zero = IntConstant(entry, 0, "zero");
  Instr* one = IntConstant(entry, 1, "one");
  Br(entry, loop);
  Instr* i = Phi(loop, kI32, "i");
  Instr* s = Phi(loop, kI32, "s");
  CondBr(loop, Emit(loop, Op::kLt, {i, n}, kBool, "c"), body, exit);
  Instr* s1 = Emit(body, Op::kAdd, {s, i}, kI32, "s1");
  Instr* i1 = Emit(body, Op::kAdd, {i, one}, kI32, "i1");
  Br(body, loop);
  Ret(exit, s);
  SetIncoming(i, {{zero, entry}, {i1, body}});
  SetIncoming(s, {{zero, entry}, {s1, body}});
  return fn;
}

TEST(InterpretTest, CountingLoopSumsZeroToNine) {
  Module module;
  Function* fn = BuildCountingLoop(module);
  // 0 + 1 + ... + 9 = 45; no iteration at all gives 0
  ExpectTensor(RunOk(module, *fn, {I32({}, {10})}), I32({}, {45}));
  ExpectTensor(RunOk(module, *fn, {I32({}, {0})}), I32({}, {0}));
}

// Phis read every incoming value before assigning any. The loop block is
// entered twice, the second time swapping (a, b) = (b, a): (1, 2) becomes
// (2, 1) and the function returns a * 10 + b = 21. Phis assigned one after the
// other would give a = 2, then b = (new a) = 2, and 22.
// loop:  %i = phi [%zero, entry], [%i1, loop]
//        %a = phi [%one, entry], [%b, loop]
//        %b = phi [%two, entry], [%a, loop]
//        %i1 = add %i, %one : i32;  %c = lt %i1, %two : bool;  cond_br %c, loop, exit
// exit:  %a10 = mul %a, %ten : i32;  %r = add %a10, %b : i32;  ret %r
TEST(InterpretTest, PhisAreEvaluatedTogether) {
  Module module;
  Function* fn = module.AddFunction("swap", kI32);
  Block *entry = fn->AddBlock("entry"), *loop = fn->AddBlock("loop");
  Block* exit = fn->AddBlock("exit");
  Instr* zero = IntConstant(entry, 0, "zero");
  Instr* one = IntConstant(entry, 1, "one");
  Instr* two = IntConstant(entry, 2, "two");
  Instr* ten = IntConstant(entry, 10, "ten");
  Br(entry, loop);
  Instr* i = Phi(loop, kI32, "i");
  Instr* a = Phi(loop, kI32, "a");
  Instr* b = Phi(loop, kI32, "b");
  Instr* i1 = Emit(loop, Op::kAdd, {i, one}, kI32, "i1");
  CondBr(loop, Emit(loop, Op::kLt, {i1, two}, kBool, "c"), loop, exit);
  SetIncoming(i, {{zero, entry}, {i1, loop}});
  SetIncoming(a, {{one, entry}, {b, loop}});
  SetIncoming(b, {{two, entry}, {a, loop}});
  Instr* a10 = Emit(exit, Op::kMul, {a, ten}, kI32, "a10");
  Ret(exit, Emit(exit, Op::kAdd, {a10, b}, kI32, "r"));
  ExpectTensor(RunOk(module, *fn, {}), I32({}, {21}));
}

// func @abs2(%x: i32) -> i32 {
// entry:  %zero = constant 0 : i32;  %p = gt %x, %zero : bool;  cond_br %p, then, else
// then:   %d = add %x, %x : i32;  br merge
// else:   %m = neg %x : i32;  br merge
// merge:  %r = phi [%d, then], [%m, else];  ret %r
// }
TEST(InterpretTest, IfElseMerge) {
  Module module;
  Function* fn = module.AddFunction("abs2", kI32);
  Argument* x = fn->AddArg(kI32, "x");
  Block *entry = fn->AddBlock("entry"), *then = fn->AddBlock("then");
  Block *other = fn->AddBlock("else"), *merge = fn->AddBlock("merge");
  Instr* zero = IntConstant(entry, 0, "zero");
  CondBr(entry, Emit(entry, Op::kGt, {x, zero}, kBool, "p"), then, other);
  Instr* d = Emit(then, Op::kAdd, {x, x}, kI32, "d");
  Br(then, merge);
  Instr* m = Emit(other, Op::kNeg, {x}, kI32, "m");
  Br(other, merge);
  Instr* r = Phi(merge, kI32, "r");
  SetIncoming(r, {{d, then}, {m, other}});
  Ret(merge, r);
  ExpectTensor(RunOk(module, *fn, {I32({}, {3})}), I32({}, {6}));
  ExpectTensor(RunOk(module, *fn, {I32({}, {-4})}), I32({}, {4}));
}

// func @double(%v: f32[2]) -> f32[2] { entry: %d = add %v, %v : f32[2]; ret %d }
// func @main(%x: f32[2]) -> f32[2] {
// entry: %y = call @double(%x) : f32[2]; %one = constant 1.0 : f32; %z = add %y, %one; ret %z
// }
TEST(InterpretTest, CallRunsTheCallee) {
  Module module;
  Type vec{DType::kF32, {2}};
  Function* twice = module.AddFunction("double", vec);
  Argument* v = twice->AddArg(vec, "v");
  Block* body = twice->AddBlock("entry");
  Ret(body, Emit(body, Op::kAdd, {v, v}, vec, "d"));
  Function* main = module.AddFunction("main", vec);
  Argument* x = main->AddArg(vec, "x");
  Block* entry = main->AddBlock("entry");
  Instr* y = Call(entry, "double", {x}, vec, "y");
  Instr* one = Constant(entry, F32({}, {1}), "one");
  Ret(entry, Emit(entry, Op::kAdd, {y, one}, vec, "z"));
  // [1, 2] * 2 + 1 = [3, 5]
  ExpectTensor(RunOk(module, *main, {F32({2}, {1, 2})}), F32({2}, {3, 5}));
}

// func @fact(%n: i32) -> i32 {
// entry: %one = constant 1 : i32; %base = le %n, %one : bool; cond_br %base, done, step
// done:  ret %one
// step:  %m = sub %n, %one : i32; %f = call @fact(%m) : i32; %r = mul %n, %f : i32; ret %r
// }
Function* BuildFactorial(Module& module) {
  Function* fn = module.AddFunction("fact", kI32);
  Argument* n = fn->AddArg(kI32, "n");
  Block *entry = fn->AddBlock("entry"), *done = fn->AddBlock("done");
  Block* step = fn->AddBlock("step");
  Instr* one = IntConstant(entry, 1, "one");
  CondBr(entry, Emit(entry, Op::kLe, {n, one}, kBool, "base"), done, step);
  Ret(done, one);
  Instr* m = Emit(step, Op::kSub, {n, one}, kI32, "m");
  Instr* f = Call(step, "fact", {m}, kI32, "f");
  Ret(step, Emit(step, Op::kMul, {n, f}, kI32, "r"));
  return fn;
}

TEST(InterpretTest, RecursionWithinTheDepthLimit) {
  Module module;
  Function* fact = BuildFactorial(module);
  // 5! = 120; 10 nested calls under a limit of 10
  ExpectTensor(RunOk(module, *fact, {I32({}, {5})}), I32({}, {120}));
  InterpreterOptions options;
  options.max_call_depth = 10;
  ExpectTensor(RunOk(module, *fact, {I32({}, {11})}, options), I32({}, {39916800}));
}

// ----------------------------------------------------------------- IR text

/// Parses and verifies `text`; null (with a test failure) when either fails.
std::unique_ptr<Module> Parse(const std::string& text) {
  SourceFile file("test.ir", text);
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = ParseModule(file, diags);
  std::string report;
  for (const Diagnostic& d : diags.diagnostics()) report += DiagnosticEngine::Format(d);
  EXPECT_NE(module, nullptr) << report;
  if (module == nullptr) return nullptr;
  std::vector<std::string> errors;
  EXPECT_TRUE(VerifyModule(*module, &errors)) << ::testing::PrintToString(errors);
  return module;
}

TEST(InterpretTest, RunsAParsedModule) {
  auto module = Parse(R"(func @linear(%x: f32[2, 3], %w: f32[3, 2], %b: f32[2]) -> f32[2, 2] {
entry:
  %y = comprehension(%x, %w) [n: 0..2, o: 0..2] sum [i: 0..3]
           (mul (read %x n i) (read %w i o)) : f32[2, 2]
  %0 = add %y, %b : f32[2, 2]
  ret %0
}

func @main(%x: f32[2, 3], %w: f32[3, 2]) -> f32[2, 2] {
entry:
  %b = constant [1.0, -1.0] : f32[2]
  %zero = constant 0 : i32
  %one = constant 1 : i32
  %three = constant 3 : i32
  %y = call @linear(%x, %w, %b) : f32[2, 2]
  br loop
loop:
  %i = phi [%zero, entry], [%i1, loop] : i32
  %acc = phi [%y, entry], [%acc1, loop] : f32[2, 2]
  %acc1 = add %acc, %acc : f32[2, 2]
  %i1 = add %i, %one : i32
  %again = lt %i1, %three : bool
  cond_br %again, loop, done
done:
  ret %acc1
}
)");
  ASSERT_NE(module, nullptr);
  // (x @ w + b) doubled three times: ([[58, 64], [139, 154]] + [1, -1]) * 8
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6}), w = F32({3, 2}, {7, 8, 9, 10, 11, 12});
  ExpectTensor(RunOk(*module, *module->FindFunction("main"), {x, w}),
               F32({2, 2}, {472, 504, 1120, 1224}));
}

// ------------------------------------------------------------------ errors

TEST(InterpretErrorTest, CallDepthLimit) {
  Module module;
  Function* fact = BuildFactorial(module);
  InterpreterOptions options;
  options.max_call_depth = 10;
  EXPECT_EQ(RunError(module, *fact, {I32({}, {12})}, options),
            "@fact: %f = call @fact(%m) : i32: call depth limit of 10 exceeded");
  // the default limit, reached well before the C++ stack runs out
  EXPECT_EQ(RunError(module, *fact, {I32({}, {1000})}),
            "@fact: %f = call @fact(%m) : i32: call depth limit of 256 exceeded");
}

TEST(InterpretErrorTest, EndlessLoopHitsTheStepLimit) {
  // func @spin() -> i32 { entry: br loop   loop: br loop }
  Module module;
  Function* fn = module.AddFunction("spin", kI32);
  Block *entry = fn->AddBlock("entry"), *loop = fn->AddBlock("loop");
  Br(entry, loop);
  Br(loop, loop);
  InterpreterOptions options;
  options.max_steps = 1000;
  EXPECT_EQ(RunError(module, *fn, {}, options),
            "@spin: br loop: step limit of 1000 instructions reached (an endless loop?)");
}

TEST(InterpretErrorTest, StepLimitCountsCalleeSteps) {
  Module module;
  Function* fn = BuildCountingLoop(module);
  // 10 iterations take about 70 steps; 30 are not enough
  InterpreterOptions options;
  options.max_steps = 30;
  EXPECT_NE(RunError(module, *fn, {I32({}, {10})}, options).find("step limit of 30"),
            std::string::npos);
}

TEST(InterpretErrorTest, ArgumentsAreCheckedAgainstParameters) {
  Module module;
  Function* fn = BuildCountingLoop(module);
  EXPECT_EQ(RunError(module, *fn, {F32({3}, {1, 2, 3})}),
            "@count: argument 0 (%n) has type f32[3], expected i32");
  EXPECT_EQ(RunError(module, *fn, {}), "@count: expected 1 arguments, got 0");
}

TEST(InterpretErrorTest, RuntimeErrorNamesFunctionAndInstruction) {
  // func @quot(%a: i32, %b: i32) -> i32 { entry: %q = div %a, %b : i32; ret %q }
  Module module;
  Function* fn = module.AddFunction("quot", kI32);
  Argument* a = fn->AddArg(kI32, "a");
  Argument* b = fn->AddArg(kI32, "b");
  Block* entry = fn->AddBlock("entry");
  Ret(entry, Emit(entry, Op::kDiv, {a, b}, kI32, "q"));
  ExpectTensor(RunOk(module, *fn, {I32({}, {-7}), I32({}, {2})}), I32({}, {-3}));
  EXPECT_EQ(RunError(module, *fn, {I32({}, {1}), I32({}, {0})}),
            "@quot: %q = div %a, %b : i32: integer division by zero");
}

TEST(InterpretErrorTest, TakeOutOfRangeInAFunction) {
  // func @row(%x: f32[2, 2], %i: i32) -> f32[2] { entry: %r = take %x, %i : f32[2]; ret %r }
  Module module;
  Type row{DType::kF32, {2}};
  Function* fn = module.AddFunction("row", row);
  Argument* x = fn->AddArg(Type{DType::kF32, {2, 2}}, "x");
  Argument* i = fn->AddArg(kI32, "i");
  Block* entry = fn->AddBlock("entry");
  Ret(entry, Emit(entry, Op::kTake, {x, i}, row, "r"));
  EXPECT_EQ(RunError(module, *fn, {F32({2, 2}, {1, 2, 3, 4}), I32({}, {2})}),
            "@row: %r = take %x, %i : f32[2]: take index 2 is out of range for axis 0 of "
            "extent 2 in f32[2, 2]");
}

TEST(InterpretErrorTest, CalleeErrorsNameTheCallee) {
  Module module;
  Function* fn = module.AddFunction("main", kI32);
  Block* entry = fn->AddBlock("entry");
  Instr* zero = IntConstant(entry, 0, "zero");
  Ret(entry, Call(entry, "quot", {zero, zero}, kI32, "r"));
  EXPECT_EQ(RunError(module, *fn, {}),
            "@main: %r = call @quot(%zero, %zero) : i32: calls @quot, which is not defined");
  Function* quot = module.AddFunction("quot", kI32);
  Argument* a = quot->AddArg(kI32, "a");
  Argument* b = quot->AddArg(kI32, "b");
  Block* body = quot->AddBlock("entry");
  Ret(body, Emit(body, Op::kDiv, {a, b}, kI32, "q"));
  EXPECT_EQ(RunError(module, *fn, {}), "@quot: %q = div %a, %b : i32: integer division by zero");
}

TEST(InterpretErrorTest, ReturnTypeMustMatchTheFunction) {
  Module module;
  Function* fn = module.AddFunction("wrong", Type{DType::kF32, {}});
  Block* entry = fn->AddBlock("entry");
  Ret(entry, IntConstant(entry, 1, "one"));
  EXPECT_EQ(RunError(module, *fn, {}),
            "@wrong: ret %one: returns i32, but the function returns f32");
}

TEST(InterpretErrorTest, MalformedControlFlow) {
  Module module;
  // a block that falls off its end
  Function* open = module.AddFunction("open", kI32);
  IntConstant(open->AddBlock("entry"), 1, "one");
  EXPECT_EQ(RunError(module, *open, {}), "@open: block entry ends without a terminator");
  // a phi without a value for the block just left
  Function* phi = module.AddFunction("phi", kI32);
  Block *entry = phi->AddBlock("entry"), *join = phi->AddBlock("join");
  Instr* one = IntConstant(entry, 1, "one");
  Br(entry, join);
  Instr* p = Phi(join, kI32, "p");
  SetIncoming(p, {{one, join}});
  Ret(join, p);
  EXPECT_EQ(RunError(module, *phi, {}), "@phi: %p = phi [%one, join] : i32: no incoming value "
                                        "from block entry");
}

TEST(InterpretErrorTest, UnverifiedIrFailsCleanly) {
  Module module;
  // a use before the definition
  Function* early = module.AddFunction("early", kI32);
  Block* entry = early->AddBlock("entry");
  auto later = std::make_unique<Instr>(Op::kConstant, std::vector<Value*>{}, kI32, "later");
  Ret(entry, Emit(entry, Op::kNeg, {later.get()}, kI32, "a"));
  EXPECT_EQ(RunError(module, *early, {}),
            "@early: %a = neg %later : i32: uses %later before it is defined");
  // a condition that is not a scalar
  Function* vector_cond = module.AddFunction("vector_cond", kI32);
  Block *top = vector_cond->AddBlock("entry"), *out = vector_cond->AddBlock("out");
  CondBr(top, Constant(top, testing::Bool({2}, {1, 0}), "c"), out, out);
  Ret(out, IntConstant(out, 0, "zero"));
  EXPECT_EQ(RunError(module, *vector_cond, {}), "@vector_cond: cond_br %c, out, out: condition "
                                                "is not a scalar");
  // a function without blocks
  Function* empty = module.AddFunction("empty", kI32);
  EXPECT_EQ(RunError(module, *empty, {}), "@empty: has no blocks");
}

TEST(InterpretErrorTest, CallResultMustHaveTheDeclaredType) {
  Module module;
  Function* one = module.AddFunction("one", kI32);
  Block* body = one->AddBlock("entry");
  Ret(body, IntConstant(body, 1, "c"));
  Function* main = module.AddFunction("main", Type{DType::kF32, {}});
  Block* entry = main->AddBlock("entry");
  Ret(entry, Call(entry, "one", {}, Type{DType::kF32, {}}, "r"));
  EXPECT_EQ(RunError(module, *main, {}), "@main: %r = call @one() : f32: produced i32, not f32");
}

TEST(InterpretErrorTest, PhiInTheEntryBlock) {
  Module module;
  Function* fn = module.AddFunction("f", kI32);
  Block* entry = fn->AddBlock("entry");
  Instr* zero = IntConstant(entry, 0, "zero");
  Instr* p = Phi(entry, kI32, "p");
  SetIncoming(p, {{zero, entry}});
  Ret(entry, p);
  EXPECT_NE(RunError(module, *fn, {}).find("a phi after the start of its block"),
            std::string::npos);
  // the phi first: the entry block is not entered from any block
  Function* first = module.AddFunction("g", kI32);
  Block* start = first->AddBlock("entry");
  Instr* q = Phi(start, kI32, "q");
  SetIncoming(q, {{q, start}});
  Ret(start, q);
  EXPECT_EQ(RunError(module, *first, {}),
            "@g: %q = phi [%q, entry] : i32: a phi in the entry block has no value");
}

}  // namespace
}  // namespace tessel::ir
