#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "test/durability/pg_client.h"
#include "test/durability/table_model.h"

namespace tessera::durability {

/// Counts of what one writer did, summed over the iterations.
struct WriterStats {
  int64_t transactions_committed = 0;
  int64_t transactions_rolled_back = 0;
  int64_t autocommit_statements = 0;
  int64_t statements = 0;
  int64_t copy_rows = 0;
  int64_t in_doubt_applied = 0;
  int64_t in_doubt_lost = 0;
};

/// One statement of the workload and its effect on the model once it succeeded.
struct Operation {
  std::string sql;
  /// Rows for `COPY ... FROM STDIN` (text format), when the statement is a COPY.
  std::optional<std::string> copy_data;
  /// The effect depends on the statement's result (RETURNING): only inside a transaction,
  /// whose COMMIT comes after the result.
  bool needs_result = false;
  /// Applies the effect to `model` and returns the row count the statement must report
  /// (INSERT / UPDATE / DELETE / COPY), or -1. `result` is null when it is not known.
  std::function<int64_t(DatabaseModel& model, const StatementResult* result)> apply;
};

/// A writer: one connection sending random transactions to its own tables (its names start
/// with its prefix, so two writers never touch the same table), and the model of those tables
/// as the acknowledged commits left them.
///
/// Not thread-safe: the harness runs each writer on its own thread while the server lives and
/// reads its state only after joining it.
class Writer {
 public:
  Writer(std::string prefix, uint64_t seed, bool uses_schemas);

  /// Sends transactions on `client` until the connection breaks, a check fails or `stop` is
  /// set (checked between transactions). `killed` tells whether the harness killed the server
  /// (a connection lost before that is a failure).
  void run(PgClient& client, const std::atomic<bool>& killed, const std::atomic<bool>& stop);

  /// The model every acknowledged commit has been applied to.
  const DatabaseModel& committed() const { return committed_; }
  /// The model with the transaction whose COMMIT was sent but not answered, if any.
  const std::optional<DatabaseModel>& in_doubt() const { return in_doubt_; }
  /// After a restart: the server's state equals the model with the in-doubt transaction
  /// (`applied`) or without it.
  void resolve_in_doubt(bool applied);

  /// Every table name the writer may create (qualified): a restart's check reads them all.
  std::vector<std::string> table_names() const;
  /// Every schema the writer may create.
  std::vector<std::string> schema_names() const;

  void set_checkpoint_supported(bool supported) { checkpoint_supported_ = supported; }
  /// A check the workload makes before any crash failed (the server's answer differs from
  /// the model, an unexpected error, a sequence value handed out twice): the message.
  const std::string& failure() const { return failure_; }
  const WriterStats& stats() const { return stats_; }
  const std::string& prefix() const { return prefix_; }

 private:
  enum class Outcome : uint8_t { kContinue, kStop };

  Outcome run_autocommit(PgClient& client, const std::atomic<bool>& killed);
  Outcome run_transaction(PgClient& client, const std::atomic<bool>& killed);
  /// Handles an unsuccessful statement: kStop when the connection broke or it is a failure.
  Outcome on_error(const StatementResult& result, const std::string& sql, const std::atomic<bool>& killed);
  bool check_count(const Operation& op, int64_t expected, const StatementResult& result);

  Operation next_operation(const DatabaseModel& model, bool in_transaction);
  Operation catalog_operation(const DatabaseModel& model);
  Operation insert_operation(const std::string& name, const TableModel& table);
  Operation copy_operation(const std::string& name, const TableModel& table);
  Operation update_operation(const std::string& name, const TableModel& table);
  Operation delete_operation(const std::string& name, const TableModel& table);
  Operation alter_operation(const std::string& name, const TableModel& table);
  Operation index_operation(const std::string& name, const TableModel& table);
  Operation create_table_operation(const std::string& name, TableKind kind);

  /// A row of values for the columns the workload writes (generated ones are left out).
  Row random_row(const TableModel& table);
  Cell random_value(ColumnType type, bool key);
  std::string random_text();
  /// A predicate on the key column and its evaluation by the model.
  std::pair<std::string, std::function<bool(const Row&)>> key_predicate(const TableModel& table);

  int64_t uniform(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  std::string prefix_;
  std::mt19937_64 rng_;
  bool uses_schemas_;
  bool checkpoint_supported_ = false;
  DatabaseModel committed_;
  std::optional<DatabaseModel> in_doubt_;
  std::string failure_;
  WriterStats stats_;
  /// Keys of keyed tables and index names are never reused, so no statement collides.
  int64_t next_key_ = 1;
  int64_t next_index_ = 1;
};

/// SQL literal of a cell of the given type.
std::string sql_literal(const Cell& cell, ColumnType type);

}  // namespace tessera::durability
