#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::planner {

/// The query `sql` (a stored view definition) reading relation `to` where it read relation
/// `from` (ALTER TABLE from RENAME TO to): each reference in a FROM list (after FROM, JOIN or
/// a comma of a FROM list, possibly qualified with `public.`) is renamed, and one without an
/// alias gets `AS from`, so that qualified column references keep working. Works on tokens:
/// nullopt when the text has a form it does not follow (the name also names a WITH query or
/// a function). With `column_names` (a column of the relation renamed), each reference also
/// gets a column alias list naming the relation's columns as the query knows them
/// (`to AS from(a, b)`); nullopt when a reference has an alias list already. The caller binds
/// the result to check it.
std::optional<std::string> rename_relation_in_query(std::string_view sql, const std::string& from,
                                                    const std::string& to,
                                                    const std::vector<std::string>* column_names = nullptr);

/// Whether query `sql` may read a column called one of `names`: it has an identifier token
/// spelled so, or a `*` (which may expand to it).
bool query_mentions_column(std::string_view sql, const std::vector<std::string>& names);

/// `name` as SQL text: bare when it reads back as itself, else double-quoted.
std::string quote_identifier(const std::string& name);

}  // namespace tessera::planner
