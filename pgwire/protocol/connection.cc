#include "pgwire/protocol/connection.h"

#include <cctype>
#include <exception>
#include <utility>
#include <variant>
#include <vector>

#include "pgwire/codec/backend_encoder.h"
#include "pgwire/codec/frontend_decoder.h"
#include "pgwire/codec/protocol_limits.h"
#include "pgwire/protocol/result_writer.h"
#include "src/common/encoding_name.h"

namespace tessera::pgwire {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

/// PostgreSQL's cleaning of application_name: bytes outside printable ASCII become '?'.
std::string clean_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
  }
  return out;
}

std::string unsupported_protocol_message(uint32_t version) {
  return "unsupported frontend protocol " + std::to_string(version >> 16) + "." +
         std::to_string(version & 0xffff) + ": server supports " + std::to_string(kProtocolMajor) +
         ".0 to " + std::to_string(kProtocolMajor) + "." + std::to_string(kProtocolMinor);
}

}  // namespace

Connection::Connection(Backend& backend, ConnectionOutput& output, ConnectionConfig config, ConnectionInput* input)
    : backend_(backend), out_(output, config.flush_threshold), config_(std::move(config)), input_(input) {}

Connection::~Connection() {
  std::lock_guard<std::mutex> lock(session_mutex_);
  session_.reset();
}

void Connection::receive(std::string_view bytes) {
  if (is_closed()) return;
  in_.append(bytes.data(), bytes.size());
  in_pos_ = 0;
  while (!is_closed() && in_pos_ < in_.size()) {
    std::string_view rest(in_.data() + in_pos_, in_.size() - in_pos_);
    if (phase_ == ConnectionPhase::kStartup) {
      auto result = decode_startup_packet(rest);
      if (result.needs_more_bytes()) break;
      if (result.is_malformed()) {
        fatal(SqlError(SqlState::kProtocolViolation, result.error()));
        break;
      }
      in_pos_ += result.consumed();
      handle_startup_packet(result.message());
    } else {
      auto result = decode_frontend_message(rest);
      if (result.needs_more_bytes()) break;
      if (result.is_malformed()) {
        fatal(SqlError(SqlState::kProtocolViolation, result.error()));
        break;
      }
      in_pos_ += result.consumed();
      handle_message(result.message());
    }
  }
  if (is_closed()) {
    in_.clear();
    in_.shrink_to_fit();
  } else {
    in_.erase(0, in_pos_);
  }
  in_pos_ = 0;
  out_.flush();
}

void Connection::cancel() {
  std::lock_guard<std::mutex> lock(session_mutex_);
  if (session_ && statement_running_) session_->cancel();
}

void Connection::abort() { close(); }

void Connection::handle_startup_packet(StartupPacket& packet) {
  std::visit(
      Overloaded{
          [&](SslRequest&) {
            if (ssl_requested_) {
              fatal(SqlError(SqlState::kFeatureNotSupported,
                             unsupported_protocol_message(static_cast<uint32_t>(kSslRequestCode))));
              return;
            }
            ssl_requested_ = true;
            encode_encryption_response('N', out_.bytes());
          },
          [&](GssEncRequest&) {
            if (gss_requested_) {
              fatal(SqlError(SqlState::kFeatureNotSupported,
                             unsupported_protocol_message(static_cast<uint32_t>(kGssEncRequestCode))));
              return;
            }
            gss_requested_ = true;
            encode_encryption_response('N', out_.bytes());
          },
          [&](CancelRequest& request) {
            if (config_.on_cancel_request) config_.on_cancel_request(request);
            close();
          },
          [&](StartupMessage& message) { start_session(message); },
      },
      packet);
}

void Connection::start_session(StartupMessage& message) {
  if (message.major_version != kProtocolMajor) {
    uint32_t version = (uint32_t{message.major_version} << 16) | message.minor_version;
    fatal(SqlError(SqlState::kFeatureNotSupported, unsupported_protocol_message(version)));
    return;
  }

  StartupParameters params;
  std::vector<std::string> unrecognized_options;
  for (const auto& [name, value] : message.parameters) {
    if (name.rfind("_pq_.", 0) == 0) {
      unrecognized_options.push_back(name);
      continue;
    }
    if (name == "user") {
      params.user = value;
    } else if (name == "database") {
      params.database = value;
    } else if (name == "application_name") {
      params.application_name = clean_ascii(value);
    } else if (name == "client_encoding" && !is_utf8_encoding_name(value)) {
      fatal(SqlError(SqlState::kInvalidParameterValue,
                     "invalid value for parameter \"client_encoding\": \"" + value + "\"")
                .with_detail("Tessera supports only the UTF8 client encoding."));
      return;
    }
    params.all.emplace_back(name, value);
  }
  if (params.user.empty()) {
    fatal(SqlError(SqlState::kInvalidAuthorizationSpecification,
                   "no PostgreSQL user name specified in startup packet"));
    return;
  }
  if (params.database.empty()) params.database = params.user;

  std::unique_ptr<BackendSession> session;
  try {
    session = backend_.open_session(params);
  } catch (const SqlError& error) {
    fatal(error);
    return;
  } catch (const std::exception& error) {
    fatal(SqlError(SqlState::kInternalError, error.what()));
    return;
  }
  if (!session) {
    fatal(SqlError(SqlState::kInternalError, "the backend did not open a session"));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(session_mutex_);
    session_ = std::move(session);
  }
  phase_ = ConnectionPhase::kReady;

  std::string& out = out_.bytes();
  if (message.minor_version > kProtocolMinor || !unrecognized_options.empty()) {
    encode(NegotiateProtocolVersion{(kProtocolMajor << 16) | kProtocolMinor, std::move(unrecognized_options)}, out);
  }
  encode(AuthenticationOk{}, out);
  // The settings PostgreSQL 15 reports at startup (GUC_REPORT), in its order.
  for (auto& [name, value] : session_->reported_settings()) {
    encode(ParameterStatus{name, name == "server_version" ? config_.server_version : value}, out);
  }
  encode(BackendKeyData{config_.process_id, config_.secret_key}, out);
  send_ready_for_query();
}

void Connection::handle_message(FrontendMessage& message) {
  // After an extended-protocol error everything up to Sync is discarded (PostgreSQL's
  // ignore_till_sync); Terminate still ends the connection.
  if (skip_until_sync_ && !std::holds_alternative<Sync>(message) && !std::holds_alternative<Terminate>(message)) {
    return;
  }
  std::visit(Overloaded{
                 [&](Query& query) { run_query(query.sql); },
                 [&](Terminate&) { close(); },
                 [&](Parse&) { reject_extended_message(); },
                 [&](Bind&) { reject_extended_message(); },
                 [&](Describe&) { reject_extended_message(); },
                 [&](Execute&) { reject_extended_message(); },
                 [&](Close&) { reject_extended_message(); },
                 [&](Sync&) {
                   skip_until_sync_ = false;
                   send_ready_for_query();
                 },
                 [&](Flush&) { out_.flush(); },
                 [&](PasswordMessage&) {
                   fatal(SqlError(SqlState::kProtocolViolation, "invalid frontend message type 112"));
                 },
                 // Outside COPY these are ignored, as the protocol specifies (a COPY that failed
                 // early leaves the client sending them).
                 [&](CopyData&) {},
                 [&](CopyDone&) {},
                 [&](CopyFail&) {},
             },
             message);
}

void Connection::read_copy_data(std::string& data) {
  for (;;) {
    std::string_view rest(in_.data() + in_pos_, in_.size() - in_pos_);
    auto result = decode_frontend_message(rest);
    if (result.needs_more_bytes()) {
      // Keep only the undecoded bytes, then wait for the client's next ones.
      in_.erase(0, in_pos_);
      in_pos_ = 0;
      out_.flush();
      if (!input_ || !input_->wait_for_input(in_)) {
        throw SqlError(SqlState::kProtocolViolation, "unexpected EOF on client connection with an open transaction")
            .with_severity(Severity::kFatal);
      }
      continue;
    }
    if (result.is_malformed()) {
      throw SqlError(SqlState::kProtocolViolation, result.error()).with_severity(Severity::kFatal);
    }
    in_pos_ += result.consumed();
    FrontendMessage& message = result.message();
    if (auto* copy_data = std::get_if<CopyData>(&message)) {
      data.append(copy_data->data);
    } else if (std::holds_alternative<CopyDone>(message)) {
      return;
    } else if (auto* fail = std::get_if<CopyFail>(&message)) {
      throw SqlError(SqlState::kQueryCanceled, "COPY from stdin failed: " + fail->message);
    } else if (std::holds_alternative<Flush>(message) || std::holds_alternative<Sync>(message)) {
      // Ignored during COPY, as PostgreSQL does.
    } else if (std::holds_alternative<Terminate>(message)) {
      throw SqlError(SqlState::kProtocolViolation, "unexpected EOF on client connection with an open transaction")
          .with_severity(Severity::kFatal);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto type = static_cast<unsigned char>(rest[0]);
      throw SqlError(SqlState::kProtocolViolation, std::string("unexpected message type 0x") + kHex[type >> 4] +
                                                       kHex[type & 15] + " during COPY from stdin")
          .with_severity(Severity::kFatal);
    }
  }
}

void Connection::run_query(const std::string& sql) {
  ResultWriter writer(out_, this);
  {
    std::lock_guard<std::mutex> lock(session_mutex_);
    statement_running_ = true;
  }
  // execute_simple reports errors through the writer; anything thrown is a broken contract,
  // reported to the client rather than taking the server down.
  try {
    session_->execute_simple(sql, writer);
  } catch (const SqlError& error) {
    writer.on_error(error);
  } catch (const std::exception& error) {
    writer.on_error(SqlError(SqlState::kInternalError, error.what()));
  }
  {
    std::lock_guard<std::mutex> lock(session_mutex_);
    statement_running_ = false;
  }
  if (writer.saw_fatal_error()) {
    close();
    return;
  }
  send_ready_for_query();
}

void Connection::reject_extended_message() {
  SqlError error(SqlState::kFeatureNotSupported, "extended query protocol is not supported yet");
  encode(ErrorResponse{error_fields(error)}, out_.bytes());
  skip_until_sync_ = true;
}

void Connection::send_ready_for_query() {
  encode(ReadyForQuery{static_cast<char>(session_->transaction_status())}, out_.bytes());
  out_.flush();
}

void Connection::fatal(SqlError error) {
  error.with_severity(Severity::kFatal);
  encode(ErrorResponse{error_fields(error)}, out_.bytes());
  close();
}

void Connection::close() {
  phase_ = ConnectionPhase::kClosed;
  std::unique_ptr<BackendSession> session;
  {
    std::lock_guard<std::mutex> lock(session_mutex_);
    session = std::move(session_);
  }
  // The session ends (rolling back any open transaction) outside the lock, so a concurrent
  // cancel() never waits for it.
  session.reset();
}

}  // namespace tessera::pgwire
