#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "executor/physical_operator.h"

namespace tessera::executor {

/// LIMIT / OFFSET without ORDER BY (or after an ORDER whose single-threaded source keeps the
/// order). Sink of its child's pipeline: keeps rows [offset, offset + limit) in arrival order
/// (under the global lock, so concurrent workers interleave in some order, which SQL allows)
/// and answers kFinished as soon as it has enough, which stops the child pipeline early.
/// Source of the next pipeline: emits the kept rows in order, on one thread.
/// WITH TIES (`tie_columns` not empty; the input arrives sorted on one thread): also keeps the
/// rows after the last wanted one whose tie columns equal its, and finishes at the first that
/// differs.
/// Immutable; state lives in Global states.
class PhysicalLimit : public PhysicalOperator {
 public:
  /// `limit` empty = no limit (OFFSET only).
  PhysicalLimit(std::vector<LogicalType> types, std::optional<int64_t> limit, int64_t offset,
                std::unique_ptr<PhysicalOperator> child, std::vector<size_t> tie_columns = {});

  bool is_sink() const override { return true; }
  std::unique_ptr<GlobalState> make_global_sink(QueryContext& query) const override;
  SinkResult sink(WorkerContext& worker, DataChunk& in, GlobalState& global, LocalState& local) const override;

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;

  std::string explain_details() const override;

 private:
  /// Keeps the rows of `in` (whose first row is input row `first_row`) that tie with row
  /// `end` - 1 from row `end` on; sets the state's `ties_done` at the first row that does not.
  void keep_ties(GlobalState& global, const DataChunk& in, uint64_t first_row, uint64_t end) const;

  std::optional<int64_t> limit_;
  int64_t offset_;
  std::vector<size_t> tie_columns_;
};

}  // namespace tessera::executor
