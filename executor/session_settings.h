#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace tessera::executor {

/// The run-time settings of one session (PostgreSQL's GUCs that clients SET and SHOW), with
/// their defaults. The session owns one and hands it to each query it runs (SET and SHOW
/// read and write it). Not thread-safe: one statement at a time uses it.
class SessionSettings {
 public:
  SessionSettings();

  /// SET name = value, or SET name TO DEFAULT / RESET name when `value` is null. Raises 42704
  /// for an unknown name, 55P02 for a read-only one, 0A000 for a client encoding other than
  /// UTF8, 22023 for a duration that is not a number with a valid unit or is out of range
  /// (kept in SHOW's form: the largest unit that divides it, "5s", "1500ms", "0").
  void set(const std::string& name, const std::string* value);
  /// SHOW name; raises 42704 for an unknown name.
  std::string show(const std::string& name) const;
  /// The value of a duration setting (statement_timeout, lock_timeout, ...) in milliseconds.
  int64_t milliseconds(const std::string& name) const;
  /// Sets a value without the checks (startup parameters such as session_authorization).
  void set_initial(const std::string& name, std::string value);

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace tessera::executor
