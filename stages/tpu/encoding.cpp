// Encode and Decode: Instr <-> 192 bits, following the field table in isa.cpp.
//
// Decoding is strict: any bit outside the opcode's header and fields must be zero,
// so a corrupted or misaligned program is reported instead of silently running.
#include <string>
#include <vector>

#include "stages/tpu/isa.h"

namespace tessel::tpu {

namespace {

uint64_t Mask(int width) { return width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }

void PutBits(EncodedInstr& bits, int lo, int width, uint64_t value) {
  bits[lo / 64] |= (value & Mask(width)) << (lo % 64);
}

uint64_t GetBits(const EncodedInstr& bits, int lo, int width) {
  return (bits[lo / 64] >> (lo % 64)) & Mask(width);
}

// Signed fields are stored in two's complement; widen the sign bit back.
int64_t SignExtend(uint64_t raw, int width) {
  uint64_t sign = uint64_t{1} << (width - 1);
  return static_cast<int64_t>((raw ^ sign) - sign);
}

}  // namespace

bool Encode(const Instr& instr, EncodedInstr* out, std::string* error) {
  if (!ValidateInstr(instr, error)) return false;
  EncodedInstr bits = {0, 0, 0};
  PutBits(bits, 0, 4, static_cast<uint64_t>(instr.op));
  PutBits(bits, 4, 1, instr.deps.pop_prev);
  PutBits(bits, 5, 1, instr.deps.pop_next);
  PutBits(bits, 6, 1, instr.deps.push_prev);
  PutBits(bits, 7, 1, instr.deps.push_next);
  const OpInfo& info = GetOpInfo(instr.op);
  for (int s = 0; s < info.num_slots; ++s) {
    const FieldSlot& slot = info.slots[s];
    PutBits(bits, slot.lo, slot.width, static_cast<uint64_t>(instr.at(slot.field)));
  }
  *out = bits;
  return true;
}

std::optional<Instr> Decode(const EncodedInstr& bits, std::string* error) {
  uint64_t op = GetBits(bits, 0, 4);
  if (op >= kNumOpcodes) {
    *error = "unknown opcode " + std::to_string(op);
    return std::nullopt;
  }
  Instr instr;
  instr.op = static_cast<Opcode>(op);
  instr.deps = {GetBits(bits, 4, 1) != 0, GetBits(bits, 5, 1) != 0, GetBits(bits, 6, 1) != 0,
                GetBits(bits, 7, 1) != 0};
  const OpInfo& info = GetOpInfo(instr.op);
  EncodedInstr used = {0xFF, 0, 0};
  for (int s = 0; s < info.num_slots; ++s) {
    const FieldSlot& slot = info.slots[s];
    uint64_t raw = GetBits(bits, slot.lo, slot.width);
    bool is_signed = GetFieldInfo(slot.field).kind == FieldKind::kSigned;
    instr.at(slot.field) = is_signed ? SignExtend(raw, slot.width) : static_cast<int64_t>(raw);
    PutBits(used, slot.lo, slot.width, ~uint64_t{0});
  }
  for (int w = 0; w < 3; ++w) {
    if (bits[w] & ~used[w]) {
      *error = std::string(info.mnemonic) + ": reserved bits set in word " + std::to_string(w);
      return std::nullopt;
    }
  }
  if (!ValidateInstr(instr, error)) return std::nullopt;
  return instr;
}

bool EncodeProgram(const std::vector<Instr>& program, std::vector<uint8_t>* out,
                   std::string* error) {
  out->clear();
  for (size_t i = 0; i < program.size(); ++i) {
    EncodedInstr bits;
    if (!Encode(program[i], &bits, error)) {
      *error = "instruction " + std::to_string(i) + ": " + *error;
      return false;
    }
    for (uint64_t word : bits) {
      for (int b = 0; b < 8; ++b) out->push_back(static_cast<uint8_t>(word >> (8 * b)));
    }
  }
  return true;
}

std::optional<std::vector<Instr>> DecodeProgram(const std::vector<uint8_t>& bytes,
                                                std::string* error) {
  constexpr size_t kBytes = kInstrBits / 8;
  if (bytes.size() % kBytes != 0) {
    *error = "program of " + std::to_string(bytes.size()) + " bytes is not a multiple of " +
             std::to_string(kBytes) + " bytes per instruction";
    return std::nullopt;
  }
  std::vector<Instr> program;
  for (size_t i = 0; i < bytes.size() / kBytes; ++i) {
    EncodedInstr bits = {0, 0, 0};
    for (size_t b = 0; b < kBytes; ++b) {
      bits[b / 8] |= uint64_t{bytes[i * kBytes + b]} << (8 * (b % 8));
    }
    std::optional<Instr> instr = Decode(bits, error);
    if (!instr) {
      *error = "instruction " + std::to_string(i) + ": " + *error;
      return std::nullopt;
    }
    program.push_back(*instr);
  }
  return program;
}

}  // namespace tessel::tpu
