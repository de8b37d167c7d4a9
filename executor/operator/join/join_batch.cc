#include "executor/operator/join/join_batch.h"

#include <algorithm>

#include "src/common/sql_error.h"

namespace tessera::executor {

size_t JoinBatch::emit(ExpressionExecutor& expressions, const planner::BoundExpression* condition, const DataChunk& probe,
                       const ColumnarRows& build, size_t build_columns, size_t count, uint8_t* matched, DataChunk& out,
                       std::atomic<uint8_t>* build_matched) {
  if (count == 0) {
    out.set_size(0);
    return 0;
  }
  const size_t left_columns = probe.column_count();
  DataChunk pairs;
  DataChunk& target = condition ? pairs : out;
  if (condition) pairs.columns().resize(left_columns + build_columns);
  for (size_t c = 0; c < left_columns; c++) target.column(c).slice(probe.column(c), left_, count);
  for (size_t c = 0; c < build_columns; c++) target.column(left_columns + c).slice(build.column(c), right_, count);
  target.set_size(count);
  if (!condition) {
    for (size_t i = 0; i < count; i++) set_matched(matched, left_.get_index(i));
    if (build_matched) {
      for (size_t i = 0; i < count; i++) build_matched[right_.get_index(i)].store(1, std::memory_order_relaxed);
    }
    return count;
  }
  const size_t selected = expressions.eval_select(*condition, pairs, nullptr, count, selected_.data());
  for (size_t i = 0; i < selected; i++) set_matched(matched, left_.get_index(selected_.get_index(i)));
  if (build_matched) {
    for (size_t i = 0; i < selected; i++) {
      build_matched[right_.get_index(selected_.get_index(i))].store(1, std::memory_order_relaxed);
    }
  }
  if (selected == 0) {
    out.set_size(0);
  } else {
    out.slice(pairs, selected_, selected);
  }
  return selected;
}

void JoinBatch::set_matched(uint8_t* matched, sel_t row) const {
  if (single_match_ && matched[row]) {
    throw SqlError(SqlState::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  }
  matched[row] = 1;
}

DataChunk JoinBatch::pair_chunk(const DataChunk& probe, const ColumnarRows& build, size_t build_columns,
                                size_t count) const {
  const size_t left_columns = probe.column_count();
  DataChunk pairs;
  pairs.columns().resize(left_columns + build_columns);
  for (size_t c = 0; c < left_columns; c++) pairs.column(c).slice(probe.column(c), left_, count);
  for (size_t c = 0; c < build_columns; c++) pairs.column(left_columns + c).slice(build.column(c), right_, count);
  pairs.set_size(count);
  return pairs;
}

size_t JoinBatch::emit_unmatched_build_rows(const std::atomic<uint8_t>* matched, const ColumnarRows& build,
                                            size_t build_columns, size_t num_rows, size_t left_columns, size_t& next_row,
                                          DataChunk& out) {
  SelectionVector rows(kVectorSize);
  size_t count = 0;
  while (next_row < num_rows && count < kVectorSize) {
    if (!matched[next_row].load(std::memory_order_relaxed)) rows.set_index(count++, static_cast<sel_t>(next_row));
    next_row++;
  }
  if (count == 0) return 0;
  for (size_t c = 0; c < left_columns; c++) out.column(c).set_constant_null();
  for (size_t c = 0; c < build_columns; c++) out.column(left_columns + c).slice(build.column(c), rows, count);
  out.set_size(count);
  return count;
}

void JoinBatch::mark(ExpressionExecutor& expressions, const planner::BoundExpression* condition, const DataChunk& probe,
                     const ColumnarRows& build, size_t build_columns, size_t count, uint8_t* matched) {
  if (count == 0) return;
  if (!condition) {
    for (size_t i = 0; i < count; i++) matched[left_.get_index(i)] = 1;
    return;
  }
  DataChunk pairs = pair_chunk(probe, build, build_columns, count);
  const size_t selected = expressions.eval_select(*condition, pairs, nullptr, count, selected_.data());
  for (size_t i = 0; i < selected; i++) matched[left_.get_index(selected_.get_index(i))] = 1;
}

void JoinBatch::mark_three_valued(ExpressionExecutor& expressions, const planner::BoundExpression* condition,
                                  const DataChunk& probe, const ColumnarRows& build, size_t build_columns, size_t count,
                                  uint8_t* matched, uint8_t* unknown) {
  if (count == 0) return;
  if (!condition) {
    for (size_t i = 0; i < count; i++) matched[left_.get_index(i)] = 1;
    return;
  }
  DataChunk pairs = pair_chunk(probe, build, build_columns, count);
  Vector result;
  expressions.execute(*condition, pairs, result);
  UnifiedVectorFormat f;
  result.to_unified(count, f);
  const uint8_t* values = f.values<uint8_t>();
  for (size_t i = 0; i < count; i++) {
    const size_t at = f.sel.get_index(i);
    const size_t row = left_.get_index(i);
    if (!f.validity->row_is_valid(at)) {
      unknown[row] = 1;
    } else if (values[at] != 0) {
      matched[row] = 1;
    }
  }
}

size_t JoinBatch::emit_marked(const DataChunk& probe, const uint8_t* matched, const uint8_t* unknown, DataChunk& out) {
  const size_t n = probe.size();
  const size_t left_columns = probe.column_count();
  for (size_t c = 0; c < left_columns; c++) out.column(c).reference(probe.column(c));
  Vector& mark = out.column(left_columns);
  mark = Vector(LogicalType::boolean(), std::max<size_t>(n, 1));
  uint8_t* values = mark.mutable_values<uint8_t>();
  for (size_t i = 0; i < n; i++) {
    values[i] = matched[i] != 0 ? 1 : 0;
    if (matched[i] == 0 && unknown && unknown[i] != 0) mark.mutable_validity().set_invalid(i);
  }
  out.set_size(n);
  return n;
}

size_t JoinBatch::emit_probe_rows(const DataChunk& probe, const uint8_t* matched, uint8_t want, DataChunk& out) {
  const size_t n = probe.size();
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    if ((matched[i] != 0) == (want != 0)) left_.set_index(count++, static_cast<sel_t>(i));
  }
  if (count == 0) {
    out.set_size(0);
    return 0;
  }
  const size_t left_columns = probe.column_count();
  for (size_t c = 0; c < left_columns; c++) {
    if (count == n) {
      out.column(c).reference(probe.column(c));
    } else {
      out.column(c).slice(probe.column(c), left_, count);
    }
  }
  for (size_t c = left_columns; c < out.column_count(); c++) out.column(c).set_constant_null();
  out.set_size(count);
  return count;
}

}  // namespace tessera::executor
