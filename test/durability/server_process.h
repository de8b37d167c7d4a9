#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace tessera::durability {

/// One tessera server process on 127.0.0.1 and a free port, its output appended to a log file.
/// The destructor kills a server still running (SIGKILL).
class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string data_directory, std::string log_path);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Starts the server and waits until it accepts connections (at most `timeout_seconds`).
  /// Returns false (with `error()` saying why) if it exited or never answered.
  bool start(double timeout_seconds);
  /// Starts the server without waiting for it (to kill it during its recovery).
  bool spawn();
  /// SIGKILL, then reaps the process.
  void kill_now();
  /// Whether the process is still running (reaps it if it has exited).
  bool running();

  int port() const { return port_; }
  const std::string& log_path() const { return log_path_; }
  const std::string& error() const { return error_; }
  /// Seconds from the start of the process to its first accepted connection (the recovery).
  double startup_seconds() const { return startup_seconds_; }

 private:
  bool start_once(double timeout_seconds);
  size_t log_size() const;
  /// The log's text from `offset` on.
  std::string log_tail(size_t offset) const;

  std::string binary_;
  std::string data_directory_;
  std::string log_path_;
  std::string error_;
  pid_t pid_ = -1;
  int port_ = 0;
  double startup_seconds_ = 0;
  bool port_taken_ = false;
  size_t log_size_at_spawn_ = 0;
  std::chrono::steady_clock::time_point spawned_at_;
};

/// A TCP port on 127.0.0.1 nothing listens on (the kernel's choice for an ephemeral bind).
int free_port();

}  // namespace tessera::durability
