#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sqllogictest/runner/connection.h"

namespace tessera {

class TestFile;

/// Remembers the tables and views a test file creates, so that a shared server (PostgreSQL or
/// a Tessera server over the wire) can be returned to an empty schema before and after the
/// file. Recognises CREATE [OR REPLACE] [TEMP|TEMPORARY|UNLOGGED] [MATERIALIZED] VIEW and
/// CREATE [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] <name>. Not thread-safe.
class SchemaTracker {
 public:
  /// The objects created anywhere in `file` (skipped records included).
  static SchemaTracker scan_file(const TestFile& file);

  /// Adds the objects that `sql` creates.
  void scan(std::string_view sql);

  /// DROP ... IF EXISTS statements: views (newest first), then tables (newest first).
  std::vector<std::string> drop_statements() const;

  /// Runs drop_statements(), retrying a failed drop with CASCADE; errors are ignored.
  void drop_all(Connection& connection) const;

 private:
  enum class ObjectKind : uint8_t { kTable = 0, kView = 1, kMaterializedView = 2 };
  struct Object {
    ObjectKind kind;
    std::string name;  ///< as written in the SQL (possibly quoted or schema-qualified)
  };
  void add(ObjectKind kind, std::string name);

  std::vector<Object> objects_;
};

}  // namespace tessera
