#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// EXPLAIN: emits the text of a physical plan (the operator tree with estimated rows, then the
/// pipelines it is cut into), one row per line. The explained plan does not run.
class PhysicalExplain : public PhysicalOperator {
 public:
  explicit PhysicalExplain(std::vector<std::string> lines);

  bool is_source() const override { return true; }
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  /// The EXPLAIN text of `root` (a plan whose root is a sink). With `profile` (EXPLAIN
  /// ANALYZE, after the plan ran) each operator's line ends with what it did:
  /// "(actual rows=N time=X ms)", or "(actual rows=N)" without `timing`, followed by the lines
  /// of its explain_analyze_details.
  static std::vector<std::string> render(const PhysicalOperator& root, const QueryProfile* profile = nullptr,
                                         bool timing = true);
  /// "<label>: 1.234 ms" (the summary lines: Planning Time, Execution Time).
  static std::string milliseconds_line(const char* label, uint64_t nanos);

 private:
  std::vector<std::string> lines_;
};

}  // namespace tessera::executor
