#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog_entry.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

/// CREATE TABLE, and CREATE TABLE AS when it has a child: the table is created when the query
/// starts, the child's rows are appended to it, and the source emits the row count. The
/// creation and the rows belong to the query's transaction (invisible to others until it
/// commits, undone if it rolls back).
class PhysicalCreateTable : public PhysicalOperator {
 public:
  PhysicalCreateTable(std::string schema, std::string name, std::vector<catalog::ColumnDefinition> columns,
                      std::vector<catalog::IndexDefinition> indexes,
                      std::vector<catalog::SequenceDefinition> sequences,
                      std::vector<catalog::CheckConstraint> checks, std::vector<catalog::ForeignKey> foreign_keys,
                      bool if_not_exists,
                      std::unique_ptr<PhysicalOperator> child);

  bool is_sink() const override { return !children_.empty(); }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;

  bool is_source() const override { return true; }
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override { return name_; }

 private:
  std::string schema_;
  std::string name_;
  std::vector<catalog::ColumnDefinition> columns_;
  std::vector<catalog::IndexDefinition> indexes_;
  std::vector<catalog::SequenceDefinition> sequences_;
  std::vector<catalog::CheckConstraint> checks_;
  std::vector<catalog::ForeignKey> foreign_keys_;
  bool if_not_exists_;
};

}  // namespace tessera::executor
