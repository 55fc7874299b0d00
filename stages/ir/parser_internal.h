// What the files of the IR parser share (ParseModule, parser.h): the pieces an instruction is
// read into before it is built, and the Parser class, whose members are defined by topic in
//   parser.cpp               module, functions, blocks, instructions, name resolution
//   parse_attrs.cpp          the "{ axes = [0], ... }" attribute list
//   parse_types.cpp          types, integers and numbers
//   parse_constant.cpp       constant literals and the tensors they build
//   parse_comprehension.cpp  comprehension ranges and bodies, and typing the bodies
// The tokens come from text_lexer.h. Internal to stages/ir; not a public API.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/common/diagnostics.h"
#include "stages/common/source.h"
#include "stages/ir/ir.h"
#include "stages/ir/parser.h"
#include "stages/ir/printer.h"
#include "stages/ir/text_lexer.h"

namespace tessel::ir::text {

// ------------------------------------------------------ parsed pieces

// Thrown after a syntax error was reported; the block loop catches it.
struct SyntaxError {};

// A constant's value as written: a number, true/false, or a list of literals.
struct Literal {
  Token token;  // the scalar, or the '[' of a list
  bool is_list = false;
  std::vector<Literal> items;
};

// A comprehension body before typing: literals have no dtype yet.
struct RawExpr {
  enum class Kind { kLiteral, kTypedConst, kIndex, kRead, kApply, kCast };
  Kind kind = Kind::kLiteral;
  Token token;                // the literal, or where the expression starts
  DType dtype = DType::kF32;  // kTypedConst, kCast
  int index = -1;             // kIndex: variable position; kRead: operand position
  Op op = Op::kAdd;           // kApply
  std::vector<RawExpr> args;
};

struct RawComprehension {
  std::vector<IndexVar> out, reduce;
  ReduceKind kind = ReduceKind::kAssign;
  RawExpr body;
};

// A use of a value by name, resolved after the function.
struct Use {
  std::string name;
  Token token;
};

// One instruction as read, before it is built.
struct Draft {
  Token mnemonic;
  std::vector<Use> operands;
  std::vector<Token> labels;  // br/cond_br targets, phi incoming blocks
  Token callee;               // call: where the callee is named
  Attrs attrs;
  std::optional<Literal> literal;
  std::optional<RawComprehension> comprehension;
  std::vector<std::string> read_names;  // operand names a comprehension body may read
  std::optional<Placement> placement;   // place(buffer, offset) after the type, if written
  Loc loc;                              // loc("file":line:col) at the end, if written
};

struct ValueDef {
  Value* value;
  Token token;
};
struct BlockDef {
  Block* block;
  Token token;
};
struct PendingUse {
  Instr* instr;
  size_t index;
  Use use;
};
struct PendingLabel {
  Instr* instr;
  size_t slot;
  Token token;
};
struct PendingComprehension {
  Instr* instr;
  RawComprehension raw;
};

// What the parser knows about the function it is reading.
struct FunctionState {
  Function* function = nullptr;
  std::map<std::string, ValueDef> values;
  std::map<std::string, BlockDef> blocks;
  std::vector<PendingUse> uses;
  std::vector<PendingLabel> labels;
  std::vector<PendingComprehension> comprehensions;
  Block* current = nullptr;
};

inline constexpr int kMaxNesting = 200;
inline constexpr int64_t kMaxElements = int64_t{1} << 48;          // of any type
inline constexpr int64_t kMaxConstantElements = int64_t{1} << 24;  // of a constant's tensor

// The number of elements of `shape`, or nullopt when it is more than `limit`.
std::optional<int64_t> ElementCount(const Shape& shape, int64_t limit);

// ---------------------------------------------------------------- parser

class Parser {
 public:
  Parser(const SourceFile& file, std::vector<Token> tokens, DiagnosticEngine& diags,
         TextPositions* positions)
      : file_(file), tokens_(std::move(tokens)), diags_(diags), positions_(positions) {}

  /// module = { function }. The caller drops the module when errors were reported.
  std::unique_ptr<Module> Run();

 private:
  // The token cursor; the last token is kEof and the cursor never moves past it.
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Advance() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool Check(Tok kind) const { return Peek().kind == kind; }
  bool CheckWord(std::string_view word) const { return Check(Tok::kIdent) && Peek().text == word; }
  bool Match(Tok kind) {
    if (!Check(kind)) return false;
    Advance();
    return true;
  }
  const Token& Expect(Tok kind, std::string_view what) {
    if (!Check(kind)) Fail(what);
    return Advance();
  }
  [[noreturn]] void Fail(std::string_view expected);
  void Error(const Token& t, std::string message) {
    diags_.Error(file_, SourceRange{t.loc, t.end}, std::move(message));
  }
  static SourceRange RangeOf(const Token& t) { return SourceRange{t.loc, t.end}; }
  [[noreturn]] void FailAt(const Token& t, std::string message) {
    Error(t, std::move(message));
    throw SyntaxError{};
  }

  // Functions and blocks (parser.cpp).
  bool AtFunctionStart() const {
    return (CheckWord("func") || CheckWord("kernel")) && Peek(1).kind == Tok::kFunc;
  }
  void ParseFunction();
  std::vector<std::pair<Token, Type>> ParseArgs();
  KernelInfo ParseKernelInfo();
  void ParseBody(FunctionState& fs);
  void ParseLine(FunctionState& fs);
  void RecoverLine(size_t start_pos);
  void Define(FunctionState& fs, const Token& token, Value* value);

  // Instructions (parser.cpp).
  void ParseInstr(FunctionState& fs);
  void ParseInstrAfterResult(FunctionState& fs, const std::optional<Token>& result);
  Op ParseMnemonic();
  void ParseOperands(OperandForm form, Draft& d);
  std::vector<Use> ParseValueList();
  Use ParseValue() {
    const Token& t = Expect(Tok::kValue, "a value such as '%x'");
    return Use{t.name(), t};
  }
  void ParsePhiOperands(Draft& d);
  void ParseCallOperands(Draft& d);
  Loc ParseLoc();
  Placement ParsePlacement();
  Instr* Emit(FunctionState& fs, Op op, Draft& d, Type type, const std::optional<Token>& result);

  // Attributes (parse_attrs.cpp).
  void ParseAttrs(Op op, AttrForm form, Draft& d);
  void ParseAttr(AttrForm form, Draft& d, std::vector<std::string>& seen);
  void CheckAttrName(AttrForm form, const Draft& d, const Token& key,
                     const std::vector<std::string>& seen);
  void ParseAttrValue(const std::string& name, Attrs& a);
  void CheckRequiredAttrs(AttrForm form, Draft& d, const std::vector<std::string>& seen);

  // Types and numbers (parse_types.cpp).
  Type ParseType();
  DType ParseDTypeWord();
  int64_t ParseInt(std::string_view what);
  std::vector<int64_t> ParseIntList();
  double ParseNumber();
  std::optional<double> NumberValue(const Token& t);

  // Constants (parse_constant.cpp).
  Literal ParseLiteral(int depth);
  std::optional<double> ElementValue(const Token& t, DType dtype);
  bool CheckLiteralShape(const Literal& lit, const Shape& shape, size_t dim);
  void Flatten(const Literal& lit, std::vector<const Token*>& out);
  std::shared_ptr<const Tensor> BuildConstant(const Literal& lit, const Type& type);

  // Comprehensions (parse_comprehension.cpp).
  RawComprehension ParseComprehension(Draft& d);
  std::vector<IndexVar> ParseRanges(std::vector<std::string>& scope);
  ReduceKind ParseReduceKind();
  RawExpr ParseExpr(const Draft& d, const std::vector<std::string>& scope, int depth);
  RawExpr ParseCompound(const Draft& d, const std::vector<std::string>& scope, int depth);
  RawExpr ParseRead(const Draft& d, const std::vector<std::string>& scope, int depth);
  RawExpr ParseCastOrConst(const Draft& d, const std::vector<std::string>& scope, int depth);
  void ParseArgsUntilClose(const Draft& d, const std::vector<std::string>& scope, int depth,
                           RawExpr& e);

  // Resolution (parser.cpp), and typing comprehension bodies (parse_comprehension.cpp).
  void Resolve(FunctionState& fs);
  void ResolveCalls(const Module& module);
  void BuildComprehension(PendingComprehension& p);
  ScalarExprPtr BuildExpr(const RawExpr& raw, std::optional<DType> want, const Instr& owner);
  void BuildConst(const RawExpr& raw, std::optional<DType> want, ScalarExpr& e);
  void BuildRead(const RawExpr& raw, const Instr& owner, ScalarExpr& e);
  void BuildApply(const RawExpr& raw, std::optional<DType> want, const Instr& owner, ScalarExpr& e);

  const SourceFile& file_;
  std::vector<Token> tokens_;
  DiagnosticEngine& diags_;
  TextPositions* positions_;  // null: not recorded
  size_t pos_ = 0;
  std::unique_ptr<Module> module_;
  std::vector<std::pair<std::string, Token>> calls_;  // callee, where it is named
  // Every operand points here until its name is resolved (Instr forbids null operands).
  Argument placeholder_{Type{}, "<unresolved>", -1};
};

}  // namespace tessel::ir::text
