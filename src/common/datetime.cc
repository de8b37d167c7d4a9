#include "src/common/datetime.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "src/common/hash.h"
#include "src/common/sql_error.h"

namespace tessera {

uint64_t hash_interval(const Interval& v) {
  __int128 n = v.normalized();
  uint64_t lo = static_cast<uint64_t>(n);
  uint64_t hi = static_cast<uint64_t>(n >> 64);
  return hash_int(lo ^ (hi * 0x9e3779b97f4a7c15ULL));
}

namespace datetime {

// ---- calendar ---------------------------------------------------------------------------------

namespace {
constexpr int64_t kUnixDaysAt2000 = 10957;
}

bool is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 - kUnixDaysAt2000;
}

void civil_from_days(int64_t days, int32_t& year, int32_t& month, int32_t& day) {
  int64_t z = days + kUnixDaysAt2000 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int32_t>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int32_t>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int32_t>(yoe + era * 400 + (month <= 2));
}

int day_of_week(int64_t days) {
  // 2000-01-01 was a Saturday.
  return static_cast<int>(((days % 7) + 7 + 6) % 7);
}

DateTimeFields split_timestamp(int64_t ts) {
  DateTimeFields f;
  int64_t days = floor_div(ts, kUsecsPerDay);
  f.time = ts - days * kUsecsPerDay;
  civil_from_days(days, f.year, f.month, f.day);
  return f;
}

bool make_timestamp(const DateTimeFields& f, int64_t& out) {
  __int128 v = static_cast<__int128>(days_from_civil(f.year, f.month, f.day)) * kUsecsPerDay + f.time;
  if (!timestamp_in_range(v)) return false;
  out = static_cast<int64_t>(v);
  return true;
}

void throw_timestamp_out_of_range() { throw SqlError(SqlState::kDatetimeFieldOverflow, "timestamp out of range"); }
void throw_date_out_of_range() { throw SqlError(SqlState::kDatetimeFieldOverflow, "date out of range"); }
void throw_interval_out_of_range() { throw SqlError(SqlState::kDatetimeFieldOverflow, "interval out of range"); }

// ---- zones --------------------------------------------------------------------------------------

int32_t zone_offset_at(const TimeZone& zone, int64_t ts) {
  return zone.utc_offset(floor_div(ts, kUsecsPerSec) + kUnixEpochOffsetSeconds);
}

int64_t timestamptz_to_local(int64_t ts, const TimeZone& zone) {
  if (!timestamp_is_finite(ts)) return ts;
  return ts + static_cast<int64_t>(zone_offset_at(zone, ts)) * kUsecsPerSec;
}

bool local_to_timestamptz(int64_t local, const TimeZone& zone, int64_t& out) {
  if (!timestamp_is_finite(local)) {
    out = local;
    return true;
  }
  int32_t offset = zone.local_offset(floor_div(local, kUsecsPerSec) + kUnixEpochOffsetSeconds);
  __int128 v = static_cast<__int128>(local) - static_cast<__int128>(offset) * kUsecsPerSec;
  if (!timestamp_in_range(v)) return false;
  out = static_cast<int64_t>(v);
  return true;
}

// ---- output -------------------------------------------------------------------------------------

namespace {

void append_padded(std::string& out, int64_t v, int width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out.push_back('-');
  for (int i = static_cast<int>(digits.size()); i < width; i++) out.push_back('0');
  out += digits;
}

/// "SS[.ffffff]" with trailing zeros of the fraction dropped.
void append_seconds(std::string& out, int64_t usecs) {
  append_padded(out, usecs / kUsecsPerSec, 2);
  int64_t frac = usecs % kUsecsPerSec;
  if (frac == 0) return;
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%06lld", static_cast<long long>(frac));
  int len = 6;
  while (len > 0 && buf[len - 1] == '0') len--;
  out.push_back('.');
  out.append(buf, static_cast<size_t>(len));
}

void append_time(std::string& out, int64_t t) {
  append_padded(out, t / kUsecsPerHour, 2);
  out.push_back(':');
  append_padded(out, (t / kUsecsPerMinute) % 60, 2);
  out.push_back(':');
  append_seconds(out, t % kUsecsPerMinute);
}

/// "YYYY-MM-DD" of a broken-down date, its year shown without the BC suffix.
void append_ymd(std::string& out, int32_t year, int32_t month, int32_t day) {
  append_padded(out, year > 0 ? year : 1 - year, 4);
  out.push_back('-');
  append_padded(out, month, 2);
  out.push_back('-');
  append_padded(out, day, 2);
}

}  // namespace

std::string format_offset(int32_t offset) {
  std::string out;
  out.push_back(offset < 0 ? '-' : '+');
  int32_t a = offset < 0 ? -offset : offset;
  append_padded(out, a / 3600, 2);
  if (a % 3600 != 0) {
    out.push_back(':');
    append_padded(out, (a / 60) % 60, 2);
    if (a % 60 != 0) {
      out.push_back(':');
      append_padded(out, a % 60, 2);
    }
  }
  return out;
}

std::string format_date(int32_t d) {
  if (d == kDateInfinity) return "infinity";
  if (d == kDateNegInfinity) return "-infinity";
  int32_t y, m, day;
  civil_from_days(d, y, m, day);
  std::string out;
  append_ymd(out, y, m, day);
  if (y <= 0) out += " BC";
  return out;
}

std::string format_time(int64_t t) {
  std::string out;
  append_time(out, t);
  return out;
}

std::string format_timestamp(int64_t ts) {
  if (ts == kTimestampInfinity) return "infinity";
  if (ts == kTimestampNegInfinity) return "-infinity";
  DateTimeFields f = split_timestamp(ts);
  std::string out;
  append_ymd(out, f.year, f.month, f.day);
  out.push_back(' ');
  append_time(out, f.time);
  if (f.year <= 0) out += " BC";
  return out;
}

std::string format_timestamptz(int64_t ts, const TimeZone& zone) {
  if (ts == kTimestampInfinity) return "infinity";
  if (ts == kTimestampNegInfinity) return "-infinity";
  int32_t offset = zone_offset_at(zone, ts);
  DateTimeFields f = split_timestamp(ts + static_cast<int64_t>(offset) * kUsecsPerSec);
  std::string out;
  append_ymd(out, f.year, f.month, f.day);
  out.push_back(' ');
  append_time(out, f.time);
  out += format_offset(offset);
  if (f.year <= 0) out += " BC";
  return out;
}

std::string format_interval(const Interval& v) {
  std::string out;
  bool is_zero = true;
  bool is_before = false;
  auto add_part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    if (!is_zero) out.push_back(' ');
    if (is_before && value > 0) out.push_back('+');
    out += std::to_string(value);
    out.push_back(' ');
    out += unit;
    if (value != 1) out.push_back('s');
    is_before = value < 0;
    is_zero = false;
  };
  add_part(v.months / 12, "year");
  add_part(v.months % 12, "mon");
  add_part(v.days, "day");
  int64_t hours = v.micros / kUsecsPerHour;
  int64_t rest = v.micros % kUsecsPerHour;
  int64_t minutes = rest / kUsecsPerMinute;
  int64_t usecs = rest % kUsecsPerMinute;
  if (is_zero || v.micros != 0) {
    bool minus = v.micros < 0;
    if (!is_zero) out.push_back(' ');
    out += minus ? "-" : (is_before ? "+" : "");
    append_padded(out, hours < 0 ? -hours : hours, 2);
    out.push_back(':');
    append_padded(out, minutes < 0 ? -minutes : minutes, 2);
    out.push_back(':');
    append_seconds(out, usecs < 0 ? -usecs : usecs);
  }
  return out;
}

// ---- input --------------------------------------------------------------------------------------

namespace {

enum class Special : uint8_t { kNone, kEpoch, kInfinity, kNegInfinity, kNow, kToday, kTomorrow, kYesterday, kAllballs };

enum class DecodeError : uint8_t { kNone, kBadFormat, kFieldOverflow, kBadZone };

struct Decoded {
  Special special = Special::kNone;
  bool has_date = false;
  int64_t year = 0;
  int month = 0;
  int day = 0;
  bool two_digit_year = false;
  bool bc = false;
  bool has_time = false;
  int64_t time = 0;
  int ampm = 0;  // 1 = AM, 2 = PM
  bool has_zone = false;
  std::optional<int32_t> fixed_offset;
  std::shared_ptr<const TimeZone> zone;
  std::string bad_zone;
};

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string lower_str(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower_char(c);
  return out;
}

int month_from_name(std::string_view word) {
  static constexpr const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                            "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3) return 0;
  for (int i = 0; i < 12; i++) {
    std::string_view full = kMonths[i];
    if (word == full || word == full.substr(0, 3) || (word == "sept" && i == 8)) return i + 1;
  }
  return 0;
}

bool is_day_name(std::string_view word) {
  static constexpr const char* kDays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                          "tues",   "wednes", "thur",    "thurs"};
  for (const char* d : kDays) {
    std::string_view full = d;
    if (word == full || (full.size() > 5 && word == full.substr(0, 3))) return true;
  }
  return false;
}

/// Parses digits (all of `s`) into v; false on non-digits, empty or overflow.
bool parse_digits(std::string_view s, int64_t& v) {
  if (s.empty() || s.size() > 15) return false;
  v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  return true;
}

/// ".fff" -> microseconds, rounded; `s` without the dot.
bool parse_fraction(std::string_view s, int64_t& usecs) {
  if (s.empty()) {
    usecs = 0;
    return true;
  }
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  double f = std::strtod(("0." + std::string(s)).c_str(), nullptr);
  usecs = static_cast<int64_t>(std::nearbyint(f * 1e6));
  return true;
}

/// "H:M[:S[.f]]" -> microseconds; hour may be 24 only for exactly 24:00:00.
DecodeError parse_time_field(std::string_view s, int64_t& out) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); i++) {
    if (i == s.size() || s[i] == ':') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() < 2 || parts.size() > 3) return DecodeError::kBadFormat;
  int64_t h, m, sec = 0, frac = 0;
  if (!parse_digits(parts[0], h)) return DecodeError::kBadFormat;
  std::string_view minute_part = parts[1];
  std::string_view second_part = parts.size() == 3 ? parts[2] : std::string_view();
  if (parts.size() == 2) {
    size_t dot = minute_part.find('.');
    if (dot != std::string_view::npos) {
      // "MM:SS.f"
      int64_t mm;
      if (!parse_digits(parts[0], mm) || !parse_digits(minute_part.substr(0, dot), sec) ||
          !parse_fraction(minute_part.substr(dot + 1), frac)) {
        return DecodeError::kBadFormat;
      }
      if (mm > 59 || sec > 60) return DecodeError::kFieldOverflow;
      out = mm * kUsecsPerMinute + sec * kUsecsPerSec + frac;
      return DecodeError::kNone;
    }
  }
  if (!parse_digits(minute_part, m)) return DecodeError::kBadFormat;
  if (!second_part.empty() || parts.size() == 3) {
    size_t dot = second_part.find('.');
    std::string_view whole = second_part.substr(0, dot);
    if (whole.empty() && dot == std::string_view::npos) return DecodeError::kBadFormat;
    if (!whole.empty() && !parse_digits(whole, sec)) return DecodeError::kBadFormat;
    if (dot != std::string_view::npos && !parse_fraction(second_part.substr(dot + 1), frac)) return DecodeError::kBadFormat;
  }
  if (h < 0 || m < 0 || m > 59 || sec < 0 || sec > 60 || h > 24) return DecodeError::kFieldOverflow;
  int64_t total = h * kUsecsPerHour + m * kUsecsPerMinute + sec * kUsecsPerSec + frac;
  if (total > kUsecsPerDay) return DecodeError::kFieldOverflow;
  out = total;
  return DecodeError::kNone;
}

/// "+HH", "+HHMM", "+HH:MM", "+HH:MM:SS" after the sign; offset east in seconds.
DecodeError parse_offset(std::string_view s, int sign, int32_t& out) {
  int64_t h = 0, m = 0, sec = 0;
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    int64_t v;
    if (!parse_digits(s, v)) return DecodeError::kBadFormat;
    if (s.size() <= 2) {
      h = v;
    } else if (s.size() <= 4) {
      h = v / 100;
      m = v % 100;
    } else if (s.size() <= 6) {
      h = v / 10000;
      m = (v / 100) % 100;
      sec = v % 100;
    } else {
      return DecodeError::kBadFormat;
    }
  } else {
    if (!parse_digits(s.substr(0, colon), h)) return DecodeError::kBadFormat;
    std::string_view rest = s.substr(colon + 1);
    size_t colon2 = rest.find(':');
    if (!parse_digits(rest.substr(0, colon2), m)) return DecodeError::kBadFormat;
    if (colon2 != std::string_view::npos && !parse_digits(rest.substr(colon2 + 1), sec)) return DecodeError::kBadFormat;
  }
  if (h > 15 || m > 59 || sec > 59) return DecodeError::kFieldOverflow;
  out = static_cast<int32_t>(sign * (h * 3600 + m * 60 + sec));
  return DecodeError::kNone;
}

struct Field {
  enum Kind { kNumber, kDate, kTime, kWord, kSigned } kind;
  std::string text;  // lower-cased for words
  int sign = 1;      // kSigned
};

bool tokenize(std::string_view s, std::vector<Field>& fields) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c) || c == ',') {
      i++;
      continue;
    }
    if (is_digit(c)) {
      size_t start = i;
      while (i < s.size() && is_digit(s[i])) i++;
      if (i < s.size() && s[i] == ':') {
        while (i < s.size() && (is_digit(s[i]) || s[i] == ':' || s[i] == '.')) i++;
        fields.push_back({Field::kTime, std::string(s.substr(start, i - start))});
        continue;
      }
      if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
        char sep = s[i];
        // "2024.5" with one dot and nothing after it like a date is a decimal number.
        while (i < s.size() && s[i] == sep) {
          i++;
          if (i < s.size() && is_digit(s[i])) {
            while (i < s.size() && is_digit(s[i])) i++;
          } else if (i < s.size() && is_alpha(s[i])) {
            while (i < s.size() && is_alpha(s[i])) i++;
          } else {
            return false;
          }
        }
        std::string text(s.substr(start, i - start));
        if (sep == '.' && std::count(text.begin(), text.end(), '.') == 1) {
          fields.push_back({Field::kNumber, text});
        } else {
          fields.push_back({Field::kDate, lower_str(text)});
        }
        continue;
      }
      fields.push_back({Field::kNumber, std::string(s.substr(start, i - start))});
      continue;
    }
    if (c == '.' && i + 1 < s.size() && is_digit(s[i + 1])) {
      size_t start = i++;
      while (i < s.size() && is_digit(s[i])) i++;
      fields.push_back({Field::kNumber, std::string(s.substr(start, i - start))});
      continue;
    }
    if (is_alpha(c)) {
      size_t start = i;
      while (i < s.size() && is_alpha(s[i])) i++;
      if (i < s.size() && (s[i] == '/' || s[i] == '_')) {
        while (i < s.size() && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '/' || s[i] == '_' || s[i] == '+' || s[i] == '-')) i++;
      } else if (i < s.size() && s[i] == '-' && i + 1 < s.size() && is_alpha(s[i + 1])) {
        // "Jan-08-1999" style dates start with a month name.
      }
      std::string word = lower_str(s.substr(start, i - start));
      if (i < s.size() && (s[i] == '-' || s[i] == '/') && i + 1 < s.size() && is_digit(s[i + 1]) && month_from_name(word)) {
        // "Jan-08-1999": a date field starting with a month name.
        char sep = s[i];
        while (i < s.size() && s[i] == sep) {
          i++;
          size_t part = i;
          while (i < s.size() && (is_digit(s[i]) || is_alpha(s[i]))) i++;
          if (i == part) return false;
        }
        fields.push_back({Field::kDate, lower_str(s.substr(start, i - start))});
        continue;
      }
      fields.push_back({Field::kWord, word});
      continue;
    }
    if (c == '+' || c == '-') {
      int sign = c == '-' ? -1 : 1;
      i++;
      size_t start = i;
      if (i < s.size() && is_alpha(s[i])) {
        while (i < s.size() && is_alpha(s[i])) i++;
        fields.push_back({Field::kWord, (sign < 0 ? "-" : "+") + lower_str(s.substr(start, i - start))});
        continue;
      }
      while (i < s.size() && (is_digit(s[i]) || s[i] == ':')) i++;
      if (i == start) return false;
      fields.push_back({Field::kSigned, std::string(s.substr(start, i - start)), sign});
      continue;
    }
    return false;
  }
  return true;
}

/// Applies one numeric date part to the fields in MDY order.
DecodeError set_date_parts(Decoded& d, const std::vector<std::string>& parts) {
  if (parts.size() != 3) return DecodeError::kBadFormat;
  int name_index = -1;
  for (int i = 0; i < 3; i++) {
    if (!parts[i].empty() && is_alpha(parts[i][0])) {
      if (name_index >= 0) return DecodeError::kBadFormat;
      name_index = i;
    }
  }
  int64_t v[3] = {0, 0, 0};
  for (int i = 0; i < 3; i++) {
    if (i == name_index) continue;
    if (!parse_digits(parts[i], v[i])) return DecodeError::kBadFormat;
  }
  auto year_from = [&](int i) {
    d.year = v[i];
    d.two_digit_year = parts[i].size() == 2;
  };
  if (name_index >= 0) {
    int month = month_from_name(parts[name_index]);
    if (month == 0) return DecodeError::kBadFormat;
    d.month = month;
    if (name_index == 0) {  // Mon-DD-YYYY
      d.day = static_cast<int>(v[1]);
      year_from(2);
    } else if (name_index == 1) {
      if (parts[0].size() > 2) {  // YYYY-Mon-DD
        year_from(0);
        d.day = static_cast<int>(v[2]);
      } else {  // DD-Mon-YYYY
        d.day = static_cast<int>(v[0]);
        year_from(2);
      }
    } else {
      return DecodeError::kBadFormat;
    }
  } else if (parts[0].size() > 2) {  // YYYY-MM-DD
    year_from(0);
    if (v[1] > 12 || v[2] > 31) return DecodeError::kFieldOverflow;
    d.month = static_cast<int>(v[1]);
    d.day = static_cast<int>(v[2]);
  } else {  // MM-DD-YYYY (DateStyle MDY)
    if (v[0] > 12 || v[1] > 31) return DecodeError::kFieldOverflow;
    d.month = static_cast<int>(v[0]);
    d.day = static_cast<int>(v[1]);
    year_from(2);
  }
  d.has_date = true;
  return DecodeError::kNone;
}

Special special_of(std::string_view word) {
  if (word == "epoch") return Special::kEpoch;
  if (word == "infinity" || word == "+infinity") return Special::kInfinity;
  if (word == "-infinity") return Special::kNegInfinity;
  if (word == "now") return Special::kNow;
  if (word == "today") return Special::kToday;
  if (word == "tomorrow") return Special::kTomorrow;
  if (word == "yesterday") return Special::kYesterday;
  if (word == "allballs") return Special::kAllballs;
  return Special::kNone;
}

DecodeError decode(std::string_view text, Decoded& d) {
  std::vector<Field> fields;
  if (!tokenize(text, fields) || fields.empty()) return DecodeError::kBadFormat;
  std::vector<int64_t> loose;  // plain numbers not yet placed
  std::vector<size_t> loose_sizes;
  bool month_named = false;
  for (size_t i = 0; i < fields.size(); i++) {
    Field& f = fields[i];
    switch (f.kind) {
      case Field::kDate: {
        if (d.has_date) return DecodeError::kBadFormat;
        std::vector<std::string> parts;
        std::string cur;
        for (char c : f.text) {
          if (c == '-' || c == '/' || c == '.') {
            parts.push_back(cur);
            cur.clear();
          } else {
            cur.push_back(c);
          }
        }
        parts.push_back(cur);
        DecodeError e = set_date_parts(d, parts);
        if (e != DecodeError::kNone) return e;
        break;
      }
      case Field::kTime: {
        if (d.has_time) return DecodeError::kBadFormat;
        DecodeError e = parse_time_field(f.text, d.time);
        if (e != DecodeError::kNone) return e;
        d.has_time = true;
        break;
      }
      case Field::kSigned: {
        if (!(d.has_time || d.has_date) || d.has_zone) return DecodeError::kBadFormat;
        int32_t off;
        DecodeError e = parse_offset(f.text, f.sign, off);
        if (e != DecodeError::kNone) return e;
        d.has_zone = true;
        d.fixed_offset = off;
        break;
      }
      case Field::kNumber: {
        const std::string& t = f.text;
        size_t dot = t.find('.');
        if (dot != std::string::npos) {
          // "YYYYMMDD.hhmmss"-style and decimal numbers are not dates.
          return DecodeError::kBadFormat;
        }
        if (!d.has_date && !month_named && loose.empty() && (t.size() == 8 || t.size() == 6)) {
          int64_t v = 0;
          parse_digits(t, v);
          int64_t y = t.size() == 8 ? v / 10000 : v / 10000;
          d.year = y;
          d.two_digit_year = t.size() == 6;
          d.month = static_cast<int>((v / 100) % 100);
          d.day = static_cast<int>(v % 100);
          d.has_date = true;
          if (d.month > 12 || d.day > 31) return DecodeError::kFieldOverflow;
          break;
        }
        if (d.has_date && !d.has_time && (t.size() == 6 || t.size() == 4) && i > 0 && fields[i - 1].kind == Field::kWord &&
            fields[i - 1].text == "t") {
          int64_t v = 0;
          parse_digits(t, v);
          int64_t h = t.size() == 6 ? v / 10000 : v / 100;
          int64_t m = t.size() == 6 ? (v / 100) % 100 : v % 100;
          int64_t s = t.size() == 6 ? v % 100 : 0;
          if (h > 24 || m > 59 || s > 60) return DecodeError::kFieldOverflow;
          d.time = h * kUsecsPerHour + m * kUsecsPerMinute + s * kUsecsPerSec;
          d.has_time = true;
          break;
        }
        int64_t v;
        if (!parse_digits(t, v)) return DecodeError::kBadFormat;
        loose.push_back(v);
        loose_sizes.push_back(t.size());
        break;
      }
      case Field::kWord: {
        const std::string& w = f.text;
        Special sp = special_of(w);
        if (sp != Special::kNone) {
          if (d.special != Special::kNone) return DecodeError::kBadFormat;
          d.special = sp;
          break;
        }
        if (w == "t" && d.has_date) break;  // ISO 8601 date/time separator
        if (w == "am" || w == "a.m" || w == "pm") {
          if (d.ampm) return DecodeError::kBadFormat;
          d.ampm = w == "pm" ? 2 : 1;
          break;
        }
        if (w == "bc" || w == "ad") {
          if (w == "bc") d.bc = true;
          break;
        }
        if (w == "at" || w == "on") break;
        int month = month_from_name(w);
        if (month && !d.has_date && !month_named) {
          d.month = month;
          month_named = true;
          break;
        }
        if (is_day_name(w)) break;
        if (w == "z" || w == "zulu" || w == "utc" || w == "gmt" || w == "ut") {
          if (d.has_zone) return DecodeError::kBadFormat;
          d.has_zone = true;
          d.fixed_offset = 0;
          break;
        }
        // A zone name (IANA or an abbreviation with a file of its own, like EST).
        if (d.has_zone) return DecodeError::kBadFormat;
        auto zone = find_time_zone(w);
        if (!zone) {
          if (w.find('/') == std::string::npos) return DecodeError::kBadFormat;
          d.bad_zone = w;
          return DecodeError::kBadZone;
        }
        d.has_zone = true;
        d.zone = zone;
        // A UTC offset right after the zone name ("UTC+3") is not supported in input.
        break;
      }
    }
  }
  // Place loose numbers: with a named month they are day and year; alone, a year.
  if (!loose.empty()) {
    if (d.has_date) return DecodeError::kBadFormat;
    if (month_named) {
      if (loose.size() != 2) return DecodeError::kBadFormat;
      size_t year_index = (loose_sizes[0] > 2 || loose[0] > 31) ? 0 : 1;
      d.year = loose[year_index];
      d.two_digit_year = loose_sizes[year_index] == 2;
      d.day = static_cast<int>(loose[1 - year_index]);
      d.has_date = true;
    } else {
      return DecodeError::kBadFormat;
    }
  } else if (month_named) {
    return DecodeError::kBadFormat;
  }
  if (d.has_date) {
    if (d.two_digit_year && !d.bc) d.year += d.year < 70 ? 2000 : 1900;
    if (d.year == 0 && !d.two_digit_year) return DecodeError::kFieldOverflow;
    if (d.bc) {
      if (d.year <= 0) return DecodeError::kFieldOverflow;
      d.year = 1 - d.year;
    }
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) return DecodeError::kFieldOverflow;
  } else if (d.bc) {
    return DecodeError::kBadFormat;
  }
  if (d.ampm) {
    if (!d.has_time) return DecodeError::kBadFormat;
    int64_t hour = d.time / kUsecsPerHour;
    if (hour > 12) return DecodeError::kFieldOverflow;
    if (d.ampm == 1 && hour == 12) d.time -= 12 * kUsecsPerHour;
    if (d.ampm == 2 && hour != 12) d.time += 12 * kUsecsPerHour;
  }
  if (d.has_time && d.time > kUsecsPerDay) return DecodeError::kFieldOverflow;
  if (d.special != Special::kNone && (d.has_date || (d.has_time && d.special != Special::kToday &&
                                                     d.special != Special::kTomorrow && d.special != Special::kYesterday))) {
    if (!(d.special == Special::kAllballs)) return DecodeError::kBadFormat;
  }
  return DecodeError::kNone;
}

[[noreturn]] void raise(DecodeError e, std::string_view type_name, std::string_view text, const Decoded& d) {
  switch (e) {
    case DecodeError::kFieldOverflow:
      throw SqlError(SqlState::kDatetimeFieldOverflow, "date/time field value out of range: \"" + std::string(text) + "\"");
    case DecodeError::kBadZone:
      throw SqlError(SqlState::kInvalidParameterValue, "time zone \"" + d.bad_zone + "\" not recognized");
    default:
      throw SqlError(SqlState::kInvalidDatetimeFormat,
                     "invalid input syntax for type " + std::string(type_name) + ": \"" + std::string(text) + "\"");
  }
}

Decoded decode_or_throw(std::string_view text, std::string_view type_name) {
  Decoded d;
  DecodeError e = decode(text, d);
  if (e != DecodeError::kNone) raise(e, type_name, text, d);
  return d;
}

const TimeZone& session_zone() { return current_time_zone(); }

/// Midnight of the transaction's date in the session zone, as a local timestamp.
int64_t local_today() {
  int64_t local = timestamptz_to_local(current_datetime_context().transaction_timestamp, session_zone());
  return floor_div(local, kUsecsPerDay) * kUsecsPerDay;
}

/// The local timestamp of a decoded value (fields or a special), `allow_special_time` for
/// 'today 10:00'. nullopt for infinity (handled by callers).
int64_t local_timestamp_of(const Decoded& d, std::string_view text, const char* type_name, const char* range_name) {
  int64_t base;
  switch (d.special) {
    case Special::kEpoch: return -kUnixEpochOffsetSeconds * kUsecsPerSec;
    case Special::kNow: return timestamptz_to_local(current_datetime_context().transaction_timestamp, session_zone());
    case Special::kToday: base = local_today(); break;
    case Special::kTomorrow: base = local_today() + kUsecsPerDay; break;
    case Special::kYesterday: base = local_today() - kUsecsPerDay; break;
    case Special::kNone: {
      if (!d.has_date) raise(DecodeError::kBadFormat, type_name, text, d);
      DateTimeFields f{static_cast<int32_t>(d.year), d.month, d.day, d.has_time ? d.time : 0};
      if (d.year > 300000 || d.year < -5000) {
        throw SqlError(SqlState::kDatetimeFieldOverflow, std::string(range_name) + " out of range: \"" + std::string(text) + "\"");
      }
      int64_t out;
      if (!make_timestamp(f, out)) {
        throw SqlError(SqlState::kDatetimeFieldOverflow, std::string(range_name) + " out of range: \"" + std::string(text) + "\"");
      }
      return out;
    }
    default: raise(DecodeError::kBadFormat, type_name, text, d);
  }
  return base + (d.has_time ? d.time : 0);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

int32_t parse_date(std::string_view text) {
  Decoded d = decode_or_throw(text, "date");
  switch (d.special) {
    case Special::kInfinity: return kDateInfinity;
    case Special::kNegInfinity: return kDateNegInfinity;
    case Special::kEpoch: return static_cast<int32_t>(-kUnixEpochOffsetSeconds / 86400);
    case Special::kAllballs: raise(DecodeError::kBadFormat, "date", text, d);
    case Special::kNow:
    case Special::kToday: return static_cast<int32_t>(floor_div(local_today(), kUsecsPerDay));
    case Special::kTomorrow: return static_cast<int32_t>(floor_div(local_today(), kUsecsPerDay) + 1);
    case Special::kYesterday: return static_cast<int32_t>(floor_div(local_today(), kUsecsPerDay) - 1);
    case Special::kNone: break;
  }
  if (!d.has_date) raise(DecodeError::kBadFormat, "date", text, d);
  int64_t days = days_from_civil(d.year, d.month, d.day);
  if (!date_in_range(days)) throw SqlError(SqlState::kDatetimeFieldOverflow, "date out of range: \"" + std::string(text) + "\"");
  return static_cast<int32_t>(days);
}

int64_t parse_time(std::string_view text) {
  Decoded d = decode_or_throw(text, "time");
  if (d.special == Special::kAllballs) return 0;
  if (d.special == Special::kNow) {
    int64_t local = timestamptz_to_local(current_datetime_context().transaction_timestamp, session_zone());
    return local - floor_div(local, kUsecsPerDay) * kUsecsPerDay;
  }
  if (d.special != Special::kNone || !d.has_time) raise(DecodeError::kBadFormat, "time", text, d);
  return d.time;
}

int64_t parse_timestamp(std::string_view text) {
  Decoded d = decode_or_throw(text, "timestamp");
  if (d.special == Special::kInfinity) return kTimestampInfinity;
  if (d.special == Special::kNegInfinity) return kTimestampNegInfinity;
  if (d.special == Special::kAllballs) raise(DecodeError::kBadFormat, "timestamp", text, d);
  return local_timestamp_of(d, text, "timestamp", "timestamp");
}

int64_t parse_timestamptz(std::string_view text) {
  const char* type_name = "timestamp with time zone";
  Decoded d = decode_or_throw(text, type_name);
  if (d.special == Special::kInfinity) return kTimestampInfinity;
  if (d.special == Special::kNegInfinity) return kTimestampNegInfinity;
  if (d.special == Special::kAllballs) raise(DecodeError::kBadFormat, type_name, text, d);
  if (d.special == Special::kNow) return current_datetime_context().transaction_timestamp;
  if (d.special == Special::kEpoch) return -kUnixEpochOffsetSeconds * kUsecsPerSec;
  int64_t local = local_timestamp_of(d, text, type_name, "timestamp");
  int64_t out;
  bool ok;
  if (d.fixed_offset) {
    __int128 v = static_cast<__int128>(local) - static_cast<__int128>(*d.fixed_offset) * kUsecsPerSec;
    ok = timestamp_in_range(v);
    out = ok ? static_cast<int64_t>(v) : 0;
  } else {
    ok = local_to_timestamptz(local, d.zone ? *d.zone : session_zone(), out);
  }
  if (!ok) throw SqlError(SqlState::kDatetimeFieldOverflow, "timestamp out of range: \"" + std::string(text) + "\"");
  return out;
}

// ---- interval input -------------------------------------------------------------------------------

namespace {

enum class Unit : uint8_t { kNone, kMicro, kMilli, kSecond, kMinute, kHour, kDay, kWeek, kMonth, kYear, kDecade, kCentury, kMillennium };

Unit unit_from_word(std::string_view w) {
  struct Entry {
    const char* name;
    Unit unit;
  };
  static constexpr Entry kUnits[] = {
      {"microsecond", Unit::kMicro}, {"microseconds", Unit::kMicro}, {"microsecon", Unit::kMicro}, {"us", Unit::kMicro},
      {"usec", Unit::kMicro},        {"usecs", Unit::kMicro},        {"useconds", Unit::kMicro},   {"usecond", Unit::kMicro},
      {"millisecond", Unit::kMilli}, {"milliseconds", Unit::kMilli}, {"millisecon", Unit::kMilli}, {"ms", Unit::kMilli},
      {"msec", Unit::kMilli},        {"msecs", Unit::kMilli},        {"mseconds", Unit::kMilli},   {"msecond", Unit::kMilli},
      {"second", Unit::kSecond},     {"seconds", Unit::kSecond},     {"sec", Unit::kSecond},       {"secs", Unit::kSecond},
      {"s", Unit::kSecond},          {"minute", Unit::kMinute},      {"minutes", Unit::kMinute},   {"min", Unit::kMinute},
      {"mins", Unit::kMinute},       {"m", Unit::kMinute},           {"hour", Unit::kHour},        {"hours", Unit::kHour},
      {"hr", Unit::kHour},           {"hrs", Unit::kHour},           {"h", Unit::kHour},           {"day", Unit::kDay},
      {"days", Unit::kDay},          {"d", Unit::kDay},              {"week", Unit::kWeek},        {"weeks", Unit::kWeek},
      {"w", Unit::kWeek},            {"month", Unit::kMonth},        {"months", Unit::kMonth},     {"mon", Unit::kMonth},
      {"mons", Unit::kMonth},        {"year", Unit::kYear},          {"years", Unit::kYear},       {"yr", Unit::kYear},
      {"yrs", Unit::kYear},          {"y", Unit::kYear},             {"decade", Unit::kDecade},    {"decades", Unit::kDecade},
      {"dec", Unit::kDecade},        {"decs", Unit::kDecade},        {"century", Unit::kCentury},  {"centuries", Unit::kCentury},
      {"cent", Unit::kCentury},      {"c", Unit::kCentury},          {"millennium", Unit::kMillennium},
      {"millennia", Unit::kMillennium}, {"mil", Unit::kMillennium},  {"mils", Unit::kMillennium},
  };
  for (const auto& e : kUnits) {
    if (w == e.name) return e.unit;
  }
  return Unit::kNone;
}

struct IntervalAccumulator {
  __int128 months = 0;
  __int128 days = 0;
  __int128 micros = 0;
  bool overflow = false;

  /// Adds `whole` + `frac` units (frac carries the same sign), cascading fractions down as
  /// PostgreSQL 15 does: fractional years to whole months, months to days (30 per month) and
  /// days to microseconds.
  void add(Unit unit, int64_t whole, double frac) {
    auto add_days_frac = [&](double f) {
      double days_f = f;
      int64_t whole_days = static_cast<int64_t>(days_f);
      days += whole_days;
      micros += static_cast<int64_t>(std::nearbyint((days_f - static_cast<double>(whole_days)) * kUsecsPerDay));
    };
    switch (unit) {
      case Unit::kMicro: micros += whole; micros += static_cast<int64_t>(std::nearbyint(frac)); break;
      case Unit::kMilli:
        micros += static_cast<__int128>(whole) * 1000;
        micros += static_cast<int64_t>(std::nearbyint(frac * 1000));
        break;
      case Unit::kSecond:
        micros += static_cast<__int128>(whole) * kUsecsPerSec;
        micros += static_cast<int64_t>(std::nearbyint(frac * kUsecsPerSec));
        break;
      case Unit::kMinute:
        micros += static_cast<__int128>(whole) * kUsecsPerMinute;
        micros += static_cast<int64_t>(std::nearbyint(frac * kUsecsPerMinute));
        break;
      case Unit::kHour:
        micros += static_cast<__int128>(whole) * kUsecsPerHour;
        micros += static_cast<int64_t>(std::nearbyint(frac * kUsecsPerHour));
        break;
      case Unit::kDay:
        days += whole;
        micros += static_cast<int64_t>(std::nearbyint(frac * kUsecsPerDay));
        break;
      case Unit::kWeek:
        days += static_cast<__int128>(whole) * 7;
        add_days_frac(frac * 7);
        break;
      case Unit::kMonth:
        months += whole;
        add_days_frac(frac * 30);
        break;
      case Unit::kYear:
        months += static_cast<__int128>(whole) * 12;
        months += static_cast<int64_t>(std::nearbyint(frac * 12));
        break;
      case Unit::kDecade:
        months += static_cast<__int128>(whole) * 120;
        months += static_cast<int64_t>(std::nearbyint(frac * 120));
        break;
      case Unit::kCentury:
        months += static_cast<__int128>(whole) * 1200;
        months += static_cast<int64_t>(std::nearbyint(frac * 1200));
        break;
      case Unit::kMillennium:
        months += static_cast<__int128>(whole) * 12000;
        months += static_cast<int64_t>(std::nearbyint(frac * 12000));
        break;
      case Unit::kNone: break;
    }
    if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN || micros > INT64_MAX ||
        micros < INT64_MIN) {
      overflow = true;
    }
  }
};

/// Splits "[-+]digits[.digits]" into whole and fraction (same sign). False when not a number.
bool split_number(std::string_view s, int64_t& whole, double& frac) {
  int sign = 1;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') sign = -1;
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  size_t dot = s.find('.');
  std::string_view w = s.substr(0, dot);
  std::string_view f = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (w.empty() && f.empty()) return false;
  int64_t wv = 0;
  if (!w.empty()) {
    if (w.size() > 18) return false;
    for (char c : w) {
      if (!is_digit(c)) return false;
      wv = wv * 10 + (c - '0');
    }
  }
  for (char c : f) {
    if (!is_digit(c)) return false;
  }
  double fv = f.empty() ? 0 : std::strtod(("0." + std::string(f)).c_str(), nullptr);
  whole = sign * wv;
  frac = sign * fv;
  return true;
}

Unit range_unit(std::string_view range) {
  // The last field of the restriction names a bare number's unit ("day to hour" -> hour).
  size_t to = range.rfind(' ');
  std::string_view last = to == std::string_view::npos ? range : range.substr(to + 1);
  if (last == "year") return Unit::kYear;
  if (last == "month") return Unit::kMonth;
  if (last == "day") return Unit::kDay;
  if (last == "hour") return Unit::kHour;
  if (last == "minute") return Unit::kMinute;
  return Unit::kSecond;
}

/// ISO 8601 "P1Y2M3DT4H5M6S" / "P1W"; false when malformed.
bool parse_iso_interval(std::string_view s, IntervalAccumulator& acc) {
  bool in_time = false;
  size_t i = 1;
  if (i == s.size()) return false;
  while (i < s.size()) {
    if (s[i] == 't' || s[i] == 'T') {
      if (in_time) return false;
      in_time = true;
      i++;
      continue;
    }
    size_t start = i;
    if (s[i] == '-' || s[i] == '+') i++;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) i++;
    if (i == start || i == s.size()) return false;
    int64_t whole;
    double frac;
    if (!split_number(s.substr(start, i - start), whole, frac)) return false;
    char u = lower_char(s[i++]);
    Unit unit;
    if (!in_time) {
      unit = u == 'y' ? Unit::kYear : u == 'm' ? Unit::kMonth : u == 'w' ? Unit::kWeek : u == 'd' ? Unit::kDay : Unit::kNone;
    } else {
      unit = u == 'h' ? Unit::kHour : u == 'm' ? Unit::kMinute : u == 's' ? Unit::kSecond : Unit::kNone;
    }
    if (unit == Unit::kNone) return false;
    acc.add(unit, whole, frac);
  }
  return true;
}

void truncate_to_range(Interval& v, std::string_view range) {
  if (range.empty()) return;
  Unit last = range_unit(range);
  switch (last) {
    case Unit::kYear: v.months = (v.months / 12) * 12; v.days = 0; v.micros = 0; break;
    case Unit::kMonth: v.days = 0; v.micros = 0; break;
    case Unit::kDay: v.micros = 0; break;
    case Unit::kHour: v.micros = (v.micros / kUsecsPerHour) * kUsecsPerHour; break;
    case Unit::kMinute: v.micros = (v.micros / kUsecsPerMinute) * kUsecsPerMinute; break;
    default: break;
  }
}

}  // namespace

Interval parse_interval(std::string_view text, std::string_view range) {
  auto bad = [&]() -> Interval {
    throw SqlError(SqlState::kInvalidDatetimeFormat, "invalid input syntax for type interval: \"" + std::string(text) + "\"");
  };
  auto overflow = [&]() -> Interval {
    throw SqlError(SqlState::kIntervalFieldOverflow, "interval field value out of range: \"" + std::string(text) + "\"");
  };
  std::string_view s = trim(text);
  IntervalAccumulator acc;
  if (!s.empty() && (s[0] == 'P' || s[0] == 'p')) {
    if (!parse_iso_interval(s, acc)) return bad();
  } else {
    // Words and numbers separated by spaces; a number may carry its unit ("1day").
    std::vector<std::string> tokens;
    size_t i = 0;
    while (i < s.size()) {
      if (is_space(s[i]) || s[i] == ',') {
        i++;
        continue;
      }
      size_t start = i;
      if (is_alpha(s[i])) {
        while (i < s.size() && is_alpha(s[i])) i++;
      } else if (s[i] == '@') {
        i++;
      } else {
        while (i < s.size() && !is_space(s[i]) && !is_alpha(s[i])) i++;
      }
      tokens.push_back(lower_str(s.substr(start, i - start)));
    }
    if (tokens.empty()) return bad();
    bool ago = false;
    bool any = false;
    Unit bare_unit = range.empty() ? Unit::kSecond : range_unit(range);
    for (size_t t = 0; t < tokens.size(); t++) {
      const std::string& tok = tokens[t];
      if (tok == "@") {
        if (t != 0) return bad();
        continue;
      }
      if (tok == "ago") {
        if (t + 1 != tokens.size() || ago) return bad();
        ago = true;
        continue;
      }
      if (is_alpha(tok[0])) return bad();
      if (tok.find(':') != std::string::npos) {
        // [-+]H:M[:S[.f]]
        int sign = 1;
        std::string_view body = tok;
        if (body[0] == '-' || body[0] == '+') {
          sign = body[0] == '-' ? -1 : 1;
          body.remove_prefix(1);
        }
        // Hours may exceed 24 in an interval.
        std::vector<std::string_view> parts;
        size_t st = 0;
        for (size_t k = 0; k <= body.size(); k++) {
          if (k == body.size() || body[k] == ':') {
            parts.push_back(body.substr(st, k - st));
            st = k + 1;
          }
        }
        if (parts.size() < 2 || parts.size() > 3) return bad();
        int64_t h = 0, m = 0, sec_whole = 0;
        double sec_frac = 0;
        if (parts.size() == 2 && parts[1].find('.') != std::string_view::npos) {
          // MM:SS.f
          if (!parse_digits(parts[0], m) || !split_number(parts[1], sec_whole, sec_frac)) return bad();
        } else {
          if (!parse_digits(parts[0], h) || !parse_digits(parts[1], m)) return bad();
          if (parts.size() == 3 && !split_number(parts[2], sec_whole, sec_frac)) return bad();
        }
        if (m > 59 || sec_whole > 59) return overflow();
        acc.add(Unit::kHour, sign * h, 0);
        acc.add(Unit::kMinute, sign * m, 0);
        acc.add(Unit::kSecond, sign * sec_whole, sign * sec_frac);
        any = true;
        continue;
      }
      size_t dash = tok.find('-', 1);
      if (dash != std::string::npos && (t + 1 == tokens.size() || !is_alpha(tokens[t + 1][0]))) {
        // SQL-standard year-month: [-]Y-M
        int sign = tok[0] == '-' ? -1 : 1;
        std::string_view body = tok;
        if (body[0] == '-' || body[0] == '+') body.remove_prefix(1);
        size_t d2 = body.find('-');
        int64_t y, mo;
        if (d2 == std::string_view::npos || !parse_digits(body.substr(0, d2), y) || !parse_digits(body.substr(d2 + 1), mo)) return bad();
        if (mo > 11) return overflow();
        acc.add(Unit::kYear, sign * y, 0);
        acc.add(Unit::kMonth, sign * mo, 0);
        any = true;
        continue;
      }
      int64_t whole;
      double frac;
      if (!split_number(tok, whole, frac)) return bad();
      Unit unit = Unit::kNone;
      if (t + 1 < tokens.size() && is_alpha(tokens[t + 1][0]) && tokens[t + 1] != "ago") {
        unit = unit_from_word(tokens[t + 1]);
        if (unit == Unit::kNone) return bad();
        t++;
      } else if (t + 1 < tokens.size() && tokens[t + 1].find(':') != std::string::npos) {
        unit = Unit::kDay;  // "1 02:03:04": days before a time
      } else {
        unit = bare_unit;
      }
      acc.add(unit, whole, frac);
      any = true;
    }
    if (!any) return bad();
    if (ago) {
      acc.months = -acc.months;
      acc.days = -acc.days;
      acc.micros = -acc.micros;
    }
  }
  if (acc.overflow || acc.months > INT32_MAX || acc.months < INT32_MIN || acc.days > INT32_MAX || acc.days < INT32_MIN ||
      acc.micros > INT64_MAX || acc.micros < INT64_MIN) {
    return overflow();
  }
  Interval v{static_cast<int64_t>(acc.micros), static_cast<int32_t>(acc.days), static_cast<int32_t>(acc.months)};
  truncate_to_range(v, range);
  return v;
}

// ---- conversions and arithmetic ---------------------------------------------------------------------

int64_t date_to_timestamp(int32_t d) {
  if (d == kDateInfinity) return kTimestampInfinity;
  if (d == kDateNegInfinity) return kTimestampNegInfinity;
  __int128 v = static_cast<__int128>(d) * kUsecsPerDay;
  if (!timestamp_in_range(v)) throw SqlError(SqlState::kDatetimeFieldOverflow, "date out of range for timestamp");
  return static_cast<int64_t>(v);
}

int32_t timestamp_to_date(int64_t ts) {
  if (ts == kTimestampInfinity) return kDateInfinity;
  if (ts == kTimestampNegInfinity) return kDateNegInfinity;
  return static_cast<int32_t>(floor_div(ts, kUsecsPerDay));
}

int64_t timestamp_to_timestamptz(int64_t ts, const TimeZone& zone) {
  int64_t out;
  if (!local_to_timestamptz(ts, zone, out)) throw_timestamp_out_of_range();
  return out;
}

int64_t date_to_timestamptz(int32_t d, const TimeZone& zone) {
  if (d == kDateInfinity) return kTimestampInfinity;
  if (d == kDateNegInfinity) return kTimestampNegInfinity;
  return timestamp_to_timestamptz(date_to_timestamp(d), zone);
}

int64_t timestamptz_to_timestamp(int64_t ts, const TimeZone& zone) {
  if (!timestamp_is_finite(ts)) return ts;
  __int128 v = static_cast<__int128>(ts) + static_cast<__int128>(zone_offset_at(zone, ts)) * kUsecsPerSec;
  if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
  return static_cast<int64_t>(v);
}

namespace {

/// Adds months and days to a local timestamp (months clamp the day to the month's end).
int64_t add_months_days(int64_t ts, int32_t months, int32_t days) {
  if (months != 0) {
    DateTimeFields f = split_timestamp(ts);
    int64_t m = static_cast<int64_t>(f.year) * 12 + (f.month - 1) + months;
    int64_t year = floor_div(m, 12);
    int month = static_cast<int>(m - year * 12) + 1;
    if (year > 300000 || year < -5000) throw_timestamp_out_of_range();
    f.year = static_cast<int32_t>(year);
    f.month = month;
    if (f.day > days_in_month(year, month)) f.day = days_in_month(year, month);
    if (!make_timestamp(f, ts)) throw_timestamp_out_of_range();
  }
  if (days != 0) {
    __int128 v = static_cast<__int128>(ts) + static_cast<__int128>(days) * kUsecsPerDay;
    if (!timestamp_in_range(v)) throw_timestamp_out_of_range();
    ts = static_cast<int64_t>(v);
  }
  return ts;
}

}  // namespace

int64_t timestamp_plus_interval(int64_t ts, const Interval& v) {
  if (!timestamp_is_finite(ts)) return ts;
  ts = add_months_days(ts, v.months, v.days);
  __int128 r = static_cast<__int128>(ts) + v.micros;
  if (!timestamp_in_range(r)) throw_timestamp_out_of_range();
  return static_cast<int64_t>(r);
}

int64_t timestamptz_plus_interval(int64_t ts, const Interval& v, const TimeZone& zone) {
  if (!timestamp_is_finite(ts)) return ts;
  if (v.months != 0 || v.days != 0) {
    // Months and days move the local date; the wall-clock time stays (across DST changes).
    int64_t local = timestamptz_to_local(ts, zone);
    local = add_months_days(local, v.months, v.days);
    if (!local_to_timestamptz(local, zone, ts)) throw_timestamp_out_of_range();
  }
  __int128 r = static_cast<__int128>(ts) + v.micros;
  if (!timestamp_in_range(r)) throw_timestamp_out_of_range();
  return static_cast<int64_t>(r);
}

Interval interval_negate(const Interval& v) {
  if (v.months == INT32_MIN || v.days == INT32_MIN || v.micros == INT64_MIN) throw_interval_out_of_range();
  return Interval{-v.micros, -v.days, -v.months};
}

Interval interval_add(const Interval& a, const Interval& b) {
  Interval r;
  if (__builtin_add_overflow(a.months, b.months, &r.months) || __builtin_add_overflow(a.days, b.days, &r.days) ||
      __builtin_add_overflow(a.micros, b.micros, &r.micros)) {
    throw_interval_out_of_range();
  }
  return r;
}

namespace {

double ts_round(double v) { return std::nearbyint(v * 1e6) / 1e6; }

int32_t checked_int32(double v) {
  if (std::isnan(v) || v < -2147483648.0 || v >= 2147483648.0) throw_interval_out_of_range();
  return static_cast<int32_t>(v);
}

int64_t checked_int64(double v) {
  if (std::isnan(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0) throw_interval_out_of_range();
  return static_cast<int64_t>(v);
}

}  // namespace

Interval interval_multiply(const Interval& v, double factor) {
  double result_months = v.months * factor;
  Interval r;
  r.months = checked_int32(result_months);
  double result_days = v.days * factor;
  r.days = checked_int32(result_days);
  double month_remainder_days = (result_months - r.months) * 30.0;
  month_remainder_days = ts_round(month_remainder_days);
  double sec_remainder = (result_days - r.days + month_remainder_days - static_cast<int32_t>(month_remainder_days)) * 86400.0;
  sec_remainder = ts_round(sec_remainder);
  if (std::fabs(sec_remainder) >= 86400.0) {
    r.days = checked_int32(static_cast<double>(r.days) + static_cast<int32_t>(sec_remainder / 86400.0));
    sec_remainder -= static_cast<int32_t>(sec_remainder / 86400.0) * 86400.0;
  }
  r.days = checked_int32(static_cast<double>(r.days) + static_cast<int32_t>(month_remainder_days));
  r.micros = checked_int64(std::nearbyint(static_cast<double>(v.micros) * factor + sec_remainder * 1e6));
  return r;
}

Interval interval_divide(const Interval& v, double factor) {
  if (factor == 0.0) throw SqlError(SqlState::kDivisionByZero, "division by zero");
  Interval r;
  r.months = checked_int32(v.months / factor);
  r.days = checked_int32(v.days / factor);
  double month_remainder_days = (v.months / factor - r.months) * 30.0;
  month_remainder_days = ts_round(month_remainder_days);
  double sec_remainder = (v.days / factor - r.days + month_remainder_days - static_cast<int32_t>(month_remainder_days)) * 86400.0;
  sec_remainder = ts_round(sec_remainder);
  if (std::fabs(sec_remainder) >= 86400.0) {
    r.days += static_cast<int32_t>(sec_remainder / 86400.0);
    sec_remainder -= static_cast<int32_t>(sec_remainder / 86400.0) * 86400.0;
  }
  r.days += static_cast<int32_t>(month_remainder_days);
  r.micros = checked_int64(std::nearbyint(static_cast<double>(v.micros) / factor + sec_remainder * 1e6));
  return r;
}

Interval justify_hours(const Interval& v) {
  Interval r = v;
  int64_t whole_days = r.micros / kUsecsPerDay;
  r.micros -= whole_days * kUsecsPerDay;
  if (__builtin_add_overflow(r.days, static_cast<int32_t>(whole_days), &r.days) || whole_days > INT32_MAX ||
      whole_days < INT32_MIN) {
    throw_interval_out_of_range();
  }
  if (r.days > 0 && r.micros < 0) {
    r.micros += kUsecsPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kUsecsPerDay;
    r.days++;
  }
  return r;
}

Interval justify_days(const Interval& v) {
  Interval r = v;
  int32_t whole_months = r.days / 30;
  r.days -= whole_months * 30;
  if (__builtin_add_overflow(r.months, whole_months, &r.months)) throw_interval_out_of_range();
  if (r.months > 0 && r.days < 0) {
    r.days += 30;
    r.months--;
  } else if (r.months < 0 && r.days > 0) {
    r.days -= 30;
    r.months++;
  }
  return r;
}

Interval justify_interval(const Interval& v) {
  Interval r = v;
  int64_t whole_days = r.micros / kUsecsPerDay;
  r.micros -= whole_days * kUsecsPerDay;
  int64_t days = static_cast<int64_t>(r.days) + whole_days;
  int64_t whole_months = days / 30;
  days -= whole_months * 30;
  int64_t months = static_cast<int64_t>(r.months) + whole_months;
  if (months > INT32_MAX || months < INT32_MIN) throw_interval_out_of_range();
  r.months = static_cast<int32_t>(months);
  r.days = static_cast<int32_t>(days);
  if (r.months > 0 && (r.days < 0 || (r.days == 0 && r.micros < 0))) {
    r.days += 30;
    r.months--;
  } else if (r.months < 0 && (r.days > 0 || (r.days == 0 && r.micros > 0))) {
    r.days -= 30;
    r.months++;
  }
  if (r.days > 0 && r.micros < 0) {
    r.micros += kUsecsPerDay;
    r.days--;
  } else if (r.days < 0 && r.micros > 0) {
    r.micros -= kUsecsPerDay;
    r.days++;
  }
  return r;
}

Interval timestamp_difference(int64_t a, int64_t b) {
  if (!timestamp_is_finite(a) || !timestamp_is_finite(b)) {
    throw SqlError(SqlState::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  Interval r;
  if (__builtin_sub_overflow(a, b, &r.micros)) throw_interval_out_of_range();
  return justify_hours(r);
}

Interval timestamp_age(int64_t a, int64_t b) {
  if (!timestamp_is_finite(a) || !timestamp_is_finite(b)) {
    throw SqlError(SqlState::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  DateTimeFields f1 = split_timestamp(a), f2 = split_timestamp(b);
  int64_t fsec = (f1.time % kUsecsPerSec) - (f2.time % kUsecsPerSec);
  int64_t sec = (f1.time / kUsecsPerSec) % 60 - (f2.time / kUsecsPerSec) % 60;
  int64_t min = (f1.time / kUsecsPerMinute) % 60 - (f2.time / kUsecsPerMinute) % 60;
  int64_t hour = f1.time / kUsecsPerHour - f2.time / kUsecsPerHour;
  int64_t mday = f1.day - f2.day;
  int64_t mon = f1.month - f2.month;
  int64_t year = static_cast<int64_t>(f1.year) - f2.year;
  // Flip so the borrowing below works on a non-negative difference.
  bool negate = a < b;
  if (negate) {
    fsec = -fsec;
    sec = -sec;
    min = -min;
    hour = -hour;
    mday = -mday;
    mon = -mon;
    year = -year;
  }
  while (fsec < 0) {
    fsec += kUsecsPerSec;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    mday--;
  }
  while (mday < 0) {
    // Borrow the length of the month of the earlier timestamp, as PostgreSQL's age() does.
    mday += negate ? days_in_month(f1.year, f1.month) : days_in_month(f2.year, f2.month);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  if (negate) {
    fsec = -fsec;
    sec = -sec;
    min = -min;
    hour = -hour;
    mday = -mday;
    mon = -mon;
    year = -year;
  }
  Interval r;
  int64_t months = year * 12 + mon;
  if (months > INT32_MAX || months < INT32_MIN) throw_interval_out_of_range();
  r.months = static_cast<int32_t>(months);
  r.days = static_cast<int32_t>(mday);
  r.micros = ((hour * 60 + min) * 60 + sec) * kUsecsPerSec + fsec;
  return r;
}

}  // namespace datetime

// ---- context ------------------------------------------------------------------------------------------

namespace {
thread_local const DateTimeContext* tls_context = nullptr;
}

int64_t clock_timestamp_now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t unix_us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return unix_us - datetime::kUnixEpochOffsetSeconds * datetime::kUsecsPerSec;
}

const TimeZone& current_time_zone() {
  const auto& ctx = current_datetime_context();
  return ctx.time_zone ? *ctx.time_zone : *utc_time_zone();
}

const DateTimeContext& current_datetime_context() {
  if (tls_context) return *tls_context;
  thread_local DateTimeContext fallback;
  fallback.time_zone = utc_time_zone();
  fallback.transaction_timestamp = fallback.statement_timestamp = clock_timestamp_now();
  return fallback;
}

ScopedDateTimeContext::ScopedDateTimeContext(const DateTimeContext* context) : previous_(tls_context) {
  if (context && context->time_zone) tls_context = context;
}

ScopedDateTimeContext::~ScopedDateTimeContext() { tls_context = previous_; }

}  // namespace tessera
