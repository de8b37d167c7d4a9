// String operators and functions with PostgreSQL's semantics over UTF-8 text: every length,
// position and count is in characters (octet_length and bit_length count bytes). Text is valid
// UTF-8 by the engine's invariant (src/common/utf8.h), so the kernels never re-check it; ASCII
// text takes byte-at-a-time fast paths.
//
// ||, length (char_length, character_length), octet_length, bit_length, lower, upper, initcap,
// substring/substr, overlay, position/strpos, trim/btrim/ltrim/rtrim, replace, split_part,
// translate, concat, concat_ws, left, right, lpad, rpad, repeat, reverse, md5, starts_with/^@,
// format, quote_ident, quote_literal, quote_nullable, to_hex, ascii, chr.

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "executor/expression/cast.h"
#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/string_kernels.h"
#include "executor/functions/vector_loops.h"
#include "planner/parser/keywords.h"
#include "src/common/bpchar.h"
#include "src/common/sql_error.h"
#include "src/common/utf8.h"
#include "src/common/value_cast.h"

namespace tessera::executor {

namespace {

using Args = std::span<const Vector* const>;

/// PostgreSQL's MaxAllocSize: no text value may be larger (1 GB - 1).
constexpr size_t kMaxTextBytes = 0x3fffffff;

[[noreturn]] void throw_too_large() { throw SqlError(SqlState::kProgramLimitExceeded, "requested length too large"); }

inline bool is_ascii(const string_t& s) { return utf8_is_ascii(s.data(), s.size()); }

inline size_t char_length(const string_t& s) { return utf8_length(s.data(), s.size()); }

/// The byte offset of character `chars` (0-based) of `s`, or s.size() when it has fewer.
inline size_t char_offset(std::string_view s, size_t chars) { return utf8_prefix_bytes(s.data(), s.size(), chars); }


/// The selected rows of `v` as text: its text output when it is of another type. `pg_output`
/// gives booleans PostgreSQL's output function form ('t'/'f', as concat and format print
/// them) instead of the cast's ('true'/'false').
Vector as_text(const Vector& v, const sel_t* sel, size_t count, size_t capacity, bool pg_output) {
  const bool padded_output = pg_output && v.type().id() == LogicalTypeId::kChar && v.type().modifier() >= 0;
  if (v.type().is_string() && !padded_output) return v;
  Vector text(LogicalType::varchar(), capacity);
  if (padded_output) {
    // character(n) output: the value padded to n characters.
    const int32_t n = v.type().modifier();
    std::string buffer;
    StringHeap& heap = text.string_heap();
    UnifiedVectorFormat f;
    v.to_unified(count, f);
    string_t* out = text.mutable_values<string_t>();
    ValidityMask& validity = text.mutable_validity();
    for_each_row(sel, count, [&](sel_t r) {
      const sel_t i = f.sel.get_index(r);
      if (!f.validity->row_is_valid(i)) {
        validity.set_invalid(r);
        return;
      }
      buffer.clear();
      bpchar_append_padded(f.values<string_t>()[i].view(), n, buffer);
      out[r] = heap.add(buffer);
    });
    return text;
  }
  if (pg_output && v.type().id() == LogicalTypeId::kBoolean) {
    UnifiedVectorFormat f;
    v.to_unified(count, f);
    string_t* out = text.mutable_values<string_t>();
    ValidityMask& validity = text.mutable_validity();
    for_each_row(sel, count, [&](sel_t r) {
      const sel_t i = f.sel.get_index(r);
      if (!f.validity->row_is_valid(i)) {
        validity.set_invalid(r);
        return;
      }
      out[r] = string_t(f.values<uint8_t>()[i] ? "t" : "f", 1);
    });
    return text;
  }
  if (v.type().id() == LogicalTypeId::kSqlNull) {
    ValidityMask& validity = text.mutable_validity();
    for_each_row(sel, count, [&](sel_t r) { validity.set_invalid(r); });
    return text;
  }
  execute_cast(v, sel, count, text);
  return text;
}

// ---- || ------------------------------------------------------------------------------------

void concat_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const size_t capacity = result.capacity();
  Vector a = as_text(*args[0], sel, count, capacity, false);
  Vector b = as_text(*args[1], sel, count, capacity, false);
  StringHeap& heap = result.string_heap();
  binary_strict<string_t, string_t, string_t>(a, b, sel, count, result, [&](const string_t& x, const string_t& y) {
    const size_t len = size_t{x.size()} + y.size();
    if (len > kMaxTextBytes) throw_too_large();
    char* buf = heap.allocate(len == 0 ? 1 : len);
    if (x.size()) std::memcpy(buf, x.data(), x.size());
    if (y.size()) std::memcpy(buf + x.size(), y.data(), y.size());
    return string_t(buf, static_cast<uint32_t>(len));
  });
}

// ---- lengths -------------------------------------------------------------------------------

void length_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result,
                                  [](const string_t& s) { return static_cast<int32_t>(char_length(s)); });
}

void octet_length_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result,
                                  [](const string_t& s) { return static_cast<int32_t>(s.size()); });
}

/// octet_length(bpchar): the bytes of the value padded to its declared length.
void bpchar_octet_length_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const int32_t n = args[0]->type().modifier();
  unary_strict<string_t, int32_t>(*args[0], sel, count, result,
                                  [n](const string_t& s) { return static_cast<int32_t>(bpchar_padded_size(s.view(), n)); });
}

void bit_length_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result,
                                  [](const string_t& s) { return static_cast<int32_t>(s.size() * 8); });
}

// ---- case ----------------------------------------------------------------------------------

template <bool UPPER>
void case_fold_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  unary_strict<string_t, string_t>(*args[0], sel, count, result, [&](const string_t& s) {
    if (UPPER) {
      utf8_to_upper(s.view(), buffer);
    } else {
      utf8_to_lower(s.view(), buffer);
    }
    return heap.add(buffer);
  });
}

/// initcap: the first letter of every run of alphanumerics upper-cased, the rest lower-cased.
void initcap_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  unary_strict<string_t, string_t>(*args[0], sel, count, result, [&](const string_t& s) {
    buffer.clear();
    bool in_word = false;
    std::string_view v = s.view();
    for (size_t i = 0; i < v.size();) {
      size_t len;
      const uint32_t c = utf8_decode(v.data() + i, len);
      utf8_append(buffer, in_word ? unicode_to_lower(c) : unicode_to_upper(c));
      in_word = unicode_is_alnum(c);
      i += len;
    }
    return heap.add(buffer);
  });
}

// ---- substring, overlay, left, right -------------------------------------------------------

/// Characters [start, start + length) of `s` (1-based, PostgreSQL's text_substring: a start
/// before 1 shortens the length; `length` < 0 means to the end).
std::string_view substring_chars(std::string_view s, int64_t start, int64_t length, bool has_length) {
  int64_t end = 0;
  if (has_length) {
    if (length < 0) throw SqlError(SqlState::kSubstringError, "negative substring length not allowed");
    end = start + length;  // int64: no overflow from two int32 values
    if (end <= 1) return {};
  }
  const int64_t first = std::max<int64_t>(start, 1);
  const size_t from = char_offset(s, static_cast<size_t>(first - 1));
  if (from >= s.size()) return {};
  std::string_view rest = s.substr(from);
  if (!has_length) return rest;
  return rest.substr(0, char_offset(rest, static_cast<size_t>(end - first)));
}

void substring_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  result.keep_heaps_of(*args[0]);
  if (args.size() == 2) {
    nary_strict<string_t, string_t, int32_t>(args, sel, count, result, [](sel_t, const string_t& s, int32_t start) {
      std::string_view v = substring_chars(s.view(), start, 0, false);
      return string_t(v.data(), static_cast<uint32_t>(v.size()));
    });
    return;
  }
  nary_strict<string_t, string_t, int32_t, int32_t>(args, sel, count, result,
                                                    [](sel_t, const string_t& s, int32_t start, int32_t length) {
                                                      std::string_view v = substring_chars(s.view(), start, length, true);
                                                      return string_t(v.data(), static_cast<uint32_t>(v.size()));
                                                    });
}

/// overlay(s placing r from start [for n]): s's first start-1 characters, r, then s from
/// character start + n (n defaults to r's length).
void overlay_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  auto overlay = [&](std::string_view s, std::string_view r, int64_t start, int64_t length) {
    if (start <= 0) throw SqlError(SqlState::kSubstringError, "negative substring length not allowed");
    if (length < 0) throw SqlError(SqlState::kSubstringError, "negative substring length not allowed");
    buffer.assign(substring_chars(s, 1, start - 1, true));
    buffer.append(r);
    buffer.append(substring_chars(s, start + length, 0, false));
    return heap.add(buffer);
  };
  if (args.size() == 3) {
    nary_strict<string_t, string_t, string_t, int32_t>(
        args, sel, count, result, [&](sel_t, const string_t& s, const string_t& r, int32_t start) {
          return overlay(s.view(), r.view(), start, static_cast<int64_t>(char_length(r)));
        });
    return;
  }
  nary_strict<string_t, string_t, string_t, int32_t, int32_t>(
      args, sel, count, result, [&](sel_t, const string_t& s, const string_t& r, int32_t start, int32_t length) {
        return overlay(s.view(), r.view(), start, length);
      });
}

template <bool LEFT>
void left_right_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  result.keep_heaps_of(*args[0]);
  nary_strict<string_t, string_t, int32_t>(args, sel, count, result, [](sel_t, const string_t& s, int32_t n) {
    std::string_view v = s.view();
    const size_t chars = is_ascii(s) ? v.size() : char_length(s);
    // A negative n counts from the other end: all but |n| characters.
    const int64_t keep = n >= 0 ? std::min<int64_t>(n, static_cast<int64_t>(chars))
                                : std::max<int64_t>(0, static_cast<int64_t>(chars) + n);
    std::string_view out = LEFT ? v.substr(0, char_offset(v, static_cast<size_t>(keep)))
                                : v.substr(char_offset(v, chars - static_cast<size_t>(keep)));
    return string_t(out.data(), static_cast<uint32_t>(out.size()));
  });
}

// ---- searching -----------------------------------------------------------------------------

/// strpos(s, sub): the 1-based character position of the first occurrence, 0 when none.
int32_t find_position(std::string_view s, std::string_view sub) {
  const size_t at = s.find(sub);
  if (at == std::string_view::npos) return 0;
  return static_cast<int32_t>(utf8_length(s.data(), at) + 1);
}

void strpos_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<string_t, string_t, int32_t>(*args[0], *args[1], sel, count, result,
                                             [](const string_t& s, const string_t& sub) { return find_position(s.view(), sub.view()); });
}

void starts_with_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<string_t, string_t, uint8_t>(*args[0], *args[1], sel, count, result, [](const string_t& s, const string_t& p) {
    return static_cast<uint8_t>(s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0);
  });
}

// ---- trimming ------------------------------------------------------------------------------

/// Whether the character at `c` (of length `len`) is one of `set`'s characters.
inline bool in_char_set(std::string_view set, const char* c, size_t len) {
  for (size_t i = 0; i < set.size();) {
    const size_t l = utf8_sequence_length(static_cast<unsigned char>(set[i]));
    if (l == len && std::memcmp(set.data() + i, c, len) == 0) return true;
    i += l;
  }
  return false;
}

/// Start of the last character of `s` before byte `end`.
inline size_t previous_char(std::string_view s, size_t end) {
  size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

template <bool LEADING, bool TRAILING>
std::string_view trim_chars(std::string_view s, std::string_view set) {
  size_t begin = 0, end = s.size();
  if (LEADING) {
    while (begin < end) {
      const size_t len = utf8_sequence_length(static_cast<unsigned char>(s[begin]));
      if (!in_char_set(set, s.data() + begin, len)) break;
      begin += len;
    }
  }
  if (TRAILING) {
    while (end > begin) {
      const size_t start = previous_char(s, end);
      if (!in_char_set(set, s.data() + start, end - start)) break;
      end = start;
    }
  }
  return s.substr(begin, end - begin);
}

template <bool LEADING, bool TRAILING>
void trim_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  result.keep_heaps_of(*args[0]);
  if (args.size() == 1) {
    unary_strict<string_t, string_t>(*args[0], sel, count, result, [](const string_t& s) {
      std::string_view v = trim_chars<LEADING, TRAILING>(s.view(), " ");
      return string_t(v.data(), static_cast<uint32_t>(v.size()));
    });
    return;
  }
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [](const string_t& s, const string_t& set) {
    std::string_view v = trim_chars<LEADING, TRAILING>(s.view(), set.view());
    return string_t(v.data(), static_cast<uint32_t>(v.size()));
  });
}

// ---- replacing and splitting ---------------------------------------------------------------

void replace_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  result.keep_heaps_of(*args[0]);
  std::string buffer;
  nary_strict<string_t, string_t, string_t, string_t>(
      args, sel, count, result, [&](sel_t, const string_t& s, const string_t& from, const string_t& to) {
        std::string_view v = s.view(), f = from.view();
        if (f.empty()) return s;
        size_t at = v.find(f);
        if (at == std::string_view::npos) return s;
        buffer.clear();
        size_t done = 0;
        while (at != std::string_view::npos) {
          buffer.append(v.substr(done, at - done));
          buffer.append(to.view());
          done = at + f.size();
          at = v.find(f, done);
        }
        buffer.append(v.substr(done));
        if (buffer.size() > kMaxTextBytes) throw_too_large();
        return heap.add(buffer);
      });
}

/// split_part(s, delimiter, n): field n (1-based; negative counts from the end, as in
/// PostgreSQL 14+), '' when there is no such field; an empty delimiter makes s the only field.
void split_part_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  result.keep_heaps_of(*args[0]);
  nary_strict<string_t, string_t, string_t, int32_t>(
      args, sel, count, result, [](sel_t, const string_t& s, const string_t& delimiter, int32_t n) {
        if (n == 0) throw SqlError(SqlState::kInvalidParameterValue, "field position must not be zero");
        std::string_view v = s.view(), d = delimiter.view();
        if (v.empty()) return string_t();
        if (d.empty()) return n == 1 || n == -1 ? s : string_t();
        std::vector<std::string_view> fields;
        size_t start = 0;
        while (true) {
          const size_t at = v.find(d, start);
          if (at == std::string_view::npos) {
            fields.push_back(v.substr(start));
            break;
          }
          fields.push_back(v.substr(start, at - start));
          start = at + d.size();
        }
        const int64_t index = n > 0 ? n - 1 : static_cast<int64_t>(fields.size()) + n;
        if (index < 0 || index >= static_cast<int64_t>(fields.size())) return string_t();
        std::string_view f = fields[static_cast<size_t>(index)];
        return string_t(f.data(), static_cast<uint32_t>(f.size()));
      });
}

/// translate(s, from, to): each character of s found in `from` becomes the character at the
/// same position in `to`, or is dropped when `to` is shorter.
void translate_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  nary_strict<string_t, string_t, string_t, string_t>(
      args, sel, count, result, [&](sel_t, const string_t& s, const string_t& from, const string_t& to) {
        std::string_view v = s.view(), f = from.view(), t = to.view();
        buffer.clear();
        for (size_t i = 0; i < v.size();) {
          const size_t len = utf8_sequence_length(static_cast<unsigned char>(v[i]));
          // The position of this character in `from` (first occurrence).
          size_t fi = 0, index = 0;
          bool found = false;
          while (fi < f.size()) {
            const size_t fl = utf8_sequence_length(static_cast<unsigned char>(f[fi]));
            if (fl == len && std::memcmp(f.data() + fi, v.data() + i, len) == 0) {
              found = true;
              break;
            }
            fi += fl;
            index++;
          }
          if (!found) {
            buffer.append(v.substr(i, len));
          } else {
            const size_t ti = char_offset(t, index);
            if (ti < t.size()) buffer.append(t.substr(ti, utf8_sequence_length(static_cast<unsigned char>(t[ti]))));
          }
          i += len;
        }
        return heap.add(buffer);
      });
}

// ---- padding, repeat, reverse --------------------------------------------------------------

template <bool LEFT>
void pad_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  auto pad = [&](const string_t& s, int32_t length, std::string_view fill) -> string_t {
    const size_t target = length < 0 ? 0 : static_cast<size_t>(length);
    // PostgreSQL allots 4 bytes per character and refuses what does not fit in an int.
    if (target > static_cast<size_t>(INT32_MAX) / 4) throw_too_large();
    std::string_view v = s.view();
    const size_t chars = char_length(s);
    if (chars >= target || fill.empty()) {
      std::string_view cut = v.substr(0, char_offset(v, target));
      return heap.add(cut);
    }
    const size_t missing = target - chars;
    buffer.clear();
    if (!LEFT) buffer.append(v);
    // The fill repeats, cut after `missing` characters.
    size_t added = 0, fi = 0;
    while (added < missing) {
      if (fi == fill.size()) fi = 0;
      const size_t len = utf8_sequence_length(static_cast<unsigned char>(fill[fi]));
      buffer.append(fill.substr(fi, len));
      fi += len;
      added++;
    }
    if (LEFT) buffer.append(v);
    if (buffer.size() > kMaxTextBytes) throw_too_large();
    return heap.add(buffer);
  };
  if (args.size() == 2) {
    nary_strict<string_t, string_t, int32_t>(args, sel, count, result,
                                             [&](sel_t, const string_t& s, int32_t length) { return pad(s, length, " "); });
    return;
  }
  nary_strict<string_t, string_t, int32_t, string_t>(
      args, sel, count, result,
      [&](sel_t, const string_t& s, int32_t length, const string_t& fill) { return pad(s, length, fill.view()); });
}

void repeat_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  nary_strict<string_t, string_t, int32_t>(args, sel, count, result, [&](sel_t, const string_t& s, int32_t n) {
    if (n <= 0 || s.size() == 0) return string_t();
    const uint64_t total = uint64_t{s.size()} * static_cast<uint64_t>(n);
    if (total > static_cast<uint64_t>(INT32_MAX)) throw_too_large();
    if (total > kMaxTextBytes) throw_too_large();
    char* buf = heap.allocate(total);
    for (int32_t i = 0; i < n; i++) std::memcpy(buf + size_t{s.size()} * static_cast<size_t>(i), s.data(), s.size());
    return string_t(buf, static_cast<uint32_t>(total));
  });
}

void reverse_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  unary_strict<string_t, string_t>(*args[0], sel, count, result, [&](const string_t& s) {
    const size_t n = s.size();
    char* buf = heap.allocate(n == 0 ? 1 : n);
    const char* src = s.data();
    // Characters in reverse order, each keeping its bytes in order.
    size_t i = 0;
    while (i < n) {
      const size_t len = utf8_sequence_length(static_cast<unsigned char>(src[i]));
      std::memcpy(buf + n - i - len, src + i, len);
      i += len;
    }
    return string_t(buf, static_cast<uint32_t>(n));
  });
}

// ---- single characters ---------------------------------------------------------------------

void ascii_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result, [](const string_t& s) {
    if (s.size() == 0) return int32_t{0};
    size_t len;
    return static_cast<int32_t>(utf8_decode(s.data(), len));
  });
}

void chr_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<int32_t, string_t>(*args[0], sel, count, result, [](int32_t code) {
    if (code < 0) throw SqlError(SqlState::kInvalidParameterValue, "character number must be positive");
    if (code == 0) throw SqlError(SqlState::kProgramLimitExceeded, "null character not permitted");
    if (code > 0x10FFFF) {
      throw SqlError(SqlState::kProgramLimitExceeded, "requested character too large for encoding: " + std::to_string(code));
    }
    if (code >= 0xD800 && code <= 0xDFFF) {
      throw SqlError(SqlState::kProgramLimitExceeded, "requested character not valid for encoding: " + std::to_string(code));
    }
    char buf[4];
    return string_t(buf, static_cast<uint32_t>(utf8_encode(static_cast<uint32_t>(code), buf)));
  });
}

// ---- md5, to_hex ---------------------------------------------------------------------------

void md5_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  unary_strict<string_t, string_t>(*args[0], sel, count, result, [&](const string_t& s) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(s.data(), s.size(), digest, &length, EVP_md5(), nullptr) != 1) {
      throw SqlError(SqlState::kInternalError, "could not compute MD5 hash");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    char hex[32];
    for (unsigned int i = 0; i < length && i < 16; i++) {
      hex[2 * i] = kHex[digest[i] >> 4];
      hex[2 * i + 1] = kHex[digest[i] & 15];
    }
    return heap.add(std::string_view(hex, 32));
  });
}

template <class T>
void to_hex_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  unary_strict<T, string_t>(*args[0], sel, count, result, [&](T v) {
    // Two's complement digits of the value's own width, as PostgreSQL prints negatives.
    using U = std::make_unsigned_t<T>;
    U u = static_cast<U>(v);
    char buf[16];
    size_t n = 0;
    static constexpr char kHex[] = "0123456789abcdef";
    do {
      buf[15 - n++] = kHex[u & 15];
      u >>= 4;
    } while (u != 0);
    return heap.add(std::string_view(buf + 16 - n, n));
  });
}

// ---- concat, concat_ws ---------------------------------------------------------------------

/// The text forms of arguments args[first..] of a variadic "any" function.
std::vector<Vector> texts_of(Args args, size_t first, const sel_t* sel, size_t count, size_t capacity) {
  std::vector<Vector> texts;
  texts.reserve(args.size() - first);
  for (size_t i = first; i < args.size(); i++) texts.push_back(as_text(*args[i], sel, count, capacity, true));
  return texts;
}

/// concat(VARIADIC "any") and concat_ws(separator, VARIADIC "any"): NULL arguments are skipped;
/// concat_ws is NULL when its separator is.
template <bool WITH_SEPARATOR>
void concat_variadic_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const size_t first = WITH_SEPARATOR ? 1 : 0;
  std::vector<Vector> texts = texts_of(args, first, sel, count, result.capacity());
  std::vector<UnifiedVectorFormat> formats(texts.size());
  for (size_t i = 0; i < texts.size(); i++) texts[i].to_unified(count, formats[i]);
  UnifiedVectorFormat separator;
  if (WITH_SEPARATOR) args[0]->to_unified(count, separator);
  StringHeap& heap = result.string_heap();
  string_t* out = result.mutable_values<string_t>();
  ValidityMask& validity = result.mutable_validity();
  std::string buffer;
  for_each_row(sel, count, [&](sel_t r) {
    std::string_view sep;
    if (WITH_SEPARATOR) {
      const sel_t si = separator.sel.get_index(r);
      if (!separator.validity->row_is_valid(si)) {
        validity.set_invalid(r);
        return;
      }
      sep = separator.values<string_t>()[si].view();
    }
    buffer.clear();
    bool any = false;
    for (const auto& f : formats) {
      const sel_t i = f.sel.get_index(r);
      if (!f.validity->row_is_valid(i)) continue;
      if (WITH_SEPARATOR && any) buffer.append(sep);
      buffer.append(f.values<string_t>()[i].view());
      any = true;
    }
    if (buffer.size() > kMaxTextBytes) throw_too_large();
    out[r] = heap.add(buffer);
  });
}

// ---- quoting -------------------------------------------------------------------------------

/// PostgreSQL's quote_identifier: quoted unless it is a lower-case identifier that is not a
/// keyword (unreserved keywords need no quotes).
void quote_identifier(std::string_view ident, std::string& out) {
  bool safe = !ident.empty() && ((ident[0] >= 'a' && ident[0] <= 'z') || ident[0] == '_');
  for (char c : ident) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) safe = false;
  }
  if (safe && planner::keyword_category(ident) != planner::KeywordCategory::kUnreserved) safe = false;
  if (safe) {
    out.append(ident);
    return;
  }
  out += '"';
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// PostgreSQL's quote_literal: single quotes doubled; with a backslash, E'' syntax and
/// backslashes doubled.
void quote_literal(std::string_view s, std::string& out) {
  if (s.find('\\') != std::string_view::npos) out += 'E';
  out += '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  out += '\'';
}

void quote_ident_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  unary_strict<string_t, string_t>(*args[0], sel, count, result, [&](const string_t& s) {
    buffer.clear();
    quote_identifier(s.view(), buffer);
    return heap.add(buffer);
  });
}

void quote_literal_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  Vector text = as_text(*args[0], sel, count, result.capacity(), false);
  StringHeap& heap = result.string_heap();
  std::string buffer;
  unary_strict<string_t, string_t>(text, sel, count, result, [&](const string_t& s) {
    buffer.clear();
    quote_literal(s.view(), buffer);
    return heap.add(buffer);
  });
}

/// quote_nullable: quote_literal, or the word NULL for a NULL (not strict).
void quote_nullable_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  Vector text = as_text(*args[0], sel, count, result.capacity(), false);
  UnifiedVectorFormat f;
  text.to_unified(count, f);
  StringHeap& heap = result.string_heap();
  string_t* out = result.mutable_values<string_t>();
  std::string buffer;
  for_each_row(sel, count, [&](sel_t r) {
    const sel_t i = f.sel.get_index(r);
    if (!f.validity->row_is_valid(i)) {
      out[r] = string_t("NULL", 4);
      return;
    }
    buffer.clear();
    quote_literal(f.values<string_t>()[i].view(), buffer);
    out[r] = heap.add(buffer);
  });
}

// ---- format --------------------------------------------------------------------------------

[[noreturn]] void format_error(const std::string& message, bool with_hint) {
  SqlError error(SqlState::kInvalidParameterValue, message);
  if (with_hint) error.with_hint("For a single \"%\" use \"%%\".");
  throw error;
}

/// Parses digits at fmt[i..]; returns false when there are none. Raises 22003 on overflow.
bool parse_format_number(std::string_view fmt, size_t& i, int64_t& out) {
  if (i >= fmt.size() || fmt[i] < '0' || fmt[i] > '9') return false;
  int64_t v = 0;
  while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
    v = v * 10 + (fmt[i] - '0');
    if (v > INT32_MAX) throw SqlError(SqlState::kNumericValueOutOfRange, "number is out of range");
    i++;
  }
  out = v;
  return true;
}

/// One row of format(fmt, args...): %s (text, NULL as ''), %I (identifier, NULL an error), %L
/// (literal, NULL as NULL), %%, with an optional position `n$`, flag `-` and width (digits,
/// `*` or `*n$`), as PostgreSQL's text_format.
void format_row(std::string_view fmt, const std::vector<Vector>& texts,
                const std::vector<UnifiedVectorFormat>& formats, sel_t r, std::string& out) {
  const size_t nargs = texts.size();
  size_t next_arg = 0;  // 0-based
  auto advance = [&](size_t& i) {
    if (++i >= fmt.size()) format_error("unterminated format() type specifier", true);
  };
  auto arg_value = [&](size_t index) -> const string_t* {
    const UnifiedVectorFormat& f = formats[index];
    const sel_t i = f.sel.get_index(r);
    return f.validity->row_is_valid(i) ? &f.values<string_t>()[i] : nullptr;
  };
  for (size_t i = 0; i < fmt.size(); i++) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    advance(i);
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    // [n$][flags][width]type
    int64_t position = -1, width = 0;
    bool left_align = false;
    std::optional<int64_t> width_position;
    bool width_from_arg = false;
    size_t save = i;
    int64_t number;
    if (parse_format_number(fmt, i, number)) {
      if (i >= fmt.size()) format_error("unterminated format() type specifier", true);
      if (fmt[i] == '$') {
        if (number == 0) format_error("format specifies argument 0, but arguments are numbered from 1", false);
        position = number - 1;
        advance(i);
      } else {
        i = save;  // the digits were a width
      }
    }
    while (fmt[i] == '-') {
      left_align = true;
      advance(i);
    }
    if (fmt[i] == '*') {
      advance(i);
      width_from_arg = true;
      save = i;
      if (parse_format_number(fmt, i, number)) {
        if (i >= fmt.size()) format_error("unterminated format() type specifier", true);
        if (fmt[i] != '$') format_error("width argument position must be ended by \"$\"", false);
        if (number == 0) format_error("format specifies argument 0, but arguments are numbered from 1", false);
        width_position = number - 1;
        advance(i);
      } else {
        i = save;
      }
    } else if (parse_format_number(fmt, i, number)) {
      width = number;
      if (i >= fmt.size()) format_error("unterminated format() type specifier", true);
    }
    const char type = fmt[i];
    if (type != 's' && type != 'I' && type != 'L') {
      format_error(std::string("unrecognized format() type specifier \"") + type + "\"", true);
    }
    if (width_from_arg) {
      const size_t index = width_position ? static_cast<size_t>(*width_position) : next_arg++;
      if (width_position) next_arg = index + 1;
      if (index >= nargs) format_error("too few arguments for format()", false);
      const string_t* w = arg_value(index);
      width = 0;
      if (w) {
        int64_t parsed;
        bool out_of_range;
        if (!parse_int64(w->view(), parsed, out_of_range) || parsed < INT32_MIN || parsed > INT32_MAX) {
          throw_invalid_input(LogicalType::integer(), w->view(), out_of_range);
        }
        width = parsed;
        if (width < 0) {
          left_align = true;
          width = -width;
        }
      }
    }
    const size_t index = position >= 0 ? static_cast<size_t>(position) : next_arg;
    next_arg = index + 1;
    if (index >= nargs) format_error("too few arguments for format()", false);
    const string_t* v = arg_value(index);
    std::string piece;
    if (type == 's') {
      if (v) piece.assign(v->view());
    } else if (type == 'I') {
      if (!v) throw SqlError(SqlState::kNullValueNotAllowed, "null values cannot be formatted as an SQL identifier");
      quote_identifier(v->view(), piece);
    } else {
      if (v) {
        quote_literal(v->view(), piece);
      } else {
        piece = "NULL";
      }
    }
    const size_t chars = utf8_length(piece.data(), piece.size());
    const size_t pad = width > 0 && static_cast<size_t>(width) > chars ? static_cast<size_t>(width) - chars : 0;
    if (!left_align) out.append(pad, ' ');
    out += piece;
    if (left_align) out.append(pad, ' ');
    if (out.size() > kMaxTextBytes) throw_too_large();
  }
}

/// format(fmt [, VARIADIC "any"]): not strict; NULL when the format is NULL.
void format_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  std::vector<Vector> texts = texts_of(args, 1, sel, count, result.capacity());
  std::vector<UnifiedVectorFormat> formats(texts.size());
  for (size_t i = 0; i < texts.size(); i++) texts[i].to_unified(count, formats[i]);
  UnifiedVectorFormat fmt;
  args[0]->to_unified(count, fmt);
  StringHeap& heap = result.string_heap();
  string_t* out = result.mutable_values<string_t>();
  ValidityMask& validity = result.mutable_validity();
  std::string buffer;
  for_each_row(sel, count, [&](sel_t r) {
    const sel_t fi = fmt.sel.get_index(r);
    if (!fmt.validity->row_is_valid(fi)) {
      validity.set_invalid(r);
      return;
    }
    buffer.clear();
    format_row(fmt.values<string_t>()[fi].view(), texts, formats, r, buffer);
    out[r] = heap.add(buffer);
  });
}

catalog::ScalarFunction variadic_any(const char* name, size_t fixed_text_params, catalog::ScalarKernel kernel) {
  catalog::ScalarFunction f;
  f.name = name;
  f.kind = catalog::FunctionKind::kFunction;
  for (size_t i = 0; i < fixed_text_params; i++) f.params.push_back(catalog::ParamType::of(LogicalType::varchar()));
  f.params.push_back(catalog::ParamType::any());
  f.variadic = true;
  f.result = catalog::ParamType::of(LogicalType::varchar());
  f.strict = false;
  f.volatility = catalog::Volatility::kStable;
  f.execute = kernel;
  return f;
}

}  // namespace

void register_string_functions(catalog::FunctionRegistry& registry) {
  const LogicalType text = LogicalType::varchar();
  const LogicalType integer = LogicalType::integer();
  const LogicalType boolean = LogicalType::boolean();
  registry.add(make_operator("||", {text, text}, text, concat_kernel));
  // text || anynonarray and anynonarray || text (PostgreSQL's anytextcat / textanycat).
  for (int side = 0; side < 2; side++) {
    catalog::ScalarFunction f = make_operator("||", {}, text, concat_kernel);
    f.params = side == 0 ? std::vector{catalog::ParamType::of(text), catalog::ParamType::any_non_array()}
                         : std::vector{catalog::ParamType::any_non_array(), catalog::ParamType::of(text)};
    f.volatility = catalog::Volatility::kStable;
    registry.add(std::move(f));
  }
  for (const char* name : {"length", "char_length", "character_length"}) {
    registry.add(make_function(name, {text}, integer, length_kernel));
  }
  registry.add(make_function("octet_length", {text}, integer, octet_length_kernel));
  registry.add(make_function("octet_length", {LogicalType::bpchar()}, integer, bpchar_octet_length_kernel));
  registry.add(make_function("bit_length", {text}, integer, bit_length_kernel));
  registry.add(make_function("lower", {text}, text, case_fold_kernel<false>));
  registry.add(make_function("upper", {text}, text, case_fold_kernel<true>));
  registry.add(make_function("initcap", {text}, text, initcap_kernel));
  for (const char* name : {"substring", "substr"}) {
    registry.add(make_function(name, {text, integer}, text, substring_kernel));
    registry.add(make_function(name, {text, integer, integer}, text, substring_kernel));
  }
  registry.add(make_function("overlay", {text, text, integer}, text, overlay_kernel));
  registry.add(make_function("overlay", {text, text, integer, integer}, text, overlay_kernel));
  registry.add(make_function("left", {text, integer}, text, left_right_kernel<true>));
  registry.add(make_function("right", {text, integer}, text, left_right_kernel<false>));
  registry.add(make_function("position", {text, text}, integer, strpos_kernel));
  registry.add(make_function("strpos", {text, text}, integer, strpos_kernel));
  registry.add(make_function("starts_with", {text, text}, boolean, starts_with_kernel));
  registry.add(make_operator("^@", {text, text}, boolean, starts_with_kernel));
  registry.add(make_function("btrim", {text}, text, trim_kernel<true, true>));
  registry.add(make_function("btrim", {text, text}, text, trim_kernel<true, true>));
  registry.add(make_function("ltrim", {text}, text, trim_kernel<true, false>));
  registry.add(make_function("ltrim", {text, text}, text, trim_kernel<true, false>));
  registry.add(make_function("rtrim", {text}, text, trim_kernel<false, true>));
  registry.add(make_function("rtrim", {text, text}, text, trim_kernel<false, true>));
  registry.add(make_function("replace", {text, text, text}, text, replace_kernel));
  registry.add(make_function("split_part", {text, text, integer}, text, split_part_kernel));
  registry.add(make_function("translate", {text, text, text}, text, translate_kernel));
  registry.add(make_function("lpad", {text, integer}, text, pad_kernel<true>));
  registry.add(make_function("lpad", {text, integer, text}, text, pad_kernel<true>));
  registry.add(make_function("rpad", {text, integer}, text, pad_kernel<false>));
  registry.add(make_function("rpad", {text, integer, text}, text, pad_kernel<false>));
  registry.add(make_function("repeat", {text, integer}, text, repeat_kernel));
  registry.add(make_function("reverse", {text}, text, reverse_kernel));
  registry.add(make_function("ascii", {text}, integer, ascii_kernel));
  registry.add(make_function("chr", {integer}, text, chr_kernel));
  registry.add(make_function("md5", {text}, text, md5_kernel));
  registry.add(make_function("md5", {LogicalType::bytea()}, text, md5_kernel));
  registry.add(make_function("to_hex", {integer}, text, to_hex_kernel<int32_t>));
  registry.add(make_function("to_hex", {LogicalType::bigint()}, text, to_hex_kernel<int64_t>));
  registry.add(make_function("quote_ident", {text}, text, quote_ident_kernel));
  registry.add(make_function("quote_literal", {text}, text, quote_literal_kernel));
  {
    // quote_literal(anyelement): any other type through its text form.
    catalog::ScalarFunction f = make_function("quote_literal", {}, text, quote_literal_kernel);
    f.params = {catalog::ParamType::any_non_array()};
    f.volatility = catalog::Volatility::kStable;
    registry.add(std::move(f));
  }
  {
    catalog::ScalarFunction f = make_function("quote_nullable", {text}, text, quote_nullable_kernel);
    f.strict = false;
    registry.add(std::move(f));
    catalog::ScalarFunction g = make_function("quote_nullable", {}, text, quote_nullable_kernel);
    g.params = {catalog::ParamType::any_non_array()};
    g.strict = false;
    g.volatility = catalog::Volatility::kStable;
    registry.add(std::move(g));
  }
  registry.add(variadic_any("concat", 0, concat_variadic_kernel<false>));
  registry.add(variadic_any("concat_ws", 1, concat_variadic_kernel<true>));
  {
    catalog::ScalarFunction f = make_function("format", {text}, text, format_kernel);
    f.strict = false;
    f.volatility = catalog::Volatility::kStable;
    registry.add(std::move(f));
    registry.add(variadic_any("format", 1, format_kernel));
  }
}

}  // namespace tessera::executor
