#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "storage/table_filter.h"
#include "storage/table_scan_state.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::executor {

/// Reads the projected columns of a table, one row group (morsel) per claim, in parallel. The
/// pushed-down conditions come in two kinds: `table_filters` (comparisons, IN lists and NULL
/// tests of a column with constants) run inside storage, which skips row groups and segments
/// by zone map; the remaining expression `filters` (over the projected columns, as
/// BoundReferences) are evaluated here on each chunk. A source.
class PhysicalTableScan : public PhysicalOperator {
 public:
  PhysicalTableScan(std::vector<LogicalType> types, std::shared_ptr<catalog::TableEntry> table,
                    std::vector<size_t> column_ids, std::vector<planner::BoundExprPtr> filters,
                    storage::TableFilterSet table_filters = {});

  /// Splits a scan's pushed-down conjuncts (over the columns of the table bound as
  /// `table_index`, in ColumnRef form) into storage filters and the rest. A conjunct becomes
  /// a storage filter when it is `column <op> constant` (either side; = <> < <= > >=),
  /// an OR of equalities of one column with constants (IN), `column IS [NOT] NULL`, or an AND of
  /// such; the column must be a plain column of the table and the constant must have the
  /// column's type (no casts or expressions on the column side). Returns the conjuncts left.
  static std::vector<planner::BoundExprPtr> extract_table_filters(const catalog::TableEntry& table, uint32_t table_index,
                                                                  const std::vector<planner::BoundExprPtr>& conjuncts,
                                                                  storage::TableFilterSet& table_filters);

  /// The storage comparison a call of a built-in comparison operator (= <> < <= > >=) is.
  static std::optional<storage::CompareOp> comparison_op(const planner::BoundFunction& f);

  /// Row groups and segments the scan of `global` (this operator's global source state) skipped.
  static storage::ScanSkipCounts skip_counts(const GlobalState& global);

  const storage::TableFilterSet& table_filters() const { return table_filters_; }

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_source(WorkerContext& worker, GlobalState& global) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  /// "t filters: <expressions>", then a line "Table Filters: <storage filters>".
  std::string explain_details() const override;
  void collect_source_profile(const LocalState& local, OperatorProfile& profile) const override;
  /// "Row Groups: read=N skipped=N", "Segments: read=N skipped=N", "Bytes Read: <column>=N ...".
  std::string explain_analyze_details(const OperatorProfile& profile) const override;

 private:
  std::shared_ptr<catalog::TableEntry> table_;
  std::vector<size_t> column_ids_;
  std::vector<planner::BoundExprPtr> filters_;
  storage::TableFilterSet table_filters_;
};

}  // namespace tessera::executor
