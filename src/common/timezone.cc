#include "src/common/timezone.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace tessera {

namespace {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t year_of_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

int64_t be64(const unsigned char* p) {
  return static_cast<int64_t>((uint64_t{be32(p)} << 32) | uint64_t{be32(p + 4)});
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Reads [+-]hh[:mm[:ss]] at `p`; returns seconds or nullopt.
std::optional<int32_t> parse_posix_time(std::string_view s, size_t& p) {
  int sign = 1;
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    if (s[p] == '-') sign = -1;
    p++;
  }
  int32_t parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; i++) {
    if (i > 0) {
      if (p >= s.size() || s[p] != ':') break;
      p++;
    }
    if (p >= s.size() || !std::isdigit(static_cast<unsigned char>(s[p]))) return std::nullopt;
    int32_t v = 0;
    int digits = 0;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])) && digits < 3) {
      v = v * 10 + (s[p] - '0');
      p++;
      digits++;
    }
    parts[i] = v;
  }
  if (parts[0] > 167 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
  return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
}

bool parse_posix_name(std::string_view s, size_t& p, std::string& name) {
  if (p < s.size() && s[p] == '<') {
    size_t close = s.find('>', p);
    if (close == std::string_view::npos || close - p - 1 < 1) return false;
    name = std::string(s.substr(p + 1, close - p - 1));
    p = close + 1;
    return true;
  }
  size_t start = p;
  while (p < s.size() && std::isalpha(static_cast<unsigned char>(s[p]))) p++;
  name = std::string(s.substr(start, p - start));
  return p - start >= 3;
}

std::optional<int> parse_number(std::string_view s, size_t& p) {
  if (p >= s.size() || !std::isdigit(static_cast<unsigned char>(s[p]))) return std::nullopt;
  int v = 0;
  while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
    v = v * 10 + (s[p] - '0');
    if (v > 100000) return std::nullopt;
    p++;
  }
  return v;
}

}  // namespace

std::optional<TimeZone::PosixRule> TimeZone::parse_posix(std::string_view s) {
  PosixRule rule;
  size_t p = 0;
  if (!parse_posix_name(s, p, rule.std_name)) return std::nullopt;
  auto std_off = parse_posix_time(s, p);
  if (!std_off) return std::nullopt;
  rule.std_offset = -*std_off;
  if (p == s.size()) return rule;
  if (!parse_posix_name(s, p, rule.dst_name)) return std::nullopt;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + 3600;
  if (p < s.size() && s[p] != ',') {
    auto dst_off = parse_posix_time(s, p);
    if (!dst_off) return std::nullopt;
    rule.dst_offset = -*dst_off;
  }
  auto parse_date = [&](PosixRule::Date& d) -> bool {
    if (p >= s.size() || s[p] != ',') return false;
    p++;
    if (p < s.size() && s[p] == 'M') {
      p++;
      d.kind = 'M';
      auto m = parse_number(s, p);
      if (!m || p >= s.size() || s[p] != '.') return false;
      p++;
      auto w = parse_number(s, p);
      if (!w || p >= s.size() || s[p] != '.') return false;
      p++;
      auto wd = parse_number(s, p);
      if (!wd || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *wd > 6) return false;
      d.month = *m;
      d.week = *w;
      d.weekday = *wd;
    } else if (p < s.size() && s[p] == 'J') {
      p++;
      d.kind = 'J';
      auto n = parse_number(s, p);
      if (!n || *n < 1 || *n > 365) return false;
      d.day = *n;
    } else {
      d.kind = 'D';
      auto n = parse_number(s, p);
      if (!n || *n > 365) return false;
      d.day = *n;
    }
    d.time = 7200;
    if (p < s.size() && s[p] == '/') {
      p++;
      auto t = parse_posix_time(s, p);
      if (!t) return false;
      d.time = *t;
    }
    return true;
  };
  if (p == s.size()) {
    // No rule: the United States' rules, as POSIX implementations default to.
    rule.start = {'M', 3, 2, 0, 0, 7200};
    rule.end = {'M', 11, 1, 0, 0, 7200};
    return rule;
  }
  if (!parse_date(rule.start) || !parse_date(rule.end) || p != s.size()) return std::nullopt;
  return rule;
}

namespace {

/// Unix day of a POSIX switch date in `year`.
int64_t switch_day(int64_t year, char kind, int month, int week, int weekday, int day) {
  if (kind == 'J') {
    int64_t d = days_from_civil(year, 1, 1) + day - 1;
    if (is_leap(year) && day >= 60) d++;
    return d;
  }
  if (kind == 'D') return days_from_civil(year, 1, 1) + day;
  int64_t first = days_from_civil(year, static_cast<unsigned>(month), 1);
  // 1970-01-01 was a Thursday (weekday 4).
  int64_t first_weekday = ((first % 7) + 7 + 4) % 7;
  int64_t d = first + ((weekday - first_weekday + 7) % 7) + 7 * (week - 1);
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t month_len = kMonthDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  while (d >= first + month_len) d -= 7;
  return d;
}

}  // namespace

int32_t TimeZone::rule_offset(int64_t t) const {
  const PosixRule& r = *rule_;
  return rule_is_dst(t) ? r.dst_offset : r.std_offset;
}

bool TimeZone::rule_is_dst(int64_t t) const {
  const PosixRule& r = *rule_;
  if (!r.has_dst) return false;
  int64_t year = year_of_days(floor_div(t + r.std_offset, 86400));
  // Check this year's and the neighbouring years' switches so instants near New Year resolve.
  bool dst = false;
  int64_t best = INT64_MIN;
  for (int64_t y = year - 1; y <= year + 1; y++) {
    const auto& s = r.start;
    const auto& e = r.end;
    int64_t start = switch_day(y, s.kind, s.month, s.week, s.weekday, s.day) * 86400 + s.time - r.std_offset;
    int64_t end = switch_day(y, e.kind, e.month, e.week, e.weekday, e.day) * 86400 + e.time - r.dst_offset;
    if (start <= t && start > best) {
      best = start;
      dst = true;
    }
    if (end <= t && end > best) {
      best = end;
      dst = false;
    }
  }
  return dst;
}

std::string TimeZone::abbreviation(int64_t t) const {
  if (transitions_.empty() || t < transitions_.front()) {
    if (transitions_.empty() && rule_) return rule_is_dst(t) ? rule_->dst_name : rule_->std_name;
    return initial_abbreviation_;
  }
  if (t >= transitions_.back() && rule_) return rule_is_dst(t) ? rule_->dst_name : rule_->std_name;
  size_t i = static_cast<size_t>(std::upper_bound(transitions_.begin(), transitions_.end(), t) - transitions_.begin());
  return abbreviations_after_[i - 1];
}

int32_t TimeZone::utc_offset(int64_t t) const {
  if (transitions_.empty() || t < transitions_.front()) {
    if (transitions_.empty() && rule_) return rule_offset(t);
    return initial_offset_;
  }
  if (t >= transitions_.back() && rule_) return rule_offset(t);
  size_t i = static_cast<size_t>(std::upper_bound(transitions_.begin(), transitions_.end(), t) - transitions_.begin());
  return offsets_after_[i - 1];
}

int32_t TimeZone::local_offset(int64_t local) const {
  // The offsets a day before and after: the two sides of any transition near `local`.
  int32_t before = utc_offset(local - 86400);
  int32_t after = utc_offset(local + 86400);
  if (before == after) return utc_offset(local - before);
  bool before_valid = utc_offset(local - before) == before;
  bool after_valid = utc_offset(local - after) == after;
  if (before_valid != after_valid) return before_valid ? before : after;
  return std::min(before, after);
}

std::shared_ptr<const TimeZone> TimeZone::fixed(std::string name, int32_t offset_seconds) {
  auto zone = std::make_shared<TimeZone>(TimeZone());
  zone->initial_abbreviation_ = name;
  zone->name_ = std::move(name);
  zone->initial_offset_ = offset_seconds;
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::from_posix(std::string name, std::string_view spec) {
  auto rule = parse_posix(spec);
  if (!rule) return nullptr;
  auto zone = std::make_shared<TimeZone>(TimeZone());
  zone->name_ = std::move(name);
  zone->initial_offset_ = rule->std_offset;
  zone->initial_abbreviation_ = rule->std_name;
  zone->rule_ = rule;
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::from_tzif(std::string name, std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t size = bytes.size();
  struct Header {
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    char version;
  };
  auto read_header = [&](size_t at, Header& h) -> bool {
    if (at + 44 > size || bytes.substr(at, 4) != "TZif") return false;
    h.version = bytes[at + 4];
    const unsigned char* c = data + at + 20;
    h.isutcnt = be32(c);
    h.isstdcnt = be32(c + 4);
    h.leapcnt = be32(c + 8);
    h.timecnt = be32(c + 12);
    h.typecnt = be32(c + 16);
    h.charcnt = be32(c + 20);
    return h.typecnt > 0 && h.typecnt <= 256 && h.timecnt < 100000 && h.leapcnt < 10000;
  };
  auto block_size = [](const Header& h, size_t time_size) {
    return h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt +
           h.isutcnt;
  };
  Header h{};
  if (!read_header(0, h)) return nullptr;
  size_t at = 44;
  size_t time_size = 4;
  if (h.version >= '2') {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    at += block_size(h, 4);
    if (!read_header(at, h)) return nullptr;
    at += 44;
    time_size = 8;
  }
  if (at + block_size(h, time_size) > size) return nullptr;
  auto zone = std::make_shared<TimeZone>(TimeZone());
  zone->name_ = std::move(name);
  const unsigned char* times = data + at;
  const unsigned char* indices = times + h.timecnt * time_size;
  const unsigned char* types = indices + h.timecnt;
  const char* chars = reinterpret_cast<const char*>(types + h.typecnt * 6);
  std::vector<int32_t> type_offsets(h.typecnt);
  std::vector<std::string> type_names(h.typecnt);
  for (uint32_t i = 0; i < h.typecnt; i++) {
    int32_t off = static_cast<int32_t>(be32(types + i * 6));
    if (off < -89999 || off > 93599) return nullptr;
    type_offsets[i] = off;
    uint8_t abbr = types[i * 6 + 5];
    if (abbr >= h.charcnt) return nullptr;
    type_names[i] = std::string(chars + abbr, strnlen(chars + abbr, h.charcnt - abbr));
  }
  for (uint32_t i = 0; i < h.timecnt; i++) {
    int64_t t = time_size == 8 ? be64(times + i * 8) : static_cast<int32_t>(be32(times + i * 4));
    uint8_t idx = indices[i];
    if (idx >= h.typecnt) return nullptr;
    if (!zone->transitions_.empty() && t <= zone->transitions_.back()) return nullptr;
    zone->transitions_.push_back(t);
    zone->offsets_after_.push_back(type_offsets[idx]);
    zone->abbreviations_after_.push_back(type_names[idx]);
  }
  zone->initial_offset_ = type_offsets[0];
  zone->initial_abbreviation_ = type_names[0];
  at += block_size(h, time_size);
  if (time_size == 8 && at < size && bytes[at] == '\n') {
    size_t end = bytes.find('\n', at + 1);
    if (end == std::string_view::npos) return nullptr;
    std::string_view footer = bytes.substr(at + 1, end - at - 1);
    if (!footer.empty()) {
      zone->rule_ = parse_posix(footer);
      if (!zone->rule_) return nullptr;
      if (zone->transitions_.empty()) {
        zone->initial_offset_ = zone->rule_->std_offset;
        zone->initial_abbreviation_ = zone->rule_->std_name;
      }
    }
  }
  return zone;
}

const std::shared_ptr<const TimeZone>& utc_time_zone() {
  static const std::shared_ptr<const TimeZone> utc = TimeZone::fixed("UTC", 0);
  return utc;
}

namespace {

std::string zoneinfo_root() {
  const char* env = std::getenv("TESSERA_ZONEINFO");
  return env && *env ? env : "/usr/share/zoneinfo";
}

/// Finds `name` under the zoneinfo root case-insensitively, one path component at a time;
/// returns the path relative to the root in its on-disk spelling.
std::optional<std::string> find_zone_file(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) return std::nullopt;
  std::string root = zoneinfo_root();
  std::string relative;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string_view part = name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == ".") return std::nullopt;
    std::string dir = root + (relative.empty() ? "" : "/" + relative);
    DIR* d = opendir(dir.c_str());
    if (!d) return std::nullopt;
    std::optional<std::string> match;
    std::string want = lower(part);
    while (dirent* e = readdir(d)) {
      std::string entry = e->d_name;
      if (entry == part) {
        match = entry;
        break;
      }
      if (!match && lower(entry) == want) match = entry;
    }
    closedir(d);
    if (!match) return std::nullopt;
    relative += (relative.empty() ? "" : "/") + *match;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return relative;
}

std::shared_ptr<const TimeZone> load_zone(std::string_view name) {
  auto relative = find_zone_file(name);
  if (!relative) return nullptr;
  std::ifstream in(zoneinfo_root() + "/" + *relative, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (bytes.size() > (1u << 20)) return nullptr;
  return TimeZone::from_tzif(*relative, bytes);
}

}  // namespace

std::shared_ptr<const TimeZone> find_time_zone(std::string_view name) {
  if (name.empty() || name.size() > 255) return nullptr;
  std::string key = lower(name);
  if (key == "utc") return utc_time_zone();
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  std::shared_ptr<const TimeZone> zone = load_zone(name);
  if (!zone) {
    // A POSIX TZ string ("UTC+3", "EST5EDT"), or a bare offset ("+02", "-5:30") read as one
    // with a placeholder name, both with POSIX's sign (west positive), as PostgreSQL does.
    std::string spec(name);
    if (!spec.empty() && (spec[0] == '+' || spec[0] == '-' || std::isdigit(static_cast<unsigned char>(spec[0])))) {
      spec = "<TZ>" + spec;
    }
    zone = TimeZone::from_posix(std::string(name), spec);
  }
  if (!zone) return nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(key, zone);
  return zone;
}

}  // namespace tessera
