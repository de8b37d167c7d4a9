#pragma once

#include <mutex>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// The root sink of every plan. In streaming mode it hands chunks to the query's
/// ResultReceiver as they arrive (under a lock); in collecting mode it keeps copies of them
/// (subqueries, statement results the session reads), stopping the query once `max_rows` are
/// kept.
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

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;

 private:
  Mode mode_;
  size_t max_rows_;
};

}  // namespace tessera::executor
