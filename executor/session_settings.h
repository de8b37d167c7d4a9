#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "src/common/timezone.h"

namespace tessera::executor {

/// The run-time settings of one session (PostgreSQL's GUCs that clients SET and SHOW), with
/// their defaults. The session owns one and hands it to each query it runs (SET and SHOW
/// read and write it). Settings are transactional as in PostgreSQL: a ROLLBACK undoes the SETs
/// of its transaction, and SET LOCAL lasts until the transaction ends (committed or not; a
/// later plain SET of the same name in the transaction is what COMMIT keeps). Not thread-safe:
/// one statement at a time uses it.
class SessionSettings {
 public:
  SessionSettings();

  /// SET name = value, or SET name TO DEFAULT / RESET name when `value` is null. Raises 42704
  /// for an unknown name, 55P02 for a read-only one, 0A000 for a client encoding other than
  /// UTF8 and for output styles other than DateStyle ISO, IntervalStyle postgres and
  /// bytea_output hex, 25001 for transaction_isolation once the transaction's snapshot is
  /// fixed, 22023 for an invalid value: an isolation level PostgreSQL does not name, a duration that is not a number with a
  /// valid unit or is out of range (kept in SHOW's form: the largest unit that divides it,
  /// "5s", "1500ms", "0"), an unknown DateStyle word, extra_float_digits outside -15..3.
  /// DateStyle is kept as PostgreSQL shows it ("ISO, MDY"); synchronous_commit as the name of
  /// its value (local, remote_write, remote_apply, on, off).
  void set(const std::string& name, const std::string* value, bool local = false);
  /// The session's transaction began (every statement runs in one, implicit or not); its
  /// transaction_isolation starts as default_transaction_isolation.
  void begin_transaction();
  /// The transaction took its snapshot (its first statement other than SET, SHOW and
  /// transaction control): from now on SET transaction_isolation to another level raises 25001.
  void fix_transaction_isolation() { isolation_fixed_ = true; }
  bool transaction_isolation_fixed() const { return isolation_fixed_; }
  /// The transaction ended: COMMIT keeps its plain SETs and drops its SET LOCALs; ROLLBACK
  /// restores every setting to its value when the transaction began.
  void end_transaction(bool commit);
  /// SHOW name; raises 42704 for an unknown name.
  std::string show(const std::string& name) const;
  /// The value of a duration setting (statement_timeout, lock_timeout, ...) in milliseconds.
  int64_t milliseconds(const std::string& name) const;
  /// Sets a value without the checks (startup parameters such as session_authorization).
  void set_initial(const std::string& name, std::string value);

  /// The settings PostgreSQL reports to clients with ParameterStatus (GUC_REPORT), in its
  /// order, spelled as it spells them, with their current values.
  std::vector<std::pair<std::string, std::string>> reported() const;

  /// The zone the TimeZone setting names (UTC by default).
  const std::shared_ptr<const TimeZone>& time_zone() const { return time_zone_; }

 private:
  std::map<std::string, std::string> values_;
  bool in_transaction_ = false;
  bool isolation_fixed_ = false;
  /// The values when the transaction began (restored by ROLLBACK).
  std::map<std::string, std::string> at_begin_;
  /// Names changed in the transaction, and the value COMMIT keeps for each.
  std::map<std::string, std::string> at_commit_;
  std::shared_ptr<const TimeZone> time_zone_ = utc_time_zone();
};

}  // namespace tessera::executor
