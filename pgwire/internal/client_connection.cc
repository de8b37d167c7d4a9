#include "pgwire/internal/client_connection.h"

#include <utility>

namespace tessera::pgwire {

ClientConnection::ClientConnection(asio::ip::tcp::socket socket, Backend& backend, StatementPool& pool,
                                   ConnectionConfig config, size_t max_pending_output,
                                   std::function<void(int32_t)> on_destroy)
    : socket_(std::move(socket)),
      pool_(pool),
      max_pending_output_(max_pending_output),
      process_id_(config.process_id),
      secret_key_(config.secret_key),
      on_destroy_(std::move(on_destroy)),
      connection_(backend, *this, std::move(config), this) {}

ClientConnection::~ClientConnection() {
  if (on_destroy_) on_destroy_(process_id_);
}

void ClientConnection::start() {
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_.set_option(asio::socket_base::keep_alive(true), ignored);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reading_ = true;
  }
  do_read();
}

void ClientConnection::kill() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->on_socket_error(); });
}

void ClientConnection::do_read() {
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const asio::error_code& error, size_t bytes) {
                            self->on_read(error, bytes);
                          });
}

void ClientConnection::on_read(const asio::error_code& error, size_t bytes) {
  if (error) {
    on_socket_error();
    return;
  }
  bool schedule = false;
  bool keep_reading = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dead_ || finished_) {
      reading_ = false;
      return;
    }
    inbox_.append(read_buffer_.data(), bytes);
    input_arrived_.notify_all();
    schedule = claim_processing_locked();
    keep_reading = inbox_.size() < kMaxPendingInput;
    reading_ = keep_reading;
  }
  if (schedule) submit_processing();
  if (keep_reading) do_read();
}

void ClientConnection::on_socket_error() {
  bool schedule = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!dead_) {
      dead_ = true;
      output_drained_.notify_all();
      input_arrived_.notify_all();
    }
    reading_ = false;
    schedule = claim_processing_locked();
  }
  // A statement still running for a client that is gone stops early; its output is dropped.
  connection_.cancel();
  close_socket();
  if (schedule) submit_processing();
}

void ClientConnection::close_socket() {
  if (!socket_.is_open()) return;
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

bool ClientConnection::claim_processing_locked() {
  if (processing_ || finished_) return false;
  processing_ = true;
  return true;
}

void ClientConnection::submit_processing() {
  try {
    pool_.submit([self = shared_from_this()] { self->process(); });
  } catch (const std::system_error&) {
    // No thread to serve this connection: drop it rather than the server.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      processing_ = false;
      finished_ = true;
      dead_ = true;
      output_drained_.notify_all();
    }
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
  }
}

void ClientConnection::process() {
  for (;;) {
    std::string data;
    bool resume_reading = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (dead_) break;
      if (inbox_.empty()) {
        processing_ = false;
        return;
      }
      data.swap(inbox_);
      if (!reading_) {
        reading_ = true;
        resume_reading = true;
      }
    }
    if (resume_reading) asio::post(socket_.get_executor(), [self = shared_from_this()] { self->do_read(); });

    connection_.receive(data);

    if (connection_.is_closed()) {
      bool close_now = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        processing_ = false;
        finished_ = true;
        closing_ = true;
        close_now = !writing_active_;
      }
      if (close_now) asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
      return;
    }
  }
  // The client is gone: end the session here, on a statement thread.
  connection_.abort();
  std::lock_guard<std::mutex> lock(mutex_);
  processing_ = false;
  finished_ = true;
}

bool ClientConnection::wait_for_input(std::string& bytes) {
  bool resume_reading = false;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    input_arrived_.wait(lock, [this] { return dead_ || !inbox_.empty(); });
    if (dead_) return false;
    bytes.append(inbox_);
    inbox_.clear();
    if (!reading_) {
      reading_ = true;
      resume_reading = true;
    }
  }
  if (resume_reading) asio::post(socket_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  return true;
}

void ClientConnection::write(std::string_view bytes) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (dead_) return;
  outbox_.append(bytes.data(), bytes.size());
  if (!writing_active_) {
    writing_active_ = true;
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->do_write(); });
  }
  output_drained_.wait(lock, [this] { return dead_ || outbox_.size() + in_flight_ <= max_pending_output_; });
}

void ClientConnection::do_write() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dead_) {
      writing_active_ = false;
      return;
    }
    writing_.swap(outbox_);
    outbox_.clear();
    in_flight_ = writing_.size();
  }
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const asio::error_code& error, size_t) { self->on_written(error); });
}

void ClientConnection::on_written(const asio::error_code& error) {
  if (error) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_active_ = false;
      in_flight_ = 0;
    }
    on_socket_error();
    return;
  }
  bool more = false;
  bool close_now = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_flight_ = 0;
    writing_.clear();
    more = !outbox_.empty() && !dead_;
    if (!more) {
      writing_active_ = false;
      close_now = closing_;
      // Give back the memory of a large result once it is sent.
      if (writing_.capacity() > max_pending_output_ / 4) std::string().swap(writing_);
      if (outbox_.capacity() > max_pending_output_ / 4) std::string().swap(outbox_);
    }
    output_drained_.notify_all();
  }
  if (more) {
    do_write();
  } else if (close_now) {
    close_socket();
  }
}

}  // namespace tessera::pgwire
