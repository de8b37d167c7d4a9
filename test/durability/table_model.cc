#include "test/durability/table_model.h"

#include <algorithm>
#include <stdexcept>

namespace tessera::durability {

const char* sql_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::kBool: return "boolean";
    case ColumnType::kBigint: return "bigint";
    case ColumnType::kInt: return "integer";
    case ColumnType::kText: return "text";
    case ColumnType::kDouble: return "double precision";
    case ColumnType::kDate: return "date";
    case ColumnType::kNumeric: return "numeric(12,2)";
  }
  return "?";
}

int TableModel::find_column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const TableModel* DatabaseModel::find(const std::string& name) const {
  const auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

TableModel& DatabaseModel::edit(const std::string& name) {
  const auto it = tables_.find(name);
  if (it == tables_.end()) throw std::logic_error("model: no table " + name);
  if (it->second.use_count() > 1) it->second = std::make_shared<TableModel>(*it->second);
  return *it->second;
}

void DatabaseModel::create(const std::string& name, TableModel table) {
  tables_[name] = std::make_shared<TableModel>(std::move(table));
}

void DatabaseModel::drop(const std::string& name) { tables_.erase(name); }

void DatabaseModel::rename(const std::string& from, const std::string& to) {
  auto node = tables_.extract(from);
  if (node.empty()) throw std::logic_error("model: no table " + from);
  node.key() = to;
  tables_.insert(std::move(node));
}

void sort_rows(std::vector<Row>& rows) { std::sort(rows.begin(), rows.end()); }

std::string format_row(const Row& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ", ";
    if (!row[i]) {
      out += "NULL";
      continue;
    }
    out += '\'';
    for (const char c : *row[i]) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else {
        out += c;
      }
    }
    out += '\'';
  }
  return out + ")";
}

}  // namespace tessera::durability
