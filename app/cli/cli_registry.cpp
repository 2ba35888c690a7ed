// `niikit site|person|scanner|document ...`: add, list, show, edit, import (CSV).
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>

#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/cli/registry_views.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/services/import_service.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "reports/text_table.hpp"

namespace niikit::cli {

namespace {

using services::Fields;

struct FieldOptions {
  Fields fields;
  std::string key;   // record named on the command line (show / edit)
  std::string by;    // person recorded as the actor
  std::string file;  // import file
};

// --NAME VALUE sets fields["field"] when given.
void field_option(CLI::App* cmd, const std::string& flag, const std::string& field, std::shared_ptr<FieldOptions> o,
                  const std::string& help) {
  cmd->add_option_function<std::string>(
         flag, [o, field](const std::string& v) { o->fields[field] = v; }, help)
      ->type_name("TEXT");
}

void by_option(CLI::App* cmd, std::shared_ptr<FieldOptions> o) {
  cmd->add_option("--by", o->by, "Person making the change (recorded in the audit log; default os:$USER)");
}

template <class Run>
void on_run(CLI::App* cmd, CliContext& ctx, std::shared_ptr<FieldOptions> o, Run run) {
  cmd->callback([&ctx, o, run] { ctx.action = [&ctx, o, run] { return run(ctx, *o); }; });
}

template <class Fn>
Status with_db(CliContext& ctx, Fn fn) {
  auto db = ctx.open_db();
  if (!db) return tl::unexpected(db.error());
  return fn(*db);
}

Status run_import(CliContext& ctx, services::ImportKind kind, const FieldOptions& o) {
  return with_db(ctx, [&](db::Database& db) -> Status {
    auto progress = [&](int done, int total) {
      if (ctx.show_progress() && (done % 50 == 0 || done == total))
        *ctx.err << fmt::format("\rchecking rows {}/{}", done, total) << (done == total ? "\n" : "") << std::flush;
    };
    auto result = services::import_csv(db, ctx.actor(o.by), kind, o.file, progress);
    if (!result) return tl::unexpected(result.error());
    QJsonArray errors;
    for (const auto& e : result->errors) errors.append(QJsonObject{{"line", e.line}, {"message", qs(e.message)}});
    ctx.print(QJsonObject{{"file", qs(o.file)}, {"rows", result->rows}, {"stored", result->stored}, {"errors", errors}},
              [&](std::ostream& out) {
                for (const auto& e : result->errors) out << e.message << "\n";
                if (result->errors.empty()) out << fmt::format("Imported {} row(s) from {}\n", result->stored, o.file);
              });
    if (!result->errors.empty())
      return fail(ErrorCode::input, fmt::format("{}: {} of {} rows rejected; nothing stored", o.file,
                                                result->errors.size(), result->rows));
    return {};
  });
}

void add_import(CLI::App* group, CliContext& ctx, services::ImportKind kind, const std::string& what) {
  std::string cols;
  for (const auto& c : services::import_columns(kind)) cols += (cols.empty() ? "" : ",") + c;
  auto o = std::make_shared<FieldOptions>();
  auto* cmd = group->add_subcommand("import", fmt::format("Import {} from CSV (all rows or none). Columns: {} "
                                                          "(* required)", what, cols));
  cmd->add_option("CSV", o->file, "CSV file with a header line")->required();
  by_option(cmd, o);
  on_run(cmd, ctx, o, [kind](CliContext& c, const FieldOptions& opts) { return run_import(c, kind, opts); });
}

void scanner_fields(CLI::App* cmd, std::shared_ptr<FieldOptions> o) {
  field_option(cmd, "--asset-tag", "asset_tag", o, "Asset tag (unique)");
  field_option(cmd, "--manufacturer", "manufacturer", o, "Manufacturer");
  field_option(cmd, "--model", "model", o, "Model");
  field_option(cmd, "--serial", "serial", o, "Serial number");
  field_option(cmd, "--technology", "technology", o, "Source: " + domain::join_codes(domain::technologies()));
  field_option(cmd, "--energy-mev", "energy_mev", o, "Nominal energy in MeV (X-ray tube: kVp/1000, e.g. 0.16)");
  field_option(cmd, "--configuration", "configuration", o,
               "Configuration: " + domain::join_codes(domain::configurations()));
  field_option(cmd, "--dual-energy", "dual_energy", o, "Dual energy: yes or no");
  field_option(cmd, "--software", "software_version", o, "Software version");
  field_option(cmd, "--firmware", "firmware_version", o, "Firmware version");
  field_option(cmd, "--site", "site", o, "Site name or id (empty to unassign)");
}

void register_scanners(CLI::App& root, CliContext& ctx) {
  auto* g = root.add_subcommand("scanner", "Scanners: registry data, timeline, documents");
  g->require_subcommand(1);
  auto o = std::make_shared<FieldOptions>();
  auto* add = g->add_subcommand("add", "Register a scanner (stage `needs`, or --stage for one already further on)");
  scanner_fields(add, o);
  field_option(add, "--stage", "stage", o, "Stage it is really in (recorded as an import decision)");
  field_option(add, "--since", "stage_since", o, "Date it entered that stage (YYYY-MM-DD; default now)");
  field_option(add, "--note", "note", o, "Note on the register/import decision");
  add->add_option_function<std::string>("--by", [o](const std::string& v) { o->by = v; o->fields["by"] = v; },
                                        "Person registering it (recorded on the decision and the audit log)");
  on_run(add, ctx, o, [](CliContext& c, const FieldOptions& x) {
    return with_db(c, [&](db::Database& db) -> Status {
      auto s = services::add_scanner(db, c.actor(x.by), x.fields);
      if (!s) return tl::unexpected(s.error());
      return print_scanner_line(c, *s, "Registered scanner");
    });
  });
  auto e = std::make_shared<FieldOptions>();
  auto* edit = g->add_subcommand("edit", "Change registry fields (software/firmware versions, site, ...)");
  edit->add_option("SCANNER", e->key, "Asset tag or id")->required();
  scanner_fields(edit, e);
  by_option(edit, e);
  on_run(edit, ctx, e, [](CliContext& c, const FieldOptions& x) {
    return with_db(c, [&](db::Database& db) -> Status {
      auto s = services::edit_scanner(db, c.actor(x.by), x.key, x.fields);
      if (!s) return tl::unexpected(s.error());
      return print_scanner_line(c, *s, "Updated scanner");
    });
  });
  auto l = std::make_shared<FieldOptions>();
  on_run(g->add_subcommand("list", "List scanners"), ctx, l, [](CliContext& c, const FieldOptions&) {
    return with_db(c, [&](db::Database& db) { return list_scanners(c, db); });
  });
  auto s = std::make_shared<FieldOptions>();
  auto* show = g->add_subcommand("show", "Show a scanner: registry data, timeline of decisions, documents, blockers");
  show->add_option("SCANNER", s->key, "Asset tag or id")->required();
  on_run(show, ctx, s, [](CliContext& c, const FieldOptions& x) {
    return with_db(c, [&](db::Database& db) { return show_scanner(c, db, x.key); });
  });
  add_import(g, ctx, services::ImportKind::scanners, "an existing fleet, each scanner at its real stage;");
}

void register_documents(CLI::App& root, CliContext& ctx) {
  auto* g = root.add_subcommand("document", "Documents (evidence): file path and SHA-256, linked to a scanner or site");
  g->require_subcommand(1);
  auto in = std::make_shared<services::DocumentInput>();
  auto by = std::make_shared<std::string>();
  auto* add = g->add_subcommand("add", "Record a document: hashes the file and links it");
  add->add_option("FILE", in->file_path, "The document file")->required();
  add->add_option("--title", in->title, "Title")->required();
  add->add_option("--kind", in->kind, "Kind: " + domain::join_codes(domain::document_kinds()))->required();
  add->add_option("--scanner", in->scanner, "Linked scanner (asset tag or id)");
  add->add_option("--site", in->site, "Linked site (name or id)");
  add->add_option("--by", *by, "Person adding it");
  add->callback([&ctx, in, by] {
    ctx.action = [&ctx, in, by] {
      return with_db(ctx, [&](db::Database& db) -> Status {
        in->added_by = *by;
        auto d = services::add_document(db, ctx.actor(*by), *in);
        if (!d) return tl::unexpected(d.error());
        return print_document(ctx, *d, "Added document");
      });
    };
  });
  auto list_scanner = std::make_shared<std::string>();
  auto* list = g->add_subcommand("list", "List documents");
  list->add_option("--scanner", *list_scanner, "Only documents linked to this scanner");
  list->callback([&ctx, list_scanner] {
    ctx.action = [&ctx, list_scanner] { return with_db(ctx, [&](db::Database& db) { return list_documents(ctx, db, *list_scanner); }); };
  });
  auto e = std::make_shared<FieldOptions>();
  auto edit_id = std::make_shared<std::int64_t>(0);
  auto* edit = g->add_subcommand("edit", "Change a document's title, kind or links (the file and hash stay)");
  edit->add_option("ID", *edit_id, "Document id")->required();
  field_option(edit, "--title", "title", e, "New title");
  field_option(edit, "--kind", "kind", e, "New kind");
  field_option(edit, "--scanner", "scanner", e, "Link to this scanner (empty to unlink)");
  field_option(edit, "--site", "site", e, "Link to this site (empty to unlink)");
  by_option(edit, e);
  edit->callback([&ctx, e, edit_id] {
    ctx.action = [&ctx, e, edit_id] {
      return with_db(ctx, [&](db::Database& db) -> Status {
        auto d = services::edit_document(db, ctx.actor(e->by), *edit_id, e->fields);
        if (!d) return tl::unexpected(d.error());
        return print_document(ctx, *d, "Updated document");
      });
    };
  });
  auto id = std::make_shared<std::int64_t>(0);
  auto* check = g->add_subcommand("show", "Show a document and check that its file still has its recorded SHA-256 "
                                          "(exit 8 when it changed, 4 when it is gone)");
  check->add_option("ID", *id, "Document id")->required();
  check->callback([&ctx, id] {
    ctx.action = [&ctx, id] { return with_db(ctx, [&](db::Database& db) { return check_document(ctx, db, *id); }); };
  });
}

}  // namespace

void register_registry_commands(CLI::App& root, CliContext& ctx) {
  register_scanners(root, ctx);
  register_documents(root, ctx);
}

}  // namespace niikit::cli
