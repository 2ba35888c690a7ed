// Radiation safety use cases shared by the CLI and (later) the web: licences and what they
// cover, sealed sources and generators with leak tests and chain of custody, survey meters and
// their calibrations, surveys judged point by point against the stored limits, personal
// dosimetry, what is due, the RSO's limit settings, and enforcement.
//
// Each command runs in one unit of work (audited). Refusals:
//  - a survey whose meter's calibration had lapsed on the survey date is refused with
//    ErrorCode::gate_refused (a safety rule, like a stage gate) unless an override reason is
//    given; the survey then carries meter_calibration_override = 1 and the reason, shown on
//    every view and report;
//  - closing a survey that fails takes an in-service scanner out of service
//    (force_out_of_service_in) and opens a follow-up action, in the same unit of work;
//  - enforce(): every in-service scanner linked to a licence that is no longer in force
//    (expired, suspended, terminated) and covered by no other valid licence is taken out of
//    service with a follow-up action. Idempotent. It runs in `rad enforce` and at the start of
//    `rad due`.
// Text fields are checked with one-line messages naming the field. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/domain/radiation.hpp"
#include "app/services/import_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/database.hpp"
#include "db/radiation.hpp"
#include "db/registry.hpp"

namespace niikit::services::rad {

// The settings in force (defaults overlaid with the stored overrides).
Result<domain::rad::RadiationSettings> current_settings(SQLite::Database& sql);

// ---- licences
struct LicenceInput {
  std::string regulator, number, type, scope, conditions;
  std::string issued;               // YYYY-MM-DD
  std::string expires;              // YYYY-MM-DD, "" = no expiry
  std::string status = "active";
  std::vector<std::string> scanners;   // asset tags or ids to link
  std::vector<std::string> sources;    // source serials or ids to link
};
struct LicenceView {
  db::rad::Licence licence;
  std::vector<db::rad::LicenceLink> links;
  std::string state;                 // in_force | expired | not_yet_valid | suspended | terminated
  std::optional<int> days_to_expiry; // negative when expired
};
Result<LicenceView> add_licence(db::Database& db, const std::string& actor, const LicenceInput& in);
Result<LicenceView> link_licence(db::Database& db, const std::string& actor, const std::string& licence,
                                 const std::vector<std::string>& scanners, const std::vector<std::string>& sources);
Result<LicenceView> set_licence_status(db::Database& db, const std::string& actor, const std::string& licence,
                                       const std::string& status);
Result<LicenceView> show_licence(db::Database& db, const std::string& licence);
Result<std::vector<LicenceView>> list_licences(db::Database& db);

// ---- sources
struct SourceInput {
  std::string kind;                  // sealed | generator
  std::string serial, manufacturer, model;
  std::string isotope, isotope_name; // sealed
  std::optional<double> half_life_y; // sealed "other" only
  std::optional<double> activity_bq; // sealed: at reference date
  std::string reference_date;        // sealed: YYYY-MM-DD
  std::string generator_type;        // generator: xray | linac | betatron
  std::optional<double> energy_mev;
  std::string scanner;               // installed in (asset tag or id), optional
  std::string status = "in_use";
};
struct SourceView {
  db::rad::Source source;
  std::optional<double> half_life_y;         // sealed
  std::optional<double> current_activity_bq; // sealed, decayed to today
  std::vector<db::rad::LeakTest> leak_tests;
  std::vector<db::rad::Transfer> transfers;
  std::optional<std::string> leak_test_due_date;   // sealed, not returned/disposed
};
Result<SourceView> add_source(db::Database& db, const std::string& actor, const SourceInput& in);
Result<SourceView> show_source(db::Database& db, const std::string& source);
Result<std::vector<SourceView>> list_sources(db::Database& db);

struct LeakTestInput {
  std::string source, date;
  std::optional<double> result_bq;
  std::optional<double> limit_bq;    // default: setting leak_test_limit_bq
  std::string tested_by, certificate;
};
Result<db::rad::LeakTest> record_leak_test(db::Database& db, const std::string& actor, const LeakTestInput& in);

struct TransferInput {
  std::string source, kind, from, to, date, custody_person, document_ref, note;
  std::string new_status;            // optional; return → returned, disposal → disposed by default
};
Result<db::rad::Transfer> record_transfer(db::Database& db, const std::string& actor, const TransferInput& in);

// ---- meters
struct MeterInput {
  std::string manufacturer, model, serial, detector_type;
  std::string certificate, calibrated, due, laboratory;   // optional first calibration
};
struct CalibrationInput {
  std::string meter, certificate, calibrated, due, laboratory;
};
Result<db::rad::Meter> add_meter(db::Database& db, const std::string& actor, const MeterInput& in);
Result<db::rad::Meter> calibrate_meter(db::Database& db, const std::string& actor, const CalibrationInput& in);
Result<std::vector<db::rad::Meter>> list_meters(db::Database& db);

// ---- surveys
struct SurveyInput {
  std::string scanner, type, date, meter, surveyor;   // surveyor: person name or id
  std::string energy_mode, scan_mode, object_in_beam;
  std::optional<double> background_usv_h;
  std::string interlock = "not_checked", estop = "not_checked", warning_light = "not_checked",
              signage = "not_checked";
  std::string allow_lapsed_meter_reason;               // non-empty: record despite a lapsed meter
  std::string note;
};
Result<db::rad::Survey> add_survey(db::Database& db, const std::string& actor, const SurveyInput& in);

// Point fields as typed: label*, zone*, dose_rate_usv_h*, distance_m, dose_per_scan_usv,
// occupancy_factor (default 1), scans_per_h, scans_per_year, note. The same names are the CSV
// columns of import_points.
std::vector<std::string> point_columns();
Result<db::rad::SurveyPoint> add_point(db::Database& db, const std::string& actor, std::int64_t survey_id,
                                       const Fields& fields);
// All-or-nothing, every bad row reported with line and field.
Result<ImportResult> import_points(db::Database& db, const std::string& actor, std::int64_t survey_id,
                                   const std::string& path);

struct CloseResult {
  db::rad::Survey survey;
  domain::rad::SurveyJudgement judgement;
  std::optional<db::Decision> forced_out_of_service;
  std::optional<db::rad::FollowUp> follow_up;
};
// Judges the open survey against its stored limits and closes it. A failed survey takes an
// in-service scanner out of service and opens a follow-up (`follow_up_text`, or a default).
Result<CloseResult> close_survey(db::Database& db, const std::string& by, std::int64_t survey_id,
                                 const std::string& follow_up_text);

struct SurveyView {
  db::rad::Survey survey;
  db::Scanner scanner;
  db::rad::Meter meter;
  std::vector<db::rad::SurveyPoint> points;
  std::map<std::string, std::string> limits;            // as stored with the survey
  std::vector<domain::rad::ZoneAnnual> zones;           // recomputed from points and limits
  std::vector<std::string> verdict_reasons;
  std::vector<db::rad::FollowUp> follow_ups;
  bool meter_lapsed_on_survey_date = false;
};
Result<SurveyView> show_survey(db::Database& db, std::int64_t survey_id);
Result<std::vector<db::rad::Survey>> list_surveys(db::Database& db, const std::string& scanner);

// ---- dosimetry
// Dosimetry service CSV: worker*, dosimeter*, period_start*, period_end*, hp10_msv*, hp007_msv,
// category (occupational|public, for new workers), employer. Unknown workers and dosimeters are
// created; a dosimeter already issued to another worker is an error.
std::vector<std::string> dose_columns();
Result<ImportResult> import_doses(db::Database& db, const std::string& actor, const std::string& path);
struct WorkerDose {
  db::rad::Worker worker;
  domain::rad::DoseSummary summary;
};
Result<std::vector<WorkerDose>> dose_summary(db::Database& db, int year, const std::string& worker);

// ---- dues and enforcement
struct DueItem {
  std::string kind;        // licence | meter_calibration | leak_test | periodic_survey
  std::string item;        // licence number, meter serial, source serial, scanner asset tag
  std::string due_date;    // YYYY-MM-DD ("" when never done: overdue)
  std::string state;       // ok | due_soon | overdue
  std::string detail;
};
// Everything due within `within_days` (default: setting due_soon_days) or overdue.
Result<std::vector<DueItem>> due_items(db::Database& db, std::optional<int> within_days);

struct Enforcement {
  std::string scanner;     // asset tag
  std::string licence;     // licence number that lapsed
  std::int64_t decision_id = 0;
  std::int64_t follow_up_id = 0;
};
Result<std::vector<Enforcement>> enforce(db::Database& db, const std::string& actor);

// ---- settings
struct SettingRow {
  std::string key, value, default_value, unit, meaning;
  bool changed = false;
};
Result<std::vector<SettingRow>> show_settings(db::Database& db);
Result<SettingRow> set_setting(db::Database& db, const std::string& actor, const std::string& key,
                               const std::string& value);

// ---- demo
struct DemoRadiation {
  std::int64_t licence_id = 0;
  std::int64_t meter_id = 0;
  std::int64_t survey_id = 0;
  std::string verdict;     // "pass"
};
// For the demo: records, as `rso` (a person with role rso, must exist), a use licence
// "<asset tag>-LIC" from "National Radiation Protection Authority" valid from `date` for five
// years linked to `scanner`, a survey meter calibrated 60 days before `date`, and a closed
// commissioning survey dated `date` with ten realistic points (boundary, operator cabin,
// driver waiting area, supervised and controlled zones) that passes. One unit of work each
// step; `date` is YYYY-MM-DD, not after the database clock's today.
Result<DemoRadiation> record_demo_radiation(db::Database& db, const std::string& scanner, const std::string& rso,
                                            const std::string& date);

}  // namespace niikit::services::rad
