#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "catalog/function_entry.h"
#include "planner/binder/bound_expression.h"
#include "planner/join_type.h"
#include "planner/parser/ast.h"

namespace tessera::catalog { class TableEntry; }

namespace tessera::planner {

enum class LogicalOperatorKind : uint8_t {
  kGet,
  kFilter,
  kProjection,
  kAggregate,
  kJoin,
  kOrder,
  kLimit,
  kDistinct,
  kValues,
  kInsert,
  kCreateTable,
  kDrop,
  kCreateView,
  kCreateIndex,
  kCreateSequence,
  kExplain,
  kTransaction,
  kSet,
  kShow,
  kDelete,
  kUpdate,
  kTruncate,
  kSetOperation,
  kMaterializedCte,
  kRecursiveCte,
  kCteScan,
  kTableFunction,
  kWindow,
  kDependentJoin,
  kAlterTable,
  kAlterSequence,
  kComment,
  kSchemaCommand,
  kCopyFrom,
  kVacuum,
};


/// A node of the logical plan. Each node produces columns named by ColumnBindings;
/// expressions refer to their inputs' bindings.
class LogicalOperator {
 public:
  explicit LogicalOperator(LogicalOperatorKind kind) : kind(kind) {}
  virtual ~LogicalOperator() = default;

  /// The bindings of the columns this node outputs, in order.
  virtual std::vector<ColumnBinding> output_bindings() const;
  /// The types of the columns this node outputs, in order.
  virtual std::vector<LogicalType> output_types() const;
  /// One line for EXPLAIN (without children).
  virtual std::string describe() const = 0;

  LogicalOperatorKind kind;
  std::vector<std::unique_ptr<LogicalOperator>> children;
  /// Estimated output rows, set by the optimizer's CardinalityEstimator (at least 1); read by
  /// the physical planner (hash join build side) and shown by EXPLAIN.
  double estimated_rows = 1;
};

using LogicalPtr = std::unique_ptr<LogicalOperator>;

/// Scan of a base table, projecting `column_ids` and applying pushed-down `filters`.
class LogicalGet : public LogicalOperator {
 public:
  LogicalGet(std::shared_ptr<catalog::TableEntry> table, uint32_t table_index, std::string alias);
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  std::shared_ptr<catalog::TableEntry> table;
  uint32_t table_index;
  std::string alias;
  /// Table column indexes produced, in output order; binding column_index = table column index.
  std::vector<size_t> column_ids;
  /// Conjuncts over this table's columns evaluated during the scan.
  std::vector<BoundExprPtr> filters;
};

/// Rows of its child for which every conjunct is true.
class LogicalFilter : public LogicalOperator {
 public:
  LogicalFilter() : LogicalOperator(LogicalOperatorKind::kFilter) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  std::vector<BoundExprPtr> conjuncts;
};

/// Computes `expressions` per row; outputs (table_index, i).
class LogicalProjection : public LogicalOperator {
 public:
  explicit LogicalProjection(uint32_t table_index) : LogicalOperator(LogicalOperatorKind::kProjection), table_index(table_index) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  uint32_t table_index;
  std::vector<BoundExprPtr> expressions;
};

/// Groups by `groups` and computes `aggregates`; outputs (group_index, i), then
/// (aggregate_index, j), then (grouping_index, k) for each of `grouping_functions`.
class LogicalAggregate : public LogicalOperator {
 public:
  LogicalAggregate(uint32_t group_index, uint32_t aggregate_index)
      : LogicalOperator(LogicalOperatorKind::kAggregate), group_index(group_index), aggregate_index(aggregate_index) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  uint32_t group_index;
  uint32_t aggregate_index;
  std::vector<BoundExprPtr> groups;
  std::vector<BoundExprPtr> aggregates;  ///< BoundAggregate each
  /// GROUPING SETS / ROLLUP / CUBE: each set lists the indexes into `groups` it groups by
  /// (possibly none); the rows of a set hold NULL in the group columns it lacks. Equal sets stay
  /// separate (each yields its own rows, as PostgreSQL). Empty for a plain GROUP BY: one set of
  /// every group.
  std::vector<std::vector<uint32_t>> grouping_sets;
  /// Table index of the grouping() columns; valid when `grouping_functions` is not empty.
  uint32_t grouping_index = 0;
  /// grouping(a, b, ...) calls: the indexes into `groups` of each call's arguments. Each yields
  /// an integer whose bit (n - 1 - i) is set when argument i is not in the row's grouping set.
  std::vector<std::vector<uint32_t>> grouping_functions;
};

/// Window functions over its child's rows: outputs every child column, then (window_index, i)
/// for each of `windows` (BoundWindow each, all with the same PARTITION BY and ORDER BY, so one
/// sort serves them). Queries with several window orderings stack one LogicalWindow per ordering.
class LogicalWindow : public LogicalOperator {
 public:
  explicit LogicalWindow(uint32_t window_index) : LogicalOperator(LogicalOperatorKind::kWindow), window_index(window_index) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  uint32_t window_index;
  std::vector<BoundExprPtr> windows;
};

/// Joins children[0] (left) and children[1] (right) on `conditions` (conjuncts); outputs left
/// then right columns.
class LogicalJoin : public LogicalOperator {
 public:
  explicit LogicalJoin(JoinType join_type) : LogicalOperator(LogicalOperatorKind::kJoin), join_type(join_type) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  JoinType join_type;
  std::vector<BoundExprPtr> conditions;
  /// kMark: the table index of the mark column (binding {mark_index, 0}, boolean), output after
  /// the left columns, and whether the conditions are evaluated in three-valued logic (the
  /// mark is NULL when no right row satisfies them but some makes them NULL: `x IN (q)`);
  /// otherwise NULL counts as false (EXISTS).
  uint32_t mark_index = 0;
  bool mark_null_aware = false;
  /// kLeft only: each left row joins at most one right row; a second raises 21000 (the join
  /// of a scalar subquery, `(SELECT y FROM t2 WHERE t2.k = t1.k)`, whose right side is the
  /// subquery's body keyed on its correlation).
  bool single_match = false;
};

/// A join whose right side depends on the left row (LATERAL): children[1] refers to the left
/// row through BoundParameter(i), which stands for `correlated[i]` evaluated over children[0]'s
/// columns. Each left row is paired with the rows children[1] returns for it; with kLeft, a left
/// row for which it returns none is kept once, padded with NULLs. `join_type` is kInner or
/// kLeft (an ON condition of a LEFT join is a filter inside children[1]). Outputs left then
/// right columns. The optimizer turns it into a LogicalJoin when the correlation can be lifted.
class LogicalDependentJoin : public LogicalOperator {
 public:
  explicit LogicalDependentJoin(JoinType join_type)
      : LogicalOperator(LogicalOperatorKind::kDependentJoin), join_type(join_type) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  JoinType join_type;
  std::vector<BoundExprPtr> correlated;
};

struct BoundOrderBy {
  BoundExprPtr expression;
  bool descending = false;
  bool nulls_first = false;
};

class LogicalOrder : public LogicalOperator {
 public:
  LogicalOrder() : LogicalOperator(LogicalOperatorKind::kOrder) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  std::vector<BoundOrderBy> orders;
};

class LogicalLimit : public LogicalOperator {
 public:
  LogicalLimit() : LogicalOperator(LogicalOperatorKind::kLimit) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  /// Constant bigint expressions, evaluated when the plan is built; null = ALL / 0.
  BoundExprPtr limit;
  BoundExprPtr offset;
  /// FETCH FIRST ... WITH TIES: also the rows after the last one that are equal to it in
  /// `tie_keys` (the ORDER BY keys, over the child's columns, which arrive sorted by them).
  bool with_ties = false;
  std::vector<BoundExprPtr> tie_keys;
};

/// Removes duplicate rows (all columns). With `distinct_on` (DISTINCT ON): keeps the first
/// row of each group of equal `distinct_on` values, in the order its child produces them (a
/// LogicalOrder).
class LogicalDistinct : public LogicalOperator {
 public:
  LogicalDistinct() : LogicalOperator(LogicalOperatorKind::kDistinct) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  std::vector<BoundExprPtr> distinct_on;
};

/// Literal rows (VALUES, and the single empty row of a SELECT without FROM).
class LogicalValues : public LogicalOperator {
 public:
  explicit LogicalValues(uint32_t table_index) : LogicalOperator(LogicalOperatorKind::kValues), table_index(table_index) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  uint32_t table_index;
  std::vector<LogicalType> types;
  std::vector<std::vector<BoundExprPtr>> rows;
};

/// Appends its child's rows to `table`; the child produces exactly the table's columns, in order
/// (the binder fills omitted columns with their defaults).
/// With `returning`, outputs the inserted rows (the child's columns), which a projection above
/// turns into the RETURNING list; without, nothing.
/// A FOREIGN KEY of another table referencing the table a DELETE or UPDATE changes: the
/// referencing table, the index of the constraint in its foreign_keys(), and where the
/// changed rows' old values of the referenced columns are in the modify's input (after the
/// row id).
struct ReferencingForeignKey {
  std::shared_ptr<catalog::TableEntry> table;
  size_t foreign_key = 0;
  std::vector<size_t> old_key;
  /// When the action for the change (ON DELETE or ON UPDATE) is CASCADE, SET NULL or SET
  /// DEFAULT: `table`'s entry in the statement's cascade targets; else -1.
  int cascade = -1;
};

/// A table whose rows a statement changes through FOREIGN KEY actions, with what changing
/// them needs: its CHECK constraints (column c bound as {check_table_index, c}), the tables its
/// FOREIGN KEYs reference (aligned with foreign_keys()), every column's DEFAULT (reading no
/// columns) and the FOREIGN KEYs referencing it (old_key: referenced columns as table column
/// indexes).
struct CascadeTarget {
  std::shared_ptr<catalog::TableEntry> table;
  std::vector<BoundExprPtr> checks;
  uint32_t check_table_index = 0;
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced;
  std::vector<BoundExprPtr> defaults;
  std::vector<ReferencingForeignKey> referencing;
};

/// INSERT ... ON CONFLICT, bound: the arbiter indexes and, for DO UPDATE, the new value of
/// every table column and the condition, over the existing row (column c bound as
/// {existing_table_index, c}) and the row proposed for insertion (EXCLUDED, {excluded_table_index, c}).
struct BoundOnConflict {
  /// The unique indexes a proposed row conflicts on, by name; empty: every unique index
  /// (DO NOTHING without a conflict target).
  std::vector<std::string> arbiters;
  bool do_update = false;
  uint32_t existing_table_index = 0;
  uint32_t excluded_table_index = 0;
  std::vector<BoundExprPtr> set;  ///< DO UPDATE: one per table column
  BoundExprPtr where;             ///< DO UPDATE ... WHERE, or null
  /// DO UPDATE: the FOREIGN KEYs of other tables referencing this one; old_key names the
  /// referenced columns of the existing row (table column indexes).
  std::vector<ReferencingForeignKey> referencing;
  std::shared_ptr<const std::vector<CascadeTarget>> cascades;
};

class LogicalInsert : public LogicalOperator {
 public:
  LogicalInsert() : LogicalOperator(LogicalOperatorKind::kInsert) {}
  std::vector<ColumnBinding> output_bindings() const override {
    return returning ? children[0]->output_bindings() : std::vector<ColumnBinding>{};
  }
  std::vector<LogicalType> output_types() const override {
    return returning ? children[0]->output_types() : std::vector<LogicalType>{};
  }
  std::string describe() const override;

  std::shared_ptr<catalog::TableEntry> table;
  bool returning = false;
  /// The table's CHECK constraints (aligned with table->checks()) over the inserted row,
  /// column c bound as {check_table_index, c}.
  std::vector<BoundExprPtr> checks;
  uint32_t check_table_index = 0;
  /// The tables the table's FOREIGN KEYs reference (aligned with foreign_keys()).
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced;
  /// ON CONFLICT, or null.
  std::shared_ptr<const BoundOnConflict> on_conflict;
};

/// DELETE (kind kDelete) or UPDATE (kind kUpdate) of `table`. children[0] produces the target
/// row's row id (storage::kRowIdColumn of the target's scan) first; for UPDATE then the new
/// value of every table column, in order; then any columns RETURNING reads. With `returning`
/// the operator outputs, per row it modified, its child's columns after the row id (for UPDATE
/// the new row), which a projection above turns into the RETURNING list; without, nothing.
class LogicalModify : public LogicalOperator {
 public:
  explicit LogicalModify(LogicalOperatorKind kind) : LogicalOperator(kind) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override;

  std::shared_ptr<catalog::TableEntry> table;
  bool returning = false;
  /// UPDATE: the table's CHECK constraints (aligned with table->checks()) over the new row,
  /// column c bound as {check_table_index, c}.
  std::vector<BoundExprPtr> checks;
  uint32_t check_table_index = 0;
  /// UPDATE: the tables the table's FOREIGN KEYs reference (aligned with foreign_keys()).
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced;
  /// The FOREIGN KEYs of other tables that reference this one (checked for the old keys).
  std::vector<ReferencingForeignKey> referencing;
  /// The tables FOREIGN KEY actions change (ReferencingForeignKey::cascade indexes them).
  std::shared_ptr<const std::vector<CascadeTarget>> cascades;
};

/// TRUNCATE of `tables` (transactional: a delete of every row under an exclusive lock).
class LogicalTruncate : public LogicalOperator {
 public:
  LogicalTruncate() : LogicalOperator(LogicalOperatorKind::kTruncate) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "Truncate"; }

  std::vector<std::shared_ptr<catalog::TableEntry>> tables;
};

class LogicalCreateTable : public LogicalOperator {
 public:
  LogicalCreateTable() : LogicalOperator(LogicalOperatorKind::kCreateTable) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "CreateTable " + name; }

  /// The schema to create it in.
  std::string schema = catalog::kPublicSchema;
  std::string name;
  std::vector<catalog::ColumnDefinition> columns;
  /// PRIMARY KEY and UNIQUE constraints, each backed by an index.
  std::vector<catalog::IndexDefinition> indexes;
  /// The sequences of serial and identity columns, created with the table and owned by it.
  std::vector<catalog::SequenceDefinition> sequences;
  std::vector<catalog::CheckConstraint> checks;
  std::vector<catalog::ForeignKey> foreign_keys;
  bool if_not_exists = false;
  /// CREATE TABLE AS: children[0] produces the rows.
};

class LogicalDrop : public LogicalOperator {
 public:
  LogicalDrop() : LogicalOperator(LogicalOperatorKind::kDrop) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "Drop"; }

  catalog::EntryKind entry_kind = catalog::EntryKind::kTable;
  std::vector<std::string> names;
  /// The OID of the schema of each of `names`.
  std::vector<Oid> schemas;
  bool if_exists = false;
  bool cascade = false;
  /// IF EXISTS: the NOTICEs for names the binder found missing (not in `names`).
  std::vector<std::string> skipped;
};

class LogicalCreateView : public LogicalOperator {
 public:
  LogicalCreateView() : LogicalOperator(LogicalOperatorKind::kCreateView) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "CreateView " + name; }

  std::string name;
  std::vector<catalog::ColumnDefinition> columns;
  std::string query_text;
  /// The relations the view's query reads.
  std::vector<std::string> dependencies;
  bool or_replace = false;
};

/// CREATE [UNIQUE] INDEX on a table's columns.
class LogicalCreateIndex : public LogicalOperator {
 public:
  LogicalCreateIndex() : LogicalOperator(LogicalOperatorKind::kCreateIndex) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "CreateIndex " + index.name; }

  std::string table;
  /// The OID of the table's schema (the index's too).
  Oid table_schema = catalog::kPublicSchemaOid;
  catalog::IndexDefinition index;
  bool if_not_exists = false;
};

/// CREATE SEQUENCE.
class LogicalCreateSequence : public LogicalOperator {
 public:
  LogicalCreateSequence() : LogicalOperator(LogicalOperatorKind::kCreateSequence) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "CreateSequence " + name; }

  std::string name;
  catalog::SequenceOptions options;
  bool if_not_exists = false;
};

/// ALTER TABLE: `table` (the version bound) becomes `altered`, its rows rewritten: new column i
/// is expressions[i] over the old row (old column c bound as {table_index, c}). The new rows are
/// checked against every NOT NULL, `checks` (the new version's CHECK constraints, aligned with
/// altered.checks sorted by name, over {check_table_index, new c}), its unique indexes and its
/// FOREIGN KEYs (against `referenced`, aligned with altered.foreign_keys). `notices` are sent
/// first (IF EXISTS / IF NOT EXISTS skips, CASCADE reports). Null `table`: nothing to do.
class LogicalAlterTable : public LogicalOperator {
 public:
  LogicalAlterTable() : LogicalOperator(LogicalOperatorKind::kAlterTable) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "AlterTable " + altered.name; }

  std::shared_ptr<catalog::TableEntry> table;
  catalog::AlteredTable altered;
  uint32_t table_index = 0;
  std::vector<BoundExprPtr> expressions;
  uint32_t check_table_index = 0;
  std::vector<BoundExprPtr> checks;
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced;
  /// (SQLSTATE, message, detail) of each NOTICE.
  std::vector<std::array<std::string, 3>> notices;
};

/// ALTER SEQUENCE: `sequence` gets `options` and its owner (owner_table/owner_column, empty
/// for none), and with `restart` restarts at once.
class LogicalAlterSequence : public LogicalOperator {
 public:
  LogicalAlterSequence() : LogicalOperator(LogicalOperatorKind::kAlterSequence) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "AlterSequence " + name; }

  std::string name;  ///< null `sequence`: IF EXISTS of a missing one (a NOTICE)
  std::shared_ptr<catalog::SequenceEntry> sequence;
  catalog::SequenceOptions options;
  std::string owner_table;
  std::string owner_column;
  std::optional<int64_t> restart;
};

/// COMMENT ON: `entry` (or its column `column`) gets `comment` (empty: none).
class LogicalComment : public LogicalOperator {
 public:
  LogicalComment() : LogicalOperator(LogicalOperatorKind::kComment) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "Comment"; }

  std::shared_ptr<catalog::CatalogEntry> entry;
  std::optional<size_t> column;
  std::string comment;
};

/// What a LogicalSchemaCommand does.
enum class SchemaAction : uint8_t { kCreate, kDrop, kRename, kComment, kOwner };

/// CREATE SCHEMA (`names[0]`, owned by `owner`; if_exists: IF NOT EXISTS), DROP SCHEMA
/// (`names`, if_exists, cascade), ALTER SCHEMA names[0] RENAME TO new_name / OWNER TO (a
/// check only: the one role owns everything), COMMENT ON SCHEMA names[0] (`comment`, empty:
/// none).
class LogicalSchemaCommand : public LogicalOperator {
 public:
  LogicalSchemaCommand() : LogicalOperator(LogicalOperatorKind::kSchemaCommand) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "SchemaCommand"; }

  SchemaAction action = SchemaAction::kCreate;
  std::vector<std::string> names;
  std::string owner;
  std::string new_name;
  std::string comment;
  bool if_exists = false;
  bool cascade = false;
};

/// EXPLAIN: children[0] is the plan to describe (not executed unless `analyze`).
class LogicalExplain : public LogicalOperator {
 public:
  LogicalExplain() : LogicalOperator(LogicalOperatorKind::kExplain) {}
  std::vector<ColumnBinding> output_bindings() const override { return {ColumnBinding{0, 0}}; }
  std::vector<LogicalType> output_types() const override { return {LogicalType::varchar()}; }
  std::string describe() const override { return "Explain"; }

  /// EXPLAIN ANALYZE: the plan runs and the output shows what each operator did.
  bool analyze = false;
  /// With analyze: whether the output shows times (TIMING) and the Planning/Execution Time
  /// lines (SUMMARY).
  bool timing = true;
  bool summary = true;
  /// When planning the statement began (steady clock, nanoseconds since its epoch), for the
  /// "Planning Time" line.
  int64_t planning_start_ns = 0;
};

enum class TransactionAction : uint8_t { kBegin, kCommit, kRollback };

class LogicalTransaction : public LogicalOperator {
 public:
  explicit LogicalTransaction(TransactionAction action) : LogicalOperator(LogicalOperatorKind::kTransaction), action(action) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "Transaction"; }

  TransactionAction action;
};

class LogicalSet : public LogicalOperator {
 public:
  LogicalSet() : LogicalOperator(LogicalOperatorKind::kSet) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return "Set " + name; }

  std::string name;
  std::optional<std::string> value;  ///< nullopt = DEFAULT / RESET
  bool local = false;                ///< SET LOCAL: until the end of the transaction
};

class LogicalShow : public LogicalOperator {
 public:
  LogicalShow() : LogicalOperator(LogicalOperatorKind::kShow) {}
  std::vector<ColumnBinding> output_bindings() const override { return {ColumnBinding{0, 0}}; }
  std::vector<LogicalType> output_types() const override { return {LogicalType::varchar()}; }
  std::string describe() const override { return "Show " + name; }

  std::string name;
};

enum class SetOperationKind : uint8_t { kUnion, kIntersect, kExcept };

/// children[0] UNION / INTERSECT / EXCEPT [ALL] children[1]. Both children produce `types`
/// (the binder casts each branch to the resolved column types); outputs (table_index, i).
class LogicalSetOperation : public LogicalOperator {
 public:
  LogicalSetOperation(SetOperationKind set_kind, bool all, uint32_t table_index, std::vector<LogicalType> types)
      : LogicalOperator(LogicalOperatorKind::kSetOperation),
        set_kind(set_kind),
        all(all),
        table_index(table_index),
        types(std::move(types)) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override { return types; }
  std::string describe() const override;

  SetOperationKind set_kind;
  bool all;
  uint32_t table_index;
  std::vector<LogicalType> types;
};

/// A WITH query computed once: children[0] produces the CTE's rows (a LogicalRecursiveCte for
/// WITH RECURSIVE), which are stored before children[1] (the rest of the query) runs and reads
/// them through LogicalCteScans with the same `cte_index`. Outputs children[1]'s columns.
class LogicalMaterializedCte : public LogicalOperator {
 public:
  LogicalMaterializedCte(uint32_t cte_index, std::string name)
      : LogicalOperator(LogicalOperatorKind::kMaterializedCte), cte_index(cte_index), name(std::move(name)) {}
  std::vector<ColumnBinding> output_bindings() const override { return children[1]->output_bindings(); }
  std::vector<LogicalType> output_types() const override { return children[1]->output_types(); }
  std::string describe() const override { return "MaterializedCte " + name; }

  uint32_t cte_index;
  std::string name;
};

/// The rows of a recursive WITH query: children[0] (the non-recursive term) UNION [ALL]
/// children[1] (the recursive term) evaluated repeatedly over the previous iteration's new rows
/// (a LogicalCteScan with `working_table` set), until an iteration adds none.
class LogicalRecursiveCte : public LogicalOperator {
 public:
  LogicalRecursiveCte(uint32_t cte_index, std::string name, bool union_all, uint32_t table_index, std::vector<LogicalType> types)
      : LogicalOperator(LogicalOperatorKind::kRecursiveCte),
        cte_index(cte_index),
        name(std::move(name)),
        union_all(union_all),
        table_index(table_index),
        types(std::move(types)) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override { return types; }
  std::string describe() const override { return std::string("RecursiveCte ") + name + (union_all ? " UNION ALL" : " UNION"); }

  uint32_t cte_index;
  std::string name;
  bool union_all;
  uint32_t table_index;
  std::vector<LogicalType> types;
};

/// Reads the stored rows of the materialized CTE `cte_index` (or, with `working_table`, the
/// rows the recursive CTE's previous iteration added); outputs (table_index, i). With a child,
/// the CTE was inlined after all: the child (the CTE's query, producing exactly `types`) runs
/// in its place.
class LogicalCteScan : public LogicalOperator {
 public:
  LogicalCteScan(uint32_t cte_index, std::string name, uint32_t table_index, std::vector<LogicalType> types, bool working_table)
      : LogicalOperator(LogicalOperatorKind::kCteScan),
        cte_index(cte_index),
        name(std::move(name)),
        table_index(table_index),
        types(std::move(types)),
        working_table(working_table) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override { return types; }
  std::string describe() const override { return (working_table ? "WorkTableScan " : "CteScan ") + name; }

  uint32_t cte_index;
  std::string name;
  uint32_t table_index;
  std::vector<LogicalType> types;
  bool working_table;
  /// The plan producing the CTE's rows (for estimates); owned by the LogicalMaterializedCte.
  const LogicalOperator* source = nullptr;
  /// When not empty, the bindings the scan outputs instead of (table_index, i): a scan that
  /// stands in for the CTE's own query keeps the bindings of its columns (subquery
  /// decorrelation reads the outer input of a dependent join twice so).
  std::vector<ColumnBinding> bindings;
};

/// Indented text of the logical plan (for tests and debugging).
std::string logical_plan_to_string(const LogicalOperator& op);
/// "(a, b), (a), ()": grouping sets (indexes into `groups`) as EXPLAIN shows them.
std::string grouping_sets_to_string(const std::vector<std::vector<uint32_t>>& sets, const std::vector<BoundExprPtr>& groups);

/// A table function in FROM (generate_series(...)): outputs the function's columns as
/// (table_index, i), then with `ordinality` the bigint row number (WITH ORDINALITY). The
/// arguments reference no columns (a function reading earlier FROM items is the right side of a
/// LogicalDependentJoin and reads them as parameters); they are evaluated once per execution.
class LogicalTableFunction : public LogicalOperator {
 public:
  LogicalTableFunction(uint32_t table_index, const catalog::TableFunction& function, std::vector<BoundExprPtr> arguments,
                       catalog::TableFunctionSchema schema)
      : LogicalOperator(LogicalOperatorKind::kTableFunction),
        table_index(table_index),
        function(&function),
        arguments(std::move(arguments)),
        schema(std::move(schema)) {}
  std::vector<ColumnBinding> output_bindings() const override;
  std::vector<LogicalType> output_types() const override;
  std::string describe() const override {
    return "TableFunction " + function->name + (ordinality ? " WITH ORDINALITY" : "");
  }

  uint32_t table_index;
  const catalog::TableFunction* function;
  std::vector<BoundExprPtr> arguments;
  catalog::TableFunctionSchema schema;
  bool ordinality = false;
};

/// What VACUUM / ANALYZE do (VacuumStatement's options).
struct VacuumOptions {
  bool vacuum = true;  ///< rewrite tables whose dead rows pass the threshold (false: ANALYZE alone)
  bool full = false;   ///< rewrite every table
  bool freeze = false;
  bool verbose = false;
  bool analyze = false;
};

/// One table VACUUM / ANALYZE processes: its columns to analyze (table positions; every column
/// when the statement named none) and its name for VERBOSE output (schema-qualified).
struct VacuumTarget {
  std::shared_ptr<catalog::TableEntry> table;
  std::string qualified_name;
  std::vector<size_t> columns;
};

/// VACUUM and ANALYZE: the tables, in order, and the WARNINGs (SQLSTATE, message, detail) for
/// named relations that are not tables.
class LogicalVacuum : public LogicalOperator {
 public:
  LogicalVacuum() : LogicalOperator(LogicalOperatorKind::kVacuum) {}
  std::vector<ColumnBinding> output_bindings() const override { return {}; }
  std::vector<LogicalType> output_types() const override { return {}; }
  std::string describe() const override { return options.vacuum ? "Vacuum" : "Analyze"; }

  VacuumOptions options;
  std::vector<VacuumTarget> targets;
  std::vector<std::array<std::string, 3>> notices;
};

}  // namespace tessera::planner
