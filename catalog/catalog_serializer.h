#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "catalog/catalog_entry.h"
#include "src/common/logical_type.h"
#include "storage/durable/binary_io.h"

namespace tessera::storage {
class DataTable;
}  // namespace tessera::storage

namespace tessera::catalog {

/// The durable form of catalog objects (the WAL's catalog records): every field that defines
/// one version of a schema or relation, read back into a new, unpublished object equal in
/// every field. Stamps (creation, deletion) are not written: Catalog::install_recovered sets
/// them. Readers throw XX001 (BinaryReader::corrupt) for anything that cannot have been
/// written, never read out of bounds.

/// Writes every field of a schema version (OID, name, owner, comment).
void write_schema(storage::BinaryWriter& out, const SchemaEntry& schema);
/// A new SchemaEntry (not yet created: stamps are set by Catalog::install_recovered).
std::shared_ptr<SchemaEntry> read_schema(storage::BinaryReader& in);

/// Writes a relation version of any kind with everything that defines it: kind, OID, schema OID,
/// name, columns (name, type, not_null, default_value, default_expression, identity, comment),
/// comment; a table's checks, foreign keys (all fields) and storage id (storage().storage_id());
/// an index's table name and IndexDefinition (and the HashIndex's column names); a sequence's
/// options, owner table/column and its counter state (last_value, is_called); a view's query
/// text and dependencies. Starts with a format version byte.
void write_entry(storage::BinaryWriter& out, const CatalogEntry& entry);

/// Gives the DataTable for a table's storage id (recovery shares one DataTable between the
/// versions naming the same id).
using StorageResolver =
    std::function<std::shared_ptr<storage::DataTable>(uint64_t storage_id, const std::vector<LogicalType>& types)>;

/// Reads what write_entry wrote: a new entry equal in every field. A table gets
/// `storage(id, column types)`; an index gets a new, empty storage::HashIndex with its
/// definition (the caller fills it and adds it to the table's storage). XX001 (via
/// BinaryReader::corrupt) for an unknown kind/version or inconsistent data.
std::shared_ptr<CatalogEntry> read_entry(storage::BinaryReader& in, const StorageResolver& storage);

}  // namespace tessera::catalog
