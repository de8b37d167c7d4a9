#pragma once

#include "catalog/catalog_entry.h"

namespace tessera::catalog {

/// "table", "view", "index" or "sequence": a relation kind as PostgreSQL's messages name it.
const char* entry_kind_name(EntryKind kind);

}  // namespace tessera::catalog
