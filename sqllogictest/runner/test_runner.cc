#include "sqllogictest/runner/test_runner.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "sqllogictest/runner/md5_hasher.h"
#include "sqllogictest/runner/value_renderer.h"

namespace tessera {

namespace {

/// Value listings longer than this are cut in failure reports unless --verbose.
constexpr size_t kMaxListedValues = 40;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

/// "N values hashing to <md5 of every value followed by '\n'>".
std::string hash_line(const std::vector<std::string>& values) {
  Md5Hasher hasher;
  for (const std::string& value : values) {
    hasher.update(value);
    hasher.update("\n");
  }
  return std::to_string(values.size()) + " values hashing to " + hasher.hex_digest();
}

std::string hash_line_of(size_t count, const std::string& hash) {
  return std::to_string(count) + " values hashing to " + hash;
}

/// Parses an expected "N values hashing to <32 lowercase hex>" line.
std::optional<size_t> parse_hash_line(std::string_view line, std::string& hash) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  constexpr std::string_view kMiddle = " values hashing to ";
  if (digits == 0 || line.substr(digits, kMiddle.size()) != kMiddle) return std::nullopt;
  std::string_view hex = line.substr(digits + kMiddle.size());
  if (hex.size() != 32) return std::nullopt;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  hash = std::string(hex);
  return static_cast<size_t>(std::strtoull(std::string(line.substr(0, digits)).c_str(), nullptr, 10));
}

/// The record's command line, reconstructed for reports.
std::string command_line(const Record& record) {
  switch (record.kind) {
    case RecordKind::kStatementOk: return "statement ok";
    case RecordKind::kStatementError:
      return record.expected_sqlstate.empty() ? "statement error" : "statement error " + record.expected_sqlstate;
    case RecordKind::kQuery: {
      std::string line = "query " + record.column_types;
      if (record.sort_mode == SortMode::kRowSort) line += " rowsort";
      if (record.sort_mode == SortMode::kValueSort) line += " valuesort";
      if (record.sort_mode == SortMode::kNoSort && !record.label.empty()) line += " nosort";
      if (!record.label.empty()) line += " " + record.label;
      return line;
    }
    case RecordKind::kHashThreshold: return "hash-threshold " + std::to_string(record.hash_threshold);
    case RecordKind::kHalt: return "halt";
    case RecordKind::kInvalid: return "(invalid record)";
  }
  return "";
}

std::string describe_error(const QueryResult& result) {
  return "ERROR " + (result.sqlstate.empty() ? std::string("(no SQLSTATE)") : result.sqlstate) + ": " +
         result.error_message;
}

}  // namespace

TestRunner::TestRunner(const RunnerOptions& options, std::ostream& out) : options_(options), out_(out) {}

bool TestRunner::skipped(const Record& record) const {
  for (const Condition& condition : record.conditions) {
    const bool matches = equals_ignoring_case(condition.engine, options_.engine);
    if (condition.only_if ? !matches : matches) return true;
  }
  return false;
}

FileOutcome TestRunner::run(const TestFile& file, Connection& connection) {
  file_ = &file;
  file_key_ = KnownDifferences::file_key(file.path(), options_.corpus_root);
  hash_threshold_ = options_.hash_threshold;
  num_failures_reported_ = 0;
  num_failures_ = 0;
  label_hashes_.clear();
  FileOutcome outcome;
  for (const Record& record : file.records()) {
    if (options_.fail_fast && outcome.num_failed > 0) break;
    const bool skip = skipped(record);
    switch (record.kind) {
      case RecordKind::kHalt:
        if (!skip) outcome.halted = true;
        break;
      case RecordKind::kHashThreshold:
        if (!skip) hash_threshold_ = record.hash_threshold;
        break;
      case RecordKind::kInvalid:
        if (skip) break;
        ++outcome.num_records;
        ++outcome.num_failed;
        report_failure(record, "cannot parse record: " + record.parse_error);
        break;
      case RecordKind::kStatementOk:
      case RecordKind::kStatementError:
        if (skip) {
          ++outcome.num_skipped;
          break;
        }
        ++outcome.num_statements;
        run_checked(record, connection, outcome);
        break;
      case RecordKind::kQuery:
        if (skip) {
          ++outcome.num_skipped;
          if (!record.label.empty() && !check_skipped_label(record)) {
            ++outcome.num_records;
            ++outcome.num_failed;
          }
          break;
        }
        ++outcome.num_queries;
        run_checked(record, connection, outcome);
        break;
    }
    if (outcome.halted) break;
  }
  if (num_failures_reported_ < num_failures_) {
    out_ << "  ... " << (num_failures_ - num_failures_reported_)
         << " more failure(s) not shown (use --verbose)\n";
  }
  file_ = nullptr;
  return outcome;
}

void TestRunner::run_checked(const Record& record, Connection& connection, FileOutcome& outcome) {
  ++outcome.num_records;
  if (options_.gaps != nullptr && options_.gaps->contains(file_key_, record.line)) {
    current_known_ = true;  // its failure is not reported
    if (record.kind == RecordKind::kQuery) {
      run_query(record, connection);
    } else {
      run_statement(record, connection);
    }
    current_known_ = false;
    ++outcome.num_gaps;
    return;
  }
  current_known_ = options_.known != nullptr && options_.known->contains(file_key_, record.line);
  const bool passed =
      record.kind == RecordKind::kQuery ? run_query(record, connection) : run_statement(record, connection);
  const bool known = current_known_;
  current_known_ = false;
  if (!known) {
    if (!passed) ++outcome.num_failed;
    return;
  }
  if (!passed) {
    ++outcome.num_known;
    return;
  }
  ++outcome.num_failed;
  report_failure(record, "passes here, but PostgreSQL 15 fails it (known difference: " +
                             options_.known->reason(file_key_, record.line) +
                             "); the outcomes must be equal, so remove it from the list or find why");
}

bool TestRunner::run_statement(const Record& record, Connection& connection) {
  const QueryResult result = connection.execute(record.sql);
  if (record.kind == RecordKind::kStatementOk) {
    if (!result.ok) {
      report_failure(record, "statement failed: " + describe_error(result));
      return false;
    }
    return true;
  }
  if (result.ok) {
    report_failure(record, "statement succeeded but an error was expected");
    return false;
  }
  if (!record.expected_sqlstate.empty() && result.sqlstate != record.expected_sqlstate) {
    report_failure(record, "expected SQLSTATE " + record.expected_sqlstate + ", got " + describe_error(result));
    return false;
  }
  if (!record.expected_message.empty() && result.error_message.find(record.expected_message) == std::string::npos) {
    report_failure(record, "error message does not contain \"" + record.expected_message + "\"; got " +
                               describe_error(result));
    return false;
  }
  return true;
}

bool TestRunner::run_query(const Record& record, Connection& connection) {
  const QueryResult result = connection.execute(record.sql);
  if (!result.ok) {
    report_failure(record, "query failed: " + describe_error(result));
    return false;
  }
  if (!result.has_result_set) {
    report_failure(record, "the statement returned no result set");
    return false;
  }
  const size_t num_columns = record.column_types.size();
  if (result.num_columns != num_columns) {
    report_failure(record, "expected " + std::to_string(num_columns) + " column(s), got " +
                               std::to_string(result.num_columns));
    return false;
  }

  // Render, then order as the sort mode says.
  const size_t num_rows = result.num_rows();
  std::vector<std::string> actual;
  actual.reserve(result.values.size());
  if (record.sort_mode == SortMode::kRowSort) {
    std::vector<std::vector<std::string>> rows(num_rows);
    for (size_t row = 0; row < num_rows; ++row) {
      rows[row].reserve(num_columns);
      for (size_t column = 0; column < num_columns; ++column) {
        rows[row].push_back(ValueRenderer::render(record.column_types[column],
                                                  result.values[row * num_columns + column]));
      }
    }
    // std::string's operator< compares like strcmp (as unsigned chars), column by column.
    std::sort(rows.begin(), rows.end());
    for (std::vector<std::string>& row : rows) {
      for (std::string& value : row) actual.push_back(std::move(value));
    }
  } else {
    for (size_t i = 0; i < result.values.size(); ++i) {
      actual.push_back(ValueRenderer::render(record.column_types[i % num_columns], result.values[i]));
    }
    if (record.sort_mode == SortMode::kValueSort) std::sort(actual.begin(), actual.end());
  }

  // The expected section is either the values, one per line, or one hash line. Which form the
  // reference runner writes depends on the label and the hash threshold; either form is checked
  // exactly (a value listing is compared value by value even above the threshold).
  std::string expected_hash;
  std::optional<size_t> expected_count;
  if (record.expected.size() == 1) expected_count = parse_hash_line(record.expected[0], expected_hash);
  const bool runner_hashes = !record.label.empty() || (hash_threshold_ > 0 && actual.size() > hash_threshold_);
  std::string actual_hash;
  if (expected_count.has_value() || runner_hashes) actual_hash = hash_line(actual);

  const std::string rows_text = std::to_string(num_rows) + " row(s)";
  if (expected_count.has_value()) {
    std::string reason;
    if (*expected_count != actual.size()) {
      reason = "expected " + std::to_string(*expected_count) + " values, got " + std::to_string(actual.size()) +
               " (" + rows_text + ")";
    } else if (actual_hash != hash_line_of(*expected_count, expected_hash)) {
      reason = "wrong result: the hash differs";
    }
    if (!reason.empty()) {
      std::vector<std::string> actual_listing{actual_hash};
      actual_listing.insert(actual_listing.end(), actual.begin(), actual.end());
      report_failure(record, reason, &record.expected, &actual_listing);
      return false;
    }
  } else {
    std::string reason;
    if (record.expected.size() != actual.size()) {
      reason = "expected " + std::to_string(record.expected.size()) + " values (" +
               std::to_string(record.expected.size() / num_columns) + " row(s)), got " +
               std::to_string(actual.size()) + " (" + rows_text + ")";
    } else {
      for (size_t i = 0; i < actual.size(); ++i) {
        if (actual[i] != record.expected[i]) {
          reason = "wrong result: row " + std::to_string(i / num_columns + 1) + ", column " +
                   std::to_string(i % num_columns + 1) + ": expected \"" + record.expected[i] + "\", got \"" +
                   actual[i] + "\"";
          break;
        }
      }
    }
    if (!reason.empty()) {
      // Above the threshold the reference runner would have written the hash line: show it too.
      std::vector<std::string> actual_listing;
      if (runner_hashes) actual_listing.push_back(actual_hash);
      actual_listing.insert(actual_listing.end(), actual.begin(), actual.end());
      report_failure(record, reason, &record.expected, &actual_listing);
      return false;
    }
  }

  if (!record.label.empty()) {
    auto [it, inserted] = label_hashes_.emplace(record.label, actual_hash);
    if (!inserted && it->second != actual_hash) {
      std::vector<std::string> labelled{it->second};
      std::vector<std::string> got{actual_hash};
      report_failure(record, "result differs from earlier queries labelled " + record.label, &labelled, &got);
      return false;
    }
  }
  return true;
}

bool TestRunner::check_skipped_label(const Record& record) {
  // The stored result is the hash line, or the listed values hashed the same way.
  std::string expected_hash;
  std::string stored;
  if (record.expected.size() == 1) {
    if (std::optional<size_t> count = parse_hash_line(record.expected[0], expected_hash)) {
      stored = hash_line_of(*count, expected_hash);
    }
  }
  if (stored.empty()) stored = hash_line(record.expected);
  auto [it, inserted] = label_hashes_.emplace(record.label, stored);
  if (inserted || it->second == stored) return true;
  std::vector<std::string> labelled{it->second};
  std::vector<std::string> got{stored};
  report_failure(record, "the stored result of this skipped query differs from earlier queries labelled " +
                             record.label, &labelled, &got);
  return false;
}

void TestRunner::report_failure(const Record& record, const std::string& reason,
                                const std::vector<std::string>* expected, const std::vector<std::string>* actual) {
  if (options_.failure_log != nullptr) {
    std::string summary = reason.substr(0, reason.find('\n'));
    std::replace(summary.begin(), summary.end(), '\t', ' ');
    *options_.failure_log << file_key_ << ":" << record.line << "\t" << summary << "\n";
  }
  if (current_known_) return;  // expected to fail, as on PostgreSQL 15
  ++num_failures_;
  if (!options_.verbose && num_failures_reported_ >= kMaxReportedFailures) return;
  ++num_failures_reported_;
  out_ << "  " << (file_ != nullptr ? file_->path() : std::string()) << ":" << record.line << ": " << reason << "\n";
  out_ << "    " << command_line(record) << "\n";
  size_t pos = 0;
  while (pos <= record.sql.size() && !record.sql.empty()) {
    size_t end = record.sql.find('\n', pos);
    if (end == std::string::npos) end = record.sql.size();
    out_ << "    " << std::string_view(record.sql).substr(pos, end - pos) << "\n";
    pos = end + 1;
  }
  auto list = [&](const char* title, const std::vector<std::string>& values) {
    out_ << "    " << title << " (" << values.size() << " line(s)):\n";
    const size_t shown = options_.verbose ? values.size() : std::min(values.size(), kMaxListedValues);
    for (size_t i = 0; i < shown; ++i) out_ << "      " << values[i] << "\n";
    if (shown < values.size()) out_ << "      ... " << (values.size() - shown) << " more\n";
  };
  if (expected != nullptr) list("expected", *expected);
  if (actual != nullptr) list("actual", *actual);
  out_.flush();
}

}  // namespace tessera
