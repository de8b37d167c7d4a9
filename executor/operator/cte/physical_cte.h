#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "executor/chunk_collection.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

/// A materialized WITH query. children()[0] produces the CTE's rows (for WITH RECURSIVE: the
/// non-recursive term), children()[1] is the rest of the query, which reads the stored rows
/// through PhysicalCteScans; its output is children()[1]'s.
///
/// build_pipelines: the CTE's rows are the sink of their own pipeline, which every pipeline of
/// the rest of the query depends on, so they are stored before anything reads them; the
/// operator then takes no part in children()[1]'s pipelines.
///
/// WITH RECURSIVE: `recursive` (children()[2], a collecting result plan) is the recursive term;
/// its working-table scans read the rows the previous iteration added. finalize() runs it again
/// and again, inline on the finalizing worker (each run a nested query whose parent is this
/// one), until an iteration adds no row; with UNION (not ALL) a row already produced is not
/// added again. A runaway recursion ends only when the query is cancelled (57014), as in
/// PostgreSQL. Immutable; the rows live in the global sink state.
class PhysicalCte : public PhysicalOperator {
 public:
  /// Global sink state: the stored rows, read by PhysicalCteScan.
  struct State : GlobalState {
    ChunkCollection rows;
    /// The rows the last iteration added (recursive CTEs).
    ChunkCollection working;
    std::mutex mutex;
  };

  PhysicalCte(std::string name, std::vector<LogicalType> cte_types, std::vector<LogicalType> output_types);

  /// Sets the children: the definition (or non-recursive term) and the rest of the query.
  void set_inputs(std::unique_ptr<PhysicalOperator> definition, std::unique_ptr<PhysicalOperator> main);
  /// Makes this a recursive CTE with the given recursive term (a collecting root plan).
  void set_recursive_term(std::unique_ptr<PhysicalOperator> recursive, bool union_all);
  const std::vector<LogicalType>& cte_types() const { return cte_types_; }

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;
  void finalize(QueryContext& query, GlobalState& global) const override;

  void build_pipelines(PipelineBuilder& builder, Pipeline& current) const override;
  std::string explain_details() const override;

 private:
  std::string cte_name_;
  std::vector<LogicalType> cte_types_;
  bool recursive_ = false;
  bool union_all_ = true;
};

/// Reads the stored rows of a PhysicalCte (or, in its recursive term, the working table: the
/// rows of the previous iteration). Source; workers claim whole stored chunks, which are
/// referenced, not copied. Immutable.
class PhysicalCteScan : public PhysicalOperator {
 public:
  PhysicalCteScan(const PhysicalCte& cte, std::string name, bool working_table);

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override;

 private:
  const PhysicalCte& cte_;
  std::string cte_name_;
  bool working_table_;
};

}  // namespace tessera::executor
