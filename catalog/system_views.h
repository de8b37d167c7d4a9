#pragma once

#include <string_view>

namespace tessera::catalog {

/// System views: relations of pg_catalog read like tables, each backed by the table function
/// of the same name without arguments (registered with the built-in functions). As pg_catalog
/// comes first on PostgreSQL's search path, `FROM name` and `FROM pg_catalog.name` read the
/// view even when a table of that name exists (`public.name` reaches the table).
inline constexpr std::string_view kSystemViews[] = {
    "tessera_storage",  // how each column of each row group is stored (executor/functions/system_functions.cc)
};

inline bool is_system_view(std::string_view name) {
  for (std::string_view view : kSystemViews) {
    if (view == name) return true;
  }
  return false;
}

}  // namespace tessera::catalog
