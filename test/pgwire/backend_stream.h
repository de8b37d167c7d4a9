#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace tessera::pgwire {

/// Reads what a server sent, independently of the encoder under test: splits the byte stream
/// into messages and takes apart the ones tests look into.
class BackendStream {
 public:
  struct Message {
    char type = 0;
    std::string body;
  };
  struct Field {
    std::string name;
    uint32_t table_oid = 0;
    int16_t column_number = 0;
    uint32_t type_oid = 0;
    int16_t type_size = 0;
    int32_t type_modifier = 0;
    int16_t format = 0;
  };

  static int32_t int32_at(std::string_view s, size_t pos) {
    return static_cast<int32_t>((static_cast<uint32_t>(static_cast<uint8_t>(s[pos])) << 24) |
                                (static_cast<uint32_t>(static_cast<uint8_t>(s[pos + 1])) << 16) |
                                (static_cast<uint32_t>(static_cast<uint8_t>(s[pos + 2])) << 8) |
                                static_cast<uint32_t>(static_cast<uint8_t>(s[pos + 3])));
  }
  static int16_t int16_at(std::string_view s, size_t pos) {
    return static_cast<int16_t>((static_cast<uint8_t>(s[pos]) << 8) | static_cast<uint8_t>(s[pos + 1]));
  }

  /// Splits whole messages; fails the test on a truncated or inconsistent one.
  static std::vector<Message> split(std::string_view bytes) {
    std::vector<Message> messages;
    size_t pos = 0;
    while (pos < bytes.size()) {
      if (bytes.size() - pos < 5) {
        ADD_FAILURE() << "truncated message header at " << pos;
        break;
      }
      int32_t length = int32_at(bytes, pos + 1);
      if (length < 4 || pos + 1 + static_cast<size_t>(length) > bytes.size()) {
        ADD_FAILURE() << "bad message length " << length << " at " << pos;
        break;
      }
      messages.push_back({bytes[pos], std::string(bytes.substr(pos + 5, static_cast<size_t>(length) - 4))});
      pos += 1 + static_cast<size_t>(length);
    }
    return messages;
  }

  /// The message types in order, e.g. "RSSSK Z" without spaces.
  static std::string types(const std::vector<Message>& messages) {
    std::string t;
    for (const auto& m : messages) t += m.type;
    return t;
  }

  static std::vector<Field> row_description(const Message& m) {
    std::vector<Field> fields;
    int16_t n = int16_at(m.body, 0);
    size_t pos = 2;
    for (int16_t i = 0; i < n; i++) {
      Field f;
      size_t nul = m.body.find('\0', pos);
      f.name = m.body.substr(pos, nul - pos);
      pos = nul + 1;
      f.table_oid = static_cast<uint32_t>(int32_at(m.body, pos));
      f.column_number = int16_at(m.body, pos + 4);
      f.type_oid = static_cast<uint32_t>(int32_at(m.body, pos + 6));
      f.type_size = int16_at(m.body, pos + 10);
      f.type_modifier = int32_at(m.body, pos + 12);
      f.format = int16_at(m.body, pos + 16);
      pos += 18;
      fields.push_back(f);
    }
    EXPECT_EQ(pos, m.body.size());
    return fields;
  }

  static std::vector<std::optional<std::string>> data_row(const Message& m) {
    std::vector<std::optional<std::string>> values;
    int16_t n = int16_at(m.body, 0);
    size_t pos = 2;
    for (int16_t i = 0; i < n; i++) {
      int32_t len = int32_at(m.body, pos);
      pos += 4;
      if (len < 0) {
        values.emplace_back(std::nullopt);
      } else {
        values.emplace_back(m.body.substr(pos, static_cast<size_t>(len)));
        pos += static_cast<size_t>(len);
      }
    }
    EXPECT_EQ(pos, m.body.size());
    return values;
  }

  /// ErrorResponse / NoticeResponse fields by code letter.
  static std::map<char, std::string> error_fields(const Message& m) {
    std::map<char, std::string> fields;
    size_t pos = 0;
    while (pos < m.body.size() && m.body[pos] != '\0') {
      char code = m.body[pos];
      size_t nul = m.body.find('\0', pos + 1);
      fields[code] = m.body.substr(pos + 1, nul - pos - 1);
      pos = nul + 1;
    }
    return fields;
  }

  /// A body that is one NUL-terminated string (CommandComplete).
  static std::string cstring_body(const Message& m) { return m.body.substr(0, m.body.find('\0')); }
};

}  // namespace tessera::pgwire
