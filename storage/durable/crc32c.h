#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tessera::storage {

/// CRC-32C (Castagnoli), the checksum of every block the server writes to disk (WAL records,
/// data and manifest files). `crc32c_extend(crc32c(a), b) == crc32c(a + b)`. Uses the SSE4.2
/// instruction where the CPU has it, a table otherwise; both give the same values.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t size);
inline uint32_t crc32c(const void* data, size_t size) { return crc32c_extend(0, data, size); }
inline uint32_t crc32c(std::string_view bytes) { return crc32c(bytes.data(), bytes.size()); }

namespace internal {
/// The table-driven computation alone (tests compare it with the instruction).
uint32_t crc32c_portable(const void* data, size_t size);
}  // namespace internal

}  // namespace tessera::storage
