#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::planner {

/// The query `sql` (a stored view definition) reading relation `to` where it read relation
/// `from` (ALTER TABLE from RENAME TO to): each reference in a FROM list (after FROM, JOIN or
/// a comma of a FROM list, possibly qualified with `public.`) is renamed, and one without an
/// alias gets `AS from`, so that qualified column references keep working. Works on tokens:
/// nullopt when the text has a form it does not follow (the name also names a WITH query or
/// a function). The caller binds the result to check it.
std::optional<std::string> rename_relation_in_query(std::string_view sql, const std::string& from,
                                                    const std::string& to);

/// `name` as SQL text: bare when it reads back as itself, else double-quoted.
std::string quote_identifier(const std::string& name);

}  // namespace tessera::planner
