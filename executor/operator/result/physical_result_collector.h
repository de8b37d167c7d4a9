#pragma once

#include <mutex>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// The root sink of every plan. In streaming mode it offers chunks to the query's bounded
/// ResultQueue, which the statement thread drains to the client; when the queue is full the
/// producing task parks (kBlocked) instead of blocking its worker. In collecting mode it keeps
/// copies of the chunks (subqueries, EXPLAIN), stopping the query once `max_rows` are kept.
/// Streamed rows are the statement's rows: they count into the query's processed_rows.
class PhysicalResultCollector : public PhysicalOperator {
 public:
  enum class Mode : uint8_t { kStream, kCollect };

  /// The collector's state after the run: row count and, when collecting, the rows.
  struct State : GlobalState {
    std::mutex mutex;
    size_t row_count = 0;
    std::vector<DataChunk> chunks;
  };

  PhysicalResultCollector(Mode mode, size_t max_rows, std::unique_ptr<PhysicalOperator> child);

  Mode mode() const { return mode_; }
  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;

 private:
  Mode mode_;
  size_t max_rows_;
};

}  // namespace tessera::executor
