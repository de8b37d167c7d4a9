#pragma once

#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "sqllogictest/runner/connection.h"
#include "sqllogictest/runner/known_differences.h"
#include "sqllogictest/runner/record.h"
#include "sqllogictest/runner/test_file.h"

namespace tessera {

/// Settings shared by every file of a run.
struct RunnerOptions {
  /// The name skipif/onlyif compare with (case-insensitively).
  std::string engine = "postgresql";
  /// Print every failure in full (otherwise only the first kMaxReportedFailures of a file).
  bool verbose = false;
  /// Stop the file at its first failing record.
  bool fail_fast = false;
  /// The hash threshold a file starts with (the reference runner's default).
  size_t hash_threshold = 8;
  /// Records PostgreSQL 15 fails (null: none). A listed record must fail here too; it is then
  /// counted in FileOutcome::num_known, not as a failure. Not owned.
  const KnownDifferences* known = nullptr;
  /// Records whose outcome differs from PostgreSQL 15's because a feature is not built yet
  /// (null: none), in the same format: counted in FileOutcome::num_gaps whatever their outcome,
  /// never as failures. Not owned.
  const KnownDifferences* gaps = nullptr;
  /// Test files below this directory are keyed by their path relative to it (for `known` and
  /// `failure_log`).
  std::string corpus_root;
  /// When set, every failing record is also written there as `<file key>:<line>\t<reason>`
  /// (the known-differences format). Not owned.
  std::ostream* failure_log = nullptr;
};

/// The counts of one file's run.
struct FileOutcome {
  size_t num_records = 0;     ///< statement and query records evaluated (plus failed label checks)
  size_t num_failed = 0;
  size_t num_statements = 0;  ///< statement records run
  size_t num_queries = 0;     ///< query records run
  size_t num_skipped = 0;     ///< statement and query records skipped by skipif/onlyif
  size_t num_known = 0;       ///< listed known differences that failed, as on PostgreSQL 15
  size_t num_gaps = 0;        ///< listed gaps (features not built yet), whatever their outcome
  bool halted = false;        ///< a halt record ended the file early

  bool passed() const { return num_failed == 0; }
};

/// Runs the records of one test file against a connection and checks them as
/// sqllogictest/FORMAT.md prescribes, writing failure reports to `out`.
/// One TestRunner per file (labels and the hash threshold are per file). Not thread-safe.
class TestRunner {
 public:
  /// The number of failures printed per file without --verbose.
  static constexpr size_t kMaxReportedFailures = 10;

  TestRunner(const RunnerOptions& options, std::ostream& out);

  FileOutcome run(const TestFile& file, Connection& connection);

 private:
  /// Whether skipif/onlyif conditions exclude the record for this engine.
  bool skipped(const Record& record) const;
  /// Each returns true when the record passed; on failure it has already been reported.
  bool run_statement(const Record& record, Connection& connection);
  bool run_query(const Record& record, Connection& connection);
  /// Runs a statement or query record and adds its result to `outcome`, applying the
  /// known-differences list.
  void run_checked(const Record& record, Connection& connection, FileOutcome& outcome);
  /// Checks a skipped query's stored result against (or records it under) its label.
  bool check_skipped_label(const Record& record);

  /// Prints a failure of `record` with `reason` and optional expected/actual value listings.
  void report_failure(const Record& record, const std::string& reason,
                      const std::vector<std::string>* expected = nullptr,
                      const std::vector<std::string>* actual = nullptr);

  const RunnerOptions& options_;
  std::ostream& out_;
  const TestFile* file_ = nullptr;
  /// The running file's key for `known` and `failure_log`.
  std::string file_key_;
  /// Whether the record being run is a listed known difference (its failure is not reported).
  bool current_known_ = false;
  size_t hash_threshold_ = 8;
  size_t num_failures_reported_ = 0;
  size_t num_failures_ = 0;
  /// Label -> "N values hashing to H" of the first query that carried it.
  std::map<std::string, std::string> label_hashes_;
};

}  // namespace tessera
