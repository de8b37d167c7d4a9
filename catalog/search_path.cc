#include "catalog/search_path.h"

#include <algorithm>
#include <cctype>

#include "catalog/catalog.h"

namespace tessera::catalog {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::optional<std::vector<std::string>> parse_search_path(std::string_view value) {
  std::vector<std::string> names;
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < value.size() && is_blank(value[i])) i++;
  };
  skip_blanks();
  if (i == value.size()) return names;  // an empty list
  for (;;) {
    std::string name;
    if (i < value.size() && value[i] == '"') {
      i++;
      for (;;) {
        if (i == value.size()) return std::nullopt;
        if (value[i] == '"') {
          if (i + 1 < value.size() && value[i + 1] == '"') {
            name += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += value[i++];
      }
    } else {
      while (i < value.size() && value[i] != ',' && !is_blank(value[i])) {
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
        i++;
      }
      if (name.empty()) return std::nullopt;
    }
    names.push_back(std::move(name));
    skip_blanks();
    if (i == value.size()) return names;
    if (value[i] != ',') return std::nullopt;
    i++;
    skip_blanks();
  }
}

std::vector<std::string> search_path_schemas(const Catalog& catalog, const storage::Transaction& txn,
                                             std::string_view value, std::string_view user, bool include_implicit) {
  std::vector<std::string> result;
  auto listed = parse_search_path(value);
  if (!listed) listed.emplace();
  const bool catalog_listed = std::find(listed->begin(), listed->end(), kCatalogSchema) != listed->end();
  if (include_implicit && !catalog_listed) result.push_back(kCatalogSchema);
  for (std::string name : *listed) {
    if (name == "$user") name = user;
    if (std::find(result.begin(), result.end(), name) != result.end()) continue;
    if (catalog.find_schema(txn, name)) result.push_back(std::move(name));
  }
  return result;
}

std::optional<std::string> creation_schema(const Catalog& catalog, const storage::Transaction& txn,
                                           std::string_view value, std::string_view user) {
  auto schemas = search_path_schemas(catalog, txn, value, user, false);
  if (schemas.empty()) return std::nullopt;
  return schemas.front();
}

}  // namespace tessera::catalog
