// Unit tests of the ISA table and the 192-bit encoding (isa.h, encoding.cpp): every
// opcode round-trips at the extremes of every field, and bad values or bits are
// rejected with a message naming the instruction and the field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stages/tpu/isa.h"

namespace tessel::tpu {
namespace {

// The smallest or the largest legal value of a field.
int64_t Extreme(const FieldSlot& slot, bool largest) {
  const FieldInfo& info = GetFieldInfo(slot.field);
  int64_t max = (int64_t{1} << slot.width) - 1;
  switch (info.kind) {
    case FieldKind::kSigned:
      return largest ? (int64_t{1} << (slot.width - 1)) - 1 : -(int64_t{1} << (slot.width - 1));
    case FieldKind::kEnum:
    case FieldKind::kMemSpace: {
      int count = 0;
      while (count < 4 && info.names[count]) ++count;
      return largest ? count - 1 : 0;
    }
    case FieldKind::kRef:
    case FieldKind::kUnsigned:
    case FieldKind::kFlag:
    case FieldKind::kF32: {
      bool is_size = slot.field == Field::kRows || slot.field == Field::kCols;
      return largest ? max : (is_size ? 1 : 0);
    }
  }
  return 0;
}

// Every legal token combination for the instruction's queue, as the extreme case.
DepFlags AllTokens(const Instr& instr, bool set) {
  Queue q = QueueOf(instr);
  return {set && q != Queue::kLoad, set && q != Queue::kStore, set && q != Queue::kLoad,
          set && q != Queue::kStore};
}

Instr ExtremeInstr(Opcode op, bool largest) {
  Instr instr = MakeInstr(op);
  const OpInfo& info = GetOpInfo(op);
  for (int s = 0; s < info.num_slots; ++s)
    instr.at(info.slots[s].field) = Extreme(info.slots[s], largest);
  instr.deps = AllTokens(instr, largest);
  return instr;
}

TEST(EncodingTest, EveryOpcodeRoundTripsAtItsExtremes) {
  for (int op = 0; op < kNumOpcodes; ++op) {
    for (bool largest : {false, true}) {
      Instr instr = ExtremeInstr(static_cast<Opcode>(op), largest);
      EncodedInstr bits;
      std::string error;
      ASSERT_TRUE(Encode(instr, &bits, &error)) << GetOpInfo(instr.op).mnemonic << ": " << error;
      std::optional<Instr> back = Decode(bits, &error);
      ASSERT_TRUE(back) << GetOpInfo(instr.op).mnemonic << ": " << error;
      EXPECT_EQ(*back, instr) << GetOpInfo(instr.op).mnemonic << (largest ? " max" : " min");
    }
  }
}

TEST(EncodingTest, TableRowsAreIndexedByOpcodeAndMnemonicsParse) {
  for (int op = 0; op < kNumOpcodes; ++op) {
    const OpInfo& info = GetOpInfo(static_cast<Opcode>(op));
    EXPECT_EQ(static_cast<int>(info.op), op);
    EXPECT_EQ(ParseMnemonic(info.mnemonic), info.op);
  }
  EXPECT_FALSE(ParseMnemonic("LOAD"));
}

TEST(EncodingTest, HeaderBitsAreOpcodeThenTokens) {
  Instr halt = MakeInstr(Opcode::kHalt);
  halt.deps.pop_next = true;
  EncodedInstr bits;
  std::string error;
  ASSERT_TRUE(Encode(halt, &bits, &error)) << error;
  EXPECT_EQ(bits[0], uint64_t{7} | (uint64_t{1} << 5));
  EXPECT_EQ(bits[1], 0u);
  EXPECT_EQ(bits[2], 0u);
}

TEST(EncodingTest, FieldOutOfRangeIsAnErrorNamingIt) {
  Instr load = ExtremeInstr(Opcode::kLoad, false);
  load.rows = 65536;
  EncodedInstr bits;
  std::string error;
  EXPECT_FALSE(Encode(load, &bits, &error));
  EXPECT_EQ(error, "load: rows 65536 is out of range [0, 65535]");
  Instr act = ExtremeInstr(Opcode::kAct, false);
  act.mult = int64_t{1} << 31;
  EXPECT_FALSE(Encode(act, &bits, &error));
  EXPECT_EQ(error, "act: mult 2147483648 is out of range [-2147483648, 2147483647]");
  act.mult = 1;
  act.func = 2;
  EXPECT_FALSE(Encode(act, &bits, &error));
  EXPECT_EQ(error, "act: func 2 is out of range [0, 1]");
}

TEST(EncodingTest, ZeroSizesAndForeignFieldsAreRejected) {
  Instr store = ExtremeInstr(Opcode::kStore, false);
  store.cols = 0;
  std::string error;
  EXPECT_FALSE(ValidateInstr(store, &error));
  EXPECT_EQ(error, "store: cols must be at least 1");
  Instr halt = MakeInstr(Opcode::kHalt);
  halt.rows = 3;
  EXPECT_FALSE(ValidateInstr(halt, &error));
  EXPECT_EQ(error, "halt has no field rows but it is set to 3");
}

TEST(EncodingTest, TokensMustExistForTheQueue) {
  Instr load = ExtremeInstr(Opcode::kLoad, false);
  load.deps.pop_prev = true;
  std::string error;
  EXPECT_FALSE(ValidateInstr(load, &error));
  EXPECT_NE(error.find("the load queue has no previous queue"), std::string::npos) << error;
  Instr sync = MakeInstr(Opcode::kSync);
  sync.queue = static_cast<int64_t>(Queue::kStore);
  sync.deps.push_next = true;
  EXPECT_FALSE(ValidateInstr(sync, &error));
  EXPECT_NE(error.find("the store queue has no next queue"), std::string::npos) << error;
}

TEST(EncodingTest, DecodeRejectsUnknownOpcodesAndReservedBits) {
  std::string error;
  EXPECT_FALSE(Decode({0xF, 0, 0}, &error));
  EXPECT_EQ(error, "unknown opcode 15");
  EXPECT_FALSE(Decode({7, 0, 1}, &error));  // halt with a bit in word 2
  EXPECT_EQ(error, "halt: reserved bits set in word 2");
  EXPECT_FALSE(Decode({0 | (uint64_t{3} << 8), 0, 0}, &error));  // load with mem = 3
  EXPECT_NE(error.find("memory space 3 is out of range"), std::string::npos) << error;
}

TEST(EncodingTest, ProgramBytesRoundTrip) {
  std::vector<Instr> program;
  for (int op = 0; op < kNumOpcodes; ++op)
    program.push_back(ExtremeInstr(static_cast<Opcode>(op), true));
  std::vector<uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(EncodeProgram(program, &bytes, &error)) << error;
  EXPECT_EQ(bytes.size(), program.size() * 24);
  std::optional<std::vector<Instr>> back = DecodeProgram(bytes, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, program);
  bytes.pop_back();
  EXPECT_FALSE(DecodeProgram(bytes, &error));
  EXPECT_EQ(error, "program of 191 bytes is not a multiple of 24 bytes per instruction");
}

}  // namespace
}  // namespace tessel::tpu
