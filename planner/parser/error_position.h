#pragma once

#include <cstdint>
#include <string_view>

namespace tessera::planner {

/// Converts a 0-based byte offset into `sql` (an AST `location`) into the 1-based character
/// position PostgreSQL reports in the ErrorResponse 'P' field (UTF-8 aware, as PostgreSQL
/// counts characters, not bytes). Returns 0 ("unknown") for a negative location.
uint32_t error_position(std::string_view sql, int location);

}  // namespace tessera::planner
