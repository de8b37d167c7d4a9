#include "executor/operator/scan/physical_index_scan.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "catalog/catalog.h"
#include "catalog/catalog_entry.h"
#include "catalog/function_entry.h"
#include "executor/expression/expression_executor.h"
#include "executor/key_serializer.h"
#include "executor/operator/scan/physical_table_scan.h"
#include "planner/logical/logical_operator.h"
#include "src/common/assert.h"
#include "src/common/bpchar.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/table_filter.h"
#include "storage/transaction.h"

namespace tessera::executor {

using planner::BoundCast;
using planner::BoundColumnRef;
using planner::BoundConjunction;
using planner::BoundConstant;
using planner::BoundExpression;
using planner::BoundExprKind;
using planner::BoundExprPtr;
using planner::BoundFunction;

namespace {

/// Lookups are a cartesian product of the key columns' value lists; beyond this many keys the
/// scan is left to read the table.
constexpr size_t kMaxLookupKeys = 4096;

bool is_integer(LogicalTypeId id) {
  return id == LogicalTypeId::kSmallint || id == LogicalTypeId::kInteger || id == LogicalTypeId::kBigint;
}

}  // namespace

std::optional<size_t> PhysicalIndexScan::key_column(const BoundExpression& e, const catalog::TableEntry& table,
                                                   uint32_t table_index, bool& widened) {
  const BoundExpression* inner = &e;
  widened = false;
  if (e.kind == BoundExprKind::kCast) {
    inner = static_cast<const BoundCast&>(e).child.get();
    const bool same =
        e.type.id() == inner->type.id() && (e.type.modifier() == -1 || e.type.modifier() == inner->type.modifier());
    // Only a widening cast: a narrowing one fails on values out of its range, which a
    // lookup would not read.
    if (!same && is_integer(e.type.id()) && is_integer(inner->type.id()) &&
        e.type.physical_size() >= inner->type.physical_size()) {
      widened = true;
    } else if (!same) {
      return std::nullopt;
    }
  }
  if (inner->kind != BoundExprKind::kColumnRef) return std::nullopt;
  const auto& ref = static_cast<const BoundColumnRef&>(*inner);
  if (ref.binding.table_index != table_index || ref.binding.column_index >= table.columns().size()) return std::nullopt;
  return ref.binding.column_index;
}

std::optional<Value> PhysicalIndexScan::narrow_integer(const Value& value, const LogicalType& type) {
  if (value.is_null() || !is_integer(value.type().id())) return std::nullopt;
  const int64_t v = value.get_int64();
  switch (type.id()) {
    case LogicalTypeId::kSmallint:
      if (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max()) return std::nullopt;
      return Value::smallint(static_cast<int16_t>(v));
    case LogicalTypeId::kInteger:
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) return std::nullopt;
      return Value::integer(static_cast<int32_t>(v));
    case LogicalTypeId::kBigint: return Value::bigint(v);
    default: return std::nullopt;
  }
}

std::optional<Value> PhysicalIndexScan::key_value(const Value& value, const LogicalType& type, bool widened) {
  if (!is_key_type(type)) return std::nullopt;
  if (widened) return narrow_integer(value, type);
  if (value.type().id() != type.id()) return std::nullopt;
  if (type.id() == LogicalTypeId::kChar && !value.is_null()) {
    return Value::bpchar(std::string(bpchar_strip(value.get_string())), type.modifier());
  }
  return value;
}

bool PhysicalIndexScan::is_key_type(const LogicalType& type) {
  // Not arrays: equal elements may be spelled differently.
  switch (type.id()) {
    case LogicalTypeId::kBoolean:
    case LogicalTypeId::kSmallint:
    case LogicalTypeId::kInteger:
    case LogicalTypeId::kBigint:
    case LogicalTypeId::kDouble:
    case LogicalTypeId::kReal:
    case LogicalTypeId::kVarchar:
    case LogicalTypeId::kChar:
    case LogicalTypeId::kBytea:
    case LogicalTypeId::kUuid:
    case LogicalTypeId::kNumeric:
    case LogicalTypeId::kDate:
    case LogicalTypeId::kTime:
    case LogicalTypeId::kTimestamp:
    case LogicalTypeId::kTimestampTz:
    case LogicalTypeId::kInterval: return true;
    default: return false;
  }
}

namespace {

/// One `column = value` fact the conjuncts state (several values: `column IN (...)`; for
/// `column = $n` one NULL slot, replaced by the parameter's value when the scan starts).
struct KeyCondition {
  size_t column;
  std::vector<Value> values;  // of the column's type, NULLs left out
  size_t conjunct;            // the conjunct stating it
  std::optional<IndexKeyParameter> parameter;  // `column = $n`: its position is set later
};

struct KeyConditionFinder {
  const catalog::TableEntry& table;
  uint32_t table_index;

  std::optional<size_t> column_of(const BoundExpression& e, bool& widened) const {
    return PhysicalIndexScan::key_column(e, table, table_index, widened);
  }

  std::optional<Value> key_value(const Value& constant, size_t column, bool widened) const {
    return PhysicalIndexScan::key_value(constant, table.columns()[column].type, widened);
  }

  /// `column = constant` (either order), with the built-in equality of the column's type; also
  /// `column = $n` (a correlated subquery's outer value) when `parameter` is given.
  bool equality(const BoundExpression& e, size_t& column, std::optional<Value>& value,
                std::optional<IndexKeyParameter>* parameter = nullptr) const {
    if (e.kind != BoundExprKind::kFunction) return false;
    const auto& f = static_cast<const BoundFunction&>(e);
    const auto op = PhysicalTableScan::comparison_op(f);
    if (!op || *op != storage::CompareOp::kEqual || f.children.size() != 2) return false;
    for (int side = 0; side < 2; side++) {
      bool widened = false;
      auto col = column_of(*f.children[side], widened);
      if (!col) continue;
      const BoundExpression& other = *f.children[1 - side];
      if (other.kind == BoundExprKind::kParameter && parameter != nullptr) {
        const LogicalType& type = table.columns()[*col].type;
        const bool fits = widened ? other.type.id() == LogicalTypeId::kSmallint || other.type.id() == LogicalTypeId::kInteger ||
                                        other.type.id() == LogicalTypeId::kBigint
                                  : other.type.id() == type.id();
        if (!fits || !PhysicalIndexScan::is_key_type(type)) return false;
        column = *col;
        *parameter = IndexKeyParameter{0, static_cast<const planner::BoundParameter&>(other).index, widened};
        value = Value::null(type);  // the slot the parameter's value fills at execution
        return true;
      }
      if (other.kind != BoundExprKind::kConstant) return false;
      const auto& constant = static_cast<const BoundConstant&>(other);
      if (constant.parameter_types != nullptr) return false;
      column = *col;
      value = constant.value.is_null() ? std::optional<Value>(constant.value) : key_value(constant.value, *col, widened);
      return value.has_value();
    }
    return false;
  }

  /// The key condition conjunct `e` states, if any: an equality, or an OR of equalities of one
  /// column (IN). A NULL constant matches nothing and is left out.
  std::optional<KeyCondition> condition(const BoundExpression& e, size_t conjunct) const {
    KeyCondition result;
    result.conjunct = conjunct;
    std::optional<Value> value;
    if (equality(e, result.column, value, &result.parameter)) {
      if (!value->is_null() || result.parameter) result.values.push_back(std::move(*value));
      return result;
    }
    if (e.kind != BoundExprKind::kConjunction || static_cast<const BoundConjunction&>(e).is_and) return std::nullopt;
    std::optional<size_t> in_column;
    for (const auto& child : static_cast<const BoundConjunction&>(e).children) {
      size_t column = 0;
      if (!equality(*child, column, value) || (in_column && *in_column != column)) return std::nullopt;
      in_column = column;
      if (!value->is_null()) result.values.push_back(std::move(*value));
    }
    if (!in_column) return std::nullopt;
    result.column = *in_column;
    return result;
  }
};

void flatten_conjuncts(const BoundExpression& e, std::vector<const BoundExpression*>& out) {
  if (e.kind == BoundExprKind::kConjunction && static_cast<const BoundConjunction&>(e).is_and) {
    for (const auto& child : static_cast<const BoundConjunction&>(e).children) flatten_conjuncts(*child, out);
    return;
  }
  out.push_back(&e);
}

struct IndexScanGlobalState : GlobalState {
  storage::RowVisibility visibility;  // the rows the query reads, fixed when its pipeline starts
  std::atomic<bool> claimed{false};
};

struct IndexScanLocalState : LocalState {
  explicit IndexScanLocalState(QueryContext& query) : expressions(query) {}
  bool owner = false;  // this worker claimed the scan
  std::vector<int64_t> row_ids;  // ascending, distinct
  size_t next = 0;
  DataChunk fetched;
  ExpressionExecutor expressions;
};

}  // namespace

PhysicalIndexScan::PhysicalIndexScan(std::vector<LogicalType> types, std::shared_ptr<catalog::TableEntry> table,
                                     std::shared_ptr<storage::HashIndex> index, std::vector<std::vector<Value>> key_values,
                                     std::vector<size_t> column_ids, size_t output_count,
                                     std::vector<planner::BoundExprPtr> filters, std::vector<IndexKeyParameter> parameters)
    : PhysicalOperator("Index Scan", std::move(types)),
      table_(std::move(table)),
      index_(std::move(index)),
      key_values_(std::move(key_values)),
      parameters_(std::move(parameters)),
      column_ids_(std::move(column_ids)),
      output_count_(output_count),
      filters_(std::move(filters)) {
  TS_CHECK(output_count_ <= column_ids_.size(), "index scan outputs more columns than it fetches");
  for (size_t c : index_->columns()) key_types_.push_back(table_->columns()[c].type);
  if (parameters_.empty()) serialize_keys(key_values_, key_types_, keys_, key_has_null_);
  for (size_t id : column_ids_) {
    fetch_types_.push_back(id == storage::kRowIdColumn ? LogicalType::bigint() : table_->columns()[id].type);
  }
}

void PhysicalIndexScan::serialize_keys(const std::vector<std::vector<Value>>& key_values,
                                       const std::vector<LogicalType>& types, std::vector<std::string>& keys,
                                       std::vector<bool>& has_null) {
  TS_CHECK(key_values.size() == types.size(), "index key values for the wrong number of columns");
  size_t count = 1;
  for (const auto& values : key_values) count *= values.size();
  std::vector<Vector> columns;
  for (const auto& type : types) columns.emplace_back(type, std::max<size_t>(count, 1));
  // Row r takes, for each column c, value (r / stride_c) % size_c: the cartesian product.
  size_t stride = 1;
  for (size_t c = key_values.size(); c-- > 0;) {
    for (size_t r = 0; r < count; r++) columns[c].set_value(r, key_values[c][(r / stride) % key_values[c].size()]);
    stride *= key_values[c].size();
  }
  std::vector<const Vector*> pointers;
  for (const auto& column : columns) pointers.push_back(&column);
  KeySerializer serializer;
  serializer.serialize(pointers, count);
  keys.clear();
  has_null.clear();
  for (size_t r = 0; r < count; r++) {
    keys.emplace_back(reinterpret_cast<const char*>(serializer.key(r)), serializer.length(r));
    has_null.push_back(serializer.has_null(r));
  }
}

std::optional<IndexScanChoice> PhysicalIndexScan::choose(const planner::LogicalGet& get, const catalog::Catalog& catalog,
                                                         const storage::Transaction& txn) {
  if (get.filters.empty() || get.table == nullptr) return std::nullopt;
  std::vector<const BoundExpression*> conjuncts;
  for (const auto& f : get.filters) flatten_conjuncts(*f, conjuncts);
  KeyConditionFinder finder{*get.table, get.table_index};
  std::vector<KeyCondition> conditions;
  for (size_t i = 0; i < conjuncts.size(); i++) {
    if (auto condition = finder.condition(*conjuncts[i], i)) conditions.push_back(std::move(*condition));
  }
  if (conditions.empty()) return std::nullopt;

  const double table_rows = static_cast<double>(get.table->storage().estimated_row_count());
  std::optional<IndexScanChoice> best;
  double best_cost = 0;
  for (const auto& index : usable_indexes(*get.table, catalog, txn)) {
    std::vector<std::vector<Value>> key_values;
    std::vector<IndexKeyParameter> parameters;
    std::vector<size_t> used;
    size_t key_count = 1;
    for (size_t column : index->columns()) {
      // The most selective condition on the column (several are all true of a matching row).
      const KeyCondition* pick = nullptr;
      for (const auto& condition : conditions) {
        if (condition.column == column && (pick == nullptr || condition.values.size() < pick->values.size())) {
          pick = &condition;
        }
      }
      // `col = NULL` matches no row: the scan's filters decide that without a lookup.
      if (pick == nullptr || pick->values.empty()) break;
      if (pick->parameter) {
        parameters.push_back(*pick->parameter);
        parameters.back().position = key_values.size();
      }
      key_values.push_back(pick->values);
      used.push_back(pick->conjunct);
      key_count *= pick->values.size();
      if (key_count > kMaxLookupKeys) break;
    }
    if (key_values.size() != index->columns().size() || key_count > kMaxLookupKeys) continue;
    const double rows = static_cast<double>(key_count) * rows_per_key(*get.table, *index);
    const double cost = static_cast<double>(key_count) * kProbeCost + rows * kFetchCost;
    if (!index->unique() && cost >= table_rows) continue;
    if (best && cost >= best_cost) continue;
    best_cost = cost;
    IndexScanChoice choice;
    choice.index = index;
    choice.key_values = std::move(key_values);
    choice.parameters = std::move(parameters);
    choice.estimated_rows = rows;
    for (size_t i = 0; i < conjuncts.size(); i++) {
      if (std::find(used.begin(), used.end(), i) == used.end()) choice.remaining.push_back(conjuncts[i]->copy());
    }
    best = std::move(choice);
  }
  return best;
}

std::vector<std::shared_ptr<storage::HashIndex>> PhysicalIndexScan::usable_indexes(const catalog::TableEntry& table,
                                                                                   const catalog::Catalog& catalog,
                                                                                   const storage::Transaction& txn) {
  const auto live = table.storage().indexes();
  std::vector<std::shared_ptr<storage::HashIndex>> result;
  for (const auto& entry : catalog.table_indexes(txn, table)) {
    if (!entry->visible_to(txn)) continue;
    if (std::find(live.begin(), live.end(), entry->index()) != live.end()) result.push_back(entry->index());
  }
  return result;
}

double PhysicalIndexScan::rows_per_key(const catalog::TableEntry& table, const storage::HashIndex& index) {
  if (index.unique()) return 1;
  const storage::TableStatistics stats = table.storage().statistics();
  double distinct = 1;
  for (size_t column : index.columns()) distinct *= std::max(1.0, stats.columns[column].distinct_count);
  return std::max(stats.row_count, 1.0) / std::min(distinct, std::max(stats.row_count, 1.0));
}

std::unique_ptr<GlobalState> PhysicalIndexScan::make_global_source(QueryContext& query) const {
  auto state = std::make_unique<IndexScanGlobalState>();
  state->visibility = query.transaction->row_visibility();
  return state;
}

std::unique_ptr<LocalState> PhysicalIndexScan::make_local_source(WorkerContext& worker, GlobalState&) const {
  auto state = std::make_unique<IndexScanLocalState>(worker.query);
  state->fetched.initialize(fetch_types_);
  return state;
}

SourceResult PhysicalIndexScan::get_data(WorkerContext& worker, DataChunk& out, GlobalState& global_state,
                                         LocalState& local_state) const {
  auto& global = static_cast<IndexScanGlobalState&>(global_state);
  auto& local = static_cast<IndexScanLocalState&>(local_state);
  const storage::DataTable& storage = table_->storage();
  if (!local.owner) {
    // The one morsel: the first worker to ask does the whole lookup.
    if (global.claimed.exchange(true)) return SourceResult::kFinished;
    local.owner = true;
    // With parameters (a correlated subquery's outer values) the keys are made now.
    std::vector<std::string> parameter_keys;
    std::vector<bool> parameter_key_has_null;
    if (!parameters_.empty()) {
      std::vector<std::vector<Value>> values = key_values_;
      TS_CHECK(worker.query.parameters != nullptr, "index scan parameter without a value");
      for (const auto& parameter : parameters_) {
        TS_CHECK(parameter.index < worker.query.parameters->size(), "index scan parameter without a value");
        const Value& value = (*worker.query.parameters)[parameter.index];
        const LogicalType& type = key_types_[parameter.position];
        TS_CHECK(value.is_null() || parameter.widened || value.type().id() == type.id(),
                 "index scan parameter of another type");
        // NULL, or an integer beyond the column's type: no key matches.
        auto key = value.is_null() ? std::nullopt : key_value(value, type, parameter.widened);
        values[parameter.position].assign(key ? 1 : 0, key ? *key : value);
      }
      serialize_keys(values, key_types_, parameter_keys, parameter_key_has_null);
    }
    const auto& key_bytes = parameters_.empty() ? keys_ : parameter_keys;
    const auto& key_has_null = parameters_.empty() ? key_has_null_ : parameter_key_has_null;
    std::vector<storage::IndexKey> keys(key_bytes.size());
    for (size_t k = 0; k < key_bytes.size(); k++) keys[k] = storage::IndexKey{key_bytes[k], key_has_null[k]};
    std::vector<std::pair<uint32_t, int64_t>> found;
    storage.lookup_rows(global.visibility, *index_, keys, found);
    local.row_ids.reserve(found.size());
    for (const auto& [key, row_id] : found) local.row_ids.push_back(row_id);
    // Row id order reads storage window by window; equal keys (IN (1, 1)) give a row once.
    std::sort(local.row_ids.begin(), local.row_ids.end());
    local.row_ids.erase(std::unique(local.row_ids.begin(), local.row_ids.end()), local.row_ids.end());
  }
  while (local.next < local.row_ids.size()) {
    const size_t n = std::min(kVectorSize, local.row_ids.size() - local.next);
    local.fetched.reset();
    storage.fetch_columns(local.row_ids.data() + local.next, n, column_ids_, local.fetched);
    local.next += n;
    SelectionVector sel;
    size_t count = n;
    if (!filters_.empty()) {
      count = local.expressions.select(filters_, local.fetched, sel);
      if (count == 0) continue;
    }
    for (size_t j = 0; j < output_count_; j++) {
      if (count == n) {
        out.column(j).reference(local.fetched.column(j));
      } else {
        out.column(j).slice(local.fetched.column(j), sel, count);
      }
    }
    out.set_size(count);
    return SourceResult::kHaveMoreOutput;
  }
  return SourceResult::kFinished;
}

std::string PhysicalIndexScan::explain_details() const {
  std::string out = "using " + index_->name() + " on " + table_->name();
  std::vector<std::string> parts;
  for (size_t k = 0; k < key_values_.size(); k++) {
    const std::string& column = table_->columns()[index_->columns()[k]].name;
    const auto& values = key_values_[k];
    const auto parameter = std::find_if(parameters_.begin(), parameters_.end(),
                                        [&](const IndexKeyParameter& p) { return p.position == k; });
    if (parameter != parameters_.end()) {
      parts.push_back("(" + column + " = $" + std::to_string(parameter->index + 1) + ")");
      continue;
    }
    if (values.size() == 1) {
      parts.push_back("(" + column + " = " + storage::sql_literal(values[0]) + ")");
      continue;
    }
    std::string list;
    for (size_t i = 0; i < values.size(); i++) list += (i ? ", " : "") + storage::sql_literal(values[i]);
    parts.push_back("(" + column + " = ANY (ARRAY[" + list + "]))");
  }
  std::string condition;
  for (size_t i = 0; i < parts.size(); i++) condition += (i ? " AND " : "") + parts[i];
  out += "\nIndex Cond: " + (parts.size() == 1 ? condition : "(" + condition + ")");
  if (!filters_.empty()) {
    out += "\nFilter: ";
    for (size_t i = 0; i < filters_.size(); i++) out += (i ? " AND " : "") + filters_[i]->to_string();
  }
  return out;
}

}  // namespace tessera::executor
