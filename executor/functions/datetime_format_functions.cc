// to_char(timestamp | timestamptz | interval, text), to_date(text, text),
// to_timestamp(text, text) and to_timestamp(double precision) with PostgreSQL's template
// patterns: YYYY YYY YY Y Y,YYY IYYY, MM, DD, DDD, D, ID, HH HH12 HH24, MI, SS, SSSS, MS, US,
// AM/PM (also a.m.), BC/AD, Month MONTH month, Mon MON mon, Day DAY day, Dy DY dy, Q, WW, IW,
// CC, J, TZ tz, TZH, TZM, OF, the FM (fill mode) and TM prefixes, "quoted text" and \" escapes.

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "executor/functions/builtin_functions.h"
#include "executor/functions/registration.h"
#include "executor/functions/vector_loops.h"
#include "src/common/datetime.h"
#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

using namespace datetime;  // NOLINT: a .cc file of date/time functions
using catalog::FunctionData;

const TimeZone& session_zone() {
  const auto& zone = current_datetime_context().time_zone;
  return zone ? *zone : *utc_time_zone();
}

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

enum class Pat : uint8_t {
  kYCommaYYY, kYYYY, kYYY, kYY, kY, kIYYY, kMM, kDDD, kDD, kD, kID, kHH24, kHH12, kHH, kMI, kSSSS, kSS, kMS, kUS,
  kAM, kPM, kAMDots, kPMDots, kBC, kAD, kBCDots, kADDots, kMonth, kMon, kDay, kDy, kQ, kWW, kIW, kCC, kJ, kTZH, kTZM,
  kTZ, kOF, kLiteral
};

/// Capitalization of a text pattern: UPPER, Initial, lower.
enum class Case : uint8_t { kUpper, kInitial, kLower };

struct Token {
  Pat pat = Pat::kLiteral;
  Case text_case = Case::kUpper;
  bool fill = false;  // FM
  std::string literal;
};

bool starts_with_ci(std::string_view s, size_t at, std::string_view word) {
  if (s.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); i++) {
    if (std::toupper(static_cast<unsigned char>(s[at + i])) != word[i]) return false;
  }
  return true;
}

Case case_of(std::string_view s, size_t at) {
  bool first_upper = std::isupper(static_cast<unsigned char>(s[at]));
  bool second_upper = at + 1 < s.size() && std::isupper(static_cast<unsigned char>(s[at + 1]));
  if (first_upper && second_upper) return Case::kUpper;
  return first_upper ? Case::kInitial : Case::kLower;
}

std::vector<Token> compile(std::string_view f) {
  struct Entry {
    const char* word;
    Pat pat;
  };
  // Longest first where one keyword starts another.
  static constexpr Entry kEntries[] = {
      {"Y,YYY", Pat::kYCommaYYY}, {"YYYY", Pat::kYYYY}, {"YYY", Pat::kYYY}, {"YY", Pat::kYY}, {"Y", Pat::kY},
      {"IYYY", Pat::kIYYY},       {"MONTH", Pat::kMonth}, {"MON", Pat::kMon}, {"MM", Pat::kMM}, {"MI", Pat::kMI},
      {"MS", Pat::kMS},           {"DDD", Pat::kDDD},   {"DD", Pat::kDD},   {"DAY", Pat::kDay}, {"DY", Pat::kDy},
      {"D", Pat::kD},             {"ID", Pat::kID},     {"IW", Pat::kIW},   {"HH24", Pat::kHH24}, {"HH12", Pat::kHH12},
      {"HH", Pat::kHH},           {"SSSSS", Pat::kSSSS}, {"SSSS", Pat::kSSSS}, {"SS", Pat::kSS}, {"US", Pat::kUS},
      {"A.M.", Pat::kAMDots},     {"P.M.", Pat::kPMDots}, {"AM", Pat::kAM},  {"PM", Pat::kPM}, {"B.C.", Pat::kBCDots},
      {"A.D.", Pat::kADDots},     {"BC", Pat::kBC},     {"AD", Pat::kAD},   {"Q", Pat::kQ},    {"WW", Pat::kWW},
      {"CC", Pat::kCC},           {"J", Pat::kJ},       {"TZH", Pat::kTZH}, {"TZM", Pat::kTZM}, {"TZ", Pat::kTZ},
      {"OF", Pat::kOF},
  };
  std::vector<Token> out;
  size_t i = 0;
  bool fill = false;
  auto literal = [&](std::string text) {
    if (!out.empty() && out.back().pat == Pat::kLiteral) {
      out.back().literal += text;
    } else {
      Token t;
      t.literal = std::move(text);
      out.push_back(std::move(t));
    }
  };
  while (i < f.size()) {
    if (starts_with_ci(f, i, "FM")) {
      fill = true;
      i += 2;
      continue;
    }
    if (starts_with_ci(f, i, "TM") || starts_with_ci(f, i, "FX")) {
      i += 2;
      continue;
    }
    if (f[i] == '"') {
      std::string text;
      i++;
      while (i < f.size() && f[i] != '"') {
        if (f[i] == '\\' && i + 1 < f.size()) i++;
        text.push_back(f[i++]);
      }
      i++;
      literal(std::move(text));
      continue;
    }
    if (f[i] == '\\' && i + 1 < f.size() && f[i + 1] == '"') {
      // Only a double quote is escaped outside quoted text; other backslashes are literal.
      literal("\"");
      i += 2;
      continue;
    }
    bool matched = false;
    for (const auto& e : kEntries) {
      if (starts_with_ci(f, i, e.word)) {
        Token t;
        t.pat = e.pat;
        t.text_case = case_of(f, i);
        t.fill = fill;
        fill = false;
        i += std::strlen(e.word);
        out.push_back(std::move(t));
        matched = true;
        break;
      }
    }
    if (matched) continue;
    literal(std::string(1, f[i]));
    i++;
  }
  return out;
}

std::string cased(std::string s, Case c) {
  for (size_t i = 0; i < s.size(); i++) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    s[i] = static_cast<char>(c == Case::kUpper || (c == Case::kInitial && i == 0) ? std::toupper(ch) : std::tolower(ch));
  }
  return s;
}

void append_number(std::string& out, int64_t v, int width, bool fill) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out.push_back('-');
  if (!fill) {
    for (int i = static_cast<int>(digits.size()); i < width; i++) out.push_back('0');
  }
  out += digits;
}

void append_text(std::string& out, const std::string& s, int pad, bool fill) {
  out += s;
  if (!fill) {
    for (int i = static_cast<int>(s.size()); i < pad; i++) out.push_back(' ');
  }
}

int display_year(int32_t y) { return y > 0 ? y : 1 - y; }

void iso_week(int64_t days, int32_t& iso_year, int32_t& week) {
  int dow = day_of_week(days);
  int iso_dow = dow == 0 ? 7 : dow;
  int64_t thursday = days - iso_dow + 4;
  int32_t ty, tm, td;
  civil_from_days(thursday, ty, tm, td);
  iso_year = ty;
  week = static_cast<int32_t>((thursday - days_from_civil(ty, 1, 1)) / 7 + 1);
}

/// Formats a local timestamp; `offset`/`abbrev` describe the zone for timestamptz.
std::string format_timestamp_template(const std::vector<Token>& tokens, int64_t local, std::optional<int32_t> offset,
                                      const std::string& abbrev) {
  DateTimeFields f = split_timestamp(local);
  int64_t days = floor_div(local, kUsecsPerDay);
  int64_t hour = f.time / kUsecsPerHour;
  int64_t minute = (f.time / kUsecsPerMinute) % 60;
  int64_t second = (f.time / kUsecsPerSec) % 60;
  int64_t usec = f.time % kUsecsPerSec;
  int year = display_year(f.year);
  std::string out;
  for (const Token& t : tokens) {
    switch (t.pat) {
      case Pat::kLiteral: out += t.literal; break;
      case Pat::kYCommaYYY: {
        std::string y = std::to_string(year / 1000) + "," ;
        append_number(y, year % 1000, 3, false);
        out += y;
        break;
      }
      case Pat::kYYYY: append_number(out, year, 4, t.fill); break;
      case Pat::kYYY: append_number(out, year % 1000, 3, t.fill); break;
      case Pat::kYY: append_number(out, year % 100, 2, t.fill); break;
      case Pat::kY: append_number(out, year % 10, 1, t.fill); break;
      case Pat::kIYYY: {
        int32_t iy, w;
        iso_week(days, iy, w);
        append_number(out, display_year(iy), 4, t.fill);
        break;
      }
      case Pat::kMM: append_number(out, f.month, 2, t.fill); break;
      case Pat::kDDD: append_number(out, days - days_from_civil(f.year, 1, 1) + 1, 3, t.fill); break;
      case Pat::kDD: append_number(out, f.day, 2, t.fill); break;
      case Pat::kD: append_number(out, day_of_week(days) + 1, 1, t.fill); break;
      case Pat::kID: {
        int d = day_of_week(days);
        append_number(out, d == 0 ? 7 : d, 1, t.fill);
        break;
      }
      case Pat::kHH24: append_number(out, hour, 2, t.fill); break;
      case Pat::kHH12:
      case Pat::kHH: append_number(out, hour % 12 == 0 ? 12 : hour % 12, 2, t.fill); break;
      case Pat::kMI: append_number(out, minute, 2, t.fill); break;
      case Pat::kSS: append_number(out, second, 2, t.fill); break;
      case Pat::kSSSS: append_number(out, f.time / kUsecsPerSec, 1, t.fill); break;
      case Pat::kMS: append_number(out, usec / 1000, 3, t.fill); break;
      case Pat::kUS: append_number(out, usec, 6, t.fill); break;
      case Pat::kAM:
      case Pat::kPM: out += cased(hour >= 12 ? "PM" : "AM", t.text_case == Case::kLower ? Case::kLower : Case::kUpper); break;
      case Pat::kAMDots:
      case Pat::kPMDots:
        out += cased(hour >= 12 ? "P.M." : "A.M.", t.text_case == Case::kLower ? Case::kLower : Case::kUpper);
        break;
      case Pat::kBC:
      case Pat::kAD: out += cased(f.year <= 0 ? "BC" : "AD", t.text_case == Case::kLower ? Case::kLower : Case::kUpper); break;
      case Pat::kBCDots:
      case Pat::kADDots:
        out += cased(f.year <= 0 ? "B.C." : "A.D.", t.text_case == Case::kLower ? Case::kLower : Case::kUpper);
        break;
      case Pat::kMonth: append_text(out, cased(kMonthNames[f.month - 1], t.text_case), 9, t.fill); break;
      case Pat::kMon: out += cased(std::string(kMonthNames[f.month - 1]).substr(0, 3), t.text_case); break;
      case Pat::kDay: append_text(out, cased(kDayNames[day_of_week(days)], t.text_case), 9, t.fill); break;
      case Pat::kDy: out += cased(std::string(kDayNames[day_of_week(days)]).substr(0, 3), t.text_case); break;
      case Pat::kQ: append_number(out, (f.month - 1) / 3 + 1, 1, t.fill); break;
      case Pat::kWW: append_number(out, (days - days_from_civil(f.year, 1, 1)) / 7 + 1, 2, t.fill); break;
      case Pat::kIW: {
        int32_t iy, w;
        iso_week(days, iy, w);
        append_number(out, w, 2, t.fill);
        break;
      }
      case Pat::kCC: {
        int y = f.year > 0 ? f.year : f.year - 1;
        append_number(out, y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100), 2, t.fill);
        break;
      }
      case Pat::kJ: append_number(out, days + 2451545, 1, t.fill); break;
      case Pat::kTZ:
        if (offset) out += t.text_case == Case::kLower ? cased(abbrev, Case::kLower) : abbrev;
        break;
      case Pat::kTZH:
        if (offset) {
          out.push_back(*offset < 0 ? '-' : '+');
          append_number(out, std::abs(*offset) / 3600, 2, t.fill);
        }
        break;
      case Pat::kTZM:
        if (offset) append_number(out, (std::abs(*offset) / 60) % 60, 2, t.fill);
        break;
      case Pat::kOF:
        if (offset) out += format_offset(*offset);
        break;
    }
  }
  return out;
}

std::string format_interval_template(const std::vector<Token>& tokens, const Interval& v) {
  // PostgreSQL formats an interval through its broken-down fields: years, months, days, time.
  int64_t hours = v.micros / kUsecsPerHour;
  int64_t minute = (v.micros / kUsecsPerMinute) % 60;
  int64_t second = (v.micros / kUsecsPerSec) % 60;
  int64_t usec = v.micros % kUsecsPerSec;
  int64_t year = v.months / 12;
  int64_t month = v.months % 12;
  std::string out;
  for (const Token& t : tokens) {
    switch (t.pat) {
      case Pat::kLiteral: out += t.literal; break;
      case Pat::kYYYY: append_number(out, year, 4, t.fill); break;
      case Pat::kYYY: append_number(out, year % 1000, 3, t.fill); break;
      case Pat::kYY: append_number(out, year % 100, 2, t.fill); break;
      case Pat::kY: append_number(out, year % 10, 1, t.fill); break;
      case Pat::kMM: append_number(out, month, 2, t.fill); break;
      case Pat::kDD:
      case Pat::kDDD: append_number(out, v.days, 2, t.fill); break;
      case Pat::kHH24: append_number(out, hours, 2, t.fill); break;
      case Pat::kHH12:
      case Pat::kHH: append_number(out, hours % 12 == 0 ? 12 : hours % 12, 2, t.fill); break;
      case Pat::kMI: append_number(out, minute, 2, t.fill); break;
      case Pat::kSS: append_number(out, second, 2, t.fill); break;
      case Pat::kMS: append_number(out, usec / 1000, 3, t.fill); break;
      case Pat::kUS: append_number(out, usec, 6, t.fill); break;
      case Pat::kSSSS: append_number(out, v.micros / kUsecsPerSec, 1, t.fill); break;
      default:
        throw SqlError(SqlState::kFeatureNotSupported, "this to_char pattern is not supported for interval yet");
    }
  }
  return out;
}

template <bool TZ>
void to_char_ts(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  UnifiedVectorFormat ua, ub;
  args[0]->to_unified(count, ua);
  args[1]->to_unified(count, ub);
  string_t* out = result.mutable_values<string_t>();
  ValidityMask& rv = result.mutable_validity();
  StringHeap& heap = result.string_heap();
  const TimeZone& zone = session_zone();
  for_each_row(sel, count, [&](sel_t r) {
    if (!rv.row_is_valid(r)) return;
    int64_t ts = ua.values<int64_t>()[ua.sel.get_index(r)];
    std::string_view pattern = ub.values<string_t>()[ub.sel.get_index(r)].view();
    if (!timestamp_is_finite(ts) || pattern.empty()) {
      rv.set_invalid(r);
      return;
    }
    std::vector<Token> tokens = compile(pattern);
    std::string s;
    if constexpr (TZ) {
      int32_t offset = zone_offset_at(zone, ts);
      int64_t unix_seconds = floor_div(ts, kUsecsPerSec) + kUnixEpochOffsetSeconds;
      s = format_timestamp_template(tokens, ts + static_cast<int64_t>(offset) * kUsecsPerSec, offset, zone.abbreviation(unix_seconds));
    } else {
      s = format_timestamp_template(tokens, ts, std::nullopt, "");
    }
    out[r] = heap.add(s);
  });
}

void to_char_interval(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  UnifiedVectorFormat ua, ub;
  args[0]->to_unified(count, ua);
  args[1]->to_unified(count, ub);
  string_t* out = result.mutable_values<string_t>();
  ValidityMask& rv = result.mutable_validity();
  StringHeap& heap = result.string_heap();
  for_each_row(sel, count, [&](sel_t r) {
    if (!rv.row_is_valid(r)) return;
    std::string_view pattern = ub.values<string_t>()[ub.sel.get_index(r)].view();
    if (pattern.empty()) {
      rv.set_invalid(r);
      return;
    }
    out[r] = heap.add(format_interval_template(compile(pattern), ua.values<Interval>()[ua.sel.get_index(r)]));
  });
}

// ---- to_date / to_timestamp -------------------------------------------------------------------------

struct Parsed {
  int64_t year = 1;
  bool has_year = false;
  int64_t month = 1;
  int64_t day = 1;
  int64_t doy = 0;
  int64_t hour = 0;
  bool hour12 = false;
  int pm = -1;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t usec = 0;
  bool bc = false;
  std::optional<int32_t> offset;
  int tzh_sign = 1;
};

bool is_separator(char c) { return !std::isalnum(static_cast<unsigned char>(c)); }

[[noreturn]] void bad_value(std::string_view value, const char* pattern) {
  throw SqlError(SqlState::kInvalidDatetimeFormat, "invalid value \"" + std::string(value) + "\" for \"" + pattern + "\"");
}

const char* pattern_name(Pat p) {
  switch (p) {
    case Pat::kYYYY: return "YYYY";
    case Pat::kYYY: return "YYY";
    case Pat::kYY: return "YY";
    case Pat::kY: return "Y";
    case Pat::kMM: return "MM";
    case Pat::kDD: return "DD";
    case Pat::kDDD: return "DDD";
    case Pat::kHH24: return "HH24";
    case Pat::kHH12: return "HH12";
    case Pat::kHH: return "HH";
    case Pat::kMI: return "MI";
    case Pat::kSS: return "SS";
    case Pat::kMS: return "MS";
    case Pat::kUS: return "US";
    case Pat::kMon: return "Mon";
    case Pat::kMonth: return "Month";
    case Pat::kDy: return "Dy";
    case Pat::kDay: return "Day";
    case Pat::kTZH: return "TZH";
    case Pat::kTZM: return "TZM";
    default: return "?";
  }
}

Parsed parse_with_template(std::string_view input, std::string_view pattern) {
  std::vector<Token> tokens = compile(pattern);
  Parsed p;
  size_t i = 0;
  auto skip_spaces = [&]() {
    while (i < input.size() && input[i] == ' ') i++;
  };
  auto read_number = [&](Pat pat, size_t max_digits, bool allow_sign = false) -> int64_t {
    skip_spaces();
    size_t start = i;
    if (allow_sign && i < input.size() && (input[i] == '-' || input[i] == '+')) i++;
    size_t digits_start = i;
    while (i < input.size() && std::isdigit(static_cast<unsigned char>(input[i])) && i - digits_start < max_digits) i++;
    if (i == digits_start) {
      std::string_view rest = input.substr(start, std::min<size_t>(input.size() - start, max_digits));
      bad_value(rest.empty() ? input.substr(start) : rest, pattern_name(pat));
    }
    return std::stoll(std::string(input.substr(start, i - start)));
  };
  auto read_name = [&](const char* const* names, size_t n, bool abbreviated, Pat pat) -> int {
    skip_spaces();
    for (size_t k = 0; k < n; k++) {
      std::string name = abbreviated ? std::string(names[k]).substr(0, 3) : names[k];
      if (starts_with_ci(input, i, cased(name, Case::kUpper))) {
        i += name.size();
        return static_cast<int>(k);
      }
    }
    bad_value(input.substr(i, 3), pattern_name(pat));
  };
  for (size_t k = 0; k < tokens.size(); k++) {
    const Token& t = tokens[k];
    // A field directly followed by another field (no separator: "YYYYMMDD") takes only its
    // own width; before a separator or at the end, a year takes all its digits.
    const bool adjacent = k + 1 < tokens.size() && tokens[k + 1].pat != Pat::kLiteral;
    switch (t.pat) {
      case Pat::kLiteral:
        for (char c : t.literal) {
          if (i >= input.size()) break;
          if (c == ' ') {
            skip_spaces();
          } else if (is_separator(c) ? is_separator(input[i]) : input[i] == c) {
            i++;
          }
        }
        break;
      case Pat::kYYYY:
      case Pat::kYCommaYYY: p.year = read_number(t.pat, adjacent ? 4 : 9); p.has_year = true; break;
      case Pat::kYYY: {
        int64_t y = read_number(t.pat, 3);
        p.year = y < 100 ? y + 2000 : y + 1000;
        p.has_year = true;
        break;
      }
      case Pat::kYY: {
        int64_t y = read_number(t.pat, 2);
        p.year = y < 70 ? y + 2000 : y + 1900;
        p.has_year = true;
        break;
      }
      case Pat::kY: p.year = read_number(t.pat, 1) + 2000; p.has_year = true; break;
      case Pat::kMM: p.month = read_number(t.pat, 2); break;
      case Pat::kDD: p.day = read_number(t.pat, 2); break;
      case Pat::kDDD: p.doy = read_number(t.pat, 3); break;
      case Pat::kHH24: p.hour = read_number(t.pat, 2); break;
      case Pat::kHH12:
      case Pat::kHH: p.hour = read_number(t.pat, 2); p.hour12 = true; break;
      case Pat::kMI: p.minute = read_number(t.pat, 2); break;
      case Pat::kSS: p.second = read_number(t.pat, 2); break;
      case Pat::kMS: {
        size_t before = i;
        int64_t ms = read_number(t.pat, 3);
        size_t digits = i - before;
        while (digits < 3) {
          ms *= 10;
          digits++;
        }
        p.usec += ms * 1000;
        break;
      }
      case Pat::kUS: {
        skip_spaces();
        size_t before = i;
        int64_t us = read_number(t.pat, 6);
        size_t digits = i - before;
        while (digits < 6) {
          us *= 10;
          digits++;
        }
        p.usec += us;
        break;
      }
      case Pat::kAM:
      case Pat::kPM:
      case Pat::kAMDots:
      case Pat::kPMDots: {
        skip_spaces();
        if (starts_with_ci(input, i, "AM") || starts_with_ci(input, i, "PM")) {
          p.pm = starts_with_ci(input, i, "PM") ? 1 : 0;
          i += 2;
        } else if (starts_with_ci(input, i, "A.M.") || starts_with_ci(input, i, "P.M.")) {
          p.pm = starts_with_ci(input, i, "P.M.") ? 1 : 0;
          i += 4;
        } else {
          bad_value(input.substr(i, 2), "AM");
        }
        break;
      }
      case Pat::kBC:
      case Pat::kAD:
        skip_spaces();
        if (starts_with_ci(input, i, "BC")) {
          p.bc = true;
          i += 2;
        } else if (starts_with_ci(input, i, "AD")) {
          i += 2;
        }
        break;
      case Pat::kMonth: p.month = read_name(kMonthNames, 12, false, t.pat) + 1; break;
      case Pat::kMon: p.month = read_name(kMonthNames, 12, true, t.pat) + 1; break;
      case Pat::kDay: read_name(kDayNames, 7, false, t.pat); break;
      case Pat::kDy: read_name(kDayNames, 7, true, t.pat); break;
      case Pat::kTZH: {
        skip_spaces();
        int sign = 1;
        if (i < input.size() && (input[i] == '-' || input[i] == '+')) {
          sign = input[i] == '-' ? -1 : 1;
          i++;
        }
        int64_t h = read_number(t.pat, 2);
        p.tzh_sign = sign;
        p.offset = static_cast<int32_t>(sign * h * 3600);
        break;
      }
      case Pat::kTZM: {
        int64_t m = read_number(t.pat, 2);
        p.offset = p.offset.value_or(0) + static_cast<int32_t>(p.tzh_sign * m * 60);
        break;
      }
      default:
        throw SqlError(SqlState::kFeatureNotSupported, "this template pattern is not supported in to_date/to_timestamp yet");
    }
  }
  return p;
}

/// The local timestamp a parsed template describes; raises 22008 for fields out of range.
int64_t parsed_local(const Parsed& p, std::string_view input) {
  auto overflow = [&]() {
    throw SqlError(SqlState::kDatetimeFieldOverflow, "date/time field value out of range: \"" + std::string(input) + "\"");
  };
  int64_t hour = p.hour;
  if (p.hour12 || p.pm >= 0) {
    if (hour < 1 || hour > 12) {
      throw SqlError(SqlState::kInvalidDatetimeFormat,
                     "hour \"" + std::to_string(hour) + "\" is invalid for the 12-hour clock");
    }
    if (p.pm == 1 && hour != 12) hour += 12;
    if (p.pm != 1 && hour == 12) hour = 0;
  }
  int64_t year = p.year;
  if (p.bc) year = 1 - year;
  if (year == 0 && !p.bc) overflow();
  if (hour > 24 || p.minute > 59 || p.second > 60) overflow();
  int64_t days;
  if (p.doy > 0) {
    days = days_from_civil(year, 1, 1) + p.doy - 1;
  } else {
    if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > days_in_month(year, static_cast<int>(p.month))) overflow();
    days = days_from_civil(year, static_cast<int>(p.month), static_cast<int>(p.day));
  }
  __int128 v = static_cast<__int128>(days) * kUsecsPerDay + hour * kUsecsPerHour + p.minute * kUsecsPerMinute +
               p.second * kUsecsPerSec + p.usec;
  if (!timestamp_in_range(v)) throw SqlError(SqlState::kDatetimeFieldOverflow, "timestamp out of range");
  return static_cast<int64_t>(v);
}

void to_date_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  binary_strict<string_t, string_t, int32_t>(*args[0], *args[1], sel, count, result, [](const string_t& text, const string_t& pattern) {
    Parsed p = parse_with_template(text.view(), pattern.view());
    int64_t days = floor_div(parsed_local(p, text.view()), kUsecsPerDay);
    if (!date_in_range(days)) throw SqlError(SqlState::kDatetimeFieldOverflow, "date out of range: \"" + text.str() + "\"");
    return static_cast<int32_t>(days);
  });
}

void to_timestamp_kernel(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  const TimeZone& zone = session_zone();
  binary_strict<string_t, string_t, int64_t>(*args[0], *args[1], sel, count, result, [&](const string_t& text, const string_t& pattern) {
    Parsed p = parse_with_template(text.view(), pattern.view());
    int64_t local = parsed_local(p, text.view());
    if (p.offset) {
      __int128 v = static_cast<__int128>(local) - static_cast<__int128>(*p.offset) * kUsecsPerSec;
      if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
      return static_cast<int64_t>(v);
    }
    return timestamp_to_timestamptz(local, zone);
  });
}

void to_timestamp_epoch(std::span<const Vector* const> args, const sel_t* sel, size_t count, Vector& result, const FunctionData*) {
  unary_strict<double, int64_t>(*args[0], sel, count, result, [](double seconds) -> int64_t {
    if (std::isnan(seconds)) throw SqlError(SqlState::kDatetimeFieldOverflow, "timestamp cannot be NaN");
    if (std::isinf(seconds)) return seconds > 0 ? kTimestampInfinity : kTimestampNegInfinity;
    double us = std::nearbyint((seconds - static_cast<double>(kUnixEpochOffsetSeconds)) * 1e6);
    if (!(us >= static_cast<double>(kMinTimestamp) && us < static_cast<double>(kEndTimestamp))) {
      throw SqlError(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"" + format_double(seconds) + "\"");
    }
    return static_cast<int64_t>(us);
  });
}

}  // namespace

void register_to_char_functions(catalog::FunctionRegistry& registry) {
  const LogicalType text = LogicalType::varchar();
  registry.add(make_function("to_char", {LogicalType::timestamp(), text}, text, to_char_ts<false>));
  auto tz = make_function("to_char", {LogicalType::timestamptz(), text}, text, to_char_ts<true>);
  tz.volatility = catalog::Volatility::kStable;
  registry.add(std::move(tz));
  registry.add(make_function("to_char", {LogicalType::interval(), text}, text, to_char_interval));
  auto to_date = make_function("to_date", {text, text}, LogicalType::date(), to_date_kernel);
  to_date.volatility = catalog::Volatility::kStable;
  registry.add(std::move(to_date));
  auto to_ts = make_function("to_timestamp", {text, text}, LogicalType::timestamptz(), to_timestamp_kernel);
  to_ts.volatility = catalog::Volatility::kStable;
  registry.add(std::move(to_ts));
  registry.add(make_function("to_timestamp", {LogicalType::double_precision()}, LogicalType::timestamptz(), to_timestamp_epoch));
}

}  // namespace tessera::executor
