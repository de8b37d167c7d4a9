#include "executor/operator/ddl/physical_utility.h"

#include <algorithm>
#include <set>

#include "catalog/catalog.h"
#include "catalog/entry_kind_name.h"
#include "catalog/search_path.h"
#include "executor/key_serializer.h"
#include "executor/session_settings.h"
#include "storage/data_table.h"
#include "src/common/assert.h"

namespace tessera::executor {

void fill_index(QueryContext& query, const catalog::TableEntry& table, storage::HashIndex& index) {
  fill_index(*query.transaction, table, index, [&] { query.check_cancelled(); });
}

void fill_index(storage::Transaction& txn, const catalog::TableEntry& table, storage::HashIndex& index,
                const std::function<void()>& check_cancelled) {
  storage::DataTable& storage = table.storage();
  std::vector<size_t> column_ids = index.columns();
  column_ids.push_back(storage::kRowIdColumn);
  auto scan = storage.begin_scan_latest(txn, column_ids);
  storage::LocalTableScanState local;
  std::vector<LogicalType> scan_types;
  for (size_t c : index.columns()) scan_types.push_back(table.columns()[c].type);
  scan_types.push_back(LogicalType::bigint());
  DataChunk out;
  out.initialize(scan_types);
  DataChunk rows;  // the key columns at their table positions, for messages
  rows.initialize_empty(storage.types());
  KeySerializer serializer;
  std::vector<storage::IndexKey> keys;
  const size_t key_count = index.columns().size();
  while (storage.next_morsel(*scan, local)) {
    while (storage.scan(local, out)) {
      check_cancelled();
      std::vector<const Vector*> columns;
      for (size_t k = 0; k < key_count; k++) {
        columns.push_back(&out.column(k));
        rows.column(index.columns()[k]).reference(out.column(k));
      }
      rows.set_size(out.size());
      serializer.serialize(columns, out.size());
      keys.assign(out.size(), {});
      for (size_t r = 0; r < out.size(); r++) {
        keys[r].bytes = std::string_view(reinterpret_cast<const char*>(serializer.key(r)), serializer.length(r));
        keys[r].has_null = serializer.has_null(r);
      }
      UnifiedVectorFormat ids;
      out.column(key_count).to_unified(out.size(), ids);
      std::vector<int64_t> row_ids(out.size());
      for (size_t r = 0; r < out.size(); r++) row_ids[r] = ids.values<int64_t>()[ids.sel.get_index(r)];
      storage.build_index_entries(index, rows, row_ids.data(), keys);
    }
  }
}

namespace {

std::vector<LogicalType> utility_types(const UtilityStatement& s) {
  if (s.kind == UtilityKind::kShow) return {LogicalType::varchar()};
  return {};
}

const char* utility_name(UtilityKind kind) {
  switch (kind) {
    case UtilityKind::kDrop: return "DROP";
    case UtilityKind::kCreateView: return "CREATE_VIEW";
    case UtilityKind::kCreateIndex: return "CREATE_INDEX";
    case UtilityKind::kSet: return "SET";
    case UtilityKind::kShow: return "SHOW";
    case UtilityKind::kCreateSequence: return "CREATE_SEQUENCE";
    case UtilityKind::kAlterSequence: return "ALTER_SEQUENCE";
    case UtilityKind::kComment: return "COMMENT";
    case UtilityKind::kSchema: return "SCHEMA";
  }
  return "UTILITY";
}

/// CREATE INDEX: the catalog entry, then the index filled from every current row of the table
/// (which the catalog locked exclusively), then the index in use.
void create_index(QueryContext& query, const UtilityStatement& s) {
  storage::Transaction& txn = *query.transaction;
  auto table = query.catalog->get_table(txn, s.schemas.at(0), s.name);
  auto entry = query.catalog->create_index(txn, *table, s.index, s.if_exists);
  if (!entry) {
    query.notice("42P07", "relation \"" + s.index.name + "\" already exists, skipping");
    return;
  }
  fill_index(query, *table, *entry->index());
  table->storage().add_index(entry->index());
}

/// Reports the relations a DROP took with it in PostgreSQL's form: one in the message, several
/// as DETAIL lines ("drop cascades to view v"), in `names`' order.
void notify_cascade(QueryContext& query, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::string detail;
  for (const auto& name : names) {
    if (!detail.empty()) detail += "\n";
    detail += "drop cascades to " + name;
  }
  if (names.size() == 1) {
    query.notice("00000", detail);
  } else {
    query.notice("00000", "drop cascades to " + std::to_string(names.size()) + " other objects", detail);
  }
}

/// CREATE / DROP / ALTER SCHEMA and COMMENT ON SCHEMA.
void run_schema_command(QueryContext& query, const UtilityStatement& s) {
  storage::Transaction& txn = *query.transaction;
  catalog::Catalog& catalog = *query.catalog;
  switch (s.schema_action) {
    case planner::SchemaAction::kCreate:
      if (!catalog.create_schema(txn, s.names.at(0), s.owner_table, s.if_exists)) {
        query.notice("42P06", "schema \"" + s.names.at(0) + "\" already exists, skipping");
      }
      return;
    case planner::SchemaAction::kDrop: {
      // PostgreSQL names a relation with its schema when the search path does not reach it.
      TS_CHECK(query.settings != nullptr, "DROP SCHEMA needs the session's settings");
      const auto path = catalog::search_path_schemas(catalog, txn, query.settings->show("search_path"),
                                                     catalog::kBootstrapRole, true);
      auto describe = [&](const catalog::CatalogEntry& entry) {
        return std::string(entry.kind_name()) + " " +
               catalog.relation_display_name(txn, &path, entry.schema_oid(), entry.name());
      };
      std::vector<std::string> cascaded;
      for (const auto& name : s.names) {
        std::vector<std::shared_ptr<catalog::CatalogEntry>> dropped;
        if (!catalog.drop_schema(txn, name, s.if_exists, s.cascade, describe, dropped)) {
          query.notice("00000", "schema \"" + name + "\" does not exist, skipping");
          continue;
        }
        for (const auto& entry : dropped) cascaded.push_back(describe(*entry));
      }
      notify_cascade(query, cascaded);
      return;
    }
    case planner::SchemaAction::kRename:
      catalog.rename_schema(txn, s.names.at(0), s.name);
      return;
    case planner::SchemaAction::kComment:
      catalog.set_schema_comment(txn, s.names.at(0), s.query_text);
      return;
    case planner::SchemaAction::kOwner:
      // The one role owns every schema already.
      return;
  }
}

}  // namespace

PhysicalUtility::PhysicalUtility(UtilityStatement statement)
    : PhysicalOperator(utility_name(statement.kind), utility_types(statement)), statement_(std::move(statement)) {}

SourceResult PhysicalUtility::get_data(WorkerContext& worker, DataChunk& out, GlobalState&, LocalState&) const {
  QueryContext& query = worker.query;
  const UtilityStatement& s = statement_;
  switch (s.kind) {
    case UtilityKind::kDrop: {
      for (const auto& message : s.skipped) query.notice("00000", message);
      // Messages name relations as the session's search path shows them.
      TS_CHECK(query.settings != nullptr, "DROP needs the session's settings");
      const auto path = catalog::search_path_schemas(*query.catalog, *query.transaction,
                                                     query.settings->show("search_path"), catalog::kBootstrapRole, true);
      for (size_t i = 0; i < s.names.size(); i++) {
        const std::string& name = s.names[i];
        // The other relations the statement drops in the same schema.
        std::set<std::string> dropping;
        for (size_t j = 0; j < s.names.size(); j++) {
          if (s.schemas[j] == s.schemas[i]) dropping.insert(s.names[j]);
        }
        auto dropped = query.catalog->drop(*query.transaction, name, s.entry_kind, s.if_exists, s.cascade, dropping,
                                           s.schemas[i], &path);
        if (dropped.empty()) {
          query.notice("00000", std::string(catalog::entry_kind_name(s.entry_kind)) + " \"" + name + "\" does not exist, skipping");
          continue;
        }
        // Views dropped by CASCADE, reported in PostgreSQL's form: one object in the message,
        // several as DETAIL lines, in the order they were found (dropped holds them in
        // reverse, the named one last). A table's indexes and owned sequences go silently.
        std::vector<std::string> views;
        for (size_t k = dropped.size() - 1; k-- > 0;) {
          if (dropped[k]->kind() == catalog::EntryKind::kView) views.push_back("view " + dropped[k]->name());
        }
        notify_cascade(query, views);
      }
      break;
    }
    case UtilityKind::kSchema:
      run_schema_command(query, s);
      break;
    case UtilityKind::kCreateView:
      query.catalog->create_view(*query.transaction, s.name, s.columns, s.query_text, s.dependencies, s.or_replace);
      break;
    case UtilityKind::kCreateIndex:
      create_index(query, s);
      break;
    case UtilityKind::kCreateSequence:
      if (!query.catalog->create_sequence(*query.transaction, s.name, s.sequence, s.if_exists)) {
        query.notice("42P07", "relation \"" + s.name + "\" already exists, skipping");
      }
      break;
    case UtilityKind::kAlterSequence:
      if (!s.entry) {
        query.notice("00000", "relation \"" + s.name + "\" does not exist, skipping");
        break;
      }
      query.catalog->alter_sequence(*query.transaction, static_cast<const catalog::SequenceEntry&>(*s.entry),
                                    s.sequence, s.owner_table, s.owner_column, s.restart);
      break;
    case UtilityKind::kComment:
      query.catalog->set_comment(*query.transaction, *s.entry, s.column, s.name);
      break;
    case UtilityKind::kSet:
      TS_CHECK(query.settings != nullptr, "SET needs the session's settings");
      query.settings->set(s.name, s.value ? &*s.value : nullptr, s.local);
      break;
    case UtilityKind::kShow:
      TS_CHECK(query.settings != nullptr, "SHOW needs the session's settings");
      out.set_value(0, 0, Value::varchar(query.settings->show(s.name)));
      out.set_size(1);
      break;
  }
  return SourceResult::kFinished;
}

std::string PhysicalUtility::explain_details() const { return statement_.name; }

}  // namespace tessera::executor
