#pragma once

#include <cstdint>
#include <string_view>

namespace tessera::planner {

/// PostgreSQL's keyword categories, which decide where a word may serve as a name.
enum class KeywordCategory : uint8_t {
  /// Not a keyword, or an unreserved keyword: usable anywhere as a name.
  kUnreserved,
  /// May name a column or table but not a function or type (INT, BETWEEN, EXTRACT, ...).
  kColName,
  /// May name a function or type but not a column or table (LEFT, JOIN, LIKE, ...).
  kTypeFuncName,
  /// Only usable as a name after AS or '.', or when double-quoted (SELECT, FROM, ...).
  kReserved,
};

/// The category of the lower-case word `word` (as in PostgreSQL 15).
KeywordCategory keyword_category(std::string_view word);

/// True when `word` may be used as a column alias without AS (PostgreSQL's BareColLabel),
/// assuming the word is not quoted.
bool is_bare_label(std::string_view word);

}  // namespace tessera::planner
