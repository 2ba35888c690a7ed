// Procurement and specification use cases shared by the CLI and (later) the web: record a
// procurement project, link the scanners it buys, import a specification (JSON or XLSX) as a
// new draft version or into the current draft, show and export any version, freeze the draft
// (refused while a mandatory requirement has no test method or no verification phase), and
// read the shipped default requirement catalogue.
//
// Rules: a frozen version is never changed; an import after a freeze starts version n+1; each
// call is one unit of work (audited), and a file with any bad row stores nothing.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "app/domain/requirements.hpp"
#include "app/services/signatures.hpp"
#include "db/database.hpp"
#include "db/procurement.hpp"

namespace niikit::services {

struct ProcurementInput {
  std::string reference;     // unique, required
  std::string title;         // required
  std::string description;   // optional
  std::string budget;        // optional decimal amount in major units, e.g. "2500000" or "2500000.50"
  std::string currency;      // ISO 4217, 3 letters; required when budget is given
};

struct ProcurementOverview {
  db::Procurement procurement;
  std::vector<db::Specification> versions;   // oldest first
  std::vector<db::LinkedScanner> scanners;
};

// "2 500 000.00 USD" from the stored minor units ("—" when no budget).
std::string format_budget(const db::Procurement& p);

Result<db::Procurement> add_procurement(db::Database& db, const std::string& actor, const ProcurementInput& input);
Result<std::vector<ProcurementOverview>> list_procurements(db::Database& db);
Result<ProcurementOverview> show_procurement(db::Database& db, const std::string& procurement_key);

// Links a scanner to a procurement. Conflict when it already belongs to another one (unless
// `move` is set, which relinks it); linking it again to the same one changes nothing.
Result<db::LinkedScanner> link_scanner_to_procurement(db::Database& db, const std::string& actor,
                                                      const std::string& procurement_key,
                                                      const std::string& scanner_key, bool move = false);

// --- specifications

struct SpecImportResult {
  db::Specification specification;     // the draft written (valid when `errors` is empty)
  bool replaced_draft = false;         // true: the existing draft's requirements were replaced
  int rows = 0;                        // requirements read
  std::vector<std::string> errors;     // every bad row/cell; non-empty → nothing stored
  std::vector<std::string> warnings;   // unknown metric keys, verification gaps (not refused)
};

// Reads `path` (.json or .xlsx, by extension) into the procurement's draft: replaces the
// current draft's requirements, or creates version n+1 when the newest version is frozen (or
// version 1 when there is none). File-level problems are an Error; row problems are listed in
// `errors` and nothing is stored.
Result<SpecImportResult> import_specification(db::Database& db, const std::string& actor,
                                              const std::string& procurement_key, const std::string& path);

struct SpecView {
  db::Procurement procurement;
  db::Specification specification;
  std::vector<domain::Requirement> requirements;
  std::vector<domain::VerificationGap> gaps;   // what would stop a freeze
};

// `version` nullopt: the newest version.
Result<SpecView> get_specification(db::Database& db, const std::string& procurement_key, std::optional<int> version);

enum class SpecFormat { json, xlsx };
// "json" | "xlsx"; anything else is a usage error.
Result<SpecFormat> parse_spec_format(const std::string& text);

// Writes a version (JSON in requirements_to_json form, or the XLSX workbook) atomically.
Result<SpecView> export_specification(db::Database& db, const std::string& procurement_key,
                                      std::optional<int> version, SpecFormat format, const std::string& out_path);

struct FreezeOutcome {
  bool frozen = false;
  SpecView view;                                // the version (frozen when `frozen`)
  std::vector<domain::VerificationGap> gaps;    // non-empty → refused, nothing changed
};

// Freezes the procurement's draft, recording `by` (a person), the time and the SHA-256 of the
// canonical requirement JSON. Errors: not_found (procurement, person, no draft), conflict
// (nothing to freeze: the newest version is already frozen), input (an empty draft). A
// refusal because of verification gaps is a FreezeOutcome with frozen = false. On a database
// with user accounts the freeze is also an Ed25519 record signature ("specification", meaning
// "approved") over the requirements' hash, made with `signer`'s key (which must be `by`'s);
// without `signer` it is refused there.
Result<FreezeOutcome> freeze_specification(db::Database& db, const std::string& actor,
                                           const std::string& procurement_key, const std::string& by,
                                           const KeySigner* signer = nullptr);

// --- the shipped default catalogue (templates/requirements/<kit>.json)

// "cargo", "cabinet", "portable".
const std::vector<std::string>& catalogue_kits();
// $NIIKIT_REQUIREMENTS when set, else the source tree's templates/requirements compiled in.
std::string catalogue_dir();
std::string catalogue_path(const std::string& kit);
Result<std::vector<domain::Requirement>> load_catalogue(const std::string& kit);
// Copies a catalogue to `out_path`: JSON (canonical form) or, for a .xlsx name, the workbook.
Status copy_catalogue(const std::string& kit, const std::string& out_path);

// True when `key` is produced by a kit (testkits/kits) or is a manual measurement key
// (app/domain/measurement_keys.hpp).
bool is_known_metric_key(const std::string& key);
// One warning per requirement whose metric key nobody produces.
std::vector<std::string> unknown_metric_key_warnings(const std::vector<domain::Requirement>& requirements);

// --- for the demo

struct DemoProcurementResult {
  db::Procurement procurement;
  db::Specification specification;   // version 1, frozen
  std::vector<domain::Requirement> requirements;
};

// One unit of work: creates procurement `reference` with `title`, imports the shipped cargo
// catalogue as version 1, links `scanner_key` and freezes the version by `frozen_by` (a person).
Result<DemoProcurementResult> create_procurement_with_cargo_catalogue(db::Database& db, const std::string& actor,
                                                                      const std::string& reference,
                                                                      const std::string& title,
                                                                      const std::string& scanner_key,
                                                                      const std::string& frozen_by);

}  // namespace niikit::services
