#include "storage/durable/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "src/common/sql_error.h"

namespace tessera::storage {

namespace {

// The process id written in the lock file, or empty.
std::string read_holder(int fd) {
  char buffer[32];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return {};
  std::string text(buffer, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char c : text) {
    if (c < '0' || c > '9') return {};
  }
  return text;
}

}  // namespace

std::unique_ptr<DataDirectoryLock> DataDirectoryLock::acquire(const std::string& directory) {
  const std::string path = directory + "/" + kFileName;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw SqlError(SqlState::kIoError, "could not create lock file \"" + path + "\": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = read_holder(fd);
    ::close(fd);
    if (error != EWOULDBLOCK) {
      throw SqlError(SqlState::kIoError, "could not lock file \"" + path + "\": " + std::strerror(error));
    }
    throw SqlError(SqlState::kLockFileExists, "lock file \"" + path + "\" is held by another server")
        .with_hint("Is another server" + (holder.empty() ? std::string() : " (PID " + holder + ")") +
                   " running in data directory \"" + directory + "\"?");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd);
    throw SqlError(SqlState::kIoError, "could not write lock file \"" + path + "\": " + std::strerror(error));
  }
  return std::unique_ptr<DataDirectoryLock>(new DataDirectoryLock(fd));
}

// Closing the file releases the lock; the process id left in it names no holder once the lock
// is free, and is only read while the lock is held.
DataDirectoryLock::~DataDirectoryLock() { ::close(fd_); }

}  // namespace tessera::storage
