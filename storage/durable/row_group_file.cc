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
// A zone map's durable form is at most a few values; a footer is small next to its blocks.
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
  BinaryWriter footer;
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
    stats.uncompressed_bytes += raw.size();
    footer.put_u64(offset);
    footer.put_u32(static_cast<uint32_t>(file.size() - offset));
    footer.put_varint(segments.size());
    for (const auto& segment : segments) {
      footer.put_varint(segment->count());
      footer.put_u8(static_cast<uint8_t>(segment->encoding()));
      footer.put_varint(segment->memory_bytes());
      footer.put_varint(segment->uncompressed_bytes());
      segment->zone_map().write(footer);
    }
  }
  const uint64_t footer_offset = file.size();
  footer.put_u32(static_cast<uint32_t>(group.column_count()));
  footer.put_u32(crc32c(footer.data()));
  file.put_bytes(footer.data().data(), footer.size());
  file.put_u64(footer_offset);
  file.put_bytes(kMagic, sizeof kMagic);
  stats.file_bytes = file.size();
  write_file_durably(path, file.data());
  return stats;
}

namespace {

/// Buffers reused for a block's bytes and its decompressed form, so a thread reading many
/// blocks allocates them once.
struct BlockBuffers {
  std::string file;
  std::string block;
};

/// One column's block of a data file, read when the column is first used.
class FileSegmentLoader final : public SegmentLoader {
 public:
  FileSegmentLoader(std::string path, uint64_t offset, uint32_t length, LogicalType type, std::string what,
                    std::vector<SegmentInfo> infos)
      : path_(std::move(path)),
        offset_(offset),
        length_(length),
        type_(std::move(type)),
        what_(std::move(what)),
        infos_(std::move(infos)) {}

  std::vector<std::shared_ptr<const ColumnSegment>> load() const override {
    // One buffer per thread for the block's bytes and its decompressed form.
    thread_local BlockBuffers buffers;
    const std::string_view data = read_file_range_into(path_, offset_, offset_ + length_, buffers.file);
    BinaryReader block(data, what_);
    const uint32_t stored_size = block.get_u32();
    const uint32_t crc = block.get_u32();
    const uint8_t codec = block.get_u8();
    const uint32_t raw_size = block.get_u32();
    if (stored_size != length_ - kBlockHeaderBytes || raw_size > kMaxBlockBytes) block.corrupt("length mismatch");
    const std::string_view stored = block.get_bytes(stored_size);
    if (block_crc(codec, raw_size, stored) != crc) block.corrupt("checksum mismatch");
    const std::string_view raw = decompress_block_into(codec, stored, raw_size, buffers.block, what_);
    BinaryReader in(raw, what_);
    if (read_type(in) != type_) in.corrupt("holds another column type");
    if (in.get_varint() != infos_.size()) in.corrupt("holds another number of segments than its footer");
    std::vector<std::shared_ptr<const ColumnSegment>> segments;
    segments.reserve(infos_.size());
    for (const SegmentInfo& info : infos_) {
      segments.push_back(read_segment(in, type_));
      if (segments.back()->count() != info.count || segments.back()->encoding() != info.encoding) {
        in.corrupt("a segment differs from its footer");
      }
    }
    if (!in.at_end()) in.corrupt("trailing bytes");
    return segments;
  }

 private:
  const std::string path_;
  const uint64_t offset_;
  const uint32_t length_;
  const LogicalType type_;
  const std::string what_;
  const std::vector<SegmentInfo> infos_;
};

}  // namespace

std::shared_ptr<RowGroup> open_row_group_file(const std::string& path, const std::vector<LogicalType>& types,
                                              uint64_t storage_id, uint64_t start_row, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw SqlError(SqlState::kDataCorrupted, what + ": data file \"" + path + "\" is missing");
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  const std::string file_what = what + ", data file \"" + path + "\"";
  if (size < kHeaderBytes + kTrailerBytes) BinaryReader("", file_what).corrupt("not a whole Tessera data file");
  std::string header_bytes;
  read_file_range_into(path, 0, kHeaderBytes, header_bytes);
  BinaryReader header(header_bytes, file_what + " header");
  if (std::memcmp(header_bytes.data(), kMagic, sizeof kMagic) != 0) header.corrupt("not a Tessera data file");
  header.get_bytes(sizeof kMagic);
  const uint32_t version = header.get_u32();
  const uint64_t file_storage_id = header.get_u64();
  const uint64_t file_start_row = header.get_u64();
  const uint32_t rows = header.get_u32();
  const uint32_t columns = header.get_u32();
  if (header.get_u32() != crc32c(header_bytes.data(), kHeaderBytes - 4)) header.corrupt("checksum mismatch");
  if (version != kRowGroupFileVersion) {
    header.corrupt("format version " + std::to_string(version) + ", this server reads version " +
                   std::to_string(kRowGroupFileVersion));
  }
  if (file_storage_id != storage_id || file_start_row != start_row) header.corrupt("holds another row group");
  if (columns != types.size()) header.corrupt("holds another number of columns");
  if (rows == 0 || rows > kRowGroupSize) header.corrupt("row count " + std::to_string(rows));

  std::string trailer_bytes;
  read_file_range_into(path, size - kTrailerBytes, size, trailer_bytes);
  BinaryReader trailer(trailer_bytes, file_what + " footer");
  const uint64_t footer_offset = trailer.get_u64();
  if (std::memcmp(trailer_bytes.data() + 8, kMagic, sizeof kMagic) != 0) trailer.corrupt("not a whole data file");
  if (footer_offset < kHeaderBytes || footer_offset + 8 > size - kTrailerBytes) trailer.corrupt("footer out of range");
  std::string footer_bytes;
  read_file_range_into(path, footer_offset, size - kTrailerBytes, footer_bytes);
  BinaryReader footer(footer_bytes, file_what + " footer");
  if (crc32c(footer_bytes.data(), footer_bytes.size() - 4) !=
      BinaryReader(std::string_view(footer_bytes).substr(footer_bytes.size() - 4), file_what).get_u32()) {
    footer.corrupt("checksum mismatch");
  }
  std::vector<std::pair<std::shared_ptr<const SegmentLoader>, std::vector<SegmentInfo>>> loaders;
  for (size_t c = 0; c < columns; c++) {
    const uint64_t offset = footer.get_u64();
    const uint32_t length = footer.get_u32();
    if (offset < kHeaderBytes || length < kBlockHeaderBytes || offset + length > footer_offset) {
      footer.corrupt("block of column " + std::to_string(c + 1) + " out of range");
    }
    const uint64_t count = footer.get_varint();
    if (count > kRowGroupSize / kVectorSize) footer.corrupt("too many segments");
    std::vector<SegmentInfo> infos(count);
    size_t covered = 0;
    for (auto& info : infos) {
      info.count = footer.get_varint();
      const uint8_t encoding = footer.get_u8();
      if (info.count == 0 || info.count > kVectorSize || encoding > static_cast<uint8_t>(SegmentEncoding::kDelta)) {
        footer.corrupt("segment description out of range");
      }
      info.encoding = static_cast<SegmentEncoding>(encoding);
      info.memory_bytes = footer.get_varint();
      info.uncompressed_bytes = footer.get_varint();
      info.zone_map = ZoneMap::read(footer, types[c]);
      covered += info.count;
    }
    if (covered != rows) footer.corrupt("segments do not cover the row group");
    auto loader = std::make_shared<FileSegmentLoader>(path, offset, length, types[c], column_what(what, path, c), infos);
    loaders.emplace_back(std::move(loader), std::move(infos));
  }
  if (footer.get_u32() != columns) footer.corrupt("column count mismatch");
  footer.get_u32();
  if (!footer.at_end()) footer.corrupt("trailing bytes");
  return RowGroup::restore_unloaded(types, start_row, storage_id, rows, std::move(loaders));
}

std::shared_ptr<RowGroup> read_row_group_file(const std::string& path, const std::vector<LogicalType>& types,
                                              uint64_t storage_id, uint64_t start_row, const std::string& what) {
  auto group = open_row_group_file(path, types, storage_id, start_row, what);
  for (size_t c = 0; c < group->column_count(); c++) group->column(c).segment(0);
  return group;
}

}  // namespace tessera::storage
