// Internal invariants: compiler bugs, not user errors.
//
// A failed TESSEL_CHECK means Tessel itself is wrong (a pass broke an
// invariant), so it names the place and aborts. User mistakes never reach
// it: they go through the DiagnosticEngine with a location.
#pragma once

#include <string>

namespace tessel {

[[noreturn]] void InternalError(const char* file, int line, const char* condition,
                                const std::string& message);

}  // namespace tessel

#define TESSEL_CHECK(condition, message)                                    \
  do {                                                                      \
    if (!(condition)) ::tessel::InternalError(__FILE__, __LINE__, #condition, (message)); \
  } while (false)
