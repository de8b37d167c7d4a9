#pragma once

#include <map>
#include <memory>

#include "executor/execution_context.h"
#include "executor/physical_operator.h"
#include "executor/pipeline.h"

namespace tessera::executor {

/// Runs one physical plan: cuts it into pipelines, creates the operators' global states and
/// runs every pipeline in dependency order, each on up to query.max_threads workers of the
/// scheduler (or inline on the calling thread when max_threads is 1). Not thread-safe: one
/// per execution.
class QueryExecutor : public StateRegistry {
 public:
  /// `root` must be a sink (result collector, insert, ...).
  QueryExecutor(const PhysicalOperator& root, QueryContext& query);
  ~QueryExecutor() override;

  /// Runs the plan to completion. Errors of any worker are rethrown here after all stopped.
  void execute();

  GlobalState& sink_state(const PhysicalOperator& op) override;

 private:
  void run_pipeline(const Pipeline& pipeline);

  const PhysicalOperator& root_;
  QueryContext& query_;
  std::unique_ptr<PipelineBuilder> pipelines_;
  std::map<const PhysicalOperator*, std::unique_ptr<GlobalState>> sink_states_;
};

}  // namespace tessera::executor
