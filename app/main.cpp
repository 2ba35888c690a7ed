// niikit: parse the command line, run the chosen command, turn an Error into its exit
// status (core/error.hpp catalogue). The only place that exits with a status.
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdlib>
#include <iostream>

#include "core/time_format.hpp"
#include "core/version.hpp"
#include "app/cli/commands.hpp"
#include "db/database.hpp"

namespace {

int report_error(const niikit::cli::CliContext& ctx, const niikit::Error& error) {
  const auto& info = niikit::error_info(error.code);
  std::cerr << "niikit: " << info.name << ": " << (error.field.empty() ? "" : error.field + ": ") << error.message
            << "\n";
  if (ctx.json && !ctx.printed) {  // a command that printed its result already gave one JSON document
    QJsonObject o{{"error", QString::fromUtf8(info.name.data(), static_cast<qsizetype>(info.name.size()))},
                  {"exit_status", info.exit_status},
                  {"message", QString::fromStdString(error.message)}};
    if (!error.field.empty()) o["field"] = QString::fromStdString(error.field);
    std::cout << QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString();
  }
  return info.exit_status;
}

}  // namespace

int main(int argc, char** argv) {
  // No Qt application object at start: Qt Core's JSON, file and hash classes need none, and the
  // PDF writer creates the offscreen GUI application the first time a report is written
  // (reports::ensure_gui), so commands that write no PDF start in a few milliseconds.
  niikit::cli::CliContext ctx;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  // The environment is read here, once (services::Config); nothing below main reads it.
  auto config = niikit::services::Config::from_environment([](const char* name) { return std::getenv(name); });
  if (!config) return report_error(ctx, config.error());
  ctx.config = *config;
  // A writer waits its turn while another niikit writes (a long import), saying so on stderr.
  niikit::db::set_busy_wait({config->busy_timeout, std::chrono::seconds(1),
                             [](const std::string& path, std::chrono::milliseconds limit) {
                               std::cerr << "niikit: waiting for another niikit to finish writing to " << path
                                         << " (up to " << limit.count() / 1000 << " s, NIIKIT_BUSY_TIMEOUT)\n";
                             }});
  if (config->fixed_now) ctx.clock = niikit::Clock(*config->fixed_now);

  CLI::App app{"niikit — lifecycle tracking and image-quality acceptance for NII scanners", "niikit"};
  niikit::cli::configure_root(app, ctx);
  niikit::cli::register_all_commands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_error(ctx, niikit::Error{niikit::ErrorCode::usage,
                                           std::string(e.what()) + " (run with --help for usage)"});
  }
  if (!ctx.action) {
    std::cout << app.help();
    return 0;
  }
  try {
    if (auto st = ctx.action(); !st) return report_error(ctx, st.error());
  } catch (const std::exception& e) {
    return report_error(ctx, niikit::Error{niikit::ErrorCode::internal, e.what()});
  }
  return 0;
}
