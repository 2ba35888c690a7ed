#include "db/radiation.hpp"

#include <SQLiteCpp/Statement.h>

#include <charconv>

#include "core/time_format.hpp"
#include "db/repository_support.hpp"

namespace niikit::db::rad {

namespace {

using namespace support;

// ---- licences
const std::string licence_select =
    "SELECT x.id, x.regulator, x.licence_number, x.licence_type, x.scope, x.conditions, x.issued_date, "
    "x.expires_date, x.status, x.document_id, x.created_at_utc FROM rad_licences x";
Licence map_licence(SQLite::Statement& q) {
  Cols c(q);
  Licence l;
  l.id = c.id();
  l.regulator = c.text();
  l.licence_number = c.text();
  l.licence_type = c.text();
  l.scope = c.text();
  l.conditions = c.text();
  l.issued_date = c.text();
  l.expires_date = c.opt_text();
  l.status = c.text();
  l.document_id = c.opt_id();
  l.created_at_utc = c.text();
  return l;
}
Row licence_row(const Licence& l) {
  return {{"regulator", l.regulator},       {"licence_number", l.licence_number}, {"licence_type", l.licence_type},
          {"scope", l.scope},               {"conditions", l.conditions},         {"issued_date", l.issued_date},
          {"expires_date", opt(l.expires_date)}, {"status", l.status},           {"document_id", opt(l.document_id)}};
}

// ---- sources
const std::string source_select =
    "SELECT x.id, x.source_kind, x.serial, x.manufacturer, x.model, x.isotope, x.isotope_name, x.half_life_y, "
    "x.activity_bq, x.reference_date, x.generator_type, x.energy_mev, x.scanner_id, coalesce(s.asset_tag, ''), "
    "x.status, x.created_at_utc FROM rad_sources x LEFT JOIN scanners s ON s.id = x.scanner_id";
Source map_source(SQLite::Statement& q) {
  Cols c(q);
  Source s;
  s.id = c.id();
  s.source_kind = c.text();
  s.serial = c.text();
  s.manufacturer = c.text();
  s.model = c.text();
  s.isotope = c.opt_text();
  s.isotope_name = c.text();
  s.half_life_y = c.opt_real();
  s.activity_bq = c.opt_real();
  s.reference_date = c.opt_text();
  s.generator_type = c.opt_text();
  s.energy_mev = c.opt_real();
  s.scanner_id = c.opt_id();
  s.scanner_tag = c.text();
  s.status = c.text();
  s.created_at_utc = c.text();
  return s;
}
Row source_row(const Source& s) {
  return {{"source_kind", s.source_kind},       {"serial", s.serial},
          {"manufacturer", s.manufacturer},     {"model", s.model},
          {"isotope", opt(s.isotope)},          {"isotope_name", s.isotope_name},
          {"half_life_y", opt(s.half_life_y)},  {"activity_bq", opt(s.activity_bq)},
          {"reference_date", opt(s.reference_date)}, {"generator_type", opt(s.generator_type)},
          {"energy_mev", opt(s.energy_mev)},    {"scanner_id", opt(s.scanner_id)},
          {"status", s.status}};
}

// ---- meters
const std::string meter_select =
    "SELECT x.id, x.manufacturer, x.model, x.serial, x.detector_type, x.calibration_certificate, x.calibrated_date, "
    "x.calibration_due_date, x.created_at_utc FROM rad_meters x";
Meter map_meter(SQLite::Statement& q) {
  Cols c(q);
  Meter m;
  m.id = c.id();
  m.manufacturer = c.text();
  m.model = c.text();
  m.serial = c.text();
  m.detector_type = c.text();
  m.calibration_certificate = c.text();
  m.calibrated_date = c.opt_text();
  m.calibration_due_date = c.opt_text();
  m.created_at_utc = c.text();
  return m;
}
Row meter_row(const Meter& m) {
  return {{"manufacturer", m.manufacturer},
          {"model", m.model},
          {"serial", m.serial},
          {"detector_type", m.detector_type},
          {"calibration_certificate", m.calibration_certificate},
          {"calibrated_date", opt(m.calibrated_date)},
          {"calibration_due_date", opt(m.calibration_due_date)}};
}

// ---- surveys
const std::string survey_select =
    "SELECT x.id, x.scanner_id, s.asset_tag, x.survey_type, x.survey_date, x.meter_id, x.meter_calibration_due_date, "
    "x.surveyor_id, p.name, x.energy_mode, x.scan_mode, x.object_in_beam, x.background_usv_h, x.limits_json, "
    "x.interlock_check, x.estop_check, x.warning_light_check, x.signage_check, x.meter_calibration_override, "
    "x.override_reason, x.status, x.verdict, x.verdict_reasons_json, x.zone_results_json, x.closed_by, "
    "x.closed_at_utc, x.note, x.created_at_utc FROM rad_surveys x JOIN scanners s ON s.id = x.scanner_id "
    "JOIN people p ON p.id = x.surveyor_id";
Survey map_survey(SQLite::Statement& q) {
  Cols c(q);
  Survey s;
  s.id = c.id();
  s.scanner_id = c.id();
  s.scanner_tag = c.text();
  s.survey_type = c.text();
  s.survey_date = c.text();
  s.meter_id = c.id();
  s.meter_calibration_due_date = c.opt_text();
  s.surveyor_id = c.id();
  s.surveyor_name = c.text();
  s.energy_mode = c.text();
  s.scan_mode = c.text();
  s.object_in_beam = c.text();
  s.background_usv_h = c.real();
  s.limits_json = c.text();
  s.interlock_check = c.text();
  s.estop_check = c.text();
  s.warning_light_check = c.text();
  s.signage_check = c.text();
  s.meter_calibration_override = c.yes();
  s.override_reason = c.text();
  s.status = c.text();
  s.verdict = c.opt_text();
  s.verdict_reasons_json = c.text();
  s.zone_results_json = c.text();
  s.closed_by = c.opt_id();
  s.closed_at_utc = c.opt_text();
  s.note = c.text();
  s.created_at_utc = c.text();
  return s;
}
Row survey_row(const Survey& s) {
  return {{"scanner_id", s.scanner_id},
          {"survey_type", s.survey_type},
          {"survey_date", s.survey_date},
          {"meter_id", s.meter_id},
          {"meter_calibration_due_date", opt(s.meter_calibration_due_date)},
          {"surveyor_id", s.surveyor_id},
          {"energy_mode", s.energy_mode},
          {"scan_mode", s.scan_mode},
          {"object_in_beam", s.object_in_beam},
          {"background_usv_h", s.background_usv_h},
          {"limits_json", s.limits_json},
          {"interlock_check", s.interlock_check},
          {"estop_check", s.estop_check},
          {"warning_light_check", s.warning_light_check},
          {"signage_check", s.signage_check},
          {"meter_calibration_override", flag(s.meter_calibration_override)},
          {"override_reason", s.override_reason},
          {"status", s.status},
          {"verdict", opt(s.verdict)},
          {"verdict_reasons_json", s.verdict_reasons_json},
          {"zone_results_json", s.zone_results_json},
          {"closed_by", opt(s.closed_by)},
          {"closed_at_utc", opt(s.closed_at_utc)},
          {"note", s.note}};
}

const std::string point_select =
    "SELECT x.id, x.survey_id, x.label, x.zone_class, x.distance_m, x.dose_rate_usv_h, x.dose_per_scan_usv, "
    "x.occupancy_factor, x.scans_per_h, x.scans_per_year, x.net_of_background, x.judged_rate_usv_h, x.limit_usv_h, "
    "x.projected_annual_usv, x.verdict, x.note FROM rad_survey_points x";
SurveyPoint map_point(SQLite::Statement& q) {
  Cols c(q);
  SurveyPoint p;
  p.id = c.id();
  p.survey_id = c.id();
  p.label = c.text();
  p.zone_class = c.text();
  p.distance_m = c.opt_real();
  p.dose_rate_usv_h = c.real();
  p.dose_per_scan_usv = c.opt_real();
  p.occupancy_factor = c.real();
  p.scans_per_h = c.opt_real();
  p.scans_per_year = c.opt_real();
  p.net_of_background = c.yes();
  p.judged_rate_usv_h = c.real();
  p.limit_usv_h = c.opt_real();
  p.projected_annual_usv = c.real();
  p.verdict = c.text();
  p.note = c.text();
  return p;
}

const std::string worker_select =
    "SELECT x.id, x.name, x.person_id, x.worker_category, x.employer FROM rad_workers x";
Worker map_worker(SQLite::Statement& q) {
  Cols c(q);
  Worker w;
  w.id = c.id();
  w.name = c.text();
  w.person_id = c.opt_id();
  w.worker_category = c.text();
  w.employer = c.text();
  return w;
}

Result<std::int64_t> insert_stamped(WriteTx& tx, const std::string& table, Row row) {
  row.emplace_back("created_at_utc", format_utc(tx.now()));
  return tx.insert(table, row);
}

}  // namespace

Result<std::int64_t> insert_licence(WriteTx& tx, const Licence& l) {
  return insert_stamped(tx, "rad_licences", licence_row(l));
}
Status update_licence(WriteTx& tx, const Licence& l) { return tx.update("rad_licences", l.id, licence_row(l)); }
std::optional<Licence> find_licence(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Licence>(sql, licence_select, "x.licence_number", key, map_licence);
}
std::vector<Licence> list_licences(SQLite::Database& sql) {
  return query_list<Licence>(sql, licence_select + " ORDER BY x.id", map_licence);
}
Result<std::int64_t> insert_licence_link(WriteTx& tx, const LicenceLink& link) {
  return insert_stamped(tx, "rad_licence_links", {{"licence_id", link.licence_id},
                                                  {"scanner_id", opt(link.scanner_id)},
                                                  {"source_id", opt(link.source_id)}});
}
std::vector<LicenceLink> licence_links(SQLite::Database& sql, std::int64_t licence_id) {
  return query_list<LicenceLink>(
      sql,
      "SELECT l.id, l.licence_id, l.scanner_id, l.source_id, coalesce(s.asset_tag, r.serial, '') FROM rad_licence_links l "
      "LEFT JOIN scanners s ON s.id = l.scanner_id LEFT JOIN rad_sources r ON r.id = l.source_id "
      "WHERE l.licence_id = ? ORDER BY l.id",
      [](SQLite::Statement& q) {
        Cols c(q);
        LicenceLink k;
        k.id = c.id();
        k.licence_id = c.id();
        k.scanner_id = c.opt_id();
        k.source_id = c.opt_id();
        k.item = c.text();
        return k;
      },
      licence_id);
}
std::vector<Licence> licences_for_scanner(SQLite::Database& sql, std::int64_t scanner_id) {
  return query_list<Licence>(sql,
                        licence_select + " WHERE x.id IN (SELECT licence_id FROM rad_licence_links WHERE scanner_id = ?)"
                                         " ORDER BY x.id",
                        map_licence, scanner_id);
}

Result<std::int64_t> insert_source(WriteTx& tx, const Source& s) {
  return insert_stamped(tx, "rad_sources", source_row(s));
}
Status update_source(WriteTx& tx, const Source& s) { return tx.update("rad_sources", s.id, source_row(s)); }
std::optional<Source> find_source(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Source>(sql, source_select, "x.serial", key, map_source);
}
std::vector<Source> list_sources(SQLite::Database& sql) {
  return query_list<Source>(sql, source_select + " ORDER BY x.id", map_source);
}
Result<std::int64_t> insert_leak_test(WriteTx& tx, const LeakTest& t) {
  return insert_stamped(tx, "rad_leak_tests", {{"source_id", t.source_id},
                                               {"tested_date", t.tested_date},
                                               {"result_bq", t.result_bq},
                                               {"limit_bq", t.limit_bq},
                                               {"pass", flag(t.pass)},
                                               {"tested_by", t.tested_by},
                                               {"certificate", t.certificate}});
}
std::vector<LeakTest> leak_tests_for(SQLite::Database& sql, std::int64_t source_id) {
  return query_list<LeakTest>(
      sql,
      "SELECT id, source_id, tested_date, result_bq, limit_bq, pass, tested_by, certificate FROM rad_leak_tests "
      "WHERE source_id = ? ORDER BY tested_date, id",
      [](SQLite::Statement& q) {
        Cols c(q);
        LeakTest t;
        t.id = c.id();
        t.source_id = c.id();
        t.tested_date = c.text();
        t.result_bq = c.real();
        t.limit_bq = c.real();
        t.pass = c.yes();
        t.tested_by = c.text();
        t.certificate = c.text();
        return t;
      },
      source_id);
}
Result<std::int64_t> insert_transfer(WriteTx& tx, const Transfer& t) {
  return insert_stamped(tx, "rad_transfers", {{"source_id", t.source_id},
                                              {"transfer_kind", t.transfer_kind},
                                              {"from_party", t.from_party},
                                              {"to_party", t.to_party},
                                              {"transfer_date", t.transfer_date},
                                              {"custody_person", t.custody_person},
                                              {"document_ref", t.document_ref},
                                              {"note", t.note}});
}
std::vector<Transfer> transfers_for(SQLite::Database& sql, std::int64_t source_id) {
  return query_list<Transfer>(
      sql,
      "SELECT id, source_id, transfer_kind, from_party, to_party, transfer_date, custody_person, document_ref, note "
      "FROM rad_transfers WHERE source_id = ? ORDER BY transfer_date, id",
      [](SQLite::Statement& q) {
        Cols c(q);
        Transfer t;
        t.id = c.id();
        t.source_id = c.id();
        t.transfer_kind = c.text();
        t.from_party = c.text();
        t.to_party = c.text();
        t.transfer_date = c.text();
        t.custody_person = c.text();
        t.document_ref = c.text();
        t.note = c.text();
        return t;
      },
      source_id);
}

Result<std::int64_t> insert_meter(WriteTx& tx, const Meter& m) { return insert_stamped(tx, "rad_meters", meter_row(m)); }
Status update_meter(WriteTx& tx, const Meter& m) { return tx.update("rad_meters", m.id, meter_row(m)); }
std::optional<Meter> find_meter(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Meter>(sql, meter_select, "x.serial", key, map_meter);
}
std::vector<Meter> list_meters(SQLite::Database& sql) {
  return query_list<Meter>(sql, meter_select + " ORDER BY x.id", map_meter);
}
Result<std::int64_t> insert_calibration(WriteTx& tx, const MeterCalibration& c) {
  return insert_stamped(tx, "rad_meter_calibrations", {{"meter_id", c.meter_id},
                                                       {"calibration_certificate", c.calibration_certificate},
                                                       {"calibrated_date", c.calibrated_date},
                                                       {"calibration_due_date", c.calibration_due_date},
                                                       {"laboratory", c.laboratory}});
}
std::vector<MeterCalibration> calibrations_for(SQLite::Database& sql, std::int64_t meter_id) {
  return query_list<MeterCalibration>(
      sql,
      "SELECT id, meter_id, calibration_certificate, calibrated_date, calibration_due_date, laboratory "
      "FROM rad_meter_calibrations WHERE meter_id = ? ORDER BY calibrated_date, id",
      [](SQLite::Statement& q) {
        Cols c(q);
        MeterCalibration m;
        m.id = c.id();
        m.meter_id = c.id();
        m.calibration_certificate = c.text();
        m.calibrated_date = c.text();
        m.calibration_due_date = c.text();
        m.laboratory = c.text();
        return m;
      },
      meter_id);
}

Result<std::int64_t> insert_survey(WriteTx& tx, const Survey& s) {
  return insert_stamped(tx, "rad_surveys", survey_row(s));
}
Status update_survey(WriteTx& tx, const Survey& s) { return tx.update("rad_surveys", s.id, survey_row(s)); }
std::optional<Survey> find_survey(SQLite::Database& sql, std::int64_t id) {
  SQLite::Statement q(sql, survey_select + " WHERE x.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return map_survey(q);
}
std::vector<Survey> list_surveys(SQLite::Database& sql, std::optional<std::int64_t> scanner_id) {
  return query_list<Survey>(sql, survey_select + (scanner_id ? " WHERE x.scanner_id = ?" : "") + " ORDER BY x.survey_date, x.id",
                       map_survey, scanner_id);
}
Result<std::int64_t> insert_point(WriteTx& tx, const SurveyPoint& p) {
  return insert_stamped(tx, "rad_survey_points", {{"survey_id", p.survey_id},
                                                  {"label", p.label},
                                                  {"zone_class", p.zone_class},
                                                  {"distance_m", opt(p.distance_m)},
                                                  {"dose_rate_usv_h", p.dose_rate_usv_h},
                                                  {"dose_per_scan_usv", opt(p.dose_per_scan_usv)},
                                                  {"occupancy_factor", p.occupancy_factor},
                                                  {"scans_per_h", opt(p.scans_per_h)},
                                                  {"scans_per_year", opt(p.scans_per_year)},
                                                  {"net_of_background", flag(p.net_of_background)},
                                                  {"judged_rate_usv_h", p.judged_rate_usv_h},
                                                  {"limit_usv_h", opt(p.limit_usv_h)},
                                                  {"projected_annual_usv", p.projected_annual_usv},
                                                  {"verdict", p.verdict},
                                                  {"note", p.note}});
}
std::vector<SurveyPoint> points_for(SQLite::Database& sql, std::int64_t survey_id) {
  return query_list<SurveyPoint>(sql, point_select + " WHERE x.survey_id = ? ORDER BY x.id", map_point, survey_id);
}

bool point_label_taken(SQLite::Database& sql, std::int64_t survey_id, const std::string& label) {
  SQLite::Statement q(sql, "SELECT 1 FROM rad_survey_points WHERE survey_id = ? AND label = ?");
  q.bind(1, survey_id);
  q.bind(2, label);
  return q.executeStep();
}

Result<std::int64_t> insert_follow_up(WriteTx& tx, const FollowUp& f) {
  return insert_stamped(tx, "rad_follow_ups", {{"scanner_id", opt(f.scanner_id)},
                                               {"survey_id", opt(f.survey_id)},
                                               {"licence_id", opt(f.licence_id)},
                                               {"action_text", f.action_text},
                                               {"status", f.status},
                                               {"due_date", opt(f.due_date)}});
}
std::vector<FollowUp> follow_ups(SQLite::Database& sql, std::optional<std::int64_t> scanner_id, bool open_only) {
  std::string where = open_only ? " WHERE status = 'open'" : " WHERE 1";
  if (scanner_id) where += " AND scanner_id = ?";
  return query_list<FollowUp>(
      sql,
      "SELECT id, scanner_id, survey_id, licence_id, action_text, status, due_date, created_at_utc FROM rad_follow_ups" +
          where + " ORDER BY id",
      [](SQLite::Statement& q) {
        Cols c(q);
        FollowUp f;
        f.id = c.id();
        f.scanner_id = c.opt_id();
        f.survey_id = c.opt_id();
        f.licence_id = c.opt_id();
        f.action_text = c.text();
        f.status = c.text();
        f.due_date = c.opt_text();
        f.created_at_utc = c.text();
        return f;
      },
      scanner_id);
}

Result<std::int64_t> insert_worker(WriteTx& tx, const Worker& w) {
  return insert_stamped(tx, "rad_workers", {{"name", w.name},
                                            {"person_id", opt(w.person_id)},
                                            {"worker_category", w.worker_category},
                                            {"employer", w.employer}});
}
std::optional<Worker> find_worker(SQLite::Database& sql, const std::string& key) {
  return find_by_key_or_id<Worker>(sql, worker_select, "x.name", key, map_worker);
}
std::vector<Worker> list_workers(SQLite::Database& sql) {
  return query_list<Worker>(sql, worker_select + " ORDER BY x.name", map_worker);
}
std::optional<std::pair<std::int64_t, std::int64_t>> find_dosimeter(SQLite::Database& sql, const std::string& code) {
  SQLite::Statement q(sql, "SELECT id, worker_id FROM rad_dosimeters WHERE dosimeter_code = ?");
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return std::make_pair(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
}
Result<std::int64_t> insert_dosimeter(WriteTx& tx, const std::string& code, std::int64_t worker_id) {
  return insert_stamped(tx, "rad_dosimeters", {{"dosimeter_code", code}, {"worker_id", worker_id}});
}
Result<std::int64_t> insert_dose(WriteTx& tx, const DoseRecord& d) {
  return insert_stamped(tx, "rad_dose_records", {{"worker_id", d.worker_id},
                                                 {"dosimeter_id", d.dosimeter_id},
                                                 {"period_start", d.period_start},
                                                 {"period_end", d.period_end},
                                                 {"hp10_msv", d.hp10_msv},
                                                 {"hp007_msv", opt(d.hp007_msv)},
                                                 {"import_file", d.import_file}});
}
bool dose_recorded(SQLite::Database& sql, std::int64_t dosimeter_id, const std::string& period_start) {
  SQLite::Statement q(sql, "SELECT 1 FROM rad_dose_records WHERE dosimeter_id = ? AND period_start = ?");
  q.bind(1, dosimeter_id);
  q.bind(2, period_start);
  return q.executeStep();
}

std::vector<DoseRecord> doses_for(SQLite::Database& sql, std::int64_t worker_id) {
  return query_list<DoseRecord>(
      sql,
      "SELECT r.id, r.worker_id, r.dosimeter_id, d.dosimeter_code, r.period_start, r.period_end, r.hp10_msv, "
      "r.hp007_msv, r.import_file FROM rad_dose_records r JOIN rad_dosimeters d ON d.id = r.dosimeter_id "
      "WHERE r.worker_id = ? ORDER BY r.period_start, r.id",
      [](SQLite::Statement& q) {
        Cols c(q);
        DoseRecord d;
        d.id = c.id();
        d.worker_id = c.id();
        d.dosimeter_id = c.id();
        d.dosimeter_code = c.text();
        d.period_start = c.text();
        d.period_end = c.text();
        d.hp10_msv = c.real();
        d.hp007_msv = c.opt_real();
        d.import_file = c.text();
        return d;
      },
      worker_id);
}

std::map<std::string, std::string> load_settings(SQLite::Database& sql) {
  SQLite::Statement q(sql, "SELECT setting_key, value_text FROM rad_settings");
  std::map<std::string, std::string> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
  return out;
}

Status put_setting(WriteTx& tx, const std::string& key, const std::string& value) {
  SQLite::Statement q(tx.sql(), "SELECT id FROM rad_settings WHERE setting_key = ?");
  q.bind(1, key);
  if (q.executeStep())
    return tx.update("rad_settings", q.getColumn(0).getInt64(),
                     {{"value_text", value}, {"set_at_utc", format_utc(tx.now())}});
  auto id = tx.insert("rad_settings", {{"setting_key", key}, {"value_text", value}, {"set_at_utc", format_utc(tx.now())}});
  if (!id) return tl::unexpected(id.error());
  return {};
}

std::map<std::int64_t, ScannerLicenceState> licence_states(SQLite::Database& sql, std::optional<std::int64_t> scanner,
                                                           const std::string& today) {
  SQLite::Statement q(
      sql,
      "SELECT k.scanner_id, "
      " max(l.status = 'active' AND l.licence_type IN ('possession', 'use') AND l.issued_date <= ?1 AND "
      "     (l.expires_date IS NULL OR l.expires_date >= ?1)), "
      " max(l.status = 'active' AND l.licence_type = 'exemption' AND l.issued_date <= ?1 AND "
      "     (l.expires_date IS NULL OR l.expires_date >= ?1)) "
      "FROM rad_licence_links k JOIN rad_licences l ON l.id = k.licence_id "
      "WHERE k.scanner_id IS NOT NULL" +
          std::string(scanner ? " AND k.scanner_id = ?2" : "") + " GROUP BY k.scanner_id");
  q.bind(1, today);
  if (scanner) q.bind(2, *scanner);
  std::map<std::int64_t, ScannerLicenceState> out;
  while (q.executeStep())
    out[q.getColumn(0).getInt64()] = {q.getColumn(1).getInt() != 0, q.getColumn(2).getInt() != 0, true};
  return out;
}

std::map<std::int64_t, ScannerSurveyState> survey_states(SQLite::Database& sql, std::optional<std::int64_t> scanner) {
  SQLite::Statement q(sql, "SELECT scanner_id, survey_type, survey_date, verdict FROM rad_surveys WHERE status = 'closed'" +
                               std::string(scanner ? " AND scanner_id = ?" : "") +
                               " ORDER BY scanner_id, survey_date, id");
  if (scanner) q.bind(1, *scanner);
  std::map<std::int64_t, ScannerSurveyState> out;
  while (q.executeStep()) {
    auto& st = out[q.getColumn(0).getInt64()];
    const std::string type = q.getColumn(1).getString(), date = q.getColumn(2).getString(),
                      verdict = q.getColumn(3).getString();
    const bool passed = verdict == "pass";
    if (type == "decommissioning_clearance") {
      st.clearance_passed = st.clearance_passed || passed;
      continue;
    }
    if (type == "commissioning") st.commissioning_passed = st.commissioning_passed || passed;
    st.latest_date = date;
    st.latest_verdict = verdict;
    if (passed) st.latest_passed_date = date;
  }
  return out;
}

}  // namespace niikit::db::rad
