#pragma once

#include <memory>
#include <string>

namespace tessera::storage {

/// Makes a server the only one using a data directory: an exclusive lock (flock) on the file
/// `tessera.lock` in it, holding the owner's process id, kept until the object is destroyed.
/// The kernel drops the lock when the process ends in any way (a crash or SIGKILL included),
/// so a stale lock file never blocks a restart.
class DataDirectoryLock {
 public:
  static constexpr const char* kFileName = "tessera.lock";

  /// Takes the lock. F0001 lock_file_exists when another process (or another lock object of
  /// this process) holds it, naming the directory and, when known, the holder's process id;
  /// 58030 when the file cannot be created.
  static std::unique_ptr<DataDirectoryLock> acquire(const std::string& directory);
  ~DataDirectoryLock();
  DataDirectoryLock(const DataDirectoryLock&) = delete;
  DataDirectoryLock& operator=(const DataDirectoryLock&) = delete;

 private:
  explicit DataDirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace tessera::storage
