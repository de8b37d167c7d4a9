#include "executor/physical_operator.h"

#include "executor/pipeline.h"
#include "src/common/assert.h"

namespace tessera::executor {

namespace {

[[noreturn]] void no_role(const std::string& name, const char* role) {
  internal_error(__FILE__, __LINE__, "operator " + name + " has no " + role + " role");
}

}  // namespace

std::unique_ptr<GlobalState> PhysicalOperator::make_global_source(QueryContext&) const {
  return std::make_unique<GlobalState>();
}

std::unique_ptr<LocalState> PhysicalOperator::make_local_source(WorkerContext&, GlobalState&) const {
  return std::make_unique<LocalState>();
}

SourceResult PhysicalOperator::get_data(WorkerContext&, DataChunk&, GlobalState&, LocalState&) const {
  no_role(name_, "source");
}

std::unique_ptr<GlobalState> PhysicalOperator::make_global_operator(QueryContext&) const {
  return std::make_unique<GlobalState>();
}

std::unique_ptr<LocalState> PhysicalOperator::make_local_operator(WorkerContext&, GlobalState&) const {
  return std::make_unique<LocalState>();
}

OperatorResult PhysicalOperator::execute(WorkerContext&, DataChunk&, DataChunk&, GlobalState&, LocalState&) const {
  no_role(name_, "operator");
}

std::unique_ptr<GlobalState> PhysicalOperator::make_global_sink(QueryContext&) const {
  return std::make_unique<GlobalState>();
}

std::unique_ptr<LocalState> PhysicalOperator::make_local_sink(WorkerContext&, GlobalState&) const {
  return std::make_unique<LocalState>();
}

SinkResult PhysicalOperator::sink(WorkerContext&, DataChunk&, GlobalState&, LocalState&) const { no_role(name_, "sink"); }

void PhysicalOperator::combine(WorkerContext&, GlobalState&, LocalState&) const {}

void PhysicalOperator::finalize(QueryContext&, GlobalState&) const {}

void PhysicalOperator::build_pipelines(PipelineBuilder& builder, Pipeline& current) const {
  if (is_sink()) {
    // This operator ends a pipeline fed by its child, and is the source of `current`.
    current.source = this;
    Pipeline& child_pipeline = builder.create_pipeline(this);
    current.dependencies.push_back(&child_pipeline);
    TS_CHECK(children_.size() == 1, "sink " + name_ + " must have one child");
    children_[0]->build_pipelines(builder, child_pipeline);
    return;
  }
  if (is_source() && children_.empty()) {
    current.source = this;
    return;
  }
  TS_CHECK(is_streaming_operator() && children_.size() == 1, "cannot place operator " + name_ + " in a pipeline");
  current.operators.insert(current.operators.begin(), this);
  children_[0]->build_pipelines(builder, current);
}

}  // namespace tessera::executor
