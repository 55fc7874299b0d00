// The judge's wire format: what a runner (a program linked with the learner's
// code) writes about its results, and what the trusted judge (linked with the
// pristine tests, never with learner code) reads back.
//
// A message is a sequence of atoms separated by white space: words, signed
// integers, floats in C's exact hexadecimal form (%a), and quoted strings
// with \" \\ and \xHH escapes. The reader trusts nothing: every malformed,
// truncated or oversized input is a WireError, never a crash.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tessel::judge {

/// What the judge throws when a runner's output cannot be read.
class WireError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Appends atoms to a message.
class WireWriter {
 public:
  void Word(std::string_view word);  // no spaces, no quotes
  void Int(int64_t value);
  void Float(double value);
  void Str(std::string_view text);
  void Bool(bool value) { Word(value ? "true" : "false"); }
  void Newline() { text_ += '\n'; }
  const std::string& text() const { return text_; }

 private:
  void Separate();
  std::string text_;
};

/// Reads atoms back, in the order they were written.
class WireReader {
 public:
  explicit WireReader(std::string_view text) : text_(text) {}
  std::string Word();
  void Expect(std::string_view word);  // the next word must be `word`
  int64_t Int();
  /// An integer in [lo, hi]; a count of elements also bounded by the bytes left.
  int64_t IntIn(int64_t lo, int64_t hi);
  size_t Count();
  uint32_t U32() { return static_cast<uint32_t>(IntIn(0, UINT32_MAX)); }
  double Float();
  std::string Str();
  bool Bool();
  bool AtEnd();

 private:
  void SkipSpace();
  std::string_view Token();  // the next unquoted atom
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace tessel::judge
