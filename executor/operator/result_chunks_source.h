#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <vector>

#include "executor/physical_operator.h"
#include "src/common/data_chunk.h"

namespace tessera::executor {

/// The source side of a sink that materializes its output as chunks in finalize (the hash
/// aggregate, the hash set operation): workers take the chunks one at a time, by index.
struct ResultChunksSource : GlobalState {
  /// `results` is the sink's output vector, filled by its finalize before any chunk is taken.
  explicit ResultChunksSource(const std::vector<DataChunk>& results) : results(results) {}
  size_t max_threads() const override { return std::max<size_t>(1, results.size()); }

  /// Makes `out` reference the next chunk; an empty `out` and kFinished when none is left.
  SourceResult next_chunk(DataChunk& out) {
    const size_t index = next.fetch_add(1);
    if (index >= results.size()) {
      out.set_size(0);
      return SourceResult::kFinished;
    }
    out.reference(results[index]);
    return index + 1 >= results.size() ? SourceResult::kFinished : SourceResult::kHaveMoreOutput;
  }

  const std::vector<DataChunk>& results;
  std::atomic<size_t> next{0};
};

}  // namespace tessera::executor
