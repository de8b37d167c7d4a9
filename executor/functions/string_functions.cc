// String operators and functions: || (text || text, and text with any other type through its
// text output), LIKE / ILIKE as the operators ~~ !~~ ~~* !~~*, like_escape, lower, upper,
// length (char_length, character_length).

#include <cstring>
#include <string>

#include "executor/expression/cast.h"
#include "executor/expression/like_matcher.h"
#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

void concat_strings(const Vector& a, const Vector& b, const sel_t* sel, size_t count, Vector& result) {
  StringHeap& heap = result.string_heap();
  binary_strict<string_t, string_t, string_t>(a, b, sel, count, result, [&](const string_t& x, const string_t& y) {
    uint32_t len = x.size() + y.size();
    char* buf = heap.allocate(len == 0 ? 1 : len);
    if (x.size()) std::memcpy(buf, x.data(), x.size());
    if (y.size()) std::memcpy(buf + x.size(), y.data(), y.size());
    return string_t(buf, len);
  });
}

/// The selected rows of `v` as text (its text output when it is of another type).
Vector as_text(const Vector& v, const sel_t* sel, size_t count, size_t capacity) {
  if (v.type().physical_type() == PhysicalType::kString) return v;
  Vector text(LogicalType::varchar(), capacity);
  execute_cast(v, sel, count, text);
  return text;
}

void concat_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const size_t capacity = result.capacity();
  concat_strings(as_text(*args[0], sel, count, capacity), as_text(*args[1], sel, count, capacity), sel, count, result);
}

bool like_row(const string_t& s, const string_t& p, bool ci) {
  std::string_view pattern = p.view();
  // A pattern may not end in an unpaired escape character.
  size_t i = 0;
  while (i < pattern.size()) i += pattern[i] == '\\' ? 2 : 1;
  if (i > pattern.size()) throw SqlError(SqlState::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
  return like_match(s.view(), pattern, '\\', ci);
}

template <bool NEGATE, bool CI>
void like_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<string_t, string_t, uint8_t>(*args[0], *args[1], sel, count, result, [](const string_t& s, const string_t& p) {
    return static_cast<uint8_t>(like_row(s, p, CI) != NEGATE);
  });
}

/// like_escape(pattern, escape): the pattern rewritten to use backslash as its escape character
/// (an empty escape turns escaping off), so LIKE ... ESCAPE e is LIKE like_escape(p, e).
void like_escape_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result,
                        const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& p, const string_t& e) {
    if (e.size() > 1) {
      throw SqlError(SqlState::kInvalidEscapeSequence, "invalid escape string")
          .with_hint("Escape string must be empty or one character.");
    }
    std::string_view pattern = p.view();
    buffer.clear();
    if (e.size() == 0) {
      for (char c : pattern) {
        if (c == '\\') buffer += '\\';
        buffer += c;
      }
    } else if (e.data()[0] == '\\') {
      buffer.assign(pattern);
    } else {
      const char escape = e.data()[0];
      for (size_t i = 0; i < pattern.size(); i++) {
        const char c = pattern[i];
        if (c == escape) {
          if (i + 1 == pattern.size()) {
            throw SqlError(SqlState::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
          }
          buffer += '\\';
          buffer += pattern[++i];
        } else if (c == '\\') {
          buffer += "\\\\";
        } else {
          buffer += c;
        }
      }
    }
    return heap.add(buffer);
  });
}

template <bool UPPER>
void case_fold_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  unary_strict<string_t, string_t>(*args[0], sel, count, result, [&](const string_t& s) {
    char* buf = heap.allocate(s.size() == 0 ? 1 : s.size());
    const char* src = s.data();
    for (uint32_t i = 0; i < s.size(); i++) {
      char c = src[i];
      if (UPPER && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (!UPPER && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      buf[i] = c;
    }
    return string_t(buf, s.size());
  });
}

void length_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  unary_strict<string_t, int32_t>(*args[0], sel, count, result, [](const string_t& s) {
    // Characters of UTF-8 text: bytes that do not continue a multi-byte sequence.
    int32_t n = 0;
    const char* d = s.data();
    for (uint32_t i = 0; i < s.size(); i++) n += (static_cast<unsigned char>(d[i]) & 0xC0) != 0x80;
    return n;
  });
}

}  // namespace

void register_string_functions(catalog::FunctionRegistry& registry) {
  const LogicalType text = LogicalType::varchar();
  registry.add(make_operator("||", {text, text}, text, concat_kernel));
  // text || anynonarray and anynonarray || text (PostgreSQL's anytextcat / textanycat).
  for (int side = 0; side < 2; side++) {
    catalog::ScalarFunction f = make_operator("||", {}, text, concat_kernel);
    f.params = side == 0 ? std::vector{catalog::ParamType::of(text), catalog::ParamType::any_non_array()}
                         : std::vector{catalog::ParamType::any_non_array(), catalog::ParamType::of(text)};
    f.volatility = catalog::Volatility::kStable;
    registry.add(std::move(f));
  }
  registry.add(make_operator("~~", {text, text}, LogicalType::boolean(), like_kernel<false, false>));
  registry.add(make_operator("!~~", {text, text}, LogicalType::boolean(), like_kernel<true, false>));
  registry.add(make_operator("~~*", {text, text}, LogicalType::boolean(), like_kernel<false, true>));
  registry.add(make_operator("!~~*", {text, text}, LogicalType::boolean(), like_kernel<true, true>));
  registry.add(make_function("like_escape", {text, text}, text, like_escape_kernel));
  registry.add(make_function("lower", {text}, text, case_fold_kernel<false>));
  registry.add(make_function("upper", {text}, text, case_fold_kernel<true>));
  for (const char* name : {"length", "char_length", "character_length"}) {
    registry.add(make_function(name, {text}, LogicalType::integer(), length_kernel));
  }
}

}  // namespace tessera::executor
