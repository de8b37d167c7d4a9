#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pgwire/protocol/output_buffer.h"
#include "pgwire/types/text_format.h"
#include "src/common/result_receiver.h"

namespace tessera::pgwire {

/// The ResultReceiver a Connection hands to BackendSession::execute_simple: encodes each
/// callback as the simple-query protocol messages (RowDescription, DataRow in text format,
/// CommandComplete, EmptyQueryResponse, ErrorResponse, NoticeResponse) into an OutputBuffer,
/// flushing as results grow. Used by one statement thread at a time; not thread-safe.
class ResultWriter final : public ResultReceiver {
 public:
  /// Where COPY FROM STDIN reads the client's data from (the connection's input).
  class CopyInSource {
   public:
    virtual ~CopyInSource() = default;
    /// Appends the data of CopyData messages up to CopyDone to `data`; throws SqlError for
    /// CopyFail (57014), an unexpected message or a client that is gone (08P01).
    virtual void read_copy_data(std::string& data) = 0;
  };

  /// `copy_in`, when given, serves COPY FROM STDIN; it must outlive the writer.
  explicit ResultWriter(OutputBuffer& out, CopyInSource* copy_in = nullptr);

  void on_columns(const std::vector<ResultColumn>& columns) override;
  void on_chunk(const DataChunk& chunk) override;
  void on_complete(std::string_view command_tag) override;
  void on_empty_query() override;
  void on_error(const SqlError& error) override;
  void on_notice(std::string_view sqlstate, std::string_view message, std::string_view detail) override;
  void on_parameter_status(std::string_view name, std::string_view value) override;
  void copy_in(size_t num_columns, std::string& data) override;
  void on_copy_out(size_t num_columns) override;
  void on_copy_data(std::string_view data) override;

  /// An error of severity FATAL or PANIC was reported: the connection must close.
  bool saw_fatal_error() const { return saw_fatal_error_; }

 private:
  OutputBuffer& out_;
  DataRowEncoder rows_;
  bool saw_fatal_error_ = false;
  CopyInSource* copy_in_;
  bool copy_out_active_ = false;  ///< CopyOutResponse sent, CopyDone not yet
};

}  // namespace tessera::pgwire
