#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "executor/execution_context.h"
#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"

namespace tessera::executor {

class Pipeline;
class PipelineBuilder;
struct OperatorProfile;

enum class OperatorResult : uint8_t { kNeedMoreInput, kHaveMoreOutput, kFinished };
enum class SourceResult : uint8_t { kHaveMoreOutput, kFinished };
/// kBlocked: the sink cannot take `in` now and registered the worker's task to be woken; the
/// pipeline parks its task and offers the same chunk again when it runs next.
enum class SinkResult : uint8_t { kNeedMoreInput, kFinished, kBlocked };

/// Shared by all workers of one pipeline (locks inside); one per operator per query.
struct GlobalState {
  virtual ~GlobalState() = default;
  /// How many workers may run the pipeline this state sources.
  virtual size_t max_threads() const { return 1; }
};

/// Owned by one worker; never locked.
struct LocalState {
  virtual ~LocalState() = default;
};

/// An immutable node of the physical plan. A node may play several roles: a hash join is the
/// sink of its build pipeline and a streaming operator of its probe pipeline. All mutable
/// state lives in Global/Local state objects, so one plan can run on many threads.
class PhysicalOperator {
 public:
  PhysicalOperator(std::string name, std::vector<LogicalType> types) : name_(std::move(name)), types_(std::move(types)) {}
  virtual ~PhysicalOperator() = default;
  PhysicalOperator(const PhysicalOperator&) = delete;
  PhysicalOperator& operator=(const PhysicalOperator&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<LogicalType>& output_types() const { return types_; }
  const std::vector<std::unique_ptr<PhysicalOperator>>& children() const { return children_; }
  void add_child(std::unique_ptr<PhysicalOperator> child) { children_.push_back(std::move(child)); }

  /// Estimated output rows, shown by EXPLAIN.
  double estimated_rows = 0;

  // ---- Source role: produce chunks from morsels the worker claims.
  virtual bool is_source() const { return false; }
  virtual std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const;
  virtual std::unique_ptr<LocalState> make_local_source(WorkerContext& worker, GlobalState& global) const;
  /// Fills `out` (initialized with output_types()) with up to kVectorSize rows.
  virtual SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const;

  // ---- Operator role: chunk in, chunk out. kHaveMoreOutput = call again with the same input.
  virtual bool is_streaming_operator() const { return false; }
  virtual std::unique_ptr<GlobalState> make_global_operator(QueryContext& query) const;
  virtual std::unique_ptr<LocalState> make_local_operator(WorkerContext& worker, GlobalState& global) const;
  virtual OperatorResult execute(WorkerContext& worker, DataChunk& in, DataChunk& out, GlobalState& global,
                                 LocalState& local) const;

  // ---- Sink role: accumulate per worker, combine once per worker, finalize once.
  virtual bool is_sink() const { return false; }
  virtual std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const;
  virtual std::unique_ptr<LocalState> make_local_sink(WorkerContext& worker, GlobalState& global) const;
  virtual SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const;
  /// Merges a worker's local state into the global state; called concurrently by workers.
  virtual void combine(WorkerContext& worker, GlobalState& global, LocalState& local) const;
  /// Called once, single-threaded, after every worker combined.
  virtual void finalize(QueryContext& query, GlobalState& global) const;
  /// A sink whose finalization has independent parts returns how many (0, the default: none).
  /// Called once, single-threaded, after every worker combined; then finalize_part(i) runs for
  /// every i < parts, concurrently on the scheduler's workers, and finalize() runs last.
  virtual size_t prepare_finalize(QueryContext& query, GlobalState& global) const { return 0; }
  virtual void finalize_part(QueryContext& query, GlobalState& global, size_t part) const {}

  /// Cuts the plan into pipelines: the default streams through this operator (child is the
  /// source side). Sinks start a new pipeline for their child and become the source of
  /// `current`.
  virtual void build_pipelines(PipelineBuilder& builder, Pipeline& current) const;

  /// Extra detail for EXPLAIN (expressions, keys).
  virtual std::string explain_details() const { return ""; }

  /// EXPLAIN ANALYZE: adds what a worker's source state counted (a scan's row groups,
  /// segments and bytes) to `profile`, once per worker when its share of the pipeline ends.
  virtual void collect_source_profile(const LocalState& local, OperatorProfile& profile) const {}
  /// EXPLAIN ANALYZE: lines shown under the operator for what `profile` counted beyond rows and
  /// time (one per line, without indentation); empty when nothing.
  virtual std::string explain_analyze_details(const OperatorProfile& profile) const { return ""; }

 protected:
  std::string name_;
  std::vector<LogicalType> types_;
  std::vector<std::unique_ptr<PhysicalOperator>> children_;
};

}  // namespace tessera::executor
