#include "storage/durable/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "src/common/sql_error.h"
#include "storage/durable/binary_io.h"
#include "storage/durable/crc32c.h"

namespace tessera::storage {

namespace {

constexpr char kMagic[8] = {'T', 'S', 'W', 'A', 'L', 0, 0, 0};

std::atomic<internal::IoFaultHook> g_fault_hook{nullptr};

int injected_fault(const char* operation) {
  const internal::IoFaultHook hook = g_fault_hook.load(std::memory_order_acquire);
  return hook ? hook(operation) : 0;
}

std::string header_bytes() {
  BinaryWriter w;
  w.put_bytes(kMagic, sizeof kMagic);
  w.put_u32(kLogFormatVersion);
  w.put_u32(crc32c(w.data()));
  return w.take();
}

uint32_t record_crc(uint8_t type, std::string_view payload) {
  return crc32c_extend(crc32c(&type, 1), payload.data(), payload.size());
}

SqlError io_error(const std::string& what, const std::string& path, int error) {
  return SqlError(error == ENOSPC ? SqlState::kDiskFull : SqlState::kIoError,
                  "could not " + what + " file \"" + path + "\": " + std::strerror(error));
}

// Writes all of `bytes` at the file's current offset.
void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    if (const int fault = injected_fault("write")) throw io_error("write to", path, fault);
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error("write to", path, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void sync_fd(int fd, const std::string& path) {
  if (const int fault = injected_fault("sync")) throw io_error("fsync", path, fault);
  if (::fdatasync(fd) != 0) throw io_error("fsync", path, errno);
}

}  // namespace

namespace internal {
void set_io_fault_hook(IoFaultHook hook) { g_fault_hook.store(hook, std::memory_order_release); }
}  // namespace internal

void sync_parent_directory(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw io_error("open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw io_error("fsync", dir, error);
}

void rename_file(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    throw SqlError(SqlState::kIoError,
                   "could not rename file \"" + from + "\" to \"" + to + "\": " + std::strerror(errno));
  }
}

void write_file_durably(const std::string& path, std::string_view bytes) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw io_error("create", temporary, errno);
  try {
    write_all(fd, bytes, temporary);
    sync_fd(fd, temporary);
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw io_error("close", temporary, error);
  }
  try {
    rename_file(temporary, path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
}

LogContents read_log_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw SqlError(SqlState::kUndefinedFile, "could not open file \"" + path + "\": No such file or directory");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  const std::string what = "write-ahead log file \"" + path + "\"";
  if (data.size() < kLogHeaderBytes || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    throw SqlError(SqlState::kDataCorrupted, what + ": not a Tessera write-ahead log");
  }
  BinaryReader header(std::string_view(data).substr(0, kLogHeaderBytes), what);
  header.get_bytes(sizeof kMagic);
  const uint32_t version = header.get_u32();
  if (header.get_u32() != crc32c(data.data(), 12)) header.corrupt("header checksum mismatch");
  if (version != kLogFormatVersion) {
    header.corrupt("format version " + std::to_string(version) + ", this server reads version " +
                   std::to_string(kLogFormatVersion));
  }
  LogContents out;
  size_t pos = kLogHeaderBytes;
  while (data.size() - pos >= kLogRecordHeaderBytes) {
    BinaryReader r(std::string_view(data).substr(pos, kLogRecordHeaderBytes), what);
    const uint32_t length = r.get_u32();
    const uint32_t crc = r.get_u32();
    const uint8_t type = r.get_u8();
    if (length > kMaxLogRecordBytes || length > data.size() - pos - kLogRecordHeaderBytes) break;
    const std::string_view payload = std::string_view(data).substr(pos + kLogRecordHeaderBytes, length);
    if (record_crc(type, payload) != crc) break;
    out.records.push_back(LogRecord{pos, type, std::string(payload)});
    pos += kLogRecordHeaderBytes + length;
  }
  out.valid_end = pos;
  out.torn_bytes = data.size() - pos;
  return out;
}

LogWriter::LogWriter(std::string path, int fd, uint64_t end)
    : path_(std::move(path)), fd_(fd), end_lsn_(end), durable_lsn_(end) {}

LogWriter::~LogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<LogWriter> LogWriter::create(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw io_error("create", path, errno);
  std::unique_ptr<LogWriter> writer(new LogWriter(path, fd, 0));
  const std::string header = header_bytes();
  try {
    write_all(fd, header, path);
    sync_fd(fd, path);
    sync_parent_directory(path);
  } catch (const SqlError&) {
    ::unlink(path.c_str());
    throw;
  }
  writer->end_lsn_ = writer->durable_lsn_ = header.size();
  return writer;
}

std::unique_ptr<LogWriter> LogWriter::open_for_append(const std::string& path, const LogContents& contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw io_error("open", path, errno);
  std::unique_ptr<LogWriter> writer(new LogWriter(path, fd, contents.valid_end));
  if (contents.torn_bytes > 0) {
    if (::ftruncate(fd, static_cast<off_t>(contents.valid_end)) != 0) throw io_error("truncate", path, errno);
    sync_fd(fd, path);
  }
  if (::lseek(fd, static_cast<off_t>(contents.valid_end), SEEK_SET) < 0) throw io_error("seek in", path, errno);
  return writer;
}

void LogWriter::throw_broken() const { throw *broken_; }

uint64_t LogWriter::append(uint8_t type, std::string_view payload) {
  if (broken_) throw_broken();
  if (payload.size() > kMaxLogRecordBytes) {
    throw SqlError(SqlState::kProgramLimitExceeded, "write-ahead log record of " + std::to_string(payload.size()) +
                                                        " bytes exceeds the maximum of " +
                                                        std::to_string(kMaxLogRecordBytes));
  }
  const uint64_t lsn = end_lsn_;
  BinaryWriter header;
  header.put_u32(static_cast<uint32_t>(payload.size()));
  header.put_u32(record_crc(type, payload));
  header.put_u8(type);
  buffer_ += header.data();
  buffer_.append(payload);
  end_lsn_ += kLogRecordHeaderBytes + payload.size();
  return lsn;
}

void LogWriter::append_framed(std::string_view records) {
  if (broken_) throw_broken();
  buffer_.append(records);
  end_lsn_ += records.size();
}

std::string_view read_file_range_into(const std::string& path, uint64_t begin, uint64_t end, std::string& buffer) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw io_error("open", path, errno);
  const size_t size = end - begin;
  if (buffer.size() < size) buffer.resize(size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, buffer.data() + done, size - done, static_cast<off_t>(begin + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      if (n == 0) throw SqlError(SqlState::kDataCorrupted, "file \"" + path + "\" is shorter than expected");
      throw io_error("read", path, error);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return std::string_view(buffer.data(), size);
}

std::string read_file_range(const std::string& path, uint64_t begin, uint64_t end) {
  std::string buffer;
  read_file_range_into(path, begin, end, buffer);
  buffer.resize(end - begin);
  return buffer;
}

void LogWriter::write_out() {
  if (broken_) throw_broken();
  if (buffer_.empty()) return;
  try {
    write_all(fd_, buffer_, path_);
  } catch (const SqlError& e) {
    broken_ = e;
    throw;
  }
  buffer_.clear();
}

void LogWriter::flush() {
  if (broken_) throw_broken();
  if (durable_lsn_ == end_lsn_) return;
  write_out();
  try {
    sync_fd(fd_, path_);
  } catch (const SqlError& e) {
    broken_ = e;
    throw;
  }
  durable_lsn_ = end_lsn_;
}

}  // namespace tessera::storage
