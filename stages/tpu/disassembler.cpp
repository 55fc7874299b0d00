// The disassembler: instructions to canonical assembly text (see assembler.h).
//
// It walks the same field table as the assembler, so the two cannot disagree on
// an operand's name or order; the round-trip tests check text -> bits -> text.
#include <charconv>
#include <cstring>

#include "stages/tpu/assembler.h"

namespace tessel::tpu {

namespace {

std::string Hex(int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, 16);
  (void)ec;
  return "0x" + std::string(buffer, end);
}

// The shortest text that reads back as the same float (std::to_chars guarantees it).
std::string F32Text(int64_t bits) {
  uint32_t raw = static_cast<uint32_t>(bits);
  float value;
  std::memcpy(&value, &raw, sizeof value);
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  return std::string(buffer, end);
}

std::string ValueText(const FieldSlot& slot, int64_t value) {
  const FieldInfo& info = GetFieldInfo(slot.field);
  switch (info.kind) {
    case FieldKind::kEnum:
      return info.names[value];
    case FieldKind::kF32:
      return F32Text(value);
    case FieldKind::kRef:
      return slot.field == Field::kDram ? Hex(value) : std::to_string(value);
    case FieldKind::kMemSpace:
    case FieldKind::kUnsigned:
    case FieldKind::kSigned:
    case FieldKind::kFlag:
      return std::to_string(value);
  }
  return std::to_string(value);
}

// Appends the operand of slot `s` (and, for a group like pad, the rest of the group).
// Returns the index of the last slot it covered.
int AppendOperand(const Instr& instr, const OpInfo& op, int s, std::vector<std::string>& out) {
  const FieldSlot& slot = op.slots[s];
  const FieldInfo& info = GetFieldInfo(slot.field);
  switch (info.kind) {
    case FieldKind::kMemSpace:
      return s;  // printed as the space of the sram operand
    case FieldKind::kRef: {
      std::string space =
          slot.space ? slot.space : std::string(MemSpaceName(static_cast<MemSpace>(instr.mem)));
      out.push_back(space + "[" + ValueText(slot, instr.at(slot.field)) + "]");
      return s;
    }
    case FieldKind::kFlag:
      if (instr.at(slot.field) != 0) out.push_back(info.key);
      return s;
    case FieldKind::kUnsigned:
    case FieldKind::kSigned:
    case FieldKind::kEnum:
    case FieldKind::kF32:
      break;
  }
  int last = s;
  bool all_default = true;
  while (last + 1 < op.num_slots && GetFieldInfo(op.slots[last + 1].field).key == info.key) ++last;
  std::string values;
  for (int g = s; g <= last; ++g) {
    const FieldSlot& member = op.slots[g];
    all_default = all_default && !member.required && instr.at(member.field) == member.fallback;
    values += (g == s ? "" : ",") + ValueText(member, instr.at(member.field));
  }
  if (!all_default) out.push_back(std::string(info.key) + "=" + values);
  return last;
}

}  // namespace

std::string Disassemble(const Instr& instr) {
  const OpInfo& op = GetOpInfo(instr.op);
  std::vector<std::string> operands;
  for (int s = 0; s < op.num_slots; ++s) s = AppendOperand(instr, op, s, operands);
  if (instr.deps.pop_prev) operands.push_back("pop_prev");
  if (instr.deps.pop_next) operands.push_back("pop_next");
  if (instr.deps.push_prev) operands.push_back("push_prev");
  if (instr.deps.push_next) operands.push_back("push_next");
  std::string text = op.mnemonic;
  for (size_t i = 0; i < operands.size(); ++i) text += (i == 0 ? " " : ", ") + operands[i];
  return text;
}

std::string DisassembleProgram(const std::vector<Instr>& program) {
  std::string text;
  for (const Instr& instr : program) text += Disassemble(instr) + "\n";
  return text;
}

}  // namespace tessel::tpu
