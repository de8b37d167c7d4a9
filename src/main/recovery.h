#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <utility>
#include <string>

#include "storage/durable/log_file.h"

namespace tessera::catalog { class Catalog; }
namespace tessera::storage { class TransactionManager; }

namespace tessera {

/// What recovery found and did (the server prints it).
struct RecoveryReport {
  size_t records = 0;               ///< whole records in the log
  size_t transactions = 0;          ///< committed transactions replayed
  uint64_t torn_bytes = 0;          ///< bytes of a torn tail cut off
  size_t tables = 0;                ///< tables recovered
  uint64_t rows = 0;                ///< rows restored (deleted ones included)
  size_t data_files = 0;            ///< row groups read from data files
  /// The data files the log names, as (storage id, row group index): a checkpoint need not
  /// write them again.
  std::set<std::pair<uint64_t, uint64_t>> data_file_keys;
  size_t removed_files = 0;         ///< data files no checkpoint names, removed
  double seconds = 0;
};

/// Brings a new, unused catalog and its tables to the state the write-ahead log of
/// `data_directory` records (creating an empty log when there is none): every transaction
/// whose commit record is in the log, in commit order; nothing of one without it (records
/// after the last commit record are cut off with a torn tail). Tables get
/// their rows at the row ids they had, indexes are rebuilt from the rows, sequences continue
/// after the last logged counter, OIDs and storage ids are not handed out again. Returns the
/// log, open for appending after its last whole record (a torn tail is cut off).
///
/// A corrupt log (not a torn tail: a record that checks out but cannot be decoded) is XX001
/// naming the log; the server does not start then.
std::unique_ptr<storage::LogWriter> recover(const std::string& data_directory, catalog::Catalog& catalog,
                                            storage::TransactionManager& transactions, RecoveryReport& report);

}  // namespace tessera
