#pragma once

#include <string_view>

#include "sqllogictest/runner/query_result.h"

namespace tessera {

/// A session with the database under test. The runner sends one SQL string at a time (simple
/// query protocol semantics: autocommit, the last statement's result is reported). Errors are
/// returned in the QueryResult, never thrown. Not thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;
  /// Runs `sql` and returns its outcome.
  virtual QueryResult execute(std::string_view sql) = 0;
};

}  // namespace tessera
