// Unit tests of the IR's text form (printer.cpp, parser.cpp): the round trip on every op,
// loops with phis, comprehensions and constants of every dtype; modules built in memory with
// unnamed and clashing names; located parse errors; and inputs that must never crash or hang.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/ir.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"

namespace tessel::ir {
namespace {

// ------------------------------------------------------------- helpers

struct Parsed {
  std::unique_ptr<SourceFile> file;
  DiagnosticEngine diags{100};
  std::unique_ptr<Module> module;

  std::string Report() const {
    std::string out;
    for (const Diagnostic& d : diags.diagnostics()) out += DiagnosticEngine::Format(d);
    return out;
  }
};

std::unique_ptr<Parsed> Parse(const std::string& text) {
  auto p = std::make_unique<Parsed>();
  p->file = std::make_unique<SourceFile>("test.ir", text);
  p->module = ParseModule(*p->file, p->diags);
  return p;
}

// Parses text that must be valid; prints the diagnostics otherwise.
std::unique_ptr<Module> ParseOk(const std::string& text) {
  std::unique_ptr<Parsed> p = Parse(text);
  EXPECT_NE(p->module, nullptr) << "input:\n" << text << "\nerrors:\n" << p->Report();
  EXPECT_EQ(p->diags.error_count(), 0) << p->Report();
  return std::move(p->module);
}

// Structural equality: same functions, blocks, ops, types, attributes, operands (compared by
// their position of definition), branch targets and comprehension bodies.
class StructureComparer {
 public:
  void Modules(const Module& a, const Module& b) {
    ASSERT_EQ(a.functions().size(), b.functions().size());
    for (size_t i = 0; i < a.functions().size(); ++i) {
      Functions(*a.functions()[i], *b.functions()[i]);
    }
  }

 private:
  static std::map<const Value*, int> Positions(const Function& f) {
    std::map<const Value*, int> pos;
    for (const auto& arg : f.args()) pos[arg.get()] = static_cast<int>(pos.size());
    for (const auto& block : f.blocks()) {
      for (const auto& instr : block->instrs()) pos[instr.get()] = static_cast<int>(pos.size());
    }
    return pos;
  }
  static std::map<const Block*, int> BlockPositions(const Function& f) {
    std::map<const Block*, int> pos;
    for (const auto& block : f.blocks()) pos[block.get()] = static_cast<int>(pos.size());
    return pos;
  }

  void Functions(const Function& a, const Function& b) {
    EXPECT_EQ(a.name(), b.name());
    EXPECT_EQ(a.result(), b.result());
    ASSERT_EQ(a.args().size(), b.args().size());
    for (size_t i = 0; i < a.args().size(); ++i) {
      EXPECT_EQ(a.args()[i]->type(), b.args()[i]->type()) << "argument " << i;
    }
    pos_a_ = Positions(a);
    pos_b_ = Positions(b);
    blocks_a_ = BlockPositions(a);
    blocks_b_ = BlockPositions(b);
    ASSERT_EQ(a.blocks().size(), b.blocks().size()) << "@" << a.name();
    for (size_t i = 0; i < a.blocks().size(); ++i) Blocks(*a.blocks()[i], *b.blocks()[i]);
  }

  void Blocks(const Block& a, const Block& b) {
    ASSERT_EQ(a.instrs().size(), b.instrs().size()) << "block " << a.label();
    for (size_t i = 0; i < a.instrs().size(); ++i) Instrs(*a.instrs()[i], *b.instrs()[i]);
  }

  void Instrs(const Instr& a, const Instr& b) {
    SCOPED_TRACE(PrintInstr(a));
    ASSERT_EQ(a.op(), b.op());
    if (HasResult(a.op())) {
      EXPECT_EQ(a.type(), b.type());
    }
    ASSERT_EQ(a.operands().size(), b.operands().size());
    for (size_t i = 0; i < a.operands().size(); ++i) {
      EXPECT_EQ(pos_a_.at(a.operand(i)), pos_b_.at(b.operand(i))) << "operand " << i;
    }
    ASSERT_EQ(a.blocks().size(), b.blocks().size());
    for (size_t i = 0; i < a.blocks().size(); ++i) {
      EXPECT_EQ(blocks_a_.at(a.blocks()[i]), blocks_b_.at(b.blocks()[i])) << "block " << i;
    }
    AttrsEqual(a.attrs(), b.attrs());
  }

  void AttrsEqual(const Attrs& a, const Attrs& b) {
    EXPECT_EQ(a.axes, b.axes);
    EXPECT_EQ(a.keepdims, b.keepdims);
    EXPECT_EQ(a.begin, b.begin);
    EXPECT_EQ(a.end, b.end);
    EXPECT_EQ(a.step, b.step);
    EXPECT_EQ(a.low, b.low);
    EXPECT_EQ(a.high, b.high);
    EXPECT_EQ(a.pad_value, b.pad_value);
    EXPECT_EQ(a.callee, b.callee);
    ASSERT_EQ(a.value == nullptr, b.value == nullptr);
    if (a.value) {
      EXPECT_EQ(a.value->dtype(), b.value->dtype());
      EXPECT_EQ(a.value->shape(), b.value->shape());
      EXPECT_TRUE(a.value->bytes() == b.value->bytes()) << "constant values differ";
    }
    ASSERT_EQ(a.comprehension == nullptr, b.comprehension == nullptr);
    if (a.comprehension) Comprehensions(*a.comprehension, *b.comprehension);
  }

  void Comprehensions(const Comprehension& a, const Comprehension& b) {
    EXPECT_EQ(a.reduce_kind, b.reduce_kind);
    auto ranges_equal = [](const std::vector<IndexVar>& x, const std::vector<IndexVar>& y) {
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].name != y[i].name || x[i].lo != y[i].lo || x[i].hi != y[i].hi) return false;
      }
      return true;
    };
    EXPECT_TRUE(ranges_equal(a.out, b.out));
    EXPECT_TRUE(ranges_equal(a.reduce, b.reduce));
    Exprs(*a.body, *b.body);
  }

  void Exprs(const ScalarExpr& a, const ScalarExpr& b) {
    ASSERT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.dtype, b.dtype) << "dtype of a " << static_cast<int>(a.kind) << " node";
    EXPECT_EQ(a.index, b.index);
    if (a.kind == ScalarExpr::Kind::kConst) {
      EXPECT_TRUE(std::memcmp(&a.value, &b.value, sizeof(double)) == 0 ||
                  (std::isnan(a.value) && std::isnan(b.value)))
          << a.value << " vs " << b.value;
    }
    if (a.kind == ScalarExpr::Kind::kApply) {
      EXPECT_EQ(a.op, b.op);
    }
    ASSERT_EQ(a.args.size(), b.args.size());
    for (size_t i = 0; i < a.args.size(); ++i) Exprs(*a.args[i], *b.args[i]);
  }

  std::map<const Value*, int> pos_a_, pos_b_;
  std::map<const Block*, int> blocks_a_, blocks_b_;
};

// print(m) parses back to a module structurally equal to m that prints the same text.
void ExpectRoundTrip(const Module& module) {
  std::string printed = PrintModule(module);
  std::unique_ptr<Module> reparsed = ParseOk(printed);
  ASSERT_NE(reparsed, nullptr);
  StructureComparer().Modules(module, *reparsed);
  EXPECT_EQ(PrintModule(*reparsed), printed);
}

// Parses `text`, which is written exactly as the printer writes it, and checks the round trip.
void ExpectCanonical(const std::string& text) {
  std::unique_ptr<Module> module = ParseOk(text);
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(PrintModule(*module), text);
  ExpectRoundTrip(*module);
}

// The errors of an invalid text (which must not parse).
std::vector<Diagnostic> Errors(const std::string& text) {
  std::unique_ptr<Parsed> p = Parse(text);
  EXPECT_EQ(p->module, nullptr) << "parsed although invalid:\n" << text;
  std::vector<Diagnostic> errors;
  for (const Diagnostic& d : p->diags.diagnostics()) {
    if (d.severity == Severity::kError) errors.push_back(d);
  }
  return errors;
}

// The one error of `text`, which must say `message` at `line`:`col`.
void ExpectError(const std::string& text, const std::string& message, uint32_t line, uint32_t col) {
  std::vector<Diagnostic> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u) << text;
  EXPECT_EQ(errors[0].message, message);
  EXPECT_EQ(errors[0].range.begin.line, line) << errors[0].message;
  EXPECT_EQ(errors[0].range.begin.col, col) << errors[0].message;
}

// A function around `body` (its instructions, starting in block entry).
std::string Fn(const std::string& body) {
  return "func @f(%x: f32[4], %c: bool) -> f32[4] {\nentry:\n" + body + "}\n";
}

// ------------------------------------------------------------ texts

const char kEveryOp[] =
    R"(func @every_op(%a: f32[2, 3], %b: f32[2, 3], %p: bool[2, 3], %i: i32, %v: f32[3]) -> f32[2, 3] {
entry:
  %neg = neg %a : f32[2, 3]
  %not = not %p : bool[2, 3]
  %abs = abs %a : f32[2, 3]
  %exp = exp %a : f32[2, 3]
  %log = log %a : f32[2, 3]
  %sqrt = sqrt %a : f32[2, 3]
  %rsqrt = rsqrt %a : f32[2, 3]
  %tanh = tanh %a : f32[2, 3]
  %sigmoid = sigmoid %a : f32[2, 3]
  %relu = relu %a : f32[2, 3]
  %erf = erf %a : f32[2, 3]
  %sin = sin %a : f32[2, 3]
  %cos = cos %a : f32[2, 3]
  %floor = floor %a : f32[2, 3]
  %ceil = ceil %a : f32[2, 3]
  %round = round %a : f32[2, 3]
  %sign = sign %a : f32[2, 3]
  %cast = cast %a : f16[2, 3]
  %add = add %a, %v : f32[2, 3]
  %sub = sub %a, %b : f32[2, 3]
  %mul = mul %a, %b : f32[2, 3]
  %div = div %a, %b : f32[2, 3]
  %mod = mod %a, %b : f32[2, 3]
  %fdiv = floor_div %a, %b : f32[2, 3]
  %fmod = floor_mod %a, %b : f32[2, 3]
  %pow = pow %a, %b : f32[2, 3]
  %max = maximum %a, %b : f32[2, 3]
  %min = minimum %a, %b : f32[2, 3]
  %eq = eq %a, %b : bool[2, 3]
  %ne = ne %a, %b : bool[2, 3]
  %lt = lt %a, %b : bool[2, 3]
  %le = le %a, %b : bool[2, 3]
  %gt = gt %a, %b : bool[2, 3]
  %ge = ge %a, %b : bool[2, 3]
  %and = and %p, %not : bool[2, 3]
  %or = or %p, %not : bool[2, 3]
  %sel = select %p, %a, %b : f32[2, 3]
  %t = transpose %a {perm = [1, 0]} : f32[3, 2]
  %mm = matmul %a, %t : f32[2, 2]
  %rs = reduce_sum %a {axes = [1], keepdims = true} : f32[2, 1]
  %rp = reduce_prod %a {axes = [0, 1]} : f32
  %rmax = reduce_max %a {axes = [0]} : f32[3]
  %rmin = reduce_min %a {axes = []} : f32[2, 3]
  %rmean = reduce_mean %a {axes = [1]} : f32[2]
  %amax = argmax %a {axes = [1]} : i32[2]
  %amin = argmin %a {axes = [0], keepdims = true} : i32[1, 3]
  %rsh = reshape %a : f32[3, 2]
  %bc = broadcast %v : f32[2, 3]
  %cat = concat %a, %b {axis = 0} : f32[4, 3]
  %sl = slice %a {begin = [0, 1], end = [2, 3], step = [1, 1]} : f32[2, 2]
  %pad = pad %a {low = [0, 1], high = [1, 0], value = -1.5} : f32[3, 4]
  %row = take %a, %i : f32[3]
  %upd = update_slice %a, %b, %i, %i : f32[2, 3]
  %half = constant 0.5 : f32
  %comp = comprehension(%a) [r: 0..2, s: 0..3] assign [] (mul (read %a r s) 2.0) : f32[2, 3]
  %call = call @every_op(%a, %b, %p, %i, %v) : f32[2, 3]
  %cond = constant true : bool
  cond_br %cond, then, done
then:
  br done
done:
  %phi = phi [%a, entry], [%b, then] : f32[2, 3]
  ret %phi
}
)";

const char kLoop[] = R"(func @linear(%x: f32[4, 8], %w: f32[8, 8], %b: f32[8]) -> f32[4, 8] {
entry:
  %y = comprehension(%x, %w) [n: 0..4, o: 0..8] sum [i: 0..8] (mul (read %x n i) (read %w i o)) : f32[4, 8]
  %0 = add %y, %b : f32[4, 8]
  ret %0
}

func @mlp(%x: f32[4, 8], %w: f32[3, 8, 8], %b: f32[3, 8]) -> f32[4, 8] {
entry:
  %l0 = constant 0 : i32
  %n = constant 3 : i32
  %one = constant 1 : i32
  br header
header:
  %h = phi [%x, entry], [%h.next, body] : f32[4, 8]
  %l = phi [%l0, entry], [%l.next, body] : i32
  %more = lt %l, %n : bool
  cond_br %more, body, exit
body:
  %wl = take %w, %l : f32[8, 8]
  %bl = take %b, %l : f32[8]
  %z = call @linear(%h, %wl, %bl) : f32[4, 8]
  %h.next = relu %z : f32[4, 8]
  %l.next = add %l, %one : i32
  br header
exit:
  ret %h
}
)";

const char kComprehensions[] =
    R"(func @comprehensions(%x: f32[4, 16, 16], %s: f32[4, 8, 8], %k: f16[8]) -> f32[4, 8, 8] {
entry:
  %pool = comprehension(%x) [c: 0..4, h: 0..8, v: 0..8] max [i: 0..2, j: 0..2] (read %x c (add (mul 2 h) i) (add (mul 2 v) j)) : f32[4, 8, 8]
  %window = comprehension(%x) [c: 0..4, h: 0..14] sum [r: 1..3] (read %x c (add h r) 0) : f32[4, 14]
  %mask = comprehension(%s) [h: 0..4, t: 0..8, u: 0..8] assign [] (select (gt u t) -1e30 (read %s h t u)) : f32[4, 8, 8]
  %iota = comprehension() [i: 0..8] assign [] (cast f32 i) : f32[8]
  %half = comprehension(%k) [i: 0..8] prod [j: 2..5] (add (read %k i) 1.5) : f16[8]
  %ints = comprehension() [i: 0..8] min [j: 0..3] (sub (mul i j) 7) : i8[8]
  %flags = comprehension(%x) [c: 0..4] assign [] (and (ge (read %x c 0 0) 0.0) (not (eq c 3))) : bool[4]
  %special = comprehension() [i: 0..3] assign [] (select (lt i 1) inf (select (lt i 2) -inf nan)) : f32[3]
  %typed = comprehension(%k) [i: 0..8] assign [] (add (cast f32 (mul (read %k i) 2.0)) (add (cast f32 (const f16 2.5)) (cast f32 (const i8 -3)))) : f32[8]
  %scalar = comprehension(%k) [] sum [i: 0..8] (read %k i) : f16
  ret %mask
}
)";

const char kConstants[] = R"(func @constants() -> f32 {
entry:
  %f = constant 0.5 : f32
  %tiny = constant 1e-45 : f32
  %big = constant 3.4028235e38 : f32
  %tenth = constant 0.1 : f32
  %negzero = constant -0.0 : f32
  %special = constant [inf, -inf, nan, 1e30] : f32[4]
  %matrix = constant [[1.0, 2.0], [3.0, 4.5]] : f32[2, 2]
  %h = constant [0.1, 65504.0, -2.0] : f16[3]
  %i = constant [[1, -2], [2147483647, -2147483648]] : i32[2, 2]
  %small = constant [127, -128, 0] : i8[3]
  %b = constant [[true, false, true]] : bool[1, 3]
  %t = constant true : bool
  %splat = constant 0.0 : f32[128, 128]
  %ones = constant 1 : i32[3, 2]
  %empty = constant [] : f32[0]
  %empty2 = constant [[], []] : f32[2, 0]
  %empty3 = constant [] : i32[0, 5]
  %one = constant [7] : i8[1]
  ret %f
}
)";

// ------------------------------------------------------------- round trips

TEST(IrRoundTripTest, EveryOpPrintsAsWrittenAndParsesBack) { ExpectCanonical(kEveryOp); }

TEST(IrRoundTripTest, EveryOpOfOpsDefAppearsInTheEveryOpFunction) {
  std::unique_ptr<Module> module = ParseOk(kEveryOp);
  ASSERT_NE(module, nullptr);
  std::vector<bool> seen(static_cast<size_t>(Op::kRet) + 1, false);
  for (const auto& block : module->functions()[0]->blocks()) {
    for (const auto& instr : block->instrs()) seen[static_cast<size_t>(instr->op())] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_TRUE(seen[i]) << OpMnemonic(static_cast<Op>(i)) << " is not tested";
  }
}

TEST(IrRoundTripTest, LoopWithPhisAndCalls) { ExpectCanonical(kLoop); }

TEST(IrRoundTripTest, ComprehensionsWithWhereRangesCastsAndTypedLiterals) {
  ExpectCanonical(kComprehensions);
}

TEST(IrRoundTripTest, ConstantsOfEveryDType) { ExpectCanonical(kConstants); }

TEST(IrRoundTripTest, ParsedConstantsHoldTheirValues) {
  std::unique_ptr<Module> module = ParseOk(kConstants);
  ASSERT_NE(module, nullptr);
  std::map<std::string, const Tensor*> values;
  for (const auto& instr : module->functions()[0]->entry()->instrs()) {
    if (instr->op() == Op::kConstant) values[instr->name()] = instr->attrs().value.get();
  }
  EXPECT_EQ(values["matrix"]->At({1, 1}), 4.5);
  EXPECT_EQ(values["i"]->At({1, 1}), -2147483648.0);
  EXPECT_EQ(values["small"]->At({1}), -128);
  EXPECT_EQ(values["b"]->At({0, 1}), 0);
  EXPECT_EQ(values["splat"]->size(), 128 * 128);
  EXPECT_EQ(values["splat"]->At({127, 127}), 0.0);
  EXPECT_EQ(values["tenth"]->Get(0), static_cast<double>(0.1f));
  EXPECT_TRUE(std::signbit(values["negzero"]->Get(0)));
  EXPECT_TRUE(std::isnan(values["special"]->Get(2)));
  EXPECT_EQ(values["h"]->dtype(), DType::kF16);
}

TEST(IrRoundTripTest, NumberedValuesKeepTheirNames) {
  ExpectCanonical(Fn("  %0 = neg %x : f32[4]\n  %7 = abs %0 : f32[4]\n  ret %7\n"));
}

TEST(IrRoundTripTest, CommentsAndLayoutAreIgnored) {
  std::unique_ptr<Module> module = ParseOk(
      "// a comment\nfunc @f(%x: f32[4],%c: bool)->f32[4]{ // header\n"
      "entry: %y = neg %x: f32[]  // f32[] is a scalar\n"
      "  %z = comprehension(%y) [i:0..4] assign [] (add (read %y)\n (cast f32 i)) : f32[4] "
      "ret %z }");
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(PrintModule(*module),
            "func @f(%x: f32[4], %c: bool) -> f32[4] {\nentry:\n  %y = neg %x : f32\n"
            "  %z = comprehension(%y) [i: 0..4] assign [] (add (read %y) (cast f32 i)) : f32[4]\n"
            "  ret %z\n}\n");
  ExpectRoundTrip(*module);
}

TEST(IrRoundTripTest, SliceStepDefaultsToOnes) {
  std::unique_ptr<Module> module =
      ParseOk(Fn("  %s = slice %x {begin = [1], end = [3]} : f32[2]\n  ret %x\n"));
  ASSERT_NE(module, nullptr);
  const Instr& slice = *module->functions()[0]->entry()->instrs()[0];
  EXPECT_EQ(slice.attrs().step, std::vector<int64_t>{1});
  EXPECT_EQ(PrintInstr(slice), "%s = slice %x {begin = [1], end = [3], step = [1]} : f32[2]");
}

TEST(IrRoundTripTest, LiteralsTakeTheDTypeTheirContextNeeds) {
  std::unique_ptr<Module> module = ParseOk(
      "func @f(%h: f16[4]) -> f16[4] {\nentry:\n"
      "  %y = comprehension(%h) [i: 0..4] assign [] (select (lt i 2) (add (read %h i) 1) 0.5) "
      ": f16[4]\n  ret %y\n}\n");
  ASSERT_NE(module, nullptr);
  const ScalarExpr& body =
      *module->functions()[0]->entry()->instrs()[0]->attrs().comprehension->body;
  EXPECT_EQ(body.dtype, DType::kF16);
  EXPECT_EQ(body.args[0]->dtype, DType::kBool);          // (lt i 2)
  EXPECT_EQ(body.args[0]->args[1]->dtype, DType::kI32);  // 2, beside an index
  EXPECT_EQ(body.args[1]->args[1]->dtype, DType::kF16);  // 1, beside an f16 read
  EXPECT_EQ(body.args[1]->args[1]->value, 1.0);
  EXPECT_EQ(body.args[2]->dtype, DType::kF16);  // 0.5, the result's dtype
  ExpectRoundTrip(*module);
}

// ------------------------------------------------------ built in memory

ScalarExprPtr Const(DType dtype, double value) { return MakeScalarConst(dtype, value); }
ScalarExprPtr Index(int index) { return MakeScalarIndex(index); }
ScalarExprPtr Read(int operand, DType dtype, std::vector<ScalarExprPtr> subscripts) {
  return MakeScalarRead(operand, dtype, std::move(subscripts));
}
ScalarExprPtr Apply(Op op, DType dtype, std::vector<ScalarExprPtr> args) {
  return MakeScalarApply(op, dtype, std::move(args));
}

TEST(IrPrinterTest, NamesUnnamedValuesAndSuffixesDuplicates) {
  Module module;
  Function* f = module.AddFunction("f", Type{DType::kF32, {4}});
  Argument* a0 = f->AddArg(Type{DType::kF32, {4}}, "");
  Argument* x = f->AddArg(Type{DType::kF32, {4}}, "x");
  Block* entry = f->AddBlock("");
  Block* loop = f->AddBlock("loop");
  Block* loop2 = f->AddBlock("loop");
  Type t{DType::kF32, {4}};
  Instr* sum = entry->Append(std::make_unique<Instr>(Op::kAdd, std::vector<Value*>{a0, x}, t));
  Instr* dup = entry->Append(std::make_unique<Instr>(Op::kNeg, std::vector<Value*>{sum}, t, "x"));
  Instr* expl =
      entry->Append(std::make_unique<Instr>(Op::kAbs, std::vector<Value*>{dup}, t, "x.1"));
  Instr* odd = entry->Append(std::make_unique<Instr>(Op::kExp, std::vector<Value*>{expl}, t, "h'"));
  entry->Append(std::make_unique<Instr>(Op::kBr, std::vector<Value*>{}, Type{}))->blocks() = {loop};
  loop->Append(std::make_unique<Instr>(Op::kBr, std::vector<Value*>{}, Type{}))->blocks() = {loop2};
  loop2->Append(std::make_unique<Instr>(Op::kRet, std::vector<Value*>{odd}, Type{}));
  EXPECT_EQ(PrintFunction(*f),
            "func @f(%0: f32[4], %x: f32[4]) -> f32[4] {\n"
            "bb0:\n"
            "  %1 = add %0, %x : f32[4]\n"
            "  %x.2 = neg %1 : f32[4]\n"
            "  %x.1 = abs %x.2 : f32[4]\n"
            "  %h_ = exp %x.1 : f32[4]\n"
            "  br loop\n"
            "loop:\n"
            "  br loop.1\n"
            "loop.1:\n"
            "  ret %h_\n"
            "}\n");
  EXPECT_EQ(PrintInstr(*dup), "%x.2 = neg %1 : f32[4]");
  EXPECT_EQ(NameValues(*f).at(a0), "%0");
  ExpectRoundTrip(module);
}

TEST(IrPrinterTest, InstrOutsideAFunctionUsesNamesAsTheyAre) {
  Argument x(Type{DType::kF32, {}}, "x", 0);
  Instr neg(Op::kNeg, {&x}, Type{DType::kF32, {}});
  EXPECT_EQ(PrintInstr(neg), "%? = neg %x : f32");
}

TEST(IrPrinterTest, FormatsFloatsShortestWithAPointOrExponent) {
  EXPECT_EQ(FormatFloat(2.0), "2.0");
  EXPECT_EQ(FormatFloat(0.5), "0.5");
  EXPECT_EQ(FormatFloat(-1e30), "-1e30");
  EXPECT_EQ(FormatFloat(1e-5), "1e-5");
  EXPECT_EQ(FormatFloat(0.1), "0.1");
  EXPECT_EQ(FormatFloat(0.1f), "0.10000000149011612");
  EXPECT_EQ(FormatFloat(0.1f, DType::kF32), "0.1");
  EXPECT_EQ(FormatFloat(0.1, DType::kF16), "0.1");
  EXPECT_EQ(FormatFloat(65504.0, DType::kF16), "65504.0");
  EXPECT_EQ(FormatFloat(1e-45, DType::kF32), "1e-45");
  EXPECT_EQ(FormatFloat(-0.0), "-0.0");
  EXPECT_EQ(FormatFloat(123456789.0), "123456789.0");
  EXPECT_EQ(FormatFloat(INFINITY), "inf");
  EXPECT_EQ(FormatFloat(-INFINITY), "-inf");
  EXPECT_EQ(FormatFloat(NAN), "nan");
}

// A comprehension whose literals need every case of the printer's dtype prediction.
TEST(IrPrinterTest, WritesExplicitLiteralsOnlyWhereTheContextWouldMisreadThem) {
  Module module;
  Type t{DType::kF32, {4}};
  Function* f = module.AddFunction("f", t);
  Argument* x = f->AddArg(t, "x");
  Block* entry = f->AddBlock("entry");
  auto c = std::make_shared<Comprehension>();
  c->out = {{"n", 0, 4}};
  c->reduce_kind = ReduceKind::kSum;
  c->reduce = {{"k", 1, 3}};
  ScalarExprPtr read = Read(0, DType::kF32, {Index(0)});
  c->body = Apply(Op::kSelect, DType::kF32,
                  {Apply(Op::kLt, DType::kBool, {Index(1), Const(DType::kI8, 2)}),  // typed i8
                   Apply(Op::kAdd, DType::kF32, {read, Const(DType::kF32, 2)}),     // 2.0
                   Apply(Op::kAdd, DType::kF32,
                         {Const(DType::kF32, 0.1),  // 0.1
                          Apply(Op::kCast, DType::kF32,
                                {Apply(Op::kAdd, DType::kI32,
                                       {Const(DType::kI32, 1),  // 1
                                        Const(DType::kI32, 2)})})})});
  Instr* comp =
      entry->Append(std::make_unique<Instr>(Op::kComprehension, std::vector<Value*>{x}, t, "y"));
  comp->attrs().comprehension = c;
  entry->Append(std::make_unique<Instr>(Op::kRet, std::vector<Value*>{comp}, Type{}));
  EXPECT_EQ(PrintInstr(*comp),
            "%y = comprehension(%x) [n: 0..4] sum [k: 1..3] (select (lt k (const i8 2)) "
            "(add (read %x n) 2.0) (add 0.1 (cast f32 (add 1 2)))) : f32[4]");
  EXPECT_EQ(PrintScalarExpr(*c->body->args[0], *c, *comp), "(lt k (const i8 2))");
  ExpectRoundTrip(module);
}

TEST(IrPrinterTest, ConstantsRoundTripExactly) {
  Module module;
  Function* f = module.AddFunction("f", Type{DType::kF32, {}});
  Block* entry = f->AddBlock("entry");
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-1000, 1000);
  for (DType dtype : {DType::kF32, DType::kF16, DType::kI32, DType::kI8, DType::kBool}) {
    std::vector<double> values;
    for (int i = 0; i < 24; ++i) values.push_back(uniform(rng) * (i % 3 == 0 ? 1e-6 : 1));
    auto tensor = std::make_shared<Tensor>(Tensor::FromValues(dtype, {2, 3, 4}, values));
    Instr* c = entry->Append(
        std::make_unique<Instr>(Op::kConstant, std::vector<Value*>{}, Type{dtype, {2, 3, 4}}));
    c->attrs().value = tensor;
  }
  entry->Append(std::make_unique<Instr>(
      Op::kRet, std::vector<Value*>{entry->instrs().front().get()}, Type{}));
  ExpectRoundTrip(module);
}

// ------------------------------------------------------------- source locations

const char kLocated[] = R"(func @f(%x: f32[4], %c: bool) -> f32[4] {
entry:
  %y = relu %x : f32[4] loc("examples/model.tsl":12:5)
  cond_br %c, a, b loc("examples/model.tsl":13:3)
a:
  %z = neg %y : f32[4]
  br b loc("dir with \"quotes\".tsl":1:1)
b:
  %w = phi [%y, entry], [%z, a] : f32[4] loc("examples/model.tsl":13:3)
  ret %w loc("examples/model.tsl":16:3)
}
)";

TEST(IrLocationTest, LocationsPrintAsWrittenAndParseBack) {
  std::unique_ptr<Module> module = ParseOk(kLocated);
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(PrintModule(*module, {.locations = true}), kLocated);
  const Instr& relu = *module->functions()[0]->entry()->instrs()[0];
  EXPECT_EQ(relu.loc(), (Loc{"examples/model.tsl", 12, 5}));
  EXPECT_EQ(relu.loc().ToString(), "examples/model.tsl:12:5");
  const Instr& br = *module->functions()[0]->blocks()[1]->instrs()[1];
  EXPECT_EQ(br.loc().file, "dir with \"quotes\".tsl");
}

TEST(IrLocationTest, PlainPrintingLeavesThemOut) {
  std::unique_ptr<Module> module = ParseOk(kLocated);
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(PrintModule(*module).find("loc("), std::string::npos);
  EXPECT_FALSE(module->functions()[0]->blocks()[1]->instrs()[0]->loc().known());
}

TEST(IrLocationTest, FillMissingLocationsTakesTheNextKnownOneInTheBlock) {
  std::unique_ptr<Module> module = ParseOk(kLocated);
  ASSERT_NE(module, nullptr);
  FillMissingLocations(*module->functions()[0]);
  EXPECT_EQ(module->functions()[0]->blocks()[1]->instrs()[0]->loc().line, 1u);  // %z: the br's
}

TEST(IrLocationTest, MalformedLocationsAreLocatedErrors) {
  ExpectError(Fn("  %y = relu %x : f32[4] loc(\"m.tsl\":3)\n  ret %y\n"),
              "expected ':' and the column, found ')'", 3, 38);
  ExpectError(Fn("  %y = relu %x : f32[4] loc(\"m.tsl:3:4)\n  ret %y\n"),
              "unterminated string: a '\"' is missing before the line ends", 3, 29);
  ExpectError(Fn("  %y = relu %x : f32[4] loc(\"m.tsl\":0:4)\n  ret %y\n"),
              "a line or column starts at 1", 3, 37);
}

// ------------------------------------------------------------- errors

TEST(IrParseErrorTest, UnknownOp) {
  ExpectError(Fn("  %y = frobnicate %x : f32[4]\n  ret %y\n"), "unknown op 'frobnicate'", 3, 8);
}

TEST(IrParseErrorTest, UndefinedValue) {
  ExpectError(Fn("  ret %nope\n"), "use of undefined value '%nope'", 3, 7);
}

TEST(IrParseErrorTest, DuplicateDefinition) {
  std::unique_ptr<Parsed> p =
      Parse(Fn("  %y = neg %x : f32[4]\n  %y = abs %x : f32[4]\n  ret %y\n"));
  EXPECT_EQ(p->module, nullptr);
  ASSERT_EQ(p->diags.diagnostics().size(), 2u) << p->Report();
  EXPECT_EQ(p->diags.diagnostics()[0].message, "redefinition of '%y'");
  EXPECT_EQ(p->diags.diagnostics()[0].range.begin.line, 4u);
  EXPECT_EQ(p->diags.diagnostics()[1].message, "previous definition is here");
  EXPECT_EQ(p->diags.diagnostics()[1].range.begin.line, 3u);
}

TEST(IrParseErrorTest, ArgumentRedefinedByAnInstruction) {
  ExpectError(Fn("  %x = neg %x : f32[4]\n  ret %x\n"), "redefinition of '%x'", 3, 3);
}

TEST(IrParseErrorTest, UnknownBlockLabel) {
  ExpectError(Fn("  cond_br %c, entry, nowhere\n"), "unknown block label 'nowhere'", 3, 22);
}

TEST(IrParseErrorTest, DuplicateBlockLabel) {
  std::vector<Diagnostic> errors = Errors(Fn("  br entry\nentry:\n  ret %x\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "redefinition of block 'entry'");
}

TEST(IrParseErrorTest, MissingTypeIsReportedAtTheEndOfTheLine) {
  ExpectError(Fn("  %y = neg %x\n  ret %y\n"), "expected ':' and the result type, found 'ret'", 3,
              14);
}

TEST(IrParseErrorTest, WrongOperandCount) {
  ExpectError(Fn("  %y = add %x : f32[4]\n  ret %y\n"), "'add' takes 2 operands, found 1", 3, 8);
  ExpectError(Fn("  %y = neg %x, %x : f32[4]\n  ret %y\n"), "'neg' takes 1 operand, found 2", 3, 8);
  ExpectError(Fn("  ret\n"), "'ret' takes 1 operand, found 0", 3, 3);
}

TEST(IrParseErrorTest, ComprehensionReadsAValueThatIsNotItsOperand) {
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] assign [] (read %c) : f32[4]\n  ret %y\n"),
              "the comprehension reads '%c', which is not one of its operands (%x)", 3, 52);
}

TEST(IrParseErrorTest, ComprehensionUsesAnUndefinedIndexVariable) {
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] assign [] (read %x j) : f32[4]\n  ret %y\n"),
              "undefined index variable 'j'", 3, 55);
}

TEST(IrParseErrorTest, ReadWithTheWrongNumberOfSubscripts) {
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] assign [] (read %x i i) : f32[4]\n  ret %y\n"),
              "'%x' has type f32[4]: a read needs 1 subscript, found 2", 3, 52);
}

TEST(IrParseErrorTest, MalformedTypes) {
  ExpectError(Fn("  %y = neg %x : f64[4]\n  ret %y\n"),
              "expected a type such as 'f32[4, 8]' (f32, f16, i32, i8 or bool), found 'f64'", 3,
              17);
  ExpectError(Fn("  %y = neg %x : f32[4 8]\n  ret %y\n"), "expected ',' or ']', found '8'", 3, 23);
  ExpectError(Fn("  %y = neg %x : f32[-1]\n  ret %y\n"),
              "expected a dimension (an integer >= 0), found '-1'", 3, 21);
  ExpectError(Fn("  %y = neg %x : f32[4,\n  ret %y\n"),
              "expected a dimension (an integer >= 0), found 'ret'", 3, 23);
  ExpectError("func @f() -> f32[99999999999999999999] {\nentry:\n}\n",
              "integer '99999999999999999999' is out of range", 1, 18);
  ExpectError("func @f() -> f32[1000000000, 1000000000, 1000000000] {\nentry:\n}\n",
              "type f32[1000000000, 1000000000, 1000000000] has too many elements", 1, 17);
}

TEST(IrParseErrorTest, Garbage) {
  std::vector<Diagnostic> errors = Errors("$$$ hello ^^^ world");
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unexpected character '$'");
  errors = Errors("hello world");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected 'func @name(...)', found 'hello'");
  errors = Errors(Fn("  %y = neg %x : f32[4] ]]] abc\n  ret %y\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected an instruction, found ']'");
  errors = Errors(Fn("  %y = neg 12ab : f32[4]\n  ret %y\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "malformed number '12ab'");
  errors = Errors(std::string("\x01\xff\xfe", 3));
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unexpected character '\\x01'");
}

TEST(IrParseErrorTest, ReportsSeveralErrorsInOneFile) {
  std::vector<Diagnostic> errors =
      Errors(Fn("  %a = frob %x : f32[4]\n  %b = neg %x\n  %c = add %x, %x, %x : f32[4]\n"
                "  %d = neg %x : f32[4]\n  br nowhere\n") +
             "func @g() -> f32 {\nentry:\n  ret %undefined\n}\n");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].message, "unknown op 'frob'");
  EXPECT_EQ(errors[1].message, "expected ':' and the result type, found '%c'");
  EXPECT_EQ(errors[2].message, "'add' takes 2 operands, found 3");
  EXPECT_EQ(errors[3].message, "unknown block label 'nowhere'");
  EXPECT_EQ(errors[4].message, "use of undefined value '%undefined'");
}

TEST(IrParseErrorTest, MissingClosingBrace) {
  std::vector<Diagnostic> errors = Errors(
      "func @f() -> f32 {\nentry:\n  %c = constant 1.0 : f32\n  ret %c\n"
      "func @g() -> f32 {\nentry:\n  %c = constant 1.0 : f32\n  ret %c\n}\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected '}' at the end of function @f, found 'func'");
  EXPECT_EQ(errors[0].range.begin.line, 4u);
}

TEST(IrParseErrorTest, CallOfAnUndefinedFunction) {
  ExpectError(Fn("  %y = call @missing(%x) : f32[4]\n  ret %y\n"),
              "call of undefined function '@missing'", 3, 13);
}

TEST(IrParseErrorTest, RedefinedFunction) {
  std::string f = "func @f() -> f32 {\nentry:\n  %c = constant 1.0 : f32\n  ret %c\n}\n";
  ExpectError(f + f, "redefinition of function '@f'", 6, 6);
}

TEST(IrParseErrorTest, BadConstants) {
  ExpectError(Fn("  %k = constant [1, 2] : i32[3]\n  ret %x\n"),
              "expected 3 elements in dimension 0, found 2", 3, 17);
  ExpectError(Fn("  %k = constant [[1], [2, 3]] : i32[2, 1]\n  ret %x\n"),
              "expected 1 elements in dimension 1, found 2", 3, 23);
  ExpectError(Fn("  %k = constant [1, 2] : i32\n  ret %x\n"),
              "expected a number, found a list: the constant has more dimensions than its type", 3,
              17);
  ExpectError(Fn("  %k = constant 300 : i8\n  ret %x\n"), "'300' is out of range for i8", 3, 17);
  ExpectError(Fn("  %k = constant 1.5 : i32\n  ret %x\n"),
              "expected an integer in an i32 constant, found '1.5'", 3, 17);
  ExpectError(Fn("  %k = constant 1 : bool\n  ret %x\n"),
              "expected true or false in a bool constant, found '1'", 3, 17);
  ExpectError(Fn("  %k = constant 1e39 : f32\n  ret %x\n"), "'1e39' is out of range for f32", 3,
              17);
  ExpectError(Fn("  %k = constant 70000 : f16\n  ret %x\n"), "'70000' is out of range for f16", 3,
              17);
  ExpectError(Fn("  %k = constant 0.0 : f32[100000, 100000]\n  ret %x\n"),
              "constant of type f32[100000, 100000] is too large to write as text", 3, 17);
}

TEST(IrParseErrorTest, TerminatorsHaveNoResult) {
  ExpectError(Fn("  %r = ret %x\n"), "'ret' has no result", 3, 3);
  ExpectError(Fn("  ret %x : f32[4]\n"), "'ret' has no result, so no type", 3, 10);
}

TEST(IrParseErrorTest, Attributes) {
  ExpectError(Fn("  %y = reduce_sum %x : f32\n  ret %x\n"),
              "'reduce_sum' needs the attribute 'axes'", 3, 8);
  ExpectError(Fn("  %y = reduce_sum %x {axis = 0} : f32\n  ret %x\n"),
              "unknown attribute 'axis' for 'reduce_sum' (it takes axes, keepdims)", 3, 23);
  ExpectError(Fn("  %y = neg %x {axes = [0]} : f32[4]\n  ret %x\n"), "'neg' takes no attributes", 3,
              15);
  ExpectError(Fn("  %y = transpose %x {perm = [0], perm = [0]} : f32[4]\n  ret %x\n"),
              "duplicate attribute 'perm'", 3, 34);
  ExpectError(Fn("  %y = reduce_max %x {axes = [0], keepdims = 1} : f32[1]\n  ret %x\n"),
              "expected true or false, found '1'", 3, 46);
}

TEST(IrParseErrorTest, InstructionBeforeTheFirstLabel) {
  ExpectError("func @f(%x: f32) -> f32 {\n  ret %x\n}\n",
              "expected a block label such as 'entry:' before the first instruction", 2, 3);
}

TEST(IrParseErrorTest, ComprehensionShapes) {
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] assign [j: 0..2] (read %x i) : f32[4]\n"
                 "  ret %y\n"),
              "an assign comprehension has no reduction indices", 3, 36);
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] sum [i: 0..2] (read %x i) : f32[4]\n"
                 "  ret %y\n"),
              "duplicate index variable 'i'", 3, 41);
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] assign [] (matmul i i) : f32[4]\n"
                 "  ret %y\n"),
              "'matmul' cannot appear in a comprehension body (only elementwise ops, read, cast "
              "and const)",
              3, 47);
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] assign [] (add i) : f32[4]\n  ret %y\n"),
              "'add' takes 2 operands, found 1", 3, 47);
  ExpectError(Fn("  %y = comprehension(%x) [i: 0..4] avg [] i : f32[4]\n  ret %y\n"),
              "expected a reduction kind (assign, sum, prod, max or min), found 'avg'", 3, 36);
}

TEST(IrParseErrorTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "(neg ";
  std::vector<Diagnostic> errors =
      Errors(Fn("  %y = comprehension(%x) [i: 0..4] assign [] " + deep + "\n  ret %x\n"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].message, "comprehension body nested too deeply");
  std::string list(100000, '[');
  errors = Errors(Fn("  %k = constant " + list + "\n  ret %x\n"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].message, "constant nested too deeply");
}

TEST(IrParseErrorTest, StopsAtTheErrorLimit) {
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "  %y" + std::to_string(i) + " = frob %x : f32[4]\n";
  auto p = std::make_unique<Parsed>();
  p->file = std::make_unique<SourceFile>("test.ir", Fn(body));
  DiagnosticEngine diags(20);
  EXPECT_EQ(ParseModule(*p->file, diags), nullptr);
  EXPECT_EQ(diags.error_count(), 20);
}

// Every prefix of a valid text, and many random edits of it, either parse or report errors:
// no crash, no hang, and whatever parses prints and parses back to the same text.
void ExpectParsesOrFailsCleanly(const std::string& text) {
  std::unique_ptr<Parsed> p = Parse(text);
  if (p->module == nullptr) {
    EXPECT_TRUE(p->diags.has_errors()) << text;
    return;
  }
  std::string printed = PrintModule(*p->module);
  std::unique_ptr<Parsed> again = Parse(printed);
  ASSERT_NE(again->module, nullptr) << "input:\n"
                                    << text << "\nprinted:\n"
                                    << printed << "\nerrors:\n"
                                    << again->Report();
  EXPECT_EQ(PrintModule(*again->module), printed) << text;
}

TEST(IrParseErrorTest, EveryPrefixOfAValidTextFailsCleanly) {
  std::string text = std::string(kLoop) + kComprehensions;
  for (size_t n = 0; n < text.size(); n += 3) ExpectParsesOrFailsCleanly(text.substr(0, n));
}

TEST(IrParseErrorTest, RandomEditsFailCleanly) {
  std::string text = std::string(kEveryOp) + kConstants + kComprehensions;
  const std::string pieces[] = {"%",  "@", "(",  ")", "[",     "]",   "{", "}",  ",",    ":",  "=",
                                "..", "-", "->", "0", "-1e30", "inf", "x", "\n", "\x80", "f32"};
  std::mt19937 rng(1234);
  for (int round = 0; round < 800; ++round) {
    std::string edited = text;
    for (int k = 0; k < 3; ++k) {
      size_t at = rng() % edited.size();
      switch (rng() % 3) {
        case 0:
          edited.erase(at, 1 + rng() % 4);
          break;
        case 1:
          edited.insert(at, pieces[rng() % std::size(pieces)]);
          break;
        case 2:
          edited[at] = static_cast<char>(rng() % 128);
          break;
      }
    }
    SCOPED_TRACE(edited);
    ExpectParsesOrFailsCleanly(edited);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace tessel::ir
