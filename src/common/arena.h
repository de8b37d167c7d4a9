#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "src/common/memory_tracker.h"
#include "src/common/string_t.h"

namespace tessera {

/// A bump allocator: hands out memory from blocks it owns, freed all at once on destruction.
/// Its blocks count against the current MemoryTracker (a new block may raise 53200). Not
/// thread-safe.
class Arena {
 public:
  explicit Arena(size_t block_size = 16 * 1024) : block_size_(block_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Returns `size` bytes aligned to 8, valid until the arena is destroyed or reset.
  uint8_t* allocate(size_t size);
  /// Frees every block.
  void reset();
  size_t allocated_bytes() const { return allocated_bytes_; }

 private:
  struct Block {
    std::unique_ptr<uint8_t[]> data;
    size_t size;
  };
  size_t block_size_;
  std::vector<Block> blocks_;
  size_t offset_ = 0;  // next free byte in blocks_.back()
  size_t allocated_bytes_ = 0;
  MemoryCharge charge_;  // the blocks' bytes
};

/// Owns the bytes of non-inlined string_t values of a vector, chunk or segment.
/// Shared (ref-counted) by vectors that reference the same strings. Not thread-safe for writes.
class StringHeap {
 public:
  /// Copies `sv` into the heap when it is longer than the inline limit; returns a string_t
  /// valid for the lifetime of this heap.
  string_t add(std::string_view sv);
  string_t add(const string_t& s) { return s.is_inlined() ? s : add(s.view()); }
  /// Reserves `len` bytes to be filled by the caller; wrap them with string_t(ptr, len).
  char* allocate(size_t len) { return reinterpret_cast<char*>(arena_.allocate(len)); }
  size_t allocated_bytes() const { return arena_.allocated_bytes(); }

 private:
  Arena arena_;
};

}  // namespace tessera
