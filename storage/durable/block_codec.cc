#include "storage/durable/block_codec.h"

#include <lz4.h>
#include <zstd.h>

#include <limits>

#include "src/common/sql_error.h"

namespace tessera::storage {

namespace {

[[noreturn]] void corrupt(const std::string& what, const std::string& problem) {
  throw SqlError(SqlState::kDataCorrupted, what + ": " + problem);
}

}  // namespace

const char* block_codec_name(BlockCodec codec) {
  switch (codec) {
    case BlockCodec::kNone: return "none";
    case BlockCodec::kLz4: return "lz4";
    case BlockCodec::kZstd: return "zstd";
  }
  return "unknown";
}

std::string compress_block(BlockCodec codec, std::string_view data, int level) {
  switch (codec) {
    case BlockCodec::kNone:
      return std::string(data);
    case BlockCodec::kLz4: {
      if (data.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
        throw SqlError(SqlState::kProgramLimitExceeded, "block of " + std::to_string(data.size()) +
                                                            " bytes is too large to compress with lz4");
      }
      std::string out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(data.size()))), '\0');
      const int n = LZ4_compress_default(data.data(), out.data(), static_cast<int>(data.size()),
                                         static_cast<int>(out.size()));
      if (n <= 0 && !data.empty()) throw SqlError(SqlState::kInternalError, "lz4 compression failed");
      out.resize(static_cast<size_t>(n));
      return out;
    }
    case BlockCodec::kZstd: {
      std::string out(ZSTD_compressBound(data.size()), '\0');
      const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
      if (ZSTD_isError(n)) {
        throw SqlError(SqlState::kInternalError, std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
      }
      out.resize(n);
      return out;
    }
  }
  throw SqlError(SqlState::kInternalError, "unknown block codec");
}

std::string_view decompress_block_into(uint8_t codec, std::string_view data, size_t raw_size, std::string& buffer,
                                       const std::string& what) {
  switch (static_cast<BlockCodec>(codec)) {
    case BlockCodec::kNone:
      if (data.size() != raw_size) corrupt(what, "uncompressed block of the wrong size");
      return data;
    case BlockCodec::kLz4: {
      if (raw_size > static_cast<size_t>(std::numeric_limits<int>::max()) ||
          data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
        corrupt(what, "lz4 block too large");
      }
      if (buffer.size() < raw_size) buffer.resize(raw_size);
      const int n = LZ4_decompress_safe(data.data(), buffer.data(), static_cast<int>(data.size()),
                                        static_cast<int>(raw_size));
      if (n < 0 || static_cast<size_t>(n) != raw_size) corrupt(what, "lz4 block does not decode");
      return std::string_view(buffer.data(), raw_size);
    }
    case BlockCodec::kZstd: {
      const unsigned long long declared = ZSTD_getFrameContentSize(data.data(), data.size());
      if (declared != raw_size) corrupt(what, "zstd block of the wrong size");
      if (buffer.size() < raw_size) buffer.resize(raw_size);
      const size_t n = ZSTD_decompress(buffer.data(), raw_size, data.data(), data.size());
      if (ZSTD_isError(n) || n != raw_size) corrupt(what, "zstd block does not decode");
      return std::string_view(buffer.data(), raw_size);
    }
  }
  corrupt(what, "unknown block codec " + std::to_string(codec));
}

std::string decompress_block(uint8_t codec, std::string_view data, size_t raw_size, const std::string& what) {
  std::string buffer;
  const std::string_view raw = decompress_block_into(codec, data, raw_size, buffer, what);
  if (raw.data() != buffer.data()) return std::string(raw);
  buffer.resize(raw_size);
  return buffer;
}

}  // namespace tessera::storage
