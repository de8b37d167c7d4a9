#pragma once

#include <cstddef>

#include "src/common/vector.h"

namespace tessera::storage {

/// Rows per row group (60 vectors of kVectorSize rows).
inline constexpr size_t kRowGroupSize = 122880;
/// Vectors (and column segments) per row group.
inline constexpr size_t kVectorsPerRowGroup = kRowGroupSize / kVectorSize;
static_assert(kRowGroupSize % kVectorSize == 0, "a row group holds whole vectors");
/// The column id that makes a scan produce each row's row id (bigint: the row group's first
/// row plus the row's offset in it), which DataTable::delete_rows takes. Fits a uint32_t, so
/// the planner can use it as a column binding.
inline constexpr size_t kRowIdColumn = 0xFFFFFFFFu;

}  // namespace tessera::storage
