// Operations of the topic scanner and document: the asset register and its evidence documents.
#include <fmt/format.h>

#include "app/api/operations.hpp"
#include "app/api/scanner_types.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/services/import_service.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"

namespace niikit::api {

Operation import_operation(const std::string& name, services::ImportKind kind, const std::string& what);  // ops_registry.cpp

namespace {

void put(services::Fields& f, const char* name, const std::optional<std::string>& v) {
  if (v) f[name] = *v;
}

template <class T>
services::Fields scanner_field_map(const T& q) {
  services::Fields f;
  put(f, "asset_tag", q.asset_tag);
  put(f, "manufacturer", q.manufacturer);
  put(f, "model", q.model);
  put(f, "serial", q.serial);
  put(f, "technology", q.technology);
  put(f, "energy_mev", q.energy_mev);
  put(f, "configuration", q.configuration);
  put(f, "dual_energy", q.dual_energy);
  put(f, "software_version", q.software);
  put(f, "firmware_version", q.firmware);
  put(f, "site", q.site);
  return f;
}

Result<ScannerDetail> show_scanner(Context& ctx, const ScannerKey& q) {
  auto tl = services::scanner_timeline(ctx.db(), q.scanner);
  if (!tl) return tl::unexpected(tl.error());
  ScannerDetail d{tl->scanner, tl->decisions, tl->documents, std::nullopt};
  const auto stage = domain::parse_stage(d.scanner.stage);
  if (!stage) return d;
  const auto& info = domain::stage_info(*stage);
  if (info.successors.empty()) return d;
  const std::string next(domain::stage_info(info.successors.front()).code);
  auto gate = services::check_move(ctx.db(), d.scanner.asset_tag, next, "");
  if (gate) d.next_stage = NextStage{next, *gate, gate->passed()};
  return d;
}

Result<std::vector<db::Document>> list_documents(Context& ctx, const DocumentListRequest& q) {
  std::optional<std::int64_t> scanner_id;
  if (q.scanner && !q.scanner->empty()) {
    auto s = services::get_scanner(ctx.db(), *q.scanner);
    if (!s) return tl::unexpected(s.error());
    scanner_id = s->id;
  }
  return ctx.db().read([&](SQLite::Database& sql) -> Result<std::vector<db::Document>> {
    return db::list_documents(sql, scanner_id);
  });
}

// `document show` prints the check and still fails when the bytes are gone or changed.
std::optional<Error> document_status(const services::DocumentCheck& c) {
  const auto& d = c.document;
  if (!c.file_present)
    return Error{ErrorCode::not_found, fmt::format("document {}: {} is missing", d.id, d.file_path)};
  if (!c.hash_matches)
    return Error{ErrorCode::integrity, fmt::format("document {}: {} changed since it was recorded", d.id, d.file_path)};
  return std::nullopt;
}

void add_scanner_ops(Registry& r) {
  r.group("scanner", "Scanners: registry data, timeline, documents");
  r.add(make_operation<ScannerAddRequest, db::Scanner>(
      {"scanner.add", "Register a scanner (stage `needs`, or --stage for one already further on)",
       "The acting person (--as) is recorded on the register/import decision and in the audit log.", Access::write},
      [](Context& ctx, const ScannerAddRequest& q) -> Result<db::Scanner> {
        auto actor = ctx.require("scanner.add");
        if (!actor) return tl::unexpected(actor.error());
        auto f = scanner_field_map(q);
        put(f, "stage", q.stage);
        put(f, "stage_since", q.since);
        put(f, "note", q.note);
        f["by"] = actor->name;
        return services::add_scanner(ctx.db(), ctx.audit_name(), f);
      }));
  r.add(make_operation<ScannerEditRequest, db::Scanner>(
      {"scanner.edit", "Change registry fields (software/firmware versions, site, ...)", "", Access::write},
      [](Context& ctx, const ScannerEditRequest& q) {
        return services::edit_scanner(ctx.db(), ctx.audit_name(), q.scanner, scanner_field_map(q));
      }));
  r.add(make_operation<Empty, std::vector<db::Scanner>>(
      {"scanner.list", "List scanners", "", Access::read}, [](Context& ctx, const Empty&) {
        return ctx.db().read([](SQLite::Database& sql) -> Result<std::vector<db::Scanner>> { return db::list_scanners(sql); });
      }));
  r.add(make_operation<ScannerKey, ScannerDetail>(
      {"scanner.show", "Show a scanner: registry data, timeline of decisions, documents, blockers", "", Access::read},
      show_scanner));
  r.add(import_operation("scanner.import", services::ImportKind::scanners,
                         "an existing fleet, each scanner at its real stage;"));
}

void add_document_ops(Registry& r) {
  r.group("document", "Documents (evidence): copied into the evidence store by SHA-256, linked to a scanner or site");
  r.add(make_operation<DocumentAddRequest, db::Document>(
      {"document.add", "Record a document: copies the file into the evidence store and links it",
       "The store keeps the bytes under their SHA-256; the record keeps that hash and the file's name, so the "
       "document stays readable wherever the original file goes.",
       Access::write},
      [](Context& ctx, const DocumentAddRequest& q) -> Result<db::Document> {
        auto actor = ctx.require("document.add");
        if (!actor) return tl::unexpected(actor.error());
        services::DocumentInput in{q.title, q.kind, q.file, q.scanner.value_or(""), q.site.value_or(""), actor->name};
        return services::add_document(ctx.db(), ctx.evidence(), ctx.audit_name(), in);
      }));
  r.add(make_operation<DocumentListRequest, std::vector<db::Document>>({"document.list", "List documents", "", Access::read},
                                                                       list_documents));
  r.add(make_operation<DocumentEditRequest, db::Document>(
      {"document.edit", "Change a document's title, kind or links (the file and hash stay)", "", Access::write},
      [](Context& ctx, const DocumentEditRequest& q) {
        services::Fields f;
        put(f, "title", q.title);
        put(f, "kind", q.kind);
        put(f, "scanner", q.scanner);
        put(f, "site", q.site);
        return services::edit_document(ctx.db(), ctx.audit_name(), q.id, f);
      }));
  r.add(make_operation<DocumentKey, services::DocumentCheck>(
      {"document.show", "Show a document and check that its stored bytes still have their recorded SHA-256 "
                        "(exit 8 when they changed, 4 when they are gone)",
       "", Access::read},
      [](Context& ctx, const DocumentKey& q) { return services::check_document(ctx.db(), ctx.evidence(), q.id); },
      document_status));
}

}  // namespace

void add_scanner_operations(Registry& r) {
  add_scanner_ops(r);
  add_document_ops(r);
}

}  // namespace niikit::api
