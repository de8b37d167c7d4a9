#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/common/logical_type.h"

namespace tessera::pgwire {

/// 'R' AuthenticationOk.
struct AuthenticationOk {};

/// 'S' ParameterStatus: a run-time setting the client tracks.
struct ParameterStatus {
  std::string name;
  std::string value;
};

/// 'K' BackendKeyData: the key a CancelRequest must present.
struct BackendKeyData {
  int32_t process_id = 0;
  int32_t secret_key = 0;
};

/// 'Z' ReadyForQuery with the transaction status byte ('I', 'T' or 'E').
struct ReadyForQuery {
  char status = 'I';
};

/// One field of a RowDescription.
struct FieldDescription {
  std::string name;
  Oid table_oid = 0;
  int16_t column_number = 0;
  Oid type_oid = 0;
  int16_t type_size = -1;      ///< pg_type.typlen
  int32_t type_modifier = -1;  ///< pg_attribute.atttypmod
  int16_t format = 0;          ///< 0 text, 1 binary
};

/// 'T' RowDescription.
struct RowDescription {
  std::vector<FieldDescription> fields;
};

/// 'D' DataRow: one value per column, nullopt for NULL. (The hot path encodes DataRows
/// straight from vectors; see types/text_format.h.)
struct DataRow {
  std::vector<std::optional<std::string>> values;
};

/// 'C' CommandComplete with its tag ("SELECT 3").
struct CommandComplete {
  std::string tag;
};

/// 'I' EmptyQueryResponse.
struct EmptyQueryResponse {};

/// The fields of an ErrorResponse or NoticeResponse that Tessera sends.
struct ErrorFields {
  std::string severity;  ///< 'S' and 'V': ERROR, FATAL, PANIC, WARNING, NOTICE, ...
  std::string code;      ///< 'C': the SQLSTATE
  std::string message;   ///< 'M'
  std::optional<std::string> detail;  ///< 'D'
  std::optional<std::string> hint;    ///< 'H'
  uint32_t position = 0;              ///< 'P', 1-based; 0 = absent
  std::optional<std::string> context;  ///< 'W'
};

/// 'E' ErrorResponse.
struct ErrorResponse {
  ErrorFields fields;
};

/// 'N' NoticeResponse.
struct NoticeResponse {
  ErrorFields fields;
};

/// 'G' CopyInResponse / 'H' CopyOutResponse: the overall format (0 text, 1 binary) and one
/// format code per column (all equal to the overall one for text).
struct CopyResponse {
  bool in = true;  ///< CopyInResponse, else CopyOutResponse
  int8_t format = 0;
  int16_t num_columns = 0;
};

/// 'd' CopyData sent by the server (COPY TO STDOUT).
struct CopyDataOut {
  std::string_view data;
};

/// 'c' CopyDone sent by the server.
struct CopyDoneOut {};

/// '1' ParseComplete.
struct ParseComplete {};

/// '2' BindComplete.
struct BindComplete {};

/// 'n' NoData.
struct NoData {};

/// 't' ParameterDescription: the parameter type OIDs of a prepared statement.
struct ParameterDescription {
  std::vector<Oid> types;
};

/// 'v' NegotiateProtocolVersion: the newest protocol version supported (major << 16 | minor,
/// as PostgreSQL sends it) and the protocol options (`_pq_.*`) the server did not recognise.
struct NegotiateProtocolVersion {
  int32_t newest_version = 3 << 16;
  std::vector<std::string> unrecognized_options;
};

}  // namespace tessera::pgwire
