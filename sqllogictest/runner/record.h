#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tessera {

/// How a query's result values are ordered before comparison and hashing.
enum class SortMode : uint8_t {
  kNoSort = 0,     ///< the engine's order
  kRowSort = 1,    ///< rows sorted by their rendered values, column by column (strcmp)
  kValueSort = 2,  ///< every rendered value sorted on its own
};

/// What a record asks the runner to do.
enum class RecordKind : uint8_t {
  kStatementOk = 0,
  kStatementError = 1,
  kQuery = 2,
  kHashThreshold = 3,
  kHalt = 4,
  kInvalid = 5,  ///< a record the parser could not understand; `parse_error` says why
};

/// A `skipif <engine>` or `onlyif <engine>` prefix line.
struct Condition {
  bool only_if = false;  ///< onlyif when true, skipif when false
  std::string engine;
};

/// One record of a test file, after comment lines were removed.
struct Record {
  RecordKind kind = RecordKind::kInvalid;
  /// 1-based line number of the record's command line (`statement ...`, `query ...`) in the file.
  size_t line = 0;
  std::vector<Condition> conditions;
  /// The SQL text (lines joined with '\n'), for statements and queries.
  std::string sql;

  /// Query: one of 'I', 'T', 'R' per result column.
  std::string column_types;
  SortMode sort_mode = SortMode::kNoSort;
  /// Query: the label (may be empty).
  std::string label;
  /// Query: the lines after `----` (values, or one `N values hashing to H` line).
  std::vector<std::string> expected;

  /// Statement error (runner extension): the SQLSTATE the error must have, or empty.
  std::string expected_sqlstate;
  /// Statement error (runner extension): a substring the error message must contain, or empty.
  std::string expected_message;

  /// hash-threshold: the new threshold.
  size_t hash_threshold = 0;
  /// Invalid records: what is wrong.
  std::string parse_error;
};

}  // namespace tessera
