#include "test/durability/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace tessera::durability {

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string message = std::strerror(errno);
    close(fd);
    throw std::runtime_error("cannot find a free port: " + message);
  }
  close(fd);
  return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(std::string binary, std::string data_directory, std::string log_path)
    : binary_(std::move(binary)), data_directory_(std::move(data_directory)), log_path_(std::move(log_path)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill_now();
}

bool ServerProcess::start(double timeout_seconds) {
  // Another process may take the free port before the server binds it: then try another.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (start_once(timeout_seconds)) return true;
    if (!port_taken_) return false;
  }
  return false;
}

bool ServerProcess::spawn() {
  error_.clear();
  port_taken_ = false;
  port_ = free_port();
  log_size_at_spawn_ = log_size();
  spawned_at_ = std::chrono::steady_clock::now();
  const std::string port_text = std::to_string(port_);
  pid_ = fork();
  if (pid_ < 0) {
    error_ = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  if (pid_ == 0) {
    // Its own session, so a signal to the harness's terminal group does not reach it twice.
    setsid();
    const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
      close(log);
    }
    execl(binary_.c_str(), binary_.c_str(), "--host", "127.0.0.1", "--port", port_text.c_str(), "--data",
          data_directory_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return true;
}

bool ServerProcess::start_once(double timeout_seconds) {
  if (!spawn()) return false;
  const std::string conninfo =
      "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=tessera user=tessera connect_timeout=2";
  while (true) {
    if (!running()) {
      error_ = "the server exited during startup (see " + log_path_ + ")";
      port_taken_ = log_tail(log_size_at_spawn_).find("in use") != std::string::npos;
      return false;
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) break;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - spawned_at_).count();
    if (elapsed > timeout_seconds) {
      error_ = "the server did not accept connections within " + std::to_string(timeout_seconds) + " s";
      kill_now();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  startup_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - spawned_at_).count();
  return true;
}

size_t ServerProcess::log_size() const {
  std::error_code error;
  const auto size = std::filesystem::file_size(log_path_, error);
  return error ? 0 : static_cast<size_t>(size);
}

std::string ServerProcess::log_tail(size_t offset) const {
  std::ifstream in(log_path_, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void ServerProcess::kill_now() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

}  // namespace tessera::durability
