// bytea operators and functions: || and the lengths, substring and position in bytes, get_byte
// and set_byte, encode / decode (hex, base64, escape) and convert_to / convert_from between text
// and bytes in UTF8 or LATIN1. md5(bytea) is registered with md5(text); the comparison operators
// with the other types'.

#include <cstring>
#include <string>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/string_kernels.h"
#include "executor/functions/vector_loops.h"
#include "src/common/bytea.h"
#include "src/common/sql_error.h"
#include "src/common/utf8.h"

namespace tessera::executor {

namespace {

using Args = std::span<const Vector* const>;

void concat_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& a, const string_t& b) {
    buffer.assign(a.view());
    buffer.append(b.view());
    return heap.add(buffer);
  });
}

void length_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result, [](const string_t& s) { return static_cast<int32_t>(s.size()); });
}

void bit_length_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result,
                                  [](const string_t& s) { return static_cast<int32_t>(s.size() * 8); });
}

/// Bytes [start, start + length) of `s`, 1-based, as PostgreSQL's bytea_substring.
std::string_view substring_bytes(std::string_view s, int64_t start, int64_t length, bool has_length) {
  const int64_t first = std::max<int64_t>(start, 1);
  int64_t end = static_cast<int64_t>(s.size()) + 1;
  if (has_length) {
    if (length < 0) throw SqlError(SqlState::kSubstringError, "negative substring length not allowed");
    end = std::min(end, start + length);
  }
  if (end <= first || first > static_cast<int64_t>(s.size())) return {};
  return s.substr(static_cast<size_t>(first - 1), static_cast<size_t>(end - first));
}

void substring_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  result.keep_heaps_of(*args[0]);
  if (args.size() == 2) {
    nary_strict<string_t, string_t, int32_t>(args, sel, count, result, [](sel_t, const string_t& s, int32_t start) {
      const std::string_view v = substring_bytes(s.view(), start, 0, false);
      return string_t(v.data(), static_cast<uint32_t>(v.size()));
    });
    return;
  }
  nary_strict<string_t, string_t, int32_t, int32_t>(args, sel, count, result,
                                                    [](sel_t, const string_t& s, int32_t start, int32_t length) {
                                                      const std::string_view v = substring_bytes(s.view(), start, length, true);
                                                      return string_t(v.data(), static_cast<uint32_t>(v.size()));
                                                    });
}

void position_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<string_t, string_t, int32_t>(*args[0], *args[1], sel, count, result, [](const string_t& s, const string_t& sub) {
    const size_t at = s.view().find(sub.view());
    return at == std::string_view::npos ? 0 : static_cast<int32_t>(at + 1);
  });
}

[[noreturn]] void throw_index_out_of_range(int64_t index, size_t size) {
  throw SqlError(SqlState::kArraySubscriptError, "index " + std::to_string(index) + " out of valid range, 0.." +
                                                     std::to_string(static_cast<int64_t>(size) - 1));
}

void get_byte_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<string_t, int32_t, int32_t>(*args[0], *args[1], sel, count, result, [](const string_t& s, int32_t n) {
    if (n < 0 || static_cast<size_t>(n) >= s.size()) throw_index_out_of_range(n, s.size());
    return static_cast<int32_t>(static_cast<unsigned char>(s.data()[n]));
  });
}

void set_byte_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  nary_strict<string_t, string_t, int32_t, int32_t>(args, sel, count, result, [&](sel_t, const string_t& s, int32_t n, int32_t value) {
    if (n < 0 || static_cast<size_t>(n) >= s.size()) throw_index_out_of_range(n, s.size());
    buffer.assign(s.view());
    buffer[static_cast<size_t>(n)] = static_cast<char>(value);
    return heap.add(buffer);
  });
}

void encode_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& f) {
    return heap.add(bytea_encode(s.view(), f.view()));
  });
}

void decode_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& f) {
    return heap.add(bytea_decode(s.view(), f.view()));
  });
}

// ---- convert_to / convert_from ----

enum class Encoding : uint8_t { kUtf8, kLatin1 };

/// PostgreSQL's encoding names (clean_encoding_name: lower case, only letters and digits).
std::string clean_encoding_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c + 32));
  }
  return out;
}

/// The encoding `name` names; 22023 for a name PostgreSQL does not know, 0A000 for one of its
/// encodings Tessera does not convert.
Encoding encoding_of(std::string_view name, const char* role) {
  const std::string clean = clean_encoding_name(name);
  if (clean == "utf8" || clean == "unicode") return Encoding::kUtf8;
  if (clean == "latin1" || clean == "iso88591") return Encoding::kLatin1;
  static const char* const kOthers[] = {
      "sqlascii", "eucjp", "euccn", "euckr", "euctw", "eucjis2004", "muleinternal", "latin2", "latin3", "latin4",
      "latin5", "latin6", "latin7", "latin8", "latin9", "latin10", "win1256", "win1258", "win866", "win874",
      "koi8r", "win1251", "win1252", "iso88595", "iso88596", "iso88597", "iso88598", "win1250", "win1253",
      "win1254", "win1255", "win1257", "koi8u", "sjis", "big5", "gbk", "uhc", "gb18030", "johab",
      "shiftjis2004", "alt", "win", "mskanji", "shiftjis", "tcvn", "tcvn5712", "vscii", "windows1252"};
  for (const char* other : kOthers) {
    if (clean == other) {
      throw SqlError(SqlState::kFeatureNotSupported,
                     "conversion to or from encoding \"" + std::string(name) + "\" is not supported");
    }
  }
  throw SqlError(SqlState::kInvalidParameterValue, std::string("invalid ") + role + " encoding name \"" + std::string(name) + "\"");
}

void convert_to_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& e) {
    if (encoding_of(e.view(), "destination") == Encoding::kUtf8) return heap.add(s);
    buffer.clear();
    for (size_t i = 0; i < s.size();) {
      size_t len;
      const uint32_t code = utf8_decode(s.data() + i, len);
      if (code > 0xFF) {
        std::string bytes;
        for (size_t k = 0; k < len; k++) {
          static constexpr char kHex[] = "0123456789abcdef";
          const auto b = static_cast<unsigned char>(s.data()[i + k]);
          bytes += (k ? " 0x" : "0x");
          bytes.push_back(kHex[b >> 4]);
          bytes.push_back(kHex[b & 15]);
        }
        throw SqlError(SqlState::kUntranslatableCharacter, "character with byte sequence " + bytes +
                                                               " in encoding \"UTF8\" has no equivalent in encoding \"LATIN1\"");
      }
      buffer.push_back(static_cast<char>(code));
      i += len;
    }
    return heap.add(buffer);
  });
}

void convert_from_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& e) {
    if (encoding_of(e.view(), "source") == Encoding::kUtf8) {
      utf8_check(s.view());
      return heap.add(s);
    }
    buffer.clear();
    for (size_t i = 0; i < s.size(); i++) {
      const auto b = static_cast<unsigned char>(s.data()[i]);
      if (b == 0) {
        throw SqlError(SqlState::kCharacterNotInRepertoire, "invalid byte sequence for encoding \"LATIN1\": 0x00");
      }
      utf8_append(buffer, b);
    }
    return heap.add(buffer);
  });
}

}  // namespace

void register_bytea_functions(catalog::FunctionRegistry& registry) {
  const LogicalType bytea = LogicalType::bytea();
  const LogicalType text = LogicalType::varchar();
  const LogicalType integer = LogicalType::integer();
  registry.add(make_operator("||", {bytea, bytea}, bytea, concat_kernel));
  registry.add(make_function("length", {bytea}, integer, length_kernel));
  registry.add(make_function("octet_length", {bytea}, integer, length_kernel));
  registry.add(make_function("bit_length", {bytea}, integer, bit_length_kernel));
  for (const char* name : {"substring", "substr"}) {
    registry.add(make_function(name, {bytea, integer}, bytea, substring_kernel));
    registry.add(make_function(name, {bytea, integer, integer}, bytea, substring_kernel));
  }
  registry.add(make_function("position", {bytea, bytea}, integer, position_kernel));
  registry.add(make_function("get_byte", {bytea, integer}, integer, get_byte_kernel));
  registry.add(make_function("set_byte", {bytea, integer, integer}, bytea, set_byte_kernel));
  registry.add(make_function("encode", {bytea, text}, text, encode_kernel));
  registry.add(make_function("decode", {text, text}, bytea, decode_kernel));
  registry.add(make_function("convert_to", {text, text}, bytea, convert_to_kernel));
  registry.add(make_function("convert_from", {bytea, text}, text, convert_from_kernel));
}

}  // namespace tessera::executor
