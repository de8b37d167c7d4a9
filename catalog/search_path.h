#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::storage { class Transaction; }

namespace tessera::catalog {

class Catalog;

/// The schema names a search_path value lists, in order, as PostgreSQL splits it: separated by
/// commas, surrounding blanks dropped, unquoted names lower-cased, double-quoted ones taken as
/// written (`""` inside is one quote). Returns nullopt when the list is malformed (an empty
/// element, an unterminated quote, text after a quoted name).
std::optional<std::vector<std::string>> parse_search_path(std::string_view value);

/// The schemas unqualified names are looked up in, in order, for a session whose search_path
/// setting is `value` and whose user is `user`, as `txn` sees the catalog: each listed schema
/// that exists (`$user` stands for a schema named like the user), without repeats, preceded by
/// pg_catalog when the list does not name it and `include_implicit` is set
/// (current_schemas(true)). A malformed value lists nothing.
std::vector<std::string> search_path_schemas(const Catalog& catalog, const storage::Transaction& txn,
                                             std::string_view value, std::string_view user, bool include_implicit);

/// The schema CREATE puts an unqualified relation in: the first schema of the path that exists
/// (pg_catalog only when listed), or nullopt when there is none (current_schema() is NULL).
std::optional<std::string> creation_schema(const Catalog& catalog, const storage::Transaction& txn,
                                           std::string_view value, std::string_view user);

}  // namespace tessera::catalog
