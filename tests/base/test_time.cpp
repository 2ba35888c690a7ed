#include <boost/test/unit_test.hpp>

#include "core/time_format.hpp"

using namespace niikit;

BOOST_AUTO_TEST_CASE(utc_timestamps_round_trip) {
  for (const char* text : {"2026-11-24T05:49:33Z", "2000-02-29T23:59:59Z", "1970-01-01T00:00:00Z"}) {
    auto t = parse_utc(text);
    BOOST_REQUIRE(t.has_value());
    BOOST_TEST(format_utc(*t) == text);
  }
  BOOST_TEST(format_utc(*parse_utc("2026-03-01")) == "2026-03-01T00:00:00Z");
  BOOST_TEST(format_utc(*parse_utc("2026-03-01 10:20:30")) == "2026-03-01T10:20:30Z");
}

BOOST_AUTO_TEST_CASE(impossible_or_malformed_dates_are_refused) {
  for (const char* text : {"2026-02-30", "2025-02-29", "2026-13-01", "2026-1-1", "24/11/2026", "", "2026-11-24T25:00:00Z",
                           "2026-11-24T10:61:00Z", "2026-11-24Tjunk", "2026-11-24x"})
    BOOST_TEST(!parse_utc(text).has_value(), "accepted " << text);
}
