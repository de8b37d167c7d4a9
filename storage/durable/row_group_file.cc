#include "storage/durable/row_group_file.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "src/common/data_chunk.h"
#include "src/common/sql_error.h"
#include "storage/column_data.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/crc32c.h"
#include "storage/durable/log_file.h"
#include "storage/durable/vector_serializer.h"
#include "storage/encoded_segment.h"
#include "storage/row_group.h"
#include "storage/storage_constants.h"
#include "storage/uncompressed_segment.h"

namespace tessera::storage {

namespace {

constexpr char kMagic[8] = {'T', 'S', 'R', 'G', 'R', 'O', 'U', 'P'};
constexpr size_t kHeaderBytes = 8 + 4 + 8 + 8 + 4 + 4 + 4;
constexpr size_t kBlockHeaderBytes = 4 + 4 + 1 + 4;
constexpr size_t kTrailerBytes = 8 + 8;  // footer offset, magic
// A column block's raw bytes cannot reasonably exceed this (122,880 rows of the widest values
// plus strings are far less): a larger stored length is corruption, not an allocation.
constexpr uint64_t kMaxBlockBytes = uint64_t{1} << 31;

enum class SegmentKind : uint8_t { kUncompressed = 0, kEncoded = 1 };

uint32_t block_crc(uint8_t codec, uint32_t raw_size, std::string_view stored) {
  uint8_t head[5];
  head[0] = codec;
  std::memcpy(head + 1, &raw_size, 4);
  return crc32c_extend(crc32c(head, sizeof head), stored.data(), stored.size());
}

void write_segment(BinaryWriter& out, const ColumnSegment& segment) {
  if (const auto* encoded = dynamic_cast<const EncodedSegment*>(&segment)) {
    out.put_u8(static_cast<uint8_t>(SegmentKind::kEncoded));
    encoded->write(out);
    return;
  }
  const Vector* values = segment.reference(0, segment.count());
  TS_CHECK(values != nullptr, "a data file of a segment that is not sealed");
  out.put_u8(static_cast<uint8_t>(SegmentKind::kUncompressed));
  out.put_varint(segment.count());
  write_vector(out, *values, segment.count());
}

std::shared_ptr<const ColumnSegment> read_segment(BinaryReader& in, const LogicalType& type) {
  const uint8_t kind = in.get_u8();
  if (kind == static_cast<uint8_t>(SegmentKind::kEncoded)) return EncodedSegment::read(in, type);
  if (kind != static_cast<uint8_t>(SegmentKind::kUncompressed)) in.corrupt("unknown segment kind");
  const uint64_t rows = in.get_varint();
  if (rows != UncompressedSegment::kCapacity) in.corrupt("an uncompressed segment that is not full");
  Vector values(type);
  read_vector(in, type, rows, values);
  UnifiedVectorFormat unified;
  values.to_unified(rows, unified);
  auto segment = std::make_shared<UncompressedSegment>(type);
  segment->append(unified, 0, 0, rows);
  segment->seal();
  return segment;
}

std::string column_what(const std::string& what, const std::string& path, size_t column) {
  return what + ", data file \"" + path + "\", block of column " + std::to_string(column + 1);
}

}  // namespace

std::string row_group_file_name(uint64_t storage_id, uint64_t row_group_index) {
  return std::to_string(storage_id) + "-" + std::to_string(row_group_index) + ".rg";
}

size_t remove_unnamed_row_group_files(const std::string& directory,
                                      const std::set<std::pair<uint64_t, uint64_t>>& named) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) return 0;
  std::vector<std::filesystem::path> garbage;
  for (const auto& file : it) {
    const std::string name = file.path().filename().string();
    unsigned long long storage_id = 0, index = 0;
    int consumed = 0;
    const bool data_file = std::sscanf(name.c_str(), "%llu-%llu.rg%n", &storage_id, &index, &consumed) == 2 &&
                           static_cast<size_t>(consumed) == name.size();
    if (data_file && named.count({storage_id, index})) continue;
    if (data_file || name.ends_with(".rg.tmp")) garbage.push_back(file.path());
  }
  size_t removed = 0;
  for (const auto& file : garbage) removed += std::filesystem::remove(file, error) ? 1 : 0;
  return removed;
}

RowGroupFileStats write_row_group_file(const std::string& path, const RowGroup& group, BlockCodec codec) {
  RowGroupFileStats stats;
  BinaryWriter file;
  file.put_bytes(kMagic, sizeof kMagic);
  file.put_u32(kRowGroupFileVersion);
  file.put_u64(group.storage_id());
  file.put_u64(group.start_row());
  file.put_u32(static_cast<uint32_t>(group.count()));
  file.put_u32(static_cast<uint32_t>(group.column_count()));
  file.put_u32(crc32c(file.data()));
  std::vector<std::pair<uint64_t, uint32_t>> blocks;
  for (size_t c = 0; c < group.column_count(); c++) {
    const ColumnData& column = group.column(c);
    BinaryWriter raw;
    write_type(raw, column.type());
    const auto segments = column.segments();
    raw.put_varint(segments.size());
    for (const auto& segment : segments) write_segment(raw, *segment);
    const std::string stored = compress_block(codec, raw.data());
    const auto raw_size = static_cast<uint32_t>(raw.size());
    const uint64_t offset = file.size();
    file.put_u32(static_cast<uint32_t>(stored.size()));
    file.put_u32(block_crc(static_cast<uint8_t>(codec), raw_size, stored));
    file.put_u8(static_cast<uint8_t>(codec));
    file.put_u32(raw_size);
    file.put_bytes(stored.data(), stored.size());
    blocks.emplace_back(offset, static_cast<uint32_t>(file.size() - offset));
    stats.uncompressed_bytes += raw.size();
  }
  const uint64_t footer_offset = file.size();
  BinaryWriter footer;
  for (const auto& [offset, length] : blocks) {
    footer.put_u64(offset);
    footer.put_u32(length);
  }
  footer.put_u32(static_cast<uint32_t>(blocks.size()));
  footer.put_u32(crc32c(footer.data()));
  file.put_bytes(footer.data().data(), footer.size());
  file.put_u64(footer_offset);
  file.put_bytes(kMagic, sizeof kMagic);
  stats.file_bytes = file.size();
  write_file_durably(path, file.data());
  return stats;
}

std::shared_ptr<RowGroup> read_row_group_file(const std::string& path, const std::vector<LogicalType>& types,
                                              uint64_t storage_id, uint64_t start_row, const std::string& what,
                                              RowGroupFileBuffers* buffers) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw SqlError(SqlState::kDataCorrupted, what + ": data file \"" + path + "\" is missing");
  }
  RowGroupFileBuffers local;
  if (buffers == nullptr) buffers = &local;
  const std::string_view data = read_file_range_into(path, 0, static_cast<uint64_t>(st.st_size), buffers->file);
  const std::string file_what = what + ", data file \"" + path + "\"";
  BinaryReader whole(data, file_what);
  if (data.size() < kHeaderBytes + kTrailerBytes || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0 ||
      std::memcmp(data.data() + data.size() - sizeof kMagic, kMagic, sizeof kMagic) != 0) {
    whole.corrupt("not a whole Tessera data file");
  }
  BinaryReader header(data.substr(0, kHeaderBytes), file_what + " header");
  header.get_bytes(sizeof kMagic);
  const uint32_t version = header.get_u32();
  const uint64_t file_storage_id = header.get_u64();
  const uint64_t file_start_row = header.get_u64();
  const uint32_t rows = header.get_u32();
  const uint32_t columns = header.get_u32();
  if (header.get_u32() != crc32c(data.data(), kHeaderBytes - 4)) header.corrupt("checksum mismatch");
  if (version != kRowGroupFileVersion) {
    header.corrupt("format version " + std::to_string(version) + ", this server reads version " +
                   std::to_string(kRowGroupFileVersion));
  }
  if (file_storage_id != storage_id || file_start_row != start_row) header.corrupt("holds another row group");
  if (columns != types.size()) header.corrupt("holds another number of columns");
  if (rows == 0 || rows > kRowGroupSize) header.corrupt("row count " + std::to_string(rows));

  BinaryReader trailer(data.substr(data.size() - kTrailerBytes), file_what + " footer");
  const uint64_t footer_offset = trailer.get_u64();
  const uint64_t footer_bytes = uint64_t{columns} * 12 + 8;
  if (footer_offset < kHeaderBytes || footer_offset + footer_bytes != data.size() - kTrailerBytes) {
    trailer.corrupt("footer offset out of range");
  }
  const std::string_view footer_data = data.substr(footer_offset, footer_bytes);
  BinaryReader footer(footer_data, file_what + " footer");
  std::vector<std::pair<uint64_t, uint32_t>> blocks(columns);
  for (auto& [offset, length] : blocks) {
    offset = footer.get_u64();
    length = footer.get_u32();
  }
  if (footer.get_u32() != columns) footer.corrupt("column count mismatch");
  if (footer.get_u32() != crc32c(footer_data.data(), footer_bytes - 4)) footer.corrupt("checksum mismatch");

  std::vector<std::vector<std::shared_ptr<const ColumnSegment>>> segments(columns);
  for (size_t c = 0; c < columns; c++) {
    const std::string block_what = column_what(what, path, c);
    const auto [offset, length] = blocks[c];
    if (offset < kHeaderBytes || length < kBlockHeaderBytes || offset + length > footer_offset) {
      whole.corrupt("block of column " + std::to_string(c + 1) + " out of range");
    }
    BinaryReader block(data.substr(offset, length), block_what);
    const uint32_t stored_size = block.get_u32();
    const uint32_t crc = block.get_u32();
    const uint8_t codec = block.get_u8();
    const uint32_t raw_size = block.get_u32();
    if (stored_size != length - kBlockHeaderBytes || raw_size > kMaxBlockBytes) block.corrupt("length mismatch");
    const std::string_view stored = block.get_bytes(stored_size);
    if (block_crc(codec, raw_size, stored) != crc) block.corrupt("checksum mismatch");
    const std::string_view raw = decompress_block_into(codec, stored, raw_size, buffers->block, block_what);
    BinaryReader in(raw, block_what);
    if (read_type(in) != types[c]) in.corrupt("holds another column type");
    const uint64_t count = in.get_varint();
    if (count > kRowGroupSize / kVectorSize) in.corrupt("too many segments");
    size_t covered = 0;
    for (uint64_t i = 0; i < count; i++) {
      segments[c].push_back(read_segment(in, types[c]));
      covered += segments[c].back()->count();
    }
    if (covered != rows) in.corrupt("segments do not cover the row group");
    if (!in.at_end()) in.corrupt("trailing bytes");
  }
  return RowGroup::restore(types, start_row, storage_id, rows, std::move(segments));
}

}  // namespace tessera::storage
