// Registry use cases shared by the CLI and (later) the web: add, edit, find and list sites,
// people, scanners and documents. Inputs are raw text as a user typed them; each is checked
// with a one-line message naming the field, then written in one unit of work (audited).
// Not thread-safe (uses the caller's Database).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <filesystem>

#include "app/services/evidence_store.hpp"
#include "core/error.hpp"
#include "db/database.hpp"
#include "db/registry.hpp"

namespace niikit::services {

// Field name → new text for add/edit, e.g. {"technology", "linac"}. Unknown fields are errors.
using Fields = std::map<std::string, std::string>;

Result<db::Site> add_site(db::Database& db, const std::string& actor, const Fields& fields);
Result<db::Site> edit_site(db::Database& db, const std::string& actor, const std::string& key, const Fields& fields);
Result<db::Person> add_person(db::Database& db, const std::string& actor, const Fields& fields);
Result<db::Person> edit_person(db::Database& db, const std::string& actor, const std::string& key, const Fields& fields);

// Edits registry fields; stage cannot be edited (use stage advance).
Result<db::Scanner> edit_scanner(db::Database& db, const std::string& actor, const std::string& key, const Fields& fields);

// Adds a document: copies the file into the evidence store (its SHA-256 names the copy),
// records the hash and the file's name (not its path) and links it to a scanner and/or site.
// The bytes are stored before the record is written: a refused record leaves an unreferenced
// object in the store, never a record without its bytes.
struct DocumentInput {
  std::string title;
  std::string kind;
  std::string file_path;  // the user's file, read once
  std::string scanner;   // asset tag or id, optional
  std::string site;      // name or id, optional
  std::string added_by;  // person, optional
};
Result<db::Document> add_document(db::Database& db, EvidenceStore& store, const std::string& actor,
                                  const DocumentInput& input);

// Edits a document's title, kind or links ("title", "kind", "scanner", "site"; empty link
// text unlinks). The file and its hash are fixed: record a new document for a new version.
Result<db::Document> edit_document(db::Database& db, const std::string& actor, std::int64_t id, const Fields& fields);

// Where a document's bytes are: its evidence-store object, or for a document recorded before
// the store (migration 0009) the file at its recorded path.
std::filesystem::path document_bytes(const db::Document& d, const EvidenceStore& store);

// Checks that a document's bytes (document_bytes) still have the recorded hash.
struct DocumentCheck {
  db::Document document;
  bool file_present = false;
  bool hash_matches = false;
  std::string current_sha256;
};
Result<DocumentCheck> check_document(db::Database& db, const EvidenceStore& store, std::int64_t id);

Result<db::Scanner> get_scanner(db::Database& db, const std::string& key);
Result<db::Person> get_person(db::Database& db, const std::string& key);
Result<db::Site> get_site(db::Database& db, const std::string& key);

// Checks scanner fields (add when `complete`, edit otherwise) into `s`; used by the importer.
Status apply_scanner_fields(SQLite::Database& sql, const Fields& fields, db::Scanner& s, bool complete);

// SHA-256 of a file's content, streamed.
Result<std::string> sha256_file(const std::string& path, std::int64_t* size_bytes = nullptr);

}  // namespace niikit::services
