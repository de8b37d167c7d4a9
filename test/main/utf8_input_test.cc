// Client text is validated as UTF-8 where it enters: a query string over the wire, string
// constants after escape processing, and bind parameter values through the engine API. Invalid
// input fails with 22021 and the session stays usable. Also the type modifiers clients see.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pgwire/server.h"
#include "src/common/result_receiver.h"
#include "src/common/sql_error.h"
#include "src/main/database.h"
#include "test/support/wire_server.h"

namespace tessera {
namespace {

using Conn = test_support::PgConn;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

class Rows : public ResultReceiver {
 public:
  void on_columns(const std::vector<ResultColumn>&) override {}
  void on_chunk(const DataChunk& chunk) override {
    for (size_t r = 0; r < chunk.size(); r++) rows.push_back(chunk.get_value(0, r).to_string());
  }
  void on_complete(std::string_view) override {}
  void on_empty_query() override {}
  void on_error(const SqlError& error) override { errors.emplace_back(sqlstate_code(error.state())); }
  std::vector<std::string> rows, errors;
};

class Utf8InputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(DatabaseConfig{"./unused", 2});
    server_ = std::make_unique<test_support::WireServer>(pgwire::ServerConfig{.backend = *db_});
  }
  void TearDown() override { server_.reset(); }
  Conn connect() { return server_->connect(); }
  static std::string sqlstate(PGresult* res) {
    const char* code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return code ? code : "";
  }
  static std::string message(PGresult* res) {
    const char* m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    return m ? m : "";
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<test_support::WireServer> server_;
};

TEST_F(Utf8InputTest, InvalidBytesInAQueryFailWith22021AndTheConnectionStaysUsable) {
  Conn conn = connect();
  // Raw invalid bytes in the query text: a string constant and an identifier.
  for (const char* sql : {"SELECT 'a\xff'", "SELECT 1 AS \"x\xc3(\"", "SELECT E'\\xed\\xa0\\x80'"}) {
    Result bad(PQexec(conn.get(), sql), &PQclear);
    EXPECT_EQ(PQresultStatus(bad.get()), PGRES_FATAL_ERROR) << sql;
    EXPECT_EQ(sqlstate(bad.get()), "22021") << sql;
  }
  Result bad(PQexec(conn.get(), "SELECT 'a\xff'"), &PQclear);
  EXPECT_EQ(message(bad.get()), "invalid byte sequence for encoding \"UTF8\": 0xff");
  Result good(PQexec(conn.get(), "SELECT length('naïve'), 'é' LIKE '_'"), &PQclear);
  ASSERT_EQ(PQresultStatus(good.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  EXPECT_STREQ(PQgetvalue(good.get(), 0, 0), "5");
  EXPECT_STREQ(PQgetvalue(good.get(), 0, 1), "t");
  // Inside a transaction block the error aborts the block as any error does.
  Result begin(PQexec(conn.get(), "BEGIN"), &PQclear);
  Result bad_in_block(PQexec(conn.get(), "SELECT '\xc3'"), &PQclear);
  EXPECT_EQ(sqlstate(bad_in_block.get()), "22021");
  Result aborted(PQexec(conn.get(), "SELECT 1"), &PQclear);
  EXPECT_EQ(sqlstate(aborted.get()), "25P02");
  Result rollback(PQexec(conn.get(), "ROLLBACK"), &PQclear);
  Result after(PQexec(conn.get(), "SELECT 1"), &PQclear);
  EXPECT_EQ(PQresultStatus(after.get()), PGRES_TUPLES_OK);
}

TEST_F(Utf8InputTest, InvalidBindParameterFailsWith22021AndTheSessionStaysUsable) {
  pgwire::StartupParameters params;
  params.user = params.database = "tessera";
  auto session = db_->open_session(params);
  auto prepared = session->prepare("SELECT length($1::text)");
  try {
    session->bind(*prepared, {std::optional<std::string>("ab\xff")});
    ADD_FAILURE() << "bind accepted invalid UTF-8";
  } catch (const SqlError& e) {
    EXPECT_EQ(sqlstate_code(e.state()), std::string("22021"));
    EXPECT_EQ(e.message(), "invalid byte sequence for encoding \"UTF8\": 0xff");
  }
  try {
    session->bind(*prepared, {std::optional<std::string>(std::string("a\0b", 3))});
    ADD_FAILURE() << "bind accepted a NUL byte";
  } catch (const SqlError& e) {
    EXPECT_EQ(sqlstate_code(e.state()), std::string("22021"));
  }
  auto portal = session->bind(*prepared, {std::optional<std::string>("naïve")});
  Rows rows;
  EXPECT_EQ(session->execute(*portal, 0, rows), pgwire::ExecuteResult::kComplete);
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.rows[0], "5");
}

TEST_F(Utf8InputTest, RowDescriptionCarriesPostgresTypeModifiers) {
  Conn conn = connect();
  Result create(PQexec(conn.get(), "CREATE TABLE vt(g varchar(2), h varchar(2))"), &PQclear);
  ASSERT_EQ(PQresultStatus(create.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  Result insert(PQexec(conn.get(), "INSERT INTO vt VALUES (NULL, 'x')"), &PQclear);
  Result res(PQexec(conn.get(),
                    "SELECT g, coalesce(g, 'abc'), coalesce(g, h), upper(g), g || 'x', CAST('abc' AS varchar(5)), "
                    "CASE WHEN true THEN g END, greatest(g, h) FROM vt"),
             &PQclear);
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  // PostgreSQL: varchar(n) has atttypmod n + 4, everything without a length -1.
  const int expected[] = {6, -1, 6, -1, -1, 9, -1, 6};
  for (int c = 0; c < 8; c++) EXPECT_EQ(PQfmod(res.get(), c), expected[c]) << "column " << c;
  EXPECT_EQ(PQftype(res.get(), 0), 1043u);
  EXPECT_EQ(PQftype(res.get(), 3), 25u);  // upper(varchar) is text
  EXPECT_EQ(PQftype(res.get(), 4), 25u);
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 1), "abc");
}

TEST_F(Utf8InputTest, NumericColumnsAreOid1700WithTheirTypmod) {
  Conn conn = connect();
  Result create(PQexec(conn.get(), "CREATE TABLE nt(n numeric(8,2))"), &PQclear);
  ASSERT_EQ(PQresultStatus(create.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  Result insert(PQexec(conn.get(), "INSERT INTO nt VALUES (1.005)"), &PQclear);
  ASSERT_EQ(PQresultStatus(insert.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  Result res(PQexec(conn.get(), "SELECT n, n + 1, CAST(1.5 AS numeric(5,2)), 1.5 FROM nt"), &PQclear);
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  // PostgreSQL: numeric(p,s) has atttypmod ((p << 16) | s) + 4; expressions are unconstrained.
  const int expected[] = {(8 << 16 | 2) + 4, -1, (5 << 16 | 2) + 4, -1};
  for (int c = 0; c < 4; c++) {
    EXPECT_EQ(PQftype(res.get(), c), 1700u) << "column " << c;
    EXPECT_EQ(PQfmod(res.get(), c), expected[c]) << "column " << c;
  }
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 0), "1.01");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 1), "2.01");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 2), "1.50");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 3), "1.5");
}

TEST_F(Utf8InputTest, CharByteaAndUuidColumnsCarryTheirOidsAndTypmods) {
  Conn conn = connect();
  Result create(PQexec(conn.get(), "CREATE TABLE ct(c char(3), b bytea, u uuid)"), &PQclear);
  ASSERT_EQ(PQresultStatus(create.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  Result insert(PQexec(conn.get(), "INSERT INTO ct VALUES ('ab', '\\x00ff', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')"),
                &PQclear);
  ASSERT_EQ(PQresultStatus(insert.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());
  Result res(PQexec(conn.get(), "SELECT c, CAST('x' AS char(4)), 'y'::bpchar, c::text, b, u FROM ct"), &PQclear);
  ASSERT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  // PostgreSQL: character(n) is bpchar (1042) with atttypmod n + 4; bytea 17; uuid 2950.
  const unsigned expected_oid[] = {1042, 1042, 1042, 25, 17, 2950};
  const int expected_mod[] = {7, 8, -1, -1, -1, -1};
  for (int c = 0; c < 6; c++) {
    EXPECT_EQ(PQftype(res.get(), c), expected_oid[c]) << "column " << c;
    EXPECT_EQ(PQfmod(res.get(), c), expected_mod[c]) << "column " << c;
  }
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 0), "ab ");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 1), "x   ");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 2), "y");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 3), "ab");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 4), "\\x00ff");
  EXPECT_STREQ(PQgetvalue(res.get(), 0, 5), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

}  // namespace
}  // namespace tessera
