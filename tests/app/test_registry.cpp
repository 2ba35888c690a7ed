#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "app/domain/registry_codes.hpp"
#include "app/services/lifecycle_service.hpp"
#include "app/services/registry_service.hpp"
#include "db/audit.hpp"
#include "support/temp_dir.hpp"
#include "support/test_db.hpp"

using namespace niikit;
using niikit::testing::TempDir;

BOOST_AUTO_TEST_CASE(codes_are_parsed_forgivingly_and_refused_clearly) {
  using namespace niikit::domain;
  BOOST_TEST(*parse_code(technologies(), "X-ray tube") == "xray_tube");
  BOOST_TEST(*parse_code(technologies(), "Co-60") == "co60");
  BOOST_TEST(*parse_code(site_types(), "Land border") == "land_border");
  BOOST_TEST(*parse_code(roles(), "RSO") == "rso");
  auto bad = parse_code(technologies(), "laser");
  BOOST_REQUIRE(!bad.has_value());
  BOOST_TEST(bad.error().message == "technology 'laser': expected one of linac, betatron, xray_tube, co60, cs137");
  BOOST_TEST(!parse_code(technologies(), "").has_value());
  BOOST_TEST(*parse_yes_no("dual_energy", "Yes") == true);
  BOOST_TEST(!parse_yes_no("dual_energy", "maybe").has_value());
  BOOST_TEST(*parse_number("energy_mev", " 6.5 ", 0, 20) == 6.5);
  BOOST_TEST(parse_number("energy_mev", "6,5", 0, 20).error().message == "energy_mev '6,5': not a number");
  BOOST_TEST(parse_number("energy_mev", "25", 0, 20).error().message == "energy_mev 25: out of range [0, 20]");
  BOOST_TEST(!parse_number("energy_mev", "nan", 0, 20).has_value());
}

BOOST_AUTO_TEST_CASE(scanners_are_added_edited_and_checked) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  BOOST_REQUIRE(services::add_site(db, "t", {{"name", "Tema"}, {"country", "GH"}, {"site_type", "seaport"}}).has_value());
  auto s = services::add_scanner(db, "t", {{"asset_tag", "T-1"}, {"manufacturer", "ScanCorp"}, {"model", "CX"},
                                           {"technology", "Linac"}, {"energy_mev", "6"}, {"configuration", "Portal"},
                                           {"dual_energy", "yes"}, {"site", "Tema"}});
  BOOST_REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
  BOOST_TEST(s->technology == "linac");
  BOOST_TEST(*s->energy_mev == 6.0);
  BOOST_TEST(s->site_name == "Tema");
  BOOST_TEST(s->stage == "needs");
  BOOST_TEST(s->stage_since_utc == "2026-11-24T09:00:00Z");
  auto e = services::edit_scanner(db, "t", "T-1", {{"software_version", "4.3"}, {"site", ""}});
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->software_version == "4.3");
  BOOST_TEST(!e->site_id.has_value());

  auto dup = services::add_scanner(db, "t", {{"asset_tag", "T-1"}, {"manufacturer", "a"}, {"model", "b"},
                                             {"technology", "linac"}, {"configuration", "portal"}});
  BOOST_TEST(dup.error().code == ErrorCode::conflict);
  auto missing = services::add_scanner(db, "t", {{"asset_tag", "T-2"}, {"manufacturer", "a"}, {"technology", "linac"}});
  BOOST_TEST(missing.error().message == "scanner: model missing");
  auto stage_edit = services::edit_scanner(db, "t", "T-1", {{"stage", "in_service"}});
  BOOST_TEST(stage_edit.error().code == ErrorCode::usage);
  auto no_site = services::edit_scanner(db, "t", "T-1", {{"site", "Atlantis"}});
  BOOST_TEST(no_site.error().message == "scanner T-1: site 'Atlantis': not found");
  BOOST_TEST(services::get_scanner(db, "nope").error().code == ErrorCode::not_found);
  auto energy = services::add_scanner(db, "t", {{"asset_tag", "T-3"}, {"manufacturer", "a"}, {"model", "b"},
                                                {"technology", "linac"}, {"configuration", "portal"},
                                                {"energy_mev", "-1"}});
  BOOST_TEST(energy.error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(documents_are_copied_into_the_store_and_a_changed_copy_is_noticed) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  services::EvidenceStore store(dir.path() / "evidence");
  testing::write_file(dir.file("licence.pdf"), "licence v1");
  auto d = services::add_document(db, store, "t", {"Licence", "licence", dir.file("licence.pdf"), "", "", ""});
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->size_bytes == 10);
  BOOST_TEST(d->stored);
  BOOST_TEST(d->file_path == "licence.pdf");  // the name, never the user's absolute path
  BOOST_TEST(d->sha256 == db::sha256_hex("licence v1"));
  BOOST_TEST(testing::read_file(store.path_of(d->sha256).string()) == "licence v1");
  // The user's file may change or go: the record reads its copy.
  testing::write_file(dir.file("licence.pdf"), "licence v2");
  std::filesystem::remove(dir.file("licence.pdf"));
  BOOST_TEST(services::check_document(db, store, d->id)->hash_matches);
  // A changed copy in the store is noticed.
  const auto object = store.path_of(d->sha256);
  std::filesystem::permissions(object, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  testing::write_file(object.string(), "licence v3");
  auto c = services::check_document(db, store, d->id);
  BOOST_TEST(c->file_present);
  BOOST_TEST(!c->hash_matches);
  BOOST_TEST(c->current_sha256 == db::sha256_hex("licence v3"));
  auto edited = services::edit_document(db, "t", d->id, {{"title", "Licence 2026"}, {"kind", "Survey report"}});
  BOOST_REQUIRE(edited.has_value());
  BOOST_TEST(edited->title == "Licence 2026");
  BOOST_TEST(edited->kind == "survey_report");
  BOOST_TEST(edited->sha256 == d->sha256);
  BOOST_TEST(services::edit_document(db, "t", d->id, {{"sha256", "x"}}).error().code == ErrorCode::usage);
  BOOST_TEST(services::edit_document(db, "t", d->id, {{"scanner", "none"}}).error().code == ErrorCode::not_found);
  BOOST_TEST(services::edit_document(db, "t", 999, {{"title", "x"}}).error().code == ErrorCode::not_found);
  auto missing = services::add_document(db, store, "t", {"X", "licence", dir.file("none.pdf"), "", "", ""});
  BOOST_TEST(missing.error().code == ErrorCode::not_found);
  testing::write_file(dir.file("licence.pdf"), "licence v1");
  auto kind = services::add_document(db, store, "t", {"X", "poem", dir.file("licence.pdf"), "", "", ""});
  BOOST_TEST(kind.error().code == ErrorCode::input);
}

BOOST_AUTO_TEST_CASE(a_document_recorded_before_the_store_is_still_checked_at_its_path) {
  TempDir dir;
  auto db = testing::fresh_db(dir);
  services::EvidenceStore store(dir.path() / "evidence");
  testing::write_file(dir.file("old.pdf"), "old bytes");
  db::Document old{0, "Old licence", "licence", dir.file("old.pdf"), db::sha256_hex("old bytes"), 9,
                   std::nullopt, std::nullopt, std::nullopt, "", false};
  auto id = db.write("t", [&](db::WriteTx& tx) { return db::insert_document(tx, old); });
  BOOST_REQUIRE(id.has_value());
  auto c = services::check_document(db, store, *id);
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(!c->document.stored);
  BOOST_TEST(c->document.file_path == dir.file("old.pdf"));
  BOOST_TEST(c->hash_matches);
  std::filesystem::remove(dir.file("old.pdf"));
  BOOST_TEST(!services::check_document(db, store, *id)->file_present);
}
