#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "src/common/data_chunk.h"

namespace tessera::executor {

class Scheduler;
class Task;

/// A notice raised while a query runs (NOTICE severity), delivered in order with the rows.
struct QueryNotice {
  std::string sqlstate;
  std::string message;
  std::string detail;
};

/// The bounded hand-off between a query's workers and the statement thread that owns the
/// query. Producers (the streaming result collector's tasks, on scheduler workers) push
/// chunks; when `capacity` chunks wait, a push is refused and the producing task is registered
/// to be woken once the consumer takes a chunk, so the task parks instead of blocking its
/// worker. The consumer (the statement thread, the only one that talks to the client) pops.
/// Notices are queued in order with the rows and do not count against the capacity.
/// Thread-safe.
class ResultQueue {
 public:
  /// One item: a chunk of rows or a notice.
  struct Item {
    bool is_notice = false;
    DataChunk chunk;
    QueryNotice notice;
  };

  /// `scheduler` wakes parked producers; `capacity` is in chunks (at least 1).
  ResultQueue(Scheduler* scheduler, size_t capacity);

  enum class PushResult : uint8_t {
    kAccepted,  ///< a copy of the chunk is queued
    kFull,      ///< refused; the producer is registered for a wake and must park
    kClosed,    ///< the consumer is gone; the chunk was dropped and the producer may stop
  };
  /// Offers a copy of `chunk`. When the queue is full, registers `producer` to be woken once
  /// the consumer frees space; `producer` must then park (TaskResult::kBlocked).
  PushResult push(const DataChunk& chunk, Task& producer);
  /// Queues a notice; never refused.
  void push_notice(QueryNotice notice);
  /// No more items will come (the query ended, successfully or not). Wakes the consumer.
  void finish();
  /// The consumer is gone: drops every queued item, wakes parked producers and refuses
  /// nothing from now on (pushes are dropped), so the query can run down.
  void close();
  bool closed() const;

  /// Waits for the next item. Returns false once the queue is finished and empty.
  bool pop(Item& item);

  size_t capacity() const { return capacity_; }
  /// Chunks waiting now (for tests).
  size_t queued_chunks() const;
  /// The most chunks that ever waited at once (for tests: never above capacity()).
  size_t high_water_mark() const;

 private:
  /// Wakes every registered producer. Requires mutex_; the wake happens outside the lock.
  std::vector<Task*> take_blocked_locked();

  Scheduler* scheduler_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::deque<Item> items_;
  size_t queued_chunks_ = 0;
  size_t high_water_mark_ = 0;
  std::vector<Task*> blocked_;  ///< producers parked on a full queue
  bool finished_ = false;
  bool closed_ = false;
};

}  // namespace tessera::executor
