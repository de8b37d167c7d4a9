#pragma once

#include <string_view>

namespace tessera {

/// Whether an encoding name (as a client or a COPY ENCODING option spells it) denotes UTF-8:
/// PostgreSQL matches encoding names case-insensitively, ignoring punctuation.
bool is_utf8_encoding_name(std::string_view name);

}  // namespace tessera
