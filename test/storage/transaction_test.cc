#include "storage/transaction.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "src/common/sql_error.h"
#include "storage/data_table.h"
#include "storage/transaction_manager.h"
#include "test/storage/table_test_data.h"
#include "test/support/sqlstate_of.h"

namespace tessera::storage {
namespace {

using test::all_types;
using test::make_chunk;

/// Records each call as "<name>.<function>" in a shared log; optionally throws in before_commit.
class RecordingHook : public TransactionHook {
 public:
  RecordingHook(std::string name, std::vector<std::string>& log, bool fail = false)
      : name_(std::move(name)), log_(log), fail_(fail) {}
  void before_commit(Transaction&, uint64_t commit_ts) override {
    log_.push_back(name_ + ".before_commit");
    seen_commit_ts = commit_ts;
    if (fail_) throw std::runtime_error("hook failed");
  }
  void after_commit(Transaction&, uint64_t commit_ts) noexcept override {
    log_.push_back(name_ + ".after_commit");
    EXPECT_EQ(seen_commit_ts, commit_ts);
  }
  void after_rollback(Transaction&) noexcept override { log_.push_back(name_ + ".after_rollback"); }

  uint64_t seen_commit_ts = 0;

 private:
  std::string name_;
  std::vector<std::string>& log_;
  bool fail_;
};

/// A versioned object that counts how often it was declared unreachable.
class Counted : public VersionedObject {
 public:
  int unreachable_calls = 0;

 protected:
  void on_unreachable() noexcept override { unreachable_calls++; }
};

size_t count_rows(const DataTable& table, const Transaction& txn) {
  auto global = table.begin_scan(txn, {test::kKeyColumn});
  LocalTableScanState local;
  DataChunk out;
  out.initialize({all_types()[test::kKeyColumn]});
  size_t n = 0;
  while (table.next_morsel(*global, local)) {
    while (table.scan(local, out)) n += out.size();
  }
  return n;
}

TEST(TransactionTest, UndoLogRecordsTypedEntriesAndMergesAdjacentAppends) {
  TransactionManager tm;
  DataTable table(all_types());
  auto txn = tm.begin();
  table.append(*txn, make_chunk(0, 100));
  table.append(*txn, make_chunk(100, 50));
  auto created = std::make_shared<Counted>();
  txn->record_create(created);
  auto existing = std::make_shared<Counted>();
  {
    auto setup = tm.begin();
    setup->record_create(existing);
    tm.commit(*setup);
  }
  auto txn2 = tm.begin();
  auto replacement = std::make_shared<Counted>();
  txn2->record_replace(existing, replacement);
  ASSERT_EQ(2u, txn->undo_log().size());
  const auto* rows = std::get_if<AppendedRows>(&txn->undo_log()[0]);
  ASSERT_NE(nullptr, rows);
  EXPECT_EQ(0u, rows->start);
  EXPECT_EQ(150u, rows->count) << "adjacent appends merge into one range";
  ASSERT_NE(nullptr, std::get_if<CreatedObject>(&txn->undo_log()[1]));
  ASSERT_EQ(1u, txn2->undo_log().size());
  const auto* replaced = std::get_if<ReplacedObject>(&txn2->undo_log()[0]);
  ASSERT_NE(nullptr, replaced);
  EXPECT_EQ(existing, replaced->old_version);
  EXPECT_EQ(replacement, replaced->new_version);
  EXPECT_EQ(txn->id(), created->created_version());
  EXPECT_EQ(txn2->id(), existing->deleted_version());
  EXPECT_FALSE(txn->is_read_only());
  EXPECT_FALSE(txn2->is_read_only());
}

TEST(TransactionTest, CommitStampsCatalogVersionsWithTheDataTimestamp) {
  TransactionManager tm;
  DataTable table(all_types());
  auto old_object = std::make_shared<Counted>();
  {
    auto setup = tm.begin();
    setup->record_create(old_object);
    tm.commit(*setup);
  }
  auto before = tm.begin();
  auto txn = tm.begin();
  auto created = std::make_shared<Counted>();
  txn->record_create(created);
  txn->record_drop(old_object);
  table.append(*txn, make_chunk(0, 10));
  EXPECT_TRUE(created->visible_to(*txn)) << "own creation is visible";
  EXPECT_FALSE(created->visible_to(*before)) << "uncommitted creation is invisible to others";
  EXPECT_FALSE(old_object->visible_to(*txn)) << "own drop hides the object";
  EXPECT_TRUE(old_object->visible_to(*before)) << "uncommitted drop does not hide it from others";
  EXPECT_TRUE(created->current_for(*txn));
  EXPECT_FALSE(created->current_for(*before));
  tm.commit(*txn);
  const uint64_t commit_ts = tm.last_commit_ts();
  EXPECT_EQ(commit_ts, created->created_version());
  EXPECT_EQ(commit_ts, old_object->deleted_version());
  EXPECT_TRUE(txn->undo_log().empty());
  auto after = tm.begin();
  EXPECT_TRUE(created->visible_to(*after));
  EXPECT_FALSE(old_object->visible_to(*after));
  EXPECT_EQ(10u, count_rows(table, *after));
  EXPECT_FALSE(created->visible_to(*before)) << "a snapshot older than the commit keeps its view";
  EXPECT_TRUE(old_object->visible_to(*before));
  EXPECT_EQ(0u, count_rows(table, *before));
  EXPECT_TRUE(created->current_for(*before)) << "DDL checks see the latest committed state";
  EXPECT_FALSE(old_object->current_for(*before));
}

TEST(TransactionTest, RollbackTakesBackRowsCreationsDropsAndReplacements) {
  TransactionManager tm;
  DataTable table(all_types());
  auto kept = std::make_shared<Counted>();
  auto replaced = std::make_shared<Counted>();
  {
    auto setup = tm.begin();
    setup->record_create(kept);
    setup->record_create(replaced);
    tm.commit(*setup);
  }
  auto txn = tm.begin();
  table.append(*txn, make_chunk(0, 10));
  auto created = std::make_shared<Counted>();
  txn->record_create(created);
  txn->record_drop(kept);
  auto replacement = std::make_shared<Counted>();
  txn->record_replace(replaced, replacement);
  tm.rollback(*txn);
  EXPECT_EQ(Transaction::State::kRolledBack, txn->state());
  auto after = tm.begin();
  EXPECT_EQ(0u, count_rows(table, *after));
  EXPECT_FALSE(created->visible_to(*after));
  EXPECT_EQ(kRolledBackVersion, created->created_version());
  EXPECT_TRUE(kept->visible_to(*after));
  EXPECT_EQ(kNotDeleted, kept->deleted_version());
  EXPECT_TRUE(replaced->visible_to(*after));
  EXPECT_FALSE(replacement->visible_to(*after));
  // Rolled-back versions are unreachable at once; restored ones are not garbage.
  EXPECT_EQ(1, created->unreachable_calls);
  EXPECT_EQ(1, replacement->unreachable_calls);
  EXPECT_EQ(0, kept->unreachable_calls);
  EXPECT_EQ(0, replaced->unreachable_calls);
}

TEST(TransactionTest, DroppedVersionsAreCollectedOnceNoSnapshotCanSeeThem) {
  TransactionManager tm;
  auto object = std::make_shared<Counted>();
  {
    auto setup = tm.begin();
    setup->record_create(object);
    tm.commit(*setup);
  }
  auto old_reader = tm.begin();
  auto dropper = tm.begin();
  dropper->record_drop(object);
  tm.commit(*dropper);
  EXPECT_TRUE(object->visible_to(*old_reader));
  EXPECT_EQ(0, object->unreachable_calls) << "an active snapshot still sees the dropped version";
  EXPECT_EQ(1u, tm.pending_garbage());
  EXPECT_EQ(old_reader->start_ts(), tm.oldest_active_start_ts());
  auto new_reader = tm.begin();
  tm.commit(*new_reader);
  EXPECT_EQ(0, object->unreachable_calls);
  tm.commit(*old_reader);
  EXPECT_EQ(1, object->unreachable_calls) << "collected when the last snapshot that saw it ended";
  EXPECT_EQ(0u, tm.pending_garbage());
  EXPECT_EQ(0u, tm.active_count());
  EXPECT_EQ(tm.last_commit_ts(), tm.oldest_active_start_ts());
  auto another = tm.begin();
  tm.rollback(*another);
  EXPECT_EQ(1, object->unreachable_calls) << "exactly once";
}

TEST(TransactionTest, ARefreshedSnapshotSeesLaterCommitsAndMovesTheOldestStart) {
  TransactionManager tm;
  DataTable table(all_types());
  auto object = std::make_shared<Counted>();
  {
    auto setup = tm.begin();
    setup->record_create(object);
    table.append(*setup, make_chunk(0, 10));
    tm.commit(*setup);
  }
  auto reader = tm.begin();
  const uint64_t first = reader->start_ts();
  auto dropper = tm.begin();
  dropper->record_drop(object);
  table.append(*dropper, make_chunk(10, 5));
  tm.commit(*dropper);
  EXPECT_EQ(10u, count_rows(table, *reader));
  EXPECT_TRUE(object->visible_to(*reader));
  EXPECT_EQ(first, tm.oldest_active_start_ts());
  tm.refresh_snapshot(*reader);
  EXPECT_EQ(tm.last_commit_ts(), reader->start_ts());
  EXPECT_EQ(15u, count_rows(table, *reader));
  EXPECT_FALSE(object->visible_to(*reader));
  EXPECT_EQ(tm.last_commit_ts(), tm.oldest_active_start_ts()) << "the active set follows the refresh";
  EXPECT_EQ(0, object->unreachable_calls);
  auto other = tm.begin();
  tm.commit(*other);
  EXPECT_EQ(1, object->unreachable_calls) << "no snapshot sees the dropped version any more";
  EXPECT_EQ(1u, tm.active_count());
  tm.commit(*reader);
  EXPECT_EQ(0u, tm.active_count());
}

TEST(TransactionTest, RollbackStatementTakesBackOnlyTheCurrentStatement) {
  TransactionManager tm;
  DataTable table(all_types());
  {
    auto setup = tm.begin();
    table.append(*setup, make_chunk(0, 10));
    tm.commit(*setup);
  }
  auto txn = tm.begin();
  txn->begin_statement();
  table.append(*txn, make_chunk(10, 5));
  const int64_t first_rows[] = {0, 1};
  EXPECT_EQ(2u, table.delete_rows(*txn, first_rows, 2));
  txn->begin_statement();
  // Adjacent to the first statement's rows, but recorded apart so that it can go alone.
  table.append(*txn, make_chunk(15, 5));
  const int64_t second_rows[] = {2, 3, 4};
  EXPECT_EQ(3u, table.delete_rows(*txn, second_rows, 3));
  auto created = std::make_shared<Counted>();
  txn->record_create(created);
  EXPECT_EQ(5u, txn->undo_log().size());
  tm.rollback_statement(*txn);
  EXPECT_EQ(2u, txn->undo_log().size());
  EXPECT_EQ(Transaction::State::kActive, txn->state());
  EXPECT_FALSE(created->visible_to(*txn));
  txn->begin_statement();
  EXPECT_EQ(13u, count_rows(table, *txn)) << "10 + 5 appended - 2 deleted by the first statement";
  // The statement runs again: the rows it deleted before are there to delete.
  EXPECT_EQ(3u, table.delete_rows(*txn, second_rows, 3));
  tm.commit(*txn);
  auto after = tm.begin();
  EXPECT_EQ(10u, count_rows(table, *after));
  tm.commit(*after);
  EXPECT_EQ(1, created->unreachable_calls) << "the statement's creation is garbage";
}

TEST(TransactionTest, CommitHooksRunOnceInOrderAroundPublication) {
  TransactionManager tm;
  DataTable table(all_types());
  std::vector<std::string> log;
  tm.add_global_hook(std::make_shared<RecordingHook>("global", log));
  auto txn = tm.begin();
  table.append(*txn, make_chunk(0, 5));
  auto first = std::make_shared<RecordingHook>("first", log);
  txn->add_hook(first);
  txn->add_hook(std::make_shared<RecordingHook>("second", log));
  const uint64_t before = tm.last_commit_ts();
  tm.commit(*txn);
  EXPECT_EQ(log, (std::vector<std::string>{"global.before_commit", "first.before_commit", "second.before_commit",
                                           "global.after_commit", "first.after_commit", "second.after_commit"}));
  EXPECT_EQ(before + 1, first->seen_commit_ts);
  EXPECT_EQ(tm.last_commit_ts(), first->seen_commit_ts);
}

/// Checks, from inside the hooks, what is visible when each runs.
class VisibilityProbe : public TransactionHook {
 public:
  VisibilityProbe(TransactionManager& tm, DataTable& table) : tm_(tm), table_(table) {}
  // A hook may begin transactions but must not end one (the commit lock is held): the readers
  // are kept and ended by the test.
  void before_commit(Transaction&, uint64_t commit_ts) override {
    reader_before = tm_.begin();
    rows_before = count_rows(table_, *reader_before);
    published_before = tm_.last_commit_ts() == commit_ts;
  }
  void after_commit(Transaction&, uint64_t commit_ts) noexcept override {
    reader_after = tm_.begin();
    rows_after = count_rows(table_, *reader_after);
    published_after = tm_.last_commit_ts() == commit_ts;
  }
  size_t rows_before = 99, rows_after = 99;
  bool published_before = true, published_after = false;
  std::unique_ptr<Transaction> reader_before, reader_after;

 private:
  TransactionManager& tm_;
  DataTable& table_;
};

TEST(TransactionTest, BeforeCommitRunsBeforeAndAfterCommitAfterPublication) {
  TransactionManager tm;
  DataTable table(all_types());
  auto txn = tm.begin();
  table.append(*txn, make_chunk(0, 7));
  auto probe = std::make_shared<VisibilityProbe>(tm, table);
  txn->add_hook(probe);
  tm.commit(*txn);
  EXPECT_EQ(0u, probe->rows_before);
  EXPECT_FALSE(probe->published_before);
  EXPECT_EQ(7u, probe->rows_after);
  EXPECT_TRUE(probe->published_after);
  tm.commit(*probe->reader_before);
  tm.commit(*probe->reader_after);
}

TEST(TransactionTest, RollbackHooksRunOnceInReverseOrder) {
  TransactionManager tm;
  std::vector<std::string> log;
  tm.add_global_hook(std::make_shared<RecordingHook>("global", log));
  auto txn = tm.begin();
  txn->add_hook(std::make_shared<RecordingHook>("first", log));
  txn->add_hook(std::make_shared<RecordingHook>("second", log));
  tm.rollback(*txn);
  EXPECT_EQ(log, (std::vector<std::string>{"second.after_rollback", "first.after_rollback", "global.after_rollback"}));
}

TEST(TransactionTest, AFailingCommitHookRollsTheWholeTransactionBack) {
  TransactionManager tm;
  DataTable table(all_types());
  auto object = std::make_shared<Counted>();
  std::vector<std::string> log;
  auto txn = tm.begin();
  table.append(*txn, make_chunk(0, 20));
  txn->record_create(object);
  txn->add_hook(std::make_shared<RecordingHook>("first", log));
  txn->add_hook(std::make_shared<RecordingHook>("failing", log, true));
  txn->add_hook(std::make_shared<RecordingHook>("third", log));
  const uint64_t clock = tm.last_commit_ts();
  EXPECT_THROW(tm.commit(*txn), std::runtime_error);
  EXPECT_EQ(log, (std::vector<std::string>{"first.before_commit", "failing.before_commit", "third.after_rollback",
                                           "failing.after_rollback", "first.after_rollback"}));
  EXPECT_EQ(Transaction::State::kRolledBack, txn->state());
  EXPECT_EQ(clock, tm.last_commit_ts()) << "nothing was published";
  auto reader = tm.begin();
  EXPECT_EQ(0u, count_rows(table, *reader));
  EXPECT_FALSE(object->visible_to(*reader));
  EXPECT_EQ(1, object->unreachable_calls);
  EXPECT_EQ(1u, tm.active_count()) << "only the reader is active";
}

/// Holds await_commit (the commit's wait for durability) until released, then optionally
/// throws; notes when before_commit ran.
class AwaitGate : public TransactionHook {
 public:
  explicit AwaitGate(bool fail = false) : fail_(fail) {}
  void before_commit(Transaction&, uint64_t commit_ts) override {
    std::lock_guard<std::mutex> lock(mutex_);
    commit_ts_ = commit_ts;
    written_ = true;
    changed_.notify_all();
  }
  void await_commit(Transaction&, uint64_t) override {
    std::unique_lock<std::mutex> lock(mutex_);
    waiting_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
    if (fail_) throw std::runtime_error("sync failed");
  }
  void wait_until_written() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return written_; });
  }
  void wait_until_waiting() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return waiting_; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  uint64_t commit_ts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return commit_ts_;
  }

 private:
  const bool fail_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool written_ = false, waiting_ = false, released_ = false;
  uint64_t commit_ts_ = 0;
};

TEST(TransactionTest, CommitsPublishInTimestampOrderOnceTheirWaitEnds) {
  TransactionManager tm;
  DataTable table(all_types());
  const uint64_t clock = tm.last_commit_ts();
  auto first = tm.begin();
  table.append(*first, make_chunk(0, 3));
  auto first_gate = std::make_shared<AwaitGate>();
  first->add_hook(first_gate);
  std::thread first_commit([&] { tm.commit(*first); });
  first_gate->wait_until_waiting();
  // The commit lock is free while the first waits: the second goes through before_commit and
  // finishes its own wait, but is published only after the first.
  auto second = tm.begin();
  table.append(*second, make_chunk(0, 4));
  auto second_gate = std::make_shared<AwaitGate>();
  second->add_hook(second_gate);
  second_gate->release();
  std::thread second_commit([&] { tm.commit(*second); });
  second_gate->wait_until_written();
  EXPECT_EQ(first_gate->commit_ts() + 1, second_gate->commit_ts());
  EXPECT_EQ(clock, tm.last_commit_ts()) << "nothing is published before the first commit's wait ends";
  // A reader neither waits nor sees either commit.
  auto reader = tm.begin();
  EXPECT_EQ(0u, count_rows(table, *reader));
  tm.commit(*reader);
  EXPECT_EQ(Transaction::State::kCommitted, reader->state());
  EXPECT_EQ(Transaction::State::kActive, second->state());
  first_gate->release();
  first_commit.join();
  second_commit.join();
  EXPECT_EQ(second_gate->commit_ts(), tm.last_commit_ts());
  auto after = tm.begin();
  EXPECT_EQ(7u, count_rows(table, *after));
  tm.commit(*after);
}

TEST(TransactionTest, AFailedWaitRollsBackAndTheNextCommitStillPublishes) {
  TransactionManager tm;
  DataTable table(all_types());
  auto first = tm.begin();
  table.append(*first, make_chunk(0, 3));
  auto first_gate = std::make_shared<AwaitGate>(/*fail=*/true);
  first->add_hook(first_gate);
  bool first_failed = false;
  std::thread first_commit([&] {
    try {
      tm.commit(*first);
    } catch (const std::runtime_error&) {
      first_failed = true;
    }
  });
  first_gate->wait_until_waiting();
  auto second = tm.begin();
  table.append(*second, make_chunk(0, 4));
  auto second_gate = std::make_shared<AwaitGate>();
  second->add_hook(second_gate);
  second_gate->release();
  std::thread second_commit([&] { tm.commit(*second); });
  // The second commit took the timestamp after the first's: it waits for the first's turn.
  second_gate->wait_until_written();
  first_gate->release();
  first_commit.join();
  second_commit.join();
  EXPECT_TRUE(first_failed);
  EXPECT_EQ(Transaction::State::kRolledBack, first->state());
  EXPECT_EQ(Transaction::State::kCommitted, second->state());
  EXPECT_EQ(second_gate->commit_ts(), tm.last_commit_ts());
  auto reader = tm.begin();
  EXPECT_EQ(4u, count_rows(table, *reader)) << "only the second commit's rows";
  tm.commit(*reader);
}

TEST(TransactionTest, AReadOnlyTransactionWithoutHookWorkTakesNoCommitTimestamp) {
  TransactionManager tm;
  auto txn = tm.begin();
  const uint64_t clock = tm.last_commit_ts();
  tm.commit(*txn);
  EXPECT_EQ(Transaction::State::kCommitted, txn->state());
  EXPECT_EQ(clock, tm.last_commit_ts());
  EXPECT_EQ(0u, tm.active_count());
  // A hook that has work for it (the default) takes it through the commit steps.
  std::vector<std::string> log;
  auto hooked = tm.begin();
  hooked->add_hook(std::make_shared<RecordingHook>("hook", log));
  tm.commit(*hooked);
  EXPECT_EQ(log, (std::vector<std::string>{"hook.before_commit", "hook.after_commit"}));
  EXPECT_EQ(clock + 1, tm.last_commit_ts());
}

TEST(TransactionTest, ATransactionDestroyedWhileActiveIsRolledBack) {
  TransactionManager tm;
  DataTable table(all_types());
  std::vector<std::string> log;
  {
    auto txn = tm.begin();
    table.append(*txn, make_chunk(0, 3));
    txn->add_hook(std::make_shared<RecordingHook>("hook", log));
    txn->lock("t", LockMode::kExclusive);
  }
  EXPECT_EQ(log, (std::vector<std::string>{"hook.after_rollback"}));
  EXPECT_EQ(0u, tm.active_count());
  auto other = tm.begin();
  other->lock("t", LockMode::kExclusive);  // released: does not wait
  EXPECT_EQ(0u, count_rows(table, *other));
}

// ---- Locks ------------------------------------------------------------------------------------

/// Waits (without a time limit: the test runner's timeout catches a hang) until `txn_id` waits
/// for `name`.
void wait_until_blocked(const LockManager& locks, uint64_t txn_id, const std::string& name) {
  while (!locks.is_waiting(txn_id, name)) std::this_thread::yield();
}

using test_support::sqlstate_of;

TEST(TransactionTest, ReservedIdsAreNotHandedOutAgain) {
  TransactionManager tm;
  auto first = tm.begin();
  const uint64_t used = first->id() + 5 * kVersionsPerTransaction + 3;
  tm.reserve_transaction_ids(used);
  auto next = tm.begin();
  EXPECT_EQ(Transaction::owner_of(used) + kVersionsPerTransaction, next->id());
  tm.reserve_transaction_ids(first->id());  // never lowers
  auto after = tm.begin();
  EXPECT_EQ(next->id() + kVersionsPerTransaction, after->id());
  tm.reserve_transaction_ids(7);  // a timestamp-like value below every id: nothing
  EXPECT_EQ(after->id() + kVersionsPerTransaction, tm.begin()->id());
  tm.commit(*first);
  tm.commit(*next);
  tm.commit(*after);
}

TEST(TransactionTest, SharedLocksAreCompatibleAndExclusiveOnesWait) {
  TransactionManager tm;
  auto a = tm.begin();
  auto b = tm.begin();
  a->lock("t", LockMode::kShared);
  b->lock("t", LockMode::kShared);
  a->lock("t", LockMode::kShared);  // again: no-op
  EXPECT_EQ(1u, tm.locks().held_count(a->id()));
  std::atomic<bool> granted{false};
  std::thread upgrader([&] {
    a->lock("t", LockMode::kExclusive);
    granted = true;
  });
  wait_until_blocked(tm.locks(), a->id(), "t");
  EXPECT_FALSE(granted.load());
  tm.commit(*b);
  upgrader.join();
  EXPECT_TRUE(granted.load());
  EXPECT_EQ(0u, tm.locks().waiting_count());
  tm.commit(*a);
  EXPECT_EQ(0u, tm.locks().held_count(a->id()));
}

TEST(TransactionTest, AWaitIsInterruptedByTheCancelFlag) {
  TransactionManager tm;
  auto holder = tm.begin();
  auto waiter = tm.begin();
  std::atomic<bool> cancel{false};
  waiter->set_interrupt_flag(&cancel);
  holder->lock("t", LockMode::kExclusive);
  std::string state;
  std::thread t([&] { state = sqlstate_of([&] { waiter->lock("t", LockMode::kShared); }); });
  wait_until_blocked(tm.locks(), waiter->id(), "t");
  cancel = true;
  t.join();
  EXPECT_EQ("57014", state);
  EXPECT_EQ(0u, tm.locks().waiting_count());
  EXPECT_EQ(0u, tm.locks().held_count(waiter->id()));
}

TEST(TransactionTest, ADeadlockFailsInTheTransactionThatClosesTheCycle) {
  TransactionManager tm;
  auto a = tm.begin();
  auto b = tm.begin();
  a->lock("x", LockMode::kExclusive);
  b->lock("y", LockMode::kExclusive);
  std::atomic<bool> a_granted{false};
  std::thread ta([&] {
    a->lock("y", LockMode::kExclusive);
    a_granted = true;
  });
  wait_until_blocked(tm.locks(), a->id(), "y");
  EXPECT_EQ("40P01", sqlstate_of([&] { b->lock("x", LockMode::kExclusive); }));
  EXPECT_FALSE(a_granted.load()) << "the other transaction keeps waiting";
  tm.rollback(*b);
  ta.join();
  EXPECT_TRUE(a_granted.load());
  tm.commit(*a);
}

TEST(TransactionTest, ADeadlockNamesTheObjectsOfOtherKinds) {
  TransactionManager tm;
  auto a = tm.begin();
  auto b = tm.begin();
  const std::string schema_lock("\0schema s", 9);
  a->lock(schema_lock, LockMode::kShared);
  b->lock(schema_lock, LockMode::kShared);
  std::thread ta([&] {
    try {
      a->lock(schema_lock, LockMode::kExclusive);
    } catch (const SqlError&) {
    }
  });
  wait_until_blocked(tm.locks(), a->id(), schema_lock);
  try {
    b->lock(schema_lock, LockMode::kExclusive);
    ADD_FAILURE() << "expected 40P01";
  } catch (const SqlError& e) {
    EXPECT_NE(std::string::npos, e.detail().value_or("").find("ExclusiveLock on schema \"s\";")) << *e.detail();
  }
  tm.rollback(*b);
  ta.join();
  tm.commit(*a);
}

TEST(TransactionTest, UpgradeDeadlockIsDetected) {
  TransactionManager tm;
  auto a = tm.begin();
  auto b = tm.begin();
  a->lock("t", LockMode::kShared);
  b->lock("t", LockMode::kShared);
  std::thread ta([&] { a->lock("t", LockMode::kExclusive); });
  wait_until_blocked(tm.locks(), a->id(), "t");
  EXPECT_EQ("40P01", sqlstate_of([&] { b->lock("t", LockMode::kExclusive); }));
  tm.rollback(*b);
  ta.join();
  tm.commit(*a);
}

}  // namespace
}  // namespace tessera::storage
