#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/operator/sort/sort_key.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

/// ORDER BY. Sink of its child's pipeline: each worker copies its rows together with the
/// evaluated key columns; combine() moves them to the global state (under its lock); finalize()
/// gathers them into one chunk and sorts a permutation with RowSorter. Source of the next
/// pipeline: emits the rows in order as slices of the sorted rows, on one thread
/// (max_threads 1) so the order survives downstream. Immutable; state lives in Global/Local
/// states.
class PhysicalOrder : public PhysicalOperator {
 public:
  PhysicalOrder(std::vector<LogicalType> types, std::vector<SortKey> keys, std::unique_ptr<PhysicalOperator> child);

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
  std::vector<SortKey> keys_;
};

}  // namespace tessera::executor
