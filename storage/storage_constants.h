#pragma once

#include <cstddef>

#include "src/common/vector.h"

namespace tessera::storage {

/// Rows per row group (60 vectors of kVectorSize rows).
inline constexpr size_t kRowGroupSize = 122880;
/// Vectors (and column segments) per row group.
inline constexpr size_t kVectorsPerRowGroup = kRowGroupSize / kVectorSize;
static_assert(kRowGroupSize % kVectorSize == 0, "a row group holds whole vectors");

}  // namespace tessera::storage
