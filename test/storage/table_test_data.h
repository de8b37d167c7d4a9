#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "src/common/value.h"

namespace tessera::storage::test {

/// The test table: every storable type. Column 3 (bigint) is the row key and never NULL.
inline std::vector<LogicalType> all_types() {
  return {LogicalType::boolean(), LogicalType::smallint(), LogicalType::integer(), LogicalType::bigint(),
          LogicalType::double_precision(), LogicalType::varchar()};
}

inline constexpr size_t kKeyColumn = 3;

/// The expected value of column `column` for the row with key `key`.
inline Value expected_value(size_t column, int64_t key) {
  switch (column) {
    case 0: return key % 11 == 0 ? Value::null(LogicalType::boolean()) : Value::boolean(key % 3 == 0);
    case 1: return key % 13 == 0 ? Value::null(LogicalType::smallint())
                                 : Value::smallint(static_cast<int16_t>(key % 30000 - 15000));
    case 2: return key % 17 == 0 ? Value::null(LogicalType::integer()) : Value::integer(static_cast<int32_t>(key * 7));
    case 3: return Value::bigint(key);
    case 4: return key % 19 == 0 ? Value::null(LogicalType::double_precision()) : Value::double_precision(key * 0.5);
    default:
      if (key % 23 == 0) return Value::null(LogicalType::varchar());
      if (key % 5 == 0) return Value::varchar("a long string that is not inlined, key=" + std::to_string(key));
      return Value::varchar("s" + std::to_string(key % 1000));
  }
}

/// A flat chunk with the rows for keys [first_key, first_key + count) (count <= kVectorSize).
inline DataChunk make_chunk(int64_t first_key, size_t count) {
  DataChunk chunk;
  chunk.initialize(all_types());
  for (size_t r = 0; r < count; r++) {
    for (size_t c = 0; c < chunk.column_count(); c++) chunk.set_value(c, r, expected_value(c, first_key + int64_t(r)));
  }
  chunk.set_size(count);
  return chunk;
}

}  // namespace tessera::storage::test
