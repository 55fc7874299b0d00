// The TPU instruction set: opcodes, operand fields, dependency tokens, encoding.
//
// Eight instructions in the style of VTA (apache/tvm-vta, hw_spec.h) and the TPU v1:
// LOAD/STORE move 2-D strided blocks between DRAM and the on-chip buffers, LOADW
// shifts a weight tile into the array's shadow registers, MATMUL streams rows
// through the array into the accumulators, ACT turns accumulator rows into
// activations, SYNC carries only dependency tokens, CONFIG sets the mode, HALT ends.
//
// Every instruction runs on one of three queues (load, execute, store) and carries
// VTA's four token flags, so access and execute are decoupled and the program itself
// says which instructions wait for which (docs/tpu.md, "Queues and tokens").
//
// The table in isa.cpp is the one place that lists each opcode: its mnemonic, its
// queue, and its fields with their bit positions, assembly keys and defaults. The
// assembler, the disassembler, the encoder and the docs all follow it.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessel::tpu {

enum class Opcode : uint8_t { kLoad, kStore, kLoadW, kMatmul, kAct, kSync, kConfig, kHalt };
inline constexpr int kNumOpcodes = 8;

/// The three instruction queues, in pipeline order: load -> execute -> store. For a
/// queue, "prev" is the one before it and "next" the one after it.
enum class Queue : uint8_t { kLoad, kExecute, kStore };

/// LOAD's destination: the unified buffer (activations) or the weight buffer.
enum class MemSpace : uint8_t { kUnified, kWeight };

/// ACT's activation function, applied to the accumulator value before scaling.
enum class Activation : uint8_t { kNone, kRelu };

/// Every operand field of any instruction. Which ones an opcode has, their bits
/// and their assembly syntax are in the table (GetOpInfo).
enum class Field : uint8_t {
  kMem,         // LOAD: ub or wb (written as the space of the first operand)
  kSram,        // element address in the unified or weight buffer
  kDram,        // DRAM byte address
  kAcc,         // accumulator row address
  kRows,        // rows moved / streamed / written
  kCols,        // elements per row
  kStride,      // DRAM: bytes between rows; on-chip: elements between rows
  kPadTop,      // LOAD zero padding, rows above
  kPadBottom,   // rows below
  kPadLeft,     // elements before each row
  kPadRight,    // elements after each row
  kSwap,        // MATMUL: make the shadow weights active first
  kAccumulate,  // MATMUL: add into the accumulator instead of overwriting
  kFunc,        // ACT: activation function
  kMult,        // ACT int8: fixed-point multiplier (signed 32 bit)
  kShift,       // ACT int8: right shift after the multiply (0..63)
  kScale,       // ACT f32: scale factor, stored as its IEEE-754 bits
  kQueue,       // SYNC: the queue it runs on
  kDataflow,    // CONFIG: ws or os
  kDType,       // CONFIG: int8 or f32
};
inline constexpr int kNumFields = 20;

/// VTA's dependency flags. pop_X waits for (and consumes) a token that queue X
/// pushed towards this queue; push_X sends one to queue X after this instruction.
struct DepFlags {
  bool pop_prev = false;
  bool pop_next = false;
  bool push_prev = false;
  bool push_next = false;
  friend bool operator==(const DepFlags&, const DepFlags&) = default;
};

/// One decoded instruction. Fields an opcode does not have stay 0.
struct Instr {
  Opcode op = Opcode::kHalt;
  DepFlags deps;
  int64_t mem = 0, sram = 0, dram = 0, acc = 0, rows = 0, cols = 0, stride = 0;
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  int64_t swap = 0, accumulate = 0, func = 0, mult = 0, shift = 0, scale = 0;
  int64_t queue = 0, dataflow = 0, dtype = 0;

  int64_t& at(Field field);
  int64_t at(Field field) const;
  friend bool operator==(const Instr&, const Instr&) = default;
};

/// How a field is written in assembly and which values it may hold.
enum class FieldKind : uint8_t {
  kRef,       // positional "space[value]", e.g. dram[0x100]
  kMemSpace,  // implied by the space of the sram operand (LOAD only)
  kUnsigned,  // key=value, 0 .. 2^width-1
  kSigned,    // key=value, two's complement in width bits
  kFlag,      // a bare word when set, e.g. "swap"
  kEnum,      // key=name, e.g. func=relu
  kF32,       // key=float, e.g. scale=0.5
};

struct FieldInfo {
  const char* key;  // assembly key ("pad" for all four paddings)
  FieldKind kind;
  std::array<const char*, 4> names;  // kEnum: value names, nullptr after the last
};

/// A field's place in one opcode's encoding: bits [lo, lo+width) of the 192-bit word.
struct FieldSlot {
  Field field;
  uint8_t lo;
  uint8_t width;
  bool required;  // optional fields default to `fallback` and are not printed then
  int64_t fallback;
  const char* space;  // kRef: "ub", "wb", "dram", "acc"; nullptr: from the mem field
};

struct OpInfo {
  Opcode op;
  const char* mnemonic;
  Queue queue;  // SYNC's real queue is its queue field (QueueOf)
  uint8_t num_slots;
  std::array<FieldSlot, 10> slots;  // in assembly order
};

/// 192 bits: three little-endian 64-bit words. Bits 0-3 opcode, 4 pop_prev,
/// 5 pop_next, 6 push_prev, 7 push_next; fields as in the table. Wider than VTA's
/// 128 bits because on-chip addresses are per element and paddings are 8 bits.
using EncodedInstr = std::array<uint64_t, 3>;
inline constexpr int kInstrBits = 192;

const OpInfo& GetOpInfo(Opcode op);
const FieldInfo& GetFieldInfo(Field field);
std::optional<Opcode> ParseMnemonic(std::string_view mnemonic);
std::string_view QueueName(Queue queue);        // "load", "execute", "store"
std::string_view MemSpaceName(MemSpace space);  // "ub", "wb"

/// An instruction of opcode `op` with every optional field at its default.
Instr MakeInstr(Opcode op);
/// The same, with `fields` set: MakeInstr(Opcode::kLoadW, {{Field::kRows, 16}, ...}).
Instr MakeInstr(Opcode op, std::initializer_list<std::pair<Field, int64_t>> fields);
/// The queue `instr` runs on (SYNC: its queue field).
Queue QueueOf(const Instr& instr);

/// The problem with giving field `slot` of `op` the value `value` (out of its width,
/// not a name of its enum, a zero size), or "" when it fits.
std::string CheckFieldValue(Opcode op, const FieldSlot& slot, int64_t value);

/// Checks every field against its width and kind, the token flags against the queue
/// (the load queue has no prev, the store queue no next), and sizes that must not be
/// zero. On failure *error says which field of which instruction and why.
bool ValidateInstr(const Instr& instr, std::string* error);

/// Encodes a valid instruction; false with *error set (from ValidateInstr) otherwise.
bool Encode(const Instr& instr, EncodedInstr* out, std::string* error);
/// Decodes 192 bits; nullopt with *error set for an unknown opcode, bits set outside
/// the opcode's fields, or field values ValidateInstr rejects.
std::optional<Instr> Decode(const EncodedInstr& bits, std::string* error);

/// A program as bytes: 24 per instruction, each word little-endian.
bool EncodeProgram(const std::vector<Instr>& program, std::vector<uint8_t>* out,
                   std::string* error);
/// The inverse; errors name the instruction index ("instruction 3: ...").
std::optional<std::vector<Instr>> DecodeProgram(const std::vector<uint8_t>& bytes,
                                                std::string* error);

}  // namespace tessel::tpu
