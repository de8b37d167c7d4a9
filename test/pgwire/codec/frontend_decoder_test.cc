#include "pgwire/codec/frontend_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pgwire/codec/protocol_limits.h"
#include "test/pgwire/frontend_bytes.h"

namespace tessera::pgwire {
namespace {

using B = FrontendBytes;

template <class T>
T decode_one(const std::string& bytes) {
  auto result = decode_frontend_message(bytes);
  EXPECT_TRUE(result.is_ok()) << result.error();
  EXPECT_EQ(result.consumed(), bytes.size());
  EXPECT_TRUE(std::holds_alternative<T>(result.message()));
  return std::get<T>(result.message());
}

template <class T>
T decode_startup_one(const std::string& bytes) {
  auto result = decode_startup_packet(bytes);
  EXPECT_TRUE(result.is_ok()) << result.error();
  EXPECT_EQ(result.consumed(), bytes.size());
  EXPECT_TRUE(std::holds_alternative<T>(result.message()));
  return std::get<T>(result.message());
}

/// Every strict prefix of a valid frame needs more bytes.
void expect_need_more_at_every_cut(const std::string& frame, bool startup) {
  for (size_t cut = 0; cut < frame.size(); cut++) {
    std::string prefix = frame.substr(0, cut);
    DecodeStatus status = startup ? decode_startup_packet(prefix).status() : decode_frontend_message(prefix).status();
    EXPECT_EQ(status, DecodeStatus::kNeedMoreBytes) << "cut at " << cut << " of " << frame.size();
  }
}

// ---- Byte-exact fixtures ----

const std::string kStartup = B::hex("00000027 00030000") + B::text("user\0tessera\0database\0tessera\0\0");
const std::string kSslRequest = B::hex("00000008 04d2162f");
const std::string kGssEncRequest = B::hex("00000008 04d21630");
const std::string kCancelRequest = B::hex("00000010 04d2162e 00000457 deadbeef");
const std::string kQuery = B::hex("51 0000000d") + B::text("select 1\0");
const std::string kTerminate = B::hex("58 00000004");
const std::string kSync = B::hex("53 00000004");
const std::string kFlush = B::hex("48 00000004");
// Parse "s1", "select $1", one parameter of type int8 (20).
const std::string kParse = B::hex("50 00000017") + B::text("s1\0select $1\0") + B::hex("0001 00000014");
// Bind portal "p" to "s1": formats [1], params ["42", NULL], result formats [0, 1].
const std::string kBind = B::hex("42 0000001f") + B::text("p\0s1\0") +
                          B::hex("0001 0001  0002 00000002 3432 ffffffff  0002 0000 0001");
const std::string kDescribe = B::hex("44 00000007 50") + B::text("p\0");
const std::string kExecute = B::hex("45 0000000a") + B::text("p\0") + B::hex("000001f4");
const std::string kClose = B::hex("43 00000008 53") + B::text("s1\0");
const std::string kPassword = B::hex("70 0000000a") + B::text("secret");
const std::string kCopyData = B::hex("64 00000007") + B::text("a\tb");
const std::string kCopyDone = B::hex("63 00000004");
const std::string kCopyFail = B::hex("66 00000009") + B::text("oops\0");

TEST(FrontendDecoderTest, StartupMessage) {
  auto m = decode_startup_one<StartupMessage>(kStartup);
  EXPECT_EQ(m.major_version, 3);
  EXPECT_EQ(m.minor_version, 0);
  std::vector<std::pair<std::string, std::string>> expected = {{"user", "tessera"}, {"database", "tessera"}};
  EXPECT_EQ(m.parameters, expected);
}

TEST(FrontendDecoderTest, StartupMessageBuiltMatchesFixture) {
  EXPECT_EQ(B::startup({{"user", "tessera"}, {"database", "tessera"}}), kStartup);
}

TEST(FrontendDecoderTest, EncryptionAndCancelRequests) {
  decode_startup_one<SslRequest>(kSslRequest);
  decode_startup_one<GssEncRequest>(kGssEncRequest);
  auto cancel = decode_startup_one<CancelRequest>(kCancelRequest);
  EXPECT_EQ(cancel.process_id, 1111);
  EXPECT_EQ(cancel.secret_key, static_cast<int32_t>(0xdeadbeef));
}

TEST(FrontendDecoderTest, OtherProtocolVersionsDecodeWithoutParameters) {
  auto v2 = decode_startup_one<StartupMessage>(B::packet(B::hex("00020000") + std::string(64, 'x')));
  EXPECT_EQ(v2.major_version, 2);
  EXPECT_TRUE(v2.parameters.empty());
  auto v31 = decode_startup_one<StartupMessage>(B::startup({{"user", "u"}, {"_pq_.opt", "1"}}, (3 << 16) | 1));
  EXPECT_EQ(v31.minor_version, 1);
  ASSERT_EQ(v31.parameters.size(), 2u);
  EXPECT_EQ(v31.parameters[1].first, "_pq_.opt");
}

TEST(FrontendDecoderTest, StartupLayoutErrors) {
  // No final terminator.
  auto r = decode_startup_packet(B::hex("00000014 00030000") + B::text("user\0tessera"));
  EXPECT_TRUE(r.is_malformed());
  // A name without a value.
  r = decode_startup_packet(B::hex("0000000e 00030000") + B::text("user\0\0"));
  EXPECT_TRUE(r.is_malformed());
  EXPECT_EQ(r.error(), "invalid startup packet layout: expected terminator as last byte");
  // Bytes after the empty name that ends the list.
  r = decode_startup_packet(B::hex("0000000e 00030000") + B::text("\0abcd\0"));
  EXPECT_TRUE(r.is_malformed());
  // Cancel request of the wrong size.
  r = decode_startup_packet(B::hex("0000000c 04d2162e 00000457"));
  EXPECT_TRUE(r.is_malformed());
  // SSLRequest with a body.
  r = decode_startup_packet(B::hex("0000000c 04d2162f 00000000"));
  EXPECT_TRUE(r.is_malformed());
}

TEST(FrontendDecoderTest, StartupLengthLimits) {
  for (const char* header : {"00000007", "00000000", "ffffffff", "80000000", "00002711"}) {
    auto r = decode_startup_packet(B::hex(header));
    EXPECT_TRUE(r.is_malformed()) << header;
    EXPECT_EQ(r.error(), "invalid length of startup packet");
  }
  // Exactly the limit is fine (here: a protocol 2 packet, whose body is not parsed).
  std::string largest = B::packet(B::hex("00020000") + std::string(kMaxStartupPacketLength - 8, 'x'));
  EXPECT_TRUE(decode_startup_packet(largest).is_ok());
}

TEST(FrontendDecoderTest, StartupTruncatedAtEveryCut) {
  for (const std::string& frame : {kStartup, kSslRequest, kGssEncRequest, kCancelRequest}) {
    expect_need_more_at_every_cut(frame, true);
  }
}

TEST(FrontendDecoderTest, SimpleMessages) {
  EXPECT_EQ(decode_one<Query>(kQuery).sql, "select 1");
  decode_one<Terminate>(kTerminate);
  decode_one<Sync>(kSync);
  decode_one<Flush>(kFlush);
  EXPECT_EQ(decode_one<PasswordMessage>(kPassword).data, "secret");
  EXPECT_EQ(decode_one<CopyData>(kCopyData).data, "a\tb");
  decode_one<CopyDone>(kCopyDone);
  EXPECT_EQ(decode_one<CopyFail>(kCopyFail).message, "oops");
}

TEST(FrontendDecoderTest, ExtendedProtocolMessages) {
  Parse parse = decode_one<Parse>(kParse);
  EXPECT_EQ(parse.statement, "s1");
  EXPECT_EQ(parse.query, "select $1");
  EXPECT_EQ(parse.parameter_types, std::vector<Oid>{20});

  Bind bind = decode_one<Bind>(kBind);
  EXPECT_EQ(bind.portal, "p");
  EXPECT_EQ(bind.statement, "s1");
  EXPECT_EQ(bind.parameter_formats, std::vector<int16_t>{1});
  ASSERT_EQ(bind.parameters.size(), 2u);
  EXPECT_EQ(bind.parameters[0], std::optional<std::string>("42"));
  EXPECT_EQ(bind.parameters[1], std::nullopt);
  EXPECT_EQ(bind.result_formats, (std::vector<int16_t>{0, 1}));

  Describe describe = decode_one<Describe>(kDescribe);
  EXPECT_EQ(describe.kind, 'P');
  EXPECT_EQ(describe.name, "p");
  Execute execute = decode_one<Execute>(kExecute);
  EXPECT_EQ(execute.portal, "p");
  EXPECT_EQ(execute.max_rows, 500);
  Close close = decode_one<Close>(kClose);
  EXPECT_EQ(close.kind, 'S');
  EXPECT_EQ(close.name, "s1");
}

TEST(FrontendDecoderTest, BuiltMessagesMatchFixtures) {
  EXPECT_EQ(B::query("select 1"), kQuery);
  EXPECT_EQ(B::parse("s1", "select $1", {20}), kParse);
  EXPECT_EQ(B::bind("p", "s1", {1}, {std::string("42"), std::nullopt}, {0, 1}), kBind);
  EXPECT_EQ(B::describe('P', "p"), kDescribe);
  EXPECT_EQ(B::execute("p", 500), kExecute);
  EXPECT_EQ(B::close('S', "s1"), kClose);
}

TEST(FrontendDecoderTest, RegularTruncatedAtEveryCut) {
  for (const std::string& frame : {kQuery, kTerminate, kSync, kFlush, kParse, kBind, kDescribe, kExecute, kClose,
                                   kPassword, kCopyData, kCopyDone, kCopyFail}) {
    expect_need_more_at_every_cut(frame, false);
  }
}

TEST(FrontendDecoderTest, DecodesOnlyTheFirstOfSeveralMessages) {
  auto r = decode_frontend_message(kQuery + kSync + "Q");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r.consumed(), kQuery.size());
  EXPECT_TRUE(std::holds_alternative<Query>(r.message()));
}

TEST(FrontendDecoderTest, UnknownTypeIsMalformedAtOnce) {
  auto r = decode_frontend_message("Z");
  ASSERT_TRUE(r.is_malformed());
  EXPECT_EQ(r.error(), "invalid frontend message type 90");
  EXPECT_TRUE(decode_frontend_message(std::string(1, '\0')).is_malformed());
}

TEST(FrontendDecoderTest, LengthLimitsCheckedFromTheHeaderAlone) {
  // Negative, too small, and above the 1 GiB limit for a Query: malformed before any body.
  for (const char* header : {"51 ffffffff", "51 80000000", "51 00000003", "51 00000000", "51 40000000", "51 7fffffff"}) {
    auto r = decode_frontend_message(B::hex(header));
    EXPECT_TRUE(r.is_malformed()) << header;
    EXPECT_EQ(r.error(), "invalid message length");
  }
  // Just under the limit: wait for the body.
  EXPECT_TRUE(decode_frontend_message(B::hex("51 3ffffffe")).needs_more_bytes());
  // Control messages have the small limit.
  EXPECT_TRUE(decode_frontend_message(B::hex("53 00002711")).is_malformed());
  EXPECT_TRUE(decode_frontend_message(B::hex("45 00002711")).is_malformed());
  EXPECT_TRUE(decode_frontend_message(B::hex("58 00002710")).needs_more_bytes());
  EXPECT_TRUE(decode_frontend_message(B::hex("70 00010000")).is_malformed());
}

TEST(FrontendDecoderTest, BodyMustMatchLayout) {
  // Sync with a stray byte.
  auto r = decode_frontend_message(B::hex("53 00000005 00"));
  ASSERT_TRUE(r.is_malformed());
  EXPECT_EQ(r.error(), "invalid message format");
  // Query without its terminator.
  r = decode_frontend_message(B::hex("51 00000007") + "abc");
  ASSERT_TRUE(r.is_malformed());
  EXPECT_EQ(r.error(), "invalid string in message");
  // Query with bytes after the terminator.
  EXPECT_TRUE(decode_frontend_message(B::hex("51 00000008") + B::text("ab\0c")).is_malformed());
  // Execute cut short.
  r = decode_frontend_message(B::hex("45 00000007") + B::text("p\0") + B::hex("00"));
  ASSERT_TRUE(r.is_malformed());
  EXPECT_EQ(r.error(), "insufficient data left in message");
  // Parse with a negative parameter count.
  EXPECT_TRUE(decode_frontend_message(B::frame('P', B::text("\0select 1\0") + B::hex("ffff"))).is_malformed());
  // Parse announcing more parameter types than present.
  EXPECT_TRUE(decode_frontend_message(B::frame('P', B::text("\0select 1\0") + B::hex("0002 00000017"))).is_malformed());
  // Bind with a parameter length below -1, and one longer than the message.
  EXPECT_TRUE(decode_frontend_message(B::frame('B', B::text("\0\0") + B::hex("0000 0001 fffffffe 0000"))).is_malformed());
  EXPECT_TRUE(decode_frontend_message(B::frame('B', B::text("\0\0") + B::hex("0000 0001 00000010 41 0000"))).is_malformed());
  // Describe without its name.
  EXPECT_TRUE(decode_frontend_message(B::frame('D', "S")).is_malformed());
}

}  // namespace
}  // namespace tessera::pgwire
