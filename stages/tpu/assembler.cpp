// The assembler: TPU assembly text to instructions, with located errors.
//
// Grammar of one line (`;` to the end of the line is a comment):
//   line    = [ mnemonic [ operand { "," operand } ] ]
//   operand = space "[" number "]"              positional, in table order
//           | key "=" value { "," value }       one value per field of the key
//           | word                              a flag (swap) or a token (push_next)
// The operands an opcode takes come from its row of the table in isa.cpp.
#include "stages/tpu/assembler.h"

#include <charconv>
#include <cstring>

#include "stages/tpu/asm_lexer.h"

namespace tessel::tpu {

namespace {

// Parses one line into an instruction; the first error ends the line.
class LineParser {
 public:
  LineParser(const SourceFile& file, DiagnosticEngine& diags, std::vector<Tok> toks)
      : file_(file), diags_(diags), toks_(std::move(toks)) {}

  bool IsBlank() const { return toks_[0].kind == TokKind::kEnd; }
  std::optional<Instr> Parse();

 private:
  const Tok& Peek() const { return toks_[pos_]; }
  const Tok& Next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool Fail(const Tok& at, std::string message) {
    diags_.Error(file_, file_.LocForOffset(at.offset), std::move(message));
    return false;
  }
  bool Expect(TokKind kind, const char* what) {
    if (Peek().kind == kind) return Next(), true;
    return Fail(Peek(), std::string("expected ") + what + ", found " + Found(Peek()));
  }
  bool ParseRef(const FieldSlot& slot);
  bool ParseOperand();
  bool ParseKeyed(const Tok& key);
  bool ParseWord(const Tok& word);
  bool ParseValue(const FieldSlot& slot);
  bool CheckComplete();
  std::string OperandList() const;

  const SourceFile& file_;
  DiagnosticEngine& diags_;
  std::vector<Tok> toks_;
  size_t pos_ = 0;
  const OpInfo* op_ = nullptr;
  Instr instr_;
  bool seen_[kNumFields] = {};
  bool seen_token_[4] = {};
};

std::optional<Instr> LineParser::Parse() {
  const Tok& mnemonic = Next();
  std::optional<Opcode> opcode;
  if (mnemonic.kind == TokKind::kIdent) opcode = ParseMnemonic(mnemonic.text);
  if (!opcode) {
    Fail(mnemonic,
         "expected a mnemonic (load, store, loadw, matmul, act, sync, config, halt), "
         "found " +
             Found(mnemonic));
    return std::nullopt;
  }
  op_ = &GetOpInfo(*opcode);
  instr_ = MakeInstr(*opcode);
  bool first = true;
  for (int s = 0; s < op_->num_slots; ++s) {
    const FieldSlot& slot = op_->slots[s];
    if (GetFieldInfo(slot.field).kind != FieldKind::kRef) continue;
    if (!first && !Expect(TokKind::kComma, "','")) return std::nullopt;
    if (!ParseRef(slot)) return std::nullopt;
    first = false;
  }
  while (Peek().kind != TokKind::kEnd) {
    if (!first && !Expect(TokKind::kComma, "',' or end of line")) return std::nullopt;
    if (!ParseOperand()) return std::nullopt;
    first = false;
  }
  if (!CheckComplete()) return std::nullopt;
  std::string error;
  if (!ValidateInstr(instr_, &error)) {
    Fail(mnemonic, error);
    return std::nullopt;
  }
  return instr_;
}

// space "[" number "]"; LOAD's sram operand may be ub or wb and sets the mem field.
bool LineParser::ParseRef(const FieldSlot& slot) {
  const Tok& space = Peek();
  std::string want = slot.space ? slot.space : "ub or wb";
  bool ok = space.kind == TokKind::kIdent &&
            (slot.space ? space.text == slot.space : (space.text == "ub" || space.text == "wb"));
  if (!ok) return Fail(space, "expected " + want + "[address], found " + Found(space));
  Next();
  if (!slot.space) instr_.mem = space.text == "ub" ? 0 : 1;
  seen_[static_cast<int>(slot.field)] = true;
  return Expect(TokKind::kLBracket, "'['") && ParseValue(slot) && Expect(TokKind::kRBracket, "']'");
}

bool LineParser::ParseOperand() {
  const Tok& name = Peek();
  if (name.kind != TokKind::kIdent) {
    return Fail(name, "expected an operand (" + OperandList() + "), found " + Found(name));
  }
  Next();
  if (Peek().kind == TokKind::kEquals) {
    Next();
    return ParseKeyed(name);
  }
  return ParseWord(name);
}

// key "=" value {"," value}: one value for each slot of this opcode with that key.
bool LineParser::ParseKeyed(const Tok& key) {
  int count = 0;
  for (int s = 0; s < op_->num_slots; ++s) {
    const FieldSlot& slot = op_->slots[s];
    const FieldInfo& info = GetFieldInfo(slot.field);
    if (info.kind == FieldKind::kFlag || key.text != info.key) continue;
    if (seen_[static_cast<int>(slot.field)])
      return Fail(key, "'" + std::string(key.text) + "' is given twice");
    if (count > 0 &&
        !Expect(TokKind::kComma, "',' and the next value of pad (top,bottom,left,right)")) {
      return false;
    }
    if (!ParseValue(slot)) return false;
    seen_[static_cast<int>(slot.field)] = true;
    ++count;
  }
  if (count > 0) return true;
  return Fail(key, "expected an operand of " + std::string(op_->mnemonic) + " (" + OperandList() +
                       "), found '" + std::string(key.text) + "='");
}

// A bare word: one of the opcode's flags, or a dependency token.
bool LineParser::ParseWord(const Tok& word) {
  static constexpr const char* kTokens[] = {"pop_prev", "pop_next", "push_prev", "push_next"};
  bool* token_flags[] = {&instr_.deps.pop_prev, &instr_.deps.pop_next, &instr_.deps.push_prev,
                         &instr_.deps.push_next};
  for (int t = 0; t < 4; ++t) {
    if (word.text != kTokens[t]) continue;
    if (seen_token_[t]) return Fail(word, "'" + std::string(word.text) + "' is given twice");
    seen_token_[t] = true;
    *token_flags[t] = true;
    return true;
  }
  for (int s = 0; s < op_->num_slots; ++s) {
    const FieldSlot& slot = op_->slots[s];
    const FieldInfo& info = GetFieldInfo(slot.field);
    if (info.kind != FieldKind::kFlag || word.text != info.key) continue;
    if (seen_[static_cast<int>(slot.field)])
      return Fail(word, "'" + std::string(word.text) + "' is given twice");
    seen_[static_cast<int>(slot.field)] = true;
    instr_.at(slot.field) = 1;
    return true;
  }
  return Fail(word, "expected an operand of " + std::string(op_->mnemonic) + " (" + OperandList() +
                        "), found " + Found(word));
}

// A number (decimal, 0x hex, a leading '-' for signed fields), a float, or a name.
bool LineParser::ParseValue(const FieldSlot& slot) {
  const Tok& tok = Next();
  const FieldInfo& info = GetFieldInfo(slot.field);
  int64_t value = 0;
  if (info.kind == FieldKind::kEnum) {
    std::string names;
    for (int i = 0; i < 4 && info.names[i]; ++i) {
      if (tok.text == info.names[i] && tok.kind == TokKind::kIdent) value = i + 1;
      names += std::string(i ? ", " : "") + info.names[i];
    }
    if (value == 0) return Fail(tok, "expected " + names + ", found " + Found(tok));
    --value;
  } else if (info.kind == FieldKind::kF32) {
    float f = 0;
    auto [end, ec] = std::from_chars(tok.text.data(), tok.text.data() + tok.text.size(), f);
    if (tok.kind == TokKind::kEnd || ec != std::errc() ||
        end != tok.text.data() + tok.text.size()) {
      return Fail(tok, "expected a number, found " + Found(tok));
    }
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    value = bits;
  } else {
    std::string_view text = tok.text;
    bool negative = text.starts_with("-");
    if (negative) text.remove_prefix(1);
    int base = text.starts_with("0x") || text.starts_with("0X") ? 16 : 10;
    if (base == 16) text.remove_prefix(2);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (tok.kind != TokKind::kNumber || text.empty() || ec != std::errc() ||
        end != text.data() + text.size()) {
      std::string why =
          ec == std::errc::result_out_of_range ? "a number that fits 64 bits" : "an integer";
      return Fail(tok, "expected " + why + ", found " + Found(tok));
    }
    if (negative) value = -value;
  }
  std::string problem = CheckFieldValue(op_->op, slot, value);
  if (!problem.empty()) return Fail(tok, problem);
  instr_.at(slot.field) = value;
  return true;
}

// Every required keyed operand must have been given; reported at the end of the line.
bool LineParser::CheckComplete() {
  for (int s = 0; s < op_->num_slots; ++s) {
    const FieldSlot& slot = op_->slots[s];
    if (!slot.required || seen_[static_cast<int>(slot.field)]) continue;
    if (GetFieldInfo(slot.field).kind == FieldKind::kMemSpace) continue;
    return Fail(Peek(), "expected " + std::string(GetFieldInfo(slot.field).key) + "=... (" +
                            op_->mnemonic + " needs it), found " + Found(Peek()));
  }
  return true;
}

// The keyed operands and flags of this opcode and the tokens, for messages.
std::string LineParser::OperandList() const {
  std::string list;
  for (int s = 0; s < op_->num_slots; ++s) {
    const FieldInfo& info = GetFieldInfo(op_->slots[s].field);
    if (info.kind == FieldKind::kRef || info.kind == FieldKind::kMemSpace) continue;
    if (s > 0 && GetFieldInfo(op_->slots[s - 1].field).key == std::string_view(info.key)) continue;
    list += std::string(info.key) + (info.kind == FieldKind::kFlag ? "" : "=") + ", ";
  }
  return list + "pop_prev, pop_next, push_prev, push_next";
}

}  // namespace

std::optional<AsmProgram> Assemble(const SourceFile& file, DiagnosticEngine& diags) {
  AsmProgram program;
  int errors_before = diags.error_count();
  for (uint32_t line = 1; line <= file.line_count() && !diags.ShouldStop(); ++line) {
    std::string_view text = file.LineText(line);
    uint32_t base = static_cast<uint32_t>(text.data() - file.text().data());
    LineParser parser(file, diags, LexLine(text, base));
    if (parser.IsBlank()) continue;
    std::optional<Instr> instr = parser.Parse();
    if (!instr) continue;
    program.instrs.push_back(*instr);
    program.lines.push_back(line);
  }
  if (diags.error_count() > errors_before) return std::nullopt;
  return program;
}

}  // namespace tessel::tpu
