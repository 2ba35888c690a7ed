// The demo's shared state and helpers, used by the story files (demo_*.cpp): the folder, the
// database, the steps and files reported, and small wrappers that record a step per action.
// Internal to the demo; not thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "app/services/context.hpp"
#include "app/services/demo_service.hpp"
#include "app/services/import_service.hpp"
#include "db/database.hpp"

namespace niikit::services::demo {

namespace fs = std::filesystem;

// Writes `text` to `path` atomically (temporary file, then rename).
Status write_text(const fs::path& path, const std::string& text);

struct Demo {
  fs::path dir;
  Context ctx;   // the demo database; acts as whichever demo person a step needs (as())
  DemoResult result;
  std::function<void(const DemoStep&)> on_step;
  std::map<std::string, std::string> passwords;   // person → password, for people given a user account

  db::Database& db() { return ctx.db(); }
  // The context acting as the registered person `name` (services that check roles use it).
  Result<Context*> as(const std::string& name);

  void step(std::string title, std::string detail, bool ok = true);
  // Writes `text` to DIR/file and imports it.
  Result<std::string> import(ImportKind kind, const std::string& file, const char* text);
  // Writes a small evidence file and registers it as a document of `scanner`.
  Result<std::int64_t> document(const std::string& scanner, const std::string& kind, const std::string& title);
  // A gated stage move, reported as a step.
  Status advance(const std::string& scanner, const std::string& to, const std::string& by, const std::string& note,
                 std::optional<std::int64_t> evidence = std::nullopt);
  void file(const fs::path& path, std::string summary) { result.files.push_back({path.string(), std::move(summary)}); }
};

// Sets the demo's clock to `days` before the real "now", so the history reads like one.
void days_ago(Demo& d, const Clock& now, int days);

// The stories, in the order run_demo tells them.
Status import_story(Demo& d);
Status procurement_story(Demo& d, const Clock& now);
Status imaging_story(Demo& d);
Status acceptance_story(Demo& d, const Clock& now);   // demo_acceptance.cpp
// The tender from the frozen specification to the signed contract (demo_tender.cpp); leaves
// GH-TEM-03 at stage fat.
Status tender_chapter(Demo& d, const Clock& now, const std::string& procurement,
                      const std::vector<std::string>& mandatory);
Status operations_story(Demo& d);

}  // namespace niikit::services::demo
