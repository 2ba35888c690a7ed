// Radiation safety rules (app/domain/radiation): zone limits with and without background
// subtraction, annual dose projection, survey verdicts, decay against published half-lives,
// leak tests, dosimetry sums and flags, due dates, settings.
#define BOOST_TEST_MODULE radiation
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "core/time_format.hpp"
#include "app/domain/radiation.hpp"

using namespace niikit;
using namespace niikit::domain::rad;

namespace {
RadiationSettings defaults() { return *settings_from({}); }
PointInput at(Zone z, double rate, double occupancy = 1) {
  PointInput p;
  p.zone = z;
  p.dose_rate_usv_h = rate;
  p.occupancy_factor = occupancy;
  return p;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(rules)

BOOST_AUTO_TEST_CASE(default_limits_are_those_of_design_section_2) {
  const auto s = defaults();
  BOOST_TEST(*s.zone(Zone::public_boundary).limit_usv_h == 2.5);
  BOOST_TEST(!s.zone(Zone::public_boundary).net_of_background);
  BOOST_TEST(*s.zone(Zone::operator_position).limit_usv_h == 1.0);
  BOOST_TEST(s.zone(Zone::operator_position).net_of_background);
  BOOST_TEST(!s.zone(Zone::controlled).limit_usv_h.has_value());
  BOOST_TEST(s.occupational_annual_limit_msv == 20.0);
  BOOST_TEST(s.public_annual_limit_msv == 1.0);
  BOOST_TEST(s.occupational_five_year_limit_msv == 100.0);
  BOOST_TEST(s.occupational_single_year_limit_msv == 50.0);
  BOOST_TEST(s.leak_test_limit_bq == 185.0);
  BOOST_TEST(s.survey_period_months == 12);
}

BOOST_AUTO_TEST_CASE(operator_position_is_judged_above_background_and_boundary_gross) {
  const auto s = defaults();
  // 1.05 gross with 0.10 background: 0.95 above background passes the 1.0 limit.
  auto r = evaluate_point(at(Zone::operator_position, 1.05), 0.10, s);
  BOOST_TEST(r.net_of_background);
  BOOST_TEST(r.judged_rate_usv_h == 0.95, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.pass);
  // 1.15 gross: 1.05 above background fails.
  BOOST_TEST(!evaluate_point(at(Zone::operator_position, 1.15), 0.10, s).pass);
  // Boundary: the gross reading counts, background is not subtracted.
  r = evaluate_point(at(Zone::public_boundary, 2.6), 0.5, s);
  BOOST_TEST(!r.net_of_background);
  BOOST_TEST(r.judged_rate_usv_h == 2.6);
  BOOST_TEST(!r.pass);
  BOOST_TEST(evaluate_point(at(Zone::public_boundary, 2.5), 0.5, s).pass);   // equal to the limit passes
  // Net rate never goes below zero.
  BOOST_TEST(evaluate_point(at(Zone::driver_waiting_area, 0.05), 0.12, s).judged_rate_usv_h == 0.0);
  // No rate limit in the controlled area.
  BOOST_TEST(evaluate_point(at(Zone::controlled, 500), 0.1, s).pass);
}

BOOST_AUTO_TEST_CASE(settings_change_the_zone_rule) {
  auto s = settings_from({{"net_of_background.public_boundary", "yes"}, {"limit_usv_h.controlled", "20"}});
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST(evaluate_point(at(Zone::public_boundary, 2.6), 0.5, *s).pass);   // 2.1 above background
  BOOST_TEST(!evaluate_point(at(Zone::controlled, 25), 0.1, *s).pass);
  BOOST_TEST(!settings_from({{"limit_usv_h.nowhere", "1"}}).has_value());
  BOOST_TEST(!settings_from({{"limit_usv_h.supervised", "-1"}}).has_value());
  BOOST_TEST(!settings_from({{"survey_period_months", "1.5"}}).has_value());
  BOOST_TEST(!settings_from({{"annual_class.controlled", "everyone"}}).has_value());
  BOOST_TEST(full_setting_values({}).size() == radiation_setting_table().size());
}

BOOST_AUTO_TEST_CASE(annual_dose_projection_arithmetic) {
  const auto s = defaults();   // 2000 operating hours per year
  // Rate only: net 0.5 µSv/h × 2000 h × T 0.25 = 250 µSv.
  auto r = evaluate_point(at(Zone::public_boundary, 0.6, 0.25), 0.1, s);
  BOOST_TEST(r.projected_annual_usv == 250.0, boost::test_tools::tolerance(1e-9));
  // Workload: 40,000 scans/y at 20 scans/h = 2000 h; net 1.08 × 2000 × 1/16 = 135 µSv.
  auto p = at(Zone::public_boundary, 1.2, 0.0625);
  p.scans_per_h = 20;
  p.scans_per_year = 40000;
  BOOST_TEST(evaluate_point(p, 0.12, s).projected_annual_usv == 135.0, boost::test_tools::tolerance(1e-9));
  // Dose per scan wins when given: 0.05 µSv × 40,000 × 0.5 = 1000 µSv.
  p.dose_per_scan_usv = 0.05;
  p.occupancy_factor = 0.5;
  BOOST_TEST(evaluate_point(p, 0.12, s).projected_annual_usv == 1000.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(zone_annual_dose_against_occupational_and_public_limits) {
  const auto s = defaults();
  std::vector<JudgedPoint> pts;
  auto add = [&](const char* label, PointInput in) { pts.push_back({label, in, evaluate_point(in, 0.1, s)}); };
  add("C1", at(Zone::controlled, 15.1));              // 15 × 2000 = 30 mSv > 20: zone fails, no rate limit
  add("C2", at(Zone::controlled, 5.1));
  add("B1", at(Zone::public_boundary, 0.6, 1.0));     // 0.5 × 2000 = 1.0 mSv: equal to the public limit passes
  const auto zones = zone_annual_doses(pts, s);
  BOOST_REQUIRE(zones.size() == 2u);
  BOOST_TEST((zones[0].zone == Zone::controlled));
  BOOST_TEST(zones[0].max_projected_msv == 30.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(zones[0].worst_point == "C1");
  BOOST_TEST(zones[0].limit_msv == 20.0);
  BOOST_TEST(!zones[0].pass);
  BOOST_TEST(zones[1].max_projected_msv == 1.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(zones[1].pass);
  SafetyChecks ok{Check::pass, Check::pass, Check::pass, Check::pass};
  auto j = judge_survey("periodic", pts, ok, s);
  BOOST_REQUIRE(j.has_value());
  BOOST_TEST(!j->pass);
  BOOST_TEST(j->reasons.size() == 1u);   // only the controlled zone's annual dose
}

BOOST_AUTO_TEST_CASE(commissioning_needs_every_check_done_periodic_does_not) {
  const auto s = defaults();
  std::vector<JudgedPoint> pts{{"B1", at(Zone::public_boundary, 0.3), evaluate_point(at(Zone::public_boundary, 0.3), 0.1, s)}};
  SafetyChecks partial{Check::pass, Check::pass, Check::not_checked, Check::pass};
  BOOST_TEST(judge_survey("periodic", pts, partial, s)->pass);
  auto c = judge_survey("commissioning", pts, partial, s);
  BOOST_TEST(!c->pass);
  BOOST_TEST(c->reasons.size() == 1u);
  SafetyChecks failed{Check::fail, Check::pass, Check::pass, Check::pass};
  BOOST_TEST(!judge_survey("periodic", pts, failed, s)->pass);
  BOOST_TEST(!judge_survey("periodic", {}, partial, s).has_value());   // no points: cannot judge
}

BOOST_AUTO_TEST_CASE(decay_follows_published_half_lives) {
  // One half-life halves the activity, two quarter it.
  BOOST_TEST(decayed_activity_bq(1.0, co60_half_life_y, 5.2714) == 0.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(decayed_activity_bq(1.0, cs137_half_life_y, 30.08) == 0.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(decayed_activity_bq(3.7e10, cs137_half_life_y, 60.16) == 3.7e10 / 4, boost::test_tools::tolerance(1e-9));
  // After 10 years: 2^(−10/5.2714) and 2^(−10/30.08) (values computed independently).
  BOOST_TEST(decayed_activity_bq(1.0, *half_life_years("co60"), 10.0) == 0.2684956738117512,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(decayed_activity_bq(1.0, *half_life_years("cs137"), 10.0) == 0.7941883986332607,
             boost::test_tools::tolerance(1e-12));
  // Co-60 loses 12.3 % a year.
  BOOST_TEST(1.0 - decayed_activity_bq(1.0, co60_half_life_y, 1.0) == 0.12321375247490496,
             boost::test_tools::tolerance(1e-12));
  // Calendar dates: 2016-01-01 → 2026-01-01 is 3653 days = 10.00137 Julian years.
  const double y = years_between(*parse_utc("2016-01-01"), *parse_utc("2026-01-01"));
  BOOST_TEST(y == 3653.0 / 365.25, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(decayed_activity_bq(1.0, co60_half_life_y, y) == 0.2684473481873143, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(!half_life_years("other").has_value());
}

BOOST_AUTO_TEST_CASE(leak_test_passes_below_the_limit_only) {
  BOOST_TEST(leak_test_passes(184.9, 185));
  BOOST_TEST(!leak_test_passes(185, 185));
  BOOST_TEST(!leak_test_passes(400, 185));
}

BOOST_AUTO_TEST_CASE(dosimetry_annual_and_five_year_sums_with_flags) {
  const auto s = defaults();
  std::vector<DoseRecordInput> r;
  for (int y = 2022; y <= 2025; ++y) r.push_back({y, 22.0, 30.0});
  r.push_back({2021, 40.0, std::nullopt});   // outside the 5-year window for 2026
  r.push_back({2026, 30.0, 400.0});
  r.push_back({2026, 25.0, 150.0});
  auto d = summarise_dose(r, 2026, DoseClass::occupational, s);
  BOOST_TEST(d.annual_hp10_msv == 55.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(d.annual_hp007_msv == 550.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(d.five_year_hp10_msv == 143.0, boost::test_tools::tolerance(1e-12));   // 4 × 22 + 55
  BOOST_TEST(d.records == 2);
  const std::vector<std::string> expected{"over_annual_limit", "over_five_year_limit", "above_average_annual_limit",
                                          "over_skin_limit", "investigation_level"};
  BOOST_TEST(d.flags == expected, boost::test_tools::per_element());
  // 2025: 22 mSv in the year, 5-year 128 (2021–2025).
  d = summarise_dose(r, 2025, DoseClass::occupational, s);
  BOOST_TEST(d.five_year_hp10_msv == 128.0, boost::test_tools::tolerance(1e-12));
  const std::vector<std::string> e2025{"over_five_year_limit", "above_average_annual_limit", "investigation_level"};
  BOOST_TEST(d.flags == e2025, boost::test_tools::per_element());
  // A worker under every level has no flag; a member of the public over 1 mSv has one.
  BOOST_TEST(summarise_dose({{2026, 0.4, 1.0}}, 2026, DoseClass::occupational, s).flags.empty());
  const std::vector<std::string> pub{"over_annual_limit"};
  BOOST_TEST(summarise_dose({{2026, 1.2, std::nullopt}}, 2026, DoseClass::public_exposure, s).flags == pub,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(due_dates_and_month_arithmetic) {
  BOOST_TEST(format_date(add_months(*parse_utc("2026-01-31"), 1)) == "2026-02-28");
  BOOST_TEST(format_date(add_months(*parse_utc("2025-11-24"), 12)) == "2026-11-24");
  BOOST_TEST(format_date(add_months(*parse_utc("2024-02-29"), 12)) == "2025-02-28");
  const auto now = *parse_utc("2026-11-24T09:00:00Z");
  BOOST_TEST((due_state(*parse_utc("2026-11-23"), now, 30) == DueState::overdue));
  BOOST_TEST((due_state(*parse_utc("2026-11-24"), now, 30) == DueState::due_soon));   // due today: not yet overdue
  BOOST_TEST((due_state(*parse_utc("2026-12-24"), now, 30) == DueState::due_soon));
  BOOST_TEST((due_state(*parse_utc("2026-12-25"), now, 30) == DueState::ok));
}

BOOST_AUTO_TEST_SUITE_END()
