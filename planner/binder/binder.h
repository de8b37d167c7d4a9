#pragma once

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "planner/binder/bound_expression.h"
#include "planner/logical/logical_operator.h"
#include "planner/parser/ast.h"
#include "src/common/statement_properties.h"
#include "src/common/value.h"

namespace tessera::catalog {
class Catalog;
class FunctionRegistry;
}  // namespace tessera::catalog
namespace tessera::storage { class Transaction; }

namespace tessera::planner {

/// A bound statement: its logical plan, its properties and, for statements that return rows,
/// the result column names.
struct BoundCopy;

struct BoundStatement {
  LogicalPtr plan;
  std::vector<std::string> names;
  StatementProperties properties;
  /// COPY: where its data comes from or goes to (planner/logical/logical_copy_from.h).
  std::shared_ptr<BoundCopy> copy;
  /// The statement's table index counter, from which the optimizer takes fresh indexes.
  std::shared_ptr<uint32_t> table_indexes;
};

/// The definition of `table` (current for `txn`) as it stands, with every column and index
/// continuing its own: the start of an ALTER TABLE, and VACUUM's rewrite of the same table.
catalog::AlteredTable unaltered_definition(const catalog::Catalog& catalog, const storage::Transaction& txn,
                                           const catalog::TableEntry& table);

/// Turns a parsed statement into a typed logical plan: resolves names against the catalog,
/// infers types and inserts casts by PostgreSQL's rules. One binder per query level; a
/// subquery gets a child binder whose unresolved names fall through to its parent
/// (correlation). Not thread-safe.
class Binder {
 public:
  /// `sql` is the whole query string (for error positions). Relations are looked up as
  /// `transaction` sees them (its snapshot plus its own changes); functions and operators
  /// resolve against `functions`.
  Binder(catalog::Catalog& catalog, const catalog::FunctionRegistry& functions,
         const storage::Transaction& transaction, std::string_view sql);

  BoundStatement bind(const Statement& statement);

  /// The session's search_path setting (PostgreSQL's text, e.g. `"$user", public`), which
  /// unqualified relation names and CREATE follow. Call before bind().
  void set_search_path(std::string value) { search_path_ = std::move(value); }

  /// Binds `$n` to values[n - 1] (each already of the parameter's type) instead of inferring
  /// parameter types. Call before bind().
  void set_parameter_values(std::vector<Value> values);
  /// PREPARE name(types) AS ...: $1..$n have these types (the rest are inferred). Call before
  /// bind().
  void declare_parameter_types(const std::vector<LogicalType>& types);
  /// EXECUTE name(args): the arguments bound (no column references; 0A000 for a subquery) and
  /// coerced to `types`, the prepared statement's parameter types (42601 for the wrong count,
  /// 42804 when no assignment cast exists).
  std::vector<BoundExprPtr> bind_execute_arguments(const ExecuteStatement& execute, const std::vector<LogicalType>& types);
  /// After bind() without values: the types of $1..$n inferred from their contexts (those the
  /// context left open are text).
  std::vector<LogicalType> parameter_types() const { return parameter_types_->resolved(); }

 private:
  /// One FROM item visible by name.
  struct ScopeEntry {
    std::string alias;
    std::vector<std::string> names;
    std::vector<LogicalType> types;
    std::vector<ColumnBinding> bindings;
    /// Columns hidden from unqualified lookup and `*` (the right side of JOIN USING).
    std::vector<bool> hidden;
    /// A table or view named without an alias: `schema.name.column` and `schema.name.*` may
    /// refer to it (PostgreSQL's rule; an alias hides the relation's qualified name).
    bool relation_name = false;
    /// The schema of the relation (for `schema.name.column`); empty for other FROM items.
    std::string schema;
  };
  struct Scope {
    std::vector<ScopeEntry> entries;
  };
  /// The state of binding one SELECT's expressions.
  /// A window specification with its WINDOW-clause references resolved (binder_window.cc):
  /// the PARTITION BY, ORDER BY and frame clause it takes from its own definition or the
  /// window it refines. Points into the statement's AST.
  struct ResolvedWindowSpec {
    std::string name;
    const std::vector<ExprPtr>* partition_by = nullptr;
    const std::vector<SortBy>* order_by = nullptr;
    const WindowDef* frame = nullptr;  ///< the definition whose frame clause applies
    int location = -1;
  };
  struct SelectContext {
    bool inside_aggregate = false;
    bool inside_window = false;
    bool inside_window_definition = false;
    /// Where window functions are not allowed although aggregates are (HAVING).
    const char* no_windows_clause = nullptr;
    /// The WINDOW clause, in order.
    std::vector<ResolvedWindowSpec> named_windows;
    /// Whether set-returning functions may appear (the target list).
    bool set_functions_allowed = false;
    /// Set-returning functions of the target list; each call stands there as a reference to
    /// its function's column.
    std::vector<std::unique_ptr<LogicalTableFunction>> set_functions;
  };

  /// Whether the plans bound under a WITH query's definition or one inlined reference are
  /// still part of the statement (a definition is dropped when its CTE is inlined, an inlined
  /// copy when its CTE is materialized after all). A chain: dead when any ancestor is.
  struct PlanLiveness {
    std::shared_ptr<PlanLiveness> parent;
    bool alive = true;
    bool is_alive() const { return alive && (!parent || parent->is_alive()); }
  };
  /// One reference to a CTE: the projection an inlined copy of the CTE's query was bound under
  /// (null for a scan of a recursive CTE), where the reference was made and the copy itself.
  struct CteReference {
    LogicalProjection* node = nullptr;
    /// A reference inside a subquery expression (whose plan is optimized as soon as it is
    /// bound, before the CTE is decided) is bound as a scan; if the CTE is inlined after all,
    /// the copy becomes the scan's child.
    LogicalCteScan* placeholder = nullptr;
    std::shared_ptr<PlanLiveness> origin;
    std::shared_ptr<PlanLiveness> copy;
  };
  enum class CteRecursion : uint8_t { kNone, kNonRecursiveTerm, kRecursiveTerm, kOtherForm };
  /// A WITH query in scope (binder_cte.cc).
  struct CteBinding {
    const CommonTableExpr* ast = nullptr;
    Binder* owner = nullptr;          ///< The binder of the query level that declares it.
    size_t visible = 0;               ///< How many of owner->cte_stack_ its query sees.
    uint32_t cte_index = 0;
    std::vector<std::string> names;
    std::vector<LogicalType> types;
    LogicalPtr plan;                  ///< The definition, bound once (what a materialization runs).
    std::shared_ptr<PlanLiveness> definition_liveness;
    std::vector<CteReference> references;
    bool recursive = false;           ///< WITH RECURSIVE whose query references itself.
    bool materialized = false;
    // While binding a WITH RECURSIVE definition.
    CteRecursion recursion = CteRecursion::kNone;
    Binder* recursive_term_binder = nullptr;
    int self_references = 0;
  };
  /// A set-operation branch, bound in its own scope.
  struct SetOpBranch {
    LogicalPtr plan;
    std::vector<std::string> names;
    std::vector<bool> unknown;  ///< Output columns that are untyped literals ('...' or NULL).
    std::vector<int> locations; ///< Each output column's expression, for error positions.
  };

  Binder(Binder& parent, bool correlated);

  // Statements
  BoundStatement bind_select_statement(const SelectStmt& select);
  BoundStatement bind_insert(const InsertStatement& stmt);
  /// The table columns `names` denote, in order (every column when empty): 42703 for an unknown
  /// name, 42701 for one given twice. `relation` names the table in the message.
  std::vector<size_t> bind_target_columns(const catalog::TableEntry& table, const std::vector<std::string>& names,
                                          const std::string& relation, int location) const;
  /// The INSERT of `source`'s rows into `table`: a projection feeds source column i into
  /// table column targets[i] (cast for assignment) and the other columns their defaults;
  /// `skip_identity` (OVERRIDING USER VALUE) gives identity columns their default whatever
  /// the source holds. `projection_index` receives the projection's table index.
  std::unique_ptr<LogicalInsert> make_insert(std::shared_ptr<catalog::TableEntry> table, LogicalPtr source,
                                             const std::vector<size_t>& targets, bool skip_identity,
                                             uint32_t& projection_index);
  /// COPY FROM: the INSERT of the parsed input; COPY TO: the query whose rows are written
  /// (planner/binder/binder_copy.cc).
  BoundStatement bind_copy(const CopyStatement& stmt);
  BoundStatement bind_update(const UpdateStatement& stmt);
  /// ON CONFLICT of an INSERT into `table` (named `alias` in DO UPDATE): the arbiter indexes
  /// (42P10 when no unique index matches the inference columns, 42704 for an unknown
  /// constraint) and the DO UPDATE assignments and condition.
  std::shared_ptr<const BoundOnConflict> bind_on_conflict(const OnConflictClause& clause,
                                                          const catalog::TableEntry& table, const std::string& alias);
  BoundStatement bind_delete(const DeleteStatement& stmt);
  BoundStatement bind_truncate(const TruncateStatement& stmt);
  BoundStatement bind_vacuum(const VacuumStatement& stmt);
  /// The table an UPDATE or DELETE (`verb`: "update", "delete from") writes: 42P01 when
  /// absent, 55000/0A000 for a view (as PostgreSQL words it for views it cannot update).
  std::shared_ptr<catalog::TableEntry> bind_modify_target(const std::vector<std::string>& name, const char* verb,
                                                          int location);
  /// UPDATE and DELETE: scans the target (all columns plus the row id) under `alias` joined
  /// with `from`, filtered by `where`, and projects the row id, for UPDATE the new value of every
  /// column (`assignments`, per table column, null = unchanged), and with RETURNING every
  /// column in scope; then
  /// the LogicalModify and, with RETURNING, the projection of `returning`.
  BoundStatement bind_modify(LogicalOperatorKind kind, std::shared_ptr<catalog::TableEntry> table, const std::string& alias,
                             const std::vector<TableRefPtr>& from, const Expr* where,
                             const std::vector<const SetClause*>& assignments, const std::vector<ResultTarget>& returning);
  /// Binds RETURNING `targets` against scope_ (which names `source`'s outputs) as a projection
  /// over `source`, completing `result` (names, returns_rows).
  void bind_returning(LogicalPtr source, const std::vector<ResultTarget>& targets, BoundStatement& result);
  /// Casts `expr` for assignment to column `def` (INSERT and UPDATE): 42804 when no assignment
  /// cast exists; varchar(n) is checked (22001) when the row is written, not cut here.
  static BoundExprPtr cast_for_assignment(BoundExprPtr expr, const catalog::ColumnDefinition& def);
  BoundStatement bind_create_table(const CreateTableStatement& stmt);
  BoundStatement bind_create_index(const CreateIndexStatement& stmt);
  /// 428C9: a value given for a GENERATED ALWAYS identity column without OVERRIDING SYSTEM
  /// VALUE (PostgreSQL reports no position).
  [[noreturn]] static void throw_generated_always(const std::string& column);
  /// A column's DEFAULT, cast to its type: its constant, or its expression bound again.
  BoundExprPtr bind_column_default(const catalog::ColumnDefinition& column);
  /// Binds DEFAULT `expr` (source text `text`) of column `def` as PostgreSQL does: cast for
  /// assignment (42804), no column references (0A000); a constant becomes def.default_value,
  /// anything else def.default_expression (bound anew per statement by bind_column_default).
  /// A nextval('seq') in it must name an existing sequence now (42P01, with the expression's
  /// position when `sequence_error_position`, as CREATE TABLE reports it).
  void bind_default_definition(const Expr& expr, const std::string& text, catalog::ColumnDefinition& def,
                               bool sequence_error_position);
  /// The PRIMARY KEY and UNIQUE constraints of a CREATE TABLE as indexes, named as PostgreSQL
  /// names them (t_pkey, t_a_b_key); marks the primary key's columns NOT NULL.
  std::vector<catalog::IndexDefinition> bind_key_constraints(const CreateTableStatement& stmt,
                                                             std::vector<catalog::ColumnDefinition>& columns);
  /// `base`, or base1, base2, ... : the first not in `taken` nor a relation of schema `schema`
  /// (then taken).
  std::string choose_relation_name(Oid schema, const std::string& base, std::set<std::string>& taken) const;
  BoundStatement bind_create_view(const CreateViewStatement& stmt);
  // Sequences (binder_sequence.cc)
  BoundStatement bind_create_sequence(const CreateSequenceStatement& stmt);
  /// The parameters `options` give a sequence of `type` (its default when AS is absent),
  /// completed with PostgreSQL's defaults and checked as it checks them (22023).
  catalog::SequenceOptions bind_sequence_options(const std::vector<SequenceOption>& options, LogicalType type) const;
  /// The type of a column definition; `serial` tells whether it is one of the serial
  /// pseudo-types (their integer type returned). Type errors point at the type name.
  LogicalType bind_column_type(const ColumnDef& col, bool& serial) const;
  /// 22023 unless MINVALUE < MAXVALUE and START lies between them (PostgreSQL's messages).
  static void check_sequence_limits(const catalog::SequenceOptions& options);
  /// A serial or identity column of CREATE TABLE `table`: `def` (typed) gets nextval of a new
  /// sequence <table>_<column>_seq as its DEFAULT and NOT NULL; the sequence is returned.
  catalog::SequenceDefinition bind_owned_sequence(const std::string& table, const ColumnDef& col,
                                                  catalog::ColumnDefinition& def, std::set<std::string>& taken) const;
  // FOREIGN KEY constraints (binder_foreign_key.cc)
  /// The FOREIGN KEYs of a CREATE TABLE, checked (42830, 42804) and named as PostgreSQL names
  /// them (<table>_<columns>_fkey, avoiding `names`, the table's other constraint names,
  /// which it extends).
  std::vector<catalog::ForeignKey> bind_foreign_keys(const CreateTableStatement& stmt,
                                                     const std::vector<catalog::ColumnDefinition>& columns,
                                                     std::set<std::string>& names);
  /// The tables `table`'s FOREIGN KEYs reference, aligned with its foreign_keys().
  std::vector<std::shared_ptr<catalog::TableEntry>> bind_referenced_tables(const catalog::TableEntry& table);
  /// Sets the cascade target of each of `referencing` whose action changes rows (CASCADE, SET
  /// NULL, SET DEFAULT, on delete or update), adding the tables such actions reach, in turn,
  /// to `cascades`.
  void bind_cascades(std::vector<ReferencingForeignKey>& referencing, std::vector<CascadeTarget>& cascades);
  /// `table` as a cascade target: its index in `cascades` (added with what changing its rows
  /// needs, and the tables its own referencing keys reach, when not there yet).
  int bind_cascade_target(const std::shared_ptr<catalog::TableEntry>& table, std::vector<CascadeTarget>& cascades);
  // CHECK constraints (binder_check.cc)
  /// The CHECK constraints of a CREATE TABLE, checked and named as PostgreSQL names them
  /// (<table>_<column>_check when the expression reads one column, else <table>_check).
  std::vector<catalog::CheckConstraint> bind_check_constraints(const CreateTableStatement& stmt,
                                                               const std::vector<catalog::ColumnDefinition>& columns);
  /// A CHECK expression over the columns of table `table`, bound as {table_index, c}: boolean,
  /// no subquery (0A000), aggregate (42803) or window function (42P20).
  BoundExprPtr bind_check_expression(const Expr& expr, const std::string& table,
                                     const std::vector<catalog::ColumnDefinition>& columns, uint32_t table_index);
  /// The stored CHECK constraints of `table` for an INSERT or UPDATE, bound over
  /// {table_index, c} with a new table_index (set).
  std::vector<BoundExprPtr> bind_table_checks(const catalog::TableEntry& table, uint32_t& table_index);
  BoundStatement bind_drop(const DropStatement& stmt);
  // Schemas and qualified names (binder_schema.cc)
  BoundStatement bind_schema(const SchemaStatement& stmt);
  BoundStatement bind_drop_schema(const DropStatement& stmt);
  BoundStatement bind_comment_on_schema(const CommentStatement& stmt);
  /// The relation `parts` ([[database.]schema.]name) names as the transaction sees it, found
  /// as PostgreSQL resolves names: a qualified name in its schema, an unqualified one in the
  /// first schema of the search path holding the name. nullptr when there is none;
  /// 0A000 for another database's name; with `missing_schema_error`, 3F000 when a named schema
  /// does not exist (DDL), else that is a miss too (queries and DML).
  std::shared_ptr<catalog::CatalogEntry> find_relation(const std::vector<std::string>& parts, int location,
                                                       bool missing_schema_error = false) const;
  /// The name of a relation for messages: "schema.name" as written, or "name".
  static std::string relation_display_name(const std::vector<std::string>& parts);
  /// Checks that CREATE may put a relation named `parts` where it belongs (the schema it names,
  /// or the search path's creation schema): 0A000 for another database, 42501 for pg_catalog,
  /// 3F000 for a missing schema or, unqualified, when the search path names none that exists.
  /// Returns the schema's name.
  std::string check_creation_schema(const std::vector<std::string>& parts, int location) const;
  /// check_creation_schema for relations that live only in schema public so far (views,
  /// sequences): 0A000 for another schema.
  void check_creation_in_public(const std::vector<std::string>& parts, int location) const;
  /// The OID of schema `name` as the transaction sees it (3F000 when missing).
  Oid schema_oid(const std::string& name) const;
  /// The name of the schema of `entry`.
  std::string schema_name(const catalog::CatalogEntry& entry) const;
  /// 0A000 when `parts` has a database part naming another database.
  void check_database_part(const std::vector<std::string>& parts, int location) const;
  // ALTER TABLE, ALTER SEQUENCE, COMMENT (binder_alter.cc)
  /// ALTER TABLE ... SET SCHEMA: checks the move of `table` (with its indexes) to the schema
  /// `action` names and records it in `work`; a move to the schema it is in does nothing.
  void bind_set_schema(const catalog::TableEntry& table, const AlterTableAction& action, catalog::AlteredTable& work);
  BoundStatement bind_alter_table(const AlterTableStatement& stmt);
  BoundStatement bind_alter_sequence(const AlterSequenceStatement& stmt);
  BoundStatement bind_comment(const CommentStatement& stmt);
  /// The columns (and with INCLUDING, defaults, CHECK constraints and indexes) CREATE TABLE
  /// takes from `like`'s table; CHECK constraints and index definitions are appended to
  /// `checks` / `indexes` (index columns are positions in `columns` after `offset`).
  std::vector<catalog::ColumnDefinition> bind_table_like(const TableLikeClause& like, const std::string& table,
                                                         size_t offset, std::vector<catalog::CheckConstraint>& checks,
                                                         std::vector<catalog::IndexDefinition>& indexes);
  /// Raises an error when a view reading table `table` would no longer bind, or would produce
  /// other columns, once the table is `altered` (and named `altered.name`): `dropped` and
  /// `retyped` are the columns the statement drops and retypes, for PostgreSQL's messages.
  void check_dependent_views(const catalog::TableEntry& table, const catalog::AlteredTable& altered,
                             const std::vector<std::string>& dropped, const std::vector<std::string>& retyped,
                             bool cascade);
  BoundStatement bind_explain(const ExplainStatement& stmt);
  /// Raises PostgreSQL's error for EXPLAIN ANALYZE of a statement it does not run (42601; 0A000
  /// for the ones PostgreSQL runs and we do not yet).
  void check_explain_analyze_target(const Statement& statement) const;
  BoundStatement bind_set(const VariableSetStatement& stmt);
  BoundStatement bind_show(const VariableShowStatement& stmt);

  // Queries
  LogicalPtr bind_query(const SelectStmt& select, std::vector<std::string>& names);
  LogicalPtr bind_query_body(const SelectStmt& select, std::vector<std::string>& names);
  // Set operations (binder_setop.cc)
  LogicalPtr bind_set_operation(const SelectStmt& select, std::vector<std::string>& names);
  SetOpBranch bind_set_branch(const SelectStmt& select);
  /// ORDER BY / LIMIT / OFFSET over a query whose ORDER BY may name only output columns.
  LogicalPtr bind_output_modifiers(LogicalPtr plan, const SelectStmt& select, const std::vector<std::string>& names,
                                   const char* context);
  // WITH (binder_cte.cc)
  /// Declares the CTEs of `with`, binds the query with `body`, then materializes or inlines each.
  LogicalPtr bind_with(const WithClause& with, const std::function<LogicalPtr()>& body);
  void bind_cte_definition(CteBinding& cte);
  void bind_recursive_cte(CteBinding& cte);
  CteBinding* find_cte(const std::string& name);
  LogicalPtr bind_cte_reference(CteBinding& cte, const BaseTableRef& ref);
  LogicalPtr bind_working_table_reference(CteBinding& cte, const BaseTableRef& ref);
  /// The names and types a CTE exposes: its query's, renamed by the column list.
  void set_cte_columns(CteBinding& cte, LogicalPtr& plan, const std::vector<std::string>& names);
  void materialize_references(CteBinding& cte);
  /// Gives each placeholder scan of an inlined CTE its copy of the query.
  void inline_placeholders(CteBinding& cte);
  /// Runs `bind` as a query level of its own inside this binder (a CTE's query): no FROM items
  /// in scope, only the first `visible_ctes` WITH queries of this binder, plans belonging to
  /// `liveness`; this binder's outer references (correlation) stay available.
  void bind_in_cte_scope(size_t visible_ctes, std::shared_ptr<PlanLiveness> liveness, const std::function<void()>& bind);
  LogicalPtr bind_simple_select(const SelectStmt& select, std::vector<std::string>& names);
  LogicalPtr bind_values(const SelectStmt& select, std::vector<std::string>& names);
  LogicalPtr bind_from(const std::vector<TableRefPtr>& from);
  LogicalPtr bind_table_ref(const TableRef& ref);
  LogicalPtr bind_base_table(const BaseTableRef& ref);
  /// A function in FROM (binder_table_function.cc).
  LogicalPtr bind_table_function(const FunctionRef& ref);
  /// ROWS FROM (f(...), g(...)): the functions' columns side by side, in lockstep.
  LogicalPtr bind_rows_from(const FunctionRef& ref);
  /// A call of table function `name` with bound `args`: resolved, arguments cast and folded,
  /// output columns bound (errors at `location`).
  std::unique_ptr<LogicalTableFunction> bind_function_call(const std::string& name, std::vector<BoundExprPtr> args,
                                                           int location);
  /// CALL: a plan computing the arguments as one row (the session runs the procedure).
  BoundStatement bind_call(const CallStatement& call);
  LogicalPtr bind_derived(LogicalPtr plan, const std::vector<std::string>& names, const std::string& alias,
                          const std::vector<std::string>& column_aliases, int location);
  LogicalPtr bind_join(const JoinRef& ref);
  /// FROM items that read earlier ones (LATERAL subqueries, functions in FROM): binding one
  /// leaves its correlation here for the join that combines it with the items before it.
  struct LateralCorrelation {
    std::vector<BoundExprPtr> inputs;  ///< Outer expressions, BoundParameter(i) in the item.
    std::vector<int> locations;        ///< Where each was first referenced.
  };
  /// Takes the correlation bound_table_ref left (if any) for the item just bound. An item
  /// that reads only enclosing queries' values (no FROM item of this level) is joined to one
  /// empty row here.
  LogicalPtr finish_lateral_item(LogicalPtr item, std::optional<LateralCorrelation>& lateral);
  /// `left` joined with the LATERAL item `right` (type kInner or kLeft); `conditions` over
  /// both sides' columns (ON, USING). 42P10 for a RIGHT or FULL join; 0A000 when the item reads
  /// a FROM item other than `left`'s.
  LogicalPtr bind_lateral_join(LogicalPtr left, LogicalPtr right, JoinType type, LateralCorrelation lateral,
                               std::vector<BoundExprPtr> conditions, int location);
  /// PostgreSQL's 42P01/42703 for a name that is in an enclosing scope this query level may
  /// not read (a FROM item of the same level without LATERAL); returns when there is none.
  void throw_if_invisible_reference(const std::vector<std::string>& fields, int location) const;
  BoundExprPtr bind_limit_value(const Expr& expr, const char* clause);
  /// `plan` under a LogicalLimit for the statement's LIMIT / OFFSET, or `plan` when it has none.
  LogicalPtr wrap_limit(const SelectStmt& select, LogicalPtr plan);
  /// ORDER BY item `item` over output column `ordinal` (1-based) of `types`/`bindings`/`names`,
  /// with PostgreSQL's default NULLS order (first for DESC).
  static BoundOrderBy order_by_output(const SortBy& item, size_t ordinal, const std::vector<LogicalType>& types,
                                      const std::vector<ColumnBinding>& bindings, const std::vector<std::string>& names);

  // Expressions
  BoundExprPtr bind_expr(const Expr& expr);
  BoundExprPtr bind_column_ref(const ColumnRefExpr& ref);
  BoundExprPtr bind_constant(const ConstantExpr& constant);
  BoundExprPtr bind_parameter(const ParameterExpr& parameter);
  BoundExprPtr bind_binary(const BinaryOpExpr& expr);
  BoundExprPtr bind_unary(const UnaryOpExpr& expr);
  BoundExprPtr bind_interval_with_fields(BoundExprPtr arg, const TypeName& type, int location);
  BoundExprPtr bind_function(const FuncCallExpr& call);
  /// A call of scalar function `name` with bound `args` (errors at `location`).
  BoundExprPtr call_function(const std::string& name, std::vector<BoundExprPtr> args, int location);
  BoundExprPtr bind_aggregate(const FuncCallExpr& call);
  /// grouping(...) in a SELECT's target list, HAVING or ORDER BY; resolved by the grouped rewrite.
  BoundExprPtr bind_grouping(const FuncCallExpr& call);
  /// A call with OVER (binder_window.cc).
  BoundExprPtr bind_window(const FuncCallExpr& call);
  static bool is_window_function_name(const std::string& name);
  /// Validates the WINDOW clause into context.named_windows.
  void resolve_named_windows(const SelectStmt& select, SelectContext& context);
  ResolvedWindowSpec merge_window_spec(const WindowDef& def, const SelectContext& context, bool in_over);
  void bind_window_spec(const ResolvedWindowSpec& spec, BoundWindow& window);
  BoundExprPtr bind_case(const CaseExpr& expr);
  /// A set-returning function in a target list (binder_table_function.cc): recorded in the
  /// select context, replaced by a reference to its column. 0A000 elsewhere, as PostgreSQL.
  BoundExprPtr bind_set_function(const FuncCallExpr& call);
  /// `plan` joined with the target list's set-returning functions, which run per row of
  /// `plan` in lockstep (PostgreSQL 10): as many rows as the longest, the others padded with
  /// NULL; no row when all return none.
  LogicalPtr bind_set_functions(LogicalPtr plan, std::vector<std::unique_ptr<LogicalTableFunction>> functions);
  BoundExprPtr bind_sublink(const SubLinkExpr& expr);
  BoundExprPtr bind_in_list(const InListExpr& expr);
  BoundExprPtr bind_between(const BetweenExpr& expr);
  BoundExprPtr bind_array(const ArrayExpr& expr);
  BoundExprPtr bind_array_subquery(const ArrayExpr& expr);
  BoundExprPtr bind_subscript(const SubscriptExpr& expr);
  BoundExprPtr bind_array_op(const ArrayOpExpr& expr);
  BoundExprPtr bind_like(const LikeExpr& expr);
  BoundExprPtr bind_boolean(const Expr& expr, const char* context);
  BoundExprPtr make_comparison(const std::string& op, BoundExprPtr left, BoundExprPtr right, int location);
  BoundExprPtr make_arithmetic(const std::string& op, BoundExprPtr left, BoundExprPtr right, int location);

  /// Resolves a column name in this binder's scope or, failing that, an outer one.
  BoundExprPtr resolve_column(const std::vector<std::string>& fields, int location);
  /// Looks a column up in this level only; nullptr when absent.
  BoundExprPtr lookup_local(const std::vector<std::string>& fields, int location);
  /// Resolves a column of an enclosing query for a correlated subquery: returns the
  /// parameter that stands for it here.
  BoundExprPtr resolve_outer(const std::vector<std::string>& fields, int location);

  std::vector<BoundExprPtr> expand_star(const StarExpr& star);
  std::string column_name_of(const Expr& expr) const;
  /// PostgreSQL's FigureColname: sets `name` and returns 2 for a name of the expression's own
  /// (a column, a function), 1 for a fallback (a cast's type, "case"), 0 for none.
  int column_name_strength(const Expr& expr, std::string& name) const;
  uint32_t next_table_index();
  BoundStatement bind_statement(const Statement& statement);
  [[noreturn]] void throw_at(SqlState state, const std::string& message, int location) const;
  uint32_t position(int location) const;

  catalog::Catalog& catalog_;
  const catalog::FunctionRegistry& functions_;
  const storage::Transaction& transaction_;
  std::string_view sql_;
  /// The search_path setting names are looked up with (a view's query: public, where its
  /// relations were found when it was created).
  std::string search_path_ = "\"$user\", public";
  /// The schema a CREATE TABLE being bound creates in (names of its indexes and sequences).
  Oid creation_schema_oid_ = catalog::kPublicSchemaOid;
  Binder* parent_ = nullptr;
  /// Whether this binder may look names up in parent_ (subquery expressions, not FROM items).
  bool correlated_ = false;
  /// A subquery in FROM without LATERAL: the FROM items of parent_'s level are not visible,
  /// but the query levels enclosing it are (when parent_ is itself correlated).
  bool skip_parent_scope_ = false;
  std::shared_ptr<uint32_t> table_index_counter_;
  Scope scope_;
  /// Active while binding a SELECT's target list / HAVING / ORDER BY.
  SelectContext* select_context_ = nullptr;
  /// Where aggregates are not allowed, the clause name for the error message.
  const char* no_aggregates_clause_ = nullptr;
  /// The construct whose arguments are being bound where set-returning functions are not
  /// allowed although the clause allows them (CASE, COALESCE, a set-returning function's).
  const char* no_set_functions_construct_ = nullptr;
  /// Correlated inputs collected while binding this subquery (outer-context expressions).
  std::vector<BoundExprPtr> correlated_inputs_;
  /// Where each of correlated_inputs_ was first referenced.
  std::vector<int> correlated_locations_;
  /// Set by bind_table_ref for a FROM item that reads earlier FROM items or enclosing queries.
  std::optional<LateralCorrelation> lateral_;
  /// WITH queries declared by the query levels of this binder, innermost last.
  std::vector<CteBinding*> cte_stack_;
  /// How many of parent_->cte_stack_ this binder sees (a CTE's query sees only the CTEs before it).
  size_t parent_cte_limit_ = std::numeric_limits<size_t>::max();
  /// Which CTE definition or inlined copy the plans bound here belong to (null: the statement).
  std::shared_ptr<PlanLiveness> liveness_;
  /// Set by bind_query_body: which output columns of the query just bound are untyped literals.
  std::vector<bool> last_unknown_outputs_;
  std::vector<int> last_output_locations_;
  /// Depth of views being expanded (guards against recursion).
  int view_depth_ = 0;
  /// Relations seen in place of the catalog's while checking views against an ALTER TABLE
  /// (a null entry: the name does not exist); shared with child binders.
  std::shared_ptr<std::map<std::string, std::shared_ptr<catalog::CatalogEntry>>> relation_overlay_;
  /// Every relation the statement reads, shared by all binders of one statement (view
  /// dependencies).
  std::shared_ptr<std::set<std::pair<Oid, std::string>>> referenced_relations_;
  /// Inferred `$n` types (preparing), shared by all binders of one statement.
  std::shared_ptr<ParameterTypes> parameter_types_;
  /// `$n` values (executing a bound portal); null while preparing.
  std::shared_ptr<const std::vector<Value>> parameter_values_;
};

}  // namespace tessera::planner
