#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tessera {

/// Counts the bytes of the large allocations of queries — vector buffers, string heaps, hash
/// tables, sort buffers, collections — against a limit. The server has one root tracker
/// (`--memory-limit`); each query has a child that forwards every reservation to it, so the
/// root's count is the server's total and its limit is server-wide. A reservation that would
/// take the root past its limit raises SqlError 53200 (out of memory), so the query fails, its
/// structures are destroyed and their bytes returned, and the server stays up.
///
/// Allocations are charged to the tracker current on the allocating thread (set with
/// MemoryTrackerScope by whoever runs a query's work: scheduler tasks, the statement thread);
/// an allocation made with no current tracker is not counted. Thread-safe.
class MemoryTracker : public std::enable_shared_from_this<MemoryTracker> {
 public:
  /// A tracker with `limit` bytes (0: unlimited), forwarding to `parent` when it has one.
  explicit MemoryTracker(int64_t limit = 0, std::shared_ptr<MemoryTracker> parent = nullptr)
      : limit_(limit), parent_(std::move(parent)) {}

  /// Counts `bytes`; raises 53200 when this tracker or an ancestor would pass its limit (and
  /// counts nothing then), unless MemoryTracker::NoFailScope is active on this thread.
  void reserve(size_t bytes);
  /// Returns bytes reserved earlier.
  void release(size_t bytes);

  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }

  /// The tracker allocations on this thread are charged to, or null.
  static MemoryTracker* current();

  /// Makes `tracker` current on this thread for the scope's lifetime (null: none).
  class Scope {
   public:
    explicit Scope(MemoryTracker* tracker);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    MemoryTracker* previous_;
  };

  /// Within this scope reservations on this thread are counted but never fail: for writes that
  /// must not stop half-way (storage appends), whose bytes then count against later queries.
  class NoFailScope {
   public:
    NoFailScope();
    ~NoFailScope();
    NoFailScope(const NoFailScope&) = delete;
    NoFailScope& operator=(const NoFailScope&) = delete;

   private:
    bool previous_;
  };

 private:
  bool try_reserve(size_t bytes, bool may_fail);

  const int64_t limit_;
  const std::shared_ptr<MemoryTracker> parent_;
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
};

/// Bytes one structure holds, charged to the thread's current tracker when first set and
/// adjusted as the structure grows or shrinks; released on destruction. Move-only.
class MemoryCharge {
 public:
  MemoryCharge() = default;
  ~MemoryCharge() { reset(); }
  MemoryCharge(MemoryCharge&& other) noexcept
      : tracker_(std::move(other.tracker_)), bytes_(other.bytes_) {
    other.bytes_ = 0;
  }
  MemoryCharge& operator=(MemoryCharge&& other) noexcept;
  MemoryCharge(const MemoryCharge&) = delete;
  MemoryCharge& operator=(const MemoryCharge&) = delete;

  /// The structure now holds `bytes`: reserves the growth (may raise 53200, leaving the charge
  /// unchanged) or releases the shrinkage.
  void set(size_t bytes);
  /// Releases everything.
  void reset();
  size_t bytes() const { return bytes_; }

 private:
  std::shared_ptr<MemoryTracker> tracker_;
  size_t bytes_ = 0;
};

/// Parses a memory size as PostgreSQL's memory settings write them ("512MB", "4GB", "1048576"
/// bytes); -1 when it is not one.
int64_t parse_memory_size(const std::string& text);

}  // namespace tessera
