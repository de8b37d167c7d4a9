#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sqllogictest/runner/record.h"

namespace tessera {

/// A parsed sqllogictest script (sqllogictest/FORMAT.md): its records in file order.
///
/// Lines lose a trailing '\r'; lines starting with '#' are dropped before parsing (they neither
/// separate records nor end up in SQL); records are separated by one or more blank lines.
/// Immutable after parsing; safe to share between threads.
class TestFile {
 public:
  /// Reads and parses the file at `path`; throws std::runtime_error when it cannot be read.
  static TestFile load(const std::string& path);
  /// Parses `text`; `path` is only used in messages.
  static TestFile parse(std::string path, std::string_view text);

  const std::string& path() const { return path_; }
  const std::vector<Record>& records() const { return records_; }

 private:
  std::string path_;
  std::vector<Record> records_;
};

}  // namespace tessera
