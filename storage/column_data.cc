#include "storage/column_data.h"

#include <algorithm>

#include "src/common/assert.h"

namespace tessera::storage {

void ColumnData::append(const UnifiedVectorFormat& source, size_t source_offset, size_t row_start, size_t count) {
  TS_CHECK(row_start + count <= kRowGroupSize, "append past the end of a row group");
  size_t done = 0;
  while (done < count) {
    const size_t row = row_start + done;
    const size_t index = row / kVectorSize;
    const size_t offset = row % kVectorSize;
    const size_t n = std::min(count - done, kVectorSize - offset);
    if (!segments_[index]) segments_[index] = std::make_unique<ColumnSegment>(type_);
    segments_[index]->append(source, source_offset + done, offset, n);
    if (offset + n == kVectorSize) segments_[index]->seal();
    done += n;
  }
}

}  // namespace tessera::storage
