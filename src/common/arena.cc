#include "src/common/arena.h"

#include <cstring>

namespace tessera {

uint8_t* Arena::allocate(size_t size) {
  size = (size + 7) & ~size_t{7};
  if (blocks_.empty() || offset_ + size > blocks_.back().size) {
    size_t block = size > block_size_ ? size : block_size_;
    charge_.set(allocated_bytes_ + block);
    // Not zeroed: every caller writes what it allocates.
    blocks_.push_back(Block{std::unique_ptr<uint8_t[]>(new uint8_t[block]), block});
    offset_ = 0;
    allocated_bytes_ += block;
  }
  uint8_t* result = blocks_.back().data.get() + offset_;
  offset_ += size;
  return result;
}

void Arena::reset() {
  blocks_.clear();
  offset_ = 0;
  allocated_bytes_ = 0;
  charge_.reset();
}

string_t StringHeap::add(std::string_view sv) {
  if (sv.size() <= string_t::kInlineLength) return string_t(sv);
  char* dst = allocate(sv.size());
  std::memcpy(dst, sv.data(), sv.size());
  return string_t(dst, static_cast<uint32_t>(sv.size()));
}

}  // namespace tessera
