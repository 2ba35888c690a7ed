// niikit: parse the command line, run the chosen command, turn an Error into its exit
// status (core/error.hpp catalogue). The only place that exits with a status.
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdlib>
#include <iostream>
#include <string>

#include "core/time_format.hpp"
#include "core/version.hpp"
#include "app/cli/adapter.hpp"
#include "app/cli/commands.hpp"
#include "db/database.hpp"

namespace {

int report_error(const niikit::cli::CliContext& ctx, const niikit::Error& error) {
  const auto& info = niikit::error_info(error.code);
  std::cerr << "niikit: " << info.name << ": " << (error.field.empty() ? "" : error.field + ": ") << error.message
            << "\n";
  if (ctx.json && !ctx.printed) {  // a command that printed its result already gave one JSON document
    std::cout << QJsonDocument(niikit::cli::CliContext::error_members(error)).toJson(QJsonDocument::Indented).toStdString();
  }
  return info.exit_status;
}

// `niikit bogus --help` must not print the root help and exit 0: CLI11 stops at --help before it
// looks at the other words. Walk the words down the command tree instead: the first one that
// names no command of a group (and is no option's value) is the unknown command.
std::string unknown_command(CLI::App& root, int argc, char** argv) {
  CLI::App* at = &root;
  bool value_next = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (value_next) {
      value_next = false;
      continue;
    }
    if (a == "--") break;
    if (a.rfind('-', 0) == 0) {
      if (a.find('=') != std::string::npos) continue;
      const CLI::Option* opt = at->get_option_no_throw(a);
      if (opt == nullptr) opt = root.get_option_no_throw(a);   // global options fall through
      value_next = opt != nullptr && opt->get_items_expected_min() > 0;
      continue;
    }
    // Option groups are unnamed subcommands in CLI11; only named ones are commands.
    const auto all = at->get_subcommands([](CLI::App* s) { return !s->get_name().empty(); });
    if (all.empty()) return {};   // a command: its positional arguments are its own business
    const auto named = at->get_subcommands([&](CLI::App* s) { return !s->get_name().empty() && s->check_name(a); });
    if (named.empty()) return a;
    at = named.front();
  }
  return {};
}

int refuse_unknown(const niikit::cli::CliContext& ctx, const std::string& word) {
  return report_error(ctx, niikit::Error{niikit::ErrorCode::usage,
                                         "unknown command '" + word + "' (run niikit --help for the commands)"});
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
    if (auto word = unknown_command(app, argc, argv); !word.empty()) return refuse_unknown(ctx, word);
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (auto word = unknown_command(app, argc, argv); !word.empty()) return refuse_unknown(ctx, word);
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (auto word = unknown_command(app, argc, argv); !word.empty()) return refuse_unknown(ctx, word);
    return report_error(ctx, niikit::Error{niikit::ErrorCode::usage,
                                           std::string(e.what()) + " (run with --help for usage)"});
  }
  if (!ctx.action) {
    std::cout << app.help();
    return 0;
  }
  try {
    if (auto st = niikit::cli::authenticate_by_option(app, ctx); !st) return report_error(ctx, st.error());
    if (auto st = ctx.action(); !st) return report_error(ctx, st.error());
  } catch (const std::exception& e) {
    return report_error(ctx, niikit::Error{niikit::ErrorCode::internal, e.what()});
  }
  return 0;
}
