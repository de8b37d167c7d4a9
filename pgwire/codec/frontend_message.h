#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "src/common/logical_type.h"

namespace tessera::pgwire {

// ---- The first packet of a connection (no type byte) ----

/// StartupMessage: protocol version and the connection parameters (user, database, ...).
/// Parameters are decoded only for protocol major version 3; for others the list is empty.
struct StartupMessage {
  uint16_t major_version = 3;
  uint16_t minor_version = 0;
  std::vector<std::pair<std::string, std::string>> parameters;
  friend bool operator==(const StartupMessage&, const StartupMessage&) = default;
};

/// SSLRequest: the client asks to switch to TLS before the StartupMessage.
struct SslRequest {
  friend bool operator==(const SslRequest&, const SslRequest&) = default;
};

/// GSSENCRequest: the client asks for GSSAPI encryption before the StartupMessage.
struct GssEncRequest {
  friend bool operator==(const GssEncRequest&, const GssEncRequest&) = default;
};

/// CancelRequest: sent on a new connection to cancel the statement of another one.
struct CancelRequest {
  int32_t process_id = 0;
  int32_t secret_key = 0;
  friend bool operator==(const CancelRequest&, const CancelRequest&) = default;
};

/// Any packet that can open a connection.
using StartupPacket = std::variant<StartupMessage, SslRequest, GssEncRequest, CancelRequest>;

// ---- Regular messages (type byte + length) ----

/// 'Q' Query: a simple-protocol query string (one or more statements).
struct Query {
  std::string sql;
  friend bool operator==(const Query&, const Query&) = default;
};

/// 'X' Terminate.
struct Terminate {
  friend bool operator==(const Terminate&, const Terminate&) = default;
};

/// 'P' Parse: prepares `query` as statement `statement` ("" = unnamed); a parameter type of 0
/// leaves the type to inference.
struct Parse {
  std::string statement;
  std::string query;
  std::vector<Oid> parameter_types;
  friend bool operator==(const Parse&, const Parse&) = default;
};

/// 'B' Bind: creates portal `portal` from statement `statement` with parameter values
/// (nullopt = NULL) and format codes (0 text, 1 binary).
struct Bind {
  std::string portal;
  std::string statement;
  std::vector<int16_t> parameter_formats;
  std::vector<std::optional<std::string>> parameters;
  std::vector<int16_t> result_formats;
  friend bool operator==(const Bind&, const Bind&) = default;
};

/// 'D' Describe: kind 'S' (statement) or 'P' (portal); the kind is not validated here.
struct Describe {
  char kind = 'S';
  std::string name;
  friend bool operator==(const Describe&, const Describe&) = default;
};

/// 'E' Execute: runs portal `portal`, returning at most `max_rows` rows (0 = all).
struct Execute {
  std::string portal;
  int32_t max_rows = 0;
  friend bool operator==(const Execute&, const Execute&) = default;
};

/// 'C' Close: kind 'S' (statement) or 'P' (portal); the kind is not validated here.
struct Close {
  char kind = 'S';
  std::string name;
  friend bool operator==(const Close&, const Close&) = default;
};

/// 'S' Sync: ends an extended-protocol batch.
struct Sync {
  friend bool operator==(const Sync&, const Sync&) = default;
};

/// 'H' Flush: asks the server to send what it has buffered.
struct Flush {
  friend bool operator==(const Flush&, const Flush&) = default;
};

/// 'p' PasswordMessage (also SASLInitialResponse / SASLResponse): the raw payload, whose
/// meaning depends on the authentication exchange in progress.
struct PasswordMessage {
  std::string data;
  friend bool operator==(const PasswordMessage&, const PasswordMessage&) = default;
};

/// 'd' CopyData.
struct CopyData {
  std::string data;
  friend bool operator==(const CopyData&, const CopyData&) = default;
};

/// 'c' CopyDone.
struct CopyDone {
  friend bool operator==(const CopyDone&, const CopyDone&) = default;
};

/// 'f' CopyFail with the client's reason.
struct CopyFail {
  std::string message;
  friend bool operator==(const CopyFail&, const CopyFail&) = default;
};

/// Any regular frontend message.
using FrontendMessage = std::variant<Query, Terminate, Parse, Bind, Describe, Execute, Close, Sync,
                                     Flush, PasswordMessage, CopyData, CopyDone, CopyFail>;

}  // namespace tessera::pgwire
