#include "src/common/assert.h"

namespace tessera {

void internal_error(const char* file, int line, const std::string& message) {
  throw SqlError(SqlState::kInternalError,
                 "internal error: " + message + " (" + file + ":" + std::to_string(line) + ")");
}

}  // namespace tessera
