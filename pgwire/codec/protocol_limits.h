#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::pgwire {

/// Request codes that take the place of a protocol version in the first packet.
inline constexpr int32_t kCancelRequestCode = (1234 << 16) | 5678;
inline constexpr int32_t kSslRequestCode = (1234 << 16) | 5679;
inline constexpr int32_t kGssEncRequestCode = (1234 << 16) | 5680;

/// The protocol this server speaks: 3.0.
inline constexpr uint16_t kProtocolMajor = 3;
inline constexpr uint16_t kProtocolMinor = 0;

/// Largest startup packet accepted, length word included (PostgreSQL's MAX_STARTUP_PACKET_LENGTH).
inline constexpr size_t kMaxStartupPacketLength = 10000;
/// Largest length word of a message that may carry data (Query, Parse, Bind, CopyData):
/// PostgreSQL's PQ_LARGE_MESSAGE_LIMIT, just under 1 GiB.
inline constexpr size_t kMaxLargeMessageLength = (size_t{1} << 30) - 2;
/// Largest length word of a control message (Sync, Flush, Terminate, Describe, Close,
/// Execute, CopyDone, CopyFail): PostgreSQL's PQ_SMALL_MESSAGE_LIMIT.
inline constexpr size_t kMaxSmallMessageLength = 10000;
/// Largest length word of a PasswordMessage (PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH).
inline constexpr size_t kMaxPasswordMessageLength = 65535;

}  // namespace tessera::pgwire
