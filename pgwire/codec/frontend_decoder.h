#pragma once

#include <string_view>

#include "pgwire/codec/decode_result.h"
#include "pgwire/codec/frontend_message.h"

namespace tessera::pgwire {

/// Decodes the packet that opens a connection (StartupMessage, SSLRequest, GSSENCRequest or
/// CancelRequest) from the front of `bytes`. A length word below 8 or above
/// kMaxStartupPacketLength is malformed as soon as it is readable. Pure; thread-safe.
DecodeResult<StartupPacket> decode_startup_packet(std::string_view bytes);

/// Decodes one regular message (type byte, length word, body) from the front of `bytes`.
/// An unknown type byte, a length word below 4 or above the type's limit (kMaxLargeMessageLength
/// or kMaxSmallMessageLength), or a body that does not match the message layout exactly is
/// malformed; the header is checked before the body has arrived. Pure; thread-safe.
DecodeResult<FrontendMessage> decode_frontend_message(std::string_view bytes);

}  // namespace tessera::pgwire
