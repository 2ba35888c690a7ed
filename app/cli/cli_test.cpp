// `niikit test start|kit|measure|deviation|close|sign|show|list|keys`: witnessed acceptance test
// sessions (FAT, SAT, periodic QC, return-to-service QC), docs/acceptance.md.
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "app/cli/adapter.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/pitch_options.hpp"
#include "app/cli/json_views.hpp"
#include "app/domain/measurement_keys.hpp"
#include "app/services/acceptance_service.hpp"
#include "app/services/acceptance_service_kit.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

struct TestOptions {
  services::StartSessionRequest start;
  services::KitRunRequest kit;
  services::MeasurementRequest measure;
  services::DeviationRequest deviation;
  std::string value_text;        // --value: a number, or yes/no for a check
  std::int64_t session = 0;
  std::int64_t retest_of = 0;
  std::int64_t deviation_id = 0;
  double pixel_mm = 0;
  std::string by, role, note, scanner;
};

template <class Fn>
Status with_db(CliContext& ctx, Fn fn) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  return fn(*db);
}

template <class Run>
void on_run(CLI::App* cmd, CliContext& ctx, std::shared_ptr<TestOptions> o, Run run) {
  cmd->callback([&ctx, o, run] { ctx.action = [&ctx, o, run] { return run(ctx, *o); }; });
}

std::string num(double v) { return fmt::format("{:.6g}", v); }

Result<double> parse_value(const std::string& text) {
  if (text == "yes" || text == "pass" || text == "true") return 1.0;
  if (text == "no" || text == "fail" || text == "false") return 0.0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size())
    return fail(ErrorCode::input, fmt::format("--value '{}': not a number (or yes/no for a check)", text));
  if (!std::isfinite(v)) return fail(ErrorCode::input, fmt::format("--value '{}': not a finite number", text));
  return v;
}

void print_session_line(std::ostream& out, const db::TestSession& s, const std::string& what) {
  out << fmt::format("{} session {}: {} {} ({}){}\n", what, s.id, s.asset_tag, s.phase, s.status,
                     s.verdict ? ", verdict " + *s.verdict : "");
}

// ---- start
Status run_start(CliContext& ctx, TestOptions o) {
  if (o.retest_of > 0) o.start.retest_of = o.retest_of;
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto s = services::start_session(db, o.start);
    if (!s) return tl::unexpected(s.error());
    ctx.print(services::to_json(*s), [&](std::ostream& out) { print_session_line(out, *s, "Started"); });
    return {};
  });
}

// ---- kit
Status run_kit(CliContext& ctx, TestOptions o) {
  o.kit.session_id = o.session;
  if (o.pixel_mm > 0) o.kit.pixel_mm = o.pixel_mm;
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto r = services::add_kit_run(db, o.kit);
    if (!r) return tl::unexpected(r.error());
    QJsonArray ms;
    for (const auto& m : r->measurements) ms.append(services::to_json(m));
    QJsonObject run = services::to_json(r->run);
    run.remove("result");   // the full result is in `niikit test show --json`
    ctx.print(QJsonObject{{"kit_run", run}, {"measurements", ms}}, [&](std::ostream& out) {
      out << fmt::format("Kit run {} ({} {}) on {} [sha256 {}]: {} measurement(s) in session {}\n", r->run.id,
                         r->run.kit_id, r->run.kit_version, r->run.image_path, r->run.image_sha256.substr(0, 12),
                         r->measurements.size(), r->run.session_id);
      for (const auto& m : r->measurements) out << fmt::format("  {} = {} {}\n", m.metric_key, num(m.value), m.unit);
    });
    return {};
  });
}

// ---- measure
Status run_measure(CliContext& ctx, TestOptions o) {
  o.measure.session_id = o.session;
  auto v = parse_value(o.value_text);
  if (!v) return tl::unexpected(v.error());
  o.measure.value = *v;
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto m = services::add_measurement(db, o.measure);
    if (!m) return tl::unexpected(m.error());
    ctx.print(services::to_json(*m), [&](std::ostream& out) {
      out << fmt::format("Measurement {} in session {}: {} = {} {}{}\n", m->id, m->session_id, m->metric_key,
                         num(m->value), m->unit, m->instrument.empty() ? "" : " (" + m->instrument + ")");
    });
    return {};
  });
}

// ---- deviations
Status print_deviation(CliContext& ctx, const db::Deviation& d, const std::string& what) {
  ctx.print(services::to_json(d), [&](std::ostream& out) {
    out << fmt::format("{} deviation {} ({} {}, session {}): {}\n", what, d.id, d.severity, d.requirement_id,
                       d.session_id, d.status);
  });
  return {};
}

// ---- close
Status run_close(CliContext& ctx, const TestOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto r = services::close_session(db, o.session, o.by);
    if (!r) return tl::unexpected(r.error());
    QJsonArray results, raised, closed;
    for (const auto& x : r->results) results.append(services::to_json(x));
    for (const auto& x : r->raised) raised.append(services::to_json(x));
    for (const auto& x : r->closed_by_retest) closed.append(services::to_json(x));
    QJsonObject json{{"session", services::to_json(r->session)},
                     {"results", results},
                     {"deviations_raised", raised},
                     {"deviations_closed_by_retest", closed},
                     {"out_of_service", r->out_of_service ? QJsonValue(to_json(*r->out_of_service)) : QJsonValue()}};
    ctx.print(json, [&](std::ostream& out) {
      reports::TextTable t{{"REQUIREMENT", "MANDATORY", "TARGET", "VERDICT", "REASON"}, {}, {}};
      for (const auto& x : r->results)
        t.rows.push_back({x.requirement.id, x.requirement.mandatory ? "yes" : "no",
                          domain::describe_target(x.requirement), std::string(domain::verdict_code(x.verdict)), x.reason});
      out << t.render();
      for (const auto& d : r->raised)
        out << fmt::format("Raised {} deviation {} for {}\n", d.severity, d.id, d.requirement_id);
      for (const auto& d : r->closed_by_retest)
        out << fmt::format("Closed deviation {} ({}) by this retest\n", d.id, d.requirement_id);
      if (r->out_of_service) out << fmt::format("Scanner {} taken out of service\n", r->session.asset_tag);
      print_session_line(out, r->session, "Closed");
      out << "Content SHA-256: " << r->session.content_sha256 << "\n";
    });
    if (r->session.verdict != "pass")
      return fail(ErrorCode::test_failed, fmt::format("session {}: {} failed", r->session.id, r->session.phase));
    return {};
  });
}

// ---- sign
// On a database with user accounts the signer proves who they are (password or unlocked
// session) and signs with their own key, unsealed with their password.
Status run_sign(CliContext& ctx, const TestOptions& o) {
  auto signer = key_signer_for(ctx, o.by, fmt::format("session {} as {}", o.session, o.role));
  if (!signer) return tl::unexpected(signer.error());
  services::Context sctx = make_context(ctx);
  if (auto opened = sctx.database(services::Access::write); !opened) return tl::unexpected(opened.error());
  auto g = services::sign_session(sctx.db(), o.session, o.by, o.role, *signer ? &**signer : nullptr);
  if (!g) return tl::unexpected(g.error());
  auto checked = services::verify_signatures(sctx.db(), o.session);
  if (!checked) return tl::unexpected(checked.error());
  const auto it = std::find_if(checked->begin(), checked->end(),
                               [&](const services::SignatureStatus& x) { return x.signature.id == g->id; });
  if (it == checked->end()) return fail(ErrorCode::internal, "the new signature was not found again");
  ctx.print(services::to_json(*it), [&](std::ostream& out) {
    out << fmt::format("Session {} signed by {} as {} (content {}); {}\n", g->session_id, g->name, g->role,
                       g->content_sha256, it->status);
  });
  return {};
}

// ---- show
void print_detail(std::ostream& out, const services::SessionDetail& d) {
  const auto& s = d.session;
  std::vector<std::pair<std::string, std::string>> f{
      {"Session", fmt::format("{} ({}{})", s.id, s.phase, s.retest_of ? fmt::format(", retest of {}", *s.retest_of) : "")},
      {"Scanner", fmt::format("{} ({} {}), stage {}", d.scanner.asset_tag, d.scanner.manufacturer, d.scanner.model,
                              d.scanner.stage)},
      {"Location", s.location.empty() ? "—" : s.location},
      {"Specification", fmt::format("id {} v{} (sha256 {})", s.specification_id.value_or(0),
                                    s.specification_version.value_or(0), s.specification_sha256.substr(0, 12))},
      {"Started", s.started_at_utc + " by " + s.started_by_name},
      {"Status", s.status + (s.closed_at_utc ? " " + *s.closed_at_utc + " by " + s.closed_by_name : "")},
      {"Verdict", s.verdict.value_or("(open: provisional verdicts below)")},
      {"Mandatory", fmt::format("{} passed, {} failed, {} not measured of {}", d.mandatory_passed, d.mandatory_failed,
                                d.mandatory_not_measured, d.mandatory_total)},
      {"Content", s.status == "closed" ? fmt::format("{} ({})", s.content_sha256,
                                                     d.content_intact ? "intact" : "CHANGED since close: now " +
                                                                                         d.current_content_sha256)
                                       : "hashed at close"}};
  std::string witnesses;
  for (const auto& w : d.witnesses) witnesses += (witnesses.empty() ? "" : ", ") + w.name;
  f.push_back({"Witnesses", witnesses.empty() ? "—" : witnesses});
  out << reports::render_fields(f) << "\nRequirements\n";
  reports::TextTable t{{"ID", "M", "METRIC", "TARGET", "MEASURED", "VERDICT", "METHOD"}, {}, {}};
  for (const auto& r : d.results)
    t.rows.push_back({r.requirement.id, r.requirement.mandatory ? "M" : "D", r.requirement.metric_key,
                      domain::describe_target(r.requirement),
                      r.measured ? num(*r.measured) + (r.unit.empty() || r.unit == "bool" ? "" : " " + r.unit) +
                                       (r.from_session ? fmt::format(" (s{})", *r.from_session) : "")
                                 : "—",
                      std::string(domain::verdict_code(r.verdict)), r.requirement.method});
  out << t.render() << "\nKit runs\n";
  reports::TextTable k{{"ID", "KIT", "VERSION", "IMAGE", "SHA-256"}, {}, {}};
  for (const auto& r : d.kit_runs) k.rows.push_back({std::to_string(r.id), r.kit_id, r.kit_version, r.image_path, r.image_sha256.substr(0, 16)});
  out << k.render() << "\nMeasurements\n";
  reports::TextTable m{{"ID", "METRIC", "VALUE", "UNIT", "SOURCE", "INSTRUMENT", "BY"}, {}, {}};
  for (const auto& x : d.measurements)
    m.rows.push_back({std::to_string(x.id), x.metric_key, num(x.value), x.unit, x.source, x.instrument, x.recorded_by_name});
  out << m.render() << "\nDeviations\n";
  reports::TextTable v{{"ID", "REQUIREMENT", "SEVERITY", "STATUS", "DESCRIPTION / RESOLUTION"}, {}, {}};
  auto dev_row = [&](const db::Deviation& x) {
    const std::string res = x.status == "waived" ? "waived on: " + x.waiver_condition
                            : x.status == "closed" ? x.resolution_note
                                                   : x.description;
    v.rows.push_back({std::to_string(x.id), x.requirement_id, x.severity, x.status, res});
  };
  for (const auto& x : d.deviations) dev_row(x);
  for (const auto& x : d.closed_deviations) dev_row(x);
  out << v.render() << "\nSignatures\n";
  reports::TextTable g{{"PERSON", "ROLE", "SIGNED", "VALIDITY"}, {}, {}};
  for (const auto& x : d.signatures) g.rows.push_back({x.signature.name, x.signature.role, x.signature.signed_at_utc, x.status});
  out << g.render();
}

Status run_show(CliContext& ctx, const TestOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto d = services::session_detail(db, o.session);
    if (!d) return tl::unexpected(d.error());
    ctx.print(services::to_json(*d), [&](std::ostream& out) { print_detail(out, *d); });
    int invalid = 0;
    std::string first;
    for (const auto& g : d->signatures)
      if (!g.valid && invalid++ == 0) first = fmt::format("{} ({}): {}", g.signature.name, g.signature.role, g.status);
    if (!d->content_intact)
      return fail(ErrorCode::integrity, fmt::format("session {}: records changed since close; {} signature(s) invalid",
                                                    d->session.id, invalid));
    if (invalid > 0)
      return fail(ErrorCode::integrity, fmt::format("session {}: {} signature(s) invalid; first: {}", d->session.id,
                                                    invalid, first));
    return {};
  });
}

Status run_list(CliContext& ctx, const TestOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto list = services::list_sessions(db, o.scanner);
    if (!list) return tl::unexpected(list.error());
    QJsonArray json;
    reports::TextTable t{{"ID", "SCANNER", "PHASE", "STARTED", "STATUS", "VERDICT", "LOCATION"}, {}, {}};
    for (const auto& s : *list) {
      json.append(services::to_json(s));
      t.rows.push_back({std::to_string(s.id), s.asset_tag, s.phase, s.started_at_utc, s.status, s.verdict.value_or("—"),
                        s.location});
    }
    ctx.print(json, [&](std::ostream& out) { out << t.render(); });
    return {};
  });
}

Status run_keys(CliContext& ctx) {
  QJsonArray json;
  reports::TextTable t{{"KEY", "UNIT", "SOURCE", "DESCRIPTION"}, {}, {}};
  for (const auto& k : domain::measurement_keys()) {
    json.append(QJsonObject{{"key", qs(std::string(k.key))}, {"unit", qs(std::string(k.unit))}, {"source", "manual"},
                            {"description", qs(std::string(k.description))}});
    t.rows.push_back({std::string(k.key), std::string(k.unit), "manual", std::string(k.description)});
  }
  for (const auto& [key, unit] : services::kit_metric_units()) {
    json.append(QJsonObject{{"key", qs(key)}, {"unit", qs(unit)}, {"source", "kit"}, {"description", ""}});
    t.rows.push_back({key, unit, "kit", ""});
  }
  ctx.print(json, [&](std::ostream& out) { out << t.render(); });
  return {};
}

void session_option(CLI::App* cmd, std::shared_ptr<TestOptions> o) {
  cmd->add_option("--session", o->session, "Test session id (see `niikit test list`)")->required();
}

void register_deviation_commands(CLI::App* g, CliContext& ctx) {
  auto* dev = g->add_subcommand("deviation", "Deviations of a session: add, close, waive");
  dev->require_subcommand(1);
  auto a = std::make_shared<TestOptions>();
  auto* add = dev->add_subcommand("add", "Raise a deviation against a requirement of an open session");
  session_option(add, a);
  add->add_option("--requirement", a->deviation.requirement_id, "Requirement id of the session's specification")->required();
  add->add_option("--severity", a->deviation.severity, "minor or major (a major one blocks the gates)")->required();
  add->add_option("--description", a->deviation.description, "What deviates, one line")->required();
  add->add_option("--by", a->deviation.by, "Person raising it")->required();
  on_run(add, ctx, a, [](CliContext& c, TestOptions x) {
    x.deviation.session_id = x.session;
    return with_db(c, [&](db::Database& db) -> Status {
      auto d = services::add_deviation(db, x.deviation);
      if (!d) return tl::unexpected(d.error());
      return print_deviation(c, *d, "Raised");
    });
  });
  auto cl = std::make_shared<TestOptions>();
  auto* close = dev->add_subcommand("close", "Close an open deviation with how it was resolved");
  close->add_option("DEVIATION", cl->deviation_id, "Deviation id")->required();
  close->add_option("--note", cl->note, "How it was resolved (required)")->required();
  close->add_option("--by", cl->by, "Person closing it (not a vendor)")->required();
  on_run(close, ctx, cl, [](CliContext& c, const TestOptions& x) {
    return with_db(c, [&](db::Database& db) -> Status {
      auto d = services::close_deviation(db, x.deviation_id, x.note, x.by);
      if (!d) return tl::unexpected(d.error());
      return print_deviation(c, *d, "Closed");
    });
  });
  auto w = std::make_shared<TestOptions>();
  auto* waive = dev->add_subcommand("waive", "Waive an open deviation on a condition (a major one: managers only)");
  waive->add_option("DEVIATION", w->deviation_id, "Deviation id")->required();
  waive->add_option("--condition", w->note, "The condition the waiver is granted on (required)")->required();
  waive->add_option("--by", w->by, "Person granting the waiver (a manager for a major deviation)")->required();
  on_run(waive, ctx, w, [](CliContext& c, const TestOptions& x) {
    return with_db(c, [&](db::Database& db) -> Status {
      auto d = services::waive_deviation(db, x.deviation_id, x.note, x.by);
      if (!d) return tl::unexpected(d.error());
      return print_deviation(c, *d, "Waived");
    });
  });
}

void register_evidence_commands(CLI::App* g, CliContext& ctx) {
  auto k = std::make_shared<TestOptions>();
  auto* kit = g->add_subcommand("kit", "Run a test kit on a scan in an open session: stores the image hashes, kit "
                                       "version, full result and one measurement per metric value");
  session_option(kit, k);
  kit->add_option("--kit", k->kit.kit_id, "Kit id (cargo, cabinet, portable)")->required();
  kit->add_option("IMAGE", k->kit.image_path, "The scan (TIFF/PNG; the high-energy plane for dual energy)")->required();
  kit->add_option("--low-energy", k->kit.low_energy_path, "Low-energy plane of a dual-energy scan");
  kit->add_option("--blank", k->kit.blank_paths, "Blank (open-beam) image(s) for noise and flatness tests");
  kit->add_option("--pixel-mm", k->pixel_mm, "Pixel pitch at the detector plane, mm (default: from the image)")
      ->check(finite_positive());
  kit->add_option("--phantom", k->kit.phantom, "Phantom id or file (default: the kit's own)");
  kit->add_option("--result", k->kit.result_json_path,
                  "Instead of running the kit: its stored result for IMAGE (`niikit iq analyze --json`)");
  kit->add_option("--overlay", k->kit.overlay_path, "Annotated image to write (ROIs and verdicts)");
  kit->add_option("--by", k->kit.by, "Person running the test")->required();
  on_run(kit, ctx, k, [](CliContext& c, const TestOptions& x) { return run_kit(c, x); });

  auto m = std::make_shared<TestOptions>();
  auto* measure = g->add_subcommand("measure", "Record a manual measurement (dose reading, throughput trial, "
                                               "functional check) in an open session");
  session_option(measure, m);
  measure->add_option("--metric", m->measure.metric_key, "Metric key (see `niikit test keys`)")->required();
  measure->add_option("--value", m->value_text, "Value in --unit; yes/no for a check")->required();
  measure->add_option("--unit", m->measure.unit, "Unit, must be the key's (uSv/h, scans/h, %, bool, ...)")->required();
  measure->add_option("--instrument", m->measure.instrument, "Instrument used (required for dose readings)");
  measure->add_option("--serial", m->measure.instrument_serial, "Instrument serial number");
  measure->add_option("--note", m->measure.note, "Note (position, conditions)");
  measure->add_option("--by", m->measure.by, "Person recording")->required();
  on_run(measure, ctx, m, [](CliContext& c, const TestOptions& x) { return run_measure(c, x); });
}

}  // namespace

void register_test_commands(CLI::App& root, CliContext& ctx) {
  auto* g = root.add_subcommand("test", "Witnessed acceptance test sessions: FAT, SAT, periodic QC, return-to-service QC");
  g->require_subcommand(1);

  auto s = std::make_shared<TestOptions>();
  auto* start = g->add_subcommand("start", "Start a test session (the scanner must be at the phase's stage and have a "
                                           "frozen specification)");
  start->add_option("--scanner", s->start.scanner, "Asset tag or id")->required();
  start->add_option("--phase", s->start.phase, "fat, sat, periodic or return-to-service")->required();
  start->add_option("--location", s->start.location, "Where the tests run");
  start->add_option("--witness", s->start.witnesses, "Witness(es), people by name or id (one at least for fat/sat)");
  start->add_option("--retest-of", s->retest_of, "Closed session of the same phase this one retests");
  start->add_option("--by", s->start.by, "Person starting the session")->required();
  on_run(start, ctx, s, [](CliContext& c, const TestOptions& x) { return run_start(c, x); });

  register_evidence_commands(g, ctx);
  register_deviation_commands(g, ctx);

  auto c = std::make_shared<TestOptions>();
  auto* close = g->add_subcommand("close", "Judge every requirement of the phase, raise/close deviations, store the "
                                           "verdict and content hash (exit 7 when the session fails)");
  session_option(close, c);
  close->add_option("--by", c->by, "Person closing the session")->required();
  on_run(close, ctx, c, [](CliContext& cx, const TestOptions& x) { return run_close(cx, x); });

  auto sg = std::make_shared<TestOptions>();
  auto* sign = g->add_subcommand("sign", "Sign a closed session; the signature covers its content hash");
  session_option(sign, sg);
  sign->add_option("--by", sg->by, "Person signing")->required();
  sign->add_option("--role", sg->role, "witness, tester, vendor or approver (a manager)")->required();
  on_run(sign, ctx, sg, [](CliContext& cx, const TestOptions& x) { return run_sign(cx, x); });

  auto sh = std::make_shared<TestOptions>();
  auto* show = g->add_subcommand("show", "A session: requirement verdicts, evidence, deviations, signatures and their "
                                         "validity (exit 8 when its records changed since signing)");
  session_option(show, sh);
  on_run(show, ctx, sh, [](CliContext& cx, const TestOptions& x) { return run_show(cx, x); });

  auto l = std::make_shared<TestOptions>();
  auto* list = g->add_subcommand("list", "Test sessions, newest first");
  list->add_option("--scanner", l->scanner, "Only this scanner's sessions");
  on_run(list, ctx, l, [](CliContext& cx, const TestOptions& x) { return run_list(cx, x); });

  auto* keys = g->add_subcommand("keys", "Metric keys a measurement may carry (manual and kit keys) with their units");
  keys->callback([&ctx] { ctx.action = [&ctx] { return run_keys(ctx); }; });
}

}  // namespace niikit::cli
