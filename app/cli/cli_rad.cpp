// `niikit rad licence|source|meter|dose|due|enforce|settings ...` (surveys: cli_rad_survey.cpp).
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>

#include "core/time_format.hpp"
#include "app/cli/cli_rad_views.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/radiation_service.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

namespace S = services::rad;
namespace R = domain::rad;

// Runs `fn(db)` as the command's action, with the database opened and migrated.
template <class Fn>
void on_run(CLI::App* cmd, CliContext& ctx, Fn fn) {
  cmd->callback([&ctx, cmd, fn] {
    (void)cmd;
    ctx.action = [&ctx, fn]() -> Status {
      auto db = ctx.open_db();
      if (!db) return tl::unexpected(db.error());
      return fn(*db);
    };
  });
}

std::string num(std::optional<double> v, const char* fmt_spec = "{:g}") {
  return v ? fmt::format(fmt::runtime(fmt_spec), *v) : "—";
}

Status print_licence(CliContext& ctx, const S::LicenceView& v, const std::string& verb) {
  ctx.print(to_json(v), [&](std::ostream& out) {
    if (!verb.empty()) out << verb << " licence " << v.licence.id << "\n";
    std::string items;
    for (const auto& k : v.links) items += (items.empty() ? "" : ", ") + k.item;
    out << reports::render_fields({{"Licence", v.licence.licence_number},
                                   {"Regulator", v.licence.regulator},
                                   {"Type", v.licence.licence_type},
                                   {"Scope", v.licence.scope},
                                   {"Conditions", v.licence.conditions},
                                   {"Issued", v.licence.issued_date},
                                   {"Expires", v.licence.expires_date.value_or("no expiry")},
                                   {"State", v.state + (v.days_to_expiry ? fmt::format(" ({} days to expiry)",
                                                                                       *v.days_to_expiry) : "")},
                                   {"Covers", items.empty() ? "—" : items}});
  });
  return {};
}

void register_licences(CLI::App& rad, CliContext& ctx) {
  auto* g = rad.add_subcommand("licence", "Licences and authorisations from the radiation regulator");
  g->require_subcommand(1);

  auto in = std::make_shared<S::LicenceInput>();
  auto by = std::make_shared<std::string>();
  auto* add = g->add_subcommand("add", "Record a licence and link the scanners and sources it covers");
  add->add_option("--regulator", in->regulator, "Issuing regulator")->required();
  add->add_option("--number", in->number, "Licence number (unique per regulator)")->required();
  add->add_option("--type", in->type, "Type: " + join_codes(R::licence_types()) +
                                          " (exemption: the regulator waives the licence)")->required();
  add->add_option("--scope", in->scope, "What the licence covers, as worded by the regulator");
  add->add_option("--conditions", in->conditions, "Licence conditions");
  add->add_option("--issued", in->issued, "Issue date YYYY-MM-DD")->required();
  add->add_option("--expires", in->expires, "Expiry date YYYY-MM-DD (omit for no expiry)");
  add->add_option("--status", in->status, "Status: " + join_codes(R::licence_statuses()) + " (default active)");
  add->add_option("--scanner", in->scanners, "Scanner covered (asset tag or id; repeatable)");
  add->add_option("--source", in->sources, "Source covered (serial or id; repeatable)");
  add->add_option("--by", *by, "Person recording it (audit log; default os:$USER)");
  on_run(add, ctx, [&ctx, in, by](db::Database& db) -> Status {
    auto v = S::add_licence(db, ctx.actor(*by), *in);
    if (!v) return tl::unexpected(v.error());
    return print_licence(ctx, *v, "Recorded");
  });

  auto key = std::make_shared<std::string>();
  auto scanners = std::make_shared<std::vector<std::string>>();
  auto sources = std::make_shared<std::vector<std::string>>();
  auto lby = std::make_shared<std::string>();
  auto* link = g->add_subcommand("link", "Link more scanners or sources to a licence");
  link->add_option("LICENCE", *key, "Licence number or id")->required();
  link->add_option("--scanner", *scanners, "Scanner (asset tag or id; repeatable)");
  link->add_option("--source", *sources, "Source (serial or id; repeatable)");
  link->add_option("--by", *lby, "Person recording it");
  on_run(link, ctx, [&ctx, key, scanners, sources, lby](db::Database& db) -> Status {
    auto v = S::link_licence(db, ctx.actor(*lby), *key, *scanners, *sources);
    if (!v) return tl::unexpected(v.error());
    return print_licence(ctx, *v, "Linked");
  });

  auto skey = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>();
  auto sby = std::make_shared<std::string>();
  auto* st = g->add_subcommand("status", "Set a licence's status (suspended or terminated licences take linked "
                                         "scanners out of service at the next `rad enforce`)");
  st->add_option("LICENCE", *skey, "Licence number or id")->required();
  st->add_option("--status", *status, "Status: " + join_codes(R::licence_statuses()))->required();
  st->add_option("--by", *sby, "Person recording it");
  on_run(st, ctx, [&ctx, skey, status, sby](db::Database& db) -> Status {
    auto v = S::set_licence_status(db, ctx.actor(*sby), *skey, *status);
    if (!v) return tl::unexpected(v.error());
    return print_licence(ctx, *v, "Updated");
  });

  on_run(g->add_subcommand("list", "List licences with their state (in force, expired, ...) and days to expiry"), ctx,
         [&ctx](db::Database& db) -> Status {
           auto list = S::list_licences(db);
           if (!list) return tl::unexpected(list.error());
           QJsonArray json;
           reports::TextTable t{{"ID", "NUMBER", "REGULATOR", "TYPE", "EXPIRES", "STATE", "COVERS"}, {}, {true}};
           for (const auto& v : *list) {
             json.append(to_json(v));
             t.rows.push_back({std::to_string(v.licence.id), v.licence.licence_number, v.licence.regulator,
                               v.licence.licence_type, v.licence.expires_date.value_or("—"), v.state,
                               std::to_string(v.links.size())});
           }
           ctx.print(json, [&](std::ostream& out) { out << t.render(); });
           return {};
         });

  auto show_key = std::make_shared<std::string>();
  auto* show = g->add_subcommand("show", "Show a licence and what it covers");
  show->add_option("LICENCE", *show_key, "Licence number or id")->required();
  on_run(show, ctx, [&ctx, show_key](db::Database& db) -> Status {
    auto v = S::show_licence(db, *show_key);
    if (!v) return tl::unexpected(v.error());
    return print_licence(ctx, *v, "");
  });
}

Status print_source(CliContext& ctx, const S::SourceView& v, const std::string& verb) {
  ctx.print(to_json(v), [&](std::ostream& out) {
    const auto& s = v.source;
    if (!verb.empty()) out << verb << " source " << s.id << "\n";
    std::vector<std::pair<std::string, std::string>> f{{"Serial", s.serial},
                                                       {"Kind", s.source_kind},
                                                       {"Make / model", s.manufacturer + " " + s.model},
                                                       {"Scanner", s.scanner_tag.empty() ? "—" : s.scanner_tag},
                                                       {"Status", s.status}};
    if (s.source_kind == "sealed") {
      f.push_back({"Isotope", s.isotope_name + fmt::format(" (half-life {} y)", num(v.half_life_y))});
      f.push_back({"Activity", fmt::format("{} Bq on {}", num(s.activity_bq, "{:.4g}"), s.reference_date.value_or(""))});
      f.push_back({"Activity today", num(v.current_activity_bq, "{:.4g}") + " Bq (decay-corrected)"});
      f.push_back({"Leak test due", v.leak_test_due_date.value_or("—")});
    } else {
      f.push_back({"Generator", s.generator_type.value_or("") + " " + num(s.energy_mev) + " MeV"});
    }
    out << reports::render_fields(f);
    for (const auto& t : v.leak_tests)
      out << fmt::format("  leak test {}: {:g} Bq (limit {:g} Bq) {}\n", t.tested_date, t.result_bq, t.limit_bq,
                         t.pass ? "pass" : "FAIL");
    for (const auto& t : v.transfers)
      out << fmt::format("  {} {}: {} → {} (custody {}){}\n", t.transfer_kind, t.transfer_date, t.from_party, t.to_party,
                         t.custody_person, t.document_ref.empty() ? "" : ", doc " + t.document_ref);
  });
  return {};
}

void register_sources(CLI::App& rad, CliContext& ctx) {
  auto* g = rad.add_subcommand("source", "Sealed sources and X-ray generators / linacs: leak tests, transfers");
  g->require_subcommand(1);
  auto in = std::make_shared<S::SourceInput>();
  auto by = std::make_shared<std::string>();
  auto* add = g->add_subcommand("add", "Record a sealed source or a generator");
  add->add_option("--kind", in->kind, "sealed or generator")->required();
  add->add_option("--serial", in->serial, "Serial number (unique)")->required();
  add->add_option("--manufacturer", in->manufacturer, "Manufacturer");
  add->add_option("--model", in->model, "Model");
  add->add_option("--isotope", in->isotope, "Sealed: " + join_codes(R::isotopes()));
  add->add_option("--isotope-name", in->isotope_name, "Sealed 'other': nuclide name, e.g. Ir-192");
  add->add_option("--half-life-y", in->half_life_y, "Sealed 'other': half-life in years (> 0)");
  add->add_option("--activity-bq", in->activity_bq, "Sealed: activity in Bq at the reference date");
  add->add_option("--reference-date", in->reference_date, "Sealed: date of the stated activity, YYYY-MM-DD");
  add->add_option("--generator-type", in->generator_type, "Generator: " + join_codes(R::generator_types()));
  add->add_option("--energy-mev", in->energy_mev, "Nominal energy in MeV (0 < E ≤ 20)");
  add->add_option("--scanner", in->scanner, "Scanner it is installed in (asset tag or id)");
  add->add_option("--status", in->status, "Status: " + join_codes(R::source_statuses()) + " (default in_use)");
  add->add_option("--by", *by, "Person recording it");
  on_run(add, ctx, [&ctx, in, by](db::Database& db) -> Status {
    auto v = S::add_source(db, ctx.actor(*by), *in);
    if (!v) return tl::unexpected(v.error());
    return print_source(ctx, *v, "Recorded");
  });

  on_run(g->add_subcommand("list", "List sources with decay-corrected activity and leak-test due dates"), ctx,
         [&ctx](db::Database& db) -> Status {
           auto list = S::list_sources(db);
           if (!list) return tl::unexpected(list.error());
           QJsonArray json;
           reports::TextTable t{{"ID", "SERIAL", "KIND", "TYPE", "ACTIVITY TODAY (Bq)", "SCANNER", "STATUS", "LEAK TEST DUE"},
                                {}, {true}};
           for (const auto& v : *list) {
             json.append(to_json(v));
             const auto& s = v.source;
             t.rows.push_back({std::to_string(s.id), s.serial, s.source_kind,
                               s.source_kind == "sealed" ? s.isotope_name : s.generator_type.value_or(""),
                               num(v.current_activity_bq, "{:.4g}"), s.scanner_tag.empty() ? "—" : s.scanner_tag,
                               s.status, v.leak_test_due_date.value_or("—")});
           }
           ctx.print(json, [&](std::ostream& out) { out << t.render(); });
           return {};
         });

  auto key = std::make_shared<std::string>();
  auto* show = g->add_subcommand("show", "Show a source: activity today, leak tests, chain of custody");
  show->add_option("SOURCE", *key, "Serial or id")->required();
  on_run(show, ctx, [&ctx, key](db::Database& db) -> Status {
    auto v = S::show_source(db, *key);
    if (!v) return tl::unexpected(v.error());
    return print_source(ctx, *v, "");
  });

  auto leak = std::make_shared<S::LeakTestInput>();
  auto lby = std::make_shared<std::string>();
  auto* lt = g->add_subcommand("leak-test", "Record a leak (wipe) test: passes when the result is below the limit");
  lt->add_option("SOURCE", leak->source, "Serial or id")->required();
  lt->add_option("--date", leak->date, "Test date YYYY-MM-DD")->required();
  lt->add_option("--result-bq", leak->result_bq, "Removable activity found, Bq")->required();
  lt->add_option("--limit-bq", leak->limit_bq, "Limit, Bq (default: setting leak_test_limit_bq, 185)");
  lt->add_option("--tested-by", leak->tested_by, "Laboratory or person who took the wipe");
  lt->add_option("--certificate", leak->certificate, "Certificate reference");
  lt->add_option("--by", *lby, "Person recording it");
  on_run(lt, ctx, [&ctx, leak, lby](db::Database& db) -> Status {
    auto t = S::record_leak_test(db, ctx.actor(*lby), *leak);
    if (!t) return tl::unexpected(t.error());
    ctx.print(to_json(*t), [&](std::ostream& out) {
      out << fmt::format("Leak test {}: {:g} Bq against {:g} Bq: {}\n", t->id, t->result_bq, t->limit_bq,
                         t->pass ? "pass" : "FAIL");
    });
    return {};
  });

  auto tr = std::make_shared<S::TransferInput>();
  auto tby = std::make_shared<std::string>();
  auto* tc = g->add_subcommand("transfer", "Record a receipt, transfer, return or disposal (chain of custody)");
  tc->add_option("SOURCE", tr->source, "Serial or id")->required();
  tc->add_option("--kind", tr->kind, "Kind: " + join_codes(R::transfer_kinds()))->required();
  tc->add_option("--from", tr->from, "Holder it leaves")->required();
  tc->add_option("--to", tr->to, "Holder it goes to")->required();
  tc->add_option("--date", tr->date, "Date YYYY-MM-DD")->required();
  tc->add_option("--custody", tr->custody_person, "Person in custody during the move")->required();
  tc->add_option("--document", tr->document_ref, "Transport or transfer document reference");
  tc->add_option("--note", tr->note, "Note");
  tc->add_option("--status", tr->new_status, "New source status (return → returned, disposal → disposed by default)");
  tc->add_option("--by", *tby, "Person recording it");
  on_run(tc, ctx, [&ctx, tr, tby](db::Database& db) -> Status {
    auto t = S::record_transfer(db, ctx.actor(*tby), *tr);
    if (!t) return tl::unexpected(t.error());
    ctx.print(to_json(*t), [&](std::ostream& out) {
      out << fmt::format("Recorded {} {} of source {}: {} → {}\n", t->transfer_kind, t->id, tr->source, t->from_party,
                         t->to_party);
    });
    return {};
  });
}

void register_meters(CLI::App& rad, CliContext& ctx) {
  auto* g = rad.add_subcommand("meter", "Survey meters and their calibrations");
  g->require_subcommand(1);
  auto in = std::make_shared<S::MeterInput>();
  auto by = std::make_shared<std::string>();
  auto* add = g->add_subcommand("add", "Record a survey meter (and optionally its current calibration)");
  add->add_option("--manufacturer", in->manufacturer, "Manufacturer");
  add->add_option("--model", in->model, "Model")->required();
  add->add_option("--serial", in->serial, "Serial number (unique)")->required();
  add->add_option("--detector", in->detector_type, "Detector type: " + join_codes(R::detector_types()))->required();
  add->add_option("--certificate", in->certificate, "Calibration certificate reference");
  add->add_option("--calibrated", in->calibrated, "Calibration date YYYY-MM-DD");
  add->add_option("--due", in->due, "Calibration due date YYYY-MM-DD");
  add->add_option("--laboratory", in->laboratory, "Calibration laboratory");
  add->add_option("--by", *by, "Person recording it");
  auto print_meter = [](CliContext& c, const db::rad::Meter& m, const std::string& verb) {
    c.print(to_json(m), [&](std::ostream& out) {
      out << fmt::format("{} meter {}: {} {} {} ({}), calibrated {} due {}\n", verb, m.id, m.manufacturer, m.model,
                         m.serial, m.detector_type, m.calibrated_date.value_or("—"),
                         m.calibration_due_date.value_or("—"));
    });
  };
  on_run(add, ctx, [&ctx, in, by, print_meter](db::Database& db) -> Status {
    auto m = S::add_meter(db, ctx.actor(*by), *in);
    if (!m) return tl::unexpected(m.error());
    print_meter(ctx, *m, "Recorded");
    return {};
  });
  auto cal = std::make_shared<S::CalibrationInput>();
  auto cby = std::make_shared<std::string>();
  auto* c = g->add_subcommand("calibrate", "Record a calibration (certificate, date, due date)");
  c->add_option("METER", cal->meter, "Serial or id")->required();
  c->add_option("--certificate", cal->certificate, "Certificate reference")->required();
  c->add_option("--calibrated", cal->calibrated, "Calibration date YYYY-MM-DD")->required();
  c->add_option("--due", cal->due, "Due date YYYY-MM-DD")->required();
  c->add_option("--laboratory", cal->laboratory, "Calibration laboratory");
  c->add_option("--by", *cby, "Person recording it");
  on_run(c, ctx, [&ctx, cal, cby, print_meter](db::Database& db) -> Status {
    auto m = S::calibrate_meter(db, ctx.actor(*cby), *cal);
    if (!m) return tl::unexpected(m.error());
    print_meter(ctx, *m, "Calibrated");
    return {};
  });
  on_run(g->add_subcommand("list", "List survey meters and their calibration due dates"), ctx,
         [&ctx](db::Database& db) -> Status {
           auto list = S::list_meters(db);
           if (!list) return tl::unexpected(list.error());
           QJsonArray json;
           reports::TextTable t{{"ID", "SERIAL", "MODEL", "DETECTOR", "CALIBRATED", "DUE", "CERTIFICATE"}, {}, {true}};
           for (const auto& m : *list) {
             json.append(to_json(m));
             t.rows.push_back({std::to_string(m.id), m.serial, m.manufacturer + " " + m.model, m.detector_type,
                               m.calibrated_date.value_or("—"), m.calibration_due_date.value_or("—"),
                               m.calibration_certificate});
           }
           ctx.print(json, [&](std::ostream& out) { out << t.render(); });
           return {};
         });
}

void register_dose(CLI::App& rad, CliContext& ctx) {
  auto* g = rad.add_subcommand("dose", "Personal dosimetry: import a dosimetry service CSV, annual and 5-year sums");
  g->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>();
  std::string cols;
  for (const auto& col : S::dose_columns()) cols += (cols.empty() ? "" : ",") + col;
  auto* imp = g->add_subcommand("import", "Import dose records (all rows or none; every bad row listed). Columns: " +
                                              cols + " (* required); periods count in the year they start");
  imp->add_option("--csv", *file, "CSV file with a header line")->required();
  imp->add_option("--by", *by, "Person importing (audit log)");
  on_run(imp, ctx, [&ctx, file, by](db::Database& db) -> Status {
    auto r = S::import_doses(db, ctx.actor(*by), *file);
    if (!r) return tl::unexpected(r.error());
    if (!r->errors.empty() && !ctx.json) {
      for (const auto& e : r->errors) *ctx.err << e.message << "\n";   // the error's detail: stderr
    } else {
      ctx.print(to_json(*r, *file), [&](std::ostream& out) {
        if (r->errors.empty()) out << fmt::format("Imported {} dose record(s) from {}\n", r->stored, *file);
      });
    }
    if (!r->errors.empty())
      return fail(ErrorCode::input, fmt::format("{}: {} of {} rows rejected; nothing stored", *file, r->errors.size(), r->rows));
    return {};
  });
  auto year = std::make_shared<int>(0);
  auto worker = std::make_shared<std::string>();
  auto* sum = g->add_subcommand("summary", "Hp(10) and Hp(0.07) per worker for a year, 5-year Hp(10), flags");
  sum->add_option("--year", *year, "Calendar year (default: this year)");
  sum->add_option("--worker", *worker, "One worker (name or id)");
  on_run(sum, ctx, [&ctx, year, worker](db::Database& db) -> Status {
    const int y = *year ? *year : std::stoi(format_date(db.clock().now()).substr(0, 4));
    auto list = S::dose_summary(db, y, *worker);
    if (!list) return tl::unexpected(list.error());
    QJsonArray json;
    reports::TextTable t{{"WORKER", "CATEGORY", "RECORDS", "Hp(10) YEAR (mSv)", "Hp(0.07) YEAR (mSv)", "Hp(10) 5 Y (mSv)", "FLAGS"},
                         {}, {false, false, true, true, true, true}};
    for (const auto& w : *list) {
      const auto& d = w.summary;
      json.append(QJsonObject{{"worker", qs(w.worker.name)},
                              {"category", qs(w.worker.worker_category)},
                              {"year", d.year},
                              {"records", d.records},
                              {"annual_hp10_msv", d.annual_hp10_msv},
                              {"annual_hp007_msv", d.annual_hp007_msv},
                              {"five_year_hp10_msv", d.five_year_hp10_msv},
                              {"flags", string_array(d.flags)}});
      std::string flags;
      for (const auto& f : d.flags) flags += (flags.empty() ? "" : ", ") + f;
      t.rows.push_back({w.worker.name, w.worker.worker_category, std::to_string(d.records),
                        fmt::format("{:.2f}", d.annual_hp10_msv), fmt::format("{:.2f}", d.annual_hp007_msv),
                        fmt::format("{:.2f}", d.five_year_hp10_msv), flags.empty() ? "—" : flags});
    }
    ctx.print(QJsonObject{{"year", y}, {"workers", json}}, [&](std::ostream& out) {
      out << fmt::format("Year {}\n", y) << t.render();
    });
    return {};
  });
}

QJsonArray enforcement_json(const std::vector<S::Enforcement>& list) {
  QJsonArray a;
  for (const auto& e : list)
    a.append(QJsonObject{{"scanner", qs(e.scanner)},
                         {"licence", qs(e.licence)},
                         {"decision_id", static_cast<double>(e.decision_id)},
                         {"follow_up_id", static_cast<double>(e.follow_up_id)}});
  return a;
}

void print_enforcement(std::ostream& out, const std::vector<S::Enforcement>& list) {
  for (const auto& e : list)
    out << fmt::format("{} taken out of service: licence {} no longer in force (decision {}, follow-up {})\n", e.scanner,
                       e.licence, e.decision_id, e.follow_up_id);
}

void register_due_and_enforce(CLI::App& rad, CliContext& ctx) {
  auto by = std::make_shared<std::string>();
  auto* enf = rad.add_subcommand("enforce", "Take in-service scanners whose linked licence has expired, been suspended "
                                            "or terminated (and no other valid licence) out of service; idempotent");
  enf->add_option("--by", *by, "Person running it (audit log; the decisions are recorded as role 'system')");
  on_run(enf, ctx, [&ctx, by](db::Database& db) -> Status {
    auto list = S::enforce(db, ctx.actor(*by));
    if (!list) return tl::unexpected(list.error());
    ctx.print(QJsonObject{{"forced_out_of_service", enforcement_json(*list)}}, [&](std::ostream& out) {
      print_enforcement(out, *list);
      if (list->empty()) out << "Nothing to enforce: every in-service scanner's licences are in force.\n";
    });
    return {};
  });

  auto within = std::make_shared<std::optional<int>>();
  auto dby = std::make_shared<std::string>();
  auto* due = rad.add_subcommand("due", "Licences, meter calibrations, leak tests and periodic surveys due or overdue "
                                        "(runs `rad enforce` first)");
  due->add_option("--within", *within, "Days ahead to list as due soon (default: setting due_soon_days, 30)");
  due->add_option("--by", *dby, "Person running it (recorded if enforcement acts)");
  on_run(due, ctx, [&ctx, within, dby](db::Database& db) -> Status {
    auto forced = S::enforce(db, ctx.actor(*dby));
    if (!forced) return tl::unexpected(forced.error());
    auto items = S::due_items(db, *within);
    if (!items) return tl::unexpected(items.error());
    QJsonArray json;
    reports::TextTable t{{"KIND", "ITEM", "DUE", "STATE", "DETAIL"}, {}, {}};
    for (const auto& i : *items) {
      json.append(QJsonObject{{"kind", qs(i.kind)},
                              {"item", qs(i.item)},
                              {"due_date", i.due_date.empty() ? QJsonValue() : QJsonValue(qs(i.due_date))},
                              {"state", qs(i.state)},
                              {"detail", qs(i.detail)}});
      t.rows.push_back({i.kind, i.item, i.due_date.empty() ? "never done" : i.due_date,
                        i.state == "overdue" ? "OVERDUE" : "due soon", i.detail});
    }
    ctx.print(QJsonObject{{"forced_out_of_service", enforcement_json(*forced)}, {"items", json}},
              [&](std::ostream& out) {
                print_enforcement(out, *forced);
                out << t.render();
              });
    return {};
  });
}

void register_settings(CLI::App& rad, CliContext& ctx) {
  auto* g = rad.add_subcommand("settings", "Limits and periods used by surveys, leak tests, dosimetry and dues");
  g->require_subcommand(1);
  on_run(g->add_subcommand("show", "Every setting with its value, default, unit and meaning"), ctx,
         [&ctx](db::Database& db) -> Status {
           auto rows = S::show_settings(db);
           if (!rows) return tl::unexpected(rows.error());
           QJsonArray json;
           reports::TextTable t{{"KEY", "VALUE", "DEFAULT", "UNIT", "MEANING"}, {}, {}};
           for (const auto& r : *rows) {
             json.append(QJsonObject{{"key", qs(r.key)},
                                     {"value", qs(r.value)},
                                     {"default", qs(r.default_value)},
                                     {"unit", qs(r.unit)},
                                     {"meaning", qs(r.meaning)},
                                     {"changed", r.changed}});
             t.rows.push_back({r.key, r.value + (r.changed ? " *" : ""), r.default_value, r.unit, r.meaning});
           }
           ctx.print(json, [&](std::ostream& out) { out << t.render() << "(* changed from the default)\n"; });
           return {};
         });
  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>();
  auto* set = g->add_subcommand("set", "Change a setting; surveys already recorded keep the limits they were judged "
                                       "against");
  set->add_option("KEY", *key, "Setting key (see `rad settings show`)")->required();
  set->add_option("VALUE", *value, "New value (number; yes/no; occupational/public; 'none' for no rate limit)")
      ->required();
  set->add_option("--by", *by, "Person changing it (audit log)");
  on_run(set, ctx, [&ctx, key, value, by](db::Database& db) -> Status {
    auto r = S::set_setting(db, ctx.actor(*by), *key, *value);
    if (!r) return tl::unexpected(r.error());
    ctx.print(QJsonObject{{"key", qs(r->key)}, {"value", qs(r->value)}, {"default", qs(r->default_value)}},
              [&](std::ostream& out) { out << fmt::format("{} = {} (default {})\n", r->key, r->value, r->default_value); });
    return {};
  });
}

}  // namespace

void register_rad_commands(CLI::App& root, CliContext& ctx) {
  auto* rad = root.add_subcommand("rad", "Radiation safety: licences, sources, meters, surveys, dosimetry, dues");
  rad->require_subcommand(1);
  register_licences(*rad, ctx);
  register_sources(*rad, ctx);
  register_meters(*rad, ctx);
  register_rad_survey_commands(*rad, ctx);
  register_dose(*rad, ctx);
  register_due_and_enforce(*rad, ctx);
  register_settings(*rad, ctx);
}

}  // namespace niikit::cli
