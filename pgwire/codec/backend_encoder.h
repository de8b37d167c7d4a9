#pragma once

#include <string>

#include "pgwire/codec/backend_message.h"
#include "src/common/sql_error.h"

namespace tessera::pgwire {

// Each encode() appends one complete message to `out`. Pure; thread-safe.

void encode(const AuthenticationOk& message, std::string& out);
void encode(const ParameterStatus& message, std::string& out);
void encode(const BackendKeyData& message, std::string& out);
void encode(const ReadyForQuery& message, std::string& out);
void encode(const RowDescription& message, std::string& out);
void encode(const DataRow& message, std::string& out);
void encode(const CommandComplete& message, std::string& out);
void encode(const EmptyQueryResponse& message, std::string& out);
void encode(const ErrorResponse& message, std::string& out);
void encode(const NoticeResponse& message, std::string& out);
void encode(const ParseComplete& message, std::string& out);
void encode(const BindComplete& message, std::string& out);
void encode(const NoData& message, std::string& out);
void encode(const ParameterDescription& message, std::string& out);
void encode(const NegotiateProtocolVersion& message, std::string& out);
void encode(const CopyResponse& message, std::string& out);
void encode(const CopyDataOut& message, std::string& out);
void encode(const CopyDoneOut& message, std::string& out);

/// The single-byte answer to SSLRequest or GSSENCRequest: 'S'/'G' to accept, 'N' to refuse.
void encode_encryption_response(char answer, std::string& out);

/// The ErrorResponse fields for `error` (severity, SQLSTATE, message, detail, hint, position).
ErrorFields error_fields(const SqlError& error);

}  // namespace tessera::pgwire
