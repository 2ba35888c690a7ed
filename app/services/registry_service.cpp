#include "app/services/registry_service.hpp"

#include <QCryptographicHash>
#include <QFile>
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "app/domain/lifecycle.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/domain/text_rules.hpp"

namespace niikit::services {

namespace fs = std::filesystem;
using namespace niikit::domain;

namespace {

Status check_known(const Fields& fields, const std::set<std::string>& allowed, std::string_view what) {
  for (const auto& [k, _] : fields)
    if (!allowed.count(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return fail(ErrorCode::usage, fmt::format("{}: unknown field '{}' (fields: {})", what, k, list));
    }
  return {};
}

std::optional<std::string> field(const Fields& f, const std::string& key) {
  auto it = f.find(key);
  if (it == f.end()) return std::nullopt;
  return it->second;
}

Status need(const Fields& f, std::initializer_list<const char*> keys, std::string_view what) {
  for (auto k : keys) {
    auto v = field(f, k);
    if (!v || v->find_first_not_of(" \t") == std::string::npos)
      return fail(ErrorCode::input, fmt::format("{}: {} missing", what, k));
  }
  return {};
}

// Every registry field is one line of printable UTF-8 of at most 200 characters (issue 13).
Status check_text(const Fields& f) {
  for (const auto& [k, v] : f)
    if (auto st = check_line(k, v); !st) return st;
  return {};
}

template <class T>
Status assign(const Result<T>& parsed, T& target) {
  if (!parsed) return tl::unexpected(parsed.error());
  target = *parsed;
  return {};
}

Status apply_site_fields(const Fields& f, db::Site& s) {
  if (auto st = check_text(f); !st) return st;
  if (auto v = field(f, "name")) s.name = *v;
  if (auto v = field(f, "country")) s.country = *v;
  if (auto v = field(f, "site_type")) return assign(parse_code(site_types(), *v), s.site_type);
  return {};
}

Status apply_person_fields(const Fields& f, db::Person& p) {
  if (auto st = check_text(f); !st) return st;
  if (auto v = field(f, "name")) p.name = *v;
  if (auto v = field(f, "organisation")) p.organisation = *v;
  if (auto v = field(f, "email")) p.email = *v;
  if (auto v = field(f, "os_user")) p.os_user = *v;
  if (auto v = field(f, "role")) return assign(parse_code(roles(), *v), p.role);
  return {};
}

const std::set<std::string> site_fields{"name", "country", "site_type"};
const std::set<std::string> person_fields{"name", "role", "organisation", "email", "os_user"};
const std::set<std::string> scanner_edit_fields{"asset_tag", "manufacturer", "model", "serial", "technology",
                                                "energy_mev", "configuration", "dual_energy", "software_version",
                                                "firmware_version", "site"};

Error not_found(std::string_view what, const std::string& key) {
  return Error{ErrorCode::not_found, fmt::format("{} '{}': not found", what, key)};
}

}  // namespace

Status apply_scanner_fields(SQLite::Database& sql, const Fields& f, db::Scanner& s, bool complete) {
  if (auto st = check_text(f); !st) return st;
  if (complete)
    if (auto st = need(f, {"asset_tag", "manufacturer", "model", "technology", "configuration"}, "scanner"); !st)
      return st;
  if (auto v = field(f, "asset_tag")) s.asset_tag = *v;
  if (auto v = field(f, "manufacturer")) s.manufacturer = *v;
  if (auto v = field(f, "model")) s.model = *v;
  if (auto v = field(f, "serial")) s.serial = *v;
  if (auto v = field(f, "software_version")) s.software_version = *v;
  if (auto v = field(f, "firmware_version")) s.firmware_version = *v;
  if (auto v = field(f, "technology"); v)
    if (auto st = assign(parse_code(technologies(), *v), s.technology); !st) return st;
  if (auto v = field(f, "configuration"); v)
    if (auto st = assign(parse_code(configurations(), *v), s.configuration); !st) return st;
  if (auto v = field(f, "dual_energy"); v && !v->empty())
    if (auto st = assign(parse_yes_no("dual_energy", *v), s.dual_energy); !st) return st;
  if (auto v = field(f, "energy_mev"); v) {
    if (v->empty()) s.energy_mev.reset();
    else if (auto e = parse_number("energy_mev", *v, 0.001, 20.0)) s.energy_mev = *e;
    else return tl::unexpected(e.error());
  }
  if (auto v = field(f, "site"); v) {
    if (v->empty()) s.site_id.reset();
    else if (auto site = db::find_site(sql, *v)) s.site_id = site->id, s.site_name = site->name;
    else return tl::unexpected(not_found("site", *v));
  }
  return {};
}

Result<db::Site> get_site(db::Database& db, const std::string& key) {
  return db.read([&](SQLite::Database& sql) -> Result<db::Site> {
    if (auto s = db::find_site(sql, key)) return *s;
    return tl::unexpected(not_found("site", key));
  });
}

Result<db::Person> get_person(db::Database& db, const std::string& key) {
  return db.read([&](SQLite::Database& sql) -> Result<db::Person> {
    if (auto p = db::find_person(sql, key)) return *p;
    return tl::unexpected(not_found("person", key));
  });
}

Result<db::Scanner> get_scanner(db::Database& db, const std::string& key) {
  return db.read([&](SQLite::Database& sql) -> Result<db::Scanner> {
    if (auto s = db::find_scanner(sql, key)) return *s;
    return tl::unexpected(not_found("scanner", key));
  });
}

Result<db::Site> add_site(db::Database& db, const std::string& actor, const Fields& f) {
  if (auto st = check_known(f, site_fields, "site"); !st) return tl::unexpected(st.error());
  if (auto st = need(f, {"name", "country", "site_type"}, "site"); !st) return tl::unexpected(st.error());
  db::Site s;
  if (auto st = apply_site_fields(f, s); !st) return tl::unexpected(st.error().with_context(s.name.empty() ? "site" : "site " + s.name));
  auto id = db.write(actor, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    if (db::find_site(tx.sql(), s.name)) return fail(ErrorCode::conflict, fmt::format("site '{}': already exists", s.name));
    return db::insert_site(tx, s);
  });
  if (!id) return tl::unexpected(id.error());
  return get_site(db, s.name);
}

Result<db::Site> edit_site(db::Database& db, const std::string& actor, const std::string& key, const Fields& f) {
  if (auto st = check_known(f, site_fields, "site"); !st) return tl::unexpected(st.error());
  auto done = db.write(actor, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    auto s = db::find_site(tx.sql(), key);
    if (!s) return tl::unexpected(not_found("site", key));
    if (auto st = apply_site_fields(f, *s); !st) return tl::unexpected(st.error().with_context("site " + key));
    if (auto st = db::update_site(tx, *s); !st) return tl::unexpected(st.error());
    return s->id;
  });
  if (!done) return tl::unexpected(done.error());
  return get_site(db, std::to_string(*done));
}

Result<db::Person> add_person(db::Database& db, const std::string& actor, const Fields& f) {
  if (auto st = check_known(f, person_fields, "person"); !st) return tl::unexpected(st.error());
  if (auto st = need(f, {"name", "role"}, "person"); !st) return tl::unexpected(st.error());
  db::Person p;
  if (auto st = apply_person_fields(f, p); !st) return tl::unexpected(st.error().with_context(p.name.empty() ? "person" : "person " + p.name));
  auto id = db.write(actor, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    if (db::find_person(tx.sql(), p.name))
      return fail(ErrorCode::conflict, fmt::format("person '{}': already exists", p.name));
    return db::insert_person(tx, p);
  });
  if (!id) return tl::unexpected(id.error());
  return get_person(db, p.name);
}

Result<db::Person> edit_person(db::Database& db, const std::string& actor, const std::string& key, const Fields& f) {
  if (auto st = check_known(f, person_fields, "person"); !st) return tl::unexpected(st.error());
  auto done = db.write(actor, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    auto p = db::find_person(tx.sql(), key);
    if (!p) return tl::unexpected(not_found("person", key));
    if (auto st = apply_person_fields(f, *p); !st) return tl::unexpected(st.error().with_context("person " + key));
    if (auto st = db::update_person(tx, *p); !st) return tl::unexpected(st.error());
    return p->id;
  });
  if (!done) return tl::unexpected(done.error());
  return get_person(db, std::to_string(*done));
}

Result<db::Scanner> edit_scanner(db::Database& db, const std::string& actor, const std::string& key, const Fields& f) {
  if (auto st = check_known(f, scanner_edit_fields, "scanner"); !st) return tl::unexpected(st.error());
  auto done = db.write(actor, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    auto s = db::find_scanner(tx.sql(), key);
    if (!s) return tl::unexpected(not_found("scanner", key));
    if (auto st = apply_scanner_fields(tx.sql(), f, *s, false); !st)
      return tl::unexpected(st.error().with_context("scanner " + key));
    if (auto st = db::update_scanner(tx, *s); !st) return tl::unexpected(st.error());
    return s->id;
  });
  if (!done) return tl::unexpected(done.error());
  return get_scanner(db, std::to_string(*done));
}

Result<std::string> sha256_file(const std::string& path, std::int64_t* size_bytes) {
  QFile file(QString::fromStdString(path));
  if (!fs::is_regular_file(path)) return fail(ErrorCode::not_found, fmt::format("{}: no such file", path));
  if (!file.open(QIODevice::ReadOnly)) return fail(ErrorCode::io, fmt::format("{}: cannot read", path));
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&file)) return fail(ErrorCode::io, fmt::format("{}: read error", path));
  if (size_bytes) *size_bytes = file.size();
  return hash.result().toHex().toStdString();
}

Result<db::Document> add_document(db::Database& db, EvidenceStore& store, const std::string& actor,
                                  const DocumentInput& in) {
  if (in.title.empty()) return fail(ErrorCode::input, "document: title missing");
  auto kind = parse_code(document_kinds(), in.kind);
  if (!kind) return tl::unexpected(kind.error());
  db::Document d;
  d.title = in.title;
  d.kind = *kind;
  d.file_path = fs::path(in.file_path).filename().string();
  auto stored = store.put_file(in.file_path);
  if (!stored) return tl::unexpected(stored.error().with_context("document"));
  d.sha256 = stored->sha256;
  d.size_bytes = stored->size_bytes;
  d.stored = true;
  auto id = db.write(actor, [&](db::WriteTx& tx) -> Result<std::int64_t> {
    if (!in.scanner.empty()) {
      auto s = db::find_scanner(tx.sql(), in.scanner);
      if (!s) return tl::unexpected(not_found("scanner", in.scanner));
      d.scanner_id = s->id;
    }
    if (!in.site.empty()) {
      auto s = db::find_site(tx.sql(), in.site);
      if (!s) return tl::unexpected(not_found("site", in.site));
      d.site_id = s->id;
    }
    if (!in.added_by.empty()) {
      auto p = db::find_person(tx.sql(), in.added_by);
      if (!p) return tl::unexpected(not_found("person", in.added_by));
      d.added_by = p->id;
    }
    return db::insert_document(tx, d);
  });
  if (!id) return tl::unexpected(id.error());
  return db.read([&](SQLite::Database& sql) -> Result<db::Document> { return *db::find_document(sql, *id); });
}

Result<db::Document> edit_document(db::Database& db, const std::string& actor, std::int64_t id, const Fields& f) {
  if (auto st = check_known(f, {"title", "kind", "scanner", "site"}, "document"); !st) return tl::unexpected(st.error());
  auto done = db.write(actor, [&](db::WriteTx& tx) -> Status {
    auto d = db::find_document(tx.sql(), id);
    if (!d) return tl::unexpected(not_found("document", std::to_string(id)));
    if (auto v = field(f, "title")) {
      if (v->empty()) return fail(ErrorCode::input, fmt::format("document {}: title must not be empty", id));
      d->title = *v;
    }
    if (auto v = field(f, "kind"))
      if (auto st = assign(parse_code(document_kinds(), *v), d->kind); !st) return st;
    if (auto v = field(f, "scanner")) {
      d->scanner_id.reset();
      if (!v->empty()) {
        auto s = db::find_scanner(tx.sql(), *v);
        if (!s) return tl::unexpected(not_found("scanner", *v));
        d->scanner_id = s->id;
      }
    }
    if (auto v = field(f, "site")) {
      d->site_id.reset();
      if (!v->empty()) {
        auto s = db::find_site(tx.sql(), *v);
        if (!s) return tl::unexpected(not_found("site", *v));
        d->site_id = s->id;
      }
    }
    return db::update_document(tx, *d);
  });
  if (!done) return tl::unexpected(done.error());
  return db.read([&](SQLite::Database& sql) -> Result<db::Document> { return *db::find_document(sql, id); });
}

fs::path document_bytes(const db::Document& d, const EvidenceStore& store) {
  return d.stored ? store.path_of(d.sha256) : fs::path(d.file_path);
}

Result<DocumentCheck> check_document(db::Database& db, const EvidenceStore& store, std::int64_t id) {
  auto doc = db.read([&](SQLite::Database& sql) -> Result<db::Document> {
    if (auto d = db::find_document(sql, id)) return *d;
    return tl::unexpected(not_found("document", std::to_string(id)));
  });
  if (!doc) return tl::unexpected(doc.error());
  const fs::path bytes = document_bytes(*doc, store);
  DocumentCheck check{*doc, fs::is_regular_file(bytes), false, ""};
  if (check.file_present)
    if (auto h = sha256_file(bytes.string())) check.current_sha256 = *h, check.hash_matches = *h == doc->sha256;
  return check;
}

}  // namespace niikit::services
