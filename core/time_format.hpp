// UTC ISO-8601 timestamps as stored in the database ("2026-11-24T05:49:33Z") and dates
// ("2026-11-24"). Header-only, pure functions.
#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace niikit {

inline std::string format_utc(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

inline std::string format_date(TimePoint t) { return format_utc(t).substr(0, 10); }

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DD HH:MM:SS" (taken as UTC).
// Returns nothing for anything else, including impossible dates (2026-02-30).
inline std::optional<TimePoint> parse_utc(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::string str(text);
  int consumed = 0;
  if (str.size() == 10) {
    if (std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10)
      return std::nullopt;
  } else if (str.size() == 20 && str[19] == 'Z' && (str[10] == 'T' || str[10] == ' ')) {
    if (std::sscanf(str.c_str(), "%4d-%2d-%2d%*c%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                    &consumed) != 6 || consumed != 19)
      return std::nullopt;
  } else if (str.size() == 19 && (str[10] == 'T' || str[10] == ' ')) {
    if (std::sscanf(str.c_str(), "%4d-%2d-%2d%*c%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                    &consumed) != 6 || consumed != 19)
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace niikit
