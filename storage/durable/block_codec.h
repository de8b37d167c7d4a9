#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::storage {

/// The block compression of durable data (values frozen: they are stored). LZ4 is fast and the
/// default for data written on the commit path; ZSTD is denser, for colder data (checkpoints).
enum class BlockCodec : uint8_t { kNone = 0, kLz4 = 1, kZstd = 2 };

/// "none", "lz4" or "zstd".
const char* block_codec_name(BlockCodec codec);

/// `data` compressed with `codec` (a copy for kNone). `level` is ZSTD's (ignored otherwise).
std::string compress_block(BlockCodec codec, std::string_view data, int level = 3);

/// Decompresses `data` (written by compress_block with `codec`) into exactly `raw_size` bytes.
/// XX001 data_corrupted naming `what` when the codec is unknown, the data does not decode, or
/// it decodes to another size.
std::string decompress_block(uint8_t codec, std::string_view data, size_t raw_size, const std::string& what);
/// decompress_block into `buffer` (grown when too small, never shrunk, so a buffer reused
/// for many blocks is allocated and cleared once): returns the first `raw_size` bytes of it.
std::string_view decompress_block_into(uint8_t codec, std::string_view data, size_t raw_size, std::string& buffer,
                                       const std::string& what);

}  // namespace tessera::storage
