#include "executor/operator/ddl/physical_create_table.h"

#include <atomic>

#include "catalog/catalog.h"
#include "executor/operator/insert/physical_insert.h"
#include "storage/data_table.h"

namespace tessera::executor {

namespace {

struct CreateTableState : GlobalState {
  std::shared_ptr<catalog::TableEntry> table;  ///< null when IF NOT EXISTS skipped it
  std::atomic<int64_t> count{0};
  bool done = false;
};

std::shared_ptr<catalog::TableEntry> create(QueryContext& query, const std::string& schema, const std::string& name,
                                            const std::vector<catalog::ColumnDefinition>& columns,
                                            const std::vector<catalog::IndexDefinition>& indexes,
                                            const std::vector<catalog::SequenceDefinition>& sequences,
                                            const std::vector<catalog::CheckConstraint>& checks,
                                            const std::vector<catalog::ForeignKey>& foreign_keys, bool if_not_exists) {
  auto table =
      query.catalog->create_table(*query.transaction, name, columns, if_not_exists, indexes, checks, foreign_keys, schema);
  if (!table) {
    query.notice("42P07", "relation \"" + name + "\" already exists, skipping");
    return nullptr;
  }
  for (const auto& sequence : sequences) {
    query.catalog->create_sequence(*query.transaction, sequence.name, sequence.options, false, name, sequence.column);
  }
  return table;
}

}  // namespace

PhysicalCreateTable::PhysicalCreateTable(std::string schema, std::string name, std::vector<catalog::ColumnDefinition> columns,
                                         std::vector<catalog::IndexDefinition> indexes,
                                         std::vector<catalog::SequenceDefinition> sequences,
                                         std::vector<catalog::CheckConstraint> checks,
                                         std::vector<catalog::ForeignKey> foreign_keys, bool if_not_exists,
                                         std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator("CREATE_TABLE", {LogicalType::bigint()}),
      schema_(std::move(schema)),
      name_(std::move(name)),
      columns_(std::move(columns)),
      indexes_(std::move(indexes)),
      sequences_(std::move(sequences)),
      checks_(std::move(checks)),
      foreign_keys_(std::move(foreign_keys)),
      if_not_exists_(if_not_exists) {
  if (child) add_child(std::move(child));
}

std::unique_ptr<GlobalState> PhysicalCreateTable::make_global_sink(QueryContext& query) const {
  auto state = std::make_unique<CreateTableState>();
  state->table = create(query, schema_, name_, columns_, indexes_, sequences_, checks_, foreign_keys_, if_not_exists_);
  return state;
}

SinkResult PhysicalCreateTable::sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState&) const {
  auto& state = static_cast<CreateTableState&>(global);
  if (!state.table) return SinkResult::kFinished;
  check_table_constraints(*state.table, in);
  append_checked(*state.table, *worker.query.transaction, in);
  state.count += static_cast<int64_t>(in.size());
  worker.query.processed_rows += in.size();
  return SinkResult::kNeedMoreInput;
}

SourceResult PhysicalCreateTable::get_data(WorkerContext& worker, DataChunk& out, GlobalState&, LocalState&) const {
  if (children_.empty()) {
    create(worker.query, schema_, name_, columns_, indexes_, sequences_, checks_, foreign_keys_, if_not_exists_);
    return SourceResult::kFinished;
  }
  auto& state = static_cast<CreateTableState&>(worker.query.states->sink_state(*this));
  out.set_value(0, 0, Value::bigint(state.count.load()));
  out.set_size(1);
  return SourceResult::kFinished;
}

}  // namespace tessera::executor
