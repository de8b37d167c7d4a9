#include "executor/operator/ddl/physical_alter_table.h"

#include <algorithm>

#include "executor/expression/expression_executor.h"
#include "executor/operator/ddl/physical_utility.h"
#include "executor/operator/insert/foreign_key_check.h"
#include "executor/operator/insert/physical_insert.h"
#include "planner/parser/relation_rename.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "storage/data_table.h"

namespace tessera::executor {

PhysicalAlterTable::PhysicalAlterTable(std::shared_ptr<catalog::TableEntry> table, catalog::AlteredTable altered,
                                       std::vector<planner::BoundExprPtr> expressions,
                                       std::vector<planner::BoundExprPtr> checks,
                                       std::vector<std::shared_ptr<catalog::TableEntry>> referenced,
                                       std::vector<std::array<std::string, 3>> notices)
    : PhysicalOperator("ALTER_TABLE", {}),
      table_(std::move(table)),
      altered_(std::move(altered)),
      expressions_(std::move(expressions)),
      checks_(std::move(checks)),
      referenced_(std::move(referenced)),
      notices_(std::move(notices)) {}

std::shared_ptr<catalog::TableEntry> rewrite_table(QueryContext& query, const catalog::TableEntry& old_table,
                                                   const catalog::AlteredTable& altered,
                                                   const std::vector<planner::BoundExprPtr>& expressions,
                                                   const std::vector<planner::BoundExprPtr>& checks,
                                                   const std::vector<std::shared_ptr<catalog::TableEntry>>& referenced) {
  storage::Transaction& txn = *query.transaction;
  query.catalog->lock_relation(txn, old_table, storage::LockMode::kExclusive);
  lock_foreign_key_tables(query, referenced, {});
  auto table = query.catalog->alter_table(txn, old_table, altered);

  // The rows: every row of the old version current for the transaction, rewritten.
  const storage::DataTable& old_storage = old_table.storage();
  std::vector<size_t> column_ids;
  std::vector<LogicalType> old_types;
  for (size_t c = 0; c < old_table.columns().size(); c++) {
    column_ids.push_back(c);
    old_types.push_back(old_table.columns()[c].type);
  }
  std::vector<LogicalType> new_types;
  for (const auto& column : table->columns()) new_types.push_back(column.type);
  auto scan = old_storage.begin_scan_latest(txn, column_ids);
  storage::LocalTableScanState local;
  DataChunk in;
  in.initialize(old_types);
  DataChunk rows;
  rows.initialize(new_types);
  ExpressionExecutor executor(query);
  std::vector<Vector> results(checks.size());
  std::vector<UnifiedVectorFormat> formats(checks.size());
  while (old_storage.next_morsel(*scan, local)) {
    while (old_storage.scan(local, in)) {
      query.check_cancelled();
      if (expressions.empty()) {
        table->storage().append(txn, in);
        continue;
      }
      rows.reset();
      executor.execute(expressions, in, rows);
      for (size_t c = 0; c < table->columns().size(); c++) {
        if (!table->columns()[c].not_null) continue;
        UnifiedVectorFormat format;
        rows.column(c).to_unified(rows.size(), format);
        for (size_t r = 0; r < rows.size(); r++) {
          if (format.validity->row_is_valid(format.sel.get_index(r))) continue;
          throw SqlError(SqlState::kNotNullViolation, "column \"" + table->columns()[c].name + "\" of relation \"" +
                                                          table->name() + "\" contains null values");
        }
      }
      // varchar(n) and char(n) limits of retyped columns.
      check_table_constraints(*table, rows);
      for (size_t k = 0; k < checks.size(); k++) {
        executor.execute(*checks[k], rows, results[k]);
        results[k].to_unified(rows.size(), formats[k]);
      }
      for (size_t r = 0; r < rows.size(); r++) {
        for (size_t k = 0; k < checks.size(); k++) {
          const sel_t i = formats[k].sel.get_index(r);
          if (!formats[k].validity->row_is_valid(i) || formats[k].values<uint8_t>()[i] != 0) continue;
          throw SqlError(SqlState::kCheckViolation, "check constraint \"" + table->checks()[k].name +
                                                        "\" of relation \"" + table->name() +
                                                        "\" is violated by some row");
        }
      }
      check_foreign_keys(query, *table, referenced, rows);
      table->storage().append(txn, rows);
    }
  }
  for (const auto& index : query.catalog->table_indexes(txn, *table)) {
    fill_index(query, *table, *index->index());
    table->storage().add_index(index->index());
  }
  return table;
}

SourceResult PhysicalAlterTable::get_data(WorkerContext& worker, DataChunk& out, GlobalState&, LocalState&) const {
  QueryContext& query = worker.query;
  out.set_size(0);
  for (const auto& notice : notices_) query.notice(notice[0], notice[1], notice[2]);
  if (!table_) return SourceResult::kFinished;
  storage::Transaction& txn = *query.transaction;
  auto table = rewrite_table(query, *table_, altered_, expressions_, checks_, referenced_);
  // The views reading a renamed table read it under its new name, and name renamed columns
  // as they knew them (the binder checked that each rewritten definition binds to the same
  // columns).
  std::vector<std::string> known_names;
  std::vector<std::string> renamed;
  for (size_t c = 0; c < table->columns().size(); c++) {
    const auto& source = altered_.sources[c];
    known_names.push_back(source ? table_->columns()[*source].name : table->columns()[c].name);
    if (known_names.back() != table->columns()[c].name) renamed.push_back(known_names.back());
  }
  // Views live in public and read relations of public.
  if (table->schema_oid() == catalog::kPublicSchemaOid && (table->name() != table_->name() || !renamed.empty())) {
    for (const auto& entry : query.catalog->entries(txn)) {
      if (entry->kind() != catalog::EntryKind::kView) continue;
      const auto& view = static_cast<const catalog::ViewEntry&>(*entry);
      std::vector<std::string> dependencies = view.dependencies();
      auto old_name = std::find(dependencies.begin(), dependencies.end(), table_->name());
      if (old_name == dependencies.end()) continue;
      *old_name = table->name();
      const bool columns_renamed = !renamed.empty() && planner::query_mentions_column(view.query_text(), renamed);
      if (table->name() == table_->name() && !columns_renamed) continue;
      auto text = planner::rename_relation_in_query(view.query_text(), table_->name(), table->name(),
                                                    columns_renamed ? &known_names : nullptr);
      TS_CHECK(text.has_value(), "a view definition the binder accepted cannot be rewritten");
      query.catalog->create_view(txn, view.name(), view.columns(), *text, std::move(dependencies), true);
    }
  }
  return SourceResult::kFinished;
}

}  // namespace tessera::executor
