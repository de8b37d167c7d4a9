#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "src/common/logical_type.h"

namespace tessera::storage { class Transaction; }

namespace tessera::catalog {

class Catalog;
class SequenceEntry;

/// The sequence values one session has obtained: currval per sequence and the sequence nextval
/// used last (lastval). Not transactional, as in PostgreSQL.
///
/// Thread-safety: thread-safe (the workers of one query may call nextval concurrently).
class SequenceSession {
 public:
  /// nextval returned `value` from `sequence` (also the sequence lastval reads).
  void record_next(Oid sequence, const std::string& name, int64_t value);
  /// setval(..., true) set `sequence` to `value`: currval returns it.
  void record_set(Oid sequence, int64_t value);
  /// currval of `sequence`, if nextval ran on it in this session.
  std::optional<int64_t> current(Oid sequence) const;
  /// The name and oid of the sequence nextval used last, if any.
  std::optional<std::pair<std::string, Oid>> last_used() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<Oid, int64_t> values_;
  std::optional<std::pair<std::string, Oid>> last_used_;
};

/// What the sequence functions (nextval, currval, setval, lastval) work with: the catalog, the
/// statement's transaction (to find sequences by name) and the session's values. Installed per
/// thread for a query's tasks, like DateTimeContext.
struct SequenceContext {
  Catalog* catalog = nullptr;
  const storage::Transaction* transaction = nullptr;
  SequenceSession* session = nullptr;
  /// The session's search_path setting (current_schema() and current_schemas() follow it).
  std::string search_path = "\"$user\", public";
};

/// The context installed on this thread; null when none is (a sequence function then raises 0A000).
const SequenceContext* current_sequence_context();

/// Installs `context` on this thread until destroyed, when it has a session (otherwise the
/// current one stays: a subquery's context inherits its query's).
class ScopedSequenceContext {
 public:
  explicit ScopedSequenceContext(const SequenceContext* context);
  ~ScopedSequenceContext();
  ScopedSequenceContext(const ScopedSequenceContext&) = delete;
  ScopedSequenceContext& operator=(const ScopedSequenceContext&) = delete;

 private:
  const SequenceContext* previous_;
};

/// The sequence a regclass-style text names ('s', 'public.s', '"S"'), as `context`'s
/// transaction sees it. Throws 42P01 when there is none, 42809 when it is another relation.
std::shared_ptr<SequenceEntry> find_sequence(const SequenceContext& context, std::string_view text);

}  // namespace tessera::catalog
