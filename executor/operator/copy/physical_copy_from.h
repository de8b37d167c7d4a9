#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/operator/copy/copy_reader.h"
#include "executor/physical_operator.h"
#include "planner/logical/logical_copy_from.h"

namespace tessera::executor {

/// The rows of COPY FROM input (text or CSV). The first worker validates the input as UTF-8
/// and splits it into blocks of whole rows (a single pass over the bytes); then every worker
/// claims blocks and parses their rows into chunks: the fields of up to kVectorSize rows go
/// into one text vector per column, which is cast to the column's type with the type's text
/// input (the cast from text) a column at a time. A value that fails is reported with
/// PostgreSQL's error and CONTEXT line (`COPY t, line 3, column b: "x"`), found by retrying
/// that chunk's rows one at a time in row order. The parsed chunks go to the sink in input
/// order (block by block), so the table keeps the input's row order, and the first error in
/// input order is the one reported (a bad value, or a constraint the sink checks).
class PhysicalCopyFrom : public PhysicalOperator {
 public:
  /// Input blocks are about this many bytes.
  static constexpr size_t kBlockBytes = 1 << 20;

  PhysicalCopyFrom(std::vector<LogicalType> types, std::vector<std::string> names, std::string table_name,
                   CopyFormat format, std::shared_ptr<const planner::CopyInput> input);

  bool is_source() const override { return true; }
  std::unique_ptr<GlobalState> make_global_source(QueryContext& query) const override;
  std::unique_ptr<LocalState> make_local_source(WorkerContext& worker, GlobalState& global) const override;
  SourceResult get_data(WorkerContext& worker, DataChunk& out, GlobalState& global, LocalState& local) const override;
  std::string explain_details() const override { return table_name_; }
  /// The rows of the chunk handed on last, for the insert's constraint errors.
  const std::shared_ptr<CopyRowContexts>& row_contexts() const { return row_contexts_; }

 private:
  /// Parses the rows of `block` into chunks of up to kVectorSize rows, appended to `chunks`;
  /// throws for a bad row (the chunks of the rows before its chunk stay in `chunks`).
  void parse_block(LocalState& local, const CopyBlock& block, std::vector<DataChunk>& chunks,
                   std::vector<std::vector<CopyRowContexts::Row>>& rows) const;

  std::vector<std::string> names_;
  std::string table_name_;
  CopyFormat format_;
  std::shared_ptr<const planner::CopyInput> input_;
  std::shared_ptr<CopyRowContexts> row_contexts_;
};

}  // namespace tessera::executor
