#include "executor/operator/setop/physical_union_all.h"

#include "executor/pipeline.h"
#include "src/common/assert.h"

namespace tessera::executor {

PhysicalUnionAll::PhysicalUnionAll(std::vector<LogicalType> types, std::vector<std::unique_ptr<PhysicalOperator>> children)
    : PhysicalOperator("UNION_ALL", std::move(types)) {
  TS_CHECK(children.size() >= 2, "UNION ALL needs two inputs");
  for (auto& child : children) {
    TS_CHECK(child->output_types().size() == types_.size(), "UNION ALL inputs differ in width");
    add_child(std::move(child));
  }
}

void PhysicalUnionAll::build_pipelines(PipelineBuilder& builder, Pipeline& current) const {
  // What the operators above the union wait for, every copy waits for too.
  const std::vector<Pipeline*> above = current.dependencies;
  Pipeline* previous = nullptr;
  for (size_t i = 0; i + 1 < children_.size(); i++) {
    Pipeline& branch = builder.create_pipeline(current.sink);
    branch.operators = current.operators;
    branch.dependencies = above;
    // Children run in order, so an unordered UNION ALL returns its inputs one after another.
    if (previous) branch.dependencies.push_back(previous);
    children_[i]->build_pipelines(builder, branch);
    current.dependencies.push_back(&branch);
    previous = &branch;
  }
  children_.back()->build_pipelines(builder, current);
}

}  // namespace tessera::executor
