#include "executor/operator/join/physical_index_join.h"

#include <algorithm>

#include "catalog/catalog_entry.h"
#include "executor/expression/expression_executor.h"
#include "executor/key_serializer.h"
#include "executor/operator/scan/physical_index_scan.h"
#include "planner/logical/logical_operator.h"
#include "src/common/assert.h"
#include "storage/data_table.h"
#include "storage/hash_index.h"
#include "storage/transaction.h"

namespace tessera::executor {

using planner::BoundColumnRef;
using planner::BoundExpression;
using planner::BoundExprKind;
using planner::JoinType;

namespace {

/// The cost of one build row of a hash join (read, hashed and inserted), in the units of
/// PhysicalIndexScan::kProbeCost.
constexpr double kBuildCost = 3;

struct IndexJoinGlobalState : GlobalState {
  storage::RowVisibility visibility;  // the rows the query reads, fixed when its pipeline starts
};

struct IndexJoinLocalState : LocalState {
  explicit IndexJoinLocalState(QueryContext& query) : expressions(query) {}
  bool started = false;  // the current input chunk is looked up
  bool tail_done = false;  // its unmatched / decided rows are emitted
  std::vector<std::pair<uint32_t, int64_t>> matches;  // (outer row, inner row id), by outer row
  size_t next = 0;
  std::vector<uint8_t> matched;  // per outer row
  std::vector<Vector> keys;
  KeySerializer serializer;
  std::vector<int64_t> ids;
  DataChunk fetched;
  DataChunk combined;
  ExpressionExecutor expressions;
};

}  // namespace

PhysicalIndexJoin::PhysicalIndexJoin(std::vector<LogicalType> types, JoinType join_type,
                                     std::vector<planner::BoundExprPtr> outer_keys,
                                     std::shared_ptr<catalog::TableEntry> table, std::shared_ptr<storage::HashIndex> index,
                                     std::vector<size_t> column_ids, size_t inner_output_count,
                                     std::vector<planner::BoundExprPtr> inner_filters, planner::BoundExprPtr residual,
                                     std::unique_ptr<PhysicalOperator> outer)
    : PhysicalOperator("INDEX_JOIN", std::move(types)),
      join_type_(join_type),
      outer_keys_(std::move(outer_keys)),
      table_(std::move(table)),
      index_(std::move(index)),
      column_ids_(std::move(column_ids)),
      inner_output_count_(inner_output_count),
      inner_filters_(std::move(inner_filters)),
      residual_(std::move(residual)) {
  if (residual_) residual_conjuncts_.push_back(residual_->copy());
  TS_CHECK(join_type_ == JoinType::kInner || join_type_ == JoinType::kLeft || join_type_ == JoinType::kSemi ||
               join_type_ == JoinType::kAnti,
           "index join of an unsupported type");
  TS_CHECK(outer_keys_.size() == index_->columns().size(), "index join keys do not cover the index");
  for (size_t c : index_->columns()) key_types_.push_back(table_->columns()[c].type);
  for (size_t id : column_ids_) {
    fetch_types_.push_back(id == storage::kRowIdColumn ? LogicalType::bigint() : table_->columns()[id].type);
  }
  combined_types_ = outer->output_types();
  for (size_t j = 0; j < inner_output_count_; j++) combined_types_.push_back(fetch_types_[j]);
  add_child(std::move(outer));
}

std::optional<IndexJoinChoice> PhysicalIndexJoin::choose(const planner::LogicalGet& inner,
                                                         const std::vector<const BoundExpression*>& inner_keys,
                                                         const std::vector<const BoundExpression*>& outer_keys,
                                                         double outer_rows, const catalog::Catalog& catalog,
                                                         const storage::Transaction& txn) {
  if (inner.table == nullptr) return std::nullopt;
  const double table_rows = static_cast<double>(inner.table->storage().estimated_row_count());
  const double hash_cost = table_rows * kBuildCost + outer_rows;
  std::optional<IndexJoinChoice> best;
  double best_cost = hash_cost;
  for (const auto& index : PhysicalIndexScan::usable_indexes(*inner.table, catalog, txn)) {
    IndexJoinChoice choice;
    choice.index = index;
    for (size_t i = 0; i < index->columns().size(); i++) {
      const size_t column = index->columns()[i];
      if (!PhysicalIndexScan::is_key_type(inner.table->columns()[column].type)) break;
      for (size_t p = 0; p < inner_keys.size(); p++) {
        bool widened = false;
        if (PhysicalIndexScan::key_column(*inner_keys[p], *inner.table, inner.table_index, widened) != column) continue;
        // The outer value must serialize as the column's own: the same type as the inner key
        // (the column's, or for a widened integer column an integer the operator narrows).
        if (outer_keys[p]->type.id() != inner_keys[p]->type.id()) continue;
        choice.key_pairs.push_back(p);
        break;
      }
      if (choice.key_pairs.size() != i + 1) break;  // a column no key pair fixes
    }
    if (choice.key_pairs.size() != index->columns().size()) continue;
    const double rows = outer_rows * PhysicalIndexScan::rows_per_key(*inner.table, *index);
    const double cost = outer_rows * PhysicalIndexScan::kProbeCost + rows * PhysicalIndexScan::kFetchCost;
    if (cost >= best_cost) continue;
    best_cost = cost;
    best = std::move(choice);
  }
  return best;
}

std::unique_ptr<GlobalState> PhysicalIndexJoin::make_global_operator(QueryContext& query) const {
  auto state = std::make_unique<IndexJoinGlobalState>();
  state->visibility = query.transaction->row_visibility();
  return state;
}

std::unique_ptr<LocalState> PhysicalIndexJoin::make_local_operator(WorkerContext& worker, GlobalState&) const {
  auto state = std::make_unique<IndexJoinLocalState>(worker.query);
  state->fetched.initialize(fetch_types_);
  state->combined.initialize_empty(combined_types_);
  return state;
}

OperatorResult PhysicalIndexJoin::execute(WorkerContext&, DataChunk& in, DataChunk& out, GlobalState& global,
                                          LocalState& local_state) const {
  auto& local = static_cast<IndexJoinLocalState&>(local_state);
  const storage::DataTable& storage = table_->storage();
  const size_t outer_columns = in.column_count();
  if (!local.started) {
    local.started = true;
    local.tail_done = false;
    local.next = 0;
    local.matches.clear();
    local.matched.assign(in.size(), 0);
    local.keys.resize(outer_keys_.size());
    std::vector<const Vector*> columns;
    for (size_t k = 0; k < outer_keys_.size(); k++) {
      local.expressions.execute(*outer_keys_[k], in, local.keys[k]);
      const LogicalType& key_type = key_types_[k];
      if (local.keys[k].type().id() != key_type.id()) {
        // A wider integer key: narrowed to the column's type; a value beyond it matches nothing.
        Vector narrowed(key_type, std::max<size_t>(in.size(), 1));
        for (size_t r = 0; r < in.size(); r++) {
          const auto value = PhysicalIndexScan::narrow_integer(local.keys[k].get_value(r), key_type);
          narrowed.set_value(r, value ? *value : Value::null(key_type));
        }
        local.keys[k] = std::move(narrowed);
      }
      columns.push_back(&local.keys[k]);
    }
    local.serializer.serialize(columns, in.size());
    std::vector<storage::IndexKey> keys(in.size());
    for (size_t r = 0; r < in.size(); r++) {
      keys[r].bytes = std::string_view(reinterpret_cast<const char*>(local.serializer.key(r)), local.serializer.length(r));
      keys[r].has_null = local.serializer.has_null(r);
    }
    storage.lookup_rows(static_cast<IndexJoinGlobalState&>(global).visibility, *index_, keys, local.matches);
  }
  while (local.next < local.matches.size()) {
    const size_t n = std::min(kVectorSize, local.matches.size() - local.next);
    const auto* batch = local.matches.data() + local.next;
    local.next += n;
    // The batch's inner rows, each fetched once, in row id order.
    local.ids.clear();
    for (size_t i = 0; i < n; i++) local.ids.push_back(batch[i].second);
    std::sort(local.ids.begin(), local.ids.end());
    local.ids.erase(std::unique(local.ids.begin(), local.ids.end()), local.ids.end());
    local.fetched.reset();
    storage.fetch_columns(local.ids.data(), local.ids.size(), column_ids_, local.fetched);
    std::vector<uint8_t> inner_pass(local.ids.size(), 1);
    if (!inner_filters_.empty()) {
      SelectionVector passing;
      const size_t count = local.expressions.select(inner_filters_, local.fetched, passing);
      std::fill(inner_pass.begin(), inner_pass.end(), 0);
      for (size_t i = 0; i < count; i++) inner_pass[passing.get_index(i)] = 1;
    }
    SelectionVector outer_sel(kVectorSize);
    SelectionVector inner_sel(kVectorSize);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
      const auto position =
          static_cast<size_t>(std::lower_bound(local.ids.begin(), local.ids.end(), batch[i].second) - local.ids.begin());
      if (!inner_pass[position]) continue;
      outer_sel.set_index(count, static_cast<sel_t>(batch[i].first));
      inner_sel.set_index(count, static_cast<sel_t>(position));
      count++;
    }
    if (count == 0) continue;
    DataChunk& combined = local.combined;
    for (size_t j = 0; j < outer_columns; j++) combined.column(j).slice(in.column(j), outer_sel, count);
    for (size_t j = 0; j < inner_output_count_; j++) {
      combined.column(outer_columns + j).slice(local.fetched.column(j), inner_sel, count);
    }
    combined.set_size(count);
    if (residual_) {
      SelectionVector passing;
      const size_t kept = local.expressions.select(residual_conjuncts_, combined, passing);
      if (kept == 0) continue;
      // Outer rows of the kept pairs.
      SelectionVector kept_outer(kVectorSize);
      for (size_t i = 0; i < kept; i++) kept_outer.set_index(i, outer_sel.get_index(passing.get_index(i)));
      outer_sel = kept_outer;
      if (kept < count) combined.slice(passing, kept);
      count = kept;
    }
    for (size_t i = 0; i < count; i++) local.matched[outer_sel.get_index(i)] = 1;
    if (join_type_ == JoinType::kInner || join_type_ == JoinType::kLeft) {
      out.reference(combined);
      return OperatorResult::kHaveMoreOutput;
    }
  }
  local.started = false;
  if (join_type_ == JoinType::kInner) return OperatorResult::kNeedMoreInput;
  // LEFT: the outer rows without a match, with NULLs; SEMI / ANTI: the outer rows decided.
  const uint8_t wanted = join_type_ == JoinType::kSemi ? 1 : 0;
  SelectionVector sel(kVectorSize);
  size_t count = 0;
  for (size_t r = 0; r < in.size(); r++) {
    if (local.matched[r] == wanted) sel.set_index(count++, static_cast<sel_t>(r));
  }
  if (count == 0) return OperatorResult::kNeedMoreInput;
  for (size_t j = 0; j < outer_columns; j++) {
    if (count == in.size()) {
      out.column(j).reference(in.column(j));
    } else {
      out.column(j).slice(in.column(j), sel, count);
    }
  }
  for (size_t j = outer_columns; j < out.column_count(); j++) out.column(j).set_constant_null();
  out.set_size(count);
  return OperatorResult::kNeedMoreInput;
}

std::string PhysicalIndexJoin::explain_details() const {
  const char* type = join_type_ == JoinType::kInner  ? "INNER"
                     : join_type_ == JoinType::kLeft ? "LEFT"
                     : join_type_ == JoinType::kSemi ? "SEMI"
                                                     : "ANTI";
  std::string out = std::string(type) + " using " + index_->name() + " on " + table_->name();
  std::string condition;
  for (size_t k = 0; k < outer_keys_.size(); k++) {
    if (k) condition += " AND ";
    condition += "(" + table_->columns()[index_->columns()[k]].name + " = " + outer_keys_[k]->to_string() + ")";
  }
  out += "\nIndex Cond: " + (outer_keys_.size() == 1 ? condition : "(" + condition + ")");
  if (!inner_filters_.empty()) {
    out += "\nFilter: ";
    for (size_t i = 0; i < inner_filters_.size(); i++) out += (i ? " AND " : "") + inner_filters_[i]->to_string();
  }
  if (residual_) out += "\nJoin Filter: " + residual_->to_string();
  return out;
}

}  // namespace tessera::executor
