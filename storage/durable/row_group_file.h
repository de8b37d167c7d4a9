#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "src/common/logical_type.h"
#include "storage/durable/block_codec.h"

namespace tessera::storage {

class RowGroup;

/// A data file: one full row group of a table, immutable once written (a checkpoint writes it
/// the first time it finds the group sealed and every row's insert decided; later checkpoints
/// only name it again, with the rows deleted by then).
///
/// Layout (little-endian):
///   header  magic "TSRGROUP", u32 format version, u64 storage id, u64 first row id,
///           u32 rows, u32 columns, u32 CRC-32C of the header bytes before it;
///   blocks  one per column: u32 stored length, u32 CRC-32C of (codec, raw length, stored
///           bytes), u8 codec (storage/durable/block_codec.h), u32 raw length, stored bytes;
///           raw: the column's type, varint segment count, then each segment: u8 kind
///           (0 uncompressed: varint rows and the values as a vector; 1 encoded:
///           EncodedSegment::write);
///   footer  per column: u64 block offset, u32 block length, varint segment count, and per
///           segment its rows, u8 encoding, memory and uncompressed bytes (varints) and zone
///           map (ZoneMap::write); then u32 columns, u32 CRC-32C of the footer bytes before it;
///   trailer u64 footer offset, magic "TSRGROUP".
/// The footer describes every segment, so a reader prunes by zone maps and reports sizes
/// without reading a block, and finds one column's block without reading the others.
inline constexpr uint32_t kRowGroupFileVersion = 1;

/// What writing a data file did.
struct RowGroupFileStats {
  uint64_t file_bytes = 0;
  uint64_t uncompressed_bytes = 0;  ///< the blocks before the codec
};

/// Writes `group` (full: every segment sealed) to `path` whole or not at all (see
/// write_file_durably; the caller syncs the directory), each column block compressed with
/// `codec`.
RowGroupFileStats write_row_group_file(const std::string& path, const RowGroup& group, BlockCodec codec);

/// Opens the data file at `path` as row group `start_row / kRowGroupSize` of the table with
/// `types` and `storage_id` (every row committed for every snapshot), reading only its header
/// and footer: each column's segments are read from the file when first used and may be
/// dropped again by the BufferPool (ColumnData::restore_unloaded). A file that is not whole,
/// does not match its checksums, or holds another table's row group or other types is XX001
/// data_corrupted naming `what` (the table) and the file — when opened, or for a column block
/// when it is loaded (the error of the statement that reads it).
std::shared_ptr<RowGroup> open_row_group_file(const std::string& path, const std::vector<LogicalType>& types,
                                              uint64_t storage_id, uint64_t start_row, const std::string& what);
/// open_row_group_file, then loads every column (XX001 for any damaged block).
std::shared_ptr<RowGroup> read_row_group_file(const std::string& path, const std::vector<LogicalType>& types,
                                              uint64_t storage_id, uint64_t start_row, const std::string& what);

/// The file name of a table's row group: "<storage id>-<row group index>.rg".
std::string row_group_file_name(uint64_t storage_id, uint64_t row_group_index);

/// Removes the data files in `directory` whose (storage id, row group index) is not in
/// `named`, and leftover temporary files; returns how many. Errors are ignored (a file left
/// behind is removed next time); a missing directory has none.
size_t remove_unnamed_row_group_files(const std::string& directory,
                                      const std::set<std::pair<uint64_t, uint64_t>>& named);

}  // namespace tessera::storage
