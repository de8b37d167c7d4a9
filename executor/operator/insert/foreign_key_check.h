#pragma once

#include <memory>
#include <vector>

#include "executor/execution_context.h"
#include "planner/logical/logical_operator.h"
#include "src/common/data_chunk.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::executor {

/// Locks what FOREIGN KEY checks of a statement writing `table` rely on until the transaction
/// ends: the tables its own foreign keys reference in shared mode (they cannot be dropped),
/// and the tables referencing it (when its rows are deleted or updated) in exclusive mode, so
/// no transaction inserts a referencing row while this one may remove the key.
void lock_foreign_key_tables(QueryContext& query, const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced,
                             const std::vector<planner::ReferencingForeignKey>& referencing);

/// Checks the rows of `chunk` (the table's columns) against the table's FOREIGN KEYs
/// (MATCH SIMPLE: a key with a NULL column is not checked): each key must be held by a row of
/// the referenced table current for the transaction (looked up in its unique index), else
/// 23503 `insert or update on table "t" violates foreign key constraint "c"`.
void check_foreign_keys(QueryContext& query, const catalog::TableEntry& table,
                        const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced, const DataChunk& chunk);

/// Checks that no row of a referencing table still holds an old key of the rows `changed`
/// (the modify's input after the row id) deleted or updated in `table`: 23503 `update or
/// delete on table "t" violates foreign key constraint "c" on table "r"`. For UPDATE
/// (`update`, the new row in the first columns), rows whose key did not change are skipped.
/// One scan of each referencing table per call (the keys are looked up in a hash set).
void check_not_referenced(QueryContext& query, const catalog::TableEntry& table,
                          const std::vector<planner::ReferencingForeignKey>& referencing, const DataChunk& changed,
                          bool update);

}  // namespace tessera::executor
