#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace tessera {

/// The records of a corpus that PostgreSQL 15 itself fails, read from a known-differences file
/// (sqllogictest/corpus/known-differences.txt). Such a record must fail on Tessera too: its
/// outcome then equals PostgreSQL's, and it is counted as a known difference from the corpus's
/// expectations rather than as a failure.
///
/// File format, one record per line: `<path>:<line>\t<reason>`, where <path> is the test file's
/// path relative to the corpus root (e.g. `index/random/10/slt_good_0.test`) and <line> the
/// record's 1-based command line. Blank lines and lines starting with '#' are ignored.
class KnownDifferences {
 public:
  /// Reads `path`; throws std::runtime_error when it cannot be read or a line is malformed.
  static KnownDifferences load(const std::string& path);

  /// The key of a test file: its path relative to `corpus_root` when it lies below it, else
  /// the path as given.
  static std::string file_key(const std::string& file_path, const std::string& corpus_root);

  /// Whether the record at `line` of the file keyed `file_key` is listed.
  bool contains(const std::string& file_key, size_t line) const;
  /// The reason given for a listed record (empty when not listed).
  std::string reason(const std::string& file_key, size_t line) const;

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }

 private:
  std::map<std::pair<std::string, size_t>, std::string> records_;
};

}  // namespace tessera
