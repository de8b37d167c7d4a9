#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "executor/chunk_collection.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

class GroupHashTable;
class KeySerializer;

/// A materialized WITH query. children()[0] produces the CTE's rows (for WITH RECURSIVE: the
/// non-recursive term), children()[1] is the rest of the query, which reads the stored rows
/// through PhysicalCteScans; its output is children()[1]'s.
///
/// build_pipelines: the CTE's rows are the sink of their own pipeline, which every pipeline of
/// the rest of the query depends on, so they are stored before anything reads them; the
/// operator then takes no part in children()[1]'s pipelines.
///
/// WITH RECURSIVE: `recursive` (children()[2], a collecting result plan) is the recursive term;
/// its working-table scans read the rows the previous iteration added. The recursion is driven
/// by demand, as in PostgreSQL: the stored rows start as the non-recursive term's, and a scan
/// that has read every stored row runs the next iteration (inline on its worker, a nested
/// query whose parent is this one, under the state's lock) before reading on, until an
/// iteration adds no row. So a reader that stops early (LIMIT) stops the recursion, and an
/// unbounded recursion under a LIMIT ends. With UNION (not ALL) a row already produced is not
/// added again. A runaway recursion read to its end ends only when the query is cancelled
/// (57014), as in PostgreSQL. Immutable; the rows live in the global sink state.
class PhysicalCte : public PhysicalOperator {
 public:
  /// Global sink state: the stored rows, read by PhysicalCteScan.
  struct State : GlobalState {
    State();
    ~State() override;
    ChunkCollection rows;
    /// The rows the last iteration added (recursive CTEs).
    ChunkCollection working;
    /// Recursive CTEs: true once an iteration added no row (every row is stored).
    bool complete = true;
    /// UNION: the rows produced so far.
    std::unique_ptr<GroupHashTable> seen;
    std::unique_ptr<KeySerializer> keys;
    /// Guards everything above once the definition's pipeline has finished.
    std::mutex mutex;
  };

  PhysicalCte(std::string name, std::vector<LogicalType> cte_types, std::vector<LogicalType> output_types);

  /// Sets the children: the definition (or non-recursive term) and the rest of the query.
  void set_inputs(std::unique_ptr<PhysicalOperator> definition, std::unique_ptr<PhysicalOperator> main);
  /// Makes this a recursive CTE with the given recursive term (a collecting root plan).
  void set_recursive_term(std::unique_ptr<PhysicalOperator> recursive, bool union_all);
  const std::vector<LogicalType>& cte_types() const { return cte_types_; }
  /// Recursive CTEs: runs the recursive term once over the working table, stores the rows it
  /// adds and makes them the working table; marks the state complete when there are none.
  /// The caller holds state.mutex.
  void iterate(QueryContext& query, State& state) const;

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
