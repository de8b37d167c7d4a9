#include "executor/session_settings.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>

#include "src/common/sql_error.h"

namespace tessera::executor {

namespace {

/// Settings a client may SET and SHOW, with their defaults.
const std::map<std::string, std::string>& default_settings() {
  static const std::map<std::string, std::string> defaults = {
      {"application_name", ""},
      {"client_encoding", "UTF8"},
      {"datestyle", "ISO, MDY"},
      {"timezone", "UTC"},
      {"intervalstyle", "postgres"},
      {"search_path", "\"$user\", public"},
      {"extra_float_digits", "1"},
      {"standard_conforming_strings", "on"},
      {"integer_datetimes", "on"},
      {"server_version", "15.6"},
      {"server_version_num", "150006"},
      {"server_encoding", "UTF8"},
      {"statement_timeout", "0"},
      {"lock_timeout", "0"},
      {"idle_in_transaction_session_timeout", "0"},
      {"transaction_isolation", "read committed"},
      {"default_transaction_isolation", "read committed"},
      {"transaction_read_only", "off"},
      {"is_superuser", "on"},
      {"max_identifier_length", "63"},
      {"lc_messages", "C"},
      {"lc_monetary", "C"},
      {"lc_numeric", "C"},
      {"lc_time", "C"},
      {"bytea_output", "hex"},
      {"client_min_messages", "notice"},
      {"row_security", "on"},
      {"jit", "off"},
      {"synchronous_commit", "on"},
  };
  return defaults;
}

const std::map<std::string, std::string>& read_only_settings() {
  static const std::map<std::string, std::string> names = {
      {"server_version", ""}, {"server_version_num", ""}, {"server_encoding", ""},
      {"integer_datetimes", ""}, {"is_superuser", ""}, {"max_identifier_length", ""}};
  return names;
}

/// Settings whose value is a duration with millisecond base unit, 0 .. INT_MAX ms.
bool is_milliseconds_setting(const std::string& name) {
  return name == "statement_timeout" || name == "lock_timeout" || name == "idle_in_transaction_session_timeout";
}

/// Parses a millisecond setting as PostgreSQL's parse_int does: an integer (or a number with a
/// fraction or exponent, rounded), optional blanks, an optional case-sensitive unit (us, ms, s,
/// min, h, d; ms when absent). Raises 22023 with PostgreSQL's messages.
int64_t parse_milliseconds(const std::string& name, const std::string& text) {
  auto invalid = [&](const std::string& hint) {
    SqlError error(SqlState::kInvalidParameterValue, "invalid value for parameter \"" + name + "\": \"" + text + "\"");
    if (!hint.empty()) error.with_hint(hint);
    return error;
  };
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  double value = static_cast<double>(std::strtol(begin, &end, 0));
  if (end == begin) throw invalid("");
  if (errno == ERANGE || value > INT_MAX || value < INT_MIN) throw invalid("Value exceeds integer range.");
  if (*end == '.' || *end == 'e' || *end == 'E') {
    errno = 0;
    value = std::strtod(begin, &end);
    if (end == begin || errno == ERANGE) throw invalid("");
  }
  while (std::isspace(static_cast<unsigned char>(*end))) end++;
  double multiplier = 1;
  if (*end != '\0') {
    const char* unit_begin = end;
    const char* unit_end = end;
    while (std::isalpha(static_cast<unsigned char>(*unit_end))) unit_end++;
    const std::string unit(unit_begin, unit_end);
    static const std::pair<const char*, double> kUnits[] = {
        {"us", 0.001}, {"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
    std::optional<double> found;
    for (const auto& [u, m] : kUnits) {
      if (unit == u) found = m;
    }
    end = const_cast<char*>(unit_end);  // NOLINT: strtod's out parameter type
    while (std::isspace(static_cast<unsigned char>(*end))) end++;
    if (!found || *end != '\0') {
      throw invalid("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".");
    }
    multiplier = *found;
  }
  const double ms = std::rint(value * multiplier);
  if (std::isnan(ms) || ms > INT_MAX || ms < INT_MIN) throw invalid("Value exceeds integer range.");
  const auto result = static_cast<int64_t>(ms);
  if (result < 0) {
    throw SqlError(SqlState::kInvalidParameterValue, std::to_string(result) + " ms is outside the valid range for parameter \"" +
                                                         name + "\" (0 .. 2147483647)");
  }
  return result;
}

/// How SHOW prints a millisecond setting: in the largest unit that divides it exactly.
std::string show_milliseconds(int64_t ms) {
  if (ms == 0) return "0";
  static const std::pair<const char*, int64_t> kUnits[] = {{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}};
  for (const auto& [unit, size] : kUnits) {
    if (ms % size == 0) return std::to_string(ms / size) + unit;
  }
  return std::to_string(ms) + "ms";
}

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// synchronous_commit as PostgreSQL keeps it: the name of the matching value (case-insensitive;
/// true, yes and 1 are "on", false, no and 0 "off"). Raises 22023 for another value.
std::string normalize_synchronous_commit(const std::string& text) {
  const std::string lower = to_lower(text);
  static const std::pair<const char*, const char*> kValues[] = {
      {"local", "local"}, {"remote_write", "remote_write"}, {"remote_apply", "remote_apply"},
      {"on", "on"},       {"off", "off"},                   {"true", "on"},
      {"false", "off"},   {"yes", "on"},                    {"no", "off"},
      {"1", "on"},        {"0", "off"}};
  for (const auto& [name, shown] : kValues) {
    if (lower == name) return shown;
  }
  throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"synchronous_commit\": \"" + text + "\"")
      .with_hint("Available values: local, remote_write, remote_apply, on, off.");
}

/// A TimeZone given as a number is hours east of Greenwich (ISO sign, unlike POSIX zone
/// strings), named the way PostgreSQL shows it: '+02' is "<+02>-02", '-5.5' "<-05:30>+05:30".
std::shared_ptr<const TimeZone> numeric_time_zone(const std::string& value) {
  if (value.empty()) return nullptr;
  char* end = nullptr;
  double hours = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0' || !std::isfinite(hours) || std::fabs(hours) > 15.0 * 7) return nullptr;
  if (std::isalpha(static_cast<unsigned char>(value[0]))) return nullptr;  // "inf", "nan"
  const int32_t offset = static_cast<int32_t>(std::lround(hours * 3600));
  if (offset < -15 * 3600 || offset > 15 * 3600) return nullptr;
  auto hhmmss = [](int32_t seconds, bool negative) {
    std::string out = negative ? "-" : "+";
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%02d", seconds / 3600);
    out += buf;
    if (seconds % 3600 != 0) {
      std::snprintf(buf, sizeof(buf), ":%02d", (seconds / 60) % 60);
      out += buf;
      if (seconds % 60 != 0) {
        std::snprintf(buf, sizeof(buf), ":%02d", seconds % 60);
        out += buf;
      }
    }
    return out;
  };
  const int32_t magnitude = offset < 0 ? -offset : offset;
  std::string name = "<" + hhmmss(magnitude, offset < 0) + ">" + hhmmss(magnitude, offset >= 0);
  return TimeZone::fixed(name, offset);
}


/// DateStyle as PostgreSQL keeps it: "<output style>, <field order>", from a list of words
/// that may give either or both (the rest stays as it was).
std::string normalize_date_style(const std::string& text, const std::string& current) {
  std::string style = "ISO";
  std::string order = current.size() > 5 ? current.substr(5) : "MDY";
  auto invalid = [&]() {
    return SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"DateStyle\": \"" + text + "\"")
        .with_detail("Unrecognized key word: \"" + text + "\".");
  };
  size_t start = 0;
  bool any = false;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string word = to_lower(text.substr(start, end - start));
    while (!word.empty() && std::isspace(static_cast<unsigned char>(word.front()))) word.erase(word.begin());
    while (!word.empty() && std::isspace(static_cast<unsigned char>(word.back()))) word.pop_back();
    start = end + 1;
    if (word.empty()) {
      if (!any && end == text.size()) break;  // '' changes nothing
      throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"DateStyle\": \"" + text + "\"")
          .with_detail("List syntax is invalid.");
    }
    any = true;
    if (word == "iso") {
      style = "ISO";
    } else if (word == "sql" || word == "postgres" || word == "german") {
      throw SqlError(SqlState::kFeatureNotSupported, "DateStyle output formats other than ISO are not supported yet");
    } else if (word == "mdy" || word == "us" || word == "noneuro" || word == "noneuropean") {
      order = "MDY";
    } else if (word == "dmy" || word == "euro" || word == "european") {
      order = "DMY";
    } else if (word == "ymd") {
      order = "YMD";
    } else if (word == "default") {
      style = "ISO";
      order = "MDY";
    } else {
      throw invalid();
    }
    if (end == text.size()) break;
  }
  return style + ", " + order;
}

}  // namespace

SessionSettings::SessionSettings() : values_(default_settings()) {}

std::vector<std::pair<std::string, std::string>> SessionSettings::reported() const {
  static const std::pair<const char*, const char*> kReported[] = {
      {"application_name", "application_name"},
      {"client_encoding", "client_encoding"},
      {"DateStyle", "datestyle"},
      {"default_transaction_read_only", nullptr},
      {"in_hot_standby", nullptr},
      {"integer_datetimes", "integer_datetimes"},
      {"IntervalStyle", "intervalstyle"},
      {"is_superuser", "is_superuser"},
      {"server_encoding", "server_encoding"},
      {"server_version", "server_version"},
      {"session_authorization", "session_authorization"},
      {"standard_conforming_strings", "standard_conforming_strings"},
      {"TimeZone", "timezone"},
  };
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& [spelling, key] : kReported) {
    std::string value = "off";
    if (key) {
      auto it = values_.find(key);
      value = it == values_.end() ? "" : it->second;
    }
    result.emplace_back(spelling, std::move(value));
  }
  return result;
}

void SessionSettings::set_initial(const std::string& name, std::string value) { values_[name] = std::move(value); }

void SessionSettings::set(const std::string& raw_name, const std::string* value, bool local) {
  std::string name = to_lower(raw_name);
  auto it = default_settings().find(name);
  if (it == default_settings().end() && name != "session_authorization") {
    throw SqlError(SqlState::kUndefinedObject, "unrecognized configuration parameter \"" + raw_name + "\"");
  }
  if (read_only_settings().count(name)) {
    throw SqlError(SqlState::kCantChangeRuntimeParam, "parameter \"" + raw_name + "\" cannot be changed");
  }
  std::string v = value ? *value : it != default_settings().end() ? it->second : values_[name];
  if (name == "client_encoding") {
    std::string upper = v;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != "UTF8" && upper != "UTF-8" && upper != "UNICODE") {
      throw SqlError(SqlState::kFeatureNotSupported, "client encodings other than UTF8 are not supported yet");
    }
    v = "UTF8";
  }
  if (name == "timezone") {
    std::shared_ptr<const TimeZone> zone = numeric_time_zone(v);
    if (!zone) zone = find_time_zone(v);
    if (!zone) throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"TimeZone\": \"" + v + "\"");
    time_zone_ = zone;
    v = zone->name();
  }
  if (is_milliseconds_setting(name)) v = show_milliseconds(parse_milliseconds(name, v));
  if (name == "datestyle") v = normalize_date_style(v, values_[name]);
  if (name == "synchronous_commit") v = normalize_synchronous_commit(v);
  if (name == "intervalstyle" && to_lower(v) != "postgres") {
    static const char* const kStyles[] = {"postgres_verbose", "sql_standard", "iso_8601"};
    bool known = false;
    for (const char* style : kStyles) known = known || to_lower(v) == style;
    if (!known) {
      throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"" + raw_name + "\": \"" + v + "\"")
          .with_hint("Available values: postgres, postgres_verbose, sql_standard, iso_8601.");
    }
    throw SqlError(SqlState::kFeatureNotSupported, "IntervalStyle " + to_lower(v) + " is not supported yet");
  }
  if (name == "intervalstyle") v = "postgres";
  if (name == "bytea_output") {
    const std::string lower = to_lower(v);
    if (lower == "escape") throw SqlError(SqlState::kFeatureNotSupported, "bytea_output escape is not supported yet");
    if (lower != "hex") {
      throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"bytea_output\": \"" + v + "\"")
          .with_hint("Available values: escape, hex.");
    }
    v = "hex";
  }
  if (name == "transaction_isolation" || name == "default_transaction_isolation") {
    // An enum setting: one of PostgreSQL's names, in any case.
    const std::string lower = to_lower(v);
    static const char* const kLevels[] = {"serializable", "repeatable read", "read committed", "read uncommitted"};
    if (std::find(std::begin(kLevels), std::end(kLevels), lower) == std::end(kLevels)) {
      throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"" + raw_name + "\": \"" + v + "\"")
          .with_hint("Available values: serializable, repeatable read, read committed, read uncommitted.");
    }
    // Once the transaction took its snapshot its level is fixed; RESET (no value) is not
    // checked, as in PostgreSQL.
    if (name == "transaction_isolation" && value != nullptr && isolation_fixed_ && lower != values_[name]) {
      throw SqlError(SqlState::kActiveSqlTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    }
    v = lower;
  }
  if (name == "extra_float_digits") {
    char* end = nullptr;
    errno = 0;
    const long digits = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno != 0) {
      throw SqlError(SqlState::kInvalidParameterValue, "invalid value for parameter \"extra_float_digits\": \"" + v + "\"");
    }
    if (digits < -15 || digits > 3) {
      throw SqlError(SqlState::kInvalidParameterValue, std::to_string(digits) +
                                                           " is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)");
    }
    v = std::to_string(digits);
  }
  if (in_transaction_) {
    if (local) {
      // COMMIT restores the value in force before the first SET LOCAL, unless a plain SET
      // follows it.
      if (!at_commit_.count(name)) at_commit_[name] = values_[name];
    } else {
      at_commit_[name] = v;
    }
  }
  values_[name] = v;
}

std::string SessionSettings::show(const std::string& raw_name) const {
  auto it = values_.find(to_lower(raw_name));
  if (it == values_.end()) {
    throw SqlError(SqlState::kUndefinedObject, "unrecognized configuration parameter \"" + raw_name + "\"");
  }
  return it->second;
}

void SessionSettings::begin_transaction() {
  if (in_transaction_) return;
  in_transaction_ = true;
  // Each transaction starts at the default level (PostgreSQL's StartTransaction).
  values_["transaction_isolation"] = values_["default_transaction_isolation"];
  isolation_fixed_ = false;
  at_begin_ = values_;
  at_commit_.clear();
}

void SessionSettings::end_transaction(bool commit) {
  if (!in_transaction_) return;
  if (commit) {
    for (auto& [name, value] : at_commit_) values_[name] = value;
  } else {
    values_ = std::move(at_begin_);
  }
  // The zone follows its setting back (a zone name that was valid when set stays valid).
  const std::string& zone_name = values_["timezone"];
  if (time_zone_->name() != zone_name) {
    std::shared_ptr<const TimeZone> zone = numeric_time_zone(zone_name);
    if (!zone) zone = find_time_zone(zone_name);
    if (zone) time_zone_ = zone;
  }
  in_transaction_ = false;
  at_begin_.clear();
  at_commit_.clear();
}

int64_t SessionSettings::milliseconds(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : parse_milliseconds(name, it->second);
}

}  // namespace tessera::executor
