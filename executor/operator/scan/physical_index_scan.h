#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/binder/bound_expression.h"
#include "src/common/value.h"

namespace tessera::catalog {
class Catalog;
class TableEntry;
}  // namespace tessera::catalog
namespace tessera::planner { class LogicalGet; }
namespace tessera::storage {
class HashIndex;
class Transaction;
}  // namespace tessera::storage

namespace tessera::executor {

/// A key column whose value is a parameter of the query (a correlated subquery's outer value,
/// QueryContext::parameters[index]), read when the scan starts; `widened`: an integer the
/// column's narrower integer type must hold.
struct IndexKeyParameter {
  size_t position;  ///< the index column
  uint32_t index;
  bool widened = false;
};

/// How a table's pushed-down conjuncts can be answered through one of its indexes: every key
/// column of `index` is equal to a constant (or, for `col IN (...)`, to one of several), so the
/// rows to read are those the index holds under the keys built from `key_values`.
struct IndexScanChoice {
  std::shared_ptr<storage::HashIndex> index;
  /// The key values per index column (in key order), each of the column's type; the keys to
  /// look up are their cartesian product.
  std::vector<std::vector<Value>> key_values;
  /// Key columns taking a parameter's value (their key_values hold a NULL slot that the parameter's value fills when the scan starts).
  std::vector<IndexKeyParameter> parameters;
  /// The conjuncts the index lookup does not decide (over the table's columns, ColumnRef form).
  std::vector<planner::BoundExprPtr> remaining;
  /// Estimated rows the lookup returns (before the remaining conjuncts).
  double estimated_rows = 0;
};

/// Reads the rows of a table that an index holds under a fixed set of keys: looks the keys up
/// once (under the table's index lock), keeps the row ids the query's snapshot sees (its own
/// uncommitted inserts and deletes included, the current statement's writes excluded as a scan
/// does), fetches their `column_ids` in row id order and applies the remaining `filters`. A
/// source producing one morsel, claimed by one worker.
class PhysicalIndexScan : public PhysicalOperator {
 public:
  /// Cost units relative to reading one row in a scan: probing the index with one key, and
  /// fetching one row by id (a random read of every fetched column).
  static constexpr double kProbeCost = 4;
  static constexpr double kFetchCost = 8;

  /// `column_ids`: the table columns fetched (kRowIdColumn for the row id); the first
  /// `output_count` of them are the output. `filters` are over the fetched columns
  /// (BoundReferences). `key_values` as in IndexScanChoice.
  PhysicalIndexScan(std::vector<LogicalType> types, std::shared_ptr<catalog::TableEntry> table,
                    std::shared_ptr<storage::HashIndex> index, std::vector<std::vector<Value>> key_values,
                    std::vector<size_t> column_ids, size_t output_count, std::vector<planner::BoundExprPtr> filters,
                    std::vector<IndexKeyParameter> parameters = {});

  /// Whether `get` (a scan of a base table with its pushed-down conjuncts) is cheaper through
  /// one of its table's indexes that `txn` sees, and which: the conjuncts must fix every key
  /// column (`col = constant`, `col IN (constants)`, a constant coerced to the column's type
  /// exactly; an integer column widened by a cast counts when the constant fits it), and the
  /// estimated lookups and fetches must cost less than reading the table (a unique index with
  /// its whole key fixed always does).
  static std::optional<IndexScanChoice> choose(const planner::LogicalGet& get, const catalog::Catalog& catalog,
                                               const storage::Transaction& txn);

  /// The indexes of `table` a query of `txn` may read: visible in its snapshot (so built
  /// before any row the snapshot sees was deleted) and still maintained by the table.
  static std::vector<std::shared_ptr<storage::HashIndex>> usable_indexes(const catalog::TableEntry& table,
                                                                         const catalog::Catalog& catalog,
                                                                         const storage::Transaction& txn);
  /// Whether '=' of `type` is equality of the index's serialized keys of the stored values.
  static bool is_key_type(const LogicalType& type);
  /// The column of `table` (bound as `table_index`) that key expression `e` reads: the column
  /// itself, a cast of it that keeps every value (to its own type without a narrower
  /// modifier: numeric(p,s) to numeric), or a cast widening an integer column (`widened` is
  /// set then: values compared with it must be narrowed to the column's type).
  static std::optional<size_t> key_column(const planner::BoundExpression& e, const catalog::TableEntry& table,
                                          uint32_t table_index, bool& widened);
  /// `value` as a key value of a column of `type`, if the index compares it as the scan's '='
  /// would: the same type (a numeric's scale and a char(n)'s padding do not matter to the
  /// key), or (`widened`) an integer that fits the column's integer type; else nullopt.
  static std::optional<Value> key_value(const Value& value, const LogicalType& type, bool widened);
  /// An integer `value` as a value of integer type `type`; nullopt when NULL or out of its range.
  static std::optional<Value> narrow_integer(const Value& value, const LogicalType& type);
  /// Estimated rows of `table` holding one key of `index` (1 for a unique index).
  static double rows_per_key(const catalog::TableEntry& table, const storage::HashIndex& index);

  /// The serialized lookup keys of `key_values` (cartesian product), and whether each holds a NULL.
  static void serialize_keys(const std::vector<std::vector<Value>>& key_values, const std::vector<LogicalType>& types,
                             std::vector<std::string>& keys, std::vector<bool>& has_null);

  const storage::HashIndex& index() const { return *index_; }

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_source(WorkerContext& worker, GlobalState& global) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  /// "using <index> on <table>", then lines "Index Cond: (...)" and "Filter: ...".
  std::string explain_details() const override;

 private:
  std::shared_ptr<catalog::TableEntry> table_;
  std::shared_ptr<storage::HashIndex> index_;
  std::vector<std::vector<Value>> key_values_;
  std::vector<IndexKeyParameter> parameters_;
  std::vector<LogicalType> key_types_;
  std::vector<std::string> keys_;
  std::vector<bool> key_has_null_;
  std::vector<size_t> column_ids_;
  std::vector<LogicalType> fetch_types_;
  size_t output_count_;
  std::vector<planner::BoundExprPtr> filters_;
};

}  // namespace tessera::executor
