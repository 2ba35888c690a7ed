// Requests and responses of the scanner and document operations (ops_scanner.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/api/codec.hpp"
#include "app/api/describe_registry.hpp"
#include "app/api/lifecycle_types.hpp"
#include "app/api/registry_types.hpp"
#include "app/domain/lifecycle.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/services/registry_service.hpp"

namespace niikit::api {

// ---- scanners

// The registry fields of a scanner are members of both the add and the edit request, each
// optional (absent = unchanged on edit); described once here (T: the request type).
template <class T>
auto scanner_fields() {
  return std::make_tuple(
      field("asset_tag", &T::asset_tag, "Asset tag (unique)"), field("manufacturer", &T::manufacturer, "Manufacturer"),
      field("model", &T::model, "Model"), field("serial", &T::serial, "Serial number"),
      field("technology", &T::technology, codes_help("Source", domain::technologies())),
      field("energy_mev", &T::energy_mev, "Nominal energy in MeV (X-ray tube: kVp/1000, e.g. 0.16)"),
      field("configuration", &T::configuration, codes_help("Configuration", domain::configurations())),
      field("dual_energy", &T::dual_energy, "Dual energy: yes or no"),
      field("software", &T::software, "Software version"), field("firmware", &T::firmware, "Firmware version"),
      field("site", &T::site, "Site name or id (empty to unassign)"));
}

struct ScannerAddRequest {
  std::optional<std::string> asset_tag, manufacturer, model, serial, technology, energy_mev, configuration,
      dual_energy, software, firmware, site;
  std::optional<std::string> stage, since, note;
};
template <>
struct Describe<ScannerAddRequest> {
  static auto fields() {
    using T = ScannerAddRequest;
    return std::tuple_cat(scanner_fields<T>(),
                          std::make_tuple(field("stage", &T::stage, "Stage it is really in (recorded as an import decision)"),
                                          field("since", &T::since, "Date it entered that stage (YYYY-MM-DD; default now)"),
                                          field("note", &T::note, "Note on the register/import decision")));
  }
};

struct ScannerEditRequest {
  std::string scanner;
  std::optional<std::string> asset_tag, manufacturer, model, serial, technology, energy_mev, configuration,
      dual_energy, software, firmware, site;
};
template <>
struct Describe<ScannerEditRequest> {
  static auto fields() {
    using T = ScannerEditRequest;
    return std::tuple_cat(std::make_tuple(field("scanner", &T::scanner, "Asset tag or id", kRequired | kPositional, "SCANNER")),
                          scanner_fields<T>());
  }
};

struct ScannerKey {
  std::string scanner;
};
template <>
struct Describe<ScannerKey> {
  static auto fields() {
    return std::make_tuple(field("scanner", &ScannerKey::scanner, "Asset tag or id", kRequired | kPositional, "SCANNER"));
  }
};

struct NextStage {
  std::string stage;
  domain::GateOutcome gate;
  bool passed = false;
};
template <>
struct Describe<NextStage> {
  static auto fields() {
    using T = NextStage;
    return std::make_tuple(field("stage", &T::stage, "usual next stage"), field("passed", &T::passed, "the gate holds"),
                           field("gate", &T::gate, "the gate's conditions as they stand"));
  }
};

struct ScannerDetail {
  db::Scanner scanner;
  std::vector<db::Decision> timeline;
  std::vector<db::Document> documents;
  std::optional<NextStage> next_stage;  // absent when the stage is final
};
template <>
struct Describe<ScannerDetail> {
  static auto fields() {
    using T = ScannerDetail;
    return std::make_tuple(field("scanner", &T::scanner), field("timeline", &T::timeline, "decisions, oldest first"),
                           field("documents", &T::documents, "documents linked to the scanner"),
                           field("next_stage", &T::next_stage, "the usual next stage and what blocks it"));
  }
};

// ---- documents

struct DocumentAddRequest {
  std::string file, title, kind;
  std::optional<std::string> scanner, site;
};
template <>
struct Describe<DocumentAddRequest> {
  static auto fields() {
    using T = DocumentAddRequest;
    return std::make_tuple(field("file", &T::file, "The document file (copied into the evidence store)",
                                 kRequired | kPositional | kPath, "FILE"),
                           field("title", &T::title, "Title", kRequired),
                           field("kind", &T::kind, codes_help("Kind", domain::document_kinds()), kRequired),
                           field("scanner", &T::scanner, "Linked scanner (asset tag or id)"),
                           field("site", &T::site, "Linked site (name or id)"));
  }
};

struct DocumentListRequest {
  std::optional<std::string> scanner;
};
template <>
struct Describe<DocumentListRequest> {
  static auto fields() {
    return std::make_tuple(field("scanner", &DocumentListRequest::scanner, "Only documents linked to this scanner"));
  }
};

struct DocumentEditRequest {
  std::int64_t id = 0;
  std::optional<std::string> title, kind, scanner, site;
};
template <>
struct Describe<DocumentEditRequest> {
  static auto fields() {
    using T = DocumentEditRequest;
    return std::make_tuple(field("id", &T::id, "Document id", kRequired | kPositional, "ID"),
                           field("title", &T::title, "New title"),
                           field("kind", &T::kind, codes_help("New kind", domain::document_kinds())),
                           field("scanner", &T::scanner, "Link to this scanner (empty to unlink)"),
                           field("site", &T::site, "Link to this site (empty to unlink)"));
  }
};

struct DocumentKey {
  std::int64_t id = 0;
};
template <>
struct Describe<DocumentKey> {
  static auto fields() { return std::make_tuple(field("id", &DocumentKey::id, "Document id", kRequired | kPositional, "ID")); }
};

template <>
struct Describe<services::DocumentCheck> {
  static auto fields() {
    using T = services::DocumentCheck;
    return std::make_tuple(field("document", &T::document), field("file_present", &T::file_present, "its bytes are there"),
                           field("hash_matches", &T::hash_matches, "its bytes still have the recorded SHA-256"),
                           field("current_sha256", &T::current_sha256, "SHA-256 of the bytes now (\"\" when missing)"));
  }
};

}  // namespace niikit::api
