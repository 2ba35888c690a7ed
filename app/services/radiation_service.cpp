// Licences, sources, leak tests, transfers, meters, settings, dues and enforcement.
// Surveys: radiation_service_surveys.cpp; dosimetry: radiation_service_dose.cpp.
#include "app/services/radiation_service.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/time_format.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/radiation_service_internal.hpp"

namespace niikit::services::rad {

namespace R = domain::rad;
using namespace detail;

namespace detail {

Result<std::string> date_field(const std::string& field, const std::string& text, bool required) {
  if (text.empty()) {
    if (required) return fail(ErrorCode::input, fmt::format("{}: a date is required (YYYY-MM-DD)", field));
    return std::string();
  }
  auto t = parse_utc(text);
  if (!t || text.size() != 10) return fail(ErrorCode::input, fmt::format("{} '{}': expected a date YYYY-MM-DD", field, text));
  return format_date(*t);
}

Result<double> number_field(const std::string& field, const std::string& text, double lo, double hi) {
  auto n = domain::parse_number(field, text, lo, hi);
  if (n) return n;
  if (n.error().message.ends_with("not a number"))
    return fail(ErrorCode::input, fmt::format("field '{}': '{}' is not a number", field, text));
  return fail(ErrorCode::input, fmt::format("field '{}': {} is out of range [{:g}, {:g}]", field, text, lo, hi));
}

int days_between(const std::string& from, const std::string& to) {
  using namespace std::chrono;
  return static_cast<int>((floor<days>(*parse_utc(to)) - floor<days>(*parse_utc(from))).count());
}

std::string licence_state(const db::rad::Licence& l, const std::string& today) {
  if (l.status != "active") return l.status;
  if (l.issued_date > today) return "not_yet_valid";
  if (l.expires_date && *l.expires_date < today) return "expired";
  return "in_force";
}

std::string limits_to_json(const std::map<std::string, std::string>& values) {
  QJsonObject o;
  for (const auto& [k, v] : values) o[QString::fromStdString(k)] = QString::fromStdString(v);
  return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

std::map<std::string, std::string> limits_from_json(const std::string& text) {
  std::map<std::string, std::string> out;
  const auto o = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
  for (auto it = o.begin(); it != o.end(); ++it) out[it.key().toStdString()] = it.value().toString().toStdString();
  return out;
}

Result<std::map<std::string, std::string>> stored_overrides(SQLite::Database& sql) { return db::rad::load_settings(sql); }

}  // namespace detail

namespace {

std::string today_of(db::WriteTx& tx) { return format_date(tx.now()); }

LicenceView licence_view(SQLite::Database& sql, const db::rad::Licence& l, const std::string& today) {
  LicenceView v{l, db::rad::licence_links(sql, l.id), licence_state(l, today), std::nullopt};
  if (l.expires_date) v.days_to_expiry = days_between(today, *l.expires_date);
  return v;
}

Status link_items(db::WriteTx& tx, std::int64_t licence_id, const std::vector<std::string>& scanners,
                  const std::vector<std::string>& sources) {
  // UNIQUE does not catch repeats here (NULLs are distinct in SQL), so check explicitly.
  const auto existing = db::rad::licence_links(tx.sql(), licence_id);
  auto linked = [&](std::optional<std::int64_t> scanner, std::optional<std::int64_t> source) {
    return std::any_of(existing.begin(), existing.end(), [&](const db::rad::LicenceLink& k) {
      return k.scanner_id == scanner && k.source_id == source;
    });
  };
  for (const auto& key : scanners) {
    auto s = db::find_scanner(tx.sql(), key);
    if (!s) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", key));
    if (linked(s->id, std::nullopt)) return fail(ErrorCode::conflict, fmt::format("scanner {}: already linked", s->asset_tag));
    auto id = db::rad::insert_licence_link(tx, {0, licence_id, s->id, std::nullopt, ""});
    if (!id) return tl::unexpected(id.error().with_context(fmt::format("scanner {}", s->asset_tag)));
  }
  for (const auto& key : sources) {
    auto s = db::rad::find_source(tx.sql(), key);
    if (!s) return fail(ErrorCode::not_found, fmt::format("source '{}': not found", key));
    if (linked(std::nullopt, s->id)) return fail(ErrorCode::conflict, fmt::format("source {}: already linked", s->serial));
    auto id = db::rad::insert_licence_link(tx, {0, licence_id, std::nullopt, s->id, ""});
    if (!id) return tl::unexpected(id.error().with_context(fmt::format("source {}", s->serial)));
  }
  return {};
}

Result<db::rad::Licence> licence_in(SQLite::Database& sql, const std::string& key) {
  if (auto l = db::rad::find_licence(sql, key)) return *l;
  return fail(ErrorCode::not_found, fmt::format("licence '{}': not found", key));
}

Result<db::rad::Source> source_in(SQLite::Database& sql, const std::string& key) {
  if (auto s = db::rad::find_source(sql, key)) return *s;
  return fail(ErrorCode::not_found, fmt::format("source '{}': not found", key));
}

SourceView source_view(SQLite::Database& sql, const db::rad::Source& s, TimePoint now, const R::RadiationSettings& cfg) {
  SourceView v;
  v.source = s;
  v.leak_tests = db::rad::leak_tests_for(sql, s.id);
  v.transfers = db::rad::transfers_for(sql, s.id);
  if (s.source_kind != "sealed") return v;
  v.half_life_y = s.isotope == "other" ? s.half_life_y : R::half_life_years(s.isotope.value_or(""));
  if (v.half_life_y && s.activity_bq && s.reference_date)
    v.current_activity_bq =
        R::decayed_activity_bq(*s.activity_bq, *v.half_life_y, R::years_between(*parse_utc(*s.reference_date), now));
  if (s.status != "returned" && s.status != "disposed") {
    const std::string last = v.leak_tests.empty() ? s.created_at_utc.substr(0, 10) : v.leak_tests.back().tested_date;
    v.leak_test_due_date = format_date(R::add_months(*parse_utc(last), cfg.leak_test_interval_months));
  }
  return v;
}

Result<R::RadiationSettings> settings_in(SQLite::Database& sql) { return R::settings_from(db::rad::load_settings(sql)); }

}  // namespace

Result<R::RadiationSettings> current_settings(SQLite::Database& sql) { return settings_in(sql); }

// ---- licences

Result<LicenceView> add_licence(db::Database& db, const std::string& actor, const LicenceInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<LicenceView> {
    db::rad::Licence l;
    l.regulator = in.regulator;
    l.licence_number = in.number;
    if (l.regulator.empty()) return fail(ErrorCode::input, "licence: --regulator is required");
    if (l.licence_number.empty()) return fail(ErrorCode::input, "licence: --number is required");
    auto type = parse_code(R::licence_types(), in.type);
    if (!type) return tl::unexpected(type.error());
    l.licence_type = *type;
    auto status = parse_code(R::licence_statuses(), in.status);
    if (!status) return tl::unexpected(status.error());
    l.status = *status;
    l.scope = in.scope;
    l.conditions = in.conditions;
    auto issued = date_field("issued", in.issued, true);
    if (!issued) return tl::unexpected(issued.error());
    l.issued_date = *issued;
    auto expires = date_field("expires", in.expires, false);
    if (!expires) return tl::unexpected(expires.error());
    if (!expires->empty()) {
      if (*expires < *issued)
        return fail(ErrorCode::input, fmt::format("licence {}: expires {} before issued {}", l.licence_number, *expires, *issued));
      l.expires_date = *expires;
    }
    if (db::rad::find_licence(tx.sql(), l.licence_number) &&
        db::rad::find_licence(tx.sql(), l.licence_number)->regulator == l.regulator)
      return fail(ErrorCode::conflict, fmt::format("licence '{}' of {}: already recorded", l.licence_number, l.regulator));
    auto id = db::rad::insert_licence(tx, l);
    if (!id) return tl::unexpected(id.error());
    if (auto st = link_items(tx, *id, in.scanners, in.sources); !st) return tl::unexpected(st.error());
    auto stored = licence_in(tx.sql(), std::to_string(*id));
    return licence_view(tx.sql(), *stored, today_of(tx));
  });
}

Result<LicenceView> link_licence(db::Database& db, const std::string& actor, const std::string& key,
                                 const std::vector<std::string>& scanners, const std::vector<std::string>& sources) {
  if (scanners.empty() && sources.empty()) return fail(ErrorCode::usage, "licence link: give --scanner or --source");
  return db.write(actor, [&](db::WriteTx& tx) -> Result<LicenceView> {
    auto l = licence_in(tx.sql(), key);
    if (!l) return tl::unexpected(l.error());
    if (auto st = link_items(tx, l->id, scanners, sources); !st) return tl::unexpected(st.error());
    return licence_view(tx.sql(), *l, today_of(tx));
  });
}

Result<LicenceView> set_licence_status(db::Database& db, const std::string& actor, const std::string& key,
                                       const std::string& status) {
  auto code = parse_code(R::licence_statuses(), status);
  if (!code) return tl::unexpected(code.error());
  return db.write(actor, [&](db::WriteTx& tx) -> Result<LicenceView> {
    auto l = licence_in(tx.sql(), key);
    if (!l) return tl::unexpected(l.error());
    l->status = *code;
    if (auto st = db::rad::update_licence(tx, *l); !st) return tl::unexpected(st.error());
    return licence_view(tx.sql(), *l, today_of(tx));
  });
}

Result<LicenceView> show_licence(db::Database& db, const std::string& key) {
  return db.read([&](SQLite::Database& sql) -> Result<LicenceView> {
    auto l = licence_in(sql, key);
    if (!l) return tl::unexpected(l.error());
    return licence_view(sql, *l, format_date(db.clock().now()));
  });
}

Result<std::vector<LicenceView>> list_licences(db::Database& db) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<LicenceView>> {
    std::vector<LicenceView> out;
    for (const auto& l : db::rad::list_licences(sql)) out.push_back(licence_view(sql, l, format_date(db.clock().now())));
    return out;
  });
}

// ---- sources

Result<SourceView> add_source(db::Database& db, const std::string& actor, const SourceInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<SourceView> {
    db::rad::Source s;
    if (in.kind != "sealed" && in.kind != "generator")
      return fail(ErrorCode::input, fmt::format("source kind '{}': expected sealed or generator", in.kind));
    s.source_kind = in.kind;
    s.serial = in.serial;
    if (s.serial.empty()) return fail(ErrorCode::input, "source: --serial is required");
    if (db::rad::find_source(tx.sql(), s.serial))
      return fail(ErrorCode::conflict, fmt::format("source '{}': already recorded", s.serial));
    s.manufacturer = in.manufacturer;
    s.model = in.model;
    s.energy_mev = in.energy_mev;
    if (s.energy_mev && (*s.energy_mev <= 0 || *s.energy_mev > 20))
      return fail(ErrorCode::input, fmt::format("energy_mev {:g}: expected 0 < E ≤ 20", *s.energy_mev));
    auto status = parse_code(R::source_statuses(), in.status);
    if (!status) return tl::unexpected(status.error());
    s.status = *status;
    if (in.kind == "sealed") {
      auto iso = parse_code(R::isotopes(), in.isotope);
      if (!iso) return tl::unexpected(iso.error());
      s.isotope = *iso;
      if (*iso == "other") {
        if (in.isotope_name.empty() || !in.half_life_y || *in.half_life_y <= 0)
          return fail(ErrorCode::input, "source: isotope 'other' needs --isotope-name and --half-life-y > 0");
        s.isotope_name = in.isotope_name;
        s.half_life_y = in.half_life_y;
      } else {
        s.isotope_name = *iso == "co60" ? "Co-60" : "Cs-137";
      }
      if (!in.activity_bq || *in.activity_bq <= 0)
        return fail(ErrorCode::input, "source: a sealed source needs --activity-bq > 0 at its reference date");
      s.activity_bq = in.activity_bq;
      auto ref = date_field("reference_date", in.reference_date, true);
      if (!ref) return tl::unexpected(ref.error());
      s.reference_date = *ref;
    } else {
      auto type = parse_code(R::generator_types(), in.generator_type);
      if (!type) return tl::unexpected(type.error());
      s.generator_type = *type;
    }
    if (!in.scanner.empty()) {
      auto sc = db::find_scanner(tx.sql(), in.scanner);
      if (!sc) return fail(ErrorCode::not_found, fmt::format("scanner '{}': not found", in.scanner));
      s.scanner_id = sc->id;
    }
    auto id = db::rad::insert_source(tx, s);
    if (!id) return tl::unexpected(id.error());
    auto cfg = settings_in(tx.sql());
    if (!cfg) return tl::unexpected(cfg.error());
    return source_view(tx.sql(), *db::rad::find_source(tx.sql(), std::to_string(*id)), tx.now(), *cfg);
  });
}

Result<SourceView> show_source(db::Database& db, const std::string& key) {
  return db.read([&](SQLite::Database& sql) -> Result<SourceView> {
    auto s = source_in(sql, key);
    if (!s) return tl::unexpected(s.error());
    auto cfg = settings_in(sql);
    if (!cfg) return tl::unexpected(cfg.error());
    return source_view(sql, *s, db.clock().now(), *cfg);
  });
}

Result<std::vector<SourceView>> list_sources(db::Database& db) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<SourceView>> {
    auto cfg = settings_in(sql);
    if (!cfg) return tl::unexpected(cfg.error());
    std::vector<SourceView> out;
    for (const auto& s : db::rad::list_sources(sql)) out.push_back(source_view(sql, s, db.clock().now(), *cfg));
    return out;
  });
}

Result<db::rad::LeakTest> record_leak_test(db::Database& db, const std::string& actor, const LeakTestInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::rad::LeakTest> {
    auto s = source_in(tx.sql(), in.source);
    if (!s) return tl::unexpected(s.error());
    if (s->source_kind != "sealed")
      return fail(ErrorCode::input, fmt::format("source {}: a generator has no leak test", s->serial));
    auto cfg = settings_in(tx.sql());
    if (!cfg) return tl::unexpected(cfg.error());
    auto date = date_field("date", in.date, true);
    if (!date) return tl::unexpected(date.error());
    if (*date > today_of(tx)) return fail(ErrorCode::input, fmt::format("date {}: in the future", *date));
    if (!in.result_bq || *in.result_bq < 0) return fail(ErrorCode::input, "leak test: --result-bq ≥ 0 is required");
    db::rad::LeakTest t;
    t.source_id = s->id;
    t.tested_date = *date;
    t.result_bq = *in.result_bq;
    t.limit_bq = in.limit_bq.value_or(cfg->leak_test_limit_bq);
    if (t.limit_bq <= 0) return fail(ErrorCode::input, "leak test: --limit-bq must be > 0");
    t.pass = R::leak_test_passes(t.result_bq, t.limit_bq);
    t.tested_by = in.tested_by;
    t.certificate = in.certificate;
    auto id = db::rad::insert_leak_test(tx, t);
    if (!id) return tl::unexpected(id.error());
    t.id = *id;
    return t;
  });
}

Result<db::rad::Transfer> record_transfer(db::Database& db, const std::string& actor, const TransferInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::rad::Transfer> {
    auto s = source_in(tx.sql(), in.source);
    if (!s) return tl::unexpected(s.error());
    auto kind = parse_code(R::transfer_kinds(), in.kind);
    if (!kind) return tl::unexpected(kind.error());
    auto date = date_field("date", in.date, true);
    if (!date) return tl::unexpected(date.error());
    for (const auto& [name, value] : {std::pair{"--from", in.from}, {"--to", in.to}, {"--custody", in.custody_person}})
      if (value.empty()) return fail(ErrorCode::input, fmt::format("transfer: {} is required", name));
    db::rad::Transfer t{0, s->id, *kind, in.from, in.to, *date, in.custody_person, in.document_ref, in.note};
    auto id = db::rad::insert_transfer(tx, t);
    if (!id) return tl::unexpected(id.error());
    t.id = *id;
    std::string status = in.new_status;
    if (status.empty() && *kind == "return") status = "returned";
    if (status.empty() && *kind == "disposal") status = "disposed";
    if (!status.empty()) {
      auto code = parse_code(R::source_statuses(), status);
      if (!code) return tl::unexpected(code.error());
      s->status = *code;
      if (auto st = db::rad::update_source(tx, *s); !st) return tl::unexpected(st.error());
    }
    return t;
  });
}

// ---- meters

Result<db::rad::Meter> add_meter(db::Database& db, const std::string& actor, const MeterInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::rad::Meter> {
    db::rad::Meter m;
    m.manufacturer = in.manufacturer;
    m.model = in.model;
    m.serial = in.serial;
    if (m.model.empty() || m.serial.empty()) return fail(ErrorCode::input, "meter: --model and --serial are required");
    if (db::rad::find_meter(tx.sql(), m.serial))
      return fail(ErrorCode::conflict, fmt::format("meter '{}': already recorded", m.serial));
    auto det = parse_code(R::detector_types(), in.detector_type);
    if (!det) return tl::unexpected(det.error());
    m.detector_type = *det;
    auto id = db::rad::insert_meter(tx, m);
    if (!id) return tl::unexpected(id.error());
    m.id = *id;
    if (in.calibrated.empty() && in.due.empty()) return *db::rad::find_meter(tx.sql(), std::to_string(*id));
    // The first calibration, recorded the same way as `rad meter calibrate`.
    auto cal_date = date_field("calibrated", in.calibrated, true);
    if (!cal_date) return tl::unexpected(cal_date.error());
    auto due = date_field("due", in.due, true);
    if (!due) return tl::unexpected(due.error());
    if (*due <= *cal_date) return fail(ErrorCode::input, fmt::format("due {}: not after calibrated {}", *due, *cal_date));
    if (in.certificate.empty()) return fail(ErrorCode::input, "meter: --certificate is required with a calibration");
    auto cid = db::rad::insert_calibration(tx, {0, m.id, in.certificate, *cal_date, *due, in.laboratory});
    if (!cid) return tl::unexpected(cid.error());
    m.calibration_certificate = in.certificate;
    m.calibrated_date = *cal_date;
    m.calibration_due_date = *due;
    if (auto st = db::rad::update_meter(tx, m); !st) return tl::unexpected(st.error());
    return *db::rad::find_meter(tx.sql(), std::to_string(m.id));
  });
}

Result<db::rad::Meter> calibrate_meter(db::Database& db, const std::string& actor, const CalibrationInput& in) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::rad::Meter> {
    auto m = db::rad::find_meter(tx.sql(), in.meter);
    if (!m) return fail(ErrorCode::not_found, fmt::format("meter '{}': not found", in.meter));
    auto cal_date = date_field("calibrated", in.calibrated, true);
    if (!cal_date) return tl::unexpected(cal_date.error());
    auto due = date_field("due", in.due, true);
    if (!due) return tl::unexpected(due.error());
    if (*due <= *cal_date) return fail(ErrorCode::input, fmt::format("due {}: not after calibrated {}", *due, *cal_date));
    if (*cal_date > today_of(tx)) return fail(ErrorCode::input, fmt::format("calibrated {}: in the future", *cal_date));
    if (in.certificate.empty()) return fail(ErrorCode::input, "calibration: --certificate is required");
    auto cid = db::rad::insert_calibration(tx, {0, m->id, in.certificate, *cal_date, *due, in.laboratory});
    if (!cid) return tl::unexpected(cid.error());
    // The meter shows its newest calibration; an older certificate entered late stays history.
    if (!m->calibrated_date || *cal_date >= *m->calibrated_date) {
      m->calibration_certificate = in.certificate;
      m->calibrated_date = *cal_date;
      m->calibration_due_date = *due;
      if (auto st = db::rad::update_meter(tx, *m); !st) return tl::unexpected(st.error());
    }
    return *db::rad::find_meter(tx.sql(), std::to_string(m->id));
  });
}

Result<std::vector<db::rad::Meter>> list_meters(db::Database& db) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<db::rad::Meter>> { return db::rad::list_meters(sql); });
}

// ---- dues and enforcement

Result<std::vector<Enforcement>> enforce(db::Database& db, const std::string& actor) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<std::vector<Enforcement>> {
    const std::string today = today_of(tx);
    std::vector<Enforcement> out;
    const auto states = db::rad::licence_states(tx.sql(), std::nullopt, today);
    for (const auto& l : db::rad::list_licences(tx.sql())) {
      const std::string state = licence_state(l, today);
      if (state == "in_force" || state == "not_yet_valid" || l.licence_type == "transport" || l.licence_type == "import")
        continue;
      for (const auto& link : db::rad::licence_links(tx.sql(), l.id)) {
        if (!link.scanner_id) continue;
        auto st = states.find(*link.scanner_id);
        if (st != states.end() && (st->second.valid_licence || st->second.exemption)) continue;
        const std::string reason = fmt::format("radiation licence {} ({}) is {}", l.licence_number, l.regulator, state);
        auto decision = force_out_of_service_in(tx, *link.scanner_id, std::nullopt, reason);
        if (!decision) return tl::unexpected(decision.error());
        if (!*decision) continue;   // not in service: nothing to do (idempotent)
        db::rad::FollowUp f;
        f.scanner_id = link.scanner_id;
        f.licence_id = l.id;
        f.action_text = fmt::format("Renew or reinstate licence {} with {} before returning {} to service",
                                    l.licence_number, l.regulator, link.item);
        auto fid = db::rad::insert_follow_up(tx, f);
        if (!fid) return tl::unexpected(fid.error());
        out.push_back({link.item, l.licence_number, (*decision)->id, *fid});
      }
    }
    return out;
  });
}

Result<std::vector<DueItem>> due_items(db::Database& db, std::optional<int> within_days) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<DueItem>> {
    auto cfg = settings_in(sql);
    if (!cfg) return tl::unexpected(cfg.error());
    const int within = within_days.value_or(cfg->due_soon_days);
    if (within < 0 || within > 3650) return fail(ErrorCode::input, fmt::format("--within {}: expected 0..3650 days", within));
    const TimePoint now = db.clock().now();
    std::vector<DueItem> out;
    auto add = [&](const std::string& kind, const std::string& item, const std::string& due, const std::string& detail) {
      const auto state = due.empty() ? R::DueState::overdue : R::due_state(*parse_utc(due), now, within);
      if (state != R::DueState::ok) out.push_back({kind, item, due, std::string(R::due_state_code(state)), detail});
    };
    for (const auto& l : db::rad::list_licences(sql))
      if (l.status == "active" && l.expires_date)
        add("licence", l.licence_number, *l.expires_date, fmt::format("{} licence, {}", l.licence_type, l.regulator));
    for (const auto& m : db::rad::list_meters(sql))
      add("meter_calibration", m.serial, m.calibration_due_date.value_or(""),
          m.calibration_due_date ? fmt::format("{} {}, certificate {}", m.manufacturer, m.model, m.calibration_certificate)
                                 : "never calibrated");
    for (const auto& s : db::rad::list_sources(sql)) {
      auto v = source_view(sql, s, now, *cfg);
      if (v.leak_test_due_date)
        add("leak_test", s.serial, *v.leak_test_due_date,
            v.leak_tests.empty() ? std::string("no leak test recorded; due from receipt")
                                 : fmt::format("last {} ({})", v.leak_tests.back().tested_date,
                                               v.leak_tests.back().pass ? "pass" : "FAIL"));
    }
    const auto surveys = db::rad::survey_states(sql, std::nullopt);
    for (const auto& sc : db::list_scanners(sql)) {
      if (sc.stage != "sat" && sc.stage != "final_acceptance" && sc.stage != "in_service" && sc.stage != "out_of_service")
        continue;
      auto it = surveys.find(sc.id);
      if (it == surveys.end() || !it->second.latest_passed_date) {
        add("periodic_survey", sc.asset_tag, "", "no passed survey recorded");
        continue;
      }
      const auto due = format_date(R::add_months(*parse_utc(*it->second.latest_passed_date), cfg->survey_period_months));
      add("periodic_survey", sc.asset_tag, due, fmt::format("last passed survey {}", *it->second.latest_passed_date));
    }
    return out;
  });
}

// ---- settings

Result<std::vector<SettingRow>> show_settings(db::Database& db) {
  return db.read([&](SQLite::Database& sql) -> Result<std::vector<SettingRow>> {
    const auto overrides = db::rad::load_settings(sql);
    std::vector<SettingRow> out;
    for (const auto& info : R::radiation_setting_table()) {
      SettingRow r{std::string(info.key), std::string(info.default_text), std::string(info.default_text),
                   std::string(info.unit), std::string(info.meaning), false};
      if (auto it = overrides.find(r.key); it != overrides.end()) r.value = it->second, r.changed = r.value != r.default_value;
      out.push_back(r);
    }
    return out;
  });
}

Result<SettingRow> set_setting(db::Database& db, const std::string& actor, const std::string& key,
                               const std::string& value) {
  if (auto st = R::check_setting(key, value); !st) return tl::unexpected(st.error());
  auto st = db.write(actor, [&](db::WriteTx& tx) -> Status { return db::rad::put_setting(tx, key, value); });
  if (!st) return tl::unexpected(st.error());
  auto rows = show_settings(db);
  if (!rows) return tl::unexpected(rows.error());
  for (const auto& r : *rows)
    if (r.key == key) return r;
  return fail(ErrorCode::internal, fmt::format("setting {}: not found after writing", key));
}

}  // namespace niikit::services::rad
