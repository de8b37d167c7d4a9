#include "pgwire/codec/backend_encoder.h"

#include "pgwire/codec/message_writer.h"

namespace tessera::pgwire {

namespace {

void encode_empty(char type, std::string& out) {
  MessageWriter w(out);
  w.begin(type);
  w.end();
}

void encode_error_fields(char type, const ErrorFields& f, std::string& out) {
  MessageWriter w(out);
  w.begin(type);
  w.write_byte('S');
  w.write_cstring(f.severity);
  w.write_byte('V');
  w.write_cstring(f.severity);
  w.write_byte('C');
  w.write_cstring(f.code);
  w.write_byte('M');
  w.write_cstring(f.message);
  if (f.detail) {
    w.write_byte('D');
    w.write_cstring(*f.detail);
  }
  if (f.hint) {
    w.write_byte('H');
    w.write_cstring(*f.hint);
  }
  if (f.position > 0) {
    w.write_byte('P');
    w.write_cstring(std::to_string(f.position));
  }
  if (f.context) {
    w.write_byte('W');
    w.write_cstring(*f.context);
  }
  w.write_byte('\0');
  w.end();
}

}  // namespace

void encode(const AuthenticationOk&, std::string& out) {
  MessageWriter w(out);
  w.begin('R');
  w.write_int32(0);
  w.end();
}

void encode(const ParameterStatus& message, std::string& out) {
  MessageWriter w(out);
  w.begin('S');
  w.write_cstring(message.name);
  w.write_cstring(message.value);
  w.end();
}

void encode(const BackendKeyData& message, std::string& out) {
  MessageWriter w(out);
  w.begin('K');
  w.write_int32(message.process_id);
  w.write_int32(message.secret_key);
  w.end();
}

void encode(const ReadyForQuery& message, std::string& out) {
  MessageWriter w(out);
  w.begin('Z');
  w.write_byte(message.status);
  w.end();
}

void encode(const RowDescription& message, std::string& out) {
  MessageWriter w(out);
  w.begin('T');
  w.write_int16(static_cast<int16_t>(message.fields.size()));
  for (const FieldDescription& f : message.fields) {
    w.write_cstring(f.name);
    w.write_int32(static_cast<int32_t>(f.table_oid));
    w.write_int16(f.column_number);
    w.write_int32(static_cast<int32_t>(f.type_oid));
    w.write_int16(f.type_size);
    w.write_int32(f.type_modifier);
    w.write_int16(f.format);
  }
  w.end();
}

void encode(const DataRow& message, std::string& out) {
  MessageWriter w(out);
  w.begin('D');
  w.write_int16(static_cast<int16_t>(message.values.size()));
  for (const auto& value : message.values) {
    if (!value) {
      w.write_int32(-1);
      continue;
    }
    w.write_int32(static_cast<int32_t>(value->size()));
    w.write_bytes(*value);
  }
  w.end();
}

void encode(const CommandComplete& message, std::string& out) {
  MessageWriter w(out);
  w.begin('C');
  w.write_cstring(message.tag);
  w.end();
}

void encode(const EmptyQueryResponse&, std::string& out) { encode_empty('I', out); }

void encode(const ErrorResponse& message, std::string& out) { encode_error_fields('E', message.fields, out); }

void encode(const NoticeResponse& message, std::string& out) { encode_error_fields('N', message.fields, out); }

void encode(const ParseComplete&, std::string& out) { encode_empty('1', out); }

void encode(const BindComplete&, std::string& out) { encode_empty('2', out); }

void encode(const NoData&, std::string& out) { encode_empty('n', out); }

void encode(const ParameterDescription& message, std::string& out) {
  MessageWriter w(out);
  w.begin('t');
  w.write_int16(static_cast<int16_t>(message.types.size()));
  for (Oid oid : message.types) w.write_int32(static_cast<int32_t>(oid));
  w.end();
}

void encode(const NegotiateProtocolVersion& message, std::string& out) {
  MessageWriter w(out);
  w.begin('v');
  w.write_int32(message.newest_version);
  w.write_int32(static_cast<int32_t>(message.unrecognized_options.size()));
  for (const std::string& option : message.unrecognized_options) w.write_cstring(option);
  w.end();
}

void encode(const CopyResponse& message, std::string& out) {
  MessageWriter w(out);
  w.begin(message.in ? 'G' : 'H');
  w.write_byte(static_cast<char>(message.format));
  w.write_int16(message.num_columns);
  for (int16_t i = 0; i < message.num_columns; i++) w.write_int16(message.format);
  w.end();
}

void encode(const CopyDataOut& message, std::string& out) {
  MessageWriter w(out);
  w.begin('d');
  w.write_bytes(message.data);
  w.end();
}

void encode(const CopyDoneOut&, std::string& out) {
  MessageWriter w(out);
  w.begin('c');
  w.end();
}

void encode_encryption_response(char answer, std::string& out) { out.push_back(answer); }

ErrorFields error_fields(const SqlError& error) {
  ErrorFields f;
  f.severity = std::string(severity_text(error.severity()));
  f.code = std::string(sqlstate_code(error.state()));
  f.message = error.message();
  f.detail = error.detail();
  f.hint = error.hint();
  f.position = error.position();
  if (!error.context().empty()) f.context = error.context();
  return f;
}

}  // namespace tessera::pgwire
