// NumPy .npy reading and writing (see npy.h).
//
// The format (numpy.lib.format, NEP 1): the magic "\x93NUMPY", a major and a
// minor version byte, the header length (little-endian uint16 in version 1.0,
// uint32 in 2.0 and 3.0), then the header: the repr of a Python dict such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ended by '\n' so that the data starts at a multiple
// of 64 bytes. The data follows: the elements, row-major, in the descr's
// byte order.
#include "stages/runtime/npy.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>

#include "stages/common/check.h"

namespace tessel {
namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
constexpr size_t kAlignment = 64;
// NumPy >= 1.24 leaves room after the dict for the first dimension to grow
// to this many digits, so that appending to the file can rewrite the header in place.
constexpr size_t kGrowthAxisMaxDigits = 21;

// The descr NumPy writes for each dtype.
std::string_view DescrOf(DType dtype) {
  switch (dtype) {
    case DType::kF32:
      return "<f4";
    case DType::kF16:
      return "<f2";
    case DType::kI32:
      return "<i4";
    case DType::kI8:
      return "|i1";
    case DType::kBool:
      return "|b1";
  }
  return "?";
}

// The dtype of `descr`: the spellings above, '=' (native, which is
// little-endian here) for '<', and any of "<=|" for the one-byte types.
std::optional<DType> DTypeOfDescr(std::string_view descr) {
  if (descr.size() != 3) return std::nullopt;
  const char order = descr[0];
  const std::string_view type = descr.substr(1);
  for (DType dtype : {DType::kF32, DType::kF16, DType::kI32, DType::kI8, DType::kBool}) {
    if (DescrOf(dtype).substr(1) != type) continue;
    const bool one_byte = DTypeSize(dtype) == 1;
    if (order == '<' || order == '=' || (one_byte && order == '|')) return dtype;
  }
  return std::nullopt;
}

// Python's repr of a shape tuple: "()", "(3,)", "(2, 3)".
std::string ShapeRepr(const Shape& shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + (shape.size() == 1 ? ",)" : ")");
}

uint32_t ReadLittleEndian(std::string_view bytes, size_t offset, size_t width) {
  uint32_t value = 0;
  for (size_t i = width; i-- > 0;) value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return value;
}

// The parsed header dict.
struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

// Parses the header dict, a Python literal:
//   dict  = '{' [ entry { ',' entry } [ ',' ] ] '}'
//   entry = string ':' value      (keys 'descr', 'fortran_order', 'shape', each once)
//   value = string | 'True' | 'False' | tuple
//   tuple = '(' ')' | '(' int ',' ')' | '(' int { ',' int } [ ',' ] ')'
// Python 2 wrote dimensions as longs ("3L"); the 'L' is accepted as NumPy does.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  /// Parses the whole header; false with *error ("expected ... at offset N").
  bool Parse(Header* header, std::string* error);

 private:
  bool ParseDict(Header* header);
  bool ParseEntry(Header* header);
  bool ParseString(std::string* value);
  bool ParseBool(bool* value);
  bool ParseTuple(Shape* value);
  bool ParseInt(int64_t* value);
  void SkipSpace();
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool Accept(char c);
  bool Fail(const std::string& message);

  std::string_view text_;
  size_t pos_ = 0;
  bool seen_[3] = {false, false, false};  // descr, fortran_order, shape
  std::string error_;                     // the first failure
};

bool HeaderParser::Parse(Header* header, std::string* error) {
  bool ok = ParseDict(header);
  const char* names[3] = {"descr", "fortran_order", "shape"};
  for (int i = 0; ok && i < 3; ++i) {
    if (seen_[i]) continue;
    error_ = std::string("missing key '") + names[i] + "'";
    ok = false;
  }
  if (!ok) *error = error_;
  return ok;
}

bool HeaderParser::ParseDict(Header* header) {
  SkipSpace();
  if (!Accept('{')) return Fail("expected '{'");
  SkipSpace();
  while (!Accept('}')) {
    if (!ParseEntry(header)) return false;
    SkipSpace();
    if (!Accept(',') && !Peek('}')) return Fail("expected ',' or '}'");
    SkipSpace();
  }
  SkipSpace();  // the padding and the final '\n'
  if (pos_ != text_.size()) return Fail("unexpected text after the dict");
  return true;
}

bool HeaderParser::ParseEntry(Header* header) {
  const size_t key_start = pos_;
  std::string key;
  if (!ParseString(&key)) return false;
  SkipSpace();
  if (!Accept(':')) return Fail("expected ':' after '" + key + "'");
  SkipSpace();
  const int slot = key == "descr" ? 0 : key == "fortran_order" ? 1 : key == "shape" ? 2 : -1;
  if (slot < 0 || seen_[slot]) {
    pos_ = key_start;  // point at the key
    return Fail((slot < 0 ? "unexpected key '" : "duplicate key '") + key + "'");
  }
  seen_[slot] = true;
  if (slot == 0) return ParseString(&header->descr);
  if (slot == 1) return ParseBool(&header->fortran_order);
  return ParseTuple(&header->shape);
}

bool HeaderParser::ParseString(std::string* value) {
  if (pos_ >= text_.size()) return Fail("unexpected end of the header");
  if (text_[pos_] != '\'' && text_[pos_] != '"') return Fail("expected a quoted string");
  const char quote = text_[pos_++];
  const size_t end = text_.find(quote, pos_);
  if (end == std::string_view::npos) return Fail("unterminated string");
  *value = std::string(text_.substr(pos_, end - pos_));
  if (value->find('\\') != std::string::npos) return Fail("escapes in strings are not supported");
  pos_ = end + 1;
  return true;
}

bool HeaderParser::ParseBool(bool* value) {
  for (bool candidate : {true, false}) {
    std::string_view word = candidate ? "True" : "False";
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      *value = candidate;
      return true;
    }
  }
  return Fail("expected True or False");
}

bool HeaderParser::ParseTuple(Shape* value) {
  const size_t start = pos_;
  if (!Accept('(')) return Fail("expected a tuple of dimensions");
  value->clear();
  bool trailing_comma = false;
  SkipSpace();
  while (!Accept(')')) {
    int64_t dim = 0;
    if (!ParseInt(&dim)) return false;
    value->push_back(dim);
    SkipSpace();
    trailing_comma = Accept(',');
    SkipSpace();
    if (!trailing_comma && !Peek(')')) return Fail("expected ',' or ')' in the shape");
  }
  // In Python "(3)" is the integer 3; a one-element tuple is written "(3,)".
  if (value->size() == 1 && !trailing_comma) {
    pos_ = start;
    return Fail("shape (n) is not a tuple, write (n,)");
  }
  return true;
}

bool HeaderParser::ParseInt(int64_t* value) {
  const size_t start = pos_;
  int64_t result = 0;
  while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
    const int digit = text_[pos_++] - '0';
    if (result > (std::numeric_limits<int64_t>::max() - digit) / 10) {
      return Fail("dimension too large");
    }
    result = result * 10 + digit;
  }
  if (pos_ == start) return Fail("expected a non-negative integer dimension");
  Accept('L');
  *value = result;
  return true;
}

void HeaderParser::SkipSpace() {
  while (pos_ < text_.size() &&
         std::string_view(" \t\n\r").find(text_[pos_]) != std::string_view::npos) {
    ++pos_;
  }
}

bool HeaderParser::Accept(char c) {
  if (!Peek(c)) return false;
  ++pos_;
  return true;
}

bool HeaderParser::Fail(const std::string& message) {
  if (error_.empty()) error_ = message + " at offset " + std::to_string(pos_) + " of the header";
  return false;
}

std::optional<Tensor> Failure(const std::string& name, const std::string& message,
                              std::string* error) {
  *error = name + ": " + message;
  return std::nullopt;
}

// The element count of `shape`, or nullopt when it overflows int64.
std::optional<int64_t> CheckedNumElements(const Shape& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim) return std::nullopt;
    count *= dim;
  }
  return count;
}

// Builds the tensor from the header and the data that follows it.
std::optional<Tensor> DecodeData(const Header& header, std::string_view data,
                                 const std::string& name, std::string* error) {
  std::optional<DType> dtype = DTypeOfDescr(header.descr);
  if (!dtype) {
    return Failure(name,
                   "unsupported dtype '" + header.descr +
                       "' (Tessel reads <f4 <f2 <i4 |i1 |b1; convert with .astype(), "
                       "e.g. numpy.float32 for floats, numpy.int32 for integers)",
                   error);
  }
  if (header.fortran_order) {
    return Failure(name,
                   "fortran_order arrays are not supported (save a C-ordered array, "
                   "e.g. numpy.ascontiguousarray(x))",
                   error);
  }
  const std::optional<int64_t> count = CheckedNumElements(header.shape);
  const int64_t item_size = static_cast<int64_t>(DTypeSize(*dtype));
  if (!count || *count > static_cast<int64_t>(data.size()) / item_size) {
    return Failure(name,
                   "truncated data: shape " + ShapeRepr(header.shape) + " of " + header.descr +
                       " needs " + (count ? std::to_string(*count * item_size) : "too many") +
                       " bytes, the file has " + std::to_string(data.size()),
                   error);
  }
  // NumPy ignores bytes after the data (several arrays may be saved into one
  // file); so does Tessel.
  Tensor tensor(*dtype, header.shape);
  if (!tensor.bytes().empty()) {  // memcpy wants non-null pointers even for 0 bytes
    std::memcpy(tensor.bytes().data(), data.data(), tensor.bytes().size());
  }
  if (*dtype == DType::kBool) {
    for (int64_t i = 0; i < tensor.size(); ++i) tensor.Set(i, tensor.Get(i));  // to 0 or 1
  }
  return tensor;
}

}  // namespace

std::optional<Tensor> ParseNpy(const std::string& bytes, const std::string& name,
                               std::string* error) {
  const std::string_view view(bytes);
  if (view.size() < kMagic.size() + 2 || view.substr(0, kMagic.size()) != kMagic) {
    return Failure(name, "not a .npy file (bad magic)", error);
  }
  const int major = static_cast<uint8_t>(view[6]);
  const int minor = static_cast<uint8_t>(view[7]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    return Failure(name,
                   "unsupported .npy format version " + std::to_string(major) + "." +
                       std::to_string(minor) + " (Tessel reads 1.0, 2.0 and 3.0)",
                   error);
  }
  const size_t length_width = major == 1 ? 2 : 4;
  const size_t header_start = 8 + length_width;
  if (view.size() < header_start) return Failure(name, "truncated header", error);
  const size_t header_length = ReadLittleEndian(view, 8, length_width);
  if (view.size() - header_start < header_length) return Failure(name, "truncated header", error);

  Header header;
  std::string parse_error;
  HeaderParser parser(view.substr(header_start, header_length));
  if (!parser.Parse(&header, &parse_error)) {
    return Failure(name, "malformed .npy header: " + parse_error, error);
  }
  return DecodeData(header, view.substr(header_start + header_length), name, error);
}

std::string SerializeNpy(const Tensor& tensor) {
  // Byte for byte what numpy.save writes (numpy.lib.format._write_array_header).
  std::string header = "{'descr': '" + std::string(DescrOf(tensor.dtype())) +
                       "', 'fortran_order': False, 'shape': " + ShapeRepr(tensor.shape()) + ", }";
  if (tensor.rank() > 0) {
    header.append(kGrowthAxisMaxDigits - std::to_string(tensor.shape()[0]).size(), ' ');
  }
  const size_t prefix = kMagic.size() + 2 + 2;  // magic, version, header length
  // Like NumPy, pad a whole block when the header already ends aligned.
  header.append(kAlignment - (prefix + header.size() + 1) % kAlignment, ' ');
  header += '\n';
  TESSEL_CHECK(header.size() <= 0xffff, "a .npy 1.0 header must fit in 65535 bytes");

  std::string out(kMagic);
  out += '\x01';  // version 1.0
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  const std::vector<std::byte>& data = tensor.bytes();
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
  return out;
}

std::optional<Tensor> ReadNpy(const std::string& path, std::string* error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Failure(path, std::string("cannot open: ") + std::strerror(errno), error);
  }
  std::string bytes;
  char buffer[1 << 16];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) bytes.append(buffer, read);
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) {
    return Failure(path, std::string("cannot read: ") + std::strerror(read_errno), error);
  }
  return ParseNpy(bytes, path, error);
}

bool WriteNpy(const std::string& path, const Tensor& tensor, std::string* error) {
  const std::string bytes = SerializeNpy(tensor);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    *error = path + ": cannot write: " + std::strerror(errno);
    return false;
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  const int write_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    *error = path + ": cannot write: " + std::strerror(written ? errno : write_errno);
    return false;
  }
  return true;
}

}  // namespace tessel
