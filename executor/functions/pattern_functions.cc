// Pattern matching: LIKE / ILIKE (the operators ~~ !~~ ~~* !~~*, like_escape), SIMILAR TO
// (similar_to_escape, translated to a regular expression as PostgreSQL does), the POSIX regular
// expression operators ~ ~* !~ !~*, substring(text from pattern), regexp_replace, regexp_like,
// regexp_count, regexp_instr, regexp_substr, regexp_match, regexp_split_to_array, and the
// set-returning regexp_matches and regexp_split_to_table.
//
// Regular expressions run on RE2 (linear time, no backtracking). PostgreSQL's ARE syntax is
// translated where the two differ (\y \Y \Z \b, \uXXXX, PostgreSQL's default of '.' matching a
// newline); what RE2 cannot do — back-references inside a pattern, lookahead/lookbehind, \m \M,
// the expanded (x) and basic (b) syntaxes — raises 0A000 with a message naming it.

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/function_registry.h"
#include "executor/expression/like_matcher.h"
#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/string_kernels.h"
#include "executor/functions/vector_loops.h"
#include "src/common/array_value.h"
#include "src/common/bpchar.h"
#include "src/common/sql_error.h"
#include "src/common/utf8.h"

namespace tessera::executor {

namespace {

using Args = std::span<const Vector* const>;

// ---- LIKE ----------------------------------------------------------------------------------

void check_like_pattern(std::string_view pattern) {
  // A pattern may not end in an unpaired escape character.
  size_t i = 0;
  while (i < pattern.size()) i += pattern[i] == '\\' ? 2 : 1;
  if (i > pattern.size()) throw SqlError(SqlState::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
}

template <bool NEGATE>
void like_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  binary_strict<string_t, string_t, uint8_t>(*args[0], *args[1], sel, count, result, [](const string_t& s, const string_t& p) {
    check_like_pattern(p.view());
    return static_cast<uint8_t>(like_match(s.view(), p.view(), '\\', false) != NEGATE);
  });
}

/// ILIKE: LIKE over both sides lower-cased (PostgreSQL's rule for multi-byte encodings), with
/// the Unicode case mapping of lower().
template <bool NEGATE>
void ilike_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  std::string text, pattern, pattern_source;
  bool have_pattern = false;
  binary_strict<string_t, string_t, uint8_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& p) {
    // The pattern is nearly always the same on every row: lower-case it once.
    if (!have_pattern || p.view() != pattern_source) {
      check_like_pattern(p.view());
      pattern_source.assign(p.view());
      utf8_to_lower(p.view(), pattern);
      have_pattern = true;
    }
    utf8_to_lower(s.view(), text);
    return static_cast<uint8_t>(like_match(text, pattern, '\\', false) != NEGATE);
  });
}

/// bpchar LIKE / ILIKE text: the pattern matches the value padded to its declared length, as
/// PostgreSQL's bpcharlike (`'a'::char(3) LIKE 'a'` is false).
template <bool NEGATE, bool CASE_INSENSITIVE>
void bpchar_like_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const int32_t n = args[0]->type().modifier();
  std::string padded, text, pattern;
  binary_strict<string_t, string_t, uint8_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& p) {
    check_like_pattern(p.view());
    padded.clear();
    bpchar_append_padded(s.view(), n, padded);
    if (!CASE_INSENSITIVE) return static_cast<uint8_t>(like_match(padded, p.view(), '\\', false) != NEGATE);
    utf8_to_lower(padded, text);
    utf8_to_lower(p.view(), pattern);
    return static_cast<uint8_t>(like_match(text, pattern, '\\', false) != NEGATE);
  });
}

[[noreturn]] void throw_invalid_escape_string() {
  throw SqlError(SqlState::kInvalidEscapeSequence, "invalid escape string")
      .with_hint("Escape string must be empty or one character.");
}

/// like_escape(pattern, escape): the pattern rewritten to use backslash as its escape character
/// (an empty escape turns escaping off), so LIKE ... ESCAPE e is LIKE like_escape(p, e).
void like_escape_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  std::string buffer;
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& p, const string_t& e) {
    std::string_view pattern = p.view(), escape = e.view();
    if (!escape.empty() && utf8_sequence_length(static_cast<unsigned char>(escape[0])) != escape.size()) {
      throw_invalid_escape_string();
    }
    buffer.clear();
    if (escape.empty()) {
      for (char c : pattern) {
        if (c == '\\') buffer += '\\';
        buffer += c;
      }
    } else if (escape == "\\") {
      buffer.assign(pattern);
    } else {
      for (size_t i = 0; i < pattern.size();) {
        const size_t len = utf8_sequence_length(static_cast<unsigned char>(pattern[i]));
        if (pattern.compare(i, len, escape) == 0) {
          i += len;
          if (i == pattern.size()) {
            throw SqlError(SqlState::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
          }
          const size_t next = utf8_sequence_length(static_cast<unsigned char>(pattern[i]));
          buffer += '\\';
          buffer.append(pattern.substr(i, next));
          i += next;
        } else if (pattern[i] == '\\') {
          buffer += "\\\\";
          i++;
        } else {
          buffer.append(pattern.substr(i, len));
          i += len;
        }
      }
    }
    return heap.add(buffer);
  });
}

// ---- PostgreSQL regular expressions on RE2 -------------------------------------------------

[[noreturn]] void not_supported(const std::string& what) {
  throw SqlError(SqlState::kFeatureNotSupported, what + " in regular expressions are not supported");
}

/// Translates a PostgreSQL ARE to RE2 syntax (see the file comment).
std::string translate_are(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 8);
  if (p.substr(0, 4) == "***:") p.remove_prefix(4);
  bool in_bracket = false;
  for (size_t i = 0; i < p.size(); i++) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      const char e = p[++i];
      if (!in_bracket && e >= '1' && e <= '9') not_supported("back-references");
      switch (e) {
        case 'y': out += in_bracket ? "y" : "\\b"; break;
        case 'Y': out += in_bracket ? "Y" : "\\B"; break;
        case 'Z': out += "\\z"; break;
        case 'b': out += "\\x08"; break;
        case 'e': out += "\\x1b"; break;
        case 'm':
        case 'M': not_supported("the word-boundary escapes \\m and \\M"); break;
        case 'u':
        case 'U': {
          const size_t digits = e == 'u' ? 4 : 8;
          out += "\\x{";
          for (size_t k = 0; k < digits && i + 1 < p.size(); k++) out += p[++i];
          out += '}';
          break;
        }
        default:
          out += '\\';
          out += e;
          break;
      }
      continue;
    }
    if (in_bracket) {
      out += c;
      if (c == '[' && i + 1 < p.size() && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
        // [:class:] inside a bracket expression: copy through its closing ":]".
        const char kind = p[i + 1];
        const size_t close = p.find(std::string{kind} + "]", i + 2);
        if (close != std::string_view::npos) {
          out.append(p.substr(i + 1, close + 2 - (i + 1)));
          i = close + 1;
        }
      } else if (c == ']') {
        in_bracket = false;
      }
      continue;
    }
    if (c == '[') {
      out += c;
      in_bracket = true;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') {
        out += "\\]";
        ++i;
      }
      continue;
    }
    if (c == '(' && i + 2 < p.size() && p[i + 1] == '?' &&
        (p[i + 2] == '=' || p[i + 2] == '!' || (p[i + 2] == '<' && i + 3 < p.size() && (p[i + 3] == '=' || p[i + 3] == '!')))) {
      not_supported("lookahead and lookbehind constraints");
    }
    out += c;
  }
  return out;
}

/// The options of a regular expression call (PostgreSQL's flags string).
struct RegexFlags {
  bool global = false;
  bool case_insensitive = false;
  bool literal = false;
  bool dot_matches_newline = true;  ///< PostgreSQL's default; 'n', 'p' turn it off
  bool multi_line_anchors = false;  ///< 'n', 'w': ^ and $ also at newlines
};

RegexFlags parse_flags(std::string_view flags) {
  RegexFlags f;
  for (char c : flags) {
    switch (c) {
      case 'g': f.global = true; break;
      case 'i': f.case_insensitive = true; break;
      case 'c': f.case_insensitive = false; break;
      case 'n':
      case 'm': f.dot_matches_newline = false; f.multi_line_anchors = true; break;
      case 'p': f.dot_matches_newline = false; f.multi_line_anchors = false; break;
      case 'w': f.dot_matches_newline = true; f.multi_line_anchors = true; break;
      case 's': f.dot_matches_newline = true; f.multi_line_anchors = false; break;
      case 'q': f.literal = true; break;
      case 't':
      case 'e': break;
      case 'x':
        throw SqlError(SqlState::kFeatureNotSupported, "the regular expression option \"x\" (expanded syntax) is not supported");
      case 'b':
        throw SqlError(SqlState::kFeatureNotSupported, "the regular expression option \"b\" (basic syntax) is not supported");
      default: {
        const std::string option(1, c);
        throw SqlError(SqlState::kInvalidParameterValue, "invalid regular expression option: \"" + option + "\"");
      }
    }
  }
  return f;
}

/// A compiled pattern, cached per thread by pattern and options (patterns are nearly always
/// constants, so each worker compiles one once).
const re2::RE2& compile_regex(std::string_view pattern, const RegexFlags& flags) {
  thread_local std::unordered_map<std::string, std::unique_ptr<re2::RE2>> cache;
  std::string key;
  key.reserve(pattern.size() + 4);
  key += flags.case_insensitive ? 'i' : 'c';
  key += flags.literal ? 'q' : 'r';
  key += flags.dot_matches_newline ? 's' : 'n';
  key += flags.multi_line_anchors ? 'm' : 'o';
  key.append(pattern);
  auto it = cache.find(key);
  if (it != cache.end()) return *it->second;
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!flags.case_insensitive);
  options.set_literal(flags.literal);
  options.set_dot_nl(flags.dot_matches_newline);
  options.set_max_mem(64 << 20);
  std::string translated = flags.literal ? std::string(pattern) : translate_are(pattern);
  if (flags.multi_line_anchors && !flags.literal) translated = "(?m)" + translated;
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(translated.data(), translated.size()), options);
  if (!re->ok()) {
    throw SqlError(SqlState::kInvalidRegularExpression, "invalid regular expression: " + re->error());
  }
  if (cache.size() >= 64) cache.clear();
  return *cache.emplace(std::move(key), std::move(re)).first->second;
}

/// Finds the first match in text[from..]; groups[0] is the whole match, groups[1..] the
/// capturing groups (n_groups in all).
bool find_match(const re2::RE2& re, std::string_view text, size_t from, re2::StringPiece* groups, int n_groups) {
  return re.Match(re2::StringPiece(text.data(), text.size()), from, text.size(), re2::RE2::UNANCHORED, groups, n_groups);
}

inline size_t offset_in(std::string_view text, const re2::StringPiece& piece) {
  return static_cast<size_t>(piece.data() - text.data());
}

/// The byte position just past the match [start, end) from which the next search starts: after
/// an empty match, one character further.
inline size_t next_search(std::string_view text, size_t start, size_t end) {
  if (end > start) return end;
  return end < text.size() ? end + utf8_sequence_length(static_cast<unsigned char>(text[end])) : text.size() + 1;
}

template <bool NEGATE, bool CI>
void regex_match_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  RegexFlags flags;
  flags.case_insensitive = CI;
  binary_strict<string_t, string_t, uint8_t>(*args[0], *args[1], sel, count, result, [&](const string_t& s, const string_t& p) {
    const re2::RE2& re = compile_regex(p.view(), flags);
    return static_cast<uint8_t>(find_match(re, s.view(), 0, nullptr, 0) != NEGATE);
  });
}

/// substring(s from pattern): the part matching the first capturing group when the pattern
/// has one, else the whole match; NULL without a match.
void regex_substring_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  result.keep_heaps_of(*args[0]);
  ValidityMask& validity = result.mutable_validity();
  const RegexFlags flags;
  nary_strict<string_t, string_t, string_t>(args, sel, count, result, [&](sel_t r, const string_t& s, const string_t& p) {
    const re2::RE2& re = compile_regex(p.view(), flags);
    re2::StringPiece groups[2];
    const int n = re.NumberOfCapturingGroups() > 0 ? 2 : 1;
    if (!find_match(re, s.view(), 0, groups, n) || groups[n - 1].data() == nullptr) {
      validity.set_invalid(r);
      return string_t();
    }
    return string_t(groups[n - 1].data(), static_cast<uint32_t>(groups[n - 1].size()));
  });
}

/// Appends PostgreSQL's replacement text: \1..\9 the groups, \& the whole match, \\ a
/// backslash; any other backslash stays as written.
void append_replacement(std::string& out, std::string_view replacement, const re2::StringPiece* groups, int n_groups) {
  for (size_t i = 0; i < replacement.size(); i++) {
    const char c = replacement[i];
    if (c != '\\' || i + 1 == replacement.size()) {
      out += c;
      continue;
    }
    const char e = replacement[i + 1];
    if (e >= '1' && e <= '9') {
      const int g = e - '0';
      if (g < n_groups && groups[g].data() != nullptr) out.append(groups[g].data(), groups[g].size());
      i++;
    } else if (e == '&') {
      out.append(groups[0].data(), groups[0].size());
      i++;
    } else if (e == '\\') {
      out += '\\';
      i++;
    } else {
      out += '\\';
    }
  }
}

[[noreturn]] void invalid_parameter(const char* name, int64_t value) {
  throw SqlError(SqlState::kInvalidParameterValue,
                 std::string("invalid value for parameter \"") + name + "\": " + std::to_string(value));
}

/// Byte offset of 1-based character position `start` (validated >= 1).
size_t start_offset(std::string_view s, int32_t start) {
  if (start <= 0) invalid_parameter("start", start);
  return utf8_prefix_bytes(s.data(), s.size(), static_cast<size_t>(start - 1));
}

/// regexp_replace(s, p, r [, start [, n]] [, flags]): occurrence n (0 = all) from character
/// `start`; the text flags' g means all.
std::string regexp_replace(std::string_view s, std::string_view p, std::string_view replacement, int32_t start, int32_t n,
                           const RegexFlags& flags) {
  const re2::RE2& re = compile_regex(p, flags);
  const int n_groups = std::min(re.NumberOfCapturingGroups(), 9) + 1;
  re2::StringPiece groups[10];
  std::string out;
  size_t copied = 0;
  size_t pos = start_offset(s, start);
  int found = 0;
  while (pos <= s.size() && find_match(re, s, pos, groups, n_groups)) {
    const size_t ms = offset_in(s, groups[0]);
    const size_t me = ms + groups[0].size();
    found++;
    if (n == 0 || found == n) {
      out.append(s.substr(copied, ms - copied));
      append_replacement(out, replacement, groups, n_groups);
      copied = me;
      if (n != 0) break;
    }
    pos = next_search(s, ms, me);
  }
  out.append(s.substr(std::min(copied, s.size())));
  return out;
}

void regexp_replace_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  const auto add = [&](const std::string& s) { return heap.add(s); };
  switch (args.size()) {
    case 3:
      nary_strict<string_t, string_t, string_t, string_t>(
          args, sel, count, result, [&](sel_t, const string_t& s, const string_t& p, const string_t& r) {
            return add(regexp_replace(s.view(), p.view(), r.view(), 1, 1, RegexFlags{}));
          });
      return;
    case 4:
      if (args[3]->type().id() == LogicalTypeId::kVarchar) {
        nary_strict<string_t, string_t, string_t, string_t, string_t>(
            args, sel, count, result, [&](sel_t, const string_t& s, const string_t& p, const string_t& r, const string_t& f) {
              const RegexFlags flags = parse_flags(f.view());
              return add(regexp_replace(s.view(), p.view(), r.view(), 1, flags.global ? 0 : 1, flags));
            });
      } else {
        nary_strict<string_t, string_t, string_t, string_t, int32_t>(
            args, sel, count, result, [&](sel_t, const string_t& s, const string_t& p, const string_t& r, int32_t start) {
              return add(regexp_replace(s.view(), p.view(), r.view(), start, 1, RegexFlags{}));
            });
      }
      return;
    case 5:
      nary_strict<string_t, string_t, string_t, string_t, int32_t, int32_t>(
          args, sel, count, result, [&](sel_t, const string_t& s, const string_t& p, const string_t& r, int32_t start, int32_t n) {
            if (n < 0) invalid_parameter("n", n);
            return add(regexp_replace(s.view(), p.view(), r.view(), start, n, RegexFlags{}));
          });
      return;
    default:
      nary_strict<string_t, string_t, string_t, string_t, int32_t, int32_t, string_t>(
          args, sel, count, result,
          [&](sel_t, const string_t& s, const string_t& p, const string_t& r, int32_t start, int32_t n, const string_t& f) {
            if (n < 0) invalid_parameter("n", n);
            const RegexFlags flags = parse_flags(f.view());
            return add(regexp_replace(s.view(), p.view(), r.view(), start, flags.global ? 0 : n, flags));
          });
      return;
  }
}

RegexFlags parse_flags_no_global(std::string_view text, const char* function) {
  RegexFlags flags = parse_flags(text);
  if (flags.global) {
    throw SqlError(SqlState::kInvalidParameterValue, std::string(function) + " does not support the \"global\" option");
  }
  return flags;
}

/// The arguments of regexp_count / regexp_instr / regexp_substr / regexp_like after the
/// string and the pattern, with PostgreSQL's defaults.
struct RegexCall {
  int32_t start = 1;
  int32_t n = 1;
  int32_t endoption = 0;
  int32_t subexpr = 0;
  RegexFlags flags;
};

/// Reads row r's optional arguments: `layout` names each argument after (s, p): 's' start,
/// 'n' N, 'e' endoption, 'f' flags, 'x' subexpr.
struct OptionalArgs {
  std::vector<UnifiedVectorFormat> formats;
  std::string layout;

  OptionalArgs(Args args, size_t count, std::string_view full_layout) : layout(full_layout.substr(0, args.size() - 2)) {
    formats.resize(layout.size());
    for (size_t i = 0; i < layout.size(); i++) args[i + 2]->to_unified(count, formats[i]);
  }

  RegexCall row(sel_t r, const char* function) const {
    RegexCall call;
    for (size_t i = 0; i < layout.size(); i++) {
      const UnifiedVectorFormat& f = formats[i];
      const sel_t idx = f.sel.get_index(r);
      switch (layout[i]) {
        case 's': call.start = f.values<int32_t>()[idx]; break;
        case 'n': call.n = f.values<int32_t>()[idx]; break;
        case 'e': call.endoption = f.values<int32_t>()[idx]; break;
        case 'x': call.subexpr = f.values<int32_t>()[idx]; break;
        case 'f': call.flags = parse_flags_no_global(f.values<string_t>()[idx].view(), function); break;
        default: break;
      }
    }
    if (call.start <= 0) invalid_parameter("start", call.start);
    if (call.n <= 0) invalid_parameter("n", call.n);
    if (call.endoption != 0 && call.endoption != 1) invalid_parameter("endoption", call.endoption);
    if (call.subexpr < 0) invalid_parameter("subexpr", call.subexpr);
    return call;
  }
};

/// The call's match (the n-th from `start`), groups as in find_match; false when none.
bool nth_match(std::string_view s, std::string_view p, const RegexCall& call, re2::StringPiece* groups, int n_groups,
               const re2::RE2*& re_out) {
  const re2::RE2& re = compile_regex(p, call.flags);
  re_out = &re;
  size_t pos = start_offset(s, call.start);
  int found = 0;
  while (pos <= s.size() && find_match(re, s, pos, groups, n_groups)) {
    if (++found == call.n) return true;
    const size_t ms = offset_in(s, groups[0]);
    pos = next_search(s, ms, ms + groups[0].size());
  }
  return false;
}

void regexp_like_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const OptionalArgs optional(args, count, "f");
  nary_strict<uint8_t, string_t, string_t>(args, sel, count, result, [&](sel_t r, const string_t& s, const string_t& p) {
    const RegexCall call = optional.row(r, "regexp_like()");
    return static_cast<uint8_t>(find_match(compile_regex(p.view(), call.flags), s.view(), 0, nullptr, 0));
  });
}

void regexp_count_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const OptionalArgs optional(args, count, "sf");
  nary_strict<int32_t, string_t, string_t>(args, sel, count, result, [&](sel_t r, const string_t& s, const string_t& p) {
    const RegexCall call = optional.row(r, "regexp_count()");
    const re2::RE2& re = compile_regex(p.view(), call.flags);
    std::string_view v = s.view();
    size_t pos = start_offset(v, call.start);
    int32_t found = 0;
    re2::StringPiece whole;
    while (pos <= v.size() && find_match(re, v, pos, &whole, 1)) {
      found++;
      const size_t ms = offset_in(v, whole);
      pos = next_search(v, ms, ms + whole.size());
    }
    return found;
  });
}

int32_t regexp_group_limit(const re2::RE2& re, int32_t subexpr) {
  return subexpr > re.NumberOfCapturingGroups() ? -1 : subexpr;
}

void regexp_instr_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const OptionalArgs optional(args, count, "snefx");
  nary_strict<int32_t, string_t, string_t>(args, sel, count, result, [&](sel_t r, const string_t& s, const string_t& p) {
    const RegexCall call = optional.row(r, "regexp_instr()");
    std::string_view v = s.view();
    std::vector<re2::StringPiece> groups(static_cast<size_t>(call.subexpr) + 1);
    const re2::RE2* re = nullptr;
    const int n_groups = static_cast<int>(groups.size());
    // Ask RE2 only for groups the pattern has (more would fail the match).
    const re2::RE2& compiled = compile_regex(p.view(), call.flags);
    if (regexp_group_limit(compiled, call.subexpr) < 0) return int32_t{0};
    if (!nth_match(v, p.view(), call, groups.data(), n_groups, re)) return int32_t{0};
    const re2::StringPiece& g = groups[static_cast<size_t>(call.subexpr)];
    if (g.data() == nullptr) return int32_t{0};
    const size_t at = offset_in(v, g) + (call.endoption == 1 ? g.size() : 0);
    return static_cast<int32_t>(utf8_length(v.data(), at) + 1);
  });
}

void regexp_substr_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  const OptionalArgs optional(args, count, "snfx");
  result.keep_heaps_of(*args[0]);
  ValidityMask& validity = result.mutable_validity();
  nary_strict<string_t, string_t, string_t>(args, sel, count, result, [&](sel_t r, const string_t& s, const string_t& p) {
    const RegexCall call = optional.row(r, "regexp_substr()");
    std::string_view v = s.view();
    std::vector<re2::StringPiece> groups(static_cast<size_t>(call.subexpr) + 1);
    const re2::RE2* re = nullptr;
    const re2::RE2& compiled = compile_regex(p.view(), call.flags);
    if (regexp_group_limit(compiled, call.subexpr) < 0 ||
        !nth_match(v, p.view(), call, groups.data(), static_cast<int>(groups.size()), re) ||
        groups[static_cast<size_t>(call.subexpr)].data() == nullptr) {
      validity.set_invalid(r);
      return string_t();
    }
    const re2::StringPiece& g = groups[static_cast<size_t>(call.subexpr)];
    return string_t(g.data(), static_cast<uint32_t>(g.size()));
  });
}

// ---- SIMILAR TO ----------------------------------------------------------------------------

/// similar_to_escape(pattern [, escape]): the SQL regular expression as a POSIX one anchored at
/// both ends (PostgreSQL's similar_escape: % is .*, _ is ., ( is a non-capturing group, the
/// escape character quotes the next one; bracket expressions are copied).
std::string similar_to_regex(std::string_view pattern, std::string_view escape) {
  std::string out = "^(?:";
  bool after_escape = false, in_bracket = false;
  int quotes = 0;
  for (size_t i = 0; i < pattern.size();) {
    const size_t len = utf8_sequence_length(static_cast<unsigned char>(pattern[i]));
    std::string_view ch = pattern.substr(i, len);
    i += len;
    const char c = ch[0];
    if (after_escape) {
      if (c == '"' && !in_bracket) {
        if (quotes == 0) {
          out += "){1,1}?(";
        } else if (quotes == 1) {
          out += "){1,1}(?:";
        } else {
          throw SqlError(SqlState::kInvalidEscapeSequence,
                         "SQL regular expression may not contain more than two escape-double-quote separators");
        }
        quotes++;
      } else {
        out += '\\';
        out.append(ch);
      }
      after_escape = false;
    } else if (!escape.empty() && ch == escape) {
      after_escape = true;
    } else if (in_bracket) {
      if (c == '\\') out += '\\';
      out.append(ch);
      if (c == ']') in_bracket = false;
    } else if (c == '[') {
      out += '[';
      in_bracket = true;
      if (i < pattern.size() && pattern[i] == '^') out += pattern[i++];
      if (i < pattern.size() && pattern[i] == ']') {
        out += pattern[i++];
      }
    } else if (c == '%') {
      out += ".*";
    } else if (c == '_') {
      out += '.';
    } else if (c == '(') {
      out += "(?:";
    } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
      out += '\\';
      out += c;
    } else {
      out.append(ch);
    }
  }
  out += ")$";
  return out;
}

void similar_to_escape_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  StringHeap& heap = result.string_heap();
  if (args.size() == 1) {
    unary_strict<string_t, string_t>(*args[0], sel, count, result,
                                     [&](const string_t& p) { return heap.add(similar_to_regex(p.view(), "\\")); });
    return;
  }
  binary_strict<string_t, string_t, string_t>(*args[0], *args[1], sel, count, result, [&](const string_t& p, const string_t& e) {
    std::string_view escape = e.view();
    if (!escape.empty() && utf8_sequence_length(static_cast<unsigned char>(escape[0])) != escape.size()) {
      throw_invalid_escape_string();
    }
    return heap.add(similar_to_regex(p.view(), escape));
  });
}

/// regexp_match(s, p [, flags]): the first match's captured groups (the whole match when the
/// pattern has none) as text[], a group that took no part as NULL; NULL without a match.
void regexp_match_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  UnifiedVectorFormat fs, fp, ff;
  args[0]->to_unified(count, fs);
  args[1]->to_unified(count, fp);
  if (args.size() > 2) args[2]->to_unified(count, ff);
  const LogicalType text = LogicalType::varchar();
  const ValidityMask& valid = std::as_const(result).validity();
  for_each_row(sel, count, [&](sel_t r) {
    if (!valid.row_is_valid(r)) return;
    const string_t& s = fs.values<string_t>()[fs.sel.get_index(r)];
    const string_t& p = fp.values<string_t>()[fp.sel.get_index(r)];
    const RegexFlags flags = args.size() > 2
                                 ? parse_flags_no_global(ff.values<string_t>()[ff.sel.get_index(r)].view(), "regexp_match()")
                                 : RegexFlags{};
    const re2::RE2& re = compile_regex(p.view(), flags);
    const int n_groups = re.NumberOfCapturingGroups();
    std::vector<re2::StringPiece> groups(static_cast<size_t>(n_groups) + 1);
    if (!find_match(re, s.view(), 0, groups.data(), n_groups + 1)) {
      result.set_value(r, Value::null(result.type()));
      return;
    }
    std::vector<Value> elements;
    for (int g = n_groups > 0 ? 1 : 0; g <= n_groups; g++) {
      if (groups[g].data() == nullptr) {
        elements.push_back(Value::null(text));
      } else {
        elements.push_back(Value::varchar(std::string(groups[g].data(), groups[g].size())));
      }
    }
    result.set_value(r, array::make(text, elements));
  });
}

// ---- regexp_split_to_array, regexp_split_to_table, regexp_matches ---------------------------

/// The pieces of `s` between the matches of `re` (PostgreSQL's split: every match, except an
/// empty one at the start or end of the string or right after the previous match).
std::vector<std::string_view> split_pieces(const re2::RE2& re, std::string_view s) {
  std::vector<std::string_view> pieces;
  re2::StringPiece match;
  size_t pos = 0, piece_start = 0, prev_match_end = 0;
  while (pos <= s.size() && find_match(re, s, pos, &match, 1)) {
    const size_t start = offset_in(s, match);
    const size_t end = start + match.size();
    if (start < s.size() && end > prev_match_end) {
      pieces.push_back(s.substr(piece_start, start - piece_start));
      piece_start = end;
    }
    prev_match_end = end;
    pos = next_search(s, start, end);
  }
  pieces.push_back(s.substr(piece_start));
  return pieces;
}

std::vector<std::string_view> split_call(std::string_view s, std::string_view p, const std::string_view* flags,
                                         const char* function) {
  const RegexFlags f = flags ? parse_flags_no_global(*flags, function) : RegexFlags{};
  return split_pieces(compile_regex(p, f), s);
}

/// regexp_split_to_array(s, p [, flags]): the pieces as text[].
void regexp_split_to_array_kernel(Args args, const sel_t* sel, size_t count, Vector& result, const catalog::FunctionData*) {
  UnifiedVectorFormat fs, fp, ff;
  args[0]->to_unified(count, fs);
  args[1]->to_unified(count, fp);
  if (args.size() > 2) args[2]->to_unified(count, ff);
  const LogicalType text = LogicalType::varchar();
  const ValidityMask& valid = std::as_const(result).validity();
  for_each_row(sel, count, [&](sel_t r) {
    if (!valid.row_is_valid(r)) return;
    const std::string_view s = fs.values<string_t>()[fs.sel.get_index(r)].view();
    const std::string_view p = fp.values<string_t>()[fp.sel.get_index(r)].view();
    std::string_view flags;
    if (args.size() > 2) flags = ff.values<string_t>()[ff.sel.get_index(r)].view();
    std::vector<Value> elements;
    for (std::string_view piece : split_call(s, p, args.size() > 2 ? &flags : nullptr, "regexp_split_to_array()")) {
      elements.push_back(Value::varchar(std::string(piece)));
    }
    result.set_value(r, array::make(text, elements));
  });
}

/// The rows of a set-returning call computed at its start, in one part.
class ValuesRun : public catalog::TableFunctionRun {
 public:
  explicit ValuesRun(std::vector<Value> rows) : rows_(std::move(rows)) {}
  size_t num_parts() const override { return rows_.empty() ? 0 : 1; }
  std::unique_ptr<catalog::TableFunctionPart> open_part(size_t) const override { return std::make_unique<Part>(*this); }

 private:
  class Part : public catalog::TableFunctionPart {
   public:
    explicit Part(const ValuesRun& run) : run_(run) {}
    bool produce(DataChunk& out) override {
      const size_t n = std::min<size_t>(kVectorSize, run_.rows_.size() - next_);
      if (n == 0) return false;
      Vector& column = out.column(0);
      for (size_t i = 0; i < n; i++) column.set_value(i, run_.rows_[next_ + i]);
      next_ += n;
      out.set_size(n);
      return true;
    }

   private:
    const ValuesRun& run_;
    size_t next_ = 0;
  };

  std::vector<Value> rows_;
};

bool any_null(std::span<const Value> args) {
  for (const Value& v : args) {
    if (v.is_null()) return true;
  }
  return false;
}

catalog::TableFunctionSchema one_column(const char* name, LogicalType type) {
  catalog::TableFunctionSchema schema;
  schema.names = {name};
  schema.types = {std::move(type)};
  schema.estimated_rows = 10;
  return schema;
}

catalog::TableFunctionSchema bind_split_to_table(std::span<const LogicalType>, std::span<const std::optional<Value>>) {
  return one_column("regexp_split_to_table", LogicalType::varchar());
}

std::unique_ptr<catalog::TableFunctionRun> init_split_to_table(std::span<const Value> args,
                                                               const catalog::TableFunctionSchema&) {
  if (any_null(args)) return std::make_unique<ValuesRun>(std::vector<Value>{});
  const std::string s = args[0].get_string(), p = args[1].get_string();
  std::string flags;
  if (args.size() > 2) flags = args[2].get_string();
  std::string_view flags_view = flags;
  std::vector<Value> rows;
  for (std::string_view piece : split_call(s, p, args.size() > 2 ? &flags_view : nullptr, "regexp_split_to_table()")) {
    rows.push_back(Value::varchar(std::string(piece)));
  }
  return std::make_unique<ValuesRun>(std::move(rows));
}

catalog::TableFunctionSchema bind_matches(std::span<const LogicalType>, std::span<const std::optional<Value>>) {
  return one_column("regexp_matches", LogicalType::array_of(LogicalType::varchar()));
}

/// regexp_matches(s, p [, flags]): one text[] per match (every match with 'g', else the first),
/// holding the captured groups (the whole match when the pattern has none), a group that took
/// no part as NULL.
std::unique_ptr<catalog::TableFunctionRun> init_matches(std::span<const Value> args, const catalog::TableFunctionSchema&) {
  if (any_null(args)) return std::make_unique<ValuesRun>(std::vector<Value>{});
  const std::string s = args[0].get_string(), p = args[1].get_string();
  const RegexFlags flags = args.size() > 2 ? parse_flags(args[2].get_string()) : RegexFlags{};
  const re2::RE2& re = compile_regex(p, flags);
  const int n_groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<size_t>(n_groups) + 1);
  const LogicalType text = LogicalType::varchar();
  std::vector<Value> rows;
  size_t pos = 0;
  while (pos <= s.size() && find_match(re, s, pos, groups.data(), n_groups + 1)) {
    std::vector<Value> elements;
    for (int g = n_groups > 0 ? 1 : 0; g <= n_groups; g++) {
      if (groups[g].data() == nullptr) {
        elements.push_back(Value::null(text));
      } else {
        elements.push_back(Value::varchar(std::string(groups[g].data(), groups[g].size())));
      }
    }
    rows.push_back(array::make(text, elements));
    if (!flags.global) break;
    const size_t start = offset_in(s, groups[0]);
    pos = next_search(s, start, start + groups[0].size());
  }
  return std::make_unique<ValuesRun>(std::move(rows));
}

catalog::TableFunction set_function(const char* name, std::vector<LogicalType> params, catalog::TableFunctionBind bind,
                                    catalog::TableFunctionInit init) {
  catalog::TableFunction f;
  f.name = name;
  for (const auto& p : params) f.params.push_back(catalog::ParamType::of(p));
  f.bind = bind;
  f.init = init;
  return f;
}

}  // namespace

void register_pattern_functions(catalog::FunctionRegistry& registry) {
  const LogicalType text = LogicalType::varchar();
  const LogicalType integer = LogicalType::integer();
  const LogicalType boolean = LogicalType::boolean();
  registry.add(make_operator("~~", {text, text}, boolean, like_kernel<false>));
  registry.add(make_operator("!~~", {text, text}, boolean, like_kernel<true>));
  registry.add(make_operator("~~*", {text, text}, boolean, ilike_kernel<false>));
  registry.add(make_operator("!~~*", {text, text}, boolean, ilike_kernel<true>));
  const LogicalType bpchar = LogicalType::bpchar();
  registry.add(make_operator("~~", {bpchar, text}, boolean, bpchar_like_kernel<false, false>));
  registry.add(make_operator("!~~", {bpchar, text}, boolean, bpchar_like_kernel<true, false>));
  registry.add(make_operator("~~*", {bpchar, text}, boolean, bpchar_like_kernel<false, true>));
  registry.add(make_operator("!~~*", {bpchar, text}, boolean, bpchar_like_kernel<true, true>));
  registry.add(make_function("like_escape", {text, text}, text, like_escape_kernel));
  registry.add(make_function("similar_to_escape", {text}, text, similar_to_escape_kernel));
  registry.add(make_function("similar_to_escape", {text, text}, text, similar_to_escape_kernel));
  registry.add(make_operator("~", {text, text}, boolean, regex_match_kernel<false, false>));
  registry.add(make_operator("!~", {text, text}, boolean, regex_match_kernel<true, false>));
  registry.add(make_operator("~*", {text, text}, boolean, regex_match_kernel<false, true>));
  registry.add(make_operator("!~*", {text, text}, boolean, regex_match_kernel<true, true>));
  registry.add(make_function("substring", {text, text}, text, regex_substring_kernel));
  registry.add(make_function("regexp_replace", {text, text, text}, text, regexp_replace_kernel));
  registry.add(make_function("regexp_replace", {text, text, text, text}, text, regexp_replace_kernel));
  registry.add(make_function("regexp_replace", {text, text, text, integer}, text, regexp_replace_kernel));
  registry.add(make_function("regexp_replace", {text, text, text, integer, integer}, text, regexp_replace_kernel));
  registry.add(make_function("regexp_replace", {text, text, text, integer, integer, text}, text, regexp_replace_kernel));
  registry.add(make_function("regexp_like", {text, text}, boolean, regexp_like_kernel));
  registry.add(make_function("regexp_like", {text, text, text}, boolean, regexp_like_kernel));
  registry.add(make_function("regexp_count", {text, text}, integer, regexp_count_kernel));
  registry.add(make_function("regexp_count", {text, text, integer}, integer, regexp_count_kernel));
  registry.add(make_function("regexp_count", {text, text, integer, text}, integer, regexp_count_kernel));
  registry.add(make_function("regexp_instr", {text, text}, integer, regexp_instr_kernel));
  registry.add(make_function("regexp_instr", {text, text, integer}, integer, regexp_instr_kernel));
  registry.add(make_function("regexp_instr", {text, text, integer, integer}, integer, regexp_instr_kernel));
  registry.add(make_function("regexp_instr", {text, text, integer, integer, integer}, integer, regexp_instr_kernel));
  registry.add(make_function("regexp_instr", {text, text, integer, integer, integer, text}, integer, regexp_instr_kernel));
  registry.add(
      make_function("regexp_instr", {text, text, integer, integer, integer, text, integer}, integer, regexp_instr_kernel));
  registry.add(make_function("regexp_substr", {text, text}, text, regexp_substr_kernel));
  registry.add(make_function("regexp_substr", {text, text, integer}, text, regexp_substr_kernel));
  registry.add(make_function("regexp_substr", {text, text, integer, integer}, text, regexp_substr_kernel));
  registry.add(make_function("regexp_substr", {text, text, integer, integer, text}, text, regexp_substr_kernel));
  registry.add(make_function("regexp_substr", {text, text, integer, integer, text, integer}, text, regexp_substr_kernel));
  const LogicalType text_array = LogicalType::array_of(text);
  registry.add(make_function("regexp_match", {text, text}, text_array, regexp_match_kernel));
  registry.add(make_function("regexp_match", {text, text, text}, text_array, regexp_match_kernel));
  registry.add(make_function("regexp_split_to_array", {text, text}, text_array, regexp_split_to_array_kernel));
  registry.add(make_function("regexp_split_to_array", {text, text, text}, text_array, regexp_split_to_array_kernel));
  registry.add(set_function("regexp_split_to_table", {text, text}, bind_split_to_table, init_split_to_table));
  registry.add(set_function("regexp_split_to_table", {text, text, text}, bind_split_to_table, init_split_to_table));
  registry.add(set_function("regexp_matches", {text, text}, bind_matches, init_matches));
  registry.add(set_function("regexp_matches", {text, text, text}, bind_matches, init_matches));
}

}  // namespace tessera::executor
