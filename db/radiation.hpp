// Radiation safety records (db/migrations/0002_radiation.sql) and the narrow repository
// functions that read and write them: licences and their links, sources, leak tests,
// transfers, survey meters and calibrations, surveys and their points, follow-up actions,
// workers, dosimeters, dose records and the settings overrides. Writes take a WriteTx (the
// caller's audited unit of work); reads take the connection. Codes are plain strings here: the
// rules are app/domain/radiation. Dates are "YYYY-MM-DD", timestamps UTC ISO-8601.
// Not thread-safe (uses the caller's connection).
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::db::rad {

struct Licence {
  std::int64_t id = 0;
  std::string regulator;
  std::string licence_number;
  std::string licence_type;             // possession | use | transport | import | exemption
  std::string scope;
  std::string conditions;
  std::string issued_date;
  std::optional<std::string> expires_date;
  std::string status = "active";        // active | suspended | terminated
  std::optional<std::int64_t> document_id;
  std::string created_at_utc;
};

struct LicenceLink {
  std::int64_t id = 0;
  std::int64_t licence_id = 0;
  std::optional<std::int64_t> scanner_id;
  std::optional<std::int64_t> source_id;
  std::string item;                     // read-only: scanner asset tag or source serial
};

struct Source {
  std::int64_t id = 0;
  std::string source_kind;              // sealed | generator
  std::string serial;
  std::string manufacturer;
  std::string model;
  std::optional<std::string> isotope;   // co60 | cs137 | other (sealed)
  std::string isotope_name;             // for "other", e.g. "Ir-192"
  std::optional<double> half_life_y;    // for "other"
  std::optional<double> activity_bq;    // at reference_date (sealed)
  std::optional<std::string> reference_date;
  std::optional<std::string> generator_type;   // xray | linac | betatron (generator)
  std::optional<double> energy_mev;
  std::optional<std::int64_t> scanner_id;
  std::string scanner_tag;              // read-only, joined
  std::string status = "in_use";
  std::string created_at_utc;
};

struct LeakTest {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::string tested_date;
  double result_bq = 0;
  double limit_bq = 0;
  bool pass = false;
  std::string tested_by;
  std::string certificate;
};

struct Transfer {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::string transfer_kind;            // receipt | transfer | return | disposal
  std::string from_party;
  std::string to_party;
  std::string transfer_date;
  std::string custody_person;
  std::string document_ref;
  std::string note;
};

struct Meter {
  std::int64_t id = 0;
  std::string manufacturer;
  std::string model;
  std::string serial;
  std::string detector_type;
  std::string calibration_certificate;
  std::optional<std::string> calibrated_date;
  std::optional<std::string> calibration_due_date;
  std::string created_at_utc;
};

struct MeterCalibration {
  std::int64_t id = 0;
  std::int64_t meter_id = 0;
  std::string calibration_certificate;
  std::string calibrated_date;
  std::string calibration_due_date;
  std::string laboratory;
};

struct Survey {
  std::int64_t id = 0;
  std::int64_t scanner_id = 0;
  std::string scanner_tag;              // read-only, joined
  std::string survey_type;
  std::string survey_date;
  std::int64_t meter_id = 0;
  std::optional<std::string> meter_calibration_due_date;
  std::int64_t surveyor_id = 0;
  std::string surveyor_name;            // read-only, joined
  std::string energy_mode;
  std::string scan_mode;
  std::string object_in_beam;
  double background_usv_h = 0;
  std::string limits_json = "{}";
  std::string interlock_check = "not_checked";
  std::string estop_check = "not_checked";
  std::string warning_light_check = "not_checked";
  std::string signage_check = "not_checked";
  bool meter_calibration_override = false;
  std::string override_reason;
  std::string status = "open";
  std::optional<std::string> verdict;
  std::string verdict_reasons_json = "[]";
  std::string zone_results_json = "[]";
  std::optional<std::int64_t> closed_by;
  std::optional<std::string> closed_at_utc;
  std::string note;
  std::string created_at_utc;
};

struct SurveyPoint {
  std::int64_t id = 0;
  std::int64_t survey_id = 0;
  std::string label;
  std::string zone_class;
  std::optional<double> distance_m;
  double dose_rate_usv_h = 0;
  std::optional<double> dose_per_scan_usv;
  double occupancy_factor = 1;
  std::optional<double> scans_per_h;
  std::optional<double> scans_per_year;
  bool net_of_background = false;
  double judged_rate_usv_h = 0;
  std::optional<double> limit_usv_h;
  double projected_annual_usv = 0;
  std::string verdict;
  std::string note;
};

struct FollowUp {
  std::int64_t id = 0;
  std::optional<std::int64_t> scanner_id;
  std::optional<std::int64_t> survey_id;
  std::optional<std::int64_t> licence_id;
  std::string action_text;
  std::string status = "open";
  std::optional<std::string> due_date;
  std::string created_at_utc;
};

struct Worker {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> person_id;
  std::string worker_category = "occupational";
  std::string employer;
};

struct DoseRecord {
  std::int64_t id = 0;
  std::int64_t worker_id = 0;
  std::int64_t dosimeter_id = 0;
  std::string dosimeter_code;           // read-only, joined
  std::string period_start;
  std::string period_end;
  double hp10_msv = 0;
  std::optional<double> hp007_msv;
  std::string import_file;
};

// --- licences
Result<std::int64_t> insert_licence(WriteTx& tx, const Licence& l);
Status update_licence(WriteTx& tx, const Licence& l);
std::optional<Licence> find_licence(SQLite::Database& sql, const std::string& number_or_id);
std::vector<Licence> list_licences(SQLite::Database& sql);
Result<std::int64_t> insert_licence_link(WriteTx& tx, const LicenceLink& link);
std::vector<LicenceLink> licence_links(SQLite::Database& sql, std::int64_t licence_id);
std::vector<Licence> licences_for_scanner(SQLite::Database& sql, std::int64_t scanner_id);

// --- sources, leak tests, transfers
Result<std::int64_t> insert_source(WriteTx& tx, const Source& s);
Status update_source(WriteTx& tx, const Source& s);
std::optional<Source> find_source(SQLite::Database& sql, const std::string& serial_or_id);
std::vector<Source> list_sources(SQLite::Database& sql);
Result<std::int64_t> insert_leak_test(WriteTx& tx, const LeakTest& t);
std::vector<LeakTest> leak_tests_for(SQLite::Database& sql, std::int64_t source_id);
Result<std::int64_t> insert_transfer(WriteTx& tx, const Transfer& t);
std::vector<Transfer> transfers_for(SQLite::Database& sql, std::int64_t source_id);

// --- meters
Result<std::int64_t> insert_meter(WriteTx& tx, const Meter& m);
Status update_meter(WriteTx& tx, const Meter& m);
std::optional<Meter> find_meter(SQLite::Database& sql, const std::string& serial_or_id);
std::vector<Meter> list_meters(SQLite::Database& sql);
Result<std::int64_t> insert_calibration(WriteTx& tx, const MeterCalibration& c);
std::vector<MeterCalibration> calibrations_for(SQLite::Database& sql, std::int64_t meter_id);

// --- surveys
Result<std::int64_t> insert_survey(WriteTx& tx, const Survey& s);
Status update_survey(WriteTx& tx, const Survey& s);
std::optional<Survey> find_survey(SQLite::Database& sql, std::int64_t id);
std::vector<Survey> list_surveys(SQLite::Database& sql, std::optional<std::int64_t> scanner_id);
Result<std::int64_t> insert_point(WriteTx& tx, const SurveyPoint& p);
std::vector<SurveyPoint> points_for(SQLite::Database& sql, std::int64_t survey_id);
// True when the survey already has a point with this label (one indexed lookup: UNIQUE
// (survey_id, label)), so a bulk import checks each row in constant time.
bool point_label_taken(SQLite::Database& sql, std::int64_t survey_id, const std::string& label);

// --- follow-up actions
Result<std::int64_t> insert_follow_up(WriteTx& tx, const FollowUp& f);
std::vector<FollowUp> follow_ups(SQLite::Database& sql, std::optional<std::int64_t> scanner_id, bool open_only);

// --- workers and doses
Result<std::int64_t> insert_worker(WriteTx& tx, const Worker& w);
std::optional<Worker> find_worker(SQLite::Database& sql, const std::string& name_or_id);
std::vector<Worker> list_workers(SQLite::Database& sql);
// The dosimeter's id and its worker, if the code is known.
std::optional<std::pair<std::int64_t, std::int64_t>> find_dosimeter(SQLite::Database& sql, const std::string& code);
Result<std::int64_t> insert_dosimeter(WriteTx& tx, const std::string& code, std::int64_t worker_id);
Result<std::int64_t> insert_dose(WriteTx& tx, const DoseRecord& d);
std::vector<DoseRecord> doses_for(SQLite::Database& sql, std::int64_t worker_id);
// True when the dosimeter already has a record for the period starting on `period_start`
// (one indexed lookup: UNIQUE (dosimeter_id, period_start)).
bool dose_recorded(SQLite::Database& sql, std::int64_t dosimeter_id, const std::string& period_start);

// --- settings (overrides of the defaults in app/domain/radiation.cpp)
std::map<std::string, std::string> load_settings(SQLite::Database& sql);
Status put_setting(WriteTx& tx, const std::string& key, const std::string& value);

// --- batch reads for gate facts (one query each, for one scanner or all)
struct ScannerLicenceState {
  bool valid_licence = false;    // an active possession/use licence in force today
  bool exemption = false;        // an active regulator exemption in force today
  bool any_linked = false;       // some licence of any state is linked
};
std::map<std::int64_t, ScannerLicenceState> licence_states(SQLite::Database& sql, std::optional<std::int64_t> scanner,
                                                           const std::string& today);
struct ScannerSurveyState {
  bool commissioning_passed = false;
  bool clearance_passed = false;
  std::optional<std::string> latest_date;      // newest closed survey other than clearance
  std::optional<std::string> latest_verdict;
  std::optional<std::string> latest_passed_date;
};
std::map<std::int64_t, ScannerSurveyState> survey_states(SQLite::Database& sql, std::optional<std::int64_t> scanner);

}  // namespace niikit::db::rad
