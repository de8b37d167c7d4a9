#include "storage/durable/block_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "test/support/sqlstate_of.h"

namespace tessera::storage {
namespace {

using test_support::sqlstate_of;

std::vector<std::string> samples() {
  std::mt19937 random(7);
  std::string noise(100000, '\0');
  for (auto& c : noise) c = static_cast<char>(random());
  std::string text;
  for (int i = 0; i < 20000; i++) text += "row " + std::to_string(i % 300) + ";";
  return {"", "a", std::string(1 << 20, 'z'), noise, text};
}

TEST(BlockCodecTest, EveryCodecRoundTrips) {
  for (const BlockCodec codec : {BlockCodec::kNone, BlockCodec::kLz4, BlockCodec::kZstd}) {
    for (const auto& data : samples()) {
      const std::string packed = compress_block(codec, data);
      EXPECT_EQ(data, decompress_block(static_cast<uint8_t>(codec), packed, data.size(), "test"))
          << block_codec_name(codec) << " " << data.size();
    }
  }
  // Repetitive data shrinks.
  const std::string text = samples()[4];
  EXPECT_LT(compress_block(BlockCodec::kLz4, text).size() * 4, text.size());
  EXPECT_LT(compress_block(BlockCodec::kZstd, text).size(), compress_block(BlockCodec::kLz4, text).size());
}

TEST(BlockCodecTest, CorruptBlocksAreDataCorrupted) {
  const std::string text = samples()[4];
  for (const BlockCodec codec : {BlockCodec::kNone, BlockCodec::kLz4, BlockCodec::kZstd}) {
    const std::string packed = compress_block(codec, text);
    const auto code = static_cast<uint8_t>(codec);
    // A wrong size, a cut block, flipped bytes: an error or (for bytes that decode) the right size.
    EXPECT_EQ("XX001", sqlstate_of([&] { decompress_block(code, packed, text.size() + 1, "t"); }));
    EXPECT_EQ("XX001", sqlstate_of([&] { decompress_block(code, packed.substr(0, packed.size() / 2), text.size(), "t"); }));
    for (size_t i = 0; i < packed.size(); i += 97) {
      std::string bad = packed;
      bad[i] = static_cast<char>(bad[i] ^ 0x5a);
      try {
        EXPECT_EQ(text.size(), decompress_block(code, bad, text.size(), "t").size());
      } catch (const SqlError& e) {
        EXPECT_EQ(SqlState::kDataCorrupted, e.state());
      }
    }
  }
  EXPECT_EQ("XX001", sqlstate_of([&] { decompress_block(9, "x", 1, "t"); }));
}

}  // namespace
}  // namespace tessera::storage
