#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera {

/// What one SQL string produced, as the runner sees it: either an error (with its SQLSTATE)
/// or success, with the columns and text values of the last result set if any.
struct QueryResult {
  /// False when the statement failed; `sqlstate` and `error_message` describe the failure.
  bool ok = true;
  std::string sqlstate;
  std::string error_message;
  /// True when the (last) statement returned a result set, even an empty one.
  bool has_result_set = false;
  size_t num_columns = 0;
  /// Values in PostgreSQL text form, row-major (num_rows() * num_columns); nullopt is NULL.
  std::vector<std::optional<std::string>> values;

  size_t num_rows() const { return num_columns == 0 ? 0 : values.size() / num_columns; }

  /// A failed result with the given SQLSTATE and message.
  static QueryResult error(std::string sqlstate, std::string message) {
    QueryResult result;
    result.ok = false;
    result.sqlstate = std::move(sqlstate);
    result.error_message = std::move(message);
    return result;
  }
};

}  // namespace tessera
