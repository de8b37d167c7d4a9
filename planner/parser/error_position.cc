#include "planner/parser/error_position.h"

namespace tessera::planner {

uint32_t error_position(std::string_view sql, int location) {
  if (location < 0) return 0;
  size_t end = static_cast<size_t>(location);
  if (end > sql.size()) end = sql.size();
  uint32_t characters = 0;
  for (size_t i = 0; i < end; ++i) {
    // Count every byte that is not a UTF-8 continuation byte.
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++characters;
  }
  return characters + 1;
}

}  // namespace tessera::planner
