#include "pgwire/server.h"

#include <openssl/rand.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <limits>
#include <mutex>
#include <random>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pgwire/internal/asio.h"
#include "pgwire/internal/client_connection.h"
#include "pgwire/internal/statement_pool.h"
#include "src/common/sql_error.h"

namespace tessera::pgwire {

namespace {

constexpr int32_t kFirstProcessId = 1000;

/// A random 32-bit value from OpenSSL's CSPRNG (std::random_device if that fails).
uint32_t random_uint32() {
  uint32_t value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof(value)) == 1) return value;
  std::random_device device;
  return device();
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServerConfig config)
      : config_(std::move(config)), acceptor_(io_), signals_(io_), accept_retry_timer_(io_) {
    next_process_id_ = kFirstProcessId + static_cast<int32_t>(random_uint32() % 100000);
  }

  ~Impl() { pool_.shutdown(); }

  void listen() {
    std::string host = config_.host;
    if (host.empty() || host == "*") host = "0.0.0.0";
    asio::ip::tcp::endpoint endpoint;
    asio::error_code error;
    asio::ip::address address = asio::ip::make_address(host, error);
    if (!error) {
      endpoint = asio::ip::tcp::endpoint(address, config_.port);
    } else {
      asio::ip::tcp::resolver resolver(io_);
      auto results = resolver.resolve(host, std::to_string(config_.port), error);
      if (error || results.empty()) throw listen_error(error ? error.message() : "no address found");
      endpoint = results.begin()->endpoint();
    }
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      asio::error_code ignored;
      acceptor_.close(ignored);
      throw listen_error(error.message());
    }
    port_.store(acceptor_.local_endpoint().port());
  }

  uint16_t port() const { return port_.load(); }

  void run() {
    if (!acceptor_.is_open()) listen();
    if (config_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const asio::error_code& error, int) {
        if (!error) do_stop();
      });
    }
    do_accept();
    io_.run();
    // Every connection was killed; wait for the statements that were still running.
    pool_.shutdown();
  }

  void stop() {
    asio::post(io_, [this] { do_stop(); });
  }

  size_t connection_count() const {
    std::lock_guard<std::mutex> lock(registry_mutex_);
    return connections_.size();
  }

 private:
  SqlError listen_error(const std::string& reason) const {
    return SqlError(SqlState::kIoError,
                    "could not listen on " + config_.host + ":" + std::to_string(config_.port) + ": " + reason);
  }

  void do_accept() {
    acceptor_.async_accept([this](const asio::error_code& error, asio::ip::tcp::socket socket) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (error) {
        // Out of descriptors or a similar transient failure: retry shortly rather than spin.
        accept_retry_timer_.expires_after(std::chrono::milliseconds(100));
        accept_retry_timer_.async_wait([this](const asio::error_code& timer_error) {
          if (!timer_error && acceptor_.is_open()) do_accept();
        });
        return;
      }
      on_accept(std::move(socket));
      do_accept();
    });
  }

  void on_accept(asio::ip::tcp::socket socket) {
    ConnectionConfig connection_config;
    connection_config.secret_key = static_cast<int32_t>(random_uint32());
    connection_config.server_version = config_.server_version;
    connection_config.on_cancel_request = [this](const CancelRequest& request) { cancel(request); };
    std::shared_ptr<ClientConnection> connection;
    {
      std::lock_guard<std::mutex> lock(registry_mutex_);
      connection_config.process_id = allocate_process_id_locked();
      connection = std::make_shared<ClientConnection>(
          std::move(socket), config_.backend, pool_, std::move(connection_config), config_.max_pending_output,
          [this](int32_t process_id) { unregister(process_id); });
      connections_[connection->process_id()] = connection;
    }
    connection->start();
  }

  int32_t allocate_process_id_locked() {
    for (;;) {
      int32_t id = next_process_id_;
      next_process_id_ = next_process_id_ == std::numeric_limits<int32_t>::max() ? kFirstProcessId : next_process_id_ + 1;
      if (connections_.find(id) == connections_.end()) return id;
    }
  }

  void unregister(int32_t process_id) {
    std::lock_guard<std::mutex> lock(registry_mutex_);
    connections_.erase(process_id);
  }

  void cancel(const CancelRequest& request) {
    std::shared_ptr<ClientConnection> target;
    {
      std::lock_guard<std::mutex> lock(registry_mutex_);
      auto it = connections_.find(request.process_id);
      if (it != connections_.end()) target = it->second.lock();
    }
    if (!target) return;
    // Compare every bit regardless of where the first difference is.
    uint32_t difference = static_cast<uint32_t>(target->secret_key()) ^ static_cast<uint32_t>(request.secret_key);
    if (difference == 0) target->cancel();
  }

  void do_stop() {
    asio::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    accept_retry_timer_.cancel();
    std::vector<std::shared_ptr<ClientConnection>> live;
    {
      std::lock_guard<std::mutex> lock(registry_mutex_);
      for (auto& [id, weak] : connections_) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (auto& connection : live) connection->kill();
    live.clear();
    // kill() posts its work; stopping after it lets that work run first.
    asio::post(io_, [this] { io_.stop(); });
  }

  ServerConfig config_;
  mutable std::mutex registry_mutex_;
  std::unordered_map<int32_t, std::weak_ptr<ClientConnection>> connections_;  ///< by process id
  int32_t next_process_id_ = kFirstProcessId;                                ///< guarded by registry_mutex_
  StatementPool pool_;
  // Declared after the registry and the pool: destroying the io_context destroys pending
  // handlers and with them the last references to connections, which unregister themselves.
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer accept_retry_timer_;
  std::atomic<uint16_t> port_{0};
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

Server::~Server() = default;

void Server::listen() { impl_->listen(); }

uint16_t Server::port() const { return impl_->port(); }

void Server::run() { impl_->run(); }

void Server::stop() { impl_->stop(); }

size_t Server::connection_count() const { return impl_->connection_count(); }

}  // namespace tessera::pgwire
