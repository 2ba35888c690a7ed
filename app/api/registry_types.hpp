// Requests and responses of the registry operations (ops_registry.cpp) and their JSON shapes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/api/codec.hpp"
#include "app/api/describe_registry.hpp"
#include "app/domain/registry_codes.hpp"
#include "app/services/import_service.hpp"
#include "db/registry.hpp"

namespace niikit::api {

// "Site type: seaport, land_border, ..." — help text listing a vocabulary's codes.
inline std::string codes_help(const std::string& what, const domain::Vocabulary& vocabulary) {
  return what + ": " + domain::join_codes(vocabulary);
}

// ---- imports (sites, people, scanners)

struct ImportRequest {
  std::string file;
};
template <>
struct Describe<ImportRequest> {
  static auto fields() {
    return std::make_tuple(field("file", &ImportRequest::file, "CSV file with a header line", kRequired | kPositional | kPath,
                                 "CSV"));
  }
};

struct ImportReply {
  std::string file;
  int rows = 0;
  int stored = 0;  // 0 when any row was rejected
  std::vector<services::ImportRowError> errors;
};
template <>
struct Describe<ImportReply> {
  static auto fields() {
    using T = ImportReply;
    return std::make_tuple(field("file", &T::file), field("rows", &T::rows, "data rows read"),
                           field("stored", &T::stored, "rows stored (0 when any row was rejected)"),
                           field("errors", &T::errors, "every rejected row with its line"));
  }
};

// ---- sites

struct SiteAddRequest {
  std::string name, country, site_type;
};
template <>
struct Describe<SiteAddRequest> {
  static auto fields() {
    using T = SiteAddRequest;
    return std::make_tuple(field("name", &T::name, "Site name (unique)", kRequired),
                           field("country", &T::country, "Country (name or ISO code)", kRequired),
                           field("type", &T::site_type, codes_help("Site type", domain::site_types()), kRequired));
  }
};

struct SiteEditRequest {
  std::string site;
  std::optional<std::string> name, country, site_type;
};
template <>
struct Describe<SiteEditRequest> {
  static auto fields() {
    using T = SiteEditRequest;
    return std::make_tuple(field("site", &T::site, "Site name or id", kRequired | kPositional, "SITE"),
                           field("name", &T::name, "New name"), field("country", &T::country, "New country"),
                           field("type", &T::site_type, codes_help("New type", domain::site_types())));
  }
};

struct SiteKey {
  std::string site;
};
template <>
struct Describe<SiteKey> {
  static auto fields() { return std::make_tuple(field("site", &SiteKey::site, "Site name or id", kRequired | kPositional, "SITE")); }
};

struct SiteScanner {
  std::string asset_tag, model, stage;
};
template <>
struct Describe<SiteScanner> {
  static auto fields() {
    using T = SiteScanner;
    return std::make_tuple(field("asset_tag", &T::asset_tag), field("model", &T::model), field("stage", &T::stage));
  }
};

struct SiteDetail {
  db::Site site;
  std::vector<SiteScanner> scanners;
};
template <>
struct Describe<SiteDetail> {
  static auto fields() {
    return std::make_tuple(field("site", &SiteDetail::site), field("scanners", &SiteDetail::scanners, "scanners at the site"));
  }
};

// ---- people

struct PersonAddRequest {
  std::string name, role;
  std::optional<std::string> organisation, email, os_user;
};
template <>
struct Describe<PersonAddRequest> {
  static auto fields() {
    using T = PersonAddRequest;
    return std::make_tuple(field("name", &T::name, "Full name (unique)", kRequired),
                           field("role", &T::role, codes_help("Role", domain::roles()), kRequired),
                           field("organisation", &T::organisation, "Organisation"),
                           field("email", &T::email, "E-mail address"),
                           field("os_user", &T::os_user,
                                 "Operating-system account that acts as this person on the command line "
                                 "when no --as is given"));
  }
};

struct PersonEditRequest {
  std::string person;
  std::optional<std::string> name, role, organisation, email, os_user;
};
template <>
struct Describe<PersonEditRequest> {
  static auto fields() {
    using T = PersonEditRequest;
    return std::make_tuple(field("person", &T::person, "Name or id", kRequired | kPositional, "PERSON"),
                           field("name", &T::name, "New name"),
                           field("role", &T::role, codes_help("New role", domain::roles())),
                           field("organisation", &T::organisation, "New organisation"),
                           field("email", &T::email, "New e-mail"),
                           field("os_user", &T::os_user, "Operating-system account mapped to this person"));
  }
};

struct PersonKey {
  std::string person;
};
template <>
struct Describe<PersonKey> {
  static auto fields() { return std::make_tuple(field("person", &PersonKey::person, "Name or id", kRequired | kPositional, "PERSON")); }
};

}  // namespace niikit::api
