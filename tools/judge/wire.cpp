// The judge's wire format (wire.h).
#include "tools/judge/wire.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace tessel::judge {

void WireWriter::Separate() {
  if (!text_.empty() && text_.back() != '\n') text_ += ' ';
}

void WireWriter::Word(std::string_view word) {
  Separate();
  text_ += word;
}

void WireWriter::Int(int64_t value) {
  Separate();
  text_ += std::to_string(value);
}

void WireWriter::Float(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", value);  // exact: every bit of the double
  Word(buf);
}

void WireWriter::Str(std::string_view text) {
  Separate();
  text_ += '"';
  static const char kHex[] = "0123456789abcdef";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      text_ += '\\';
      text_ += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      text_ += "\\x";
      text_ += kHex[c >> 4];
      text_ += kHex[c & 15];
    } else {
      text_ += static_cast<char>(c);
    }
  }
  text_ += '"';
}

void WireReader::SkipSpace() {
  while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n')) ++pos_;
}

bool WireReader::AtEnd() {
  SkipSpace();
  return pos_ == text_.size();
}

std::string_view WireReader::Token() {
  SkipSpace();
  if (pos_ == text_.size()) throw WireError("the output ends too early");
  if (text_[pos_] == '"') throw WireError("a string where a word or number was expected");
  size_t start = pos_;
  while (pos_ < text_.size() && text_[pos_] != ' ' && text_[pos_] != '\n') ++pos_;
  return text_.substr(start, pos_ - start);
}

std::string WireReader::Word() { return std::string(Token()); }

void WireReader::Expect(std::string_view word) {
  std::string_view found = Token();
  if (found != word) {
    throw WireError("expected '" + std::string(word) + "', found '" +
                    std::string(found.substr(0, 40)) + "'");
  }
}

int64_t WireReader::Int() {
  std::string_view token = Token();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size()) {
    throw WireError("expected an integer, found '" + std::string(token.substr(0, 40)) + "'");
  }
  return value;
}

int64_t WireReader::IntIn(int64_t lo, int64_t hi) {
  int64_t value = Int();
  if (value < lo || value > hi) {
    throw WireError("the number " + std::to_string(value) + " is out of range");
  }
  return value;
}

size_t WireReader::Count() {
  // Every element takes at least one byte, so a count beyond the bytes left is a lie.
  return static_cast<size_t>(IntIn(0, static_cast<int64_t>(text_.size() - pos_)));
}

double WireReader::Float() {
  std::string token(Token());
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(token.c_str(), &end);
  if (end != token.c_str() + token.size()) {
    throw WireError("expected a number, found '" + token.substr(0, 40) + "'");
  }
  return value;
}

bool WireReader::Bool() {
  std::string_view token = Token();
  if (token == "true") return true;
  if (token == "false") return false;
  throw WireError("expected true or false, found '" + std::string(token.substr(0, 40)) + "'");
}

std::string WireReader::Str() {
  SkipSpace();
  if (pos_ == text_.size() || text_[pos_] != '"') throw WireError("expected a quoted string");
  ++pos_;
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  while (pos_ < text_.size() && text_[pos_] != '"') {
    char c = text_[pos_++];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (pos_ == text_.size()) break;
    char e = text_[pos_++];
    if (e == '"' || e == '\\') {
      out += e;
    } else if (e == 'x' && pos_ + 2 <= text_.size() && hex(text_[pos_]) >= 0 &&
               hex(text_[pos_ + 1]) >= 0) {
      out += static_cast<char>(hex(text_[pos_]) * 16 + hex(text_[pos_ + 1]));
      pos_ += 2;
    } else {
      throw WireError("a bad escape in a string");
    }
  }
  if (pos_ == text_.size()) throw WireError("a string that does not end");
  ++pos_;
  return out;
}

}  // namespace tessel::judge
