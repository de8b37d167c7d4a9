// COPY over the wire with libpq: FROM STDIN (CopyInResponse / CopyData / CopyDone), CopyFail,
// errors in the data (the session stays usable, nothing is inserted), a client that
// disconnects mid-COPY, COPY inside a transaction block, and TO STDOUT (CopyOutResponse, one
// CopyData per row, CopyDone).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "pgwire/server.h"
#include "src/main/database.h"
#include "test/support/wire_server.h"

namespace tessera {
namespace {

using Conn = test_support::PgConn;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

class CopyWireTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(DatabaseConfig{"./unused", 2});
    server_ = std::make_unique<test_support::WireServer>(pgwire::ServerConfig{.backend = *db_});
  }
  void TearDown() override { server_.reset(); }
  Conn connect() { return server_->connect(); }
  static std::string field(PGresult* res, int code) {
    const char* value = PQresultErrorField(res, code);
    return value ? value : "";
  }
  static void exec_ok(PGconn* conn, const char* sql) {
    Result res(PQexec(conn, sql), &PQclear);
    EXPECT_TRUE(PQresultStatus(res.get()) == PGRES_COMMAND_OK || PQresultStatus(res.get()) == PGRES_TUPLES_OK)
        << sql << ": " << PQerrorMessage(conn);
  }
  static std::string scalar(PGconn* conn, const char* sql) {
    Result res(PQexec(conn, sql), &PQclear);
    EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << sql << ": " << PQerrorMessage(conn);
    return PQntuples(res.get()) > 0 ? PQgetvalue(res.get(), 0, 0) : "";
  }
  /// Runs COPY FROM STDIN with `data`, ending it with CopyDone (or CopyFail with `fail`).
  static Result copy_in(PGconn* conn, const char* sql, const std::string& data, const char* fail = nullptr) {
    Result start(PQexec(conn, sql), &PQclear);
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) return start;
    EXPECT_EQ(PQputCopyData(conn, data.data(), static_cast<int>(data.size())), 1);
    EXPECT_EQ(PQputCopyEnd(conn, fail), 1);
    Result end(PQgetResult(conn), &PQclear);
    while (PGresult* more = PQgetResult(conn)) PQclear(more);
    return end;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<test_support::WireServer> server_;
};

TEST_F(CopyWireTest, FromStdinInsertsTheRows) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer, b text, c integer DEFAULT 7)");
  Result res = copy_in(conn.get(), "COPY t (a, b) FROM STDIN", "1\tone\n2\t\\N\n3\tthree\\twith tab\n");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  EXPECT_STREQ(PQcmdStatus(res.get()), "COPY 3");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t WHERE c = 7"), "3");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t WHERE b IS NULL"), "1");
  EXPECT_EQ(scalar(conn.get(), "SELECT b FROM t WHERE a = 3"), "three\twith tab");
  res = copy_in(conn.get(), "COPY t FROM STDIN WITH (FORMAT csv, HEADER)", "a,b,c\n4,\"x,y\",5\n");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(scalar(conn.get(), "SELECT b || c FROM t WHERE a = 4"), "x,y5");
}

TEST_F(CopyWireTest, BadRowFailsWithLineAndInsertsNothing) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer, b integer)");
  Result res = copy_in(conn.get(), "COPY t FROM STDIN", "1\t2\n3\tx\n");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "22P02");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_PRIMARY), "invalid input syntax for type integer: \"x\"");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY t, line 2, column b: \"x\"");
  res = copy_in(conn.get(), "COPY t FROM STDIN", "1\t2\n3\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "22P04");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_PRIMARY), "missing data for column \"b\"");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY t, line 2: \"3\"");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "0");
}

TEST_F(CopyWireTest, LoneCarriageReturnLineEndings) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer, b text)");
  Result res = copy_in(conn.get(), "COPY t FROM STDIN", "1\tone\r2\ttwo\r\\.\r");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  EXPECT_STREQ(PQcmdStatus(res.get()), "COPY 2");
  res = copy_in(conn.get(), "COPY t FROM STDIN WITH (FORMAT csv, HEADER)", "a,b\r3,\"x\ry\"\r");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(scalar(conn.get(), "SELECT string_agg(b, '|' ORDER BY a) FROM t"), "one|two|x\ry");
  // A different line ending after the first one is 22P04.
  res = copy_in(conn.get(), "COPY t FROM STDIN", "4\tfour\r5\tfive\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "22P04");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_PRIMARY), "literal newline found in data");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_HINT), "Use \"\\n\" to represent newline.");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY t, line 2");
  res = copy_in(conn.get(), "COPY t FROM STDIN WITH (FORMAT csv)", "4,four\n5,five\r\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "22P04");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_PRIMARY), "unquoted carriage return found in data");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_HINT), "Use quoted CSV field to represent carriage return.");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY t, line 2");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "3");
}

TEST_F(CopyWireTest, ConstraintErrorsNameTheRowsLine) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer NOT NULL, b integer CHECK (b > 0), c integer DEFAULT 7)");
  // The rows are checked in order: row 2's CHECK fails before row 3's NOT NULL.
  Result res = copy_in(conn.get(), "COPY t (a, b) FROM STDIN", "1\t5\n2\t-1\n\\N\t3\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "23514");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_PRIMARY), "new row for relation \"t\" violates check constraint \"t_b_check\"");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_DETAIL), "Failing row contains (2, -1, 7).");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY t, line 2: \"2\t-1\"");
  res = copy_in(conn.get(), "COPY t FROM STDIN WITH (FORMAT csv, HEADER)", "a,b,c\n1,5,1\n2,6,2\n,7,3\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "23502");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_DETAIL), "Failing row contains (null, 7, 3).");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY t, line 4: \",7,3\"");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "0");
  // A duplicate key: the line without its text, as PostgreSQL reports it.
  exec_ok(conn.get(), "CREATE TABLE u (a integer UNIQUE, b text)");
  exec_ok(conn.get(), "INSERT INTO u VALUES (5, 'five')");
  res = copy_in(conn.get(), "COPY u FROM STDIN", "1\tx\n2\ty\n1\tz\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "23505");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_DETAIL), "Key (a)=(1) already exists.");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY u, line 3");
  res = copy_in(conn.get(), "COPY u FROM STDIN", "1\tx\n5\ty\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "23505");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "COPY u, line 2");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM u"), "1");
  // A FOREIGN KEY is checked after the rows: PostgreSQL names no line either.
  exec_ok(conn.get(), "CREATE TABLE f (a integer REFERENCES u (a))");
  res = copy_in(conn.get(), "COPY f FROM STDIN", "5\n7\n");
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "23503");
  EXPECT_EQ(field(res.get(), PG_DIAG_CONTEXT), "");
}

TEST_F(CopyWireTest, CopyFailInsertsNothing) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer)");
  Result res = copy_in(conn.get(), "COPY t FROM STDIN", "1\n2\n", "client gave up");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(field(res.get(), PG_DIAG_SQLSTATE), "57014");
  EXPECT_EQ(field(res.get(), PG_DIAG_MESSAGE_PRIMARY), "COPY from stdin failed: client gave up");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "0");
}

TEST_F(CopyWireTest, DisconnectMidCopyInsertsNothing) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer)");
  {
    Conn gone = connect();
    Result start(PQexec(gone.get(), "COPY t FROM STDIN"), &PQclear);
    ASSERT_EQ(PQresultStatus(start.get()), PGRES_COPY_IN);
    ASSERT_EQ(PQputCopyData(gone.get(), "1\n2\n", 4), 1);
    ASSERT_EQ(PQflush(gone.get()), 0);
  }  // closes the socket mid-COPY
  // The other session neither sees rows nor waits on a lock for long.
  for (int i = 0; i < 50 && scalar(conn.get(), "SELECT count(*) FROM t") == "0"; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "0");
  exec_ok(conn.get(), "DROP TABLE t");
}

TEST_F(CopyWireTest, InsideATransactionBlock) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer)");
  exec_ok(conn.get(), "BEGIN");
  Result res = copy_in(conn.get(), "COPY t FROM STDIN", "1\n2\n");
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "2");
  exec_ok(conn.get(), "ROLLBACK");
  EXPECT_EQ(scalar(conn.get(), "SELECT count(*) FROM t"), "0");
  // In a failed block COPY is refused before any data is asked for.
  exec_ok(conn.get(), "BEGIN");
  Result bad(PQexec(conn.get(), "SELECT 1/0"), &PQclear);
  Result refused(PQexec(conn.get(), "COPY t FROM STDIN"), &PQclear);
  EXPECT_EQ(PQresultStatus(refused.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(field(refused.get(), PG_DIAG_SQLSTATE), "25P02");
  exec_ok(conn.get(), "ROLLBACK");
}

TEST_F(CopyWireTest, ToStdout) {
  Conn conn = connect();
  exec_ok(conn.get(), "CREATE TABLE t (a integer, b text)");
  exec_ok(conn.get(), "INSERT INTO t VALUES (1, 'x,y'), (2, NULL)");
  Result start(PQexec(conn.get(), "COPY (SELECT * FROM t ORDER BY a) TO STDOUT WITH (FORMAT csv, HEADER)"), &PQclear);
  ASSERT_EQ(PQresultStatus(start.get()), PGRES_COPY_OUT) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQnfields(start.get()), 2);
  std::string out;
  int rows = 0;
  for (;;) {
    char* buffer = nullptr;
    const int n = PQgetCopyData(conn.get(), &buffer, 0);
    if (n < 0) break;
    out.append(buffer, n);
    PQfreemem(buffer);
    rows++;
  }
  EXPECT_EQ(out, "a,b\n1,\"x,y\"\n2,\n");
  EXPECT_EQ(rows, 3);
  Result end(PQgetResult(conn.get()), &PQclear);
  EXPECT_EQ(PQresultStatus(end.get()), PGRES_COMMAND_OK);
  EXPECT_STREQ(PQcmdStatus(end.get()), "COPY 2");
}

}  // namespace
}  // namespace tessera
