#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "executor/operator/sort/sort_key.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

/// ORDER BY ... LIMIT limit OFFSET offset. Sink of its child's pipeline: each worker keeps
/// only its best limit + offset rows (it buffers rows and, whenever the buffer exceeds that
/// bound by a chunk or by the bound itself, keeps the best with a partial sort); combine()
/// moves them to the global state under its lock; finalize() picks the global best. Source:
/// emits rows [offset, offset + limit) of the order, on one thread (max_threads 1).
/// Immutable; state lives in Global/Local states.
class PhysicalTopN : public PhysicalOperator {
 public:
  PhysicalTopN(std::vector<LogicalType> types, std::vector<SortKey> keys, int64_t limit, int64_t offset,
               std::unique_ptr<PhysicalOperator> child);

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  std::string explain_details() const override;

 private:
  /// How many rows each worker keeps: limit + offset (saturated).
  size_t keep_count() const;

  std::vector<SortKey> keys_;
  int64_t limit_;
  int64_t offset_;
};

}  // namespace tessera::executor
