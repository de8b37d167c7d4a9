#include "src/common/hash.h"

namespace tessera {

hash_t hash_bytes(const void* data, size_t len) {
  // FNV-1a over 8-byte words, then mixed.
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t h = 0xcbf29ce484222325ULL ^ len;
  while (len >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
    p += 8;
    len -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, len);
  h = (h ^ tail) * 0x100000001b3ULL;
  return hash_int(h);
}

}  // namespace tessera
