#include <map>
#include <set>

#include "catalog/catalog.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/parser/parser.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"
#include "storage/storage_constants.h"

namespace tessera::planner {

namespace {

/// Why PostgreSQL cannot update a view automatically (its DETAIL), or empty when the view's
/// query has the shape of an automatically updatable one.
std::string not_updatable_reason(const SelectStmt& query) {
  if (query.with) return "Views containing WITH are not automatically updatable.";
  if (query.select_kind == SelectKind::kSetOp) {
    return "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.";
  }
  if (query.select_kind == SelectKind::kValues || query.from.size() != 1 ||
      (query.from[0]->kind != TableRefKind::kBaseTable)) {
    return "Views that do not select from a single table or view are not automatically updatable.";
  }
  if (query.distinct || !query.distinct_on.empty()) return "Views containing DISTINCT are not automatically updatable.";
  if (!query.group_by.empty()) return "Views containing GROUP BY are not automatically updatable.";
  if (query.having) return "Views containing HAVING are not automatically updatable.";
  if (query.limit || query.offset) return "Views containing LIMIT or OFFSET are not automatically updatable.";
  return "";
}

}  // namespace

BoundExprPtr Binder::cast_for_assignment(BoundExprPtr expr, const catalog::ColumnDefinition& def) {
  // Assignment to varchar(n) or character(n) never truncates: the write raises 22001 for a
  // value too long.
  LogicalType target = def.type.id() == LogicalTypeId::kVarchar ? LogicalType::varchar()
                       : def.type.id() == LogicalTypeId::kChar  ? LogicalType::bpchar()
                                                                : def.type;
  if (def.type.is_array() && def.type.element_type().id() == LogicalTypeId::kVarchar) {
    target = LogicalType::array_of(LogicalType::varchar());
    if (expr->type.is_array() && expr->type.element_type().id() == LogicalTypeId::kVarchar) return expr;
  }
  if (expr->type.id() == LogicalTypeId::kSqlNull || is_unknown_literal(*expr)) return cast_to(std::move(expr), target);
  if (expr->type == def.type) return expr;
  if (!can_cast_assignment(expr->type, def.type)) {
    throw SqlError(SqlState::kDatatypeMismatch, "column \"" + def.name + "\" is of type " + def.type.name() +
                                                    " but expression is of type " + expr->type.name())
        .with_hint("You will need to rewrite or cast the expression.");
  }
  if (def.type.id() == LogicalTypeId::kVarchar && expr->type.id() == LogicalTypeId::kVarchar) return expr;
  if (def.type.id() == LogicalTypeId::kChar && expr->type.id() == LogicalTypeId::kChar) return expr;
  return cast_to(std::move(expr), target);
}

std::shared_ptr<catalog::TableEntry> Binder::bind_modify_target(const std::vector<std::string>& parts, const char* verb,
                                                                int location) {
  const std::string& name = parts.back();
  auto entry = find_relation(parts, location);
  if (!entry) {
    throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(parts) + "\" does not exist", location);
  }
  if (entry->kind() == catalog::EntryKind::kView) {
    const auto& view = static_cast<const catalog::ViewEntry&>(*entry);
    auto statements = parse_sql(view.query_text());
    std::string reason = not_updatable_reason(*statements.at(0)->as<SelectStatement>().select);
    if (!reason.empty()) {
      throw SqlError(SqlState::kObjectNotInPrerequisiteState, std::string("cannot ") + verb + " view \"" + name + "\"")
          .with_detail(reason)
          .with_hint(std::string("To enable ") + (verb[0] == 'u' ? "updating" : "deleting from") +
                     " the view, provide an INSTEAD OF " + (verb[0] == 'u' ? "UPDATE" : "DELETE") +
                     " trigger or an unconditional ON " + (verb[0] == 'u' ? "UPDATE" : "DELETE") +
                     " DO INSTEAD rule.")
          .with_position(position(location));
    }
    throw_at(SqlState::kFeatureNotSupported, "automatically updatable views are not supported yet", location);
  }
  if (entry->kind() == catalog::EntryKind::kIndex) {
    throw_at(SqlState::kWrongObjectType, "\"" + name + "\" is an index", location);
  }
  if (entry->kind() == catalog::EntryKind::kSequence) {
    throw_at(SqlState::kWrongObjectType, "cannot change sequence \"" + name + "\"", location);
  }
  if (entry->kind() != catalog::EntryKind::kTable) {
    throw_at(SqlState::kWrongObjectType, "\"" + name + "\" is not a table", location);
  }
  referenced_relations_->emplace(entry->schema_oid(), entry->name());
  return std::static_pointer_cast<catalog::TableEntry>(entry);
}

BoundStatement Binder::bind_delete(const DeleteStatement& stmt) {
  if (stmt.with) throw_at(SqlState::kFeatureNotSupported, "WITH is not supported yet", stmt.location);
  auto table = bind_modify_target(stmt.table, "delete from", stmt.location);
  const std::string alias = stmt.alias.empty() ? table->name() : stmt.alias;
  return bind_modify(LogicalOperatorKind::kDelete, std::move(table), alias, stmt.using_tables, stmt.where.get(), {},
                     stmt.returning);
}

BoundStatement Binder::bind_update(const UpdateStatement& stmt) {
  if (stmt.with) throw_at(SqlState::kFeatureNotSupported, "WITH is not supported yet", stmt.location);
  auto table = bind_modify_target(stmt.table, "update", stmt.location);
  const std::string alias = stmt.alias.empty() ? table->name() : stmt.alias;
  std::vector<const SetClause*> assignments(table->columns().size(), nullptr);
  for (const auto& clause : stmt.set) {
    auto index = table->find_column(clause.column);
    if (!index) {
      throw_at(SqlState::kUndefinedColumn,
               "column \"" + clause.column + "\" of relation \"" + table->name() + "\" does not exist", clause.location);
    }
    if (assignments[*index] != nullptr) {
      throw_at(SqlState::kSyntaxError, "multiple assignments to same column \"" + clause.column + "\"", clause.location);
    }
    if (table->columns()[*index].identity == 'a' && clause.value->kind != ExprKind::kDefault) {
      throw SqlError(SqlState::kGeneratedAlways, "column \"" + clause.column + "\" can only be updated to DEFAULT")
          .with_detail("Column \"" + clause.column + "\" is an identity column defined as GENERATED ALWAYS.")
          .with_position(position(clause.location));
    }
    assignments[*index] = &clause;
  }
  return bind_modify(LogicalOperatorKind::kUpdate, std::move(table), alias, stmt.from, stmt.where.get(), assignments,
                     stmt.returning);
}

std::shared_ptr<const BoundOnConflict> Binder::bind_on_conflict(const OnConflictClause& clause,
                                                                 const catalog::TableEntry& table,
                                                                 const std::string& alias) {
  auto result = std::make_shared<BoundOnConflict>();
  result->do_update = clause.do_update;
  if (clause.do_update && !clause.has_target) {
    throw SqlError(SqlState::kSyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name")
        .with_hint("For example, ON CONFLICT (column_name).")
        .with_position(position(clause.location));
  }
  const auto& columns = table.columns();
  auto indexes = catalog_.table_indexes(transaction_, table);
  // The arbiters: the unique indexes over exactly the inference columns, or the named constraint.
  if (!clause.constraint.empty()) {
    bool found = false;
    for (const auto& index : indexes) {
      if (index->definition().constraint && index->name() == clause.constraint) {
        result->arbiters.push_back(index->name());
        found = true;
      }
    }
    if (!found) {
      bool other_constraint = false;
      for (const auto& check : table.checks()) other_constraint |= check.name == clause.constraint;
      for (const auto& fk : table.foreign_keys()) other_constraint |= fk.name == clause.constraint;
      if (other_constraint) {
        throw SqlError(SqlState::kWrongObjectType, "constraint in ON CONFLICT clause has no associated index");
      }
      throw SqlError(SqlState::kUndefinedObject,
                     "constraint \"" + clause.constraint + "\" for table \"" + table.name() + "\" does not exist");
    }
  } else if (clause.has_target) {
    std::set<size_t> wanted;
    for (const auto& name : clause.columns) {
      auto index = table.find_column(name);
      if (!index) throw_at(SqlState::kUndefinedColumn, "column \"" + name + "\" does not exist", clause.target_location);
      wanted.insert(*index);
    }
    if (clause.index_predicate) {
      // Only a partial index would need the predicate; every index here is complete, so any
      // unique index over the columns is inferred. The predicate is still checked.
      ScopeEntry entry;
      entry.alias = table.name();
      for (size_t c = 0; c < columns.size(); c++) {
        entry.names.push_back(columns[c].name);
        entry.types.push_back(columns[c].type);
        entry.bindings.push_back(ColumnBinding{next_table_index(), static_cast<uint32_t>(c)});
        entry.hidden.push_back(false);
      }
      Scope saved = std::move(scope_);
      scope_ = Scope();
      scope_.entries.push_back(std::move(entry));
      bind_boolean(*clause.index_predicate, "WHERE");
      scope_ = std::move(saved);
    }
    for (const auto& index : indexes) {
      const auto& definition = index->definition();
      if (!definition.unique) continue;
      if (std::set<size_t>(definition.columns.begin(), definition.columns.end()) == wanted) {
        result->arbiters.push_back(index->name());
      }
    }
  }

  if (clause.do_update) {
    // DO UPDATE SET reads the existing row under the target's name (or alias) and the row
    // proposed for insertion as EXCLUDED.
    Scope saved = std::move(scope_);
    scope_ = Scope();
    result->existing_table_index = next_table_index();
    result->excluded_table_index = next_table_index();
    for (uint32_t table_index : {result->existing_table_index, result->excluded_table_index}) {
      ScopeEntry entry;
      entry.alias = table_index == result->existing_table_index ? alias : "excluded";
      entry.relation_name = entry.alias == table.name();
      entry.schema = schema_name(table);
      for (size_t c = 0; c < columns.size(); c++) {
        entry.names.push_back(columns[c].name);
        entry.types.push_back(columns[c].type);
        entry.bindings.push_back(ColumnBinding{table_index, static_cast<uint32_t>(c)});
        entry.hidden.push_back(false);
      }
      scope_.entries.push_back(std::move(entry));
    }
    std::vector<const SetClause*> assignments(columns.size(), nullptr);
    for (const auto& set : clause.set) {
      auto index = table.find_column(set.column);
      if (!index) {
        throw_at(SqlState::kUndefinedColumn,
                 "column \"" + set.column + "\" of relation \"" + table.name() + "\" does not exist", set.location);
      }
      if (assignments[*index] != nullptr) {
        throw_at(SqlState::kSyntaxError, "multiple assignments to same column \"" + set.column + "\"", set.location);
      }
      if (columns[*index].identity == 'a' && set.value->kind != ExprKind::kDefault) {
        throw SqlError(SqlState::kGeneratedAlways, "column \"" + set.column + "\" can only be updated to DEFAULT")
            .with_detail("Column \"" + set.column + "\" is an identity column defined as GENERATED ALWAYS.")
            .with_position(position(set.location));
      }
      assignments[*index] = &set;
    }
    no_aggregates_clause_ = "UPDATE";
    for (size_t c = 0; c < columns.size(); c++) {
      const SetClause* set = assignments[c];
      if (set == nullptr) {
        result->set.push_back(std::make_unique<BoundColumnRef>(
            columns[c].type, ColumnBinding{result->existing_table_index, static_cast<uint32_t>(c)}, columns[c].name));
      } else if (set->value->kind == ExprKind::kDefault) {
        result->set.push_back(bind_column_default(columns[c]));
      } else {
        try {
          result->set.push_back(cast_for_assignment(bind_expr(*set->value), columns[c]));
        } catch (SqlError& e) {
          if (e.position() == 0) e.with_position(position(set->value->location));
          throw;
        }
      }
    }
    no_aggregates_clause_ = nullptr;
    if (clause.where) {
      no_aggregates_clause_ = "WHERE";
      result->where = bind_boolean(*clause.where, "WHERE");
      no_aggregates_clause_ = nullptr;
    }
    scope_ = std::move(saved);
    for (auto& [other, index] : catalog_.referencing_tables(transaction_, table)) {
      ReferencingForeignKey ref;
      ref.table = other;
      ref.foreign_key = index;
      ref.old_key = other->foreign_keys()[index].referenced_columns;
      result->referencing.push_back(std::move(ref));
    }
    auto cascades = std::make_shared<std::vector<CascadeTarget>>();
    bind_cascades(result->referencing, *cascades);
    result->cascades = std::move(cascades);
  }
  if (clause.has_target && result->arbiters.empty()) {
    throw SqlError(SqlState::kInvalidColumnReference,
                   "there is no unique or exclusion constraint matching the ON CONFLICT specification");
  }
  return result;
}

BoundStatement Binder::bind_modify(LogicalOperatorKind kind, std::shared_ptr<catalog::TableEntry> table,
                                   const std::string& alias, const std::vector<TableRefPtr>& from, const Expr* where,
                                   const std::vector<const SetClause*>& assignments,
                                   const std::vector<ResultTarget>& returning) {
  const auto& columns = table->columns();

  // The target: every column (for SET expressions, WHERE and RETURNING) and the row id.
  auto get = std::make_unique<LogicalGet>(table, next_table_index(), alias);
  ScopeEntry target;
  target.alias = alias;
  target.relation_name = alias == table->name();
  target.schema = schema_name(*table);
  for (size_t i = 0; i < columns.size(); i++) {
    get->column_ids.push_back(i);
    target.names.push_back(columns[i].name);
    target.types.push_back(columns[i].type);
    target.bindings.push_back(ColumnBinding{get->table_index, static_cast<uint32_t>(i)});
    target.hidden.push_back(false);
  }
  get->column_ids.push_back(storage::kRowIdColumn);
  const ColumnBinding row_id{get->table_index, static_cast<uint32_t>(storage::kRowIdColumn)};
  scope_.entries.push_back(std::move(target));
  LogicalPtr plan = std::move(get);

  // FROM / USING items, joined to the target; a target row matching several of their rows is
  // changed once (the first match the executor meets).
  for (const auto& ref : from) {
    auto join = std::make_unique<LogicalJoin>(JoinType::kCross);
    join->children.push_back(std::move(plan));
    std::optional<LateralCorrelation> lateral;
    join->children.push_back(finish_lateral_item(bind_table_ref(*ref), lateral));
    if (lateral) {
      throw_at(SqlState::kFeatureNotSupported,
               "LATERAL references to the target or other FROM items of UPDATE/DELETE are not supported yet",
               ref->location);
    }
    plan = std::move(join);
  }
  if (where) {
    no_aggregates_clause_ = "WHERE";
    BoundExprPtr condition = bind_boolean(*where, "WHERE");
    no_aggregates_clause_ = nullptr;
    auto filter = std::make_unique<LogicalFilter>();
    filter->conjuncts.push_back(std::move(condition));
    filter->children.push_back(std::move(plan));
    plan = std::move(filter);
  }

  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  projection->expressions.push_back(std::make_unique<BoundColumnRef>(LogicalType::bigint(), row_id, "ctid"));
  // Where each binding of the scope lands in the projection (RETURNING reads it there).
  std::map<ColumnBinding, uint32_t> moved;
  if (kind == LogicalOperatorKind::kUpdate) {
    const ScopeEntry& entry = scope_.entries[0];
    no_aggregates_clause_ = "UPDATE";
    for (size_t c = 0; c < columns.size(); c++) {
      BoundExprPtr value;
      const SetClause* clause = assignments[c];
      if (clause == nullptr) {
        value = std::make_unique<BoundColumnRef>(entry.types[c], entry.bindings[c], columns[c].name);
      } else if (clause->value->kind == ExprKind::kDefault) {
        value = bind_column_default(columns[c]);
      } else {
        try {
          value = cast_for_assignment(bind_expr(*clause->value), columns[c]);
        } catch (SqlError& e) {
          if (e.position() == 0) e.with_position(position(clause->value->location));
          throw;
        }
      }
      moved[entry.bindings[c]] = static_cast<uint32_t>(projection->expressions.size());
      projection->expressions.push_back(std::move(value));
    }
    no_aggregates_clause_ = nullptr;
  }
  if (!returning.empty()) {
    for (const auto& entry : scope_.entries) {
      for (size_t c = 0; c < entry.bindings.size(); c++) {
        if (moved.count(entry.bindings[c])) continue;
        moved[entry.bindings[c]] = static_cast<uint32_t>(projection->expressions.size());
        projection->expressions.push_back(std::make_unique<BoundColumnRef>(entry.types[c], entry.bindings[c], entry.names[c]));
      }
    }
  }
  // The old keys of the changed rows, for the FOREIGN KEYs of other tables referencing them.
  std::vector<ReferencingForeignKey> referencing;
  for (auto& [other, index] : catalog_.referencing_tables(transaction_, *table)) {
    ReferencingForeignKey ref;
    ref.table = other;
    ref.foreign_key = index;
    const ScopeEntry& entry = scope_.entries[0];
    for (size_t c : other->foreign_keys()[index].referenced_columns) {
      ref.old_key.push_back(projection->expressions.size() - 1);  // its place after the row id
      projection->expressions.push_back(std::make_unique<BoundColumnRef>(entry.types[c], entry.bindings[c], columns[c].name));
    }
    referencing.push_back(std::move(ref));
  }
  const uint32_t projection_index = projection->table_index;
  projection->children.push_back(std::move(plan));

  auto modify = std::make_unique<LogicalModify>(kind);
  modify->table = table;
  if (kind == LogicalOperatorKind::kUpdate) {
    modify->checks = bind_table_checks(*table, modify->check_table_index);
    modify->referenced = bind_referenced_tables(*table);
  }
  auto cascades = std::make_shared<std::vector<CascadeTarget>>();
  bind_cascades(referencing, *cascades);
  modify->cascades = std::move(cascades);
  modify->referencing = std::move(referencing);
  modify->returning = !returning.empty();
  modify->children.push_back(std::move(projection));

  BoundStatement result;
  result.properties.command = kind == LogicalOperatorKind::kDelete ? CommandKind::kDelete : CommandKind::kUpdate;
  result.properties.read_only = false;
  if (returning.empty()) {
    result.plan = std::move(modify);
    return result;
  }
  // RETURNING names the same tables and columns, now read from the modified rows.
  for (auto& entry : scope_.entries) {
    for (auto& binding : entry.bindings) binding = ColumnBinding{projection_index, moved.at(binding)};
  }
  bind_returning(std::move(modify), returning, result);
  return result;
}

void Binder::bind_returning(LogicalPtr source, const std::vector<ResultTarget>& targets, BoundStatement& result) {
  auto projection = std::make_unique<LogicalProjection>(next_table_index());
  const char* saved = no_aggregates_clause_;
  no_aggregates_clause_ = "RETURNING";
  for (const auto& target : targets) {
    if (target.expr->kind == ExprKind::kStar) {
      for (auto& e : expand_star(target.expr->as<StarExpr>())) {
        result.names.push_back(e->alias);
        projection->expressions.push_back(std::move(e));
      }
      continue;
    }
    BoundExprPtr e = bind_expr(*target.expr);
    std::string name = target.alias.empty() ? column_name_of(*target.expr) : target.alias;
    e->alias = name;
    result.names.push_back(name);
    projection->expressions.push_back(std::move(e));
  }
  no_aggregates_clause_ = saved;
  projection->children.push_back(std::move(source));
  result.plan = std::move(projection);
  result.properties.returns_rows = true;
}

BoundStatement Binder::bind_truncate(const TruncateStatement& stmt) {
  auto truncate = std::make_unique<LogicalTruncate>();
  std::set<Oid> seen;
  for (const auto& parts : stmt.tables) {
    const std::string& name = parts.back();
    auto entry = find_relation(parts, stmt.location, true);
    if (!entry) {
      throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(parts) + "\" does not exist",
               stmt.location);
    }
    if (entry->kind() != catalog::EntryKind::kTable) {
      throw_at(SqlState::kWrongObjectType, "\"" + name + "\" is not a table", stmt.location);
    }
    // Without foreign keys CASCADE reaches no other table: accepted, as PostgreSQL accepts it
    // for such tables. RESTART IDENTITY is a no-op unless the table owns sequences.
    if (stmt.restart_identity) {
      for (const auto& other : catalog_.entries(transaction_)) {
        if (other->kind() == catalog::EntryKind::kSequence && other->schema_oid() == entry->schema_oid() &&
            static_cast<const catalog::SequenceEntry&>(*other).owner_table() == name) {
          throw_at(SqlState::kFeatureNotSupported, "TRUNCATE ... RESTART IDENTITY is not supported yet", stmt.location);
        }
      }
    }
    if (seen.insert(entry->oid()).second) truncate->tables.push_back(std::static_pointer_cast<catalog::TableEntry>(entry));
  }
  for (const auto& table : truncate->tables) {
    for (const auto& [other, index] : catalog_.referencing_tables(transaction_, *table)) {
      if (seen.count(other->oid())) continue;
      if (stmt.cascade) {
        throw_at(SqlState::kFeatureNotSupported, "TRUNCATE ... CASCADE of a referenced table is not supported yet",
                 stmt.location);
      }
      throw SqlError(SqlState::kFeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint")
          .with_detail("Table \"" + other->name() + "\" references \"" + table->name() + "\".")
          .with_hint("Truncate table \"" + other->name() + "\" at the same time, or use TRUNCATE ... CASCADE.");
    }
  }
  BoundStatement result;
  result.plan = std::move(truncate);
  result.properties.command = CommandKind::kTruncate;
  result.properties.read_only = false;
  return result;
}

}  // namespace tessera::planner
