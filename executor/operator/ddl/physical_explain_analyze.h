#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// EXPLAIN ANALYZE: runs the explained plan (its child) in the same query, profiling every
/// operator, and emits the plan's EXPLAIN text with what each operator did, then the planning
/// and execution times. As a sink it takes the plan's rows and drops them (PostgreSQL does
/// not send them either); its sink state installs the query's QueryProfile before any
/// pipeline runs; its finalize renders the text, which its source role emits one row per line.
class PhysicalExplainAnalyze : public PhysicalOperator {
 public:
  struct Options {
    bool timing = true;   ///< show per-operator times
    bool summary = true;  ///< end with "Planning Time" and "Execution Time" lines
    /// The explained statement writes (INSERT/UPDATE/DELETE/CREATE TABLE AS): its top
    /// operator's rows are the rows it wrote (the query's processed rows).
    bool modifies = false;
    uint64_t planning_nanos = 0;
  };

  PhysicalExplainAnalyze(std::unique_ptr<PhysicalOperator> plan, Options options);

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

 private:
  Options options_;
};

}  // namespace tessera::executor
