#pragma once

#include <string_view>

namespace tessera::executor {

/// SQL LIKE: `%` matches any sequence, `_` one character, `escape` (default backslash; NUL for
/// none) quotes the next pattern character. Over valid UTF-8 (`_` takes one character);
/// `case_insensitive` folds ASCII letters only (ILIKE lower-cases both sides first instead).
/// Returns false for a pattern ending in the escape character (the caller raises 22025).
bool like_match(std::string_view text, std::string_view pattern, char escape, bool case_insensitive);

}  // namespace tessera::executor
