// CHECK constraints: bound when a table is created (checked, named) and again by each INSERT
// and UPDATE of the table, which evaluates them on the new rows.

#include <algorithm>
#include <set>

#include "catalog/catalog.h"
#include "planner/binder/binder.h"
#include "planner/parser/parser.h"
#include "src/common/assert.h"
#include "src/common/sql_error.h"

namespace tessera::planner {

BoundExprPtr Binder::bind_check_expression(const Expr& expr, const std::string& table,
                                           const std::vector<catalog::ColumnDefinition>& columns,
                                           uint32_t table_index) {
  Binder child(*this, false);
  child.scope_ = Scope();
  ScopeEntry entry;
  entry.alias = table;
  for (size_t c = 0; c < columns.size(); c++) {
    entry.names.push_back(columns[c].name);
    entry.types.push_back(columns[c].type);
    entry.bindings.push_back(ColumnBinding{table_index, static_cast<uint32_t>(c)});
    entry.hidden.push_back(false);
  }
  child.scope_.entries.push_back(std::move(entry));
  child.no_aggregates_clause_ = "check constraints";
  BoundExprPtr bound = child.bind_boolean(expr, "CHECK");
  visit_expression(*bound, [&](const BoundExpression& e) {
    if (e.kind == BoundExprKind::kSubquery) {
      throw_at(SqlState::kFeatureNotSupported, "cannot use subquery in check constraint", expr.location);
    }
  });
  return bound;
}

std::vector<catalog::CheckConstraint> Binder::bind_check_constraints(
    const CreateTableStatement& stmt, const std::vector<catalog::ColumnDefinition>& columns) {
  struct Spec {
    const std::string* name;
    const Expr* expr;
    const std::string* text;
    int location;
  };
  std::vector<Spec> specs;
  for (const auto& col : stmt.columns) {
    for (size_t i = 0; i < col.checks.size(); i++) {
      specs.push_back({&col.check_names[i], col.checks[i].get(), &col.check_texts[i], col.location});
    }
  }
  for (const auto& constraint : stmt.constraints) {
    if (constraint.constraint_kind != TableConstraintKind::kCheck) continue;
    specs.push_back({&constraint.name, constraint.check.get(), &constraint.check_text, constraint.location});
  }
  // PostgreSQL names them in the order they are written, columns and table constraints mixed.
  std::stable_sort(specs.begin(), specs.end(), [](const Spec& a, const Spec& b) { return a.location < b.location; });
  const std::string& table = stmt.name.back();
  const uint32_t table_index = next_table_index();
  std::set<std::string> names;
  std::vector<catalog::CheckConstraint> checks;
  for (const auto& spec : specs) {
    BoundExprPtr bound = bind_check_expression(*spec.expr, table, columns, table_index);
    std::string name = *spec.name;
    if (!name.empty()) {
      if (names.count(name)) {
        throw_at(SqlState::kDuplicateObject, "check constraint \"" + name + "\" already exists", spec.location);
      }
    } else {
      std::set<uint32_t> read;
      visit_expression(*bound, [&](const BoundExpression& e) {
        if (e.kind != BoundExprKind::kColumnRef) return;
        const auto& ref = static_cast<const BoundColumnRef&>(e);
        if (ref.binding.table_index == table_index) read.insert(ref.binding.column_index);
      });
      const std::string base = table + (read.size() == 1 ? "_" + columns[*read.begin()].name : "") + "_check";
      name = base;
      for (int suffix = 1; names.count(name); suffix++) name = base + std::to_string(suffix);
    }
    names.insert(name);
    checks.push_back(catalog::CheckConstraint{name, *spec.text});
  }
  return checks;
}

std::vector<BoundExprPtr> Binder::bind_table_checks(const catalog::TableEntry& table, uint32_t& table_index) {
  std::vector<BoundExprPtr> checks;
  if (table.checks().empty()) return checks;
  table_index = next_table_index();
  for (const auto& check : table.checks()) {
    // Stored as text, bound anew (as the table's columns) for each statement that writes rows.
    auto statements = parse_sql("SELECT " + check.expression);
    TS_CHECK(statements.size() == 1 && statements[0]->kind == StatementKind::kSelect, "stored CHECK does not parse");
    const auto& select = *static_cast<const SelectStatement&>(*statements[0]).select;
    TS_CHECK(select.targets.size() == 1, "stored CHECK does not parse");
    checks.push_back(bind_check_expression(*select.targets[0].expr, table.name(), table.columns(), table_index));
  }
  return checks;
}

}  // namespace tessera::planner
