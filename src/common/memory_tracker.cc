#include "src/common/memory_tracker.h"
#include "src/common/atomic_max.h"

#include <cctype>
#include <cstdlib>
#include <string>

#include "src/common/sql_error.h"

namespace tessera {

namespace {

thread_local MemoryTracker* current_tracker = nullptr;
thread_local bool no_fail = false;

std::string format_bytes(size_t bytes) { return std::to_string(bytes); }

}  // namespace

bool MemoryTracker::try_reserve(size_t bytes, bool may_fail) {
  const auto n = static_cast<int64_t>(bytes);
  const int64_t now = used_.fetch_add(n, std::memory_order_relaxed) + n;
  if (may_fail && limit_ > 0 && now > limit_) {
    used_.fetch_sub(n, std::memory_order_relaxed);
    return false;
  }
  if (parent_ && !parent_->try_reserve(bytes, may_fail)) {
    used_.fetch_sub(n, std::memory_order_relaxed);
    return false;
  }
  atomic_raise(peak_, now);
  return true;
}

void MemoryTracker::reserve(size_t bytes) {
  if (bytes == 0) return;
  if (!try_reserve(bytes, !no_fail)) {
    throw SqlError(SqlState::kOutOfMemory, "out of memory")
        .with_detail("Failed on request of size " + format_bytes(bytes) + " in the server's memory limit.");
  }
}

void MemoryTracker::release(size_t bytes) {
  if (bytes == 0) return;
  used_.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed);
  if (parent_) parent_->release(bytes);
}

MemoryTracker* MemoryTracker::current() { return current_tracker; }

MemoryTracker::Scope::Scope(MemoryTracker* tracker) : previous_(current_tracker) { current_tracker = tracker; }
MemoryTracker::Scope::~Scope() { current_tracker = previous_; }

MemoryTracker::NoFailScope::NoFailScope() : previous_(no_fail) { no_fail = true; }
MemoryTracker::NoFailScope::~NoFailScope() { no_fail = previous_; }

MemoryCharge& MemoryCharge::operator=(MemoryCharge&& other) noexcept {
  if (this != &other) {
    reset();
    tracker_ = std::move(other.tracker_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

void MemoryCharge::set(size_t bytes) {
  if (bytes == bytes_) return;
  if (!tracker_) {
    MemoryTracker* current = MemoryTracker::current();
    if (!current) return;
    tracker_ = current->shared_from_this();
  }
  if (bytes > bytes_) {
    tracker_->reserve(bytes - bytes_);
  } else {
    tracker_->release(bytes_ - bytes);
  }
  bytes_ = bytes;
}

void MemoryCharge::reset() {
  if (tracker_ && bytes_ > 0) tracker_->release(bytes_);
  bytes_ = 0;
  tracker_.reset();
}

int64_t parse_memory_size(const std::string& text) {
  const char* p = text.c_str();
  char* end = nullptr;
  const double value = std::strtod(p, &end);
  if (end == p || value < 0) return -1;
  while (std::isspace(static_cast<unsigned char>(*end))) end++;
  std::string unit(end);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  double multiplier = 1;
  if (unit.empty() || unit == "B") {
    multiplier = 1;
  } else if (unit == "kB") {
    multiplier = 1024.0;
  } else if (unit == "MB") {
    multiplier = 1024.0 * 1024;
  } else if (unit == "GB") {
    multiplier = 1024.0 * 1024 * 1024;
  } else if (unit == "TB") {
    multiplier = 1024.0 * 1024 * 1024 * 1024;
  } else {
    return -1;
  }
  const double bytes = value * multiplier;
  if (bytes > 9.0e18) return -1;
  return static_cast<int64_t>(bytes);
}

}  // namespace tessera
