#include "storage/hash_index.h"

#include <algorithm>

namespace tessera::storage {

HashIndex::HashIndex(std::string name, std::vector<size_t> columns, std::vector<std::string> column_names, bool unique)
    : name_(std::move(name)), columns_(std::move(columns)), column_names_(std::move(column_names)), unique_(unique) {}

std::vector<int64_t>* HashIndex::find(std::string_view key) {
  auto it = map_.find(std::string(key));
  return it == map_.end() ? nullptr : &it->second;
}

void HashIndex::reserve_for(size_t count, size_t key_bytes) {
  const size_t grown = bytes_ + count * kEntryOverhead + key_bytes;
  charge_.set(grown);
  bytes_ = grown;
}

void HashIndex::insert(std::string_view key, int64_t row_id) {
  map_[std::string(key)].push_back(row_id);
  entries_++;
}

void HashIndex::erase(std::string_view key, int64_t row_id) {
  auto it = map_.find(std::string(key));
  if (it == map_.end()) return;
  auto& rows = it->second;
  auto pos = std::find(rows.begin(), rows.end(), row_id);
  if (pos == rows.end()) return;
  rows.erase(pos);
  entries_--;
  const size_t freed = kEntryOverhead + (rows.empty() ? key.size() : 0);
  if (rows.empty()) map_.erase(it);
  bytes_ = bytes_ > freed ? bytes_ - freed : 0;
  charge_.set(bytes_);
}

}  // namespace tessera::storage
