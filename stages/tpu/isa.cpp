// The instruction table and the checks every instruction must pass.
//
// kOps below is the single description of the ISA: mnemonic, queue, and for every
// field its bits, whether it is required and its default. Fields that mean the
// same thing sit at the same bits in every opcode (sram 16-47, acc 48-63, dram
// 64-95, stride 96-127, rows 128-143, cols 144-159) so hex dumps read alike.
#include "stages/tpu/isa.h"

#include "stages/common/check.h"

namespace tessel::tpu {

namespace {

using F = Field;
constexpr int64_t kOneF32 = 0x3F800000;  // 1.0f, the default ACT scale

constexpr FieldSlot Req(F f, uint8_t lo, uint8_t width, const char* space = "") {
  return {f, lo, width, true, 0, space};
}
constexpr FieldSlot Opt(F f, uint8_t lo, uint8_t width, int64_t fallback = 0) {
  return {f, lo, width, false, fallback, ""};
}

// clang-format off
constexpr OpInfo kOps[kNumOpcodes] = {
  // LOAD ub|wb[sram], dram[a], rows, cols, stride(bytes), pad=top,bottom,left,right
  {Opcode::kLoad, "load", Queue::kLoad, 10,
   {Req(F::kMem, 8, 2), Req(F::kSram, 16, 32, nullptr), Req(F::kDram, 64, 32, "dram"),
    Req(F::kRows, 128, 16), Req(F::kCols, 144, 16), Req(F::kStride, 96, 32),
    Opt(F::kPadTop, 48, 8), Opt(F::kPadBottom, 56, 8), Opt(F::kPadLeft, 160, 8),
    Opt(F::kPadRight, 168, 8)}},
  // STORE dram[a], ub[sram], rows, cols, stride(bytes)
  {Opcode::kStore, "store", Queue::kStore, 5,
   {Req(F::kDram, 64, 32, "dram"), Req(F::kSram, 16, 32, "ub"), Req(F::kRows, 128, 16),
    Req(F::kCols, 144, 16), Req(F::kStride, 96, 32)}},
  // LOADW wb[sram], rows(k), cols(n), stride(elements)
  {Opcode::kLoadW, "loadw", Queue::kExecute, 4,
   {Req(F::kSram, 16, 32, "wb"), Req(F::kRows, 128, 16), Req(F::kCols, 144, 16),
    Req(F::kStride, 96, 32)}},
  // MATMUL acc[a], ub[sram], rows(m), stride(elements), swap, accumulate
  {Opcode::kMatmul, "matmul", Queue::kExecute, 6,
   {Req(F::kAcc, 48, 16, "acc"), Req(F::kSram, 16, 32, "ub"), Req(F::kRows, 128, 16),
    Req(F::kStride, 96, 32), Opt(F::kSwap, 8, 1), Opt(F::kAccumulate, 9, 1)}},
  // ACT ub[sram], acc[a], rows, cols, stride(elements), func, mult, shift, scale
  {Opcode::kAct, "act", Queue::kExecute, 9,
   {Req(F::kSram, 16, 32, "ub"), Req(F::kAcc, 48, 16, "acc"), Req(F::kRows, 128, 16),
    Req(F::kCols, 144, 16), Req(F::kStride, 96, 32), Opt(F::kFunc, 8, 2),
    Opt(F::kMult, 64, 32, 1), Opt(F::kShift, 10, 6), Opt(F::kScale, 160, 32, kOneF32)}},
  // SYNC queue=load|execute|store: no work, only tokens
  {Opcode::kSync, "sync", Queue::kExecute, 1, {Req(F::kQueue, 8, 2)}},
  // CONFIG dataflow=ws|os, dtype=int8|f32
  {Opcode::kConfig, "config", Queue::kExecute, 2, {Req(F::kDataflow, 8, 1), Req(F::kDType, 9, 1)}},
  {Opcode::kHalt, "halt", Queue::kExecute, 0, {}},
};

constexpr FieldInfo kFields[kNumFields] = {
  {"", FieldKind::kMemSpace, {"ub", "wb", nullptr, nullptr}},
  {"", FieldKind::kRef, {}},
  {"", FieldKind::kRef, {}},
  {"", FieldKind::kRef, {}},
  {"rows", FieldKind::kUnsigned, {}},
  {"cols", FieldKind::kUnsigned, {}},
  {"stride", FieldKind::kUnsigned, {}},
  {"pad", FieldKind::kUnsigned, {}},
  {"pad", FieldKind::kUnsigned, {}},
  {"pad", FieldKind::kUnsigned, {}},
  {"pad", FieldKind::kUnsigned, {}},
  {"swap", FieldKind::kFlag, {}},
  {"accumulate", FieldKind::kFlag, {}},
  {"func", FieldKind::kEnum, {"none", "relu", nullptr, nullptr}},
  {"mult", FieldKind::kSigned, {}},
  {"shift", FieldKind::kUnsigned, {}},
  {"scale", FieldKind::kF32, {}},
  {"queue", FieldKind::kEnum, {"load", "execute", "store", nullptr}},
  {"dataflow", FieldKind::kEnum, {"ws", "os", nullptr, nullptr}},
  {"dtype", FieldKind::kEnum, {"int8", "f32", nullptr, nullptr}},
};
// clang-format on

// Field names for messages about fields an opcode does not have.
constexpr const char* kFieldNames[kNumFields] = {
    "mem",     "sram",       "dram",     "acc",       "rows",     "cols",       "stride",
    "pad_top", "pad_bottom", "pad_left", "pad_right", "swap",     "accumulate", "func",
    "mult",    "shift",      "scale",    "queue",     "dataflow", "dtype"};

// The static check of the encoding: each table row is at its opcode's index, and
// every field lies after the 8 header bits, inside 192 bits, within one 64-bit word,
// and overlaps no other field of the same opcode.
constexpr bool LayoutIsValid() {
  for (int i = 0; i < kNumOpcodes; ++i) {
    const OpInfo& info = kOps[i];
    if (static_cast<int>(info.op) != i) return false;
    uint64_t used[3] = {0xFF, 0, 0};  // the header
    for (int s = 0; s < info.num_slots; ++s) {
      const FieldSlot& slot = info.slots[s];
      int lo = slot.lo, width = slot.width, word = lo / 64, bit = lo % 64;
      if (width < 1 || lo + width > kInstrBits || bit + width > 64) return false;
      uint64_t mask = (width == 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1)) << bit;
      if (used[word] & mask) return false;
      used[word] |= mask;
    }
  }
  return true;
}
static_assert(LayoutIsValid(), "the TPU instruction table has overlapping or misplaced fields");

int EnumCount(const FieldInfo& info) {
  int n = 0;
  while (n < 4 && info.names[n] != nullptr) ++n;
  return n;
}

// The name of field `slot` in messages: its key, or for positional operands its space.
std::string FieldName(const FieldSlot& slot) {
  static constexpr const char* kPadNames[] = {"pad top", "pad bottom", "pad left", "pad right"};
  switch (slot.field) {
    case F::kSram:
      return slot.space ? std::string(slot.space) + " address" : "buffer address";
    case F::kDram:
      return "dram address";
    case F::kAcc:
      return "acc address";
    case F::kMem:
      return "memory space";
    case F::kPadTop:
    case F::kPadBottom:
    case F::kPadLeft:
    case F::kPadRight:
      return kPadNames[static_cast<int>(slot.field) - static_cast<int>(F::kPadTop)];
    case F::kRows:
    case F::kCols:
    case F::kStride:
    case F::kSwap:
    case F::kAccumulate:
    case F::kFunc:
    case F::kMult:
    case F::kShift:
    case F::kScale:
    case F::kQueue:
    case F::kDataflow:
    case F::kDType:
      return GetFieldInfo(slot.field).key;
  }
  return "field";
}

}  // namespace

std::string CheckFieldValue(Opcode op, const FieldSlot& slot, int64_t value) {
  const OpInfo& info = GetOpInfo(op);
  bool is_size = slot.field == F::kRows || slot.field == F::kCols;
  if (is_size && value == 0) {
    return std::string(info.mnemonic) + ": " + FieldName(slot) + " must be at least 1";
  }
  const FieldInfo& field = GetFieldInfo(slot.field);
  int64_t lo = 0, hi = (int64_t{1} << slot.width) - 1;
  if (field.kind == FieldKind::kSigned) {
    lo = -(int64_t{1} << (slot.width - 1));
    hi = (int64_t{1} << (slot.width - 1)) - 1;
  } else if (field.kind == FieldKind::kEnum || field.kind == FieldKind::kMemSpace) {
    hi = EnumCount(field) - 1;
  }
  if (value >= lo && value <= hi) return "";
  return std::string(info.mnemonic) + ": " + FieldName(slot) + " " + std::to_string(value) +
         " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

int64_t& Instr::at(Field field) {
  int64_t* members[kNumFields] = {&mem,       &sram,   &dram,       &acc,        &rows,
                                  &cols,      &stride, &pad_top,    &pad_bottom, &pad_left,
                                  &pad_right, &swap,   &accumulate, &func,       &mult,
                                  &shift,     &scale,  &queue,      &dataflow,   &dtype};
  return *members[static_cast<int>(field)];
}

int64_t Instr::at(Field field) const { return const_cast<Instr*>(this)->at(field); }

const OpInfo& GetOpInfo(Opcode op) { return kOps[static_cast<int>(op)]; }
const FieldInfo& GetFieldInfo(Field field) { return kFields[static_cast<int>(field)]; }

std::optional<Opcode> ParseMnemonic(std::string_view mnemonic) {
  for (const OpInfo& info : kOps) {
    if (mnemonic == info.mnemonic) return info.op;
  }
  return std::nullopt;
}

std::string_view QueueName(Queue queue) {
  return kFields[static_cast<int>(F::kQueue)].names[static_cast<int>(queue)];
}

std::string_view MemSpaceName(MemSpace space) {
  return kFields[static_cast<int>(F::kMem)].names[static_cast<int>(space)];
}

Instr MakeInstr(Opcode op) {
  Instr instr;
  instr.op = op;
  const OpInfo& info = GetOpInfo(op);
  for (int s = 0; s < info.num_slots; ++s) instr.at(info.slots[s].field) = info.slots[s].fallback;
  return instr;
}

Instr MakeInstr(Opcode op, std::initializer_list<std::pair<Field, int64_t>> fields) {
  Instr instr = MakeInstr(op);
  for (auto [field, value] : fields) instr.at(field) = value;
  return instr;
}

Queue QueueOf(const Instr& instr) {
  if (instr.op == Opcode::kSync) return static_cast<Queue>(instr.queue);
  return GetOpInfo(instr.op).queue;
}

bool ValidateInstr(const Instr& instr, std::string* error) {
  int op = static_cast<int>(instr.op);
  if (op < 0 || op >= kNumOpcodes) {
    *error = "unknown opcode " + std::to_string(op);
    return false;
  }
  const OpInfo& info = GetOpInfo(instr.op);
  bool used[kNumFields] = {};
  for (int s = 0; s < info.num_slots; ++s) used[static_cast<int>(info.slots[s].field)] = true;
  for (int f = 0; f < kNumFields; ++f) {
    if (!used[f] && instr.at(static_cast<Field>(f)) != 0) {
      *error = std::string(info.mnemonic) + " has no field " + kFieldNames[f] +
               " but it is set to " + std::to_string(instr.at(static_cast<Field>(f)));
      return false;
    }
  }
  for (int s = 0; s < info.num_slots; ++s) {
    const FieldSlot& slot = info.slots[s];
    *error = CheckFieldValue(instr.op, slot, instr.at(slot.field));
    if (!error->empty()) return false;
  }
  Queue queue = QueueOf(instr);
  if (queue == Queue::kLoad && (instr.deps.pop_prev || instr.deps.push_prev)) {
    *error = std::string(info.mnemonic) + ": the load queue has no previous queue " +
             "(pop_prev and push_prev are not allowed)";
    return false;
  }
  if (queue == Queue::kStore && (instr.deps.pop_next || instr.deps.push_next)) {
    *error = std::string(info.mnemonic) + ": the store queue has no next queue " +
             "(pop_next and push_next are not allowed)";
    return false;
  }
  return true;
}

}  // namespace tessel::tpu
