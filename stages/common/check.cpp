// Internal error reporting for TESSEL_CHECK.
#include "stages/common/check.h"

#include <cstdio>
#include <cstdlib>

namespace tessel {

void InternalError(const char* file, int line, const char* condition, const std::string& message) {
  std::fprintf(stderr, "internal compiler error at %s:%d: %s (check '%s' failed)\n", file, line,
               message.c_str(), condition);
  std::fprintf(stderr, "this is a bug in Tessel, not in your program\n");
  std::abort();
}

}  // namespace tessel
