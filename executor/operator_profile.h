#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include "storage/table_scan_state.h"

namespace tessera::executor {

class PhysicalOperator;

/// What one operator did in a query (EXPLAIN ANALYZE), summed over its roles (source,
/// streaming operator, sink) and over every worker that ran them.
struct OperatorProfile {
  uint64_t rows_out = 0;  ///< rows produced as a source or streaming operator
  uint64_t rows_in = 0;   ///< rows taken in as a sink
  bool produces = false;  ///< the operator is a source or streaming operator of some pipeline
  uint64_t nanos = 0;     ///< time spent in the operator's own calls, summed over workers
  /// What a table scan read (row groups, segments, bytes), when the operator is one.
  std::optional<storage::ScanStatistics> scan;

  /// The rows EXPLAIN ANALYZE shows: the rows produced, or taken in for a pure sink.
  uint64_t rows() const { return produces ? rows_out : rows_in; }
  void merge(const OperatorProfile& other);
};

/// The profiles of one query's operators. Workers fill a local OperatorProfile per operator
/// and merge it once when their share of a pipeline ends, so the lock is taken a few times per
/// pipeline, never per chunk. Thread-safe.
class QueryProfile {
 public:
  void merge(const PhysicalOperator& op, const OperatorProfile& profile);
  void add_time(const PhysicalOperator& op, uint64_t nanos);
  /// The profile of `op` (empty when it never ran). Call once the query's pipelines ended.
  OperatorProfile get(const PhysicalOperator& op) const;

 private:
  mutable std::mutex mutex_;
  std::map<const PhysicalOperator*, OperatorProfile> profiles_;
};

}  // namespace tessera::executor
