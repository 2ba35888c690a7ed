// `niikit procurement add|list|show|link` and `niikit spec import|export|show|freeze|catalogue`:
// procurement projects and their versioned, measurable specifications (docs/requirements.md).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>
#include <iostream>

#include "app/cli/adapter.hpp"
#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/services/procurement_service.hpp"
#include "app/services/requirements_xlsx.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

struct ProcurementOptions {
  services::ProcurementInput input;
  std::string key;       // procurement reference or id
  std::string scanner;   // link --scanner
  bool move = false;     // link --move
  std::string by;        // actor / person freezing
  std::string file;      // import file
  int version = 0;       // 0: newest
  std::string format = "json";
  std::string out;
  std::string kit;       // catalogue --kit
};
using Opts = std::shared_ptr<ProcurementOptions>;

template <class Run>
void on_run(CLI::App* cmd, CliContext& ctx, Opts o, Run run) {
  cmd->callback([&ctx, o, run] { ctx.action = [&ctx, o, run] { return run(ctx, *o); }; });
}

template <class Fn>
Status with_db(CliContext& ctx, Fn fn) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  return fn(*db);
}

std::optional<int> version_of(const ProcurementOptions& o) { return o.version > 0 ? std::optional<int>(o.version) : std::nullopt; }

std::string money(const db::Procurement& p) { return p.budget_minor ? services::format_budget(p) : "—"; }

QJsonObject to_json(const db::Procurement& p) {
  return {{"id", qint64(p.id)},
          {"reference", qs(p.reference)},
          {"title", qs(p.title)},
          {"description", qs(p.description)},
          {"budget_minor", p.budget_minor ? QJsonValue(qint64(*p.budget_minor)) : QJsonValue()},
          {"currency", qs(p.currency)},
          {"created_at_utc", qs(p.created_at_utc)}};
}

QJsonObject to_json(const db::Specification& s) {
  return {{"id", qint64(s.id)},
          {"procurement_id", qint64(s.procurement_id)},
          {"version", s.version},
          {"status", qs(s.status)},
          {"source_file", qs(s.source_file)},
          {"created_at_utc", qs(s.created_at_utc)},
          {"updated_at_utc", qs(s.updated_at_utc)},
          {"frozen_at_utc", s.frozen_at_utc ? QJsonValue(qs(*s.frozen_at_utc)) : QJsonValue()},
          {"frozen_by", s.frozen_by ? QJsonValue(qs(s.frozen_by_name)) : QJsonValue()},
          {"requirements_sha256", qs(s.requirements_sha256)},
          {"requirement_count", s.requirement_count}};
}

QJsonObject to_json(const db::LinkedScanner& l) {
  return {{"scanner_id", qint64(l.scanner_id)}, {"asset_tag", qs(l.asset_tag)}, {"stage", qs(l.stage)},
          {"linked_at_utc", qs(l.linked_at_utc)}};
}

// The requirement objects exactly as the JSON file format writes them.
QJsonArray requirements_json(const std::vector<domain::Requirement>& list) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(domain::requirements_to_json(list)))
      .object()
      .value("requirements")
      .toArray();
}

QJsonArray gaps_json(const std::vector<domain::VerificationGap>& gaps) {
  QJsonArray a;
  for (const auto& g : gaps) a.append(QJsonObject{{"id", qs(g.requirement_id)}, {"problem", qs(g.problem)}});
  return a;
}

std::string phases(const domain::Requirement& r) {
  std::string out;
  for (auto p : domain::verification_phases())
    if (r.verified_at.count(std::string(p))) out += (out.empty() ? "" : ",") + std::string(p);
  return out.empty() ? "—" : out;
}

std::string requirement_table(const std::vector<domain::Requirement>& list) {
  reports::TextTable t{{"ID", "CATEGORY", "M/D", "METRIC KEY", "TARGET", "METHOD", "VERIFIED AT", "TEXT"}, {}, {}};
  for (const auto& r : list)
    t.rows.push_back({r.id, r.category, r.mandatory ? "M" : "D", r.metric_key, domain::describe_target(r),
                      r.method.empty() ? "—" : r.method, phases(r), r.text});
  return t.render();
}

std::string version_line(const db::Specification& s) {
  std::string line = fmt::format("version {} {} ({} requirements", s.version, s.status, s.requirement_count);
  if (s.status == "frozen")
    line += fmt::format("; frozen {} by {}; sha256 {}", s.frozen_at_utc.value_or(""), s.frozen_by_name,
                        s.requirements_sha256.substr(0, 12));
  else
    line += fmt::format("; last import {} from {}", s.updated_at_utc, s.source_file.empty() ? "—" : s.source_file);
  return line + ")";
}

QJsonObject overview_json(const services::ProcurementOverview& o) {
  QJsonArray versions, scanners;
  for (const auto& s : o.versions) versions.append(to_json(s));
  for (const auto& l : o.scanners) scanners.append(to_json(l));
  auto j = to_json(o.procurement);
  j["specifications"] = versions;
  j["scanners"] = scanners;
  return j;
}

// ---- procurement ----------------------------------------------------------------------------

Status run_add(CliContext& ctx, const ProcurementOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto p = services::add_procurement(db, ctx.actor(o.by), o.input);
    if (!p) return tl::unexpected(p.error());
    ctx.print(to_json(*p), [&](std::ostream& out) {
      out << fmt::format("Added procurement {} (id {}): {}\n", p->reference, p->id, p->title);
    });
    return {};
  });
}

Status run_list(CliContext& ctx, const ProcurementOptions&) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto list = services::list_procurements(db);
    if (!list) return tl::unexpected(list.error());
    QJsonArray json;
    reports::TextTable t{{"REFERENCE", "TITLE", "BUDGET", "SPEC", "SCANNERS"}, {}, {}};
    for (const auto& o : *list) {
      json.append(overview_json(o));
      std::string spec = "—";
      if (!o.versions.empty()) spec = fmt::format("v{} {}", o.versions.back().version, o.versions.back().status);
      std::string scanners;
      for (const auto& l : o.scanners) scanners += (scanners.empty() ? "" : ", ") + l.asset_tag;
      t.rows.push_back({o.procurement.reference, o.procurement.title, money(o.procurement), spec,
                        scanners.empty() ? "—" : scanners});
    }
    ctx.print(json, [&](std::ostream& out) { out << t.render(); });
    return {};
  });
}

Status run_show(CliContext& ctx, const ProcurementOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto ov = services::show_procurement(db, o.key);
    if (!ov) return tl::unexpected(ov.error());
    ctx.print(overview_json(*ov), [&](std::ostream& out) {
      const auto& p = ov->procurement;
      out << reports::render_fields({{"Reference", p.reference},
                                     {"Title", p.title},
                                     {"Description", p.description.empty() ? "—" : p.description},
                                     {"Budget", money(p)},
                                     {"Created", p.created_at_utc}});
      out << "\nSpecification versions:\n";
      if (ov->versions.empty()) out << "  (none; `niikit spec import --procurement " << p.reference << " FILE`)\n";
      for (const auto& s : ov->versions) out << "  " << version_line(s) << "\n";
      out << "\nScanners:\n";
      if (ov->scanners.empty()) out << "  (none; `niikit procurement link " << p.reference << " --scanner TAG`)\n";
      for (const auto& l : ov->scanners) out << fmt::format("  {} ({}), linked {}\n", l.asset_tag, l.stage, l.linked_at_utc);
    });
    return {};
  });
}

Status run_link(CliContext& ctx, const ProcurementOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto l = services::link_scanner_to_procurement(db, ctx.actor(o.by), o.key, o.scanner, o.move);
    if (!l) return tl::unexpected(l.error());
    ctx.print(to_json(*l), [&](std::ostream& out) { out << fmt::format("Scanner {} belongs to procurement {}\n", l->asset_tag, o.key); });
    return {};
  });
}

// ---- spec -----------------------------------------------------------------------------------

Status run_import(CliContext& ctx, const ProcurementOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto r = services::import_specification(db, ctx.actor(o.by), o.key, o.file);
    if (!r) return tl::unexpected(r.error());
    const bool stored = r->errors.empty();
    QJsonObject json{{"file", qs(o.file)},
                     {"rows", r->rows},
                     {"stored", stored},
                     {"replaced_draft", r->replaced_draft},
                     {"errors", string_array(r->errors)},
                     {"warnings", string_array(r->warnings)},
                     {"specification", stored ? QJsonValue(to_json(r->specification)) : QJsonValue()}};
    ctx.print(json, [&](std::ostream& out) {
      for (const auto& e : r->errors) out << e << "\n";
      for (const auto& w : r->warnings) std::cerr << "warning: " << w << "\n";
      if (stored)
        out << fmt::format("{} {} requirement(s) into procurement {} version {} (draft){}\n",
                           r->replaced_draft ? "Replaced the draft with" : "Imported", r->rows, o.key,
                           r->specification.version, r->replaced_draft ? "" : ", a new version");
    });
    if (!stored)
      return fail(ErrorCode::input, fmt::format("{}: {} problem(s); nothing stored", o.file, r->errors.size()));
    return {};
  });
}

Status run_spec_show(CliContext& ctx, const ProcurementOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto v = services::get_specification(db, o.key, version_of(o));
    if (!v) return tl::unexpected(v.error());
    QJsonObject json{{"procurement", to_json(v->procurement)},
                     {"specification", to_json(v->specification)},
                     {"requirements", requirements_json(v->requirements)},
                     {"gaps", gaps_json(v->gaps)}};
    ctx.print(json, [&](std::ostream& out) {
      out << fmt::format("Procurement {}: {}\n", v->procurement.reference, version_line(v->specification));
      out << requirement_table(v->requirements);
      for (const auto& g : v->gaps) out << fmt::format("gap: {}: {}\n", g.requirement_id, g.problem);
    });
    return {};
  });
}

Status run_export(CliContext& ctx, const ProcurementOptions& o) {
  auto format = services::parse_spec_format(o.format);
  if (!format) return tl::unexpected(format.error());
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto v = services::export_specification(db, o.key, version_of(o), *format, o.out);
    if (!v) return tl::unexpected(v.error());
    ctx.print(QJsonObject{{"out", qs(o.out)},
                          {"format", qs(o.format)},
                          {"specification", to_json(v->specification)},
                          {"requirements", static_cast<int>(v->requirements.size())}},
              [&](std::ostream& out) {
                out << fmt::format("Wrote {} requirement(s) of {} version {} ({}) to {}\n", v->requirements.size(),
                                   v->procurement.reference, v->specification.version, v->specification.status, o.out);
              });
    return {};
  });
}

Status run_freeze(CliContext& ctx, const ProcurementOptions& o) {
  auto signer = key_signer_for(ctx, o.by, fmt::format("the specification of {}", o.key));
  if (!signer) return tl::unexpected(signer.error());
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto r = services::freeze_specification(db, ctx.actor(o.by), o.key, o.by, *signer ? &**signer : nullptr);
    if (!r) return tl::unexpected(r.error());
    ctx.print(QJsonObject{{"frozen", r->frozen},
                          {"specification", to_json(r->view.specification)},
                          {"gaps", gaps_json(r->gaps)}},
              [&](std::ostream& out) {
                for (const auto& g : r->gaps) out << fmt::format("  MISS  {}: {}\n", g.requirement_id, g.problem);
                if (r->frozen)
                  out << fmt::format("Froze {} {}\n", r->view.procurement.reference, version_line(r->view.specification));
              });
    if (!r->frozen) {
      std::string ids;
      for (const auto& g : r->gaps) ids += (ids.empty() ? "" : ", ") + g.requirement_id;
      return fail(ErrorCode::gate_refused,
                  fmt::format("procurement {} version {}: cannot freeze: {} requirement gap(s): {}",
                              r->view.procurement.reference, r->view.specification.version, r->gaps.size(), ids));
    }
    return {};
  });
}

Status run_catalogue(CliContext& ctx, const ProcurementOptions& o) {
  if (o.kit.empty()) {
    if (!o.out.empty()) return fail(ErrorCode::usage, "--out needs --kit cargo|cabinet|portable");
    QJsonArray json;
    reports::TextTable t{{"KIT", "REQUIREMENTS", "MANDATORY", "FILE"}, {}, {true}};
    for (const auto& kit : services::catalogue_kits()) {
      auto list = services::load_catalogue(kit);
      if (!list) return tl::unexpected(list.error());
      int mandatory = 0;
      for (const auto& r : *list) mandatory += r.mandatory ? 1 : 0;
      json.append(QJsonObject{{"kit", qs(kit)}, {"file", qs(services::catalogue_path(kit))},
                              {"requirements", static_cast<int>(list->size())}, {"mandatory", mandatory}});
      t.rows.push_back({kit, std::to_string(list->size()), std::to_string(mandatory), services::catalogue_path(kit)});
    }
    t.right_aligned = {false, true, true, false};
    ctx.print(json, [&](std::ostream& out) { out << t.render(); });
    return {};
  }
  auto list = services::load_catalogue(o.kit);
  if (!list) return tl::unexpected(list.error());
  if (!o.out.empty())
    if (auto st = services::copy_catalogue(o.kit, o.out); !st) return st;
  const auto warnings = services::unknown_metric_key_warnings(*list);
  ctx.print(QJsonObject{{"kit", qs(o.kit)},
                        {"file", qs(services::catalogue_path(o.kit))},
                        {"out", o.out.empty() ? QJsonValue() : QJsonValue(qs(o.out))},
                        {"requirements", requirements_json(*list)},
                        {"warnings", string_array(warnings)}},
            [&](std::ostream& out) {
              if (!o.out.empty())
                out << fmt::format("Copied the {} catalogue ({} requirements) to {}\n", o.kit, list->size(), o.out);
              else
                out << requirement_table(*list);
              for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
            });
  return {};
}

void register_procurement_group(CLI::App& root, CliContext& ctx) {
  auto* g = root.add_subcommand("procurement", "Procurement projects: the scanners they buy and their specifications");
  g->require_subcommand(1);

  auto a = std::make_shared<ProcurementOptions>();
  auto* add = g->add_subcommand("add", "Record a procurement project");
  add->add_option("--reference", a->input.reference, "Unique reference, e.g. GRA-NII-2026-01")->required();
  add->add_option("--title", a->input.title, "Title")->required();
  add->add_option("--description", a->input.description, "What it buys and why");
  add->add_option("--budget", a->input.budget, "Budget in major units, e.g. 2500000 or 2500000.50 (stored exactly, "
                                               "in minor units)");
  add->add_option("--currency", a->input.currency, "ISO 4217 currency code of the budget, e.g. USD, EUR, XOF");
  add->add_option("--by", a->by, "Person making the change (audit log; default os:$USER)");
  on_run(add, ctx, a, run_add);

  auto l = std::make_shared<ProcurementOptions>();
  on_run(g->add_subcommand("list", "List procurements with their newest specification version and scanners"), ctx, l,
         run_list);

  auto s = std::make_shared<ProcurementOptions>();
  auto* show = g->add_subcommand("show", "Show a procurement, its specification versions and its scanners");
  show->add_option("PROCUREMENT", s->key, "Reference or id")->required();
  on_run(show, ctx, s, run_show);

  auto k = std::make_shared<ProcurementOptions>();
  auto* link = g->add_subcommand("link", "Record that a procurement bought a scanner (a scanner belongs to at most one)");
  link->add_option("PROCUREMENT", k->key, "Reference or id")->required();
  link->add_option("--scanner", k->scanner, "Asset tag or id")->required();
  link->add_flag("--move", k->move, "Relink a scanner that belongs to another procurement");
  link->add_option("--by", k->by, "Person making the change (audit log; default os:$USER)");
  on_run(link, ctx, k, run_link);
}

void procurement_option(CLI::App* cmd, Opts o) {
  cmd->add_option("--procurement", o->key, "Procurement reference or id")->required();
}

void version_option(CLI::App* cmd, Opts o) {
  cmd->add_option("--version", o->version, "Specification version (default: the newest)")->check(CLI::PositiveNumber);
}

void register_spec_group(CLI::App& root, CliContext& ctx) {
  auto* g = root.add_subcommand("spec", "Specifications: versioned, measurable requirements (import, export, freeze, "
                                        "default catalogue); format in docs/requirements.md");
  g->require_subcommand(1);

  auto i = std::make_shared<ProcurementOptions>();
  auto* imp = g->add_subcommand("import", "Import requirements (.json or .xlsx) into the draft version: replaces the "
                                          "current draft, or starts version n+1 after a freeze. Every bad row is "
                                          "listed and nothing is stored");
  procurement_option(imp, i);
  imp->add_option("FILE", i->file, "Requirement file: .json or .xlsx")->required();
  imp->add_option("--by", i->by, "Person making the change (audit log; default os:$USER)");
  on_run(imp, ctx, i, run_import);

  auto e = std::make_shared<ProcurementOptions>();
  auto* exp = g->add_subcommand("export", "Write a specification version as JSON or XLSX");
  procurement_option(exp, e);
  version_option(exp, e);
  exp->add_option("--format", e->format, "json or xlsx (default json)")->check(CLI::IsMember({"json", "xlsx"}));
  exp->add_option("--out", e->out, "Output file (written atomically)")->required();
  on_run(exp, ctx, e, run_export);

  auto s = std::make_shared<ProcurementOptions>();
  auto* show = g->add_subcommand("show", "Table of a version's requirements, and what would stop a freeze");
  procurement_option(show, s);
  version_option(show, s);
  on_run(show, ctx, s, run_spec_show);

  auto f = std::make_shared<ProcurementOptions>();
  auto* freeze = g->add_subcommand("freeze", "Freeze the draft version (records who, when and the requirements' "
                                             "SHA-256); refused, listing every offending requirement (exit 6), while "
                                             "a mandatory requirement has no test method or verification phase");
  procurement_option(freeze, f);
  freeze->add_option("--by", f->by, "Person approving the specification (name or id)")->required();
  on_run(freeze, ctx, f, run_freeze);

  auto c = std::make_shared<ProcurementOptions>();
  auto* cat = g->add_subcommand("catalogue", "The shipped default requirement catalogues (typical values to copy and "
                                             "edit): list them, print one, or copy one to a file");
  cat->add_option("--kit", c->kit, "cargo, cabinet or portable (default: list the catalogues)")
      ->check(CLI::IsMember({"cargo", "cabinet", "portable"}));
  cat->add_option("--out", c->out, "Copy the catalogue to FILE (.json, or .xlsx for a spreadsheet)");
  on_run(cat, ctx, c, run_catalogue);
}

}  // namespace

void register_procurement_commands(CLI::App& root, CliContext& ctx) {
  register_procurement_group(root, ctx);
  register_spec_group(root, ctx);
}

}  // namespace niikit::cli
