#pragma once

#include <map>
#include <memory>
#include <string>

#include "src/common/timezone.h"

namespace tessera::executor {

/// The run-time settings of one session (PostgreSQL's GUCs that clients SET and SHOW), with
/// their defaults. The session owns one and hands it to each query it runs (SET and SHOW
/// read and write it). Not thread-safe: one statement at a time uses it.
class SessionSettings {
 public:
  SessionSettings();

  /// SET name = value, or SET name TO DEFAULT / RESET name when `value` is null. Raises 42704
  /// for an unknown name, 55P02 for a read-only one, 0A000 for a client encoding other than
  /// UTF8, 22023 for a TimeZone the tz database does not know.
  void set(const std::string& name, const std::string* value);
  /// SHOW name; raises 42704 for an unknown name.
  std::string show(const std::string& name) const;
  /// Sets a value without the checks (startup parameters such as session_authorization).
  void set_initial(const std::string& name, std::string value);

  /// The zone the TimeZone setting names (UTC by default).
  const std::shared_ptr<const TimeZone>& time_zone() const { return time_zone_; }

 private:
  std::map<std::string, std::string> values_;
  std::shared_ptr<const TimeZone> time_zone_ = utc_time_zone();
};

}  // namespace tessera::executor
