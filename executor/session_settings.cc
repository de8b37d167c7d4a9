#include "executor/session_settings.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

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
      {"transaction_isolation", "repeatable read"},
      {"default_transaction_isolation", "repeatable read"},
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
  };
  return defaults;
}

const std::map<std::string, std::string>& read_only_settings() {
  static const std::map<std::string, std::string> names = {
      {"server_version", ""}, {"server_version_num", ""}, {"server_encoding", ""},
      {"integer_datetimes", ""}, {"is_superuser", ""}, {"max_identifier_length", ""}};
  return names;
}

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
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

}  // namespace

SessionSettings::SessionSettings() : values_(default_settings()) {}

void SessionSettings::set_initial(const std::string& name, std::string value) { values_[name] = std::move(value); }

void SessionSettings::set(const std::string& raw_name, const std::string* value) {
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
  values_[name] = v;
}

std::string SessionSettings::show(const std::string& raw_name) const {
  auto it = values_.find(to_lower(raw_name));
  if (it == values_.end()) {
    throw SqlError(SqlState::kUndefinedObject, "unrecognized configuration parameter \"" + raw_name + "\"");
  }
  return it->second;
}

}  // namespace tessera::executor
