#include "pgwire/protocol/connection.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "test/pgwire/backend_stream.h"
#include "test/pgwire/fake_backend.h"
#include "test/pgwire/frontend_bytes.h"

namespace tessera::pgwire {
namespace {

using B = FrontendBytes;
using Messages = std::vector<BackendStream::Message>;

/// Collects what the Connection sends.
class StringOutput : public ConnectionOutput {
 public:
  void write(std::string_view bytes) override {
    bytes_.append(bytes.data(), bytes.size());
    write_sizes_.push_back(bytes.size());
  }
  /// Returns and forgets everything written so far.
  std::string take() {
    std::string out;
    out.swap(bytes_);
    return out;
  }
  const std::vector<size_t>& write_sizes() const { return write_sizes_; }

 private:
  std::string bytes_;
  std::vector<size_t> write_sizes_;
};

class ConnectionTest : public ::testing::Test {
 protected:
  ConnectionConfig config() {
    ConnectionConfig c;
    c.process_id = 4242;
    c.secret_key = 0x01020304;
    c.on_cancel_request = [this](const CancelRequest& request) { cancel_requests_.push_back(request); };
    return c;
  }

  /// Feeds `bytes` and returns the messages sent in answer.
  Messages send(const std::string& bytes) {
    connection_.receive(bytes);
    return BackendStream::split(output_.take());
  }

  /// Completes startup and checks it succeeded.
  void start() {
    Messages m = send(B::startup_tessera());
    ASSERT_EQ(BackendStream::types(m), "R" + std::string(13, 'S') + "KZ");
    ASSERT_EQ(connection_.phase(), ConnectionPhase::kReady);
  }

  FakeBackend backend_;
  StringOutput output_;
  std::vector<CancelRequest> cancel_requests_;
  Connection connection_{backend_, output_, config()};
};

TEST_F(ConnectionTest, StartupReportsParametersAndKey) {
  Messages m = send(B::startup({{"user", "tessera"}, {"database", "tessera"}, {"application_name", "psql"}}));
  ASSERT_EQ(BackendStream::types(m), "R" + std::string(13, 'S') + "KZ");
  EXPECT_EQ(m[0].body, B::hex("00000000"));
  std::vector<std::pair<std::string, std::string>> statuses;
  for (size_t i = 1; i <= 13; i++) {
    size_t nul = m[i].body.find('\0');
    statuses.emplace_back(m[i].body.substr(0, nul), m[i].body.substr(nul + 1, m[i].body.size() - nul - 2));
  }
  std::vector<std::pair<std::string, std::string>> expected = {
      {"application_name", "psql"}, {"client_encoding", "UTF8"},      {"DateStyle", "ISO, MDY"},
      {"default_transaction_read_only", "off"},                        {"in_hot_standby", "off"},
      {"integer_datetimes", "on"},  {"IntervalStyle", "postgres"},     {"is_superuser", "on"},
      {"server_encoding", "UTF8"},  {"server_version", "15.6"},        {"session_authorization", "tessera"},
      {"standard_conforming_strings", "on"},                           {"TimeZone", "UTC"}};
  EXPECT_EQ(statuses, expected);
  EXPECT_EQ(m[14].body, B::hex("00001092 01020304"));
  EXPECT_EQ(m[15].body, "I");
  EXPECT_EQ(backend_.live_sessions, 1);
  StartupParameters params = backend_.params();
  EXPECT_EQ(params.user, "tessera");
  EXPECT_EQ(params.database, "tessera");
  EXPECT_EQ(params.application_name, "psql");
  EXPECT_EQ(params.all.size(), 3u);
}

TEST_F(ConnectionTest, SslAndGssEncRequestsAreRefused) {
  connection_.receive(B::gssenc_request());
  EXPECT_EQ(output_.take(), "N");
  connection_.receive(B::ssl_request());
  EXPECT_EQ(output_.take(), "N");
  start();
}

TEST_F(ConnectionTest, SecondSslRequestIsFatal) {
  connection_.receive(B::ssl_request());
  EXPECT_EQ(output_.take(), "N");
  Messages m = send(B::ssl_request());
  ASSERT_EQ(BackendStream::types(m), "E");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['S'], "FATAL");
  EXPECT_EQ(fields['C'], "0A000");
  EXPECT_TRUE(connection_.is_closed());
}

TEST_F(ConnectionTest, StartupArrivingByteByByte) {
  std::string bytes = B::ssl_request() + B::startup_tessera() + B::query("ints");
  std::string out;
  for (char c : bytes) {
    connection_.receive(std::string(1, c));
    out += output_.take();
  }
  ASSERT_EQ(out[0], 'N');
  Messages m = BackendStream::split(out.substr(1));
  EXPECT_EQ(BackendStream::types(m), "R" + std::string(13, 'S') + "KZ" + "TDDDCZ");
}

TEST_F(ConnectionTest, DatabaseDefaultsToUserAndApplicationNameIsCleaned) {
  Messages m = send(B::startup({{"user", "tessera"}, {"application_name", "app\x01\xc3\xa9"}}));
  ASSERT_EQ(BackendStream::types(m), "R" + std::string(13, 'S') + "KZ");
  EXPECT_EQ(backend_.params().database, "tessera");
  EXPECT_EQ(backend_.params().application_name, "app???");
  EXPECT_EQ(m[1].body, B::text("application_name\0app???\0"));
}

TEST_F(ConnectionTest, UnknownDatabaseIsFatal) {
  Messages m = send(B::startup({{"user", "tessera"}, {"database", "nope"}}));
  ASSERT_EQ(BackendStream::types(m), "E");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['S'], "FATAL");
  EXPECT_EQ(fields['V'], "FATAL");
  EXPECT_EQ(fields['C'], "3D000");
  EXPECT_EQ(fields['M'], "database \"nope\" does not exist");
  EXPECT_TRUE(connection_.is_closed());
  // Nothing more is read or sent.
  EXPECT_TRUE(send(B::query("ints")).empty());
}

TEST_F(ConnectionTest, UnknownUserIsFatal) {
  Messages m = send(B::startup({{"user", "bob"}, {"database", "tessera"}}));
  ASSERT_EQ(BackendStream::types(m), "E");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "28000");
  EXPECT_TRUE(connection_.is_closed());
}

TEST_F(ConnectionTest, MissingUserIsFatal) {
  Messages m = send(B::startup({{"database", "tessera"}}));
  ASSERT_EQ(BackendStream::types(m), "E");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['C'], "28000");
  EXPECT_EQ(fields['M'], "no PostgreSQL user name specified in startup packet");
}

TEST_F(ConnectionTest, UnsupportedProtocolVersionIsFatal) {
  Messages m = send(B::packet(B::hex("00020000") + std::string(32, '\0')));
  ASSERT_EQ(BackendStream::types(m), "E");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['C'], "0A000");
  EXPECT_EQ(fields['M'], "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
  EXPECT_EQ(backend_.live_sessions, 0);
}

TEST_F(ConnectionTest, NewerMinorVersionIsNegotiatedDown) {
  Messages m = send(B::startup({{"user", "tessera"}, {"_pq_.future", "x"}, {"database", "tessera"}}, (3 << 16) | 2));
  ASSERT_EQ(BackendStream::types(m), "vR" + std::string(13, 'S') + "KZ");
  EXPECT_EQ(m[0].body, B::hex("00030000 00000001") + B::text("_pq_.future\0"));
}

TEST_F(ConnectionTest, NonUtf8ClientEncodingIsRefused) {
  Messages m = send(B::startup({{"user", "tessera"}, {"client_encoding", "LATIN1"}}));
  ASSERT_EQ(BackendStream::types(m), "E");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "22023");
}

TEST_F(ConnectionTest, Utf8SpellingsAreAccepted) {
  Messages m = send(B::startup({{"user", "tessera"}, {"client_encoding", "utf-8"}}));
  EXPECT_EQ(BackendStream::types(m), "R" + std::string(13, 'S') + "KZ");
}

TEST_F(ConnectionTest, MalformedStartupLengthIsFatal) {
  Messages m = send(B::hex("00100000 00030000"));
  ASSERT_EQ(BackendStream::types(m), "E");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['S'], "FATAL");
  EXPECT_EQ(fields['C'], "08P01");
  EXPECT_EQ(fields['M'], "invalid length of startup packet");
  EXPECT_TRUE(connection_.is_closed());
}

TEST_F(ConnectionTest, CancelRequestIsForwardedAndCloses) {
  connection_.receive(B::cancel_request(77, 99));
  EXPECT_TRUE(output_.take().empty());
  ASSERT_EQ(cancel_requests_.size(), 1u);
  EXPECT_EQ(cancel_requests_[0].process_id, 77);
  EXPECT_EQ(cancel_requests_[0].secret_key, 99);
  EXPECT_TRUE(connection_.is_closed());
  EXPECT_EQ(backend_.live_sessions, 0);
}

TEST_F(ConnectionTest, SimpleQueryWithEveryType) {
  start();
  Messages m = send(B::query("ints"));
  ASSERT_EQ(BackendStream::types(m), "TDDDCZ");
  auto fields = BackendStream::row_description(m[0]);
  ASSERT_EQ(fields.size(), 8u);
  const char* names[] = {"a", "b", "c", "d", "e", "f", "n", "v"};
  const uint32_t oids[] = {23, 25, 16, 701, 20, 21, 25, 1043};
  const int16_t sizes[] = {4, -1, 1, 8, 8, 2, -1, -1};
  for (size_t i = 0; i < fields.size(); i++) {
    EXPECT_EQ(fields[i].name, names[i]);
    EXPECT_EQ(fields[i].type_oid, oids[i]) << i;
    EXPECT_EQ(fields[i].type_size, sizes[i]) << i;
    EXPECT_EQ(fields[i].type_modifier, i == 7 ? 14 : -1) << i;
    EXPECT_EQ(fields[i].format, 0);
  }
  EXPECT_EQ(fields[7].table_oid, 16384u);
  EXPECT_EQ(fields[7].column_number, 2);
  using V = std::vector<std::optional<std::string>>;
  EXPECT_EQ(BackendStream::data_row(m[1]), (V{"1", "one", "t", "1.5", "9000000000", "-7", std::nullopt, "x"}));
  EXPECT_EQ(BackendStream::data_row(m[2]), (V{"-2147483648", "a longer string than twelve bytes", "f", "0.1", "-1",
                                              "32767", std::nullopt, ""}));
  EXPECT_EQ(BackendStream::data_row(m[3]), V(8, std::nullopt));
  EXPECT_EQ(BackendStream::cstring_body(m[4]), "SELECT 3");
  EXPECT_EQ(m[5].body, "I");
}

TEST_F(ConnectionTest, MultipleStatementsOneReadyForQuery) {
  start();
  Messages m = send(B::query("rows 2; begin; rows 0"));
  ASSERT_EQ(BackendStream::types(m), "TDDCCTCZ");
  EXPECT_EQ(BackendStream::cstring_body(m[3]), "SELECT 2");
  EXPECT_EQ(BackendStream::cstring_body(m[4]), "BEGIN");
  EXPECT_EQ(BackendStream::cstring_body(m[6]), "SELECT 0");
  EXPECT_EQ(m[7].body, "T");
}

TEST_F(ConnectionTest, ErrorSkipsTheRestThenNextQueryWorks) {
  start();
  Messages m = send(B::query("rows 1; fail; ints"));
  ASSERT_EQ(BackendStream::types(m), "TDCEZ");
  auto fields = BackendStream::error_fields(m[3]);
  EXPECT_EQ(fields['S'], "ERROR");
  EXPECT_EQ(fields['V'], "ERROR");
  EXPECT_EQ(fields['C'], "22012");
  EXPECT_EQ(fields['M'], "division by zero");
  EXPECT_EQ(fields['P'], "8");
  EXPECT_EQ(m[4].body, "I");

  m = send(B::query("ints"));
  EXPECT_EQ(BackendStream::types(m), "TDDDCZ");
}

TEST_F(ConnectionTest, ErrorInTransactionBlockReportsFailedStatus) {
  start();
  Messages m = send(B::query("begin"));
  EXPECT_EQ(m.back().body, "T");
  m = send(B::query("fail"));
  ASSERT_EQ(BackendStream::types(m), "EZ");
  EXPECT_EQ(m.back().body, "E");
  m = send(B::query("rollback"));
  EXPECT_EQ(BackendStream::types(m), "CZ");
  EXPECT_EQ(m.back().body, "I");
}

TEST_F(ConnectionTest, EmptyQuery) {
  start();
  EXPECT_EQ(BackendStream::types(send(B::query(""))), "IZ");
  EXPECT_EQ(BackendStream::types(send(B::query("  ;  "))), "IZ");
}

TEST_F(ConnectionTest, NoticesBecomeNoticeResponses) {
  start();
  Messages m = send(B::query("notice"));
  ASSERT_EQ(BackendStream::types(m), "NCZ");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['S'], "WARNING");
  EXPECT_EQ(fields['C'], "01000");
  EXPECT_EQ(fields['M'], "careful");
}

TEST_F(ConnectionTest, FatalStatementErrorCloses) {
  start();
  Messages m = send(B::query("fatal; ints"));
  ASSERT_EQ(BackendStream::types(m), "E");
  EXPECT_EQ(BackendStream::error_fields(m[0])['S'], "FATAL");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "57P01");
  EXPECT_TRUE(connection_.is_closed());
  EXPECT_EQ(backend_.live_sessions, 0);
}

TEST_F(ConnectionTest, ThrowingBackendIsReportedAndSurvived) {
  start();
  Messages m = send(B::query("throw"));
  ASSERT_EQ(BackendStream::types(m), "EZ");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "XX000");
  EXPECT_EQ(BackendStream::types(send(B::query("rows 1"))), "TDCZ");
}

TEST_F(ConnectionTest, PipelinedQueriesAreAnsweredInOrder) {
  start();
  Messages m = send(B::query("rows 1") + B::query("fail") + B::query("rows 0"));
  EXPECT_EQ(BackendStream::types(m), "TDCZ" "EZ" "TCZ");
}

TEST_F(ConnectionTest, ExtendedProtocolIsRefusedUntilSync) {
  start();
  Messages m = send(B::parse("", "select 1", {}) + B::bind("", "", {}, {}, {}) + B::describe('P', "") +
                    B::execute("", 0) + B::close('P', "") + B::flush() + B::query("ints") + B::sync());
  ASSERT_EQ(BackendStream::types(m), "EZ");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['S'], "ERROR");
  EXPECT_EQ(fields['C'], "0A000");
  EXPECT_EQ(fields['M'], "extended query protocol is not supported yet");
  EXPECT_EQ(m[1].body, "I");
  // After Sync the connection works again.
  EXPECT_EQ(BackendStream::types(send(B::query("rows 1"))), "TDCZ");
}

TEST_F(ConnectionTest, ExtendedMessagesSplitAcrossReads) {
  start();
  std::string batch = B::parse("s", "select 1", {23}) + B::sync() + B::describe('S', "s") + B::sync();
  std::string out;
  for (size_t i = 0; i < batch.size(); i += 3) {
    connection_.receive(batch.substr(i, 3));
    out += output_.take();
  }
  EXPECT_EQ(BackendStream::types(BackendStream::split(out)), "EZEZ");
}

TEST_F(ConnectionTest, SyncAndFlushAloneAreHarmless) {
  start();
  EXPECT_EQ(BackendStream::types(send(B::flush())), "");
  Messages m = send(B::sync());
  ASSERT_EQ(BackendStream::types(m), "Z");
  EXPECT_EQ(m[0].body, "I");
}

TEST_F(ConnectionTest, CopyMessagesOutsideCopyAreIgnored) {
  start();
  Messages m = send(B::frame('d', "1\t2\n") + B::frame('c', "") + B::frame('f', B::text("x\0")) + B::query("rows 0"));
  EXPECT_EQ(BackendStream::types(m), "TCZ");
}

TEST_F(ConnectionTest, UnknownMessageTypeIsFatal) {
  start();
  Messages m = send(B::frame('Z', "") + B::query("ints"));
  ASSERT_EQ(BackendStream::types(m), "E");
  auto fields = BackendStream::error_fields(m[0]);
  EXPECT_EQ(fields['S'], "FATAL");
  EXPECT_EQ(fields['C'], "08P01");
  EXPECT_EQ(fields['M'], "invalid frontend message type 90");
  EXPECT_TRUE(connection_.is_closed());
  EXPECT_EQ(backend_.live_sessions, 0);
}

TEST_F(ConnectionTest, OversizedMessageIsFatalWithoutWaitingForIt) {
  start();
  Messages m = send(B::hex("51 7fffffff") + "select");
  ASSERT_EQ(BackendStream::types(m), "E");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "08P01");
  EXPECT_EQ(BackendStream::error_fields(m[0])['M'], "invalid message length");
  EXPECT_TRUE(connection_.is_closed());
}

TEST_F(ConnectionTest, NegativeLengthIsFatal) {
  start();
  Messages m = send(B::hex("51 fffffff0"));
  ASSERT_EQ(BackendStream::types(m), "E");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "08P01");
}

TEST_F(ConnectionTest, PasswordMessageAfterStartupIsFatal) {
  start();
  Messages m = send(B::frame('p', B::text("pw\0")));
  ASSERT_EQ(BackendStream::types(m), "E");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "08P01");
}

TEST_F(ConnectionTest, TerminateClosesAndEndsSession) {
  start();
  EXPECT_EQ(backend_.live_sessions, 1);
  EXPECT_TRUE(send(B::terminate() + B::query("ints")).empty());
  EXPECT_TRUE(connection_.is_closed());
  EXPECT_EQ(backend_.live_sessions, 0);
}

TEST_F(ConnectionTest, AbortEndsSessionSilently) {
  start();
  connection_.abort();
  EXPECT_TRUE(connection_.is_closed());
  EXPECT_EQ(backend_.live_sessions, 0);
  EXPECT_TRUE(output_.take().empty());
}

TEST_F(ConnectionTest, LargeResultStreamsInBoundedWrites) {
  ConnectionConfig c = config();
  c.flush_threshold = 4096;
  StringOutput output;
  Connection connection(backend_, output, c);
  connection.receive(B::startup_tessera());
  output.take();
  size_t writes_before = output.write_sizes().size();
  connection.receive(B::query("rows 100000"));
  Messages m = BackendStream::split(output.take());
  ASSERT_EQ(m.size(), 100003u);
  EXPECT_EQ(BackendStream::data_row(m[100000])[0], "99999");
  EXPECT_EQ(BackendStream::cstring_body(m[100001]), "SELECT 100000");
  // Written in many batches (a flush after each chunk past the threshold), none much larger
  // than the threshold plus one chunk of rows.
  const auto& sizes = output.write_sizes();
  EXPECT_GE(sizes.size() - writes_before, 49u);  // one per chunk of 2048 rows at least
  for (size_t i = writes_before; i < sizes.size(); i++) EXPECT_LT(sizes[i], 4096u + 2048u * 32u);
}

TEST_F(ConnectionTest, CancelReachesRunningStatementOnly) {
  start();
  connection_.cancel();  // idle: ignored
  EXPECT_EQ(backend_.cancel_calls, 0);
  std::thread runner([&] { connection_.receive(B::query("sleep")); });
  while (backend_.sleeping == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  connection_.cancel();
  runner.join();
  EXPECT_EQ(backend_.cancel_calls, 1);
  Messages m = BackendStream::split(output_.take());
  ASSERT_EQ(BackendStream::types(m), "EZ");
  EXPECT_EQ(BackendStream::error_fields(m[0])['C'], "57014");
  EXPECT_EQ(BackendStream::error_fields(m[0])['M'], "canceling statement due to user request");
}

}  // namespace
}  // namespace tessera::pgwire
