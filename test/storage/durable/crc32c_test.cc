#include "storage/durable/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tessera::storage {
namespace {

TEST(Crc32cTest, KnownValues) {
  // The check value of CRC-32C and the iSCSI test vectors (RFC 3720, B.4).
  EXPECT_EQ(0xE3069283u, crc32c("123456789"));
  EXPECT_EQ(0u, crc32c(""));
  EXPECT_EQ(0x8A9136AAu, crc32c(std::string(32, '\0')));
  EXPECT_EQ(0x62A8AB43u, crc32c(std::string(32, '\xff')));
  std::string ascending;
  for (int i = 0; i < 32; i++) ascending.push_back(static_cast<char>(i));
  EXPECT_EQ(0x46DD794Eu, crc32c(ascending));
}

TEST(Crc32cTest, ExtendingEqualsOneComputationAndMatchesTheTable) {
  std::mt19937_64 rng(3);
  for (size_t size : {1u, 7u, 8u, 9u, 63u, 64u, 1000u, 4099u}) {
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    const uint32_t whole = crc32c(bytes);
    EXPECT_EQ(internal::crc32c_portable(bytes.data(), bytes.size()), whole) << size;
    for (size_t split : {size_t{0}, size / 3, size / 2, size}) {
      const uint32_t first = crc32c(bytes.data(), split);
      EXPECT_EQ(whole, crc32c_extend(first, bytes.data() + split, size - split)) << size << " split " << split;
    }
  }
}

}  // namespace
}  // namespace tessera::storage
