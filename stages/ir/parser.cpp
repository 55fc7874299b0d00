// The IR parser: text (docs/ir.md) -> Module; printer.cpp writes the text.
//
// Pipeline: lab tests, `--print-after` round trips and hand-written IR files come in here; the
// verifier (verifier.cpp) checks the result's types. Three steps:
//   1) Lexer (text_lexer.cpp): the whole file to tokens. Newlines are not tokens; one
//      instruction a line is the printer's layout, and error recovery skips to the next line.
//   2) Parser: recursive descent, one function per grammar rule (written above it). A syntax
//      error is reported once, as "expected X, found Y", and thrown as SyntaxError; the block
//      loop catches it and skips the rest of the line, so one run reports several errors.
//   3) Resolution, after each function: a value may be used before its definition (a phi in a
//      loop header), so operands start as a placeholder and branch targets as null, and names
//      and labels are looked up once the whole function is read. Comprehension bodies are
//      typed then too, because literals take the dtype of their context (see BuildExpr).
// This file holds the structure (module, function, block, instruction) and resolution; the
// Parser's other members live in the parse_*.cpp files listed in parser_internal.h.
#include "stages/ir/parser.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/ir/parser_internal.h"
#include "stages/ir/printer.h"
#include "stages/ir/text_lexer.h"

namespace tessel::ir {
namespace text {

// "expected X, found Y" at the unexpected token, or, when that token starts a later line, at
// the end of the previous one (where the missing piece belongs). The lexer already reported a
// kError token, so it is not reported twice.
void Parser::Fail(std::string_view expected) {
  const Token& t = Peek();
  if (t.kind == Tok::kError) throw SyntaxError{};
  std::string found = t.kind == Tok::kEof ? "end of file" : Quote(t.text);
  std::string message = "expected " + std::string(expected) + ", found " + found;
  if (pos_ > 0 && t.loc.line > tokens_[pos_ - 1].loc.line) {
    diags_.Error(file_, tokens_[pos_ - 1].end, std::move(message));
  } else {
    Error(t, std::move(message));
  }
  throw SyntaxError{};
}

std::unique_ptr<Module> Parser::Run() {
  module_ = std::make_unique<Module>();
  while (!Check(Tok::kEof) && !diags_.ShouldStop()) {
    try {
      if (!AtFunctionStart()) Fail("'func @name(...)'");
      ParseFunction();
    } catch (const SyntaxError&) {
      // Skip to the next function: a "func" word followed by "@name".
      Advance();
      while (!Check(Tok::kEof) && !AtFunctionStart()) Advance();
    }
  }
  ResolveCalls(*module_);
  return std::move(module_);
}

// function = ( "func" | "kernel" ) "@" NAME "(" [ arg { "," arg } ] ")" "->" type
//            [ kernel_info ] "{" { block } "}"        (kernel_info exactly for a kernel)
void Parser::ParseFunction() {
  bool is_kernel = Advance().text == "kernel";
  const Token& name = Advance();
  std::vector<std::pair<Token, Type>> args = ParseArgs();
  Expect(Tok::kArrow, "'->' and the result type");
  Type result = ParseType();
  std::optional<KernelInfo> kernel;
  if (is_kernel) kernel = ParseKernelInfo();
  Expect(Tok::kLBrace, "'{'");
  if (module_->FindFunction(name.name()))
    Error(name, "redefinition of function " + Quote(name.text));
  FunctionState fs;
  fs.function = module_->AddFunction(name.name(), result);
  fs.function->set_kernel(kernel);
  if (positions_) positions_->functions[fs.function] = RangeOf(name);
  for (const auto& [token, type] : args) {
    Define(fs, token, fs.function->AddArg(type, token.name()));
  }
  ParseBody(fs);
  Resolve(fs);
}

// kernel_info = "{" "pattern" "=" PATTERN "," "anchor" "=" MNEMONIC "}"
KernelInfo Parser::ParseKernelInfo() {
  KernelInfo info;
  Expect(Tok::kLBrace, "'{pattern = ..., anchor = ...}' after a kernel's result type");
  for (const char* key : {"pattern", "anchor"}) {
    const Token& word = Expect(Tok::kIdent, std::string("'") + key + "'");
    if (word.text != key)
      FailAt(word, std::string("expected '") + key + "', found " + Quote(word.text));
    Expect(Tok::kEqual, "'='");
    const Token& value =
        Expect(Tok::kIdent, key == std::string("pattern") ? "a fusion pattern such as 'elementwise'"
                                                          : "an op such as 'matmul'");
    if (key == std::string("pattern")) {
      std::optional<OpPattern> pattern = ParseOpPattern(value.text);
      if (!pattern) FailAt(value, "unknown fusion pattern " + Quote(value.text));
      info.pattern = *pattern;
      Expect(Tok::kComma, "',' and the anchor");
    } else {
      std::optional<Op> op = ParseOpMnemonic(value.text);
      if (!op) FailAt(value, "unknown op " + Quote(value.text));
      info.anchor = *op;
    }
  }
  Expect(Tok::kRBrace, "'}'");
  return info;
}

// "(" [ arg { "," arg } ] ")";  arg = VALUE ":" type
std::vector<std::pair<Token, Type>> Parser::ParseArgs() {
  std::vector<std::pair<Token, Type>> args;
  Expect(Tok::kLParen, "'('");
  if (!Check(Tok::kRParen)) {
    do {
      const Token& token = Expect(Tok::kValue, "an argument such as '%x'");
      Expect(Tok::kColon, "':' and the argument's type");
      args.emplace_back(token, ParseType());
    } while (Match(Tok::kComma));
  }
  Expect(Tok::kRParen, "',' or ')'");
  return args;
}

void Parser::Define(FunctionState& fs, const Token& token, Value* value) {
  auto [it, inserted] = fs.values.emplace(token.name(), ValueDef{value, token});
  if (inserted) return;
  Error(token, "redefinition of " + Quote(token.text));
  diags_.Note(file_, it->second.token.loc, "previous definition is here");
}

// The blocks up to the closing '}'. A missing '}' is reported where the next function starts.
void Parser::ParseBody(FunctionState& fs) {
  while (!Match(Tok::kRBrace) && !diags_.ShouldStop()) {
    if (Check(Tok::kEof) || AtFunctionStart()) {
      try {
        Fail("'}' at the end of function @" + fs.function->name());
      } catch (const SyntaxError&) {
        return;
      }
    }
    size_t start = pos_;
    try {
      ParseLine(fs);
    } catch (const SyntaxError&) {
      RecoverLine(start);
    }
  }
}

// Skips the rest of the line where the error happened (at least one token, so the loop moves).
void Parser::RecoverLine(size_t start_pos) {
  if (pos_ == start_pos) Advance();
  uint32_t line = tokens_[pos_ - 1].loc.line;
  while (!Check(Tok::kEof) && Peek().loc.line == line) Advance();
}

// block = LABEL ":" { instr }
void Parser::ParseLine(FunctionState& fs) {
  if (!(Check(Tok::kIdent) && Peek(1).kind == Tok::kColon)) {
    if (fs.current == nullptr) {
      Error(Peek(), "expected a block label such as 'entry:' before the first instruction");
      fs.current = fs.function->AddBlock("entry");
    }
    ParseInstr(fs);
    return;
  }
  const Token& label = Advance();
  Advance();  // ':'
  fs.current = fs.function->AddBlock(std::string(label.text));
  if (positions_) positions_->blocks[fs.current] = RangeOf(label);
  auto [it, inserted] = fs.blocks.emplace(std::string(label.text), BlockDef{fs.current, label});
  if (inserted) return;
  Error(label, "redefinition of block " + Quote(label.text));
  diags_.Note(file_, it->second.token.loc, "previous definition is here");
}

// instr = [ "%" NAME "=" ] mnemonic operands [ attrs ] [ ":" type ]
void Parser::ParseInstr(FunctionState& fs) {
  std::optional<Token> result;
  if (Check(Tok::kValue)) {
    result = Advance();
    Expect(Tok::kEqual, "'='");
  }
  try {
    ParseInstrAfterResult(fs, result);
  } catch (const SyntaxError&) {
    // Later uses of the result are not reported again as undefined.
    if (result) fs.values.emplace(result->name(), ValueDef{&placeholder_, *result});
    throw;
  }
}

// The rest of an instruction, after "%name =".
void Parser::ParseInstrAfterResult(FunctionState& fs, const std::optional<Token>& result) {
  Draft d;
  d.mnemonic = Peek();
  Op op = ParseMnemonic();
  if (result && !HasResult(op))
    Error(*result, "'" + std::string(OpMnemonic(op)) + "' has no result");
  OpTextForm form = TextFormOf(op);
  ParseOperands(form.operands, d);
  ParseAttrs(op, form.attrs, d);
  Type type;
  if (HasResult(op)) {
    if (!Match(Tok::kColon)) Fail("':' and the result type");
    type = ParseType();
  } else if (Check(Tok::kColon)) {
    FailAt(Peek(), "'" + std::string(OpMnemonic(op)) + "' has no result, so no type");
  }
  if (Check(Tok::kIdent) && Peek().text == "place" && Peek(1).kind == Tok::kLParen) {
    if (!HasResult(op))
      FailAt(Peek(), "'" + std::string(OpMnemonic(op)) + "' has no result to place");
    d.placement = ParsePlacement();
  }
  if (Check(Tok::kIdent) && Peek().text == "loc" && Peek(1).kind == Tok::kLParen) {
    d.loc = ParseLoc();
  }
  Emit(fs, op, d, std::move(type), result);
}

// place = "place" "(" INT "," INT ")"   (buffer and byte offset, docs/ir.md §14)
Placement Parser::ParsePlacement() {
  Advance();  // place
  Advance();  // (
  Placement placement;
  const Token& buffer = Peek();
  placement.buffer = ParseInt("a buffer number");
  Expect(Tok::kComma, "',' and the byte offset");
  const Token& offset = Peek();
  placement.offset = ParseInt("a byte offset");
  if (placement.buffer < 0) FailAt(buffer, "a buffer number is >= 0");
  if (placement.offset < 0) FailAt(offset, "a byte offset is >= 0");
  Expect(Tok::kRParen, "')'");
  return placement;
}

// loc = "loc" "(" STRING ":" INT ":" INT ")"   (the source location, docs/ir.md §4.2)
Loc Parser::ParseLoc() {
  Advance();  // loc
  Advance();  // (
  const Token& file = Expect(Tok::kString, "the source file's name in quotes");
  Loc loc;
  for (size_t i = 1; i + 1 < file.text.size(); ++i) {
    if (file.text[i] == '\\') ++i;
    loc.file += file.text[i];
  }
  Expect(Tok::kColon, "':' and the line");
  for (uint32_t* field : {&loc.line, &loc.col}) {
    const Token& number = Peek();
    int64_t value = ParseInt(field == &loc.line ? "a line number" : "a column number");
    if (value < 1 || value > UINT32_MAX) FailAt(number, "a line or column starts at 1");
    *field = static_cast<uint32_t>(value);
    if (field == &loc.line) Expect(Tok::kColon, "':' and the column");
  }
  Expect(Tok::kRParen, "')'");
  return loc;
}

Op Parser::ParseMnemonic() {
  const Token& t = Expect(Tok::kIdent, "an instruction");
  std::optional<Op> op = ParseOpMnemonic(t.text);
  if (!op) FailAt(t, "unknown op " + Quote(t.text));
  return *op;
}

void Parser::ParseOperands(OperandForm form, Draft& d) {
  switch (form) {
    case OperandForm::kList:
      d.operands = ParseValueList();
      return;
    case OperandForm::kConstant:
      d.literal = ParseLiteral(0);
      return;
    case OperandForm::kComprehension:
      d.comprehension = ParseComprehension(d);
      return;
    case OperandForm::kCall:
      return ParseCallOperands(d);
    case OperandForm::kPhi:
      return ParsePhiOperands(d);
    case OperandForm::kBr:
      d.labels.push_back(Expect(Tok::kIdent, "a block label"));
      return;
    case OperandForm::kCondBr:
      d.operands.push_back(ParseValue());
      for (int i = 0; i < 2; ++i) {
        Expect(Tok::kComma, "','");
        d.labels.push_back(Expect(Tok::kIdent, "a block label"));
      }
      return;
  }
}

// call operands = "@" NAME "(" [ VALUE { "," VALUE } ] ")"
void Parser::ParseCallOperands(Draft& d) {
  d.callee = Expect(Tok::kFunc, "a function such as '@f'");
  d.attrs.callee = d.callee.name();
  Expect(Tok::kLParen, "'('");
  if (!Check(Tok::kRParen)) d.operands = ParseValueList();
  Expect(Tok::kRParen, "',' or ')'");
}

// %a, %b, ...  (possibly none)
std::vector<Use> Parser::ParseValueList() {
  std::vector<Use> uses;
  if (!Check(Tok::kValue)) return uses;
  do {
    uses.push_back(ParseValue());
  } while (Match(Tok::kComma));
  return uses;
}

// phi operands = [ "[" VALUE "," LABEL "]" { "," "[" VALUE "," LABEL "]" } ]
void Parser::ParsePhiOperands(Draft& d) {
  if (!Check(Tok::kLBracket)) return;
  do {
    Expect(Tok::kLBracket, "'['");
    d.operands.push_back(ParseValue());
    Expect(Tok::kComma, "','");
    d.labels.push_back(Expect(Tok::kIdent, "a block label"));
    Expect(Tok::kRBracket, "']'");
  } while (Match(Tok::kComma));
}

// Creates the instruction with placeholder operands, appends it to the current block and
// records what Resolve must fill in.
Instr* Parser::Emit(FunctionState& fs, Op op, Draft& d, Type type,
                    const std::optional<Token>& result) {
  int arity = OpArity(op);
  if (arity >= 0 && static_cast<size_t>(arity) != d.operands.size()) {
    FailAt(d.mnemonic, Quote(OpMnemonic(op)) + " takes " + std::to_string(arity) +
                           (arity == 1 ? " operand" : " operands") + ", found " +
                           std::to_string(d.operands.size()));
  }
  std::string name = result ? result->name() : std::string();
  auto owned = std::make_unique<Instr>(op, std::vector<Value*>(d.operands.size(), &placeholder_),
                                       type, name);
  owned->attrs() = std::move(d.attrs);
  owned->set_loc(std::move(d.loc));
  owned->set_placement(d.placement);
  if (d.literal) owned->attrs().value = BuildConstant(*d.literal, type);
  Instr* instr = fs.current->Append(std::move(owned));
  if (positions_) positions_->instrs[instr] = RangeOf(result ? *result : d.mnemonic);
  if (result && HasResult(op)) Define(fs, *result, instr);
  for (size_t i = 0; i < d.operands.size(); ++i) fs.uses.push_back({instr, i, d.operands[i]});
  if (op == Op::kCall) calls_.emplace_back(instr->attrs().callee, d.callee);
  instr->blocks().assign(d.labels.size(), nullptr);
  for (size_t i = 0; i < d.labels.size(); ++i) fs.labels.push_back({instr, i, d.labels[i]});
  if (d.comprehension) fs.comprehensions.push_back({instr, std::move(*d.comprehension)});
  return instr;
}
// ------------------------------------------------------------ resolution

void Parser::Resolve(FunctionState& fs) {
  for (const PendingUse& p : fs.uses) {
    auto it = fs.values.find(p.use.name);
    if (it == fs.values.end()) {
      Error(p.use.token, "use of undefined value " + Quote(p.use.token.text));
      continue;
    }
    p.instr->set_operand(p.index, it->second.value);
  }
  for (const PendingLabel& p : fs.labels) {
    auto it = fs.blocks.find(std::string(p.token.text));
    if (it == fs.blocks.end()) {
      Error(p.token, "unknown block label " + Quote(p.token.text));
      continue;
    }
    p.instr->blocks()[p.slot] = it->second.block;
  }
  for (PendingComprehension& p : fs.comprehensions) BuildComprehension(p);
}

void Parser::ResolveCalls(const Module& module) {
  for (const auto& [callee, token] : calls_) {
    if (module.FindFunction(callee) == nullptr) {
      Error(token, "call of undefined function " + Quote(token.text));
    }
  }
}

}  // namespace text

std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags) {
  return ParseModule(file, diags, nullptr);
}

std::unique_ptr<Module> ParseModule(const SourceFile& file, DiagnosticEngine& diags,
                                    TextPositions* positions) {
  int errors_before = diags.error_count();
  std::vector<text::Token> tokens = text::Lex(file, diags);
  std::unique_ptr<Module> module = text::Parser(file, std::move(tokens), diags, positions).Run();
  if (diags.error_count() > errors_before) return nullptr;
  return module;
}

std::optional<SourceRange> TextPositions::Find(const Function* function, const Block* block,
                                               const Instr* instr) const {
  if (auto it = instrs.find(instr); instr && it != instrs.end()) return it->second;
  if (auto it = blocks.find(block); block && it != blocks.end()) return it->second;
  if (auto it = functions.find(function); function && it != functions.end()) return it->second;
  return std::nullopt;
}

}  // namespace tessel::ir
