#include "app/services/procurement_service.hpp"

#include "app/domain/permissions.hpp"
#include "app/services/context.hpp"
#include "app/services/requirement_rows.hpp"
#include "app/services/spec_checks.hpp"

#include <QFile>
#include <QSaveFile>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "core/time_format.hpp"
#include "app/domain/measurement_keys.hpp"
#include "app/domain/money.hpp"
#include "app/services/requirements_xlsx.hpp"
#include "db/registry.hpp"
#include "testkits/kits/kit.hpp"

namespace niikit::services {

namespace {

Error not_found(std::string_view what, const std::string& key) {
  return Error{ErrorCode::not_found, fmt::format("{} '{}': not found", what, key)};
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Money parsing is domain::parse_money (app/domain/money.hpp); a budget names itself "budget".
Result<std::int64_t> parse_money(const std::string& text, const std::string& currency) {
  return domain::parse_money(text, currency, "budget");
}

Result<db::Procurement> find_procurement_or_fail(SQLite::Database& sql, const std::string& key) {
  auto p = db::find_procurement(sql, key);
  if (!p) return tl::unexpected(not_found("procurement", key));
  return *p;
}

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

Result<std::string> read_text_file(const std::string& path) {
  QFile f(QString::fromStdString(path));
  if (!f.exists()) return fail(ErrorCode::not_found, fmt::format("{}: no such file", path));
  if (!f.open(QIODevice::ReadOnly)) return fail(ErrorCode::io, fmt::format("{}: cannot read", path));
  return f.readAll().toStdString();
}

Status write_text_atomic(const std::string& path, const std::string& text) {
  QSaveFile f(QString::fromStdString(path));
  if (!f.open(QIODevice::WriteOnly) ||
      f.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) || !f.commit())
    return fail(ErrorCode::io, fmt::format("{}: cannot write: {}", path, f.errorString().toStdString()));
  return {};
}

// The stored form of a list: what requirements_to_json writes and parse_requirements_json
// reads back, so the database, the JSON export and the freeze hash always agree.
Result<std::vector<domain::Requirement>> canonical(const std::vector<domain::Requirement>& list,
                                                   const std::string& source) {
  return domain::parse_requirements_json(domain::requirements_to_json(list), source);
}

std::string gap_line(const domain::VerificationGap& g) { return fmt::format("{}: {}", g.requirement_id, g.problem); }

SpecView view_of(SQLite::Database& sql, const db::Procurement& p, const db::Specification& s) {
  SpecView v{p, s, load_requirements(sql, s.id), {}};
  v.gaps = domain::verification_gaps(v.requirements);
  for (auto& g : metric_gaps(v.requirements)) v.gaps.push_back(std::move(g));
  return v;
}

// Reads the file into requirements; row problems go to result.errors.
Status read_requirements_file(const std::string& path, SpecImportResult& result,
                              std::vector<domain::Requirement>& out) {
  const std::string ext = lower_extension(path);
  if (ext == ".json") {
    auto text = read_text_file(path);
    if (!text) return tl::unexpected(text.error());
    auto parsed = domain::parse_requirements_json(*text, path);
    if (!parsed) {
      result.errors.push_back(parsed.error().message);
      return {};
    }
    out = std::move(*parsed);
  } else if (ext == ".xlsx") {
    auto read = read_requirements_xlsx(path);
    if (!read) return tl::unexpected(read.error());
    result.errors = std::move(read->errors);
    out = std::move(read->requirements);
  } else {
    return fail(ErrorCode::usage, fmt::format("{}: expected a .json or .xlsx file", path));
  }
  result.rows = static_cast<int>(out.size());
  return {};
}

// Writes `requirements` into the procurement's draft (or a new version) inside `tx`.
Result<db::Specification> store_draft(db::WriteTx& tx, const db::Procurement& p,
                                      const std::vector<domain::Requirement>& requirements,
                                      const std::string& source_file, bool& replaced_draft) {
  auto newest = db::find_specification(tx.sql(), p.id, std::nullopt);
  std::int64_t spec_id = 0;
  if (newest && newest->status == "draft") {
    replaced_draft = true;
    newest->source_file = source_file;
    newest->updated_at_utc = format_utc(tx.now());
    if (auto st = db::update_specification(tx, *newest); !st) return tl::unexpected(st.error());
    spec_id = newest->id;
  } else {
    db::Specification s;
    s.procurement_id = p.id;
    s.version = newest ? newest->version + 1 : 1;
    s.status = "draft";
    s.source_file = source_file;
    auto id = db::insert_specification(tx, s);
    if (!id) return tl::unexpected(id.error());
    spec_id = *id;
  }
  if (auto st = store_requirements(tx, spec_id, requirements); !st) return tl::unexpected(st.error());
  return *db::find_specification_by_id(tx.sql(), spec_id);
}

// Freezes the draft `s` inside `tx`; gaps are returned (nothing changed) when any.
Result<FreezeOutcome> freeze_in(db::WriteTx& tx, const db::Procurement& p, const std::string& by,
                                const KeySigner* signer) {
  auto s = db::find_specification(tx.sql(), p.id, std::nullopt);
  if (!s)
    return fail(ErrorCode::not_found,
                fmt::format("procurement {}: no specification version to freeze (import one first)", p.reference));
  if (s->status == "frozen")
    return fail(ErrorCode::conflict, fmt::format("procurement {} version {}: already frozen; `spec import` starts "
                                                 "version {}",
                                                 p.reference, s->version, s->version + 1));
  auto person = db::find_person(tx.sql(), by);
  if (!person) return tl::unexpected(not_found("person", by));
  if (auto st = domain::permits(actor_of(*person), "spec.freeze"); !st)
    return tl::unexpected(st.error().with_context("procurement " + p.reference));
  if (signer && signer->user.person_id != person->id)
    return fail(ErrorCode::forbidden, fmt::format("procurement {}: the signing key is {}'s, not {}'s", p.reference,
                                                  signer->user.person_name, person->name));
  if (!signer && db::count_users(tx.sql()) > 0)
    return fail(ErrorCode::forbidden, fmt::format("procurement {}: this database has user accounts, so a freeze needs "
                                                  "{}'s signing key (their password)", p.reference, person->name));
  FreezeOutcome out;
  out.view = view_of(tx.sql(), p, *s);
  if (out.view.requirements.empty())
    return fail(ErrorCode::input, fmt::format("procurement {} version {}: no requirements to freeze", p.reference,
                                              s->version));
  out.gaps = out.view.gaps;
  if (!out.gaps.empty()) return out;
  s->status = "frozen";
  s->frozen_at_utc = format_utc(tx.now());
  s->frozen_by = person->id;
  s->requirements_sha256 = domain::requirements_sha256(out.view.requirements);
  if (auto st = db::update_specification(tx, *s); !st) return tl::unexpected(st.error());
  if (signer) {
    auto keyed = sign_record(tx, signer->user, signer->key, {"specification", s->id, "approved", s->requirements_sha256});
    if (!keyed) return tl::unexpected(keyed.error());
  }
  out.view.specification = *db::find_specification_by_id(tx.sql(), s->id);
  out.frozen = true;
  return out;
}

}  // namespace

// ---- procurements -------------------------------------------------------------------------

std::string format_budget(const db::Procurement& p) {
  if (!p.budget_minor) return "—";
  return domain::format_money(*p.budget_minor, p.currency);
}

Result<db::Procurement> add_procurement(db::Database& db, const std::string& actor, const ProcurementInput& in) {
  db::Procurement p;
  p.reference = trimmed(in.reference);
  p.title = trimmed(in.title);
  p.description = trimmed(in.description);
  if (p.reference.empty()) return fail(ErrorCode::input, "procurement: --reference must not be empty");
  if (p.title.empty()) return fail(ErrorCode::input, fmt::format("procurement {}: --title must not be empty", p.reference));
  std::string currency = trimmed(in.currency);
  for (auto& c : currency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string budget = trimmed(in.budget);
  if (!budget.empty()) {
    if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), ::isalpha))
      return fail(ErrorCode::input, fmt::format("procurement {}: currency '{}': expected a 3-letter ISO 4217 code "
                                                "(e.g. USD, EUR, XOF)",
                                                p.reference, in.currency));
    auto minor = parse_money(budget, currency);
    if (!minor) return tl::unexpected(minor.error().with_context("procurement " + p.reference));
    p.budget_minor = *minor;
    p.currency = currency;
  } else if (!currency.empty()) {
    return fail(ErrorCode::input, fmt::format("procurement {}: --currency given without --budget", p.reference));
  }
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::Procurement> {
    if (db::find_procurement(tx.sql(), p.reference))
      return fail(ErrorCode::conflict, fmt::format("procurement '{}': already exists", p.reference));
    auto id = db::insert_procurement(tx, p);
    if (!id) return tl::unexpected(id.error());
    return *db::find_procurement(tx.sql(), std::to_string(*id));
  });
}

Result<std::vector<ProcurementOverview>> list_procurements(db::Database& db) {
  return db.read([](SQLite::Database& sql) -> Result<std::vector<ProcurementOverview>> {
    std::vector<ProcurementOverview> out;
    for (auto& p : db::list_procurements(sql))
      out.push_back({p, db::list_specifications(sql, p.id), db::scanners_of_procurement(sql, p.id)});
    return out;
  });
}

Result<ProcurementOverview> show_procurement(db::Database& db, const std::string& key) {
  return db.read([&](SQLite::Database& sql) -> Result<ProcurementOverview> {
    auto p = find_procurement_or_fail(sql, key);
    if (!p) return tl::unexpected(p.error());
    return ProcurementOverview{*p, db::list_specifications(sql, p->id), db::scanners_of_procurement(sql, p->id)};
  });
}

Result<db::LinkedScanner> link_scanner_to_procurement(db::Database& db, const std::string& actor,
                                                      const std::string& procurement_key,
                                                      const std::string& scanner_key, bool move) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<db::LinkedScanner> {
    auto p = find_procurement_or_fail(tx.sql(), procurement_key);
    if (!p) return tl::unexpected(p.error());
    auto scanner = db::find_scanner(tx.sql(), scanner_key);
    if (!scanner) return tl::unexpected(not_found("scanner", scanner_key));
    if (auto current = db::procurement_for_scanner(tx.sql(), scanner->id)) {
      if (current->id != p->id) {
        if (!move)
          return fail(ErrorCode::conflict, fmt::format("scanner {}: already belongs to procurement {} (use --move to "
                                                       "relink it)",
                                                       scanner->asset_tag, current->reference));
        if (auto st = db::unlink_scanner(tx, scanner->id); !st) return tl::unexpected(st.error());
        if (auto id = db::link_scanner(tx, p->id, scanner->id); !id) return tl::unexpected(id.error());
      }
    } else if (auto id = db::link_scanner(tx, p->id, scanner->id); !id) {
      return tl::unexpected(id.error());
    }
    for (const auto& l : db::scanners_of_procurement(tx.sql(), p->id))
      if (l.scanner_id == scanner->id) return l;
    return fail(ErrorCode::internal, "link not found after writing it");
  });
}

// ---- specifications ---------------------------------------------------------------------------

Result<SpecImportResult> import_specification(db::Database& db, const std::string& actor,
                                              const std::string& procurement_key, const std::string& path) {
  SpecImportResult result;
  std::vector<domain::Requirement> read;
  if (auto st = read_requirements_file(path, result, read); !st) return tl::unexpected(st.error());
  if (!result.errors.empty()) return result;
  if (read.empty()) return fail(ErrorCode::input, fmt::format("{}: no requirements", path));
  auto requirements = canonical(read, path);
  if (!requirements) return tl::unexpected(requirements.error());
  auto checked = normalise_requirements(*requirements);
  if (!checked.errors.empty()) {
    for (auto& e : checked.errors) result.errors.push_back(fmt::format("{}: {}", path, e));
    return result;
  }
  result.warnings = unknown_metric_key_warnings(*requirements);
  for (auto& n : checked.notes) result.warnings.push_back(std::move(n));
  for (const auto& g : domain::verification_gaps(*requirements))
    result.warnings.push_back(gap_line(g) + " (freezing will be refused until it has one)");
  const std::string source = std::filesystem::path(path).filename().string();
  auto stored = db.write(actor, [&](db::WriteTx& tx) -> Result<db::Specification> {
    auto p = find_procurement_or_fail(tx.sql(), procurement_key);
    if (!p) return tl::unexpected(p.error());
    return store_draft(tx, *p, *requirements, source, result.replaced_draft);
  });
  if (!stored) return tl::unexpected(stored.error());
  result.specification = *stored;
  return result;
}

Result<SpecView> get_specification(db::Database& db, const std::string& procurement_key, std::optional<int> version) {
  return db.read([&](SQLite::Database& sql) -> Result<SpecView> {
    auto p = find_procurement_or_fail(sql, procurement_key);
    if (!p) return tl::unexpected(p.error());
    auto s = db::find_specification(sql, p->id, version);
    if (!s) {
      if (version)
        return fail(ErrorCode::not_found, fmt::format("procurement {}: no specification version {}", p->reference, *version));
      return fail(ErrorCode::not_found,
                  fmt::format("procurement {}: no specification yet (`niikit spec import`)", p->reference));
    }
    return view_of(sql, *p, *s);
  });
}

Result<SpecFormat> parse_spec_format(const std::string& text) {
  if (text == "json") return SpecFormat::json;
  if (text == "xlsx") return SpecFormat::xlsx;
  return fail(ErrorCode::usage, fmt::format("--format '{}': expected json or xlsx", text));
}

Result<SpecView> export_specification(db::Database& db, const std::string& procurement_key,
                                      std::optional<int> version, SpecFormat format, const std::string& out_path) {
  auto view = get_specification(db, procurement_key, version);
  if (!view) return view;
  Status written;
  if (format == SpecFormat::json) {
    written = write_text_atomic(out_path, domain::requirements_to_json(view->requirements));
  } else {
    RequirementsWorkbookInfo info;
    info.title = fmt::format("Specification {} version {}", view->procurement.reference, view->specification.version);
    info.procurement_reference = view->procurement.reference;
    info.procurement_title = view->procurement.title;
    info.version = view->specification.version;
    info.status = view->specification.status;
    info.frozen_by = view->specification.frozen_by_name;
    info.frozen_at_utc = view->specification.frozen_at_utc.value_or("");
    info.requirements_sha256 = view->specification.requirements_sha256;
    written = write_requirements_xlsx(view->requirements, info, out_path);
  }
  if (!written) return tl::unexpected(written.error());
  return view;
}

Result<FreezeOutcome> freeze_specification(db::Database& db, const std::string& actor,
                                           const std::string& procurement_key, const std::string& by,
                                           const KeySigner* signer) {
  return db.write(actor, [&](db::WriteTx& tx) -> Result<FreezeOutcome> {
    auto p = find_procurement_or_fail(tx.sql(), procurement_key);
    if (!p) return tl::unexpected(p.error());
    return freeze_in(tx, *p, by, signer);
  });
}

// ---- catalogue ---------------------------------------------------------------------------------

const std::vector<std::string>& catalogue_kits() {
  static const std::vector<std::string> kits{"cargo", "cabinet", "portable"};
  return kits;
}

std::string catalogue_dir() {
  if (const char* env = std::getenv("NIIKIT_REQUIREMENTS"); env && *env) return env;
  return NIIKIT_REQUIREMENTS_DIR;
}

std::string catalogue_path(const std::string& kit) { return (std::filesystem::path(catalogue_dir()) / (kit + ".json")).string(); }

Result<std::vector<domain::Requirement>> load_catalogue(const std::string& kit) {
  const auto& kits = catalogue_kits();
  if (std::find(kits.begin(), kits.end(), kit) == kits.end())
    return fail(ErrorCode::usage, fmt::format("--kit '{}': expected cargo, cabinet or portable", kit));
  const std::string path = catalogue_path(kit);
  auto text = read_text_file(path);
  if (!text) return tl::unexpected(text.error());
  return domain::parse_requirements_json(*text, path);
}

Status copy_catalogue(const std::string& kit, const std::string& out_path) {
  auto list = load_catalogue(kit);
  if (!list) return tl::unexpected(list.error());
  if (lower_extension(out_path) == ".xlsx") {
    RequirementsWorkbookInfo info;
    info.title = fmt::format("niikit default requirement catalogue '{}': typical values to copy and edit, not rules", kit);
    return write_requirements_xlsx(*list, info, out_path);
  }
  return write_text_atomic(out_path, domain::requirements_to_json(*list));
}

bool is_known_metric_key(const std::string& key) {
  if (domain::find_measurement_key(key)) return true;
  for (const auto& kit : testkits::kits::kit_registry())
    for (const auto& test : kit.tests)
      for (const auto& m : test.metrics) {
        if (m.key == key) return true;
        // Registry keys with a thickness placeholder ("cargo.wire.cu_behind_fe<T>_mm").
        if (const auto at = m.key.find("<T>"); at != std::string::npos) {
          const std::string prefix = m.key.substr(0, at), suffix = m.key.substr(at + 3);
          if (key.size() > prefix.size() + suffix.size() && key.starts_with(prefix) && key.ends_with(suffix)) {
            const std::string middle = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
            if (std::all_of(middle.begin(), middle.end(), ::isdigit)) return true;
          }
        }
      }
  return false;
}

std::vector<std::string> unknown_metric_key_warnings(const std::vector<domain::Requirement>& requirements) {
  std::vector<std::string> out;
  for (const auto& r : requirements)
    if (!is_known_metric_key(r.metric_key))
      out.push_back(fmt::format("{}: metric key '{}' is produced by no kit and is no manual measurement key; no "
                                "result will ever be judged against it",
                                r.id, r.metric_key));
  return out;
}

// ---- demo ------------------------------------------------------------------------------------------

Result<DemoProcurementResult> create_procurement_with_cargo_catalogue(db::Database& db, const std::string& actor,
                                                                      const std::string& reference,
                                                                      const std::string& title,
                                                                      const std::string& scanner_key,
                                                                      const std::string& frozen_by) {
  auto catalogue = load_catalogue("cargo");
  if (!catalogue) return tl::unexpected(catalogue.error());
  auto requirements = canonical(*catalogue, catalogue_path("cargo"));
  if (!requirements) return tl::unexpected(requirements.error());
  return db.write(actor, [&](db::WriteTx& tx) -> Result<DemoProcurementResult> {
    if (db::find_procurement(tx.sql(), reference))
      return fail(ErrorCode::conflict, fmt::format("procurement '{}': already exists", reference));
    db::Procurement p;
    p.reference = reference;
    p.title = title;
    auto id = db::insert_procurement(tx, p);
    if (!id) return tl::unexpected(id.error());
    p = *db::find_procurement(tx.sql(), std::to_string(*id));
    bool replaced = false;
    auto spec = store_draft(tx, p, *requirements, "cargo.json", replaced);
    if (!spec) return tl::unexpected(spec.error());
    auto scanner = db::find_scanner(tx.sql(), scanner_key);
    if (!scanner) return tl::unexpected(not_found("scanner", scanner_key));
    if (db::procurement_for_scanner(tx.sql(), scanner->id))
      return fail(ErrorCode::conflict, fmt::format("scanner {}: already belongs to a procurement", scanner->asset_tag));
    if (auto link = db::link_scanner(tx, p.id, scanner->id); !link) return tl::unexpected(link.error());
    auto frozen = freeze_in(tx, p, frozen_by, nullptr);   // the demo has no user accounts yet
    if (!frozen) return tl::unexpected(frozen.error());
    if (!frozen->frozen) {
      std::string lines;
      for (const auto& g : frozen->gaps) lines += (lines.empty() ? "" : "; ") + gap_line(g);
      return fail(ErrorCode::gate_refused, fmt::format("procurement {}: cannot freeze: {}", reference, lines));
    }
    return DemoProcurementResult{p, frozen->view.specification, frozen->view.requirements};
  });
}

}  // namespace niikit::services
