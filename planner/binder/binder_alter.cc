// ALTER TABLE: the actions of one statement are applied in order to a working copy of the
// table's definition; the result is a new version of the table whose rows are rewritten from
// the old ones (each new column an expression over the old row), checked against the new
// constraints as they are written.

#include <algorithm>
#include <cctype>
#include <set>

#include "catalog/catalog.h"
#include "catalog/sequence_session.h"
#include "planner/binder/binder.h"
#include "planner/binder/type_rules.h"
#include "planner/parser/keywords.h"
#include "planner/parser/lexer.h"
#include "planner/parser/parser.h"
#include "planner/parser/relation_rename.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"
#include "src/common/value_cast.h"

namespace tessera::planner {

namespace {

/// Whether a token of a stored expression names column `name` (an identifier not called as a
/// function and not a type name after ::).
bool names_column(const std::vector<Token>& tokens, size_t i, const std::string& name) {
  const Token& t = tokens[i];
  if ((t.kind != TokenKind::kIdentifier && t.kind != TokenKind::kQuotedIdentifier) || t.text != name) return false;
  if (i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::kLeftParen) return false;
  if (i > 0 && tokens[i - 1].kind == TokenKind::kDoubleColon) return false;
  return true;
}

/// Whether stored expression `text` (a CHECK's) reads column `name`.
bool expression_reads(const std::string& text, const std::string& name) {
  auto tokens = Lexer(text).tokenize();
  for (size_t i = 0; i < tokens.size(); i++) {
    if (names_column(tokens, i, name)) return true;
  }
  return false;
}

/// Stored expression `text` with column `from` renamed `to`.
std::string rename_in_expression(const std::string& text, const std::string& from, const std::string& to) {
  auto tokens = Lexer(text).tokenize();
  std::string result;
  size_t copied = 0;
  for (size_t i = 0; i < tokens.size(); i++) {
    if (!names_column(tokens, i, from)) continue;
    result.append(text, copied, static_cast<size_t>(tokens[i].offset) - copied);
    result += quote_identifier(to);
    copied = static_cast<size_t>(tokens[i].offset + tokens[i].length);
  }
  result.append(text, copied, std::string::npos);
  return result;
}

}  // namespace

void Binder::check_dependent_views(const catalog::TableEntry& table, const catalog::AlteredTable& altered,
                                   const std::vector<std::string>& dropped, const std::vector<std::string>& retyped,
                                   bool cascade) {
  // Views live in public and read relations of public.
  if (table.schema_oid() != catalog::kPublicSchemaOid) return;
  // The table as the statement leaves it, seen by the views in place of the catalog's.
  auto overlay = std::make_shared<std::map<std::string, std::shared_ptr<catalog::CatalogEntry>>>();
  (*overlay)[table.name()] = nullptr;
  (*overlay)[altered.name] = std::make_shared<catalog::TableEntry>(altered.name, table.oid(), altered.columns);
  std::vector<std::string> known_names;
  std::vector<std::string> renamed;
  for (size_t c = 0; c < altered.columns.size(); c++) {
    known_names.push_back(altered.sources[c] ? table.columns()[*altered.sources[c]].name : altered.columns[c].name);
    if (known_names.back() != altered.columns[c].name) renamed.push_back(known_names.back());
  }
  for (const auto& entry : catalog_.entries(transaction_)) {
    if (entry->kind() != catalog::EntryKind::kView) continue;
    const auto& view = static_cast<const catalog::ViewEntry&>(*entry);
    const auto& deps = view.dependencies();
    if (std::find(deps.begin(), deps.end(), table.name()) == deps.end()) continue;
    bool same = true;
    // A renamed table or column is renamed in the view's text (the executor makes the same
    // rewrite): the view names the columns as it knew them.
    std::optional<std::string> text = view.query_text();
    const bool columns_renamed = !renamed.empty() && query_mentions_column(view.query_text(), renamed);
    if (altered.name != table.name() || columns_renamed) {
      text = rename_relation_in_query(view.query_text(), table.name(), altered.name,
                                      columns_renamed ? &known_names : nullptr);
    }
    try {
      if (!text) throw SqlError(SqlState::kFeatureNotSupported, "view text not followed");
      auto statements = parse_sql(*text);
      Binder child(*this, false);
      child.scope_ = Scope();
      child.sql_ = *text;
      child.relation_overlay_ = overlay;
      child.referenced_relations_ = std::make_shared<std::set<std::pair<Oid, std::string>>>();
      std::vector<std::string> names;
      LogicalPtr plan = child.bind_query(*statements.at(0)->as<SelectStatement>().select, names);
      auto types = plan->output_types();
      same = types.size() == view.columns().size();
      for (size_t i = 0; same && i < types.size(); i++) same = result_column_type(types[i]) == view.columns()[i].type;
    } catch (const SqlError&) {
      same = false;
    }
    if (same) continue;
    if (!dropped.empty()) {
      if (cascade) {
        throw SqlError(SqlState::kFeatureNotSupported,
                       "DROP COLUMN ... CASCADE of a column a view reads is not supported yet (view " + view.name() +
                           ")");
      }
      throw SqlError(SqlState::kDependentObjectsStillExist, "cannot drop column " + dropped.front() + " of table " +
                                                                table.name() + " because other objects depend on it")
          .with_detail("view " + view.name() + " depends on column " + dropped.front() + " of table " + table.name())
          .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
    if (!retyped.empty()) {
      throw SqlError(SqlState::kFeatureNotSupported, "cannot alter type of a column used by a view or rule")
          .with_detail("rule _RETURN on view " + view.name() + " depends on column \"" + retyped.front() + "\"");
    }
    throw SqlError(SqlState::kFeatureNotSupported,
                   "cannot alter table \"" + table.name() + "\" this way because view \"" + view.name() +
                       "\" reads it: rewriting view definitions is not supported yet");
  }
}

void Binder::bind_set_schema(const catalog::TableEntry& table, const AlterTableAction& action,
                             catalog::AlteredTable& work) {
  auto target = catalog_.find_schema(transaction_, action.new_name);
  if (!target) {
    throw_at(SqlState::kInvalidSchemaName, "schema \"" + action.new_name + "\" does not exist", action.location);
  }
  if (target->oid() == table.schema_oid()) return;
  if (action.new_name == catalog::kCatalogSchema || action.new_name == catalog::kInformationSchema) {
    throw_at(SqlState::kFeatureNotSupported,
             "moving relations into schema \"" + action.new_name + "\" is not supported", action.location);
  }
  auto taken = [&](const std::string& name) {
    if (catalog_.find(transaction_, target->oid(), name)) {
      throw_at(SqlState::kDuplicateTable,
               "relation \"" + name + "\" already exists in schema \"" + action.new_name + "\"", action.location);
    }
  };
  taken(table.name());
  for (const auto& index : catalog_.table_indexes(transaction_, table)) taken(index->name());
  // What names the table by its bare name would stay behind: the views reading it, its
  // FOREIGN KEYs and those referencing it, its sequences.
  auto not_yet = [&](const std::string& what) {
    throw_at(SqlState::kFeatureNotSupported,
             "moving a table " + what + " to another schema is not supported yet", action.location);
  };
  if (!table.foreign_keys().empty() || !catalog_.referencing_tables(transaction_, table).empty()) {
    not_yet("with foreign keys");
  }
  for (const auto& entry : catalog_.entries(transaction_)) {
    if (entry->schema_oid() != table.schema_oid()) continue;
    if (entry->kind() == catalog::EntryKind::kSequence &&
        static_cast<const catalog::SequenceEntry&>(*entry).owner_table() == table.name()) {
      not_yet("owning sequences");
    }
    if (entry->kind() == catalog::EntryKind::kView) {
      const auto& deps = static_cast<const catalog::ViewEntry&>(*entry).dependencies();
      if (std::find(deps.begin(), deps.end(), table.name()) != deps.end()) not_yet("that views read");
    }
  }
  work.schema = action.new_name;
}

catalog::AlteredTable unaltered_definition(const catalog::Catalog& catalog, const storage::Transaction& txn,
                                           const catalog::TableEntry& table) {
  catalog::AlteredTable definition;
  definition.name = table.name();
  definition.columns = table.columns();
  for (size_t c = 0; c < definition.columns.size(); c++) definition.sources.push_back(c);
  definition.checks = table.checks();
  definition.foreign_keys = table.foreign_keys();
  for (const auto& index : catalog.table_indexes(txn, table)) {
    definition.indexes.push_back(index->definition());
    definition.index_sources.push_back(index->name());
  }
  return definition;
}

BoundStatement Binder::bind_alter_table(const AlterTableStatement& stmt) {
  BoundStatement result;
  result.properties.command = CommandKind::kAlterTable;
  result.properties.read_only = false;
  auto alter = std::make_unique<LogicalAlterTable>();
  const std::string& table_name = stmt.name.back();
  auto entry = find_relation(stmt.name, stmt.location, !stmt.if_exists);
  if (!entry) {
    const std::string shown = relation_display_name(stmt.name);
    if (stmt.if_exists) {
      alter->notices.push_back({"00000", "relation \"" + shown + "\" does not exist, skipping", ""});
      result.plan = std::move(alter);
      return result;
    }
    throw_at(SqlState::kUndefinedTable, "relation \"" + shown + "\" does not exist", stmt.location);
  }
  if (entry->kind() != catalog::EntryKind::kTable) {
    const AlterTableAction& first = stmt.actions.at(0);
    if (first.action_kind == AlterTableActionKind::kSetSchema) {
      throw_at(SqlState::kFeatureNotSupported,
               std::string("moving a ") + entry->kind_name() + " to another schema is not supported yet", stmt.location);
    }
    if (first.action_kind == AlterTableActionKind::kRenameTable ||
        first.action_kind == AlterTableActionKind::kRenameColumn ||
        first.action_kind == AlterTableActionKind::kRenameConstraint) {
      throw_at(SqlState::kFeatureNotSupported, std::string("renaming a ") + entry->kind_name() + " is not supported yet",
               stmt.location);
    }
    const char* what = "";
    switch (first.action_kind) {
      case AlterTableActionKind::kAddColumn: what = "ADD COLUMN"; break;
      case AlterTableActionKind::kDropColumn: what = "DROP COLUMN"; break;
      case AlterTableActionKind::kSetDefault:
      case AlterTableActionKind::kDropDefault: what = "ALTER COLUMN ... SET DEFAULT"; break;
      case AlterTableActionKind::kSetNotNull: what = "ALTER COLUMN ... SET NOT NULL"; break;
      case AlterTableActionKind::kDropNotNull: what = "ALTER COLUMN ... DROP NOT NULL"; break;
      case AlterTableActionKind::kAlterType: what = "ALTER COLUMN ... SET DATA TYPE"; break;
      case AlterTableActionKind::kAddConstraint: what = "ADD CONSTRAINT"; break;
      case AlterTableActionKind::kDropConstraint: what = "DROP CONSTRAINT"; break;
      default: break;
    }
    if (entry->kind() == catalog::EntryKind::kView &&
        (first.action_kind == AlterTableActionKind::kSetDefault || first.action_kind == AlterTableActionKind::kDropDefault)) {
      throw_at(SqlState::kFeatureNotSupported, "column defaults of views are not supported yet", stmt.location);
    }
    throw SqlError(SqlState::kWrongObjectType,
                   std::string("ALTER action ") + what + " cannot be performed on relation \"" + table_name + "\"")
        .with_detail(std::string("This operation is not supported for ") +
                     (entry->kind() == catalog::EntryKind::kView      ? "views"
                      : entry->kind() == catalog::EntryKind::kIndex   ? "indexes"
                                                                      : "sequences") +
                     ".");
  }
  auto table = std::static_pointer_cast<catalog::TableEntry>(entry);
  alter->table = table;
  creation_schema_oid_ = table->schema_oid();
  alter->table_index = next_table_index();

  // The working definition.
  catalog::AlteredTable& work = alter->altered;
  work = unaltered_definition(catalog_, transaction_, *table);
  std::vector<BoundExprPtr>& exprs = alter->expressions;
  for (size_t c = 0; c < work.columns.size(); c++) {
    exprs.push_back(std::make_unique<BoundColumnRef>(work.columns[c].type,
                                                     ColumnBinding{alter->table_index, static_cast<uint32_t>(c)},
                                                     work.columns[c].name));
  }
  auto referencing = catalog_.referencing_tables(transaction_, *table);
  std::vector<std::string> dropped_columns;
  std::vector<std::string> retyped_columns;
  bool cascade = false;
  std::set<std::string> taken_names{table_name};

  auto find_column = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t c = 0; c < work.columns.size(); c++) {
      if (work.columns[c].name == name) return c;
    }
    return std::nullopt;
  };
  auto column_or_throw = [&](const std::string& name, int location) {
    auto c = find_column(name);
    if (!c) {
      throw_at(SqlState::kUndefinedColumn,
               "column \"" + name + "\" of relation \"" + table_name + "\" does not exist", location);
    }
    return *c;
  };
  auto in_primary_key = [&](size_t c) {
    for (const auto& index : work.indexes) {
      if (index.primary_key && std::find(index.columns.begin(), index.columns.end(), c) != index.columns.end()) {
        return true;
      }
    }
    return false;
  };
  // Removes the index at position i, refusing (or with CASCADE dropping) the FOREIGN KEYs of
  // other tables that use it.
  auto drop_index = [&](size_t i, bool drop_cascade, const std::string& what, const std::string& depended_on) {
    const std::string& source = work.index_sources[i];
    std::string detail;
    std::vector<std::pair<std::string, std::string>> users;
    for (const auto& [other, k] : referencing) {
      const auto& fk = other->foreign_keys()[k];
      if (source.empty() || fk.referenced_index != source) continue;
      if (work.dropped_referencing.count({other->name(), fk.name})) continue;
      users.emplace_back(other->name(), fk.name);
      if (!detail.empty()) detail += "\n";
      detail += "constraint " + fk.name + " on table " + other->name() + " depends on " + depended_on;
    }
    if (!users.empty()) {
      if (!drop_cascade) {
        throw SqlError(SqlState::kDependentObjectsStillExist,
                       "cannot drop " + what + " because other objects depend on it")
            .with_detail(detail)
            .with_hint("Use DROP ... CASCADE to drop the dependent objects too.");
      }
      for (auto& user : users) {
        alter->notices.push_back({"00000", "drop cascades to constraint " + user.second + " on table " + user.first, ""});
        work.dropped_referencing.insert(user);
      }
    }
    work.indexes.erase(work.indexes.begin() + static_cast<std::ptrdiff_t>(i));
    work.index_sources.erase(work.index_sources.begin() + static_cast<std::ptrdiff_t>(i));
  };
  auto referenced_by_others = [&](size_t c) {
    for (const auto& [other, k] : referencing) {
      const auto& fk = other->foreign_keys()[k];
      const auto& cols = fk.referenced_columns;
      if (work.dropped_referencing.count({other->name(), fk.name})) continue;
      for (size_t col : cols) {
        if (work.sources[c] && col == *work.sources[c]) return true;
      }
    }
    return false;
  };
  // Constraint names in use on the table (PostgreSQL keeps them unique per table).
  auto constraint_exists = [&](const std::string& name) {
    for (const auto& check : work.checks) {
      if (check.name == name) return true;
    }
    for (const auto& fk : work.foreign_keys) {
      if (fk.name == name) return true;
    }
    for (const auto& index : work.indexes) {
      if (index.constraint && index.name == name) return true;
    }
    return false;
  };
  auto add_check = [&](const std::string& given_name, const Expr& expr, const std::string& text, int location) {
    const uint32_t index = next_table_index();
    BoundExprPtr bound = bind_check_expression(expr, table_name, work.columns, index);
    std::string name = given_name;
    if (name.empty()) {
      std::set<uint32_t> read;
      visit_expression(*bound, [&](const BoundExpression& e) {
        if (e.kind != BoundExprKind::kColumnRef) return;
        const auto& ref = static_cast<const BoundColumnRef&>(e);
        if (ref.binding.table_index == index) read.insert(ref.binding.column_index);
      });
      const std::string base =
          table_name + (read.size() == 1 ? "_" + work.columns[*read.begin()].name : "") + "_check";
      name = base;
      for (int suffix = 1; constraint_exists(name); suffix++) name = base + std::to_string(suffix);
    } else if (constraint_exists(name)) {
      throw_at(SqlState::kDuplicateObject,
               "constraint \"" + name + "\" for relation \"" + table_name + "\" already exists", location);
    }
    work.checks.push_back(catalog::CheckConstraint{name, text});
  };
  auto add_key = [&](const std::string& given_name, const std::vector<std::string>& columns, bool primary_key,
                     int location) {
    catalog::IndexDefinition index;
    index.unique = true;
    index.primary_key = primary_key;
    index.constraint = true;
    if (primary_key) {
      for (const auto& existing : work.indexes) {
        if (existing.primary_key) {
          throw_at(SqlState::kInvalidTableDefinition,
                   "multiple primary keys for table \"" + table_name + "\" are not allowed", location);
        }
      }
    }
    std::string default_name = table_name;
    for (const auto& name : columns) {
      auto c = find_column(name);
      if (!c) throw_at(SqlState::kUndefinedColumn, "column \"" + name + "\" named in key does not exist", location);
      if (std::find(index.columns.begin(), index.columns.end(), *c) != index.columns.end()) {
        throw_at(SqlState::kDuplicateColumn,
                 "column \"" + name + "\" appears twice in " + (primary_key ? "primary key" : "unique") + " constraint",
                 location);
      }
      index.columns.push_back(*c);
      if (primary_key) work.columns[*c].not_null = true;
      default_name += "_" + name;
    }
    for (const auto& existing : work.indexes) taken_names.insert(existing.name);
    if (!given_name.empty()) {
      if (constraint_exists(given_name) || taken_names.count(given_name) ||
          (catalog_.find(transaction_, table->schema_oid(), given_name) &&
           std::find(work.index_sources.begin(), work.index_sources.end(), given_name) == work.index_sources.end())) {
        throw_at(SqlState::kDuplicateTable, "relation \"" + given_name + "\" already exists", location);
      }
      index.name = given_name;
      taken_names.insert(given_name);
    } else {
      index.name = choose_relation_name(table->schema_oid(), primary_key ? table_name + "_pkey" : default_name + "_key", taken_names);
    }
    work.indexes.push_back(std::move(index));
    work.index_sources.emplace_back();
  };
  auto add_foreign_key = [&](const std::string& name, const std::vector<std::string>& columns,
                             const ForeignKeyRef& ref, int location) {
    // Bound as CREATE TABLE binds it, over the working columns.
    CreateTableStatement create(location);
    create.name = {table_name};
    TableConstraint constraint;
    constraint.constraint_kind = TableConstraintKind::kForeignKey;
    constraint.name = name;
    constraint.columns = columns;
    constraint.references = ref;
    constraint.location = location;
    create.constraints.push_back(std::move(constraint));
    std::set<std::string> names;
    for (const auto& check : work.checks) names.insert(check.name);
    for (const auto& fk : work.foreign_keys) names.insert(fk.name);
    for (const auto& index : work.indexes) names.insert(index.name);
    if (!name.empty() && names.count(name)) {
      throw_at(SqlState::kDuplicateObject,
               "constraint \"" + name + "\" for relation \"" + table_name + "\" already exists", location);
    }
    for (auto& fk : bind_foreign_keys(create, work.columns, names)) work.foreign_keys.push_back(std::move(fk));
  };

  // PostgreSQL runs the actions in passes: drops, then type changes, then added columns, then
  // column attributes, then new constraints (each pass in the order written).
  auto pass = [](AlterTableActionKind kind) {
    switch (kind) {
      case AlterTableActionKind::kDropColumn:
      case AlterTableActionKind::kDropConstraint: return 0;
      case AlterTableActionKind::kAlterType: return 1;
      case AlterTableActionKind::kAddColumn: return 2;
      case AlterTableActionKind::kAddConstraint: return 4;
      default: return 3;
    }
  };
  std::vector<const AlterTableAction*> ordered;
  for (const auto& action : stmt.actions) ordered.push_back(&action);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const auto* a, const auto* b) { return pass(a->action_kind) < pass(b->action_kind); });
  for (const AlterTableAction* next : ordered) {
    const AlterTableAction& action = *next;
    switch (action.action_kind) {
      case AlterTableActionKind::kRenameTable: {
        if (action.new_name != table_name && catalog_.find(transaction_, table->schema_oid(), action.new_name)) {
          throw_at(SqlState::kDuplicateTable, "relation \"" + action.new_name + "\" already exists", action.location);
        }
        work.name = action.new_name;
        break;
      }
      case AlterTableActionKind::kRenameColumn: {
        auto found = find_column(action.name);
        if (!found) throw_at(SqlState::kUndefinedColumn, "column \"" + action.name + "\" does not exist", action.location);
        const size_t c = *found;
        if (action.new_name == action.name) break;
        if (find_column(action.new_name)) {
          throw_at(SqlState::kDuplicateColumn,
                   "column \"" + action.new_name + "\" of relation \"" + table_name + "\" already exists",
                   action.location);
        }
        work.columns[c].name = action.new_name;
        for (auto& check : work.checks) {
          check.expression = rename_in_expression(check.expression, action.name, action.new_name);
        }
        break;
      }
      case AlterTableActionKind::kAddColumn: {
        const ColumnDef& col = action.column;
        if (find_column(col.name)) {
          if (action.if_not_exists) {
            alter->notices.push_back({"42701",
                                      "column \"" + col.name + "\" of relation \"" + table_name +
                                          "\" already exists, skipping",
                                      ""});
            break;
          }
          throw_at(SqlState::kDuplicateColumn,
                   "column \"" + col.name + "\" of relation \"" + table_name + "\" already exists", action.location);
        }
        bool serial = false;
        LogicalType type = bind_column_type(col, serial);
        catalog::ColumnDefinition def(col.name, type, col.not_null);
        if (serial && col.identity) {
          throw_at(SqlState::kSyntaxError,
                   "both default and identity specified for column \"" + col.name + "\" of table \"" + table_name +
                       "\"",
                   col.location);
        }
        if (serial || col.identity) {
          // A new sequence owned by the column numbers the existing rows too.
          work.sequences.push_back(bind_owned_sequence(table_name, col, def, taken_names));
        } else if (col.default_value) {
          bind_default_definition(*col.default_value, col.default_text, def, false);
        }
        // Existing rows get the default, evaluated per row (a volatile one differs per row).
        BoundExprPtr fill = col.default_value || !def.default_expression.empty()
                                ? bind_column_default(def)
                                : std::make_unique<BoundConstant>(Value::null(def.type));
        work.columns.push_back(def);
        work.sources.push_back(std::nullopt);
        exprs.push_back(std::move(fill));
        if (col.primary_key) add_key(col.primary_key_name, {col.name}, true, action.location);
        if (col.unique) add_key(col.unique_name, {col.name}, false, action.location);
        for (size_t i = 0; i < col.checks.size(); i++) {
          add_check(col.check_names[i], *col.checks[i], col.check_texts[i], action.location);
        }
        if (col.references) add_foreign_key(col.references->name, {col.name}, *col.references, action.location);
        break;
      }
      case AlterTableActionKind::kDropColumn: {
        auto found = find_column(action.name);
        if (!found) {
          if (action.if_exists) {
            alter->notices.push_back({"00000",
                                      "column \"" + action.name + "\" of relation \"" + table_name +
                                          "\" does not exist, skipping",
                                      ""});
            break;
          }
          throw_at(SqlState::kUndefinedColumn,
                   "column \"" + action.name + "\" of relation \"" + table_name + "\" does not exist", action.location);
        }
        const size_t c = *found;
        cascade = cascade || action.cascade;
        dropped_columns.push_back(action.name);
        // Indexes and constraints over the column go with it; FOREIGN KEYs of other tables
        // through such an index need CASCADE.
        for (size_t i = work.indexes.size(); i-- > 0;) {
          const auto& cols = work.indexes[i].columns;
          if (std::find(cols.begin(), cols.end(), c) == cols.end()) continue;
          drop_index(i, action.cascade, "column " + action.name + " of table " + table_name,
                     "column " + action.name + " of table " + table_name);
        }
        if (referenced_by_others(c)) {
          throw_at(SqlState::kFeatureNotSupported,
                   "dropping a column other tables' foreign keys reference is not supported yet", action.location);
        }
        std::erase_if(work.checks, [&](const auto& check) { return expression_reads(check.expression, action.name); });
        std::erase_if(work.foreign_keys, [&](const auto& fk) {
          return std::find(fk.columns.begin(), fk.columns.end(), c) != fk.columns.end();
        });
        work.columns.erase(work.columns.begin() + static_cast<std::ptrdiff_t>(c));
        work.sources.erase(work.sources.begin() + static_cast<std::ptrdiff_t>(c));
        exprs.erase(exprs.begin() + static_cast<std::ptrdiff_t>(c));
        auto shift = [&](std::vector<size_t>& positions) {
          for (size_t& p : positions) {
            if (p > c) p--;
          }
        };
        for (auto& index : work.indexes) shift(index.columns);
        for (auto& fk : work.foreign_keys) {
          shift(fk.columns);
          shift(fk.index_key_columns);
        }
        if (work.columns.empty()) {
          throw_at(SqlState::kFeatureNotSupported, "a table without columns is not supported yet", action.location);
        }
        break;
      }
      case AlterTableActionKind::kSetDefault:
      case AlterTableActionKind::kDropDefault: {
        const size_t c = column_or_throw(action.name, action.location);
        catalog::ColumnDefinition& def = work.columns[c];
        if (def.identity) {
          SqlError error(SqlState::kSyntaxError,
                         "column \"" + def.name + "\" of relation \"" + table_name + "\" is an identity column");
          if (action.action_kind == AlterTableActionKind::kDropDefault) {
            error.with_hint("Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.");
          }
          throw error;
        }
        def.default_value = Value::null(def.type);
        def.default_expression.clear();
        if (action.action_kind == AlterTableActionKind::kSetDefault) {
          bind_default_definition(*action.expr, action.expr_text, def, false);
        }
        break;
      }
      case AlterTableActionKind::kSetNotNull:
        work.columns[column_or_throw(action.name, action.location)].not_null = true;
        break;
      case AlterTableActionKind::kDropNotNull: {
        const size_t c = column_or_throw(action.name, action.location);
        if (in_primary_key(c)) {
          throw_at(SqlState::kInvalidTableDefinition, "column \"" + action.name + "\" is in a primary key",
                   action.location);
        }
        if (work.columns[c].identity) {
          throw_at(SqlState::kSyntaxError,
                   "column \"" + action.name + "\" of relation \"" + table_name + "\" is an identity column",
                   action.location);
        }
        work.columns[c].not_null = false;
        break;
      }
      case AlterTableActionKind::kAlterType: {
        const size_t c = column_or_throw(action.name, action.location);
        catalog::ColumnDefinition& def = work.columns[c];
        LogicalType type;
        try {
          type = resolve_type_name(action.type);
        } catch (SqlError& e) {
          e.with_position(position(action.type.location));
          throw;
        }
        for (const auto& fk : work.foreign_keys) {
          if (std::find(fk.columns.begin(), fk.columns.end(), c) != fk.columns.end()) {
            throw_at(SqlState::kFeatureNotSupported,
                     "changing the type of a foreign key column is not supported yet", action.location);
          }
        }
        if (referenced_by_others(c)) {
          throw_at(SqlState::kFeatureNotSupported,
                   "changing the type of a column other tables' foreign keys reference is not supported yet",
                   action.location);
        }
        if (!work.sources[c]) {
          throw_at(SqlState::kFeatureNotSupported,
                   "changing the type of a column added by the same statement is not supported yet", action.location);
        }
        retyped_columns.push_back(def.name);
        catalog::ColumnDefinition target = def;
        target.type = type;
        BoundExprPtr value;
        if (action.expr) {
          // USING reads the row as it was before the statement.
          Binder child(*this, false);
          child.scope_ = Scope();
          ScopeEntry scope_entry;
          scope_entry.alias = table_name;
          for (size_t k = 0; k < table->columns().size(); k++) {
            scope_entry.names.push_back(table->columns()[k].name);
            scope_entry.types.push_back(table->columns()[k].type);
            scope_entry.bindings.push_back(ColumnBinding{alter->table_index, static_cast<uint32_t>(k)});
            scope_entry.hidden.push_back(false);
          }
          child.scope_.entries.push_back(std::move(scope_entry));
          child.no_aggregates_clause_ = "transform expressions";
          value = child.bind_expr(*action.expr);
          visit_expression(*value, [&](const BoundExpression& e) {
            if (e.kind == BoundExprKind::kSubquery) {
              throw_at(SqlState::kFeatureNotSupported, "cannot use subquery in transform expression",
                       action.expr->location);
            }
          });
          try {
            value = cast_for_assignment(std::move(value), target);
          } catch (SqlError& e) {
            if (e.state() != SqlState::kDatatypeMismatch) throw;
            throw SqlError(SqlState::kDatatypeMismatch, "result of USING clause for column \"" + def.name +
                                                            "\" cannot be cast automatically to type " + type.name())
                .with_hint("You might need to add an explicit cast.");
          }
        } else {
          value = exprs[c]->copy();
          if (value->type != type && !can_cast_assignment(value->type, type)) {
            throw SqlError(SqlState::kDatatypeMismatch,
                           "column \"" + def.name + "\" cannot be cast automatically to type " + type.name())
                .with_hint("You might need to specify \"USING " + quote_identifier(def.name) + "::" + type.name() + "\".");
          }
          value = cast_for_assignment(std::move(value), target);
        }
        if (!def.default_value.is_null()) {
          if (!can_cast_assignment(def.default_value.type(), type)) {
            throw SqlError(SqlState::kDatatypeMismatch, "default for column \"" + def.name +
                                                            "\" cannot be cast automatically to type " + type.name());
          }
          target.default_value = cast_value(def.default_value, type);
        } else {
          target.default_value = Value::null(type);
        }
        def = target;
        exprs[c] = std::move(value);
        break;
      }
      case AlterTableActionKind::kAddConstraint: {
        const TableConstraint& constraint = action.constraint;
        switch (constraint.constraint_kind) {
          case TableConstraintKind::kCheck:
            add_check(constraint.name, *constraint.check, constraint.check_text, constraint.location);
            break;
          case TableConstraintKind::kPrimaryKey:
          case TableConstraintKind::kUnique:
            add_key(constraint.name, constraint.columns,
                    constraint.constraint_kind == TableConstraintKind::kPrimaryKey, constraint.location);
            break;
          case TableConstraintKind::kForeignKey:
            add_foreign_key(constraint.name, constraint.columns, *constraint.references, constraint.location);
            break;
        }
        break;
      }
      case AlterTableActionKind::kDropConstraint: {
        cascade = cascade || action.cascade;
        bool found = false;
        for (size_t i = 0; i < work.checks.size() && !found; i++) {
          if (work.checks[i].name != action.name) continue;
          work.checks.erase(work.checks.begin() + static_cast<std::ptrdiff_t>(i));
          found = true;
        }
        for (size_t i = 0; i < work.foreign_keys.size() && !found; i++) {
          if (work.foreign_keys[i].name != action.name) continue;
          work.foreign_keys.erase(work.foreign_keys.begin() + static_cast<std::ptrdiff_t>(i));
          found = true;
        }
        for (size_t i = 0; i < work.indexes.size() && !found; i++) {
          if (!work.indexes[i].constraint || work.indexes[i].name != action.name) continue;
          drop_index(i, action.cascade, "constraint " + action.name + " on table " + table_name,
                     "index " + action.name);
          found = true;
        }
        if (!found) {
          const std::string message =
              "constraint \"" + action.name + "\" of relation \"" + table_name + "\" does not exist";
          if (action.if_exists) {
            alter->notices.push_back({"00000", message + ", skipping", ""});
            break;
          }
          throw_at(SqlState::kUndefinedObject, message, action.location);
        }
        break;
      }
      case AlterTableActionKind::kRenameConstraint: {
        if (action.name != action.new_name && constraint_exists(action.new_name)) {
          throw_at(SqlState::kDuplicateObject,
                   "constraint \"" + action.new_name + "\" for relation \"" + table_name + "\" already exists",
                   action.location);
        }
        bool found = false;
        for (auto& check : work.checks) {
          if (check.name == action.name) {
            check.name = action.new_name;
            found = true;
          }
        }
        for (auto& fk : work.foreign_keys) {
          if (fk.name == action.name) {
            fk.name = action.new_name;
            found = true;
          }
        }
        for (auto& index : work.indexes) {
          if (!found && index.constraint && index.name == action.name) {
            if (action.new_name != action.name && catalog_.find(transaction_, table->schema_oid(), action.new_name)) {
              throw_at(SqlState::kDuplicateTable, "relation \"" + action.new_name + "\" already exists",
                       action.location);
            }
            index.name = action.new_name;
            found = true;
          }
        }
        if (!found) {
          throw_at(SqlState::kUndefinedObject,
                   "constraint \"" + action.name + "\" for table \"" + table_name + "\" does not exist",
                   action.location);
        }
        break;
      }
      case AlterTableActionKind::kAddIdentity: {
        const size_t c = column_or_throw(action.name, action.location);
        catalog::ColumnDefinition& def = work.columns[c];
        const std::string prefix = "column \"" + def.name + "\" of relation \"" + table_name + "\" ";
        if (!def.not_null) {
          throw SqlError(SqlState::kObjectNotInPrerequisiteState,
                         prefix + "must be declared NOT NULL before identity can be added");
        }
        if (def.identity) throw SqlError(SqlState::kObjectNotInPrerequisiteState, prefix + "is already an identity column");
        if (!def.default_value.is_null() || !def.default_expression.empty()) {
          throw SqlError(SqlState::kObjectNotInPrerequisiteState, prefix + "already has a default value");
        }
        // The existing rows keep their values; new ones are numbered from the sequence's start.
        work.sequences.push_back(bind_owned_sequence(table_name, action.column, def, taken_names));
        break;
      }
      case AlterTableActionKind::kDropIdentity: {
        const size_t c = column_or_throw(action.name, action.location);
        catalog::ColumnDefinition& def = work.columns[c];
        if (!def.identity) {
          const std::string message =
              "column \"" + def.name + "\" of relation \"" + table_name + "\" is not an identity column";
          if (action.if_exists) {
            alter->notices.push_back({"00000", message + ", skipping", ""});
            break;
          }
          throw SqlError(SqlState::kObjectNotInPrerequisiteState, message);
        }
        // Its sequence goes with it (Catalog::alter_table).
        def.identity = 0;
        def.default_expression.clear();
        def.default_value = Value::null(def.type);
        break;
      }
      case AlterTableActionKind::kUnsupported:
        throw_at(SqlState::kFeatureNotSupported, "ALTER TABLE " + action.text + " is not supported yet",
                 action.location);
      case AlterTableActionKind::kSetSchema:
        bind_set_schema(*table, action, work);
        break;
    }
  }
  if (work.columns.size() > 1600) throw SqlError(SqlState::kTooManyColumns, "tables can have at most 1600 columns");
  if (work.name != table_name && !referencing.empty()) {
    for (const auto& [other, k] : referencing) {
      if (other->name() == table_name) {
        throw SqlError(SqlState::kFeatureNotSupported, "renaming a table with a foreign key to itself is not supported yet");
      }
    }
  }
  check_dependent_views(*table, work, dropped_columns, retyped_columns, cascade);

  // What the rewrite checks: the CHECK constraints (in name order) and the FOREIGN KEYs.
  std::sort(work.checks.begin(), work.checks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (!work.checks.empty()) {
    alter->check_table_index = next_table_index();
    for (const auto& check : work.checks) {
      auto statements = parse_sql("SELECT " + check.expression);
      const auto& select = *static_cast<const SelectStatement&>(*statements.at(0)).select;
      alter->checks.push_back(
          bind_check_expression(*select.targets.at(0).expr, work.name, work.columns, alter->check_table_index));
    }
  }
  for (const auto& fk : work.foreign_keys) {
    if (fk.referenced_table == table_name) {
      throw SqlError(SqlState::kFeatureNotSupported, "a foreign key referencing its own table is not supported yet");
    }
    alter->referenced.push_back(catalog_.get_table(transaction_, table->schema_oid(), fk.referenced_table));
  }
  result.plan = std::move(alter);
  return result;
}

}  // namespace tessera::planner

namespace tessera::planner {

BoundStatement Binder::bind_alter_sequence(const AlterSequenceStatement& stmt) {
  BoundStatement result;
  result.properties.command = CommandKind::kAlterSequence;
  result.properties.read_only = false;
  auto alter = std::make_unique<LogicalAlterSequence>();
  const std::string& name = stmt.name.back();
  alter->name = relation_display_name(stmt.name);
  auto entry = find_relation(stmt.name, stmt.location, !stmt.if_exists);
  if (!entry) {
    if (stmt.if_exists) {
      result.plan = std::move(alter);
      return result;
    }
    throw_at(SqlState::kUndefinedTable, "relation \"" + alter->name + "\" does not exist", stmt.location);
  }
  if (entry->kind() != catalog::EntryKind::kSequence) {
    throw_at(SqlState::kWrongObjectType, "\"" + name + "\" is not a sequence", stmt.location);
  }
  auto sequence = std::static_pointer_cast<catalog::SequenceEntry>(entry);
  alter->sequence = sequence;
  catalog::SequenceOptions o = sequence->options();
  const std::pair<int64_t, int64_t> range =
      o.type.id() == LogicalTypeId::kSmallint  ? std::pair<int64_t, int64_t>{INT16_MIN, INT16_MAX}
      : o.type.id() == LogicalTypeId::kInteger ? std::pair<int64_t, int64_t>{INT32_MIN, INT32_MAX}
                                               : std::pair<int64_t, int64_t>{INT64_MIN, INT64_MAX};
  const SequenceOption* min_value = nullptr;
  const SequenceOption* max_value = nullptr;
  for (const auto& option : stmt.options) {
    if (option.name == "as") {
      throw_at(SqlState::kFeatureNotSupported, "ALTER SEQUENCE ... AS is not supported yet", option.location);
    } else if (option.name == "increment") {
      o.increment = *option.value;
      if (o.increment == 0) throw_at(SqlState::kInvalidParameterValue, "INCREMENT must not be zero", option.location);
    } else if (option.name == "minvalue") {
      min_value = &option;
    } else if (option.name == "maxvalue") {
      max_value = &option;
    } else if (option.name == "start") {
      o.start = *option.value;
    } else if (option.name == "cache") {
      o.cache = *option.value;
      if (o.cache <= 0) {
        throw SqlError(SqlState::kInvalidParameterValue,
                       "CACHE (" + std::to_string(o.cache) + ") must be greater than zero");
      }
    } else if (option.name == "cycle") {
      o.cycle = *option.value != 0;
    }
  }
  // NO MINVALUE / NO MAXVALUE take the defaults for the (new) increment's direction.
  if (min_value) o.min_value = min_value->value ? *min_value->value : o.increment > 0 ? 1 : range.first;
  if (max_value) o.max_value = max_value->value ? *max_value->value : o.increment > 0 ? range.second : -1;
  const std::string type_name = o.type.name();
  if (o.max_value < range.first || o.max_value > range.second) {
    throw SqlError(SqlState::kInvalidParameterValue,
                   "MAXVALUE (" + std::to_string(o.max_value) + ") is out of range for sequence data type " + type_name);
  }
  if (o.min_value < range.first || o.min_value > range.second) {
    throw SqlError(SqlState::kInvalidParameterValue,
                   "MINVALUE (" + std::to_string(o.min_value) + ") is out of range for sequence data type " + type_name);
  }
  check_sequence_limits(o);
  if (stmt.restart) {
    const int64_t restart = stmt.restart_value.value_or(o.start);
    if (restart < o.min_value) {
      throw SqlError(SqlState::kInvalidParameterValue, "RESTART value (" + std::to_string(restart) +
                                                           ") cannot be less than MINVALUE (" +
                                                           std::to_string(o.min_value) + ")");
    }
    if (restart > o.max_value) {
      throw SqlError(SqlState::kInvalidParameterValue, "RESTART value (" + std::to_string(restart) +
                                                           ") cannot be greater than MAXVALUE (" +
                                                           std::to_string(o.max_value) + ")");
    }
    alter->restart = restart;
  }
  alter->options = o;
  alter->owner_table = sequence->owner_table();
  alter->owner_column = sequence->owner_column();
  if (stmt.has_owned_by) {
    if (!sequence->owner_table().empty()) {
      if (auto owner = catalog_.find(transaction_, sequence->owner_table())) {
        auto column = owner->find_column(sequence->owner_column());
        if (column && owner->columns()[*column].identity) {
          throw SqlError(SqlState::kFeatureNotSupported, "cannot change ownership of identity sequence")
              .with_detail("Sequence \"" + name + "\" is linked to table \"" + sequence->owner_table() + "\".");
        }
      }
    }
    alter->owner_table.clear();
    alter->owner_column.clear();
    if (!stmt.owned_by.empty()) {
      if (stmt.owned_by.size() < 2) {
        throw SqlError(SqlState::kSyntaxError, "invalid OWNED BY option")
            .with_hint("Specify OWNED BY table.column or OWNED BY NONE.");
      }
      const std::string& table = stmt.owned_by[stmt.owned_by.size() - 2];
      const std::string& column = stmt.owned_by.back();
      auto owner = find_relation(std::vector<std::string>(stmt.owned_by.begin(), stmt.owned_by.end() - 1),
                                 stmt.location, true);
      if (owner && owner->schema_oid() != sequence->schema_oid()) {
        throw_at(SqlState::kFeatureNotSupported,
                 "a sequence owned by a table of another schema is not supported yet", stmt.location);
      }
      if (!owner) throw_at(SqlState::kUndefinedTable, "relation \"" + table + "\" does not exist", stmt.location);
      if (owner->kind() != catalog::EntryKind::kTable) {
        throw SqlError(SqlState::kWrongObjectType, "sequence cannot be owned by relation \"" + table + "\"")
            .with_detail(std::string("This operation is not supported for ") + owner->kind_name() + "s.");
      }
      if (!owner->find_column(column)) {
        throw_at(SqlState::kUndefinedColumn, "column \"" + column + "\" of relation \"" + table + "\" does not exist",
                 stmt.location);
      }
      alter->owner_table = table;
      alter->owner_column = column;
    }
  }
  result.plan = std::move(alter);
  return result;
}

BoundStatement Binder::bind_comment(const CommentStatement& stmt) {
  BoundStatement result;
  result.properties.command = CommandKind::kComment;
  result.properties.read_only = false;
  auto comment = std::make_unique<LogicalComment>();
  if (stmt.object_type == "schema") return bind_comment_on_schema(stmt);
  std::vector<std::string> name = stmt.name;
  std::string column;
  if (stmt.object_type == "column") {
    if (name.size() < 2) {
      throw_at(SqlState::kSyntaxError, "column name must be qualified", stmt.location);
    }
    column = name.back();
    name.pop_back();
  }
  const std::string& relation = name.back();
  auto entry = find_relation(name, stmt.location, true);
  if (!entry) {
    throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(name) + "\" does not exist",
             stmt.location);
  }
  const catalog::EntryKind expected = stmt.object_type == "view"       ? catalog::EntryKind::kView
                                      : stmt.object_type == "index"    ? catalog::EntryKind::kIndex
                                      : stmt.object_type == "sequence" ? catalog::EntryKind::kSequence
                                                                       : catalog::EntryKind::kTable;
  if (stmt.object_type == "column") {
    if (entry->kind() != catalog::EntryKind::kTable && entry->kind() != catalog::EntryKind::kView) {
      throw SqlError(SqlState::kWrongObjectType, "cannot set comment on relation \"" + relation + "\"")
          .with_detail(std::string("This operation is not supported for ") +
                       (entry->kind() == catalog::EntryKind::kIndex ? "indexes" : "sequences") + ".");
    }
    auto found = entry->find_column(column);
    if (!found) {
      throw_at(SqlState::kUndefinedColumn,
               "column \"" + column + "\" of relation \"" + relation + "\" does not exist", stmt.location);
    }
    comment->column = *found;
  } else if (entry->kind() != expected) {
    throw_at(SqlState::kWrongObjectType, "\"" + relation + "\" is not a" + (stmt.object_type == "index" ? "n " : " ") +
                                             stmt.object_type, stmt.location);
  }
  comment->entry = entry;
  comment->comment = stmt.comment.value_or("");
  result.plan = std::move(comment);
  return result;
}

}  // namespace tessera::planner

namespace tessera::planner {

std::vector<catalog::ColumnDefinition> Binder::bind_table_like(const TableLikeClause& like, const std::string& table,
                                                               size_t offset,
                                                               std::vector<catalog::CheckConstraint>& checks,
                                                               std::vector<catalog::IndexDefinition>& indexes) {
  const std::string& name = like.table.back();
  auto entry = find_relation(like.table, like.location, true);
  if (!entry) {
    throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(like.table) + "\" does not exist",
             like.location);
  }
  if (entry->kind() == catalog::EntryKind::kIndex || entry->kind() == catalog::EntryKind::kSequence) {
    throw SqlError(SqlState::kWrongObjectType, "relation \"" + name + "\" is invalid in LIKE clause")
        .with_detail(std::string("This operation is not supported for ") +
                     (entry->kind() == catalog::EntryKind::kIndex ? "indexes" : "sequences") + ".");
  }
  referenced_relations_->emplace(entry->schema_oid(), entry->name());
  auto includes = [&](const char* option) { return like.including.count(option) != 0; };
  std::vector<catalog::ColumnDefinition> columns;
  for (const auto& source : entry->columns()) {
    catalog::ColumnDefinition def(source.name, source.type, source.not_null);
    if (source.identity && includes("identity")) {
      throw_at(SqlState::kFeatureNotSupported, "LIKE ... INCLUDING IDENTITY of an identity column is not supported yet",
               like.location);
    }
    if (!source.identity && includes("defaults")) {
      def.default_value = source.default_value;
      def.default_expression = source.default_expression;
    }
    if (includes("comments")) def.comment = source.comment;
    columns.push_back(std::move(def));
  }
  if (entry->kind() != catalog::EntryKind::kTable) return columns;
  const auto& source = static_cast<const catalog::TableEntry&>(*entry);
  if (includes("constraints")) {
    for (const auto& check : source.checks()) checks.push_back(check);
  }
  if (includes("indexes")) {
    for (const auto& index : catalog_.table_indexes(transaction_, *entry)) {
      catalog::IndexDefinition definition = index->definition();
      for (size_t& c : definition.columns) c += offset;
      definition.name.clear();  // named by the caller
      indexes.push_back(std::move(definition));
    }
  }
  (void)table;
  return columns;
}

}  // namespace tessera::planner
