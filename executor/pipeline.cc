#include "executor/pipeline.h"

#include <functional>
#include <set>

#include "src/common/assert.h"

namespace tessera::executor {

Pipeline& PipelineBuilder::create_pipeline(const PhysicalOperator* sink) {
  pipelines_.push_back(std::make_unique<Pipeline>());
  pipelines_.back()->sink = sink;
  return *pipelines_.back();
}

std::unique_ptr<PipelineBuilder> PipelineBuilder::build(const PhysicalOperator& root) {
  auto builder = std::make_unique<PipelineBuilder>();
  TS_CHECK(root.is_sink(), "plan root must be a sink");
  Pipeline& top = builder->create_pipeline(&root);
  TS_CHECK(root.children().size() == 1, "plan root must have one child");
  root.children()[0]->build_pipelines(*builder, top);
  return builder;
}

std::vector<Pipeline*> PipelineBuilder::schedule_order() const {
  std::vector<Pipeline*> order;
  std::set<const Pipeline*> done;
  std::function<void(Pipeline*)> visit = [&](Pipeline* p) {
    if (done.count(p)) return;
    for (Pipeline* dep : p->dependencies) visit(dep);
    done.insert(p);
    order.push_back(p);
  };
  for (const auto& p : pipelines_) visit(p.get());
  return order;
}

}  // namespace tessera::executor
