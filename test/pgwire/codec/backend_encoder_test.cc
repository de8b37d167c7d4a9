#include "pgwire/codec/backend_encoder.h"

#include <gtest/gtest.h>

#include <string>

#include "test/pgwire/frontend_bytes.h"

namespace tessera::pgwire {
namespace {

using B = FrontendBytes;

template <class M>
std::string encoded(const M& message) {
  std::string out = "prefix";
  encode(message, out);
  EXPECT_EQ(out.substr(0, 6), "prefix");  // appends, never overwrites
  return out.substr(6);
}

TEST(BackendEncoderTest, AuthenticationOk) { EXPECT_EQ(encoded(AuthenticationOk{}), B::hex("52 00000008 00000000")); }

TEST(BackendEncoderTest, ParameterStatus) {
  EXPECT_EQ(encoded(ParameterStatus{"client_encoding", "UTF8"}), B::hex("53 00000019") + B::text("client_encoding\0UTF8\0"));
  EXPECT_EQ(encoded(ParameterStatus{"application_name", ""}), B::hex("53 00000016") + B::text("application_name\0\0"));
}

TEST(BackendEncoderTest, BackendKeyData) {
  EXPECT_EQ(encoded(BackendKeyData{1234, static_cast<int32_t>(0xdeadbeef)}), B::hex("4b 0000000c 000004d2 deadbeef"));
}

TEST(BackendEncoderTest, ReadyForQuery) {
  EXPECT_EQ(encoded(ReadyForQuery{'I'}), B::hex("5a 00000005 49"));
  EXPECT_EQ(encoded(ReadyForQuery{'T'}), B::hex("5a 00000005 54"));
  EXPECT_EQ(encoded(ReadyForQuery{'E'}), B::hex("5a 00000005 45"));
}

TEST(BackendEncoderTest, RowDescription) {
  RowDescription description;
  description.fields.push_back({"a", 0, 0, 23, 4, -1, 0});
  description.fields.push_back({"name", 16384, 2, 1043, -1, 14, 0});
  EXPECT_EQ(encoded(description),
            B::hex("54 00000031 0002") +
                B::text("a\0") + B::hex("00000000 0000 00000017 0004 ffffffff 0000") +
                B::text("name\0") + B::hex("00004000 0002 00000413 ffff 0000000e 0000"));
  EXPECT_EQ(encoded(RowDescription{}), B::hex("54 00000006 0000"));
}

TEST(BackendEncoderTest, DataRow) {
  DataRow row;
  row.values = {std::string("1"), std::nullopt, std::string("")};
  EXPECT_EQ(encoded(row), B::hex("44 00000013 0003 00000001 31 ffffffff 00000000"));
}

TEST(BackendEncoderTest, CommandCompleteAndEmptyQuery) {
  EXPECT_EQ(encoded(CommandComplete{"SELECT 1"}), B::hex("43 0000000d") + B::text("SELECT 1\0"));
  EXPECT_EQ(encoded(EmptyQueryResponse{}), B::hex("49 00000004"));
}

TEST(BackendEncoderTest, ErrorResponse) {
  ErrorFields fields;
  fields.severity = "ERROR";
  fields.code = "42601";
  fields.message = "syntax error";
  fields.position = 5;
  EXPECT_EQ(encoded(ErrorResponse{fields}),
            B::hex("45 0000002b") + B::text("SERROR\0VERROR\0C42601\0Msyntax error\0P5\0\0"));
}

TEST(BackendEncoderTest, NoticeResponseWithDetailAndHint) {
  ErrorFields fields;
  fields.severity = "NOTICE";
  fields.code = "00000";
  fields.message = "m";
  fields.detail = "d";
  fields.hint = "h";
  EXPECT_EQ(encoded(NoticeResponse{fields}),
            B::hex("4e 00000025") + B::text("SNOTICE\0VNOTICE\0C00000\0Mm\0Dd\0Hh\0\0"));
}

TEST(BackendEncoderTest, ExtendedProtocolResponses) {
  EXPECT_EQ(encoded(ParseComplete{}), B::hex("31 00000004"));
  EXPECT_EQ(encoded(BindComplete{}), B::hex("32 00000004"));
  EXPECT_EQ(encoded(NoData{}), B::hex("6e 00000004"));
  EXPECT_EQ(encoded(ParameterDescription{{20, 25}}), B::hex("74 0000000e 0002 00000014 00000019"));
}

TEST(BackendEncoderTest, NegotiateProtocolVersion) {
  EXPECT_EQ(encoded(NegotiateProtocolVersion{3 << 16, {"_pq_.x"}}),
            B::hex("76 00000013 00030000 00000001") + B::text("_pq_.x\0"));
}

TEST(BackendEncoderTest, EncryptionResponse) {
  std::string out;
  encode_encryption_response('N', out);
  EXPECT_EQ(out, "N");
}

TEST(BackendEncoderTest, StringsAreCutAtAnEmbeddedNul) {
  EXPECT_EQ(encoded(CommandComplete{B::text("OK\0junk")}), B::hex("43 00000007") + B::text("OK\0"));
}

TEST(BackendEncoderTest, ErrorFieldsFromSqlError) {
  SqlError error(SqlState::kUndefinedTable, "relation \"t\" does not exist");
  error.with_position(15).with_hint("try another").with_detail("more");
  ErrorFields fields = error_fields(error);
  EXPECT_EQ(fields.severity, "ERROR");
  EXPECT_EQ(fields.code, "42P01");
  EXPECT_EQ(fields.message, "relation \"t\" does not exist");
  EXPECT_EQ(fields.detail, "more");
  EXPECT_EQ(fields.hint, "try another");
  EXPECT_EQ(fields.position, 15u);
  error.with_severity(Severity::kFatal);
  EXPECT_EQ(error_fields(error).severity, "FATAL");
}

}  // namespace
}  // namespace tessera::pgwire
