#pragma once

#include <string>

#include "src/common/sql_error.h"

namespace tessera {

/// Raises XX000 internal_error for a broken internal invariant. Never reachable from user input.
[[noreturn]] void internal_error(const char* file, int line, const std::string& message);

}  // namespace tessera

/// Always-on invariant check; failure raises XX000 internal_error.
#define TS_CHECK(cond, msg)                                   \
  do {                                                        \
    if (!(cond)) ::tessera::internal_error(__FILE__, __LINE__, (msg)); \
  } while (0)

#ifdef NDEBUG
#define TS_DCHECK(cond, msg) \
  do {                       \
  } while (0)
#else
#define TS_DCHECK(cond, msg) TS_CHECK(cond, msg)
#endif
