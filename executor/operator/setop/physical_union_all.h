#pragma once

#include <memory>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// UNION ALL of its children (two or more, all producing output_types()), streamed: it takes no
/// role in a pipeline of its own. build_pipelines gives every child but the last a copy of the
/// pipeline the union sits in (the same operators above it and the same sink), scheduled one
/// after another and before the original, which the last child feeds; so rows flow straight
/// from each child into the operators above, child by child, and nothing is materialized.
/// Only the last pipeline of a shared sink finalizes it (QueryExecutor). Immutable.
class PhysicalUnionAll : public PhysicalOperator {
 public:
  PhysicalUnionAll(std::vector<LogicalType> types, std::vector<std::unique_ptr<PhysicalOperator>> children);

  void build_pipelines(PipelineBuilder& builder, Pipeline& current) const override;
};

}  // namespace tessera::executor
