#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "src/common/value.h"

namespace tessera { class ResultReceiver; }
namespace tessera::storage { class Transaction; }
namespace tessera::catalog { class Catalog; }

namespace tessera::executor {

class Scheduler;
class PhysicalOperator;
class DataChunkCollection;

/// What statements that change session state (BEGIN, SET) need from the session. (Catalog and
/// data changes go to the query's transaction, which owns their undo.)
/// Implemented by the session; called on the statement thread (from finalize/source of
/// single-threaded utility operators).
class SessionServices {
 public:
  virtual ~SessionServices() = default;
  virtual void begin_transaction() = 0;
  virtual void commit_transaction() = 0;
  virtual void rollback_transaction() = 0;
  virtual void set_setting(const std::string& name, const std::string* value) = 0;
  virtual std::string show_setting(const std::string& name) const = 0;
};

/// The global states of one query's operators, so an operator in one role (a hash join's
/// probe, a sort's source) finds the state its sink role built. Thread-safe after setup.
class StateRegistry {
 public:
  virtual ~StateRegistry() = default;
  /// The global sink state of `op`, created before any pipeline runs.
  virtual struct GlobalState& sink_state(const PhysicalOperator& op) = 0;
};

/// Everything one query's operators share. Outlives all its pipelines; thread-safe members only.
struct QueryContext {
  Scheduler* scheduler = nullptr;
  catalog::Catalog* catalog = nullptr;
  storage::Transaction* transaction = nullptr;
  SessionServices* session = nullptr;
  /// Values of BoundParameter slots (correlated subquery inputs); null when none.
  const std::vector<Value>* parameters = nullptr;
  /// Set to stop the query (cancel request or a failed sibling worker).
  std::atomic<bool>* cancelled = nullptr;
  /// Where a streaming result collector sends rows; null when results are collected.
  ResultReceiver* receiver = nullptr;
  /// Global sink states of this query's operators.
  StateRegistry* states = nullptr;
  /// Worker threads pipelines may use; 1 runs everything on the calling thread.
  size_t max_threads = 1;

  bool is_cancelled() const { return cancelled && cancelled->load(std::memory_order_relaxed); }
  /// Raises 57014 when the query was cancelled.
  void check_cancelled() const;
};

/// One worker's view of a running pipeline.
struct WorkerContext {
  QueryContext& query;
  size_t worker_index = 0;
};

}  // namespace tessera::executor
