// JSON shapes of the registry records (docs/cli-json.md, docs/commands.md): one description
// per record type, used by every operation that returns one.
#pragma once

#include <tuple>

#include "app/api/codec.hpp"
#include "app/services/import_service.hpp"
#include "db/registry.hpp"

namespace niikit::api {

template <>
struct Describe<db::Site> {
  static auto fields() {
    using T = db::Site;
    return std::make_tuple(field("id", &T::id), field("name", &T::name), field("country", &T::country),
                           field("site_type", &T::site_type), field("created_at_utc", &T::created_at_utc));
  }
};

template <>
struct Describe<db::Person> {
  static auto fields() {
    using T = db::Person;
    return std::make_tuple(field("id", &T::id), field("name", &T::name), field("role", &T::role),
                           field("organisation", &T::organisation), field("email", &T::email),
                           field("os_user", &T::os_user, "operating-system account mapped to this person"),
                           field("created_at_utc", &T::created_at_utc));
  }
};

template <>
struct Describe<db::Scanner> {
  static auto fields() {
    using T = db::Scanner;
    return std::make_tuple(
        field("id", &T::id), field("asset_tag", &T::asset_tag), field("manufacturer", &T::manufacturer),
        field("model", &T::model), field("serial", &T::serial), field("technology", &T::technology),
        field("energy_mev", &T::energy_mev), field("configuration", &T::configuration),
        field("dual_energy", &T::dual_energy), field("software_version", &T::software_version),
        field("firmware_version", &T::firmware_version), field("site_id", &T::site_id),
        field("site", &T::site_name, "site name, \"\" when unassigned"), field("stage", &T::stage),
        field("stage_since_utc", &T::stage_since_utc), field("created_at_utc", &T::created_at_utc));
  }
};

template <>
struct Describe<db::Document> {
  static auto fields() {
    using T = db::Document;
    return std::make_tuple(field("id", &T::id), field("title", &T::title), field("kind", &T::kind),
                           field("file_path", &T::file_path, "the file's name as it was added (its copy is in the "
                                                             "evidence store under its SHA-256); for a document "
                                                             "recorded before the store, the absolute path"),
                           field("sha256", &T::sha256), field("size_bytes", &T::size_bytes),
                           field("scanner_id", &T::scanner_id), field("site_id", &T::site_id),
                           field("added_by", &T::added_by), field("added_at_utc", &T::added_at_utc),
                           field("stored", &T::stored, "the bytes are in the evidence store (false: recorded "
                                                       "before the store, read at file_path)"));
  }
};

template <>
struct Describe<db::Decision> {
  static auto fields() {
    using T = db::Decision;
    return std::make_tuple(field("id", &T::id), field("kind", &T::kind), field("from_stage", &T::from_stage),
                           field("to_stage", &T::to_stage), field("decided_by", &T::decided_by_name),
                           field("decided_role", &T::decided_role), field("decided_at_utc", &T::decided_at_utc),
                           field("effective_at_utc", &T::effective_at_utc), field("note", &T::note),
                           field("evidence_document_id", &T::evidence_document_id),
                           field("gate", &T::gate_json, "the gate's conditions as judged", kJsonText));
  }
};

template <>
struct Describe<services::ImportRowError> {
  static auto fields() {
    using T = services::ImportRowError;
    return std::make_tuple(field("line", &T::line), field("message", &T::message));
  }
};

}  // namespace niikit::api
