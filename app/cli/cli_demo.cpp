// `niikit demo --out DIR`: the end-to-end demo (README's first command).
#include <QJsonArray>
#include <QJsonObject>
#include <fmt/format.h>

#include <memory>

#include "app/cli/commands.hpp"
#include "app/cli/json_views.hpp"
#include "app/cli/views.hpp"
#include "app/services/demo_service.hpp"
#include "app/services/fleet_service.hpp"
#include "db/database.hpp"

namespace niikit::cli {

namespace {

Status run_demo(CliContext& ctx, const std::string& out_dir) {
  int n = 0;
  auto result = services::run_demo(out_dir, ctx.clock, [&](const services::DemoStep& s) {
    if (ctx.json) return;
    *ctx.out << fmt::format("\n[{}] {}{}\n", ++n, s.title, s.ok ? "" : "  (refused, as expected)");
    *ctx.out << "    " << s.detail << "\n";
  });
  if (!result) return tl::unexpected(result.error());
  auto db = db::Database::open_ready(result->database_path, db::OpenMode::existing, ctx.clock);
  if (!db) return tl::unexpected(db.error());
  if (!ctx.json) *ctx.out << "\nFleet board (niikit --db " << result->database_path << " fleet)\n";
  QJsonArray steps, files;
  for (const auto& s : result->steps)
    steps.append(QJsonObject{{"title", qs(s.title)}, {"detail", qs(s.detail)}, {"ok", s.ok}});
  for (const auto& [path, summary] : result->files)
    files.append(QJsonObject{{"path", qs(path)}, {"summary", qs(summary)}});
  if (ctx.json) {
    ctx.print(QJsonObject{{"database", qs(result->database_path)}, {"steps", steps}, {"files", files}}, {});
    return {};
  }
  // The same board as `niikit fleet`, through that operation's text view.
  auto board = services::fleet_board(*db, {});
  if (!board) return tl::unexpected(board.error());
  if (const TextView* view = views().find("fleet")) (*view)(*ctx.out, std::any(std::move(*board)));
  *ctx.out << "\nFiles written\n";
  for (const auto& [path, summary] : result->files) *ctx.out << "  " << path << " — " << summary << "\n";
  if (auto st = demo_web(ctx, result->database_path, out_dir); !st) return st;
  *ctx.out << fmt::format("\nTry: niikit --db {} scanner show GH-TEM-03\n", result->database_path);
  return {};
}

}  // namespace

void register_demo_commands(CLI::App& root, CliContext& ctx) {
  auto* cmd = root.add_subcommand("demo", "End-to-end demo: build a demo database from sample files in DIR and take "
                                          "scanners through their lifecycle");
  auto out = std::make_shared<std::string>("niikit-demo");
  cmd->add_option("--out", *out, "Folder for the demo database, inputs and outputs (default ./niikit-demo)");
  cmd->callback([&ctx, out] { ctx.action = [&ctx, out] { return run_demo(ctx, *out); }; });
}

}  // namespace niikit::cli
