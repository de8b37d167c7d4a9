// FOREIGN KEY constraints: checked and named when a table is created; each INSERT, UPDATE and
// DELETE then finds the tables its rows are checked against.

#include <algorithm>
#include <set>

#include "catalog/catalog.h"
#include "catalog/function_registry.h"
#include "planner/binder/binder.h"
#include "src/common/sql_error.h"

namespace tessera::planner {

std::vector<catalog::ForeignKey> Binder::bind_foreign_keys(const CreateTableStatement& stmt,
                                                           const std::vector<catalog::ColumnDefinition>& columns,
                                                           std::set<std::string>& names) {
  struct Spec {
    const std::string* name;
    std::vector<std::string> columns;
    const ForeignKeyRef* ref;
    int location;
  };
  std::vector<Spec> specs;
  for (const auto& col : stmt.columns) {
    if (col.references) specs.push_back({&col.references->name, {col.name}, &*col.references, col.location});
  }
  for (const auto& constraint : stmt.constraints) {
    if (constraint.constraint_kind != TableConstraintKind::kForeignKey) continue;
    specs.push_back({&constraint.name, constraint.columns, &*constraint.references, constraint.location});
  }
  std::stable_sort(specs.begin(), specs.end(), [](const Spec& a, const Spec& b) { return a.location < b.location; });
  const std::string& table = stmt.name.back();
  std::vector<catalog::ForeignKey> keys;
  for (const auto& spec : specs) {
    const ForeignKeyRef& ref = *spec.ref;
    if (ref.match == 'p') throw_at(SqlState::kFeatureNotSupported, "MATCH PARTIAL not yet implemented", ref.location);
    const std::string& referenced_name = ref.table.back();
    // The referenced table is found like any relation; the one being created or altered lives
    // in creation_schema_oid_.
    auto entry = find_relation(ref.table, ref.location, true);
    const bool same_schema =
        ref.table.size() < 2 || schema_oid(ref.table[ref.table.size() - 2]) == creation_schema_oid_;
    // The referenced table's columns and unique indexes; a table referencing itself has those
    // of the CREATE TABLE.
    std::vector<catalog::ColumnDefinition> referenced_columns;
    std::vector<catalog::IndexDefinition> indexes;
    if (referenced_name == table && same_schema) {
      referenced_columns = columns;
      std::vector<catalog::ColumnDefinition> copy = columns;
      indexes = bind_key_constraints(stmt, copy);
    } else {
      if (!entry) {
        throw_at(SqlState::kUndefinedTable, "relation \"" + relation_display_name(ref.table) + "\" does not exist",
                 ref.location);
      }
      if (entry->kind() != catalog::EntryKind::kTable) {
        throw_at(SqlState::kWrongObjectType, "referenced relation \"" + referenced_name + "\" is not a table",
                 ref.location);
      }
      // A FOREIGN KEY names its referenced table within the referencing table's schema.
      if (entry->schema_oid() != creation_schema_oid_) {
        throw_at(SqlState::kFeatureNotSupported, "foreign keys between tables of different schemas are not supported yet",
                 ref.location);
      }
      referenced_columns = entry->columns();
      for (const auto& index : catalog_.table_indexes(transaction_, *entry)) {
        catalog::IndexDefinition definition = index->definition();
        definition.name = index->name();
        indexes.push_back(std::move(definition));
      }
    }
    auto find_referenced_column = [&](const std::string& name) -> std::optional<size_t> {
      for (size_t c = 0; c < referenced_columns.size(); c++) {
        if (referenced_columns[c].name == name) return c;
      }
      return std::nullopt;
    };
    catalog::ForeignKey fk;
    fk.referenced_table = referenced_name;
    fk.match_full = ref.match == 'f';
    fk.on_delete = ref.on_delete;
    fk.on_update = ref.on_update;
    // A column of the referencing table, by name (42703 when there is none).
    auto referencing_column = [&](const std::string& name) {
      for (size_t c = columns.size(); c-- > 0;) {
        if (columns[c].name == name) return c;
      }
      throw_at(SqlState::kUndefinedColumn, "column \"" + name + "\" referenced in foreign key constraint does not exist",
               spec.location);
    };
    for (const auto& name : spec.columns) fk.columns.push_back(referencing_column(name));
    if (ref.columns.empty()) {
      auto primary = std::find_if(indexes.begin(), indexes.end(), [](const auto& index) { return index.primary_key; });
      if (primary == indexes.end()) {
        throw_at(SqlState::kUndefinedObject,
                 "there is no primary key for referenced table \"" + referenced_name + "\"", ref.location);
      }
      fk.referenced_columns = primary->columns;
    } else {
      for (const auto& name : ref.columns) {
        auto found = find_referenced_column(name);
        if (!found) {
          throw_at(SqlState::kUndefinedColumn,
                   "column \"" + name + "\" referenced in foreign key constraint does not exist", ref.location);
        }
        fk.referenced_columns.push_back(*found);
      }
    }
    // ON DELETE SET NULL / SET DEFAULT (columns): each one of the key's columns.
    for (const auto& name : ref.delete_set_columns) {
      const std::optional<size_t> found = referencing_column(name);
      if (std::find(fk.columns.begin(), fk.columns.end(), *found) == fk.columns.end()) {
        throw_at(SqlState::kInvalidColumnReference,
                 "column \"" + name + "\" referenced in ON DELETE SET action must be part of foreign key", spec.location);
      }
      if (std::find(fk.delete_set_columns.begin(), fk.delete_set_columns.end(), *found) == fk.delete_set_columns.end()) {
        fk.delete_set_columns.push_back(*found);
      }
    }
    if (fk.columns.size() != fk.referenced_columns.size()) {
      throw_at(SqlState::kInvalidForeignKey, "number of referencing and referenced columns for foreign key disagree",
               spec.location);
    }
    // The referenced columns must be exactly the columns of a unique index (in any order).
    std::vector<size_t> wanted = fk.referenced_columns;
    std::sort(wanted.begin(), wanted.end());
    const catalog::IndexDefinition* unique = nullptr;
    for (const auto& index : indexes) {
      std::vector<size_t> have = index.columns;
      std::sort(have.begin(), have.end());
      if (index.unique && have == wanted) {
        unique = &index;
        break;
      }
    }
    if (!unique) {
      throw_at(SqlState::kInvalidForeignKey,
               "there is no unique constraint matching given keys for referenced table \"" + referenced_name + "\"",
               ref.location);
    }
    fk.referenced_index = unique->name;
    for (size_t key_column : unique->columns) {
      size_t k = std::find(fk.referenced_columns.begin(), fk.referenced_columns.end(), key_column) -
                 fk.referenced_columns.begin();
      fk.index_key_columns.push_back(fk.columns[k]);
    }
    std::string addition;
    for (const auto& name : spec.columns) addition += "_" + name;
    if (!spec.name->empty()) {
      fk.name = *spec.name;
      if (names.count(fk.name)) {
        throw_at(SqlState::kDuplicateObject,
                 "constraint \"" + fk.name + "\" for relation \"" + table + "\" already exists", spec.location);
      }
    } else {
      const std::string base = table + addition + "_fkey";
      fk.name = base;
      for (int suffix = 1; names.count(fk.name); suffix++) fk.name = base + std::to_string(suffix);
    }
    // The lookup compares serialized keys: both sides must have the same types.
    for (size_t k = 0; k < fk.columns.size(); k++) {
      const auto& mine = columns[fk.columns[k]];
      const auto& theirs = referenced_columns[fk.referenced_columns[k]];
      if (mine.type.id() == theirs.type.id()) continue;
      if (catalog::type_category(mine.type) == catalog::type_category(theirs.type)) {
        throw_at(SqlState::kFeatureNotSupported,
                 "foreign keys between columns of different types are not supported yet", spec.location);
      }
      throw SqlError(SqlState::kDatatypeMismatch, "foreign key constraint \"" + fk.name + "\" cannot be implemented")
          .with_detail("Key columns \"" + mine.name + "\" and \"" + theirs.name + "\" are of incompatible types: " +
                       mine.type.name() + " and " + theirs.type.name() + ".")
          .with_position(position(spec.location));
    }
    names.insert(fk.name);
    keys.push_back(std::move(fk));
  }
  return keys;
}

namespace {

/// Whether an action of `fk` changes the referencing rows.
bool changes_rows(const catalog::ForeignKey& fk) {
  auto changes = [](char action) { return action == 'c' || action == 'n' || action == 'd'; };
  return changes(fk.on_delete) || changes(fk.on_update);
}

}  // namespace

void Binder::bind_cascades(std::vector<ReferencingForeignKey>& referencing, std::vector<CascadeTarget>& cascades) {
  for (auto& ref : referencing) {
    if (changes_rows(ref.table->foreign_keys()[ref.foreign_key])) ref.cascade = bind_cascade_target(ref.table, cascades);
  }
}

int Binder::bind_cascade_target(const std::shared_ptr<catalog::TableEntry>& table, std::vector<CascadeTarget>& cascades) {
  for (size_t i = 0; i < cascades.size(); i++) {
    if (cascades[i].table == table) return static_cast<int>(i);
  }
  const int index = static_cast<int>(cascades.size());
  cascades.emplace_back();
  cascades.back().table = table;
  CascadeTarget target;
  target.table = table;
  target.checks = bind_table_checks(*table, target.check_table_index);
  target.referenced = bind_referenced_tables(*table);
  for (const auto& column : table->columns()) target.defaults.push_back(bind_column_default(column));
  for (auto& [other, foreign_key] : catalog_.referencing_tables(transaction_, *table)) {
    ReferencingForeignKey ref;
    ref.table = other;
    ref.foreign_key = foreign_key;
    ref.old_key = other->foreign_keys()[foreign_key].referenced_columns;
    target.referencing.push_back(std::move(ref));
  }
  // Cycles end at the entry added above.
  bind_cascades(target.referencing, cascades);
  cascades[static_cast<size_t>(index)] = std::move(target);
  return index;
}

std::vector<std::shared_ptr<catalog::TableEntry>> Binder::bind_referenced_tables(const catalog::TableEntry& table) {
  std::vector<std::shared_ptr<catalog::TableEntry>> referenced;
  for (const auto& fk : table.foreign_keys()) {
    referenced.push_back(catalog_.get_table(transaction_, table.schema_oid(), fk.referenced_table));
  }
  return referenced;
}

}  // namespace tessera::planner
