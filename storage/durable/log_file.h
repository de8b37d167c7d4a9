#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/sql_error.h"

namespace tessera::storage {

/// The write-ahead log's file format: a 16-byte header (magic "TSWAL\0\0\0", format version,
/// CRC-32C of the first 12 bytes), then records:
///
///     u32 payload length | u32 CRC-32C of (type, payload) | u8 type | payload
///
/// all little-endian. A record's LSN is its byte offset in the file. The log ends at the first
/// record that is incomplete or fails its checksum: a crash while appending leaves a torn
/// tail, which reading cuts off (as PostgreSQL ends WAL replay at the first invalid record).
inline constexpr uint32_t kLogFormatVersion = 1;
inline constexpr size_t kLogHeaderBytes = 16;
inline constexpr size_t kLogRecordHeaderBytes = 9;
/// Larger lengths are not believed (a torn or corrupt length field).
inline constexpr uint32_t kMaxLogRecordBytes = 1u << 30;

struct LogRecord {
  uint64_t lsn = 0;
  uint8_t type = 0;
  std::string payload;
};

/// What reading a log file found.
struct LogContents {
  std::vector<LogRecord> records;
  /// Offset just past the last whole record (the file's valid length).
  uint64_t valid_end = kLogHeaderBytes;
  /// Bytes after valid_end (a torn or corrupt tail), 0 when the file ends cleanly.
  uint64_t torn_bytes = 0;
};

/// Reads every whole record of the log file at `path`. A missing file is 58P01; a file whose
/// header is wrong (not a log, another format version) is XX001 naming the file.
LogContents read_log_file(const std::string& path);

/// Appends records to a log file and makes them durable. Appends go to a buffer; `flush`
/// writes the buffer and waits until the file's data is on stable storage (fdatasync), so a
/// record whose flush returned survives a crash of the process or the machine.
///
/// Errors: a failed write or sync throws 58030 io_error (53100 disk_full for ENOSPC) naming
/// the file. After a failed flush the writer refuses every later append and flush with the
/// same error: what reached the file is unknown, and retrying fsync after a failure may report
/// success for data the kernel already dropped.
///
/// Thread-safety: none; the owner serializes calls.
class LogWriter {
 public:
  /// Creates a new log file at `path` (which must not exist) and syncs it and its directory.
  static std::unique_ptr<LogWriter> create(const std::string& path);
  /// Opens an existing log file for appending after its last whole record, cutting off a torn
  /// tail (the file is truncated to `contents.valid_end`, which the caller read first).
  static std::unique_ptr<LogWriter> open_for_append(const std::string& path, const LogContents& contents);
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  /// Buffers one record; returns its LSN.
  uint64_t append(uint8_t type, std::string_view payload);
  /// Buffers whole records as another log file holds them (header and payload each; a
  /// checkpoint copies the records written after its snapshot).
  void append_framed(std::string_view records);
  /// Writes what is buffered to the file without syncing it (bounds the buffer while one
  /// transaction logs many records; flush still has to sync them).
  void write_out();
  /// Writes what is buffered and syncs it.
  void flush();
  /// Bytes buffered, not yet written.
  size_t buffered_bytes() const { return buffer_.size(); }
  /// LSN just past the last appended record.
  uint64_t end_lsn() const { return end_lsn_; }
  /// LSN up to which the file is known durable.
  uint64_t durable_lsn() const { return durable_lsn_; }
  const std::string& path() const { return path_; }

 private:
  LogWriter(std::string path, int fd, uint64_t end);
  /// Throws the error that broke the writer.
  [[noreturn]] void throw_broken() const;

  std::string path_;
  int fd_ = -1;
  std::string buffer_;
  uint64_t end_lsn_ = 0;
  uint64_t durable_lsn_ = 0;
  std::optional<SqlError> broken_;  // the error of the write or sync that failed
};

/// Reads bytes [begin, end) of the file at `path` (58030 on an I/O error, XX001 when the file
/// is shorter).
std::string read_file_range(const std::string& path, uint64_t begin, uint64_t end);
/// read_file_range into `buffer` (grown when too small, never shrunk): returns its first
/// end - begin bytes.
std::string_view read_file_range_into(const std::string& path, uint64_t begin, uint64_t end, std::string& buffer);

/// Syncs the directory holding `path`, so a file created or renamed in it survives a crash.
void sync_parent_directory(const std::string& path);

/// Renames `from` to `to` (replacing it); 58030 naming both on failure. The caller syncs the
/// directory.
void rename_file(const std::string& from, const std::string& to);

/// Writes `bytes` as the file `path`, whole or not at all: to `path` + ".tmp", fdatasync,
/// rename over `path`. The caller syncs the directory. I/O errors as LogWriter's (58030,
/// 53100 for a full disk; the injected faults of the tests apply); the temporary file is
/// removed on failure.
void write_file_durably(const std::string& path, std::string_view bytes);

}  // namespace tessera::storage

namespace tessera::storage::internal {
/// Tests inject I/O failures: when set, called before each write ("write") and sync ("sync")
/// of a log file; a nonzero result fails that call with that errno.
using IoFaultHook = int (*)(const char* operation);
void set_io_fault_hook(IoFaultHook hook);
}  // namespace tessera::storage::internal
