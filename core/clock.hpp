// Injected wall clock. Services take a Clock so tests and demos run at a fixed time;
// the CLI builds one from the system clock, or from NIIKIT_NOW (an ISO-8601 UTC instant)
// when that is set, so a demo can be replayed exactly. Thread-safe (holds a value or reads
// the system clock).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace niikit {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  Clock() = default;                                       // system clock
  explicit Clock(TimePoint fixed) : fixed_(fixed) {}       // frozen at `fixed`
  [[nodiscard]] TimePoint now() const {
    if (fixed_) return *fixed_;
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }

 private:
  std::optional<TimePoint> fixed_;
};

}  // namespace niikit
