#pragma once

#include <memory>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// Source -> Operator* -> Sink. Runs on many workers; a pipeline starts once every pipeline
/// it depends on has finished (its sink finalized).
class Pipeline {
 public:
  const PhysicalOperator* source = nullptr;
  std::vector<const PhysicalOperator*> operators;
  const PhysicalOperator* sink = nullptr;
  std::vector<Pipeline*> dependencies;
};

/// Owns the pipelines of one plan and the global states of their operators.
class PipelineBuilder {
 public:
  /// Creates a pipeline ending in `sink` (its source and operators are filled in by build_pipelines).
  Pipeline& create_pipeline(const PhysicalOperator* sink);
  /// Builds the pipelines of `root` (a sink), returns them in an order that respects dependencies.
  static std::unique_ptr<PipelineBuilder> build(const PhysicalOperator& root);

  const std::vector<std::unique_ptr<Pipeline>>& pipelines() const { return pipelines_; }
  /// Pipelines ordered so each comes after all its dependencies.
  std::vector<Pipeline*> schedule_order() const;

 private:
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
};

}  // namespace tessera::executor
