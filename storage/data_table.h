#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "storage/hash_index.h"
#include "storage/row_group.h"
#include "storage/storage_constants.h"
#include "storage/table_filter.h"
#include "storage/table_scan_state.h"
#include "storage/table_statistics.h"
#include "storage/transaction.h"
#include "storage/zone_map.h"

namespace tessera::storage {

/// The rows of one table, in memory: a list of row groups of up to kRowGroupSize rows, each a
/// set of columns stored as lists of segments with a zone map each (and one per column and row
/// group), plus per-row insert versions for MVCC. Scans take pushed-down filters and skip row
/// groups and segments their zone maps exclude. New rows go to the end of the last row group.
///
/// Thread-safety: all methods are thread-safe. Appends (from any number of threads and
/// transactions) are serialized by an append lock; scans never take it and run concurrently
/// with appends and commits, reading only published rows.
/// How one column segment stores its rows (DataTable::segment_stats).
struct SegmentStats {
  size_t row_group = 0;
  size_t column = 0;
  size_t rows = 0;
  SegmentEncoding encoding = SegmentEncoding::kUncompressed;
  const char* codec = "none";  ///< the data file's block codec ("none" when only in memory)
  size_t compressed_bytes = 0;
  size_t uncompressed_bytes = 0;
  ZoneMap zone_map;
};

class DataTable {
 public:
  /// A new, empty table. `storage_id` 0 takes a new durable storage id; recovery passes the
  /// id the table had (see reserve_storage_ids).
  explicit DataTable(std::vector<LogicalType> types, uint64_t storage_id = 0);
  DataTable(const DataTable&) = delete;
  DataTable& operator=(const DataTable&) = delete;

  const std::vector<LogicalType>& types() const { return types_; }
  /// The id naming this table's rows in the WAL and in data files: unique within the process,
  /// and across restarts once recovery has reserved the ids it found. A new version of a
  /// table that keeps its rows shares the DataTable and so the id; a rewrite gets a new one.
  uint64_t storage_id() const { return storage_id_; }
  /// Makes every id handed out from now on greater than `used` (recovery, after reading the
  /// ids of the recovered tables).
  static void reserve_storage_ids(uint64_t used);

  /// Recovery: places `chunk`'s rows at row ids [position, position + size), committed for
  /// every snapshot. Rows between the current end and `position` become rows no snapshot
  /// sees (as a rolled-back insert leaves them), so that every row keeps the id it had.
  /// Requires position >= the current row count; not concurrent with anything else.
  void restore_rows(uint64_t position, const DataChunk& chunk);
  /// Recovery: appends `group` (a full row group read from a data file, starting at a row
  /// group boundary at or after the current end; rows in between become invisible filler
  /// rows as in restore_rows), its rows committed for every snapshot. The group's values
  /// reach the statistics through the sketches a checkpoint saved (merge_sketches).
  void restore_row_group(std::shared_ptr<RowGroup> group);
  /// Checkpoints: the distinct-value sketches of every column (varint column count, then
  /// DistinctSketch::write each). They count every value ever appended, so saved at any moment
  /// and merged at recovery with the rows replayed after, they count what they counted before.
  void write_sketches(BinaryWriter& out) const;
  /// Recovery: folds sketches write_sketches wrote into this table's (XX001 for another shape).
  void merge_sketches(BinaryReader& in);
  /// The row groups as they are now (a snapshot of the list; checkpoints).
  std::vector<std::shared_ptr<const RowGroup>> row_groups() const;
  /// Recovery: rows `row_ids` (existing) are deleted for every snapshot.
  void restore_deletes(const int64_t* row_ids, size_t count);
  /// Row ids handed out so far: one past the last row (rolled-back and deleted rows included).
  uint64_t row_id_end() const;

  /// Appends the chunk's rows (any Vector representation; strings are copied into storage-owned
  /// heaps) as rows of `txn`, visible only to `txn` until it commits. Safe to call from several
  /// threads at once (parallel insert), also for the same transaction.
  void append(Transaction& txn, const DataChunk& chunk);

  /// The table's indexes (DataTable keeps them; the catalog says which ones exist). Adding
  /// and removing take the index lock, so they never race with append_indexed.
  void add_index(std::shared_ptr<HashIndex> index);
  void remove_index(const HashIndex& index);
  std::vector<std::shared_ptr<HashIndex>> indexes() const;

  /// append for a table with indexes: `indexes` are the table's (as indexes() returned them,
  /// under a lock that keeps them from changing), `keys[i][r]` row r's key for indexes[i].
  /// Under the index lock, checks every unique index first: a key held by a row whose insert
  /// committed or is `txn`'s own and that is not deleted (a committed delete, or `txn`'s,
  /// frees it), or by an earlier row of the chunk, raises 23505 with PostgreSQL's message
  /// (`duplicate key value violates unique constraint "name"`, DETAIL `Key (a)=(1) already
  /// exists.`) and appends nothing. A key held by another transaction's insert or delete in
  /// flight is waited for (its end; 57014 when interrupted, 40P01 on deadlock), then checked
  /// again. Then appends the rows and enters their keys in every index. `replaced` (UPDATE,
  /// or null): row i replaces row replaced[i], which the current statement deleted; as in
  /// PostgreSQL, which checks row by row, the rows replaced[j] for j > i still hold their keys
  /// when row i is checked.
  void append_indexed(Transaction& txn, const DataChunk& chunk, const std::vector<std::shared_ptr<HashIndex>>& indexes,
                      const std::vector<std::vector<IndexKey>>& keys, const int64_t* replaced = nullptr);
  /// For each of `keys` (of `index`, one of this table's unique indexes): whether a row that is
  /// current for `txn` (inserted by a committed transaction or by `txn`, not deleted by either)
  /// holds it: found[i] is 1 or 0 (0 for a key with a NULL). A row another running
  /// transaction inserted or deleted is waited for (its end; 57014 when interrupted, 40P01 on
  /// deadlock), then looked at again. FOREIGN KEY checks of referencing rows.
  std::vector<uint8_t> find_keys(Transaction& txn, const HashIndex& index, const std::vector<IndexKey>& keys);
  /// find_keys giving, for each key, the id of the row holding it (-1 when none): INSERT ...
  /// ON CONFLICT's arbiter lookup.
  std::vector<int64_t> find_key_rows(Transaction& txn, const HashIndex& index, const std::vector<IndexKey>& keys);
  /// Every row current for `txn` (as find_keys sees them) holding one of `keys` in `index`
  /// (any of this table's indexes, unique or not): pairs (position in `keys`, row id). A row
  /// another running transaction inserted or deleted is waited for, then looked at again.
  /// FOREIGN KEY actions finding the referencing rows of removed keys.
  std::vector<std::pair<size_t, int64_t>> find_all_key_rows(Transaction& txn, const HashIndex& index,
                                                            const std::vector<IndexKey>& keys);
  /// An index scan's lookup: appends to `found` a pair (position in `keys`, row id) for every
  /// row holding one of `keys` in `index` (any of this table's indexes) that `visibility` sees
  /// (inserted and not deleted in that snapshot), key by key, each key's rows in row id order.
  /// A key with a NULL matches nothing. Never waits: the snapshot decides about writes in
  /// flight, as it does for a scan. Takes the index lock.
  void lookup_rows(const RowVisibility& visibility, const HashIndex& index, const std::vector<IndexKey>& keys,
                   std::vector<std::pair<uint32_t, int64_t>>& found) const;
  /// Reads columns `column_ids` (table column indexes, or kRowIdColumn for the row id) of the
  /// rows `row_ids` (ascending, existing, at most kVectorSize) into `out` (initialized with
  /// those columns' types); sets its size to `count`.
  void fetch_columns(const int64_t* row_ids, size_t count, const std::vector<size_t>& column_ids, DataChunk& out) const;
  /// Whether row `row_id` (current for `txn`: see find_key_rows) is in `txn`'s snapshot:
  /// inserted by `txn` or by a transaction that committed before `txn` started.
  bool row_in_snapshot(const Transaction& txn, int64_t row_id) const;
  /// Reads every column of rows `row_ids` (existing rows) into `out` (initialized with the
  /// table's types; its size is set to `count`).
  void fetch_rows(const int64_t* row_ids, size_t count, DataChunk& out) const;
  /// Enters rows `row_ids` (their `keys`) in `index`, which is not yet in use: building an
  /// index over existing rows (from scan_latest). A unique index raises 23505 `could not create
  /// unique index "name"`, DETAIL `Key (a)=(1) is duplicated.` when two of them share a key;
  /// `chunk` holds the rows (index key columns at their table positions) for the message.
  void build_index_entries(HashIndex& index, const DataChunk& chunk, const int64_t* row_ids,
                           const std::vector<IndexKey>& keys);
  /// A scan of every row that is current for `txn` whatever its snapshot: inserted by a
  /// committed transaction or by `txn`, and not deleted by either (building an index under an
  /// exclusive lock on the table, when no other transaction has writes in flight).
  std::unique_ptr<ParallelTableScanState> begin_scan_latest(const Transaction& txn, std::vector<size_t> column_ids) const;

  /// Deletes the rows `row_ids` (from a scan's kRowIdColumn, visible to `txn`) as `txn`; they
  /// stay visible to other transactions until it commits, and to snapshots older than the
  /// commit after it. Rows `txn` already deleted are skipped (a row joined to several source
  /// rows is deleted once). A row deleted by a transaction still running is waited for (that
  /// transaction's end; 57014 when interrupted, 40P01 on deadlock): if it committed, or the
  /// row's delete committed after `txn`'s snapshot, the delete fails with 40001 (snapshot
  /// isolation: PostgreSQL's REPEATABLE READ); if it rolled back, the row is deleted. Returns
  /// the number of rows deleted and, when `deleted` is given, writes the positions i (in
  /// order) of the row ids this call deleted into it. Rows deleted before an error stay
  /// recorded in `txn`'s undo log (its rollback restores them).
  size_t delete_rows(Transaction& txn, const int64_t* row_ids, size_t count, uint32_t* deleted = nullptr);
  /// delete_rows without waiting: rows another running transaction deleted are left alone and
  /// their positions written to `blocked` (`blocked_count` of them), for a later delete_rows
  /// (parallel deleters leave the waits to one thread, so that a transaction waits in one place
  /// and the lock manager's wait-for graph sees it).
  size_t delete_rows_without_waiting(Transaction& txn, const int64_t* row_ids, size_t count, uint32_t* deleted,
                                     uint32_t* blocked, size_t& blocked_count);
  /// Deletes every row whose insert committed (whatever `txn`'s snapshot) or is `txn`'s own and
  /// that no committed transaction deleted: TRUNCATE, which runs under an exclusive lock on
  /// the table, so no other transaction has rows or deletes in flight. Returns the count.
  size_t delete_all(Transaction& txn);

  /// The number of rows current for `txn` as begin_scan_latest sees them (VACUUM, under the
  /// table's exclusive lock, counts its dead row slots with it); `check_cancelled` (if set)
  /// runs between chunks.
  size_t count_current_rows(const Transaction& txn, const std::function<void()>& check_cancelled = {}) const;

  /// Rough number of rows for the planner's estimates: every row appended (committed,
  /// uncommitted or rolled back) less the rows whose delete committed.
  size_t estimated_row_count() const;

  /// Starts a scan of `column_ids` (table column indexes, in output order) for `txn`, returning
  /// only rows that satisfy `filters` (on any table columns, projected or not; each filter's
  /// constants have its column's type). The state snapshots the current row groups; `txn` need
  /// not outlive it.
  std::unique_ptr<ParallelTableScanState> begin_scan(const Transaction& txn, std::vector<size_t> column_ids,
                                                     TableFilterSet filters = {}) const;
  /// Claims the next morsel (one row group) for a worker, skipping (and counting) row groups
  /// whose zone maps exclude a filter; false when none are left.
  bool next_morsel(ParallelTableScanState& global, LocalTableScanState& local) const;
  /// Fills `out` (initialized by the caller with the projected column types, in column_ids
  /// order) with up to kVectorSize rows of the claimed morsel that are visible to the scan's
  /// transaction and satisfy its filters; returns false when the morsel is exhausted
  /// (out.size() == 0 then). Vectors in `out` may reference storage (writes copy first); they
  /// stay valid (strings included) while `out` holds them, even if the table is dropped. A
  /// dictionary vector's selection lives in `local`: valid until the next call.
  bool scan(LocalTableScanState& local, DataChunk& out) const;

  /// Estimated statistics for the planner: the row count, and per column the NULL fraction and
  /// min/max from the row groups' zone maps and the distinct count from a HyperLogLog sketch
  /// kept on append. The row count follows committed deletes; the column figures cover every
  /// row ever appended (deleted rows may stay inside min/max) until ANALYZE measures them
  /// (analyze): from then on they are ANALYZE's figures plus the zone maps of rows appended
  /// since, and the row count is ANALYZE's live count plus rows appended since less deletes
  /// committed since.
  TableStatistics statistics() const;
  /// ANALYZE: measures the rows `txn`'s snapshot sees (inserted and not deleted in it): for each
  /// of `column_ids` (table column indexes) the NULL count, min/max and a new distinct sketch of
  /// their values, which replace the figures statistics() reports for them (other columns keep
  /// theirs); the row count becomes the rows current now (as begin_scan_latest sees them, so
  /// that rows committed after the snapshot are not lost). Returns the snapshot's live row
  /// count. Runs concurrently with anything; an append racing with it may be missing from the
  /// sketch (an estimate).
  size_t analyze(const Transaction& txn, const std::vector<size_t>& column_ids);

  /// Number of row groups (tests, statistics).
  size_t row_group_count() const;
  /// Zone map of the segment of column `column` that holds table row
  /// `segment_index * kVectorSize` (empty when there is no such row yet).
  ZoneMap zone_map(size_t column, size_t segment_index) const;
  /// Zone map of column `column` over row group `row_group_index` (empty if it does not exist).
  ZoneMap row_group_zone_map(size_t column, size_t row_group_index) const;
  /// Every segment of every column (row group by row group, column by column), for statistics
  /// such as the tessera_storage view. Includes rows not committed yet.
  std::vector<SegmentStats> segment_stats() const;

 private:
  std::shared_ptr<RowGroup> row_group_at(size_t index) const;
  /// Rows whose delete committed, over every row group.
  size_t committed_delete_count() const;
  /// Appends invisible filler rows up to row id `position`; append lock held.
  void fill_to_locked(uint64_t position);
  /// Appends under the append lock; returns the row id of the first row (an append's rows get
  /// consecutive row ids).
  int64_t append_rows(Transaction& txn, const DataChunk& chunk);
  /// Whether row `row_id` holds its key for a uniqueness check by `txn`: 1 yes, 0 no, or the
  /// id of the transaction whose in-flight insert or delete decides it (to wait for).
  /// `replaced_later`: the row was deleted by the current statement but counts as live.
  uint64_t key_holder_state(const Transaction& txn, int64_t row_id, bool replaced_later) const;
  std::string key_text(const HashIndex& index, const DataChunk& chunk, size_t row) const;
  /// delete_rows; with `blocked_count` set, without waiting (see delete_rows_without_waiting).
  size_t delete_rows_impl(Transaction& txn, const int64_t* row_ids, size_t count, uint32_t* deleted,
                          uint32_t* blocked, size_t* blocked_count);

  /// Appends `count` rows of `columns` (from `offset`) as `version`'s, recording each piece
  /// with `record` (row group, start, count); append lock held.
  template <class Record>
  void append_locked(const std::vector<UnifiedVectorFormat>& columns, size_t count, uint64_t version, Record&& record);

  const std::vector<LogicalType> types_;
  const uint64_t storage_id_;
  std::mutex append_mutex_;  // one appender at a time
  mutable std::mutex row_groups_mutex_;  // guards the row_groups_ list (not the groups' contents)
  std::vector<std::shared_ptr<RowGroup>> row_groups_;
  std::atomic<size_t> row_count_{0};
  std::vector<std::unique_ptr<DistinctSketch>> sketches_;  // one per column, updated on append
  mutable std::mutex analysis_mutex_;  // guards analysis_
  std::optional<TableAnalysis> analysis_;  // the last ANALYZE's figures
  mutable std::mutex index_mutex_;  // guards indexes_ and every index's contents
  std::vector<std::shared_ptr<HashIndex>> indexes_;
};

}  // namespace tessera::storage
