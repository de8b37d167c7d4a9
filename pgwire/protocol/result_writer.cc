#include "pgwire/protocol/result_writer.h"

#include <string>

#include "pgwire/codec/backend_encoder.h"

namespace tessera::pgwire {

namespace {

/// PostgreSQL's atttypmod for a type: varchar(n) carries n plus the 4-byte varlena header.
/// An array column carries its element type's.
int32_t type_modifier(const LogicalType& type) {
  if (type.is_array()) return type_modifier(type.element_type());
  if (type.is_string() && type.modifier() >= 0) return type.modifier() + 4;
  // numeric(p,s) keeps PostgreSQL's typmod encoding as it is.
  if (type.id() == LogicalTypeId::kNumeric) return type.modifier();
  return -1;
}

}  // namespace

ResultWriter::ResultWriter(OutputBuffer& out, CopyInSource* copy_in) : out_(out), copy_in_(copy_in) {}

void ResultWriter::on_columns(const std::vector<ResultColumn>& columns) {
  RowDescription description;
  description.fields.reserve(columns.size());
  for (const ResultColumn& column : columns) {
    FieldDescription field;
    field.name = column.name;
    field.table_oid = column.table_oid;
    field.column_number = column.column_number;
    field.type_oid = column.type.pg_oid();
    field.type_size = column.type.pg_typlen();
    field.type_modifier = type_modifier(column.type);
    field.format = 0;
    description.fields.push_back(std::move(field));
  }
  encode(description, out_.bytes());
}

void ResultWriter::on_chunk(const DataChunk& chunk) {
  if (chunk.size() == 0) return;
  rows_.encode(chunk, out_.bytes());
  out_.flush_if_full();
}

void ResultWriter::on_complete(std::string_view command_tag) {
  if (copy_out_active_) {
    encode(CopyDoneOut{}, out_.bytes());
    copy_out_active_ = false;
  }
  encode(CommandComplete{std::string(command_tag)}, out_.bytes());
}

void ResultWriter::on_empty_query() { encode(EmptyQueryResponse{}, out_.bytes()); }

void ResultWriter::on_error(const SqlError& error) {
  copy_out_active_ = false;
  if (error.severity() == Severity::kFatal || error.severity() == Severity::kPanic) saw_fatal_error_ = true;
  encode(ErrorResponse{error_fields(error)}, out_.bytes());
}

void ResultWriter::on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) {
  ErrorFields fields;
  // Class 01 is the warning class; anything else a session reports this way is a notice.
  fields.severity = sqlstate.substr(0, 2) == "01" ? "WARNING" : "NOTICE";
  fields.code = std::string(sqlstate);
  fields.message = std::string(message);
  if (!detail.empty()) fields.detail = std::string(detail);
  encode(NoticeResponse{std::move(fields)}, out_.bytes());
}

void ResultWriter::on_parameter_status(std::string_view name, std::string_view value) {
  encode(ParameterStatus{std::string(name), std::string(value)}, out_.bytes());
}

void ResultWriter::copy_in(size_t num_columns, std::string& data) {
  if (!copy_in_) ResultReceiver::copy_in(num_columns, data);
  encode(CopyResponse{true, 0, static_cast<int16_t>(num_columns)}, out_.bytes());
  out_.flush();
  copy_in_->read_copy_data(data);
}

void ResultWriter::on_copy_out(size_t num_columns) {
  encode(CopyResponse{false, 0, static_cast<int16_t>(num_columns)}, out_.bytes());
  copy_out_active_ = true;
}

void ResultWriter::on_copy_data(std::string_view data) {
  encode(CopyDataOut{data}, out_.bytes());
  out_.flush_if_full();
}

}  // namespace tessera::pgwire
