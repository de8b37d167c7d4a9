#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "catalog/sequence_session.h"
#include "src/common/datetime.h"
#include "src/common/value.h"

namespace tessera { class MemoryTracker; }
namespace tessera::storage { class Transaction; }
namespace tessera::catalog { class Catalog; }

namespace tessera::executor {

class Scheduler;
class Task;
class PhysicalOperator;
class ResultQueue;
class SessionSettings;
class DataChunkCollection;
class QueryProfile;


/// The global states of one query's operators, so an operator in one role (a hash join's
/// probe, a sort's source) finds the state its sink role built. Thread-safe after setup.
class StateRegistry {
 public:
  virtual ~StateRegistry() = default;
  /// The global sink state of `op`, created before any pipeline runs.
  virtual struct GlobalState& sink_state(const PhysicalOperator& op) = 0;
  /// The global sink state of `op` if this query has one, else null.
  virtual struct GlobalState* find_sink_state(const PhysicalOperator& op) { return nullptr; }
};

/// Everything one query's operators share. Outlives all its pipelines; thread-safe members only.
struct QueryContext {
  Scheduler* scheduler = nullptr;
  catalog::Catalog* catalog = nullptr;
  storage::Transaction* transaction = nullptr;
  /// The session's settings, read by SHOW and written by SET; null when the query runs
  /// outside a session. Used by one statement at a time.
  SessionSettings* settings = nullptr;
  /// The session's TimeZone and the transaction and statement start times, installed on the
  /// threads that run the query's tasks (timestamptz casts and output, now()).
  DateTimeContext datetime;
  /// The catalog, transaction and session values sequence functions use, installed on the
  /// threads that run the query's tasks; without a session (subqueries) the enclosing
  /// query's stays installed.
  catalog::SequenceContext sequences;
  /// Values of BoundParameter slots (correlated subquery inputs); null when none.
  const std::vector<Value>* parameters = nullptr;
  /// Set to stop the query with 57014 (the session's cancel request).
  std::atomic<bool>* cancelled = nullptr;
  /// Set by the executor to stop the query's tasks (a failed task, a closed portal).
  std::atomic<bool> stopped{false};
  /// The hand-off to the statement thread: a streaming result collector's rows and the
  /// query's notices. Null when nobody consumes them (subqueries, collected results).
  ResultQueue* results = nullptr;
  /// Rows the statement processed, for its command tag: rows sent to the client, inserted,
  /// or written by CREATE TABLE AS; added to by the sink that does the work.
  std::atomic<uint64_t> processed_rows{0};
  /// Global sink states of this query's operators.
  StateRegistry* states = nullptr;
  /// Collects what each operator did (rows, time, scan statistics) for EXPLAIN ANALYZE; null
  /// when nobody asked. Installed by the EXPLAIN ANALYZE operator's sink state before any
  /// pipeline runs.
  QueryProfile* profile = nullptr;
  /// Worker threads pipelines may use; 1 runs everything on the calling thread.
  size_t max_threads = 1;
  /// Counts the query's memory (a child of the server's tracker); null: not counted. Current
  /// on every thread while it works for the query.
  std::shared_ptr<MemoryTracker> memory;
  /// The query this one runs inside of (a subquery evaluated by an expression, an iteration of
  /// a recursive WITH query), whose sink states its operators may read (a materialized WITH
  /// query's rows); null for a statement's query.
  const QueryContext* parent = nullptr;

  bool is_cancelled() const {
    return stopped.load(std::memory_order_relaxed) || (cancelled && cancelled->load(std::memory_order_relaxed));
  }
  /// Raises 57014 when the query was cancelled or stopped.
  void check_cancelled() const;
  /// The global sink state of `op` in this query or the nearest enclosing one that has it.
  struct GlobalState& enclosing_sink_state(const PhysicalOperator& op) const;
  /// Sends a NOTICE to the client, in order with the rows; dropped when nobody listens.
  void notice(std::string sqlstate, std::string message, std::string detail = "") const;
};

/// One worker's view of a running pipeline.
struct WorkerContext {
  QueryContext& query;
  size_t worker_index = 0;
  /// The scheduler task running this worker's share of the pipeline; null when the pipeline
  /// runs inline on the calling thread. A sink that returns kBlocked registered it for a wake.
  Task* task = nullptr;
};

}  // namespace tessera::executor
