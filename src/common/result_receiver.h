#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/common/data_chunk.h"
#include "src/common/logical_type.h"
#include "src/common/sql_error.h"

namespace tessera {

/// One column of a statement's result as clients see it (RowDescription).
struct ResultColumn {
  std::string name;
  LogicalType type;
  Oid table_oid = 0;       ///< source table, 0 when not a plain column
  int16_t column_number = 0;  ///< attribute number in that table, 0 when none
};

/// Receives the results of the statements a session executes, in order. Implemented by the
/// pgwire connection (which encodes RowDescription/DataRow/CommandComplete) and by in-process
/// clients such as the sqllogictest runner. Called on the session's statement thread.
class ResultReceiver {
 public:
  virtual ~ResultReceiver() = default;
  /// A statement that returns rows starts: its columns. Followed by zero or more on_chunk.
  virtual void on_columns(const std::vector<ResultColumn>& columns) = 0;
  /// Rows of the current statement, in result order.
  virtual void on_chunk(const DataChunk& chunk) = 0;
  /// The current statement finished with PostgreSQL's command tag ("SELECT 3", "INSERT 0 1").
  virtual void on_complete(std::string_view command_tag) = 0;
  /// The query string held no statement at all.
  virtual void on_empty_query() = 0;
  /// The current statement failed; the remaining statements of the query string are skipped.
  virtual void on_error(const SqlError& error) = 0;
  /// A notice or warning raised while executing (severity NOTICE/WARNING).
  /// `detail` is the optional DETAIL line(s), empty when none.
  virtual void on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) {}
  /// A setting clients track changed (PostgreSQL's GUC_REPORT settings, e.g. TimeZone after
  /// SET TIME ZONE): reported before the statement's on_complete (ParameterStatus).
  virtual void on_parameter_status(std::string_view name, std::string_view value) {}

  /// COPY FROM STDIN: asks the client for its data (CopyInResponse, `num_columns` columns in
  /// text format) and appends everything it sends up to CopyDone to `data`. Throws SqlError:
  /// 57014 when the client sends CopyFail, 08P01 for another message or when the client is
  /// gone. A receiver with no client to send data raises 0A000.
  virtual void copy_in(size_t num_columns, std::string& data) {
    (void)num_columns;
    (void)data;
    throw SqlError(SqlState::kFeatureNotSupported, "COPY FROM STDIN is not supported by this client");
  }
  /// COPY TO STDOUT starts (CopyOutResponse, `num_columns` text columns); on_copy_data calls
  /// follow, then on_complete (after CopyDone). A receiver with no client raises 0A000.
  virtual void on_copy_out(size_t num_columns) {
    (void)num_columns;
    throw SqlError(SqlState::kFeatureNotSupported, "COPY TO STDOUT is not supported by this client");
  }
  /// Rows of COPY TO STDOUT, already in the COPY format (whole lines).
  virtual void on_copy_data(std::string_view data) { (void)data; }
};

}  // namespace tessera
