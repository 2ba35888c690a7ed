// Radiation safety rules as pure functions: zone dose-rate limits and per-point verdicts (with
// or without background subtraction), projected annual dose per zone against occupational and
// public limits, survey verdicts, radioactive decay of sealed sources, leak (wipe) test
// verdicts, personal dosimetry sums (calendar year and 5 years) with flags, and "due" dates.
//
// Every limit is a setting with a default (DESIGN §2: IEC 62523 2.5 µSv/h at the system
// boundary, 1.0 µSv/h above background at operator positions; 20 mSv/y occupational, 1 mSv/y
// public). The settings are a key → text map (radiation_setting_table() lists each key with its
// default, unit, range and meaning); RadiationSettings is the parsed form. A survey stores the
// full map it was judged against, so a later change of settings never re-judges old surveys.
// The vocabularies match the CHECK constraints of db/migrations/0002_radiation.sql.
// Pure, thread-safe.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "app/domain/registry_codes.hpp"

namespace niikit::domain::rad {

// ---- vocabularies (stored codes)
const Vocabulary& licence_types();     // possession, use, transport, import, exemption
const Vocabulary& licence_statuses();  // active, suspended, terminated
const Vocabulary& isotopes();          // co60, cs137, other
const Vocabulary& generator_types();   // xray, linac, betatron
const Vocabulary& source_statuses();   // in_use, in_storage, in_transit, returned, disposed, disabled
const Vocabulary& transfer_kinds();    // receipt, transfer, return, disposal
const Vocabulary& detector_types();    // ionisation_chamber, gm, proportional, scintillator, semiconductor, other
const Vocabulary& survey_types();      // commissioning, periodic, post_maintenance, post_incident, decommissioning_clearance
const Vocabulary& zone_classes();      // controlled, supervised, public_boundary, operator_position, driver_waiting_area
const Vocabulary& check_results();     // pass, fail, not_checked
const Vocabulary& worker_categories(); // occupational, public

enum class Zone { controlled, supervised, public_boundary, operator_position, driver_waiting_area };
inline constexpr std::array<Zone, 5> all_zones{Zone::controlled, Zone::supervised, Zone::public_boundary,
                                               Zone::operator_position, Zone::driver_waiting_area};
std::string_view zone_code(Zone zone);
std::optional<Zone> parse_zone(std::string_view code);

// Whose annual limit a zone's projected dose is compared with.
enum class DoseClass { occupational, public_exposure };
std::string_view dose_class_code(DoseClass c);   // "occupational" | "public"

// ---- settings

struct ZoneRule {
  std::optional<double> limit_usv_h;   // dose-rate limit; nullopt = none (judged on annual dose only)
  bool net_of_background = false;      // compare (rate − background) rather than the gross rate
  DoseClass annual_class = DoseClass::public_exposure;
};

struct RadiationSettings {
  std::array<ZoneRule, 5> zones;                    // indexed by Zone
  double occupational_annual_limit_msv = 20;        // ICRP 103 average annual effective dose
  double occupational_single_year_limit_msv = 50;   // in any single year
  double occupational_five_year_limit_msv = 100;    // over 5 consecutive years
  double public_annual_limit_msv = 1;
  double skin_annual_limit_msv = 500;               // Hp(0.07), occupational
  double investigation_annual_msv = 6;              // annual Hp(10) that opens an investigation
  double operating_hours_per_year = 2000;           // beam hours when a point gives no workload
  double leak_test_limit_bq = 185;                  // removable activity on a wipe (ISO 9978: 185 Bq)
  int leak_test_interval_months = 6;
  int survey_period_months = 12;                    // a passed survey stays valid this long
  int due_soon_days = 30;                           // `rad due` window by default

  [[nodiscard]] const ZoneRule& zone(Zone z) const { return zones[static_cast<std::size_t>(z)]; }
  [[nodiscard]] double annual_limit_msv(DoseClass c) const {
    return c == DoseClass::occupational ? occupational_annual_limit_msv : public_annual_limit_msv;
  }
};

struct SettingInfo {
  std::string_view key;            // "limit_usv_h.public_boundary"
  std::string_view default_text;   // "2.5"
  std::string_view unit;           // "µSv/h", "mSv", "months", "" for flags
  std::string_view meaning;        // one line, with its source
};
const std::vector<SettingInfo>& radiation_setting_table();

// Checks one setting's key and value ("limit_usv_h.supervised '-1': must be ≥ 0").
Status check_setting(std::string_view key, std::string_view value);
// Defaults overlaid with `values` (key → text); every key and value is checked.
Result<RadiationSettings> settings_from(const std::map<std::string, std::string>& values);
// The complete key → text map: defaults overlaid with `overrides` (what a survey stores).
std::map<std::string, std::string> full_setting_values(const std::map<std::string, std::string>& overrides);

// ---- survey points and verdicts

struct PointInput {
  Zone zone = Zone::public_boundary;
  double dose_rate_usv_h = 0;                  // measured, gross (includes background)
  std::optional<double> dose_per_scan_usv;     // integrated dose per scan, net of background
  double occupancy_factor = 1;                 // (0, 1]: fraction of the time someone is there
  std::optional<double> scans_per_h;           // workload
  std::optional<double> scans_per_year;
};

struct PointResult {
  bool net_of_background = false;
  double judged_rate_usv_h = 0;               // rate compared with the limit
  std::optional<double> limit_usv_h;
  bool pass = true;
  double projected_annual_usv = 0;            // dose to a person at this point in a year
  std::string annual_basis;                   // how it was projected (one line)
};

// Rate verdict: judged rate ≤ limit (equal passes). Projection, always net of background
// (background is not the practice's dose): dose_per_scan × scans/year × T when both are known;
// else net rate × (scans/year ÷ scans/h) × T; else net rate × operating hours × T.
PointResult evaluate_point(const PointInput& in, double background_usv_h, const RadiationSettings& s);

struct JudgedPoint {
  std::string label;
  PointInput input;
  PointResult result;
};

struct ZoneAnnual {
  Zone zone = Zone::public_boundary;
  DoseClass annual_class = DoseClass::public_exposure;
  int points = 0;
  double max_projected_msv = 0;
  std::string worst_point;
  double limit_msv = 0;
  bool pass = true;
};
// Per zone present: the highest projected annual dose against the zone's class limit.
std::vector<ZoneAnnual> zone_annual_doses(const std::vector<JudgedPoint>& points, const RadiationSettings& s);

enum class Check { pass, fail, not_checked };
struct SafetyChecks {
  Check interlock = Check::not_checked, estop = Check::not_checked, warning_light = Check::not_checked,
        signage = Check::not_checked;
};
std::optional<Check> parse_check(std::string_view code);
std::string_view check_code(Check c);

struct SurveyJudgement {
  bool pass = true;
  std::vector<std::string> reasons;   // every reason it failed, one line each
  std::vector<ZoneAnnual> zones;
};
// A survey fails when any point exceeds its rate limit, any zone's projected annual dose
// exceeds its limit, or any safety check failed; a commissioning survey also fails when a
// safety check was not done. A survey without points cannot be judged (input error).
Result<SurveyJudgement> judge_survey(std::string_view survey_type, const std::vector<JudgedPoint>& points,
                                     const SafetyChecks& checks, const RadiationSettings& s);

// ---- sources

// Half-lives in years (Julian year, 365.25 d) from the ENSDF evaluation as tabulated by
// NNDC NuDat 3: Co-60 5.2714 y, Cs-137 30.08 y. See docs/radiation.md.
inline constexpr double co60_half_life_y = 5.2714;
inline constexpr double cs137_half_life_y = 30.08;
inline constexpr double days_per_year = 365.25;
std::optional<double> half_life_years(std::string_view isotope_code);   // nullopt for "other"

// A(t) = A0 · 2^(−t/T½); t may be negative (before the reference date).
double decayed_activity_bq(double reference_activity_bq, double half_life_y, double elapsed_years);
double years_between(TimePoint from, TimePoint to);

// Passes when the removable activity is below the limit (equal fails).
inline bool leak_test_passes(double result_bq, double limit_bq) { return result_bq < limit_bq; }

// ---- personal dosimetry

struct DoseRecordInput {
  int year = 0;            // calendar year the wear period started in
  double hp10_msv = 0;
  std::optional<double> hp007_msv;
};

struct DoseSummary {
  int year = 0;
  double annual_hp10_msv = 0;
  double annual_hp007_msv = 0;
  double five_year_hp10_msv = 0;    // years [year − 4, year]
  int records = 0;
  std::vector<std::string> flags;   // over_annual_limit, over_five_year_limit, above_average_annual_limit,
                                    // over_skin_limit, investigation_level
};
DoseSummary summarise_dose(const std::vector<DoseRecordInput>& records, int year, DoseClass category,
                           const RadiationSettings& s);

// ---- due dates

enum class DueState { ok, due_soon, overdue };
std::string_view due_state_code(DueState d);
// Overdue when `due` is before today, due soon when within `within_days` of today.
DueState due_state(TimePoint due, TimePoint now, int within_days);
// The same day `months` later (clamped to the month's last day), at midnight UTC.
TimePoint add_months(TimePoint date, int months);

}  // namespace niikit::domain::rad
