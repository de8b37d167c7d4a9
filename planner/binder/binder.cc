#include "planner/binder/binder.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "catalog/catalog.h"
#include "catalog/entry_kind_name.h"
#include "catalog/sequence_session.h"
#include "catalog/system_views.h"
#include "planner/binder/type_rules.h"
#include "planner/parser/error_position.h"
#include "planner/parser/parser.h"
#include "planner/parser/relation_rename.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"
#include "storage/data_table.h"

namespace tessera::planner {

Binder::Binder(catalog::Catalog& catalog, const catalog::FunctionRegistry& functions,
               const storage::Transaction& transaction, std::string_view sql)
    : catalog_(catalog),
      functions_(functions),
      transaction_(transaction),
      sql_(sql),
      table_index_counter_(std::make_shared<uint32_t>(1)),
      referenced_relations_(std::make_shared<std::set<std::pair<Oid, std::string>>>()),
      parameter_types_(std::make_shared<ParameterTypes>()) {}

Binder::Binder(Binder& parent, bool correlated)
    : catalog_(parent.catalog_),
      functions_(parent.functions_),
      transaction_(parent.transaction_),
      sql_(parent.sql_),
      search_path_(parent.search_path_),
      parent_(&parent),
      correlated_(correlated),
      table_index_counter_(parent.table_index_counter_),
      view_depth_(parent.view_depth_),
      relation_overlay_(parent.relation_overlay_),
      referenced_relations_(parent.referenced_relations_),
      parameter_types_(parent.parameter_types_),
      parameter_values_(parent.parameter_values_) {
  liveness_ = parent.liveness_;
}

void Binder::set_parameter_values(std::vector<Value> values) {
  parameter_values_ = std::make_shared<const std::vector<Value>>(std::move(values));
}

void Binder::declare_parameter_types(const std::vector<LogicalType>& types) {
  for (size_t i = 0; i < types.size(); i++) parameter_types_->declare_type(static_cast<uint32_t>(i + 1), types[i]);
}

std::vector<BoundExprPtr> Binder::bind_execute_arguments(const ExecuteStatement& execute,
                                                        const std::vector<LogicalType>& types) {
  if (execute.params.size() != types.size()) {
    throw SqlError(SqlState::kSyntaxError, "wrong number of parameters for prepared statement \"" + execute.name + "\"")
        .with_detail("Expected " + std::to_string(types.size()) + " parameters but got " +
                     std::to_string(execute.params.size()) + ".");
  }
  std::vector<BoundExprPtr> arguments;
  scope_ = Scope();
  for (size_t i = 0; i < types.size(); i++) {
    const Expr& expr = *execute.params[i];
    if (expr.kind == ExprKind::kSubLink) {
      throw_at(SqlState::kFeatureNotSupported, "cannot use subquery in EXECUTE parameter", expr.location);
    }
    BoundExprPtr bound = bind_expr(expr);
    if (contains_expression(*bound, BoundExprKind::kSubquery)) {
      throw_at(SqlState::kFeatureNotSupported, "cannot use subquery in EXECUTE parameter", expr.location);
    }
    if (bound->type.id() != LogicalTypeId::kSqlNull && !is_unknown_literal(*bound) && !(bound->type == types[i]) &&
        !can_cast_assignment(bound->type, types[i])) {
      throw SqlError(SqlState::kDatatypeMismatch, "parameter $" + std::to_string(i + 1) + " of type " +
                                                      bound->type.name() + " cannot be coerced to the expected type " +
                                                      types[i].name())
          .with_hint("You will need to rewrite or cast the expression.")
          .with_position(position(expr.location));
    }
    try {
      arguments.push_back(bound->type == types[i] ? std::move(bound) : cast_to(std::move(bound), types[i]));
    } catch (SqlError& e) {
      if (e.position() == 0) e.with_position(position(expr.location));
      throw;
    }
  }
  return arguments;
}

BoundExprPtr Binder::bind_parameter(const ParameterExpr& parameter) {
  const int index = parameter.index;
  if (index < 1 || (parameter_values_ && static_cast<size_t>(index) > parameter_values_->size())) {
    throw_at(SqlState::kUndefinedParameter, "there is no parameter $" + std::to_string(index), parameter.location);
  }
  if (parameter_values_) return std::make_unique<BoundConstant>((*parameter_values_)[index - 1]);
  if (parameter_types_->is_declared(static_cast<uint32_t>(index))) {
    // PREPARE ... (types): a stand-in of the declared type, like a value of it.
    return std::make_unique<BoundConstant>(Value::null(parameter_types_->resolved()[index - 1]));
  }
  // Preparing: the value is not known yet, and its type is open until the context casts it.
  // The stand-in below only carries that inference (ParameterTypes); a plan holding it is never
  // executed: bind() binds the statement again with the values, and running a statement with
  // `$n` but no values fails above with 42P02, as in PostgreSQL.
  parameter_types_->declare(static_cast<uint32_t>(index));
  auto unbound = std::make_unique<BoundConstant>(Value::null(LogicalType::varchar()));
  unbound->unknown_literal = true;
  unbound->parameter_types = parameter_types_.get();
  unbound->parameter_index = static_cast<uint32_t>(index);
  return unbound;
}

uint32_t Binder::next_table_index() { return (*table_index_counter_)++; }

uint32_t Binder::position(int location) const { return error_position(sql_, location); }

void Binder::throw_at(SqlState state, const std::string& message, int location) const {
  throw SqlError(state, message).with_position(position(location));
}

BoundStatement Binder::bind(const Statement& statement) {
  BoundStatement result = bind_statement(statement);
  result.table_indexes = table_index_counter_;
  return result;
}

BoundStatement Binder::bind_statement(const Statement& statement) {
  switch (statement.kind) {
    case StatementKind::kSelect: return bind_select_statement(*statement.as<SelectStatement>().select);
    case StatementKind::kInsert: return bind_insert(statement.as<InsertStatement>());
    case StatementKind::kCreateTable: return bind_create_table(statement.as<CreateTableStatement>());
    case StatementKind::kCreateView: return bind_create_view(statement.as<CreateViewStatement>());
    case StatementKind::kDrop: return bind_drop(statement.as<DropStatement>());
    case StatementKind::kExplain: return bind_explain(statement.as<ExplainStatement>());
    case StatementKind::kVariableSet: return bind_set(statement.as<VariableSetStatement>());
    case StatementKind::kVariableShow: return bind_show(statement.as<VariableShowStatement>());
    case StatementKind::kTransaction: {
      const auto& t = statement.as<TransactionStatement>();
      if (t.chain) throw SqlError(SqlState::kFeatureNotSupported, "AND CHAIN is not supported yet");
      if (t.read_only.value_or(false)) {
        throw SqlError(SqlState::kFeatureNotSupported, "read-only transactions are not supported yet");
      }
      BoundStatement result;
      switch (t.transaction_kind) {
        case TransactionKind::kBegin:
          result.plan = std::make_unique<LogicalTransaction>(TransactionAction::kBegin);
          result.properties.command = CommandKind::kBegin;
          result.properties.transaction = TransactionControl::kBegin;
          return result;
        case TransactionKind::kCommit:
          result.plan = std::make_unique<LogicalTransaction>(TransactionAction::kCommit);
          result.properties.command = CommandKind::kCommit;
          result.properties.transaction = TransactionControl::kCommit;
          return result;
        case TransactionKind::kRollback:
          result.plan = std::make_unique<LogicalTransaction>(TransactionAction::kRollback);
          result.properties.command = CommandKind::kRollback;
          result.properties.transaction = TransactionControl::kRollback;
          return result;
        default: throw SqlError(SqlState::kFeatureNotSupported, "savepoints are not supported yet");
      }
    }
    case StatementKind::kUpdate: return bind_update(statement.as<UpdateStatement>());
    case StatementKind::kDelete: return bind_delete(statement.as<DeleteStatement>());
    case StatementKind::kCreateIndex: return bind_create_index(static_cast<const CreateIndexStatement&>(statement));
    case StatementKind::kCreateSequence: return bind_create_sequence(statement.as<CreateSequenceStatement>());
    case StatementKind::kTruncate: return bind_truncate(statement.as<TruncateStatement>());
    case StatementKind::kRefreshMatView:
      throw_at(SqlState::kFeatureNotSupported, "materialized views are not supported yet", statement.location);
    case StatementKind::kCopy: return bind_copy(statement.as<CopyStatement>());
    // The session runs PREPARE, EXECUTE and DEALLOCATE itself; what reaches the binder is
    // nested in another statement (EXPLAIN).
    case StatementKind::kExecute:
      throw_at(SqlState::kFeatureNotSupported, "EXPLAIN EXECUTE is not supported yet", statement.location);
    case StatementKind::kPrepare:
    case StatementKind::kDeallocate:
      throw_at(SqlState::kFeatureNotSupported, "PREPARE and DEALLOCATE cannot be nested in another statement",
               statement.location);
    case StatementKind::kVacuum: return bind_vacuum(statement.as<VacuumStatement>());
    case StatementKind::kCheckpoint:
      throw_at(SqlState::kSyntaxError, "syntax error at or near \"CHECKPOINT\"", statement.location);
    case StatementKind::kCall: return bind_call(statement.as<CallStatement>());
    case StatementKind::kAlterTable: return bind_alter_table(statement.as<AlterTableStatement>());
    case StatementKind::kAlterSequence: return bind_alter_sequence(statement.as<AlterSequenceStatement>());
    case StatementKind::kComment: return bind_comment(statement.as<CommentStatement>());
    case StatementKind::kSchema: return bind_schema(statement.as<SchemaStatement>());
  }
  throw_at(SqlState::kFeatureNotSupported, "statement not supported", statement.location);
}

BoundStatement Binder::bind_call(const CallStatement& call) {
  // The plan evaluates the arguments as one row; the session then runs the procedure.
  BoundStatement result;
  auto values = std::make_unique<LogicalValues>(next_table_index());
  std::vector<BoundExprPtr> row;
  for (const auto& arg : call.args) {
    BoundExprPtr bound = bind_expr(*arg);
    if (contains_expression(*bound, BoundExprKind::kAggregate)) {
      throw_at(SqlState::kGroupingError, "aggregate functions are not allowed in CALL arguments", arg->location);
    }
    if (contains_expression(*bound, BoundExprKind::kSubquery)) {
      throw_at(SqlState::kFeatureNotSupported, "cannot use subquery in CALL argument", arg->location);
    }
    const LogicalType type = is_unknown_literal(*bound) ? LogicalType::varchar() : result_column_type(bound->type);
    values->types.push_back(type);
    row.push_back(cast_to(std::move(bound), type));
    result.names.push_back("?column?");
  }
  values->rows.push_back(std::move(row));
  result.plan = std::move(values);
  result.properties.command = CommandKind::kCall;
  result.properties.read_only = false;
  return result;
}

BoundStatement Binder::bind_select_statement(const SelectStmt& select) {
  BoundStatement result;
  result.plan = bind_query(select, result.names);
  result.properties.command = CommandKind::kSelect;
  result.properties.returns_rows = true;
  return result;
}

// ---- FROM -------------------------------------------------------------------------------------

LogicalPtr Binder::bind_from(const std::vector<TableRefPtr>& from) {
  if (from.empty()) {
    // SELECT without FROM reads one empty row.
    auto values = std::make_unique<LogicalValues>(next_table_index());
    values->rows.emplace_back();
    return values;
  }
  std::optional<LateralCorrelation> lateral;
  LogicalPtr plan = finish_lateral_item(bind_table_ref(*from[0]), lateral);
  for (size_t i = 1; i < from.size(); i++) {
    LogicalPtr right = finish_lateral_item(bind_table_ref(*from[i]), lateral);
    if (lateral) {
      plan = bind_lateral_join(std::move(plan), std::move(right), JoinType::kInner, std::move(*lateral), {},
                               from[i]->location);
      continue;
    }
    auto join = std::make_unique<LogicalJoin>(JoinType::kCross);
    join->children.push_back(std::move(plan));
    join->children.push_back(std::move(right));
    plan = std::move(join);
  }
  return plan;
}

LogicalPtr Binder::finish_lateral_item(LogicalPtr item, std::optional<LateralCorrelation>& lateral) {
  lateral = std::move(lateral_);
  lateral_.reset();
  if (!lateral) return item;
  bool reads_columns = false;
  for (const auto& input : lateral->inputs) reads_columns = reads_columns || contains_expression(*input, BoundExprKind::kColumnRef);
  if (reads_columns) return item;
  // Only values of enclosing queries: joined to one row, it runs once per their values.
  auto row = std::make_unique<LogicalValues>(next_table_index());
  row->rows.emplace_back();
  auto join = std::make_unique<LogicalDependentJoin>(JoinType::kInner);
  join->correlated = std::move(lateral->inputs);
  join->children.push_back(std::move(row));
  join->children.push_back(std::move(item));
  lateral.reset();
  return join;
}

LogicalPtr Binder::bind_lateral_join(LogicalPtr left, LogicalPtr right, JoinType type, LateralCorrelation lateral,
                                     std::vector<BoundExprPtr> conditions, int location) {
  const auto left_bindings = left->output_bindings();
  const std::set<ColumnBinding> available(left_bindings.begin(), left_bindings.end());
  // The FROM item a reference names, for messages.
  auto alias_of = [&](const ColumnBinding& binding) {
    for (const auto& entry : scope_.entries) {
      for (const auto& b : entry.bindings) {
        if (b == binding) return entry.alias;
      }
    }
    return std::string();
  };
  for (size_t i = 0; i < lateral.inputs.size(); i++) {
    std::optional<ColumnBinding> outside;
    std::optional<ColumnBinding> inside;
    visit_expression(*lateral.inputs[i], [&](const BoundExpression& e) {
      if (e.kind != BoundExprKind::kColumnRef) return;
      const auto& binding = static_cast<const BoundColumnRef&>(e).binding;
      (available.count(binding) ? inside : outside) = binding;
    });
    const int at = i < lateral.locations.size() ? lateral.locations[i] : location;
    if (inside && (type == JoinType::kRight || type == JoinType::kFull)) {
      throw SqlError(SqlState::kInvalidColumnReference,
                     "invalid reference to FROM-clause entry for table \"" + alias_of(*inside) + "\"")
          .with_position(position(at))
          .with_detail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
    }
    if (outside) {
      throw_at(SqlState::kFeatureNotSupported,
               "a LATERAL reference to FROM item \"" + alias_of(*outside) + "\" outside of its JOIN is not supported yet",
               at);
    }
  }
  auto join = std::make_unique<LogicalDependentJoin>(type == JoinType::kLeft ? JoinType::kLeft : JoinType::kInner);
  if (type == JoinType::kLeft && !conditions.empty()) {
    // The ON condition decides which of the item's rows pair with the left row: a filter of
    // the item, reading the left row's columns as parameters, as the item itself does.
    auto filter = std::make_unique<LogicalFilter>();
    for (auto& condition : conditions) {
      rewrite_expression(condition, [&](BoundExpression& e) -> BoundExprPtr {
        if (e.kind != BoundExprKind::kParameter &&
            (e.kind != BoundExprKind::kColumnRef || !available.count(static_cast<BoundColumnRef&>(e).binding))) {
          return nullptr;
        }
        for (size_t i = 0; i < lateral.inputs.size(); i++) {
          if (lateral.inputs[i]->equals(e)) return std::make_unique<BoundParameter>(e.type, static_cast<uint32_t>(i));
        }
        lateral.inputs.push_back(e.copy());
        return std::make_unique<BoundParameter>(e.type, static_cast<uint32_t>(lateral.inputs.size() - 1));
      });
      filter->conjuncts.push_back(std::move(condition));
    }
    filter->children.push_back(std::move(right));
    right = std::move(filter);
    conditions.clear();
  }
  join->correlated = std::move(lateral.inputs);
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  if (conditions.empty()) return join;
  auto filter = std::make_unique<LogicalFilter>();
  filter->conjuncts = std::move(conditions);
  filter->children.push_back(std::move(join));
  return filter;
}

LogicalPtr Binder::bind_table_ref(const TableRef& ref) {
  switch (ref.kind) {
    case TableRefKind::kBaseTable: return bind_base_table(ref.as<BaseTableRef>());
    case TableRefKind::kSubquery: {
      const auto& sub = ref.as<SubqueryRef>();
      // A LATERAL subquery reads the FROM items before it (and enclosing queries) as a
      // correlated subquery reads its outer query; without LATERAL it reads only the
      // enclosing queries.
      Binder child(*this, sub.lateral || correlated_);
      child.skip_parent_scope_ = !sub.lateral;
      std::vector<std::string> names;
      LogicalPtr plan = child.bind_query(*sub.subquery, names);
      if (!child.correlated_inputs_.empty()) {
        lateral_ = LateralCorrelation{std::move(child.correlated_inputs_), std::move(child.correlated_locations_)};
      }
      std::string alias = sub.alias ? sub.alias->name : "";
      std::vector<std::string> column_aliases = sub.alias ? sub.alias->columns : std::vector<std::string>{};
      return bind_derived(std::move(plan), names, alias, column_aliases, ref.location);
    }
    case TableRefKind::kJoin: return bind_join(ref.as<JoinRef>());
    case TableRefKind::kFunction: return bind_table_function(ref.as<FunctionRef>());
  }
  throw_at(SqlState::kFeatureNotSupported, "unsupported FROM item", ref.location);
}

LogicalPtr Binder::bind_base_table(const BaseTableRef& ref) {
  const auto& parts = ref.name;
  std::string name = parts.back();
  check_database_part(parts, ref.location);
  if (catalog::is_system_view(name) &&
      (parts.size() == 1 ? find_cte(name) == nullptr : parts[parts.size() - 2] == catalog::kCatalogSchema)) {
    // A system view: the rows of its table function.
    auto plan = bind_function_call(name, {}, ref.location);
    const std::vector<std::string> names = plan->schema.names;
    const std::string alias = ref.alias ? ref.alias->name : name;
    std::vector<std::string> column_aliases = ref.alias ? ref.alias->columns : std::vector<std::string>{};
    return bind_derived(std::move(plan), names, alias, column_aliases, ref.location);
  }
  if (parts.size() >= 2) {
    const std::string& schema = parts[parts.size() - 2];
    if (schema == catalog::kCatalogSchema || schema == catalog::kInformationSchema) {
      throw_at(SqlState::kFeatureNotSupported,
               "relation \"" + relation_display_name(parts) + "\" is not supported yet", ref.location);
    }
  }
  if (parts.size() == 1) {
    // A WITH query of this or an enclosing query level hides a table of the same name.
    if (CteBinding* cte = find_cte(name)) return bind_cte_reference(*cte, ref);
  }
  std::shared_ptr<catalog::CatalogEntry> entry;
  if (relation_overlay_ && relation_overlay_->count(name)) {
    entry = relation_overlay_->at(name);
  } else {
    entry = find_relation(parts, ref.location);
  }
  if (!entry) {
    throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(parts) + "\" does not exist",
             ref.location);
  }
  referenced_relations_->emplace(entry->schema_oid(), entry->name());
  std::string alias = ref.alias ? ref.alias->name : name;
  std::vector<std::string> column_aliases = ref.alias ? ref.alias->columns : std::vector<std::string>{};
  if (column_aliases.size() > entry->columns().size()) {
    throw_at(SqlState::kInvalidColumnReference,
             "table \"" + alias + "\" has " + std::to_string(entry->columns().size()) + " columns available but " +
                 std::to_string(column_aliases.size()) + " columns specified",
             ref.location);
  }
  if (entry->kind() == catalog::EntryKind::kIndex) {
    throw_at(SqlState::kWrongObjectType, "\"" + entry->name() + "\" is an index", ref.location);
  }
  if (entry->kind() == catalog::EntryKind::kSequence) {
    throw_at(SqlState::kFeatureNotSupported, "reading sequence \"" + entry->name() + "\" as a table is not supported yet",
             ref.location);
  }
  if (entry->kind() == catalog::EntryKind::kView) {
    const auto& view = static_cast<const catalog::ViewEntry&>(*entry);
    if (view_depth_ > 32) throw_at(SqlState::kProgramLimitExceeded, "view nesting too deep", ref.location);
    auto statements = parse_sql(view.query_text());
    Binder child(*this, false);
    child.sql_ = view.query_text();
    child.view_depth_ = view_depth_ + 1;
    // Its relations were found in public when it was created, whatever the path is now.
    child.search_path_ = catalog::kPublicSchema;
    // A view depends on the relations its own query names, not on those of the views it reads.
    child.referenced_relations_ = std::make_shared<std::set<std::pair<Oid, std::string>>>();
    std::vector<std::string> names;
    LogicalPtr plan = child.bind_query(*statements.at(0)->as<SelectStatement>().select, names);
    for (size_t i = 0; i < names.size() && i < view.columns().size(); i++) names[i] = view.columns()[i].name;
    LogicalPtr derived = bind_derived(std::move(plan), names, alias, column_aliases, ref.location);
    scope_.entries.back().relation_name = !ref.alias;
    scope_.entries.back().schema = schema_name(*entry);
    return derived;
  }
  for (const auto& e : scope_.entries) {
    if (e.alias != alias) continue;
    // PostgreSQL tells unaliased relations of the same name apart by their schemas.
    if (!ref.alias && e.relation_name && e.schema != schema_name(*entry)) {
      throw_at(SqlState::kFeatureNotSupported,
               "relations of the same name from different schemas in one FROM clause are not supported yet (table \"" +
                   alias + "\"); give one an alias",
               ref.location);
    }
    throw_at(SqlState::kDuplicateAlias, "table name \"" + alias + "\" specified more than once", ref.location);
  }
  auto table = std::static_pointer_cast<catalog::TableEntry>(entry);
  auto get = std::make_unique<LogicalGet>(table, next_table_index(), alias);
  ScopeEntry scope_entry;
  scope_entry.alias = alias;
  scope_entry.relation_name = !ref.alias;
  scope_entry.schema = schema_name(*table);
  for (size_t i = 0; i < table->columns().size(); i++) {
    get->column_ids.push_back(i);
    scope_entry.names.push_back(i < column_aliases.size() ? column_aliases[i] : table->columns()[i].name);
    scope_entry.types.push_back(table->columns()[i].type);
    scope_entry.bindings.push_back(ColumnBinding{get->table_index, static_cast<uint32_t>(i)});
    scope_entry.hidden.push_back(false);
  }
  scope_.entries.push_back(std::move(scope_entry));
  return get;
}

LogicalPtr Binder::bind_derived(LogicalPtr plan, const std::vector<std::string>& names, const std::string& alias,
                                const std::vector<std::string>& column_aliases, int location) {
  if (column_aliases.size() > names.size()) {
    throw_at(SqlState::kInvalidColumnReference,
             "table \"" + alias + "\" has " + std::to_string(names.size()) + " columns available but " +
                 std::to_string(column_aliases.size()) + " columns specified",
             location);
  }
  auto bindings = plan->output_bindings();
  auto types = plan->output_types();
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  ScopeEntry entry;
  entry.alias = alias;
  for (size_t i = 0; i < bindings.size(); i++) {
    std::string name = i < column_aliases.size() ? column_aliases[i] : names[i];
    LogicalType type = result_column_type(types[i]);
    BoundExprPtr ref = std::make_unique<BoundColumnRef>(types[i], bindings[i], name);
    projection->expressions.push_back(cast_to(std::move(ref), type));
    entry.names.push_back(name);
    entry.types.push_back(type);
    entry.bindings.push_back(ColumnBinding{projection->table_index, static_cast<uint32_t>(i)});
    entry.hidden.push_back(false);
  }
  projection->children.push_back(std::move(plan));
  scope_.entries.push_back(std::move(entry));
  return projection;
}

LogicalPtr Binder::bind_join(const JoinRef& ref) {
  if (ref.alias) throw_at(SqlState::kFeatureNotSupported, "aliases on JOIN are not supported yet", ref.location);
  size_t left_begin = scope_.entries.size();
  std::optional<LateralCorrelation> lateral;
  LogicalPtr left = finish_lateral_item(bind_table_ref(*ref.left), lateral);
  if (lateral) {
    throw_at(SqlState::kFeatureNotSupported, "a LATERAL item on the left of a JOIN that reads an earlier FROM item is not supported yet",
             ref.left->location);
  }
  size_t right_begin = scope_.entries.size();
  LogicalPtr right = finish_lateral_item(bind_table_ref(*ref.right), lateral);
  size_t right_end = scope_.entries.size();

  JoinType type = ref.join_type;
  auto join = std::make_unique<LogicalJoin>(type == JoinType::kRight ? JoinType::kLeft : type);
  std::vector<std::string> using_columns = ref.using_columns;
  if (ref.natural) {
    std::set<std::string> right_names;
    for (size_t e = right_begin; e < right_end; e++) {
      for (size_t c = 0; c < scope_.entries[e].names.size(); c++) {
        if (!scope_.entries[e].hidden[c]) right_names.insert(scope_.entries[e].names[c]);
      }
    }
    for (size_t e = left_begin; e < right_begin; e++) {
      for (size_t c = 0; c < scope_.entries[e].names.size(); c++) {
        if (!scope_.entries[e].hidden[c] && right_names.count(scope_.entries[e].names[c])) {
          using_columns.push_back(scope_.entries[e].names[c]);
        }
      }
    }
  }
  auto find_side = [&](size_t begin, size_t end, const std::string& name, const char* side) {
    ScopeEntry* found_entry = nullptr;
    size_t found_column = 0;
    for (size_t e = begin; e < end; e++) {
      for (size_t c = 0; c < scope_.entries[e].names.size(); c++) {
        if (scope_.entries[e].hidden[c] || scope_.entries[e].names[c] != name) continue;
        if (found_entry) {
          throw_at(SqlState::kAmbiguousColumn, "common column name \"" + name + "\" appears more than once in " + side + " table",
                   ref.location);
        }
        found_entry = &scope_.entries[e];
        found_column = c;
      }
    }
    if (!found_entry) {
      throw_at(SqlState::kUndefinedColumn, "column \"" + name + "\" specified in USING clause does not exist in " + side + " table",
               ref.location);
    }
    return std::make_pair(found_entry, found_column);
  };
  for (size_t i = 0; i < using_columns.size(); i++) {
    for (size_t j = 0; j < i; j++) {
      if (using_columns[i] == using_columns[j]) {
        throw_at(SqlState::kDuplicateColumn, "column name \"" + using_columns[i] + "\" appears more than once in USING clause",
                 ref.location);
      }
    }
  }
  // The merged USING columns come first in `*` and answer unqualified names; they are the
  // left side's columns (the right side's for RIGHT JOIN, whose right side is preserved).
  ScopeEntry merged;
  std::vector<std::pair<BoundExprPtr, BoundExprPtr>> full_merged;  // FULL JOIN: both sides of each
  for (const auto& name : using_columns) {
    auto [le, lc] = find_side(left_begin, right_begin, name, "left");
    auto [re, rc] = find_side(right_begin, right_end, name, "right");
    BoundExprPtr l = std::make_unique<BoundColumnRef>(le->types[lc], le->bindings[lc], le->alias + "." + name);
    BoundExprPtr r = std::make_unique<BoundColumnRef>(re->types[rc], re->bindings[rc], re->alias + "." + name);
    if (!common_supertype(l->type, r->type)) {
      throw_at(SqlState::kDatatypeMismatch, "JOIN/USING types " + l->type.name() + " and " + r->type.name() + " cannot be matched",
               ref.location);
    }
    if (type == JoinType::kFull) full_merged.emplace_back(l->copy(), r->copy());
    join->conditions.push_back(make_comparison("=", std::move(l), std::move(r), ref.location));
    ScopeEntry* kept = type == JoinType::kRight ? re : le;
    size_t kept_column = type == JoinType::kRight ? rc : lc;
    merged.names.push_back(name);
    merged.types.push_back(kept->types[kept_column]);
    merged.bindings.push_back(kept->bindings[kept_column]);
    merged.hidden.push_back(false);
    le->hidden[lc] = true;
    re->hidden[rc] = true;
  }
  if (!merged.names.empty()) {
    scope_.entries.insert(scope_.entries.begin() + static_cast<std::ptrdiff_t>(left_begin), std::move(merged));
  }
  if (ref.on) {
    const char* saved = no_aggregates_clause_;
    no_aggregates_clause_ = "JOIN conditions";
    BoundExprPtr condition = bind_boolean(*ref.on, "JOIN/ON");
    no_aggregates_clause_ = saved;
    join->conditions.push_back(std::move(condition));
  }
  if (lateral) {
    return bind_lateral_join(std::move(left), std::move(right), type, std::move(*lateral), std::move(join->conditions),
                             ref.location);
  }
  if (join->join_type == JoinType::kInner && join->conditions.empty()) join->join_type = JoinType::kCross;
  if (type == JoinType::kRight) {
    join->children.push_back(std::move(right));
    join->children.push_back(std::move(left));
  } else {
    join->children.push_back(std::move(left));
    join->children.push_back(std::move(right));
  }
  if (full_merged.empty()) return join;
  // FULL JOIN USING: a merged column is COALESCE(left, right), as either side may be padded.
  // A projection above the join computes them after every column of both sides, and the
  // scope's columns (the merged entry first, at left_begin) read the projection.
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  std::map<ColumnBinding, uint32_t> position;
  const auto bindings = join->output_bindings();
  const auto types = join->output_types();
  for (size_t i = 0; i < bindings.size(); i++) {
    position[bindings[i]] = static_cast<uint32_t>(i);
    projection->expressions.push_back(std::make_unique<BoundColumnRef>(types[i], bindings[i], ""));
  }
  for (size_t e = left_begin + 1; e < right_end + 1; e++) {
    for (auto& b : scope_.entries[e].bindings) b = ColumnBinding{projection->table_index, position.at(b)};
  }
  ScopeEntry& merged_entry = scope_.entries[left_begin];
  for (size_t k = 0; k < full_merged.size(); k++) {
    auto& [l, r] = full_merged[k];
    const LogicalType merged_type =
        common_typmod(*common_supertype(l->type, r->type), std::vector<LogicalType>{l->type, r->type});
    std::vector<BoundExprPtr> args;
    args.push_back(cast_to(std::move(l), merged_type));
    args.push_back(cast_to(std::move(r), merged_type));
    merged_entry.types[k] = merged_type;
    merged_entry.bindings[k] = ColumnBinding{projection->table_index, static_cast<uint32_t>(projection->expressions.size())};
    projection->expressions.push_back(std::make_unique<BoundCoalesce>(merged_type, std::move(args)));
  }
  projection->children.push_back(std::move(join));
  return projection;
}

// ---- DML and DDL ------------------------------------------------------------------------------

BoundStatement Binder::bind_insert(const InsertStatement& stmt) {
  const std::string& name = stmt.table.back();
  auto entry = find_relation(stmt.table, stmt.location);
  if (!entry) {
    throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(stmt.table) + "\" does not exist",
             stmt.location);
  }
  if (entry->kind() == catalog::EntryKind::kIndex) {
    throw_at(SqlState::kWrongObjectType, "\"" + name + "\" is an index", stmt.location);
  }
  if (entry->kind() == catalog::EntryKind::kSequence) {
    throw_at(SqlState::kWrongObjectType, "cannot change sequence \"" + name + "\"", stmt.location);
  }
  if (entry->kind() != catalog::EntryKind::kTable) {
    throw_at(SqlState::kWrongObjectType, "cannot insert into view \"" + name + "\"", stmt.location);
  }
  auto table = std::static_pointer_cast<catalog::TableEntry>(entry);
  const auto& columns = table->columns();

  // Which table column each source column feeds.
  std::vector<size_t> targets = bind_target_columns(*table, stmt.columns, name, stmt.location);

  auto cast_for_column = [&](BoundExprPtr expr, size_t column) -> BoundExprPtr {
    return cast_for_assignment(std::move(expr), columns[column]);
  };

  LogicalPtr source;
  if (stmt.default_values) {
    auto values = std::make_unique<LogicalValues>(next_table_index());
    values->rows.emplace_back();
    source = std::move(values);
    targets.clear();
  } else if (stmt.source->select_kind == SelectKind::kValues && stmt.source->order_by.empty() && !stmt.source->limit &&
             !stmt.source->offset && !stmt.source->with && !stmt.with) {
    // VALUES rows are typed by their target columns (PostgreSQL resolves them the same way).
    const auto& lists = stmt.source->values_lists;
    auto values = std::make_unique<LogicalValues>(next_table_index());
    size_t width = lists[0].size();
    for (const auto& row : lists) {
      if (row.size() > targets.size()) {
        throw_at(SqlState::kSyntaxError, "INSERT has more expressions than target columns", row[targets.size()]->location);
      }
      if (row.size() != width) throw_at(SqlState::kSyntaxError, "VALUES lists must all be the same length", row.empty() ? stmt.location : row[0]->location);
      std::vector<BoundExprPtr> bound;
      for (size_t i = 0; i < row.size(); i++) {
        const char identity = columns[targets[i]].identity;
        if (identity && stmt.overriding == 'u') {
          // Replaced by the column's default below (the value given is not evaluated).
          bound.push_back(std::make_unique<BoundConstant>(Value::null(columns[targets[i]].type)));
          continue;
        }
        if (row[i]->kind == ExprKind::kDefault) {
          bound.push_back(bind_column_default(columns[targets[i]]));
          continue;
        }
        if (identity == 'a' && stmt.overriding != 's') throw_generated_always(columns[targets[i]].name);
        try {
          bound.push_back(cast_for_column(bind_expr(*row[i]), targets[i]));
        } catch (SqlError& e) {
          if (e.position() == 0) e.with_position(position(row[i]->location));
          throw;
        }
      }
      values->rows.push_back(std::move(bound));
    }
    if (!stmt.columns.empty() && width < targets.size()) {
      throw_at(SqlState::kSyntaxError, "INSERT has more target columns than expressions", stmt.location);
    }
    targets.resize(width);
    for (size_t i = 0; i < width; i++) values->types.push_back(columns[targets[i]].type);
    source = std::move(values);
  } else {
    Binder child(*this, false);
    std::vector<std::string> names;
    if (stmt.with) {
      source = child.bind_with(*stmt.with, [&] { return child.bind_query(*stmt.source, names); });
    } else {
      source = child.bind_query(*stmt.source, names);
    }
    auto types = source->output_types();
    if (types.size() > targets.size()) throw_at(SqlState::kSyntaxError, "INSERT has more expressions than target columns", stmt.location);
    if (!stmt.columns.empty() && types.size() < targets.size()) {
      throw_at(SqlState::kSyntaxError, "INSERT has more target columns than expressions", stmt.location);
    }
    targets.resize(types.size());
    for (size_t i = 0; i < targets.size(); i++) {
      if (columns[targets[i]].identity == 'a' && stmt.overriding == 0) {
        throw_generated_always(columns[targets[i]].name);
      }
    }
  }

  uint32_t projection_index = 0;
  auto insert = make_insert(table, std::move(source), targets, stmt.overriding == 'u', projection_index);
  insert->returning = !stmt.returning.empty();
  if (stmt.on_conflict) {
    insert->on_conflict = bind_on_conflict(*stmt.on_conflict, *table, stmt.alias.empty() ? name : stmt.alias);
  }
  BoundStatement result;
  result.properties.command = CommandKind::kInsert;
  result.properties.read_only = false;
  if (stmt.returning.empty()) {
    result.plan = std::move(insert);
    return result;
  }
  // RETURNING reads the inserted rows under the table's name (or its alias).
  ScopeEntry inserted;
  inserted.alias = stmt.alias.empty() ? name : stmt.alias;
  for (size_t c = 0; c < columns.size(); c++) {
    inserted.names.push_back(columns[c].name);
    inserted.types.push_back(columns[c].type);
    inserted.bindings.push_back(ColumnBinding{projection_index, static_cast<uint32_t>(c)});
    inserted.hidden.push_back(false);
  }
  scope_ = Scope();
  scope_.entries.push_back(std::move(inserted));
  bind_returning(std::move(insert), stmt.returning, result);
  return result;
}

std::vector<size_t> Binder::bind_target_columns(const catalog::TableEntry& table, const std::vector<std::string>& names,
                                                const std::string& relation, int location) const {
  std::vector<size_t> targets;
  if (names.empty()) {
    for (size_t i = 0; i < table.columns().size(); i++) targets.push_back(i);
    return targets;
  }
  std::set<size_t> seen;
  for (const auto& c : names) {
    auto idx = table.find_column(c);
    if (!idx) {
      throw_at(SqlState::kUndefinedColumn, "column \"" + c + "\" of relation \"" + relation + "\" does not exist", location);
    }
    if (!seen.insert(*idx).second) {
      throw_at(SqlState::kDuplicateColumn, "column \"" + c + "\" specified more than once", location);
    }
    targets.push_back(*idx);
  }
  return targets;
}

std::unique_ptr<LogicalInsert> Binder::make_insert(std::shared_ptr<catalog::TableEntry> table, LogicalPtr source,
                                                   const std::vector<size_t>& targets, bool skip_identity,
                                                   uint32_t& projection_index) {
  const auto& columns = table->columns();
  // Project the source into exactly the table's columns, defaults for the missing ones.
  std::vector<int> source_of_column(columns.size(), -1);
  auto bindings = source->output_bindings();
  auto source_types = source->output_types();
  for (size_t i = 0; i < targets.size(); i++) {
    // OVERRIDING USER VALUE: identity columns take their sequence's value whatever is given.
    if (columns[targets[i]].identity && skip_identity) continue;
    source_of_column[targets[i]] = static_cast<int>(i);
  }
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  for (size_t c = 0; c < columns.size(); c++) {
    int s = source_of_column[c];
    if (s < 0) {
      projection->expressions.push_back(bind_column_default(columns[c]));
      continue;
    }
    BoundExprPtr ref = std::make_unique<BoundColumnRef>(source_types[s], bindings[s], columns[c].name);
    projection->expressions.push_back(cast_for_assignment(std::move(ref), columns[c]));
  }
  projection->children.push_back(std::move(source));

  projection_index = projection->table_index;
  auto insert = std::make_unique<LogicalInsert>();
  insert->table = table;
  insert->checks = bind_table_checks(*table, insert->check_table_index);
  insert->referenced = bind_referenced_tables(*table);
  insert->children.push_back(std::move(projection));
  return insert;
}

void Binder::throw_generated_always(const std::string& column) {
  throw SqlError(SqlState::kGeneratedAlways, "cannot insert a non-DEFAULT value into column \"" + column + "\"")
      .with_detail("Column \"" + column + "\" is an identity column defined as GENERATED ALWAYS.")
      .with_hint("Use OVERRIDING SYSTEM VALUE to override.");
}

BoundExprPtr Binder::bind_column_default(const catalog::ColumnDefinition& column) {
  if (column.default_expression.empty()) {
    // Not cut to a varchar(n) / character(n) length: the write raises 22001 for a value too long.
    const LogicalType target = column.type.is_string() ? LogicalType(column.type.id()) : column.type;
    return std::make_unique<BoundConstant>(cast_value(column.default_value, target));
  }
  // Stored as text, bound anew (in an empty scope) for each statement that uses it.
  auto statements = parse_sql("SELECT " + column.default_expression);
  TS_CHECK(statements.size() == 1 && statements[0]->kind == StatementKind::kSelect, "stored DEFAULT does not parse");
  const auto& select = *static_cast<const SelectStatement&>(*statements[0]).select;
  TS_CHECK(select.targets.size() == 1, "stored DEFAULT does not parse");
  Binder child(*this, false);
  child.scope_ = Scope();
  return cast_for_assignment(child.bind_expr(*select.targets[0].expr), column);
}

void Binder::bind_default_definition(const Expr& expr, const std::string& text, catalog::ColumnDefinition& def,
                                     bool sequence_error_position) {
  BoundExprPtr value;
  Binder child(*this, false);
  child.scope_ = Scope();
  child.no_aggregates_clause_ = "DEFAULT expressions";
  try {
    value = child.bind_expr(expr);
  } catch (SqlError& e) {
    // There are no columns to refer to (PostgreSQL's message).
    if (e.state() != SqlState::kUndefinedColumn) throw;
    throw_at(SqlState::kFeatureNotSupported, "cannot use column reference in DEFAULT expression", expr.location);
  }
  if (contains_expression(*value, BoundExprKind::kSubquery)) {
    throw_at(SqlState::kFeatureNotSupported, "cannot use subquery in DEFAULT expression", expr.location);
  }
  const std::string value_type = value->type.name();
  try {
    value = cast_for_assignment(std::move(value), def);
  } catch (SqlError& e) {
    if (e.state() != SqlState::kDatatypeMismatch) throw;
    throw SqlError(SqlState::kDatatypeMismatch, "column \"" + def.name + "\" is of type " + def.type.name() +
                                                    " but default expression is of type " + value_type)
        .with_hint("You will need to rewrite or cast the expression.");
  }
  if (value->kind == BoundExprKind::kConstant) {
    def.default_value = static_cast<BoundConstant&>(*value).value;
    def.default_expression.clear();
    return;
  }
  def.default_value = Value::null(def.type);
  def.default_expression = text;
  // nextval('seq') names its sequence as a regclass constant does: it must exist now.
  visit_expression(*value, [&](const BoundExpression& e) {
    if (e.kind != BoundExprKind::kFunction) return;
    const auto& call = static_cast<const BoundFunction&>(e);
    if (call.function->name != "nextval" || call.children.size() != 1) return;
    const BoundExpression* argument = call.children[0].get();
    while (argument->kind == BoundExprKind::kCast) argument = static_cast<const BoundCast&>(*argument).child.get();
    if (argument->kind != BoundExprKind::kConstant) return;
    const Value& name = static_cast<const BoundConstant&>(*argument).value;
    if (name.is_null()) return;
    try {
      catalog::find_sequence(catalog::SequenceContext{&catalog_, &transaction_, nullptr}, name.to_string());
    } catch (SqlError& error) {
      // Another kind of relation is accepted here, as regclass accepts it.
      if (error.state() == SqlState::kWrongObjectType) return;
      if (sequence_error_position) error.with_position(position(expr.location));
      throw;
    }
  });
}

std::string Binder::choose_relation_name(Oid schema, const std::string& base, std::set<std::string>& taken) const {
  for (int suffix = 0;; suffix++) {
    std::string name = suffix == 0 ? base : base + std::to_string(suffix);
    if (taken.count(name) == 0 && !catalog_.find(transaction_, schema, name)) {
      taken.insert(name);
      return name;
    }
  }
}

std::vector<catalog::IndexDefinition> Binder::bind_key_constraints(const CreateTableStatement& stmt,
                                                                   std::vector<catalog::ColumnDefinition>& columns) {
  struct Spec {
    std::string name;
    std::vector<std::string> columns;
    bool primary_key;
    int location;
  };
  std::vector<Spec> specs;
  for (const auto& col : stmt.columns) {
    if (col.primary_key) specs.push_back({col.primary_key_name, {col.name}, true, col.location});
    if (col.unique) specs.push_back({col.unique_name, {col.name}, false, col.location});
  }
  for (const auto& constraint : stmt.constraints) {
    switch (constraint.constraint_kind) {
      case TableConstraintKind::kPrimaryKey:
      case TableConstraintKind::kUnique:
        specs.push_back({constraint.name, constraint.columns,
                         constraint.constraint_kind == TableConstraintKind::kPrimaryKey, constraint.location});
        break;
      case TableConstraintKind::kCheck:       // bind_check_constraints
      case TableConstraintKind::kForeignKey:  // bind_foreign_keys
        break;
    }
  }
  // The primary key first (PostgreSQL's order): a UNIQUE constraint on the same columns is
  // redundant and merges into an earlier one, giving it its name if it had none.
  std::stable_partition(specs.begin(), specs.end(), [](const Spec& s) { return s.primary_key; });
  std::vector<Spec> kept;
  for (auto& spec : specs) {
    if (spec.primary_key && !kept.empty() && kept.front().primary_key) {
      throw_at(SqlState::kInvalidTableDefinition,
               "multiple primary keys for table \"" + stmt.name.back() + "\" are not allowed", spec.location);
    }
    auto same = std::find_if(kept.begin(), kept.end(), [&](const Spec& k) { return k.columns == spec.columns; });
    if (same != kept.end()) {
      if (same->name.empty()) same->name = spec.name;
      continue;
    }
    kept.push_back(std::move(spec));
  }
  std::set<std::string> taken{stmt.name.back()};
  for (const auto& spec : kept) {
    if (!spec.name.empty()) taken.insert(spec.name);
  }
  std::vector<catalog::IndexDefinition> indexes;
  for (auto& spec : kept) {
    catalog::IndexDefinition index;
    index.unique = true;
    index.primary_key = spec.primary_key;
    index.constraint = true;
    std::string default_name = stmt.name.back();
    for (const auto& name : spec.columns) {
      std::optional<size_t> found;
      for (size_t c = 0; c < columns.size(); c++) {
        if (columns[c].name == name) found = c;
      }
      if (!found) throw_at(SqlState::kUndefinedColumn, "column \"" + name + "\" named in key does not exist", spec.location);
      if (std::find(index.columns.begin(), index.columns.end(), *found) != index.columns.end()) {
        throw_at(SqlState::kDuplicateColumn,
                 "column \"" + name + "\" appears twice in " + (spec.primary_key ? "primary key" : "unique") +
                     " constraint",
                 spec.location);
      }
      index.columns.push_back(*found);
      if (spec.primary_key) columns[*found].not_null = true;
      default_name += "_" + name;
    }
    index.name = !spec.name.empty() ? spec.name
                 : spec.primary_key ? choose_relation_name(creation_schema_oid_, stmt.name.back() + "_pkey", taken)
                                    : choose_relation_name(creation_schema_oid_, default_name + "_key", taken);
    indexes.push_back(std::move(index));
  }
  return indexes;
}

BoundStatement Binder::bind_create_index(const CreateIndexStatement& stmt) {
  if (!stmt.method.empty() && stmt.method != "btree" && stmt.method != "hash") {
    if (stmt.method == "gist" || stmt.method == "gin" || stmt.method == "spgist" || stmt.method == "brin") {
      throw_at(SqlState::kFeatureNotSupported, "index access method \"" + stmt.method + "\" is not supported yet",
               stmt.location);
    }
    throw_at(SqlState::kUndefinedObject, "access method \"" + stmt.method + "\" does not exist", stmt.location);
  }
  if (stmt.unique && stmt.method == "hash") {
    throw_at(SqlState::kFeatureNotSupported, "access method \"hash\" does not support unique indexes", stmt.location);
  }
  if (stmt.method == "hash" && stmt.columns.size() > 1) {
    throw_at(SqlState::kFeatureNotSupported, "access method \"hash\" does not support multicolumn indexes",
             stmt.location);
  }
  if (stmt.where) throw_at(SqlState::kFeatureNotSupported, "partial indexes are not supported yet", stmt.location);
  const std::string& table_name = stmt.table.back();
  auto entry = find_relation(stmt.table, stmt.location, true);
  if (!entry) {
    throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(stmt.table) + "\" does not exist",
             stmt.location);
  }
  if (entry->kind() == catalog::EntryKind::kIndex) {
    throw_at(SqlState::kWrongObjectType, "\"" + table_name + "\" is an index", stmt.location);
  }
  if (entry->kind() != catalog::EntryKind::kTable) {
    throw_at(SqlState::kWrongObjectType, "cannot create index on relation \"" + table_name + "\"", stmt.location);
  }
  auto create = std::make_unique<LogicalCreateIndex>();
  create->table = table_name;
  create->table_schema = entry->schema_oid();
  create->if_not_exists = stmt.if_not_exists;
  create->index.unique = stmt.unique;
  std::string default_name = table_name;
  for (const auto& elem : stmt.columns) {
    if (elem.expr) throw_at(SqlState::kFeatureNotSupported, "indexes on expressions are not supported yet", stmt.location);
    auto column = entry->find_column(elem.column);
    if (!column) {
      throw_at(SqlState::kUndefinedColumn, "column \"" + elem.column + "\" does not exist", stmt.location);
    }
    // A column named twice adds nothing to a hash key (PostgreSQL allows it).
    if (std::find(create->index.columns.begin(), create->index.columns.end(), *column) == create->index.columns.end()) {
      create->index.columns.push_back(*column);
    }
    default_name += "_" + elem.column;
  }
  if (stmt.name.empty()) {
    std::set<std::string> taken;
    create->index.name = choose_relation_name(entry->schema_oid(), default_name + "_idx", taken);
  } else {
    create->index.name = stmt.name;
  }
  BoundStatement result;
  result.plan = std::move(create);
  result.properties.command = CommandKind::kCreateIndex;
  result.properties.read_only = false;
  return result;
}

BoundStatement Binder::bind_create_table(const CreateTableStatement& stmt) {
  if (stmt.temporary) throw_at(SqlState::kFeatureNotSupported, "temporary tables are not supported yet", stmt.location);
  auto create = std::make_unique<LogicalCreateTable>();
  create->schema = check_creation_schema(stmt.name, stmt.location);
  creation_schema_oid_ = schema_oid(create->schema);
  create->name = stmt.name.back();
  create->if_not_exists = stmt.if_not_exists;
  if (stmt.as_query) {
    if (stmt.with_no_data) throw_at(SqlState::kFeatureNotSupported, "WITH NO DATA is not supported yet", stmt.location);
    Binder child(*this, false);
    std::vector<std::string> names;
    LogicalPtr plan = child.bind_query(*stmt.as_query, names);
    auto types = plan->output_types();
    if (stmt.as_column_names.size() > names.size()) {
      throw_at(SqlState::kSyntaxError, "too many column names were specified", stmt.location);
    }
    for (size_t i = 0; i < types.size(); i++) {
      create->columns.emplace_back(i < stmt.as_column_names.size() ? stmt.as_column_names[i] : names[i],
                                   result_column_type(types[i]));
    }
    create->children.push_back(std::move(plan));
  } else {
    std::set<std::string> taken{create->name};
    std::vector<catalog::CheckConstraint> like_checks;
    std::vector<catalog::IndexDefinition> like_indexes;
    auto add_likes = [&](size_t before) {
      for (const auto& like : stmt.likes) {
        if (like.position != before) continue;
        for (auto& def : bind_table_like(like, create->name, create->columns.size(), like_checks, like_indexes)) {
          create->columns.push_back(std::move(def));
        }
      }
    };
    for (size_t column_index = 0; column_index < stmt.columns.size(); column_index++) {
      add_likes(column_index);
      const ColumnDef& col = stmt.columns[column_index];
      bool serial = false;
      LogicalType type = bind_column_type(col, serial);
      catalog::ColumnDefinition def(col.name, type, col.not_null);
      if (serial && col.identity) {
        throw_at(SqlState::kSyntaxError,
                 "both default and identity specified for column \"" + col.name + "\" of table \"" + create->name + "\"",
                 col.location);
      }
      if (serial || col.identity) {
        create->sequences.push_back(bind_owned_sequence(create->name, col, def, taken));
      } else if (col.default_value) {
        bind_default_definition(*col.default_value, col.default_text, def, true);
      }
      create->columns.push_back(std::move(def));
    }
    add_likes(stmt.columns.size());
    create->checks = bind_check_constraints(stmt, create->columns);
    for (auto& check : like_checks) {
      for (const auto& other : create->checks) {
        if (other.name == check.name) {
          throw_at(SqlState::kDuplicateObject, "check constraint \"" + check.name + "\" already exists", stmt.location);
        }
      }
      create->checks.push_back(std::move(check));
    }
    std::set<std::string> constraint_names;
    for (const auto& check : create->checks) constraint_names.insert(check.name);
    create->foreign_keys = bind_foreign_keys(stmt, create->columns, constraint_names);
    create->indexes = bind_key_constraints(stmt, create->columns);
    if (!like_indexes.empty()) {
      std::set<std::string> index_names{create->name};
      for (const auto& index : create->indexes) index_names.insert(index.name);
      for (auto& index : like_indexes) {
        if (index.primary_key) {
          for (const auto& other : create->indexes) {
            if (other.primary_key) {
              throw_at(SqlState::kInvalidTableDefinition,
                       "multiple primary keys for table \"" + create->name + "\" are not allowed", stmt.location);
            }
          }
        }
        // Named for the new table as PostgreSQL names them (t_pkey, t_a_key, t_a_idx).
        std::string base = create->name;
        if (index.primary_key) {
          base += "_pkey";
        } else {
          for (size_t c : index.columns) base += "_" + create->columns[c].name;
          base += index.constraint ? "_key" : "_idx";
        }
        index.name = choose_relation_name(creation_schema_oid_, base, index_names);
        create->indexes.push_back(std::move(index));
      }
    }
  }
  // PostgreSQL's MaxHeapAttributeNumber.
  if (create->columns.size() > 1600) throw SqlError(SqlState::kTooManyColumns, "tables can have at most 1600 columns");
  BoundStatement result;
  result.plan = std::move(create);
  result.properties.command = stmt.as_query ? CommandKind::kCreateTableAs : CommandKind::kCreateTable;
  result.properties.read_only = false;
  return result;
}

BoundStatement Binder::bind_create_view(const CreateViewStatement& stmt) {
  if (stmt.materialized) throw_at(SqlState::kFeatureNotSupported, "materialized views are not supported yet", stmt.location);
  if (stmt.temporary) throw_at(SqlState::kFeatureNotSupported, "temporary views are not supported yet", stmt.location);
  check_creation_in_public(stmt.name, stmt.location);
  Binder child(*this, false);
  std::vector<std::string> names;
  LogicalPtr plan = child.bind_query(*stmt.query, names);
  auto types = plan->output_types();
  if (stmt.column_names.size() > names.size()) {
    throw_at(SqlState::kSyntaxError, "CREATE VIEW specifies more column names than columns", stmt.location);
  }
  auto create = std::make_unique<LogicalCreateView>();
  create->name = stmt.name.back();
  create->or_replace = stmt.or_replace;
  create->query_text = stmt.query_text;
  for (const auto& [schema, name] : *referenced_relations_) {
    if (schema != catalog::kPublicSchemaOid) {
      throw_at(SqlState::kFeatureNotSupported, "views reading relations outside schema public are not supported yet",
               stmt.location);
    }
    create->dependencies.push_back(name);
  }
  for (size_t i = 0; i < types.size(); i++) {
    create->columns.emplace_back(i < stmt.column_names.size() ? stmt.column_names[i] : names[i], result_column_type(types[i]));
  }
  BoundStatement result;
  result.plan = std::move(create);
  result.properties.command = CommandKind::kCreateView;
  result.properties.read_only = false;
  return result;
}

BoundStatement Binder::bind_drop(const DropStatement& stmt) {
  if (stmt.object_type == ObjectType::kSchema) return bind_drop_schema(stmt);
  auto drop = std::make_unique<LogicalDrop>();
  BoundStatement result;
  switch (stmt.object_type) {
    case ObjectType::kTable:
      drop->entry_kind = catalog::EntryKind::kTable;
      result.properties.command = CommandKind::kDropTable;
      break;
    case ObjectType::kView:
      drop->entry_kind = catalog::EntryKind::kView;
      result.properties.command = CommandKind::kDropView;
      break;
    case ObjectType::kIndex:
      drop->entry_kind = catalog::EntryKind::kIndex;
      result.properties.command = CommandKind::kDropIndex;
      break;
    case ObjectType::kSequence:
      drop->entry_kind = catalog::EntryKind::kSequence;
      result.properties.command = CommandKind::kDropSequence;
      break;
    default: throw_at(SqlState::kFeatureNotSupported, "DROP of this object type is not supported yet", stmt.location);
  }
  const char* kind_text = catalog::entry_kind_name(drop->entry_kind);
  for (const auto& parts : stmt.names) {
    // A missing schema: 3F000, or with IF EXISTS a NOTICE, as PostgreSQL says it.
    check_database_part(parts, stmt.location);
    if (parts.size() >= 2 && !catalog_.find_schema(transaction_, parts[parts.size() - 2])) {
      const std::string message = "schema \"" + parts[parts.size() - 2] + "\" does not exist";
      if (!stmt.if_exists) throw SqlError(SqlState::kInvalidSchemaName, message);
      drop->skipped.push_back(message + ", skipping");
      continue;
    }
    auto entry = find_relation(parts, stmt.location, true);
    if (!entry) {
      // PostgreSQL names the relation without its schema here.
      const std::string message = std::string(kind_text) + " \"" + parts.back() + "\" does not exist";
      if (!stmt.if_exists) {
        throw SqlError(drop->entry_kind == catalog::EntryKind::kIndex ? SqlState::kUndefinedObject
                                                                      : SqlState::kUndefinedTable,
                       message);
      }
      drop->skipped.push_back(message + ", skipping");
      continue;
    }
    drop->names.push_back(parts.back());
    drop->schemas.push_back(entry->schema_oid());
  }
  drop->if_exists = stmt.if_exists;
  drop->cascade = stmt.cascade;
  result.properties.read_only = false;
  result.plan = std::move(drop);
  return result;
}

void Binder::check_explain_analyze_target(const Statement& statement) const {
  switch (statement.kind) {
    case StatementKind::kSelect:
    case StatementKind::kInsert:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kExecute:  // raises its own 0A000
      return;
    case StatementKind::kCreateTable:
      if (statement.as<CreateTableStatement>().as_query) return;
      break;
    case StatementKind::kCreateView:
      if (statement.as<CreateViewStatement>().materialized) {
        throw_at(SqlState::kFeatureNotSupported, "EXPLAIN ANALYZE of CREATE MATERIALIZED VIEW is not supported yet",
                 statement.location);
      }
      break;
    default: break;
  }
  // PostgreSQL's grammar explains (and runs) only the statements above: any other is a syntax
  // error at its first word.
  const std::string& text = statement.text;
  size_t end = 0;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) end++;
  throw_at(SqlState::kSyntaxError, "syntax error at or near \"" + text.substr(0, end) + "\"", statement.location);
}

BoundStatement Binder::bind_explain(const ExplainStatement& stmt) {
  const int64_t planning_start = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch()).count();
  // PostgreSQL's options and their checks, in its order: each option as it comes, then the
  // combinations.
  auto boolean = [&](const ExplainOption& option) {
    const std::string& v = option.value;
    if (v.empty() || v == "true" || v == "on" || v == "1") return true;
    if (v == "false" || v == "off" || v == "0") return false;
    throw_at(SqlState::kSyntaxError, option.name + " requires a Boolean value", stmt.location);
  };
  bool analyze = false;
  std::optional<bool> timing;
  std::optional<bool> summary;
  bool wal = false;
  std::string unsupported;  // the first option asking for output we do not produce
  for (const auto& option : stmt.options) {
    if (option.name == "analyze") {
      analyze = boolean(option);
    } else if (option.name == "verbose" || option.name == "costs") {
      boolean(option);  // accepted; the output has no costs or verbose columns to change
    } else if (option.name == "timing") {
      timing = boolean(option);
    } else if (option.name == "summary") {
      summary = boolean(option);
    } else if (option.name == "buffers" || option.name == "wal" || option.name == "settings") {
      const bool on = boolean(option);
      if (option.name == "wal") wal = on;
      if (on && unsupported.empty()) {
        unsupported = option.name;
        for (char& c : unsupported) c = static_cast<char>(c - 'a' + 'A');
      }
    } else if (option.name == "format") {
      const std::string& v = option.value;
      if (v != "text" && v != "xml" && v != "json" && v != "yaml") {
        throw_at(SqlState::kInvalidParameterValue,
                 "unrecognized value for EXPLAIN option \"format\": \"" + v + "\"", stmt.location);
      }
      if (v != "text") {
        throw_at(SqlState::kFeatureNotSupported, "EXPLAIN formats other than TEXT are not supported yet", stmt.location);
      }
    } else {
      throw_at(SqlState::kSyntaxError, "unrecognized EXPLAIN option \"" + option.name + "\"", stmt.location);
    }
  }
  if (wal && !analyze) throw_at(SqlState::kInvalidParameterValue, "EXPLAIN option WAL requires ANALYZE", stmt.location);
  if (timing.value_or(false) && !analyze) {
    throw_at(SqlState::kInvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE", stmt.location);
  }
  if (!unsupported.empty()) {
    throw_at(SqlState::kFeatureNotSupported, "EXPLAIN option " + unsupported + " is not supported yet", stmt.location);
  }
  if (analyze) check_explain_analyze_target(*stmt.statement);
  BoundStatement inner = bind(*stmt.statement);
  auto explain = std::make_unique<LogicalExplain>();
  explain->analyze = analyze;
  explain->timing = timing.value_or(true);
  explain->summary = summary.value_or(analyze);
  explain->planning_start_ns = planning_start;
  explain->children.push_back(std::move(inner.plan));
  BoundStatement result;
  // EXPLAIN ANALYZE runs the statement: it writes what the statement writes.
  if (analyze) result.properties = inner.properties;
  result.plan = std::move(explain);
  result.names = {"QUERY PLAN"};
  result.properties.command = CommandKind::kExplain;
  result.properties.returns_rows = true;
  return result;
}

BoundStatement Binder::bind_set(const VariableSetStatement& stmt) {
  auto set = std::make_unique<LogicalSet>();
  set->name = stmt.name;
  set->local = stmt.local;
  BoundStatement result;
  result.properties.command =
      stmt.set_kind == VariableSetKind::kReset || stmt.set_kind == VariableSetKind::kResetAll ? CommandKind::kReset : CommandKind::kSet;
  if (stmt.set_kind == VariableSetKind::kResetAll) {
    throw_at(SqlState::kFeatureNotSupported, "RESET ALL is not supported yet", stmt.location);
  }
  if (stmt.set_kind == VariableSetKind::kValue) {
    std::string value;
    for (size_t i = 0; i < stmt.values.size(); i++) {
      const auto& c = stmt.values[i]->as<ConstantExpr>();
      if (i) value += ", ";
      if (c.constant_kind == ConstantKind::kInteger) {
        value += std::to_string(c.int_value);
      } else if (stmt.name == "search_path" && c.constant_kind == ConstantKind::kString) {
        // A list of names: each element quoted as an identifier (PostgreSQL's GUC_LIST_QUOTE).
        value += quote_identifier(c.text);
      } else {
        value += c.text;
      }
    }
    set->value = value;
  }
  result.plan = std::move(set);
  return result;
}

LogicalType Binder::bind_column_type(const ColumnDef& col, bool& serial) const {
  const std::string& type_name = col.type.name;
  serial = col.type.array_dims == 0 && col.type.modifiers.empty() &&
           (type_name == "serial" || type_name == "serial4" || type_name == "bigserial" || type_name == "serial8" ||
            type_name == "smallserial" || type_name == "serial2");
  if (serial) {
    if (type_name == "bigserial" || type_name == "serial8") return LogicalType::bigint();
    if (type_name == "smallserial" || type_name == "serial2") return LogicalType::smallint();
    return LogicalType::integer();
  }
  try {
    return resolve_type_name(col.type);
  } catch (SqlError& e) {
    e.with_position(position(col.type.location));
    throw;
  }
}

BoundStatement Binder::bind_show(const VariableShowStatement& stmt) {
  if (stmt.name == "all") throw_at(SqlState::kFeatureNotSupported, "SHOW ALL is not supported yet", stmt.location);
  auto show = std::make_unique<LogicalShow>();
  show->name = stmt.name;
  BoundStatement result;
  // The column is named as PostgreSQL spells the setting.
  std::string column = stmt.name;
  for (char& c : column) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (column == "timezone") column = "TimeZone";
  if (column == "datestyle") column = "DateStyle";
  if (column == "intervalstyle") column = "IntervalStyle";
  result.names = {column};
  result.plan = std::move(show);
  result.properties.command = CommandKind::kShow;
  result.properties.returns_rows = true;
  return result;
}

}  // namespace tessera::planner
