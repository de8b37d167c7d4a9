#pragma once

#include <cstddef>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "src/common/vector.h"
#include "storage/durable/binary_io.h"

namespace tessera::storage {

/// The durable form of types, vectors and chunks (WAL records of inserted rows, data files).
///
/// A type: u8 type id, i32 modifier (as u32), u8 element type id (arrays; 0 otherwise).
/// A vector of `count` rows: u8 flags (bit 0: some row is NULL), then the validity bitmap
/// (ceil(count / 8) bytes, bit i of byte i/8 set = row i valid) when bit 0 is set, then the
/// values of the valid rows in row order: fixed-width physical types as their little-endian
/// bytes (numeric: its 128-bit word low half first; interval: micros, days, months), strings
/// as a varint length and the bytes. NULL rows take no value bytes.
/// A chunk: varint row count, varint column count, then each column as a vector.
void write_type(BinaryWriter& out, const LogicalType& type);
/// Throws XX001 for an unknown type id.
LogicalType read_type(BinaryReader& in);

/// Writes rows [0, count) of `vector` (flat, constant or dictionary).
void write_vector(BinaryWriter& out, const Vector& vector, size_t count);
/// Reads `count` rows into `out`, which must be a writable flat vector of `type` with capacity
/// for them (strings are copied into its heap).
void read_vector(BinaryReader& in, const LogicalType& type, size_t count, Vector& out);

void write_chunk(BinaryWriter& out, const DataChunk& chunk);
/// Reads a chunk of `types` into `out` (initialized here); XX001 when the stored shape does
/// not match `types` or the row count exceeds a vector.
void read_chunk(BinaryReader& in, const std::vector<LogicalType>& types, DataChunk& out);

}  // namespace tessera::storage
