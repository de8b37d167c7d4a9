#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera {

/// A time zone: the UTC offset in effect at every instant. Built from a compiled IANA zone
/// (a TZif file of the system tz database, versions 1 to 4), from a POSIX TZ string
/// ("CET-1CEST,M3.5.0,M10.5.0/3", "UTC+3": POSIX offsets count west of Greenwich, as
/// PostgreSQL reads them in SET TIME ZONE) or as a fixed offset. Immutable and thread-safe.
/// Times are seconds since 1970-01-01 00:00:00 UTC ("Unix seconds"); offsets are seconds east
/// of Greenwich.
class TimeZone {
 public:
  /// The name the zone was looked up by, in its canonical spelling ("Europe/Berlin").
  const std::string& name() const { return name_; }

  /// The UTC offset in effect at the instant `utc_seconds`.
  int32_t utc_offset(int64_t utc_seconds) const;
  /// The UTC offset that applies to the local wall-clock time `local_seconds` (a Unix-seconds
  /// count of the local date and time). A time that is skipped by a transition (spring forward)
  /// or occurs twice (fall back) takes the smaller of the two offsets around the transition,
  /// as PostgreSQL does: skipped times move forward, repeated ones resolve to the later instant.
  int32_t local_offset(int64_t local_seconds) const;
  /// The zone abbreviation in effect at `utc_seconds` ("CET", "EDT", "+0530"), as to_char's TZ
  /// prints it.
  std::string abbreviation(int64_t utc_seconds) const;

  /// A zone with one offset forever.
  static std::shared_ptr<const TimeZone> fixed(std::string name, int32_t offset_seconds);
  /// Parses TZif data (RFC 8536); nullptr when malformed.
  static std::shared_ptr<const TimeZone> from_tzif(std::string name, std::string_view bytes);
  /// Parses a POSIX TZ string; nullptr when malformed.
  static std::shared_ptr<const TimeZone> from_posix(std::string name, std::string_view spec);

 private:
  /// A POSIX TZ rule: the offsets and, with daylight saving time, the yearly switch dates.
  struct PosixRule {
    int32_t std_offset = 0;  ///< seconds east
    std::string std_name, dst_name;
    bool has_dst = false;
    int32_t dst_offset = 0;
    /// A switch date: kind 'J' (Julian day 1..365, no Feb 29), 'D' (zero-based day 0..365) or
    /// 'M' (month, week 1..5 with 5 = last, weekday 0 = Sunday), and the local time of day
    /// the switch happens at, in seconds (may be negative or beyond 24 hours).
    struct Date {
      char kind = 'M';
      int month = 0, week = 0, weekday = 0, day = 0;
      int32_t time = 7200;
    };
    Date start, end;
  };

  static std::optional<PosixRule> parse_posix(std::string_view spec);
  int32_t rule_offset(int64_t utc_seconds) const;
  bool rule_is_dst(int64_t utc_seconds) const;

  std::string name_;
  std::vector<int64_t> transitions_;   ///< instants at which the offset changes, ascending
  std::vector<int32_t> offsets_after_;  ///< the offset from transitions_[i] on
  std::vector<std::string> abbreviations_after_;
  int32_t initial_offset_ = 0;          ///< before the first transition
  std::string initial_abbreviation_;
  std::optional<PosixRule> rule_;       ///< after the last transition (TZif footer)
};

/// Looks a zone up by name, as PostgreSQL's TimeZone setting and timestamp input accept it: an
/// IANA name in the system tz database (`TESSERA_ZONEINFO` or /usr/share/zoneinfo, matched
/// case-insensitively, its canonical spelling kept), "UTC"/"GMT"/"Z", or a POSIX TZ string
/// such as "UTC+3" or "+02" (POSIX sign: west positive). Zones read from files are cached for
/// the life of the process. nullptr when the name is unknown. Thread-safe.
std::shared_ptr<const TimeZone> find_time_zone(std::string_view name);

/// The UTC zone.
const std::shared_ptr<const TimeZone>& utc_time_zone();

}  // namespace tessera
