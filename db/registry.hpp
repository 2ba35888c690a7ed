// Registry records (sites, people, scanners, documents) and lifecycle decisions, and the
// narrow repository functions that read and write them. Writes take a WriteTx so they run in
// the caller's unit of work and are audited; reads take the connection. Values are checked by
// the schema (CHECK constraints) and, with clearer messages, by the services above.
// Stage and kind codes are plain strings here: the db layer knows no lifecycle rules.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"

namespace niikit::db {

struct Site {
  std::int64_t id = 0;
  std::string name;
  std::string country;
  std::string site_type;   // seaport | land_border | airport | rail | inland
  std::string created_at_utc;
};

struct Person {
  std::int64_t id = 0;
  std::string name;
  std::string role;        // procurement | engineer | rso | manager | vendor
  std::string organisation;
  std::string email;
  std::string created_at_utc;
  std::string os_user;     // operating-system account the CLI maps to this person; "" = none
};

struct Scanner {
  std::int64_t id = 0;
  std::string asset_tag;
  std::string manufacturer;
  std::string model;
  std::string serial;
  std::string technology;      // linac | betatron | xray_tube | co60 | cs137
  std::optional<double> energy_mev;
  std::string configuration;   // fixed | relocatable | mobile | portal | gantry | rail | cabinet | portable
  bool dual_energy = false;
  std::string software_version;
  std::string firmware_version;
  std::optional<std::int64_t> site_id;
  std::string site_name;       // read-only, joined
  std::string stage;
  std::string stage_since_utc;
  std::string created_at_utc;
};

struct Document {
  std::int64_t id = 0;
  std::string title;
  std::string kind;
  std::string file_path;
  std::string sha256;
  std::int64_t size_bytes = 0;
  std::optional<std::int64_t> scanner_id;
  std::optional<std::int64_t> site_id;
  std::optional<std::int64_t> added_by;
  std::string added_at_utc;
  // True when the bytes are in the evidence store under `sha256` and file_path is the file's
  // original name (a stored_documents row); false for documents recorded before migration 0009
  // (file_path: the absolute path of the user's file).
  bool stored = false;
};

struct Decision {
  std::int64_t id = 0;
  std::int64_t scanner_id = 0;
  std::string kind;            // register | import | advance | out_of_service | return_to_service
  std::optional<std::string> from_stage;
  std::string to_stage;
  std::optional<std::int64_t> decided_by;
  std::string decided_by_name; // read-only, joined
  std::string decided_role;
  std::string decided_at_utc;
  std::string effective_at_utc;
  std::string note;
  std::optional<std::int64_t> evidence_document_id;
  std::string gate_json = "[]";
};

// --- sites
Result<std::int64_t> insert_site(WriteTx& tx, const Site& s);
Status update_site(WriteTx& tx, const Site& s);
std::optional<Site> find_site(SQLite::Database& sql, const std::string& name_or_id);
std::vector<Site> list_sites(SQLite::Database& sql);

// --- people
Result<std::int64_t> insert_person(WriteTx& tx, const Person& p);
Status update_person(WriteTx& tx, const Person& p);
std::optional<Person> find_person(SQLite::Database& sql, const std::string& name_or_id);
std::vector<Person> list_people(SQLite::Database& sql);
// The person mapped to an operating-system account, if any.
std::optional<Person> find_person_by_os_user(SQLite::Database& sql, const std::string& os_user);
std::int64_t count_people(SQLite::Database& sql);

// --- scanners
Result<std::int64_t> insert_scanner(WriteTx& tx, const Scanner& s);
Status update_scanner(WriteTx& tx, const Scanner& s);   // registry fields and stage
std::optional<Scanner> find_scanner(SQLite::Database& sql, const std::string& asset_tag_or_id);
std::vector<Scanner> list_scanners(SQLite::Database& sql);

// --- documents
// Inserts the document (and, when d.stored, its stored_documents mark) in the caller's unit of work.
Result<std::int64_t> insert_document(WriteTx& tx, const Document& d);
Status update_document(WriteTx& tx, const Document& d);
std::optional<Document> find_document(SQLite::Database& sql, std::int64_t id);
std::vector<Document> list_documents(SQLite::Database& sql, std::optional<std::int64_t> scanner_id);
std::vector<std::string> document_kinds_for_scanner(SQLite::Database& sql, std::int64_t scanner_id);
// Every scanner's linked document kinds in one query (the fleet board's batch form).
std::map<std::int64_t, std::set<std::string>> document_kinds_by_scanner(SQLite::Database& sql);

// --- decisions
Result<std::int64_t> insert_decision(WriteTx& tx, const Decision& d);
std::vector<Decision> decisions_for_scanner(SQLite::Database& sql, std::int64_t scanner_id);

}  // namespace niikit::db
