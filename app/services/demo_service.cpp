#include "app/services/demo_service.hpp"

#include <fmt/format.h>

#include "app/services/demo_story.hpp"
#include "db/audit.hpp"
#include "db/database.hpp"

namespace niikit::services {

using namespace niikit::services::demo;

Result<DemoResult> run_demo(const std::string& out_dir, const Clock& clock,
                            const std::function<void(const DemoStep&)>& on_step) {
  std::error_code ec;
  const fs::path dir(out_dir);
  fs::create_directories(dir / "documents", ec);
  if (ec) return fail(ErrorCode::io, fmt::format("{}: cannot create ({})", out_dir, ec.message()));
  const fs::path db_path = dir / "niikit-demo.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix, ec);
  Config config;
  config.db_path = db_path.string();
  Demo d{dir, Context(config), {}, on_step, {}};
  d.ctx.set_clock(clock);
  if (auto db = d.ctx.database(Access::create); !db) return tl::unexpected(db.error());
  d.result.database_path = db_path.string();
  d.step("Create the database", fmt::format("{} (schema version {})", db_path.string(),
                                            db::embedded_migrations().back().version));
  if (auto st = import_story(d); !st) return tl::unexpected(st.error());
  if (auto st = procurement_story(d, clock); !st) return tl::unexpected(st.error());
  if (auto st = imaging_story(d); !st) return tl::unexpected(st.error());
  if (auto st = acceptance_story(d, clock); !st) return tl::unexpected(st.error());
  if (auto st = operations_story(d); !st) return tl::unexpected(st.error());
  auto audit = d.db().read([](SQLite::Database& sql) { return db::verify_audit(sql); });
  if (!audit) return tl::unexpected(audit.error());
  d.step("Verify the audit trail", fmt::format("{} entries chained, {} records reconciled: {}", audit->entries,
                                               audit->records_checked, audit->ok() ? "intact" : "BROKEN"),
         audit->ok());
  d.result.files.insert(d.result.files.begin(),
                        {db_path.string(), fmt::format("SQLite database, {} audit entries", audit->entries)});
  return d.result;
}

}  // namespace niikit::services
